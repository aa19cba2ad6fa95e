/**
 * Issue 13 item 5 as a compliance officer goes through it. Three Template-tier conversations are
 * generated with the model (the fake LLM); in the preview one is approved, the approval undone
 * from the toast, then rejected with a note, and its Review history lists the three events newest
 * first with who made them. The Audit page's Generation log, filtered to today's calls and then to
 * tomorrow (none), opens a call with its request and response and downloads the same filter as
 * CSV. After an export from the conversations page, the Export history re-runs it: a new export
 * of the same conversations appears at the top. Screenshots of the three tabs, light and dark.
 */
import type { Page } from "@playwright/test";
import { confirmGeneration, createSampleWorkspace, dataRows, dialogWith, expect, firstIds, gotoApp, reloadApp, rowFor, screenshot, test, toast, waitForRunEnd } from "./support/fixtures";

const SLUG = "audit-trail";
let inWorkspace: (url: string) => string = (url) => url;

// A workspace of its own, so the history and the export counts start from nothing whatever ran before.
test.beforeAll(async () => {
  test.setTimeout(180_000);
  inWorkspace = await createSampleWorkspace(SLUG, "Audit Trail", "6/2/1");
});

const utcDay = (offsetDays = 0) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

function previewPanel(page: Page) {
  return page.getByRole("dialog").filter({ has: page.getByRole("textbox", { name: "Reviewer notes" }) });
}

async function openPreview(page: Page, id: string) {
  const row = rowFor(page, id);
  await row.focus();
  await page.keyboard.press("Enter");
  const panel = previewPanel(page);
  await expect(panel).toContainText(id);
  return panel;
}

/** The manifest's conversation ids of the export opened on the Export history tab. */
async function openedManifestIds(page: Page): Promise<string[]> {
  const text = (await page.getByLabel("Manifest", { exact: true }).textContent()) ?? "";
  return (JSON.parse(text) as { conversation_ids: string[] }).conversation_ids;
}

