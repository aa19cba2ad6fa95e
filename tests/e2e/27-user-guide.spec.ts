/**
 * The in-app user guide (issue 14 item 4; US14.2.1, US14.2.2): opened from the header's book
 * button, its contents list the seven sections; the search finds "429" in Troubleshooting and the
 * result opens that passage; a section shows a screenshot an earlier spec took; the one-page print
 * version holds every section, hides the header when printed and prints to a PDF; the Plan page's
 * (?) beside the tier split explains it and links to the FAQ's passage. Screenshots in
 * light and dark. Changes no data.
 */
import { expect, gotoApp, screenshot, test } from "./support/fixtures";

/** A client element of every guide page, to wait for hydration on. */
const HYDRATED = 'input[aria-label="Search the guide"]';
const SECTIONS = ["Getting started", "Generation", "Filtering", "Review", "Export", "Troubleshooting", "FAQ"];

test("the user guide: contents, search to the right passage, screenshots, print to PDF", async ({ page }) => {
  await gotoApp(page, "/");
  await page.getByRole("link", { name: "User guide" }).click();
  await expect(page).toHaveURL(/\/guide$/);
  await expect(page.getByRole("heading", { name: "User guide", level: 1 })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Guide" });
  for (const title of SECTIONS) await expect(nav.getByRole("link", { name: title, exact: true })).toBeVisible();
  // The header keeps the workspace's links.
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Conversations" })).toBeVisible();

  // Search: an HTTP status from an error message finds the Troubleshooting passage.
  const search = page.getByRole("searchbox", { name: "Search the guide" });
  await search.fill("429");
  const results = page.getByRole("list", { name: "Search results" });
  const hit = results.getByRole("link", { name: /rate-limiting us/ });
  await expect(hit).toBeVisible();
  await expect(results).toContainText("Troubleshooting");
  await screenshot(page, "guide-search");
  await hit.click();
  await expect(page).toHaveURL(/\/guide\/troubleshooting#/);
  await expect(page.getByRole("heading", { name: "Troubleshooting", level: 1 })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Troubleshooting" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("heading", { name: /rate-limiting us/, level: 2 })).toBeInViewport();

  // Nothing found is said plainly.
  await search.fill("zebra crossing");
  await expect(page.getByText(/Nothing in the guide matches “zebra crossing”/)).toBeVisible();
  await search.fill("");

  // A section with a screenshot the suite took (spec 08 takes the table; spec 10 the export dialog).
  await nav.getByRole("link", { name: "Export", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Export", level: 1 })).toBeVisible();
  const picture = page.getByRole("img", { name: "The export dialog" }).first();
  await expect(picture).toBeVisible();
  expect(await picture.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await screenshot(page, "guide-section");

  // The print version: every section on one page, no header on paper, a PDF out of it.
  await gotoApp(page, "/guide/print", { hydrated: HYDRATED });
  for (const title of SECTIONS) await expect(page.getByRole("heading", { name: title, level: 2, exact: true })).toBeVisible();
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("banner")).toBeHidden();
  await expect(page.getByRole("button", { name: "Print or save as PDF" })).toBeHidden();
  const pdf = await page.pdf({ format: "A4" });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  expect(pdf.length).toBeGreaterThan(20_000);
  await page.emulateMedia({ media: "screen" });

  // A (?) beside a complex control: a short explanation, and Learn more lands on the guide's passage.
  await gotoApp(page, "/plan");
  await page.getByRole("button", { name: "About the three tiers" }).click();
  const tip = page.getByRole("dialog").filter({ hasText: "Edge case conversations test difficult situations" });
  await expect(tip).toBeVisible();
  const learnMore = tip.getByRole("link", { name: "Learn more in the user guide" });
  await expect(learnMore).toHaveAttribute("href", "/guide/faq#what-are-the-three-tiers");
  await screenshot(page, "help-tip", { overlay: true });
  await gotoApp(page, "/guide/faq#what-are-the-three-tiers", { hydrated: HYDRATED });
  await expect(page.getByRole("heading", { name: "What are the three tiers?", level: 2 })).toBeInViewport();

  // Dark theme.
  await gotoApp(page, "/guide/troubleshooting", { hydrated: HYDRATED });
  await page.getByRole("button", { name: "Change theme" }).click();
  await page.getByRole("menuitemradio", { name: "Dark" }).click();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await screenshot(page, "guide-section-dark");
  await page.getByRole("button", { name: "Change theme" }).click();
  await page.getByRole("menuitemradio", { name: "System" }).click(); // the default again: the theme is saved on the account
  await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
});
