/**
 * Quality details, "Select all N" across pages, and delete with confirmation (US4.3.2, US6.2.1,
 * US11.4.2). Runs last: every planned conversation is Generated or Approved (06, 03, 07), so the
 * table has 50 rows and generated rows have a quality badge. The delete test removes two
 * conversations (rejected first, through the UI) and shows that a seed in the same selection is kept.
 */
import { dataRows, dialogWith, expect, firstIds, GENERATED, gotoApp, rowFor, rowId, screenshot, test, toast } from "./support/fixtures";
import type { Page } from "@playwright/test";

/** "Showing X of Y" → [X, Y]. */
async function showingCounts(page: Page): Promise<[number, number]> {
  const showing = page.getByText(/Showing \d+ of \d+/);
  await expect(showing).toBeVisible();
  const match = /Showing (\d+) of (\d+)/.exec((await showing.textContent()) ?? "");
  if (!match) throw new Error("no \"Showing X of Y\" on the page");
  return [Number(match[1]), Number(match[2])];
}

test("a generated row's quality badge opens its quality details", async ({ page }) => {
  await gotoApp(page, "/?status=generated&sort=conversation_id.asc");
  await expect(page.getByRole("button", { name: "Remove filter Status: Generated" })).toBeVisible();
  const row = dataRows(page).filter({ hasText: GENERATED }).first();
  const id = await rowId(row);

  // Its name carries the tier rules' flag when it scores below its bar: "Quality 4.0, below the approval bar (4 is below 6): show details".
  const badge = row.getByRole("button", { name: /^Quality \d+\.\d(, [^:]+)?: show details$/ });
  await expect(badge).toBeVisible();
  const score = /^Quality (\d+\.\d)[,:]/.exec((await badge.getAttribute("aria-label")) ?? "")?.[1];
  expect(score).toBeTruthy();
  await badge.click();

  const dialog = page.getByRole("dialog", { name: `Quality details — ${id}`, exact: true });
  await expect(dialog).toBeVisible();
  // The badge opened the details only: not the row's preview as well.
  await expect(page.getByRole("textbox", { name: "Reviewer notes" })).toBeHidden();
  await expect(dialog).toContainText(`${score} / 10`); // the same overall score as the badge
  const breakdown = dialog.getByRole("list", { name: "Score breakdown" });
  await expect(breakdown).toBeVisible();
  const criteria = breakdown.getByRole("listitem");
  // Score version 2 (docs/quality.md): nine criteria.
  await expect(criteria).toHaveCount(9);
  for (const label of ["Turn count", "Length", "Structure", "Fluency", "Relevance", "Repetition", "Naturalness", "Persona & topic consistency", "Confidence"]) {
    const criterion = criteria.filter({ has: page.getByRole("heading", { name: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`) }) });
    await expect(criterion).toHaveCount(1);
    await expect(criterion).toContainText(/\d+(\.\d)?\/10/); // its score
    await expect(criterion).toContainText("Target");
  }
  await expect(criteria.filter({ hasText: "Turn count" })).toContainText(/\d+\.\d\/10/);

  await dialog.getByRole("button", { name: "Close", exact: true }).click();
  await expect(dialog).toBeHidden();
});

test("select a page, then all conversations across pages, untick one, clear", async ({ page }) => {
  await gotoApp(page, "/");
  const rows = dataRows(page);
  await expect(rows).toHaveCount(25); // 25 rows per page by default
  await expect(page.getByText(/Showing \d+ of \d+/)).toHaveText("Showing 50 of 50");
  const bulk = page.getByRole("toolbar", { name: "Bulk actions" });
  await expect(bulk).toBeHidden();

  const pageBox = page.getByRole("checkbox", { name: "Select all on this page", exact: true });
  await pageBox.check();
  await expect(bulk).toBeVisible();
  await expect(bulk.getByText("25 conversations selected", { exact: true })).toBeVisible();
  for (const box of await rows.getByRole("checkbox").all()) await expect(box).toBeChecked();
  await expect(bulk.getByRole("button", { name: "Delete Selected (25)" })).toBeVisible();

  const selectAll = bulk.getByRole("button", { name: "Select all 50 conversations", exact: true });
  await selectAll.click();
  await expect(bulk.getByText("50 conversations selected", { exact: true })).toBeVisible();
  await expect(selectAll).toBeHidden(); // everything matching is selected now
  await expect(bulk.getByRole("button", { name: "Generate Selected (50)" })).toBeVisible();

  // Page 2: its rows, never shown before, are ticked too.
  const page1Ids = new Set(await Promise.all((await rows.all()).map((row) => rowId(row))));
  await page.getByRole("button", { name: "Go to next page" }).click();
  await expect(page).toHaveURL(/[?&]page=2(&|$)/);
  await expect(rows).toHaveCount(25);
  await expect.poll(async () => page1Ids.has(await rowId(rows.first()))).toBe(false);
  for (const box of await rows.getByRole("checkbox").all()) await expect(box).toBeChecked();
  await expect(pageBox).toBeChecked();
  await expect(bulk.getByText("50 conversations selected", { exact: true })).toBeVisible();

  // Untick one row of page 2.
  const unticked = await rowId(rows.nth(3));
  const box = page.getByRole("checkbox", { name: `Select ${unticked}`, exact: true });
  await box.uncheck();
  await expect(box).not.toBeChecked();
  await expect(bulk.getByText("49 conversations selected", { exact: true })).toBeVisible();
  await expect(pageBox).toHaveAttribute("aria-checked", "mixed");
  await expect(bulk.getByRole("button", { name: "Delete Selected (49)" })).toBeVisible();
  await expect(selectAll).toBeVisible(); // offered again: not everything is selected

  // Back on page 1 its rows are still ticked.
  await page.getByRole("button", { name: "Go to previous page" }).click();
  await expect(page).not.toHaveURL(/[?&]page=2/);
  await expect.poll(async () => page1Ids.has(await rowId(rows.first()))).toBe(true);
  for (const box of await rows.getByRole("checkbox").all()) await expect(box).toBeChecked();
  await expect(bulk.getByText("49 conversations selected", { exact: true })).toBeVisible();

  await bulk.getByRole("button", { name: "Clear selection" }).click();
  await expect(bulk).toBeHidden();
  await expect(pageBox).not.toBeChecked();
  for (const box of await rows.getByRole("checkbox").all()) await expect(box).not.toBeChecked();
});

test("delete two rejected conversations and a seed: the seed is kept", async ({ page }) => {
  await gotoApp(page, "/?perPage=100&sort=conversation_id.asc");
  const rows = dataRows(page);
  await expect(rows).toHaveCount(50);
  const [shownBefore, totalBefore] = await showingCounts(page);
  expect(shownBefore).toBe(totalBefore);
  const bulk = page.getByRole("toolbar", { name: "Bulk actions" });

  // Two generated, non-seed conversations: reject them first (nothing is "Not generated" any more).
  const candidates = rows.filter({ hasText: GENERATED }).filter({ hasNotText: "Approved" });
  const doomed = await firstIds(candidates, 2);
  for (const id of doomed) expect(id).not.toMatch(/^seed-/);
  for (const id of doomed) await page.getByRole("checkbox", { name: `Select ${id}`, exact: true }).check();
  await expect(bulk.getByText("2 conversations selected", { exact: true })).toBeVisible();
  await bulk.getByRole("button", { name: "Reject Selected (2)" }).click();
  const reject = dialogWith(page, "Reject 2 conversations?");
  await reject.getByRole("button", { name: "Reject 2 conversations" }).click();
  await expect(reject).toBeHidden();
  await expect(toast(page, "2 conversations rejected")).toBeVisible();
  for (const id of doomed) await expect(rowFor(page, id)).toContainText("Rejected");
  await expect(bulk).toBeHidden();

  // The two rejected ones and a seed.
  const seed = await rowId(rows.filter({ has: page.getByRole("checkbox", { name: /^Select seed-/ }) }).first());
  expect(seed).toMatch(/^seed-/);
  for (const id of [...doomed, seed]) await page.getByRole("checkbox", { name: `Select ${id}`, exact: true }).check();
  await expect(bulk.getByText("3 conversations selected", { exact: true })).toBeVisible();
  await bulk.getByRole("button", { name: "Delete Selected (3)" }).click();

  const dialog = page.getByRole("alertdialog", { name: "Delete 3 conversations?", exact: true });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("This action cannot be undone");
  const listed = dialog.getByRole("list", { name: "Conversations affected" }).getByRole("listitem");
  await expect(listed).toHaveCount(3);
  for (const id of [...doomed, seed]) await expect(listed.filter({ hasText: id })).toHaveCount(1);
  const confirm = dialog.getByRole("button", { name: "Delete 3 conversations", exact: true });
  const understand = dialog.getByRole("checkbox", { name: "I understand this will permanently delete 3 conversations", exact: true });
  await expect(understand).not.toBeChecked();
  await expect(confirm).toBeDisabled();
  await understand.check();
  await expect(confirm).toBeEnabled();
  await screenshot(page, "delete-dialog", { overlay: true });
  await confirm.click();
  await expect(dialog).toBeHidden();

  const done = toast(page, "2 conversations deleted, 1 kept");
  await expect(done).toBeVisible();
  await expect(done).toContainText(`Kept: ${seed} (seed conversations are locked`);
  await expect(bulk).toBeHidden();

  // The table: two rows fewer, the seed still there.
  await expect(page.getByText(/Showing \d+ of \d+/)).toHaveText(`Showing ${totalBefore - 2} of ${totalBefore - 2}`);
  await expect(rows).toHaveCount(totalBefore - 2);
  for (const id of doomed) await expect(rowFor(page, id)).toHaveCount(0);
  await expect(rowFor(page, seed)).toBeVisible();

  // Searching for a deleted id finds nothing; the seed is found.
  const search = page.getByLabel("Search conversations");
  for (const id of doomed) {
    await search.fill(id);
    await expect(page).toHaveURL(new RegExp(`[?&]q=${id}(&|$)`));
    await expect(page.getByText("No conversations match your filters.")).toBeVisible();
    await expect(rows).toHaveCount(0);
  }
  await search.fill(seed);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${seed}(&|$)`));
  await expect(rows).toHaveCount(1);
  await expect(rowFor(page, seed)).toContainText("Approved");
  await expect(page.getByText(/Showing \d+ of \d+/)).toHaveText(`Showing 1 of ${totalBefore - 2}`);
});
