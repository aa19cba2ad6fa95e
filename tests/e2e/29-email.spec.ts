/**
 * E-mail (issue 14 item 5; US1.3.1, US1.3.2) and the settings history (US14.1.2) as a user goes
 * through them, in a workspace of its own (the sample business, 3/1/1 planned). The Generate dialog's
 * "E-mail me when it finishes" is disabled with the reason while no mail server is set up; the
 * E-mail settings page saves a local SMTP server started by this spec (the `smtp-server` package,
 * never a real one) with the password shown only as "set", Send test e-mail reaches it, and a wrong
 * password is explained in plain English; the dialog's box then follows the signed-in person's
 * address (the local user has none: disabled with that reason; an account has one: it can be ticked);
 * a retention change appears in the workspace's Settings history. E-mail is turned off again at the
 * end. Screenshots light and dark.
 */
import { startLocalSmtpServer, type LocalSmtpServer } from "../support/local-smtp-server";
import { createSampleWorkspace, dataRows, dialogWith, expect, gotoApp, screenshot, test, toast } from "./support/fixtures";

const SLUG = "email-notify";
const LOGIN = { user: "brightrun", password: "e2e-smtp-password" };
let inWorkspace: (url: string) => string = (url) => url;
let smtp: LocalSmtpServer;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  inWorkspace = await createSampleWorkspace(SLUG, "E-mail Notify", "3/1/1");
  smtp = await startLocalSmtpServer({ auth: LOGIN });
});
test.afterAll(async () => {
  await smtp?.close();
});

/** Opens the installation's E-mail settings (outside any workspace) and waits until its form has hydrated. */
async function gotoEmailSettings(page: import("@playwright/test").Page) {
  await page.goto("/settings/email");
  await page.waitForFunction(() => {
    const host = document.querySelector("main input");
    return host !== null && Object.keys(host).some((key) => key.startsWith("__reactProps$"));
  });
}

/** The system colour scheme the pages follow (next-themes "system"); applies from the next page load. */
async function colorScheme(page: import("@playwright/test").Page, scheme: "light" | "dark") {
  await page.emulateMedia({ colorScheme: scheme });
}