test("review history in the preview, the generation log by date with its CSV, and an export re-run from history", async ({ page, fakeLlm }) => {
  // Three conversations generated with the model.
  await fakeLlm.reset();
  await gotoApp(page, inWorkspace("/?tier=template&perPage=100&sort=conversation_id.asc"));
  const ids = await firstIds(dataRows(page).filter({ hasText: "Not generated" }), 3);
  for (const id of ids) await page.getByRole("checkbox", { name: `Select ${id}`, exact: true }).check();
  await page.getByRole("button", { name: "Generate Selected (3)" }).click();
  expect(await confirmGeneration(page)).toBe(3);
  await waitForRunEnd(page, { total: 3, succeeded: 3, failed: 0 });

  // Approve, undo from the toast, reject with a note: the history shows all three, newest first.
  const panel = await openPreview(page, ids[0]);
  const history = panel.getByRole("region", { name: "Review history" });
  await expect(history).toContainText("Not reviewed yet");
  // A conversation below the approval bar needs a note to be approved.
  await panel.getByRole("textbox", { name: "Reviewer notes" }).fill("Clear and kind.");
  await panel.getByRole("button", { name: "Approve", exact: true }).click();
  const approved = toast(page, `Approved ${ids[0]}`);
  await expect(approved).toBeVisible();
  await expect(history.getByRole("listitem")).toHaveCount(1);
  await approved.getByRole("button", { name: "Undo" }).click();
  await expect(toast(page, `Undone: ${ids[0]} is back as it was`)).toBeVisible();
  await expect(panel).toBeVisible();
  await expect(history.getByRole("listitem")).toHaveCount(2);
  await panel.getByRole("textbox", { name: "Reviewer notes" }).fill("Generic advice, no empathy.");
  await panel.getByRole("button", { name: "Reject", exact: true }).click();
  await expect(toast(page, `Rejected ${ids[0]}`)).toBeVisible();
  const events = history.getByRole("listitem");
  await expect(events).toHaveCount(3);
  await expect(events.nth(0)).toContainText(/Rejected by \S+/);
  await expect(events.nth(0)).toContainText("was Generated");
  await expect(events.nth(0)).toContainText("Note: Generic advice, no empathy.");
  await expect(events.nth(1)).toContainText(/Review undone by \S+/);
  await expect(events.nth(1)).toContainText("was Approved");
  await expect(events.nth(2)).toContainText(/Approved by \S+/);
  await expect(events.nth(2)).toContainText("Note: Clear and kind.");
  await history.scrollIntoViewIfNeeded();
  await screenshot(page, "audit-review-history", { overlay: true });
  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();

  // Approve the other two, then export the approved conversations from the table.
  for (const id of ids.slice(1)) {
    const p = await openPreview(page, id);
    await p.getByRole("textbox", { name: "Reviewer notes" }).fill("Good pacing.");
    await p.getByRole("button", { name: "Approve", exact: true }).click();
    await expect(toast(page, `Approved ${id}`)).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(p).toBeHidden();
  }
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const dialog = dialogWith(page, "Export conversations");
  const exportButton = dialog.getByRole("button", { name: /^Export \d+ conversations?$/ });
  await expect(exportButton).toBeEnabled({ timeout: 60_000 });
  const written = Number(/Export (\d+)/.exec((await exportButton.textContent()) ?? "")?.[1]);
  const download = page.waitForEvent("download", { timeout: 90_000 });
  await exportButton.click();
  await download;
  await expect(dialog).toBeHidden();

  // The generation log, filtered to today's calls (UTC): the three calls are there.
  await gotoApp(page, inWorkspace("/audit"));
  await expect(page.getByRole("heading", { name: "Audit", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "Audit", exact: true })).toHaveAttribute("aria-current", "page");
  const filters = page.getByRole("form", { name: "Generation log filters" });
  await filters.getByLabel("From (UTC day)").fill(utcDay());
  await filters.getByLabel("To (UTC day)").fill(utcDay());
  await filters.getByRole("combobox", { name: "Kind" }).selectOption("generate");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`from=${utcDay()}&to=${utcDay()}`));
  const calls = page.getByRole("table", { name: "Generation log calls" });
  for (const id of ids) await expect(calls.getByRole("row").filter({ hasText: id })).toHaveCount(1);
  await screenshot(page, "audit-generation-log");

  // Open one call: its figures, request and response.
  await calls.getByRole("row").filter({ hasText: ids[0] }).getByRole("link", { name: /^Open/ }).click();
  const call = page.getByRole("region", { name: /^Call / });
  await expect(call).toBeVisible();
  await expect(call).toContainText(ids[0]);
  await expect(call.getByLabel("Request", { exact: true })).toContainText("messages");
  await expect(call.getByLabel("Response", { exact: true })).toContainText("turns");
  await expect(call).toContainText("Succeeded");

  // The same filter as CSV: every row is from today and the three conversations are in it.
  const href = await page.getByRole("link", { name: "Download CSV" }).getAttribute("href");
  expect(href).toMatch(new RegExp(`/audit/generation\\.csv\\?from=${utcDay()}&to=${utcDay()}&kind=generate$`));
  const csvResponse = await page.request.get(href!);
  expect(csvResponse.headers()["content-disposition"]).toMatch(/generation-log\.csv/);
  const [header, ...lines] = (await csvResponse.text()).trim().split("\n");
  expect(header.split(",").slice(0, 4)).toEqual(["log_id", "created_at", "kind", "conversation_id"]);
  expect(lines.length).toBeGreaterThanOrEqual(3);
  for (const line of lines) expect(line.split(",")[1]).toMatch(new RegExp(`^${utcDay()}T`));
  for (const id of ids) expect(lines.some((line) => line.split(",")[3] === id)).toBe(true);

  // Tomorrow: nothing, said plainly.
  await filters.getByLabel("From (UTC day)").fill(utcDay(1));
  await filters.getByLabel("To (UTC day)").fill(utcDay(1));
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.getByText("No calls match these filters.")).toBeVisible();

  // Reviews: the activity report and the compliance report.
  // The tab keeps the chosen days (tomorrow: no reviews, said plainly); "All time" clears them.
  await page.getByRole("link", { name: "Reviews", exact: true }).click();
  await expect(page.getByText("No reviews in these days.")).toBeVisible();
  await page.getByRole("link", { name: "All time" }).click();
  await expect(page.getByRole("table", { name: "Review activity per reviewer" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /^Compliance/ })).toBeVisible();
  await screenshot(page, "audit-reviews");

  // Export history: the export made above is at the top; Re-run makes a new one of the same conversations.
  await gotoApp(page, inWorkspace("/audit?tab=exports"));
  const exportsTable = page.getByRole("table", { name: "Export history" });
  const firstRow = exportsTable.getByRole("row").nth(1);
  await expect(firstRow.getByRole("cell").nth(2)).toHaveText(String(written));
  await expect(firstRow).toContainText("Status: Approved");
  const before = await exportsTable.getByRole("row").count();
  await firstRow.getByRole("link", { name: /^Open the export of/ }).click();
  await expect(page.getByRole("region", { name: /^Export / })).toBeVisible();
  const originalIds = await openedManifestIds(page);
  expect(originalIds).toHaveLength(written);
  expect(originalIds).toEqual(expect.arrayContaining(ids.slice(1)));
  expect(originalIds).not.toContain(ids[0]);

  // Recreate filters points the table at the export's filter state.
  await expect(firstRow.getByRole("link", { name: /^Recreate filters/ })).toHaveAttribute("href", /status=approved/);

  await firstRow.getByRole("button", { name: /^Re-run the export of/ }).click();
  await expect(toast(page, `Exported ${written} conversation`)).toBeVisible({ timeout: 90_000 });
  await expect(exportsTable.getByRole("row")).toHaveCount(before + 1);
  const newRow = exportsTable.getByRole("row").nth(1);
  await expect(newRow.getByRole("cell").nth(2)).toHaveText(String(written));
  await newRow.getByRole("link", { name: /^Open the export of/ }).click();
  await expect(page).toHaveURL(/export=/);
  expect(await openedManifestIds(page)).toEqual(originalIds);
  await screenshot(page, "audit-exports");

  // The same tabs in the dark theme.
  await page.getByRole("button", { name: "Change theme" }).click();
  await page.getByRole("menuitemradio", { name: "Dark" }).click();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await reloadApp(page);
  await screenshot(page, "audit-exports-dark");
  await gotoApp(page, inWorkspace(`/audit?from=${utcDay()}&to=${utcDay()}`));
  await screenshot(page, "audit-generation-log-dark");
  await gotoApp(page, inWorkspace("/audit?tab=reviews"));
  await screenshot(page, "audit-reviews-dark");
  // Back to the default (System, light in these browsers) for the specs after this one: the theme is saved on the account.
  await page.getByRole("button", { name: "Change theme" }).click();
  await page.getByRole("menuitemradio", { name: "System" }).click();
  await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
});
