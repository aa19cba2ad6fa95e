/**
 * Issue 13 items 6 and 7 as a user goes through them, in a workspace of its own. Settings: the
 * Retention and privacy section starts at the seeds' defaults (generation logs 90 days, exports 365),
 * refuses a payload window longer than the log's with a message saying what to enter, saves new
 * windows and PII redaction, and shows them again after a reload. Database health (linked from
 * Settings): after the conversations table is loaded, its list query appears among the query kinds
 * with count, p50, p95 and max; table sizes list the conversations table; the embedded database
 * says it cannot show index usage. Screenshots light and dark.
 */
import { createSampleWorkspace, expect, gotoApp, reloadApp, screenshot, test, toast } from "./support/fixtures";

const SLUG = "retention-health";
let inWorkspace: (url: string) => string = (url) => url;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  inWorkspace = await createSampleWorkspace(SLUG, "Retention Health", "6/2/1");
});

test("retention settings are validated, saved and shown again; the health page shows the table's query timings", async ({ page }) => {
  await gotoApp(page, inWorkspace("/settings"));
  const section = page.getByRole("region", { name: "Retention and privacy" });
  const logs = section.getByLabel("Keep generation logs for (days)");
  const exportsDays = section.getByLabel("Keep exports and export logs for (days)");
  const payloads = section.getByLabel("Drop payloads after (days)");
  const redact = section.getByRole("switch", { name: "Redact e-mail addresses and phone numbers in logged payloads" });
  await expect(logs).toHaveValue("90");
  await expect(exportsDays).toHaveValue("365");
  await expect(payloads).toHaveValue("");
  await expect(redact).not.toBeChecked();

  // A payload window that outlives the row is refused before anything is sent.
  await payloads.fill("120");
  await expect(section.getByRole("alert")).toHaveText("Drop payloads after: enter fewer days than the 90 days generation logs are kept, or leave it empty.");
  await expect(section.getByRole("button", { name: "Save retention" })).toBeDisabled();
  await logs.fill("0");
  await expect(section.getByRole("alert")).toHaveText("Keep generation logs for: enter a whole number of days from 1 to 3650.");

  await logs.fill("60");
  await exportsDays.fill("200");
  await payloads.fill("14");
  await redact.click();
  await section.getByRole("button", { name: "Save retention" }).click();
  await expect(
    toast(page, "Retention saved: generation logs 60 days, exports 200 days, payloads dropped after 14 days, e-mail addresses and phone numbers redacted."),
  ).toBeVisible();
  await reloadApp(page);
  await expect(logs).toHaveValue("60");
  await expect(exportsDays).toHaveValue("200");
  await expect(payloads).toHaveValue("14");
  await expect(redact).toBeChecked();
  // The reload keeps the scroll position; a full-page capture starts at the top (the header is sticky).
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, "settings-retention");

  // Load the conversations table (twice), then open Database health from Settings.
  await gotoApp(page, inWorkspace("/"));
  await gotoApp(page, inWorkspace("/?status=not_generated"));
  await gotoApp(page, inWorkspace("/settings"));
  await section.getByRole("link", { name: "Database health" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${SLUG}/health$`));
  await expect(page.getByRole("heading", { name: "Database health", level: 1 })).toBeVisible();
  // Timings are written about a second after the query; reload until they are there.
  const kinds = page.getByRole("table", { name: "Query timings by kind" });
  await expect(async () => {
    await page.reload();
    await expect(kinds.getByRole("row").filter({ hasText: "conversations.list" })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  const listRow = kinds.getByRole("row").filter({ hasText: "conversations.list" });
  await expect(listRow).toContainText("Conversations table: one page of rows and the total");
  // Count, p50, p95, max and the slow count, each a figure.
  const cells = listRow.getByRole("cell");
  expect(Number(await cells.nth(1).innerText())).toBeGreaterThanOrEqual(2);
  for (const i of [2, 3, 4]) await expect(cells.nth(i)).toHaveText(/^\d+(\.\d)? ms$|^\d+\.\d\d s$/);
  await expect(kinds.getByRole("row").filter({ hasText: "conversations.facets" })).toBeVisible();

  const tables = page.getByRole("table", { name: "Table sizes" });
  await expect(tables.getByRole("row").filter({ has: page.getByRole("cell", { name: "conversations", exact: true }) })).toBeVisible();
  await expect(page.getByRole("region", { name: "Index usage" })).toContainText("Index usage is not available: The embedded database (PGlite)");
  await screenshot(page, "database-health");

  await page.getByRole("button", { name: "Change theme" }).click();
  await page.getByRole("menuitemradio", { name: "Dark" }).click();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await reloadApp(page);
  await screenshot(page, "database-health-dark");
  await gotoApp(page, inWorkspace("/settings"));
  await expect(logs).toHaveValue("60");
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, "settings-retention-dark");
  // Back to the light theme for the specs after this one.
  await page.getByRole("button", { name: "Change theme" }).click();
  await page.getByRole("menuitemradio", { name: "System" }).click(); // the default again: the theme is saved on the account
  await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
});
