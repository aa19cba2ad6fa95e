/**
 * Flow a (US3.1.1, US3.1.2, US6.1.1): filtering through the toolbar puts the filter in the URL and
 * shows it as a removable badge; a bookmarked filtered URL opens the same view in a fresh page.
 * Runs first: the database holds 10 approved seeds and 40 "Not generated" conversations.
 */
import { dataRows, expect, gotoApp, rowId, screenshot, skipConversationsTour, test } from "./support/fixtures";
import { OWNER_STORAGE_STATE } from "./support/app-server";

test("filter by status through the UI, search, page, then open a bookmarked filtered view", async ({ page, browser, baseURL }) => {
  await gotoApp(page, "/");
  await expect(page.getByRole("heading", { name: "Conversations" })).toBeVisible();
  const showing = page.getByText(/Showing \d+ of \d+/);
  await expect(showing).toBeVisible();
  const rows = dataRows(page);
  await expect(rows).toHaveCount(25); // 50 conversations, 25 rows per page by default
  await expect(showing).toHaveText("Showing 50 of 50");
  await screenshot(page, "table");

  // Status → Not generated.
  await page.getByRole("button", { name: "Status", exact: true }).first().click();
  const notGenerated = page.getByRole("option", { name: /^Not generated/ });
  await expect(notGenerated).toBeVisible();
  await expect(page.getByRole("option", { name: /^Approved/ })).toBeVisible();
  await screenshot(page, "filters-open");
  await notGenerated.click();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("option", { name: /^Not generated/ })).toBeHidden();

  await expect(page).toHaveURL(/[?&]status=not_generated(&|$)/);
  const badge = page.getByRole("button", { name: "Remove filter Status: Not generated" });
  await expect(badge).toBeVisible();
  await expect(showing).toHaveText("Showing 40 of 50");
  await expect(rows).toHaveCount(25);
  for (const row of await rows.all()) await expect(row).toContainText("Not generated");

  // Removing the badge brings the whole table back.
  await badge.click();
  await expect(badge).toBeHidden();
  await expect(page).not.toHaveURL(/status=/);
  await expect(showing).toHaveText("Showing 50 of 50");

  // Search by a conversation id.
  const id = await rowId(rows.first());
  await page.getByLabel("Search conversations").fill(id);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${id}(&|$)`));
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(id);
  await page.getByLabel("Search conversations").fill("");
  await expect(page).not.toHaveURL(/[?&]q=/);
  await expect(rows).toHaveCount(25);

  // Next page.
  await page.getByRole("button", { name: "Go to next page" }).click();
  await expect(page).toHaveURL(/[?&]page=2(&|$)/);
  await expect(rows).toHaveCount(25);
  await expect(page.getByRole("button", { name: "Go to next page" })).toBeDisabled();
  await page.getByRole("button", { name: "Go to previous page" }).click();
  await expect(page).not.toHaveURL(/[?&]page=2/);

  // A bookmarked view, opened in a fresh browser context (no shared state but the URL).
  const context = await browser.newContext({ baseURL, storageState: OWNER_STORAGE_STATE });
  await skipConversationsTour(context);
  try {
    const fresh = await context.newPage();
    await gotoApp(fresh, "/?tier=edge_case&perPage=50");
    await expect(fresh.getByRole("heading", { name: "Conversations" })).toBeVisible();
    await expect(fresh.getByRole("button", { name: "Remove filter Tier: Edge case" })).toBeVisible();
    const edgeRows = dataRows(fresh);
    // 7 planned edge cases + 2 edge-case seeds in the sample workspace.
    await expect(edgeRows).toHaveCount(9);
    for (const row of await edgeRows.all()) await expect(row).toContainText("Edge case");
    await expect(fresh.getByText(/Showing \d+ of \d+/)).toHaveText("Showing 9 of 50");
  } finally {
    await context.close();
  }
});
