/**
 * The e-mail preference "When a generation run finishes" (US14.1.1, US1.3.1) as the signed-in owner
 * (owner@e2e.example) meets it: with a mail server set up (a local SMTP server started by this spec,
 * never a real one), the Generate dialog's "E-mail me when it finishes" starts ticked while the
 * preference is on and unticked once it is turned off on the Preferences page, and stays the user's
 * choice for the run either way. The preferences are reset and e-mail is turned off again at the
 * end. Screenshots light and dark.
 */
import type { Page } from "@playwright/test";
import { startLocalSmtpServer, type LocalSmtpServer } from "../support/local-smtp-server";
import { createSampleWorkspace, dataRows, dialogWith, expect, gotoApp, screenshot, test, toast } from "./support/fixtures";

const SLUG = "notify-prefs";
let inWorkspace: (url: string) => string = (url) => url;
let smtp: LocalSmtpServer;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  inWorkspace = await createSampleWorkspace(SLUG, "Notify Preferences", "3/1/1");
  smtp = await startLocalSmtpServer();
});
test.afterAll(async () => {
  await smtp?.close();
});

/** Opens a page whose form must have hydrated before it is used. */
async function gotoForm(page: Page, url: string, selector: string) {
  await page.goto(url);
  await page.waitForFunction((sel) => {
    const element = document.querySelector(sel);
    return element !== null && Object.keys(element).some((key) => key.startsWith("__reactProps$"));
  }, selector);
}

/** Sets the "When a generation run finishes" preference and saves. */
async function setRunFinishedPreference(page: Page, on: boolean) {
  await gotoForm(page, "/preferences", "form button[type='submit']");
  const box = page.getByRole("checkbox", { name: "When a generation run finishes" });
  if ((await box.isChecked()) !== on) {
    await box.click();
    await page.getByRole("button", { name: "Save preferences" }).click();
    await expect(toast(page, "Preferences saved")).toBeVisible();
  }
  await expect(box).toBeChecked({ checked: on });
}

/** Opens the Generate dialog for the first not-generated conversation; returns it and its e-mail checkbox. */
async function openGenerateDialog(page: Page) {
  await gotoApp(page, inWorkspace("/?perPage=100&sort=conversation_id.asc"));
  await dataRows(page).filter({ hasText: "Not generated" }).first().getByRole("checkbox").first().check();
  await page.getByRole("button", { name: "Generate Selected (1)" }).click();
  const dialog = dialogWith(page, /Generate 1 conversation\?/);
  await expect(dialog).toContainText(/\$\s?\d/);
  return { dialog, notify: dialog.getByRole("checkbox", { name: "E-mail me when it finishes" }) };
}

test("'E-mail me when it finishes' starts ticked when the 'run finished' preference is on, and not when it is off", async ({ page }) => {
  test.setTimeout(180_000);

  // A mail server for this spec (no login: a relay on this machine).
  await gotoForm(page, "/settings/email", "main input");
  await page.getByLabel("Host").fill("127.0.0.1");
  await page.getByLabel("Port").fill(String(smtp.port));
  await page.getByRole("combobox", { name: "Security" }).click();
  await page.getByRole("option", { name: /^None/ }).click();
  await page.getByLabel("From address").fill("Bright Run <brightrun@example.com>");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(toast(page, "E-mail settings saved. Send a test e-mail to check them.")).toBeVisible();

  try {
    // On (the default): ticked when the dialog opens, and it can still be unticked for this run.
    await setRunFinishedPreference(page, true);
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const { dialog, notify } = await openGenerateDialog(page);
      await expect(notify).toBeEnabled();
      await expect(notify).toBeChecked();
      await expect(dialog.getByRole("link", { name: "preferences" })).toHaveAttribute("href", "/preferences");
      await dialog.getByRole("button", { name: "Start generation" }).scrollIntoViewIfNeeded();
      await screenshot(page, `notify-default-on${scheme === "dark" ? "-dark" : ""}`, { overlay: true });
      await notify.uncheck();
      await expect(notify).not.toBeChecked();
      await dialog.getByRole("button", { name: "Cancel" }).click();
    }
    await page.emulateMedia({ colorScheme: "light" });

    // Off: unticked when the dialog opens, and it can still be ticked for this run.
    await setRunFinishedPreference(page, false);
    await expect(page.locator("[data-sonner-toast]")).toHaveCount(0, { timeout: 15_000 });
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await gotoForm(page, "/preferences", "form button[type='submit']");
      await page.getByRole("heading", { name: "E-mail notifications" }).scrollIntoViewIfNeeded();
      await screenshot(page, `notify-preferences${scheme === "dark" ? "-dark" : ""}`, { overlay: true });
    }
    await page.emulateMedia({ colorScheme: "light" });
    const { dialog, notify } = await openGenerateDialog(page);
    await expect(notify).toBeEnabled();
    await expect(notify).not.toBeChecked();
    await notify.check();
    await expect(notify).toBeChecked();
    await dialog.getByRole("button", { name: "Cancel" }).click();
  } finally {
    await gotoForm(page, "/preferences", "form button[type='submit']");
    await page.getByRole("button", { name: "Reset to defaults" }).click();
    await expect(toast(page, "Preferences reset to the defaults")).toBeVisible();
    // Turn e-mail off again (later specs start without a mail server).
    await gotoForm(page, "/settings/email", "main input");
    await page.getByRole("button", { name: "Turn off e-mail" }).click();
    await expect(toast(page, "E-mail is off: the SMTP settings were removed.")).toBeVisible();
  }
});