/** A full-page screenshot from the top, once the toasts have gone. */
async function pageShot(page: import("@playwright/test").Page, name: string) {
  await expect(page.locator("[data-sonner-toast]")).toHaveCount(0, { timeout: 15_000 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, name);
}

/** Opens the Generate dialog for the first not-generated conversation and returns the "E-mail me when it finishes" checkbox. */
async function openGenerateDialog(page: import("@playwright/test").Page) {
  await gotoApp(page, inWorkspace("/?perPage=100&sort=conversation_id.asc"));
  const row = dataRows(page).filter({ hasText: "Not generated" }).first();
  await row.getByRole("checkbox").first().check();
  await page.getByRole("button", { name: "Generate Selected (1)" }).click();
  const dialog = dialogWith(page, /Generate 1 conversation\?/);
  await expect(dialog).toContainText(/\$\s?\d/);
  return { dialog, notify: dialog.getByRole("checkbox", { name: "E-mail me when it finishes" }) };
}

test("SMTP settings, Send test e-mail, the Generate dialog's e-mail checkbox and the settings history", async ({ page }) => {
  test.setTimeout(180_000);

  // No mail server yet: the box is disabled and says why.
  let { dialog, notify } = await openGenerateDialog(page);
  await expect(notify).toBeDisabled();
  await expect(dialog).toContainText("E-mail is not set up: an installation owner enters the mail server under Settings → E-mail.");
  await dialog.getByRole("button", { name: "Start generation" }).scrollIntoViewIfNeeded();
  await screenshot(page, "generate-email-not-set-up", { overlay: true });
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // The workspace's Settings page links the installation's E-mail settings.
  await gotoApp(page, inWorkspace("/settings"));
  await page.getByRole("link", { name: "E-mail settings" }).click();
  await expect(page.getByRole("heading", { name: "E-mail", level: 1 })).toBeVisible();
  await expect(page.getByText("E-mail is off.")).toBeVisible();
  await gotoEmailSettings(page);
  await expect(page.getByRole("button", { name: "Send test e-mail" })).toBeDisabled();

  // A bad port is refused in plain English and nothing is saved.
  await page.getByLabel("Host").fill("127.0.0.1");
  await page.getByLabel("Port").fill("99999");
  await page.getByRole("combobox", { name: "Security" }).click();
  await page.getByRole("option", { name: /^None/ }).click();
  await page.getByLabel("User name").fill(LOGIN.user);
  await page.getByLabel("Password").fill(LOGIN.password);
  await page.getByLabel("From address").fill("Bright Run <brightrun@example.com>");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Not saved" })).toContainText("The port is a number from 1 to 65535");

  await page.getByLabel("Port").fill(String(smtp.port));
  await page.getByRole("button", { name: "Save" }).click();
  await expect(toast(page, "E-mail settings saved. Send a test e-mail to check them.")).toBeVisible();
  await expect(page.getByLabel("Saved password")).toHaveText("set");
  await expect(page.getByText("E-mail is on, but these settings have not been tested yet")).toBeVisible();

  // Send test e-mail reaches the local server.
  await page.getByLabel("Send to").fill("owner@example.com");
  await page.getByRole("button", { name: "Send test e-mail" }).click();
  await expect(page.getByTestId("test-email-result")).toContainText("Sent to owner@example.com.");
  const [received] = await smtp.waitFor(1);
  expect(received.to).toEqual(["owner@example.com"]);
  expect(received.mail.subject).toBe("Bright Run test e-mail");
  await gotoEmailSettings(page);
  await expect(page.getByText(/A test e-mail last went through on/)).toBeVisible();

  // A wrong password: the mail server's refusal, in plain English, with what to check.
  await page.getByRole("button", { name: "Replace" }).click();
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(toast(page, "E-mail settings saved.")).toBeVisible();
  await page.getByLabel("Send to").fill("owner@example.com");
  await page.getByRole("button", { name: "Send test e-mail" }).click();
  const refused = page.getByTestId("test-email-result");
  await expect(refused).toContainText("The test e-mail was not sent");
  await expect(refused).toContainText("The mail server refused the user name or password.");
  await expect(refused).toContainText("Check both under Settings → E-mail");

  // The history of the e-mail settings: the password only ever as "(set)".
  const history = page.getByRole("region", { name: "Settings history" });
  await expect(history.getByRole("row").filter({ hasText: "E-mail: password" }).first()).toContainText("(set) → (set)");
  await expect(history).not.toContainText(LOGIN.password);
  await expect(history.getByRole("row").filter({ hasText: "E-mail: SMTP port" }).first()).toContainText(`(none) → ${smtp.port}`);
  await pageShot(page, "email-settings");
  await colorScheme(page, "dark");
  await gotoEmailSettings(page);
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await pageShot(page, "email-settings-dark");
  await colorScheme(page, "light");

  // Mail is set up. The box then depends on whether the person signed in has an e-mail address
  // (the E-mail page's "Send to" starts with it): the local user has none, so it stays disabled
  // with that reason; an account has one, so it can be ticked.
  await gotoEmailSettings(page);
  const ownAddress = await page.getByLabel("Send to").inputValue();
  for (const scheme of ["light", "dark"] as const) {
    await colorScheme(page, scheme);
    ({ dialog, notify } = await openGenerateDialog(page));
    if (ownAddress) {
      await expect(notify).toBeEnabled();
      await expect(dialog).toContainText("Also if it pauses on its spending limit or fails");
      await notify.check();
    } else {
      await expect(notify).toBeDisabled();
      await expect(dialog).toContainText("Your account has no e-mail address.");
    }
    await dialog.getByRole("button", { name: "Start generation" }).scrollIntoViewIfNeeded();
    await screenshot(page, `generate-email-checkbox${scheme === "dark" ? "-dark" : ""}`, { overlay: true });
    await dialog.getByRole("button", { name: "Cancel" }).click();
  }
  await colorScheme(page, "light");

  // A workspace setting changed on the Settings page appears in its history, newest first.
  await gotoApp(page, inWorkspace("/settings"));
  const retention = page.getByRole("region", { name: "Retention and privacy" });
  await retention.getByLabel("Keep generation logs for (days)").fill("45");
  await retention.getByRole("button", { name: "Save retention" }).click();
  await expect(toast(page, /Retention saved: generation logs 45 days/)).toBeVisible();
  const workspaceHistory = page.getByRole("region", { name: "Settings history" });
  await expect(workspaceHistory.getByRole("row").nth(1)).toContainText("Retention: keep generation logs (days)");
  await expect(workspaceHistory.getByRole("row").nth(1)).toContainText("90 → 45");
  await expect(page.locator("[data-sonner-toast]")).toHaveCount(0, { timeout: 15_000 });
  await workspaceHistory.scrollIntoViewIfNeeded();
  await screenshot(page, "settings-history", { overlay: true });
  await colorScheme(page, "dark");
  await gotoApp(page, inWorkspace("/settings"));
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await page.getByRole("region", { name: "Settings history" }).scrollIntoViewIfNeeded();
  await screenshot(page, "settings-history-dark", { overlay: true });
  await colorScheme(page, "light");

  // Turn e-mail off again (the suite's later specs start without a mail server).
  await gotoEmailSettings(page);
  await page.getByRole("button", { name: "Turn off e-mail" }).click();
  await expect(toast(page, "E-mail is off: the SMTP settings were removed.")).toBeVisible();
  await expect(page.getByText("E-mail is off.")).toBeVisible();
});
