/**
 * The conversations page's first-visit tour (issue 14 item 4; US14.2.2), in a browser that has
 * never seen the app (a context of its own, without the suite's "tour taken" mark): six steps,
 * Next and Back, Esc dismisses it for good (a reload does not bring it back), and the guide's
 * "Take the tour again" starts it once more. Screenshots light and dark. Changes no data.
 */
import { expect, inSample, screenshot, test } from "./support/fixtures";
import { OWNER_STORAGE_STATE } from "./support/app-server";

test("the first-visit tour: steps, dismissed for good, taken again from the guide", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, storageState: OWNER_STORAGE_STATE, viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  try {
    await page.goto(inSample("/"));
    const popover = page.locator(".driver-popover");
    await expect(popover).toBeVisible();
    await expect(popover).toContainText("Your workspace");
    await expect(popover).toContainText("1 of 6");
    await popover.getByRole("button", { name: "Next" }).click();
    await expect(popover).toContainText("Generate All writes every planned conversation");
    await expect(popover).toContainText("2 of 6");
    await popover.getByRole("button", { name: "Next" }).click();
    await popover.getByRole("button", { name: "Next" }).click();
    await expect(popover).toContainText("A approves and R rejects");
    await popover.getByRole("button", { name: "Back" }).click();
    await expect(popover).toContainText("Find conversations");
    await screenshot(page, "tour-step", { overlay: true });

    // Esc dismisses it, and it stays dismissed.
    await page.keyboard.press("Escape");
    await expect(popover).toBeHidden();
    await page.reload();
    await expect(page.getByRole("heading", { name: "Conversations", level: 1 })).toBeVisible();
    await page.waitForTimeout(1_000); // the tour would start 0.4 s after the page is ready
    await expect(popover).toBeHidden();

    // The guide's "Take the tour again" starts it on the conversations page; Done ends it.
    await page.goto("/guide");
    await page.getByRole("button", { name: "Take the tour again" }).click();
    await expect(page.getByRole("heading", { name: "Conversations", level: 1 })).toBeVisible();
    await expect(popover).toContainText("1 of 6");
    for (let step = 1; step < 6; step++) await popover.getByRole("button", { name: "Next" }).click();
    await expect(popover).toContainText("The book opens the user guide");
    await page.emulateMedia({ colorScheme: "dark" });
    await page.evaluate(() => document.documentElement.classList.add("dark"));
    await screenshot(page, "tour-step-dark", { overlay: true });
    await popover.getByRole("button", { name: "Done" }).click();
    await expect(popover).toBeHidden();
  } finally {
    await context.close();
  }
});
