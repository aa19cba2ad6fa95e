/**
 * Preferences (issue 14 item 3; US14.1.1): on /preferences choose 50 rows per page and the compact
 * density, save, and the conversations table follows (50 rows, shorter rows); remap "Select the
 * conversations on this page" from Ctrl+A to S and it works on the table (and the "?" list says
 * S), while a key another shortcut uses is refused with a plain message; Reset to defaults brings
 * 25 rows and Ctrl+A back. Screenshots of the page light and dark. Leaves the preferences at
 * their defaults.
 */
import type { Page } from "@playwright/test";
import { dataRows, dialogWith, expect, gotoApp, screenshot, test, toast } from "./support/fixtures";

/** Opens /preferences (outside any workspace) and waits until its form has hydrated. */
async function openPreferences(page: Page): Promise<void> {
  await page.goto("/preferences");
  await expect(page.getByRole("heading", { name: "Preferences", level: 1 })).toBeVisible();
  await page.waitForFunction(() => {
    const button = document.querySelector("form button[type='submit']");
    return button !== null && Object.keys(button).some((key) => key.startsWith("__reactProps$"));
  });
}

async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole("combobox", { name: label }).click();
  await page.getByRole("option", { name: option, exact: true }).click();
  await expect(page.getByRole("combobox", { name: label })).toContainText(option);
}

async function firstRowHeight(page: Page): Promise<number> {
  return (await dataRows(page).first().boundingBox())!.height;
}

test("rows per page, density and a remapped shortcut apply to the table; a clashing key is refused; Reset to defaults", async ({ page }) => {
  await gotoApp(page, "/?sort=conversation_id.asc");
  await expect(dataRows(page)).toHaveCount(25);
  await expect(page.getByRole("table", { name: "Conversations" })).toHaveAttribute("data-density", "comfortable");
  const comfortable = await firstRowHeight(page);

  // Rows per page and density.
  await openPreferences(page);
  await choose(page, "Rows per page", "50 rows");
  await choose(page, "Density", "Compact");
  await expect(page.getByText("Unsaved changes")).toBeVisible();

  // A key another shortcut already has is refused, saying which one.
  const shortcuts = page.locator("#shortcuts");
  await shortcuts.getByRole("button", { name: "Change the key for Open Export (Conversations table)" }).click();
  await page.keyboard.press("Control+a");
  await expect(shortcuts.getByRole("alert")).toContainText('Ctrl+A is already the key for "Select the conversations on this page" (Conversations table), so it cannot also be "Open Export"');

  // Remap "Select the conversations on this page" to S.
  await shortcuts.getByRole("button", { name: "Change the key for Select the conversations on this page (Conversations table)" }).click();
  await page.keyboard.press("s");
  await expect(shortcuts.getByRole("alert")).toHaveCount(0);
  await expect(shortcuts.getByLabel("Keys for Select the conversations on this page (Conversations table)")).toHaveText("S");
  await page.getByRole("button", { name: "Save preferences" }).click();
  await expect(toast(page, "Preferences saved")).toBeVisible();
  await screenshot(page, "preferences");
  await page.evaluate(() => document.documentElement.classList.add("dark"));
  await screenshot(page, "preferences-dark");
  await page.evaluate(() => document.documentElement.classList.remove("dark"));

  // The table follows: 50 rows, compact, and S selects the page's rows while Ctrl+A no longer does.
  await gotoApp(page, "/?sort=conversation_id.asc");
  await expect(dataRows(page)).toHaveCount(50);
  await expect(page.getByRole("table", { name: "Conversations" })).toHaveAttribute("data-density", "compact");
  expect(await firstRowHeight(page)).toBeLessThan(comfortable - 4);
  await dataRows(page).first().focus();
  await page.keyboard.press("Control+a");
  await expect(page.getByText(/conversations? selected/)).toHaveCount(0);
  await dataRows(page).first().focus();
  await page.keyboard.press("s");
  await expect(page.getByText("50 conversations selected")).toBeVisible();
  await page.getByRole("button", { name: "Clear selection" }).click();
  // The "?" list shows the key as it is now, and links to Preferences.
  await page.getByRole("heading", { name: "Conversations", level: 1 }).click();
  await page.keyboard.press("Shift+?");
  const list = dialogWith(page, "Keyboard shortcuts");
  await expect(list.getByRole("definition").filter({ hasText: /^S$/ })).toHaveCount(1);
  await expect(list.getByRole("link", { name: "Preferences" })).toHaveAttribute("href", "/preferences#shortcuts");
  await page.keyboard.press("Escape");

  // A view of its own keeps its page size.
  await gotoApp(page, "/?perPage=25&sort=conversation_id.asc");
  await expect(dataRows(page)).toHaveCount(25);

  // Reset to defaults: 25 rows, comfortable, Ctrl+A again.
  await openPreferences(page);
  await page.getByRole("button", { name: "Reset to defaults" }).click();
  await expect(toast(page, "Preferences reset to the defaults")).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Rows per page" })).toContainText("25 rows");
  await gotoApp(page, "/?sort=conversation_id.asc");
  await expect(dataRows(page)).toHaveCount(25);
  await expect(page.getByRole("table", { name: "Conversations" })).toHaveAttribute("data-density", "comfortable");
  await dataRows(page).first().focus();
  await page.keyboard.press("Control+a");
  await expect(page.getByText("25 conversations selected")).toBeVisible();
});

test("a default filter applies when the link has none, and clearing the filters turns it off", async ({ page }) => {
  await openPreferences(page);
  // A tier, not a status: earlier specs change the sample's statuses, its tiers stay.
  const tier = page.getByRole("group", { name: "Tier" });
  await tier.getByRole("checkbox", { name: "Template" }).check();
  await page.getByRole("button", { name: "Save preferences" }).click();
  await expect(toast(page, "Preferences saved")).toBeVisible();
  try {
    await gotoApp(page, "/");
    await expect(page).toHaveURL(/[?&]tier=template/);
    const rows = dataRows(page);
    await expect(rows.first()).toBeVisible();
    for (const row of await rows.all()) await expect(row).toContainText("Template");
    await page.getByRole("button", { name: "Clear All", exact: true }).click();
    await expect(page).toHaveURL(/[?&]defaults=off/);
    await expect(page).not.toHaveURL(/tier=/);
  } finally {
    await openPreferences(page);
    await page.getByRole("button", { name: "Reset to defaults" }).click();
    await expect(toast(page, "Preferences reset to the defaults")).toBeVisible();
  }
});
