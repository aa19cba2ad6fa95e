/**
 * Keyboard shortcuts (issue 14 item 4; US11.1.2, US14.2.1): "?" opens the list of shortcuts from
 * the conversations page (but types a "?" in the search box), the header's keyboard button opens
 * the same list, Ctrl+A on the table selects the page's rows (and nothing when the focus is in the
 * search box). The header, keyboard button included, fits 1366 px. Screenshots of the dialog in light and dark. Changes no data.
 */
import { dataRows, dialogWith, expect, gotoApp, screenshot, test } from "./support/fixtures";

test("? lists the shortcuts, Ctrl+A selects the page's rows, neither fires while typing", async ({ page }) => {
  await gotoApp(page, "/?perPage=25&sort=conversation_id.asc");
  await expect(dataRows(page)).toHaveCount(25);
  // The header's links and buttons fit the 1366 px window: the page does not scroll sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
  await expect(page.getByRole("button", { name: "Keyboard shortcuts" })).toBeInViewport();
  // …and every link of the bar is whole, the last one too (not cut off by the bar's own scrolling).
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link").last()).toBeInViewport({ ratio: 1 });

  // "?" anywhere on the page: the dialog, grouped by where the keys work.
  await page.getByRole("heading", { name: "Conversations" }).click();
  await page.keyboard.press("Shift+?");
  const dialog = dialogWith(page, "Keyboard shortcuts");
  await expect(dialog).toBeVisible();
  for (const scope of ["Anywhere", "Conversations table", "Conversation preview"]) await expect(dialog.getByRole("heading", { name: scope })).toBeVisible();
  const selectRow = dialog.getByRole("term").filter({ hasText: "Select the conversations on this page" });
  await expect(selectRow).toBeVisible();
  await expect(dialog.getByRole("definition").filter({ hasText: /^(Ctrl|⌘)A$/ })).toHaveCount(1);
  await expect(dialog.getByText("Approve (with the notes typed so far)")).toBeVisible();
  await screenshot(page, "keyboard-shortcuts");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // In the search box "?" is just a character, and Ctrl+A selects the text, not the rows.
  const search = page.getByRole("searchbox", { name: "Search conversations" });
  await search.focus();
  await page.keyboard.press("Shift+?");
  await expect(search).toHaveValue("?");
  await expect(dialog).toBeHidden();
  await page.keyboard.press("Control+a");
  await expect(page.getByText(/conversations? selected/)).toHaveCount(0);

  // Ctrl+A on the table: every row of this page is ticked.
  await gotoApp(page, "/?perPage=25&sort=conversation_id.asc");
  await expect(dataRows(page)).toHaveCount(25);
  await dataRows(page).first().focus();
  await page.keyboard.press("Control+a");
  await expect(page.getByText("25 conversations selected")).toBeVisible();
  const boxes = dataRows(page).getByRole("checkbox");
  await expect(boxes).toHaveCount(25);
  for (const box of await boxes.all()) await expect(box).toBeChecked();
  await page.getByRole("button", { name: "Clear selection" }).click();
  await expect(page.getByText(/conversations? selected/)).toHaveCount(0);

  // The header's button opens the same list; in the dark theme too.
  await page.getByRole("button", { name: "Change theme" }).click();
  await page.getByRole("menuitemradio", { name: "Dark" }).click();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await page.getByRole("button", { name: "Keyboard shortcuts" }).click();
  await expect(dialog).toBeVisible();
  await screenshot(page, "keyboard-shortcuts-dark");
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Change theme" }).click();
  await page.getByRole("menuitemradio", { name: "System" }).click(); // the default again: the theme is saved on the account
  await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
});
