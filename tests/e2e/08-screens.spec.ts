/**
 * The dark theme, chosen the way a user does (the header's "Change theme" menu), with a
 * screenshot of the table in it (test-results/screenshots/table-dark.png).
 */
import { dataRows, expect, gotoApp, reloadApp, screenshot, test } from "./support/fixtures";

test("the table in the dark theme", async ({ page }) => {
  await gotoApp(page, "/");
  await expect(page.getByRole("heading", { name: "Conversations" })).toBeVisible();
  await expect(dataRows(page).first()).toBeVisible();
  await page.getByRole("button", { name: "Change theme" }).click();
  await page.getByRole("menuitemradio", { name: "Dark" }).click();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  // The choice is remembered across a reload.
  await reloadApp(page);
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await expect(dataRows(page).first()).toBeVisible();
  await screenshot(page, "table-dark");
  // The theme is the signed-in person's preference (saved on their account): back to System for the specs after this one.
  await page.getByRole("button", { name: "Change theme" }).click();
  await page.getByRole("menuitemradio", { name: "System" }).click();
});
