"use server";
/**
 * E-mail settings server actions (issue 14 item 5; docs/email.md): save or clear the
 * installation's SMTP server and Send test e-mail. Installation settings: each checks
 * requireInstallationOwner(). The password is never returned.
 */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { ActionResult } from "@/lib/dashboard-contract";
import { runAction } from "@/server/actions/action-result";
import { requireInstallationOwner } from "@/server/auth";
import { getDatabase } from "@/server/db/instance";
import { clearSmtpSettings, saveSmtpSettings, sendTestEmail, type SmtpSettingsInput, type SmtpSettingsView, type TestEmailResult } from "@/server/email/smtp-settings";

/** Validates and saves the SMTP settings (the password sealed) and returns the page's new view. Errors: `invalid_input` naming the field. */
export async function saveSmtpSettingsAction(input: SmtpSettingsInput): Promise<ActionResult<SmtpSettingsView>> {
  return runAction("saveSmtpSettingsAction", async () => {
    const user = await requireInstallationOwner();
    const { db } = await getDatabase();
    const view = await saveSmtpSettings(db, input, user);
    revalidatePath("/", "layout");
    return view;
  });
}

/** Removes the SMTP settings (e-mail off) and returns the empty view. */
export async function clearSmtpSettingsAction(): Promise<ActionResult<SmtpSettingsView>> {
  return runAction("clearSmtpSettingsAction", async () => {
    const user = await requireInstallationOwner();
    const { db } = await getDatabase();
    const view = await clearSmtpSettings(db, user);
    revalidatePath("/", "layout");
    return view;
  });
}

/**
 * Sends a test e-mail to `to` through the saved settings now. The mail server's refusal comes back as
 * `{ ok: false, message }` in plain English (what to check); `email_not_configured` when nothing is saved.
 */
export async function sendTestEmailAction(to: string): Promise<ActionResult<TestEmailResult>> {
  return runAction("sendTestEmailAction", async () => {
    const user = await requireInstallationOwner();
    const { db } = await getDatabase();
    return sendTestEmail(db, { to: z.string().parse(to), user });
  });
}
