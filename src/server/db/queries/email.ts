import "server-only";
/**
 * E-mail's SQL (issue 14 item 5; docs/email.md): the installation's SMTP settings (one row, id 1),
 * the email_messages rows the `send-email` job delivers, and a user's address.
 */
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { emailMessages, smtpSettings, users, type EmailMessageRow, type SmtpSettingsRow } from "../schema";

/** The SMTP settings row, or null when e-mail is not set up. */
export async function getSmtpSettings({ db }: { db: DbOrTx }): Promise<SmtpSettingsRow | null> {
  const [row] = await db.select().from(smtpSettings).where(eq(smtpSettings.id, 1));
  return row ?? null;
}

/** Writes the SMTP settings row (id 1), creating it the first time. `testedAt` is reset: these settings have not been tested. */
export async function upsertSmtpSettings({ db, values }: { db: DbOrTx; values: Omit<typeof smtpSettings.$inferInsert, "id" | "testedAt"> }): Promise<void> {
  const row = { ...values, testedAt: null };
  await db
    .insert(smtpSettings)
    .values({ id: 1, ...row })
    .onConflictDoUpdate({ target: smtpSettings.id, set: row });
}

/** Deletes the SMTP settings row (e-mail off). */
export async function deleteSmtpSettings({ db }: { db: DbOrTx }): Promise<void> {
  await db.delete(smtpSettings).where(eq(smtpSettings.id, 1));
}

/** Records when Send test e-mail last succeeded. */
export async function updateSmtpSettingsTestedAt({ db, testedAt }: { db: DbOrTx; testedAt: Date }): Promise<void> {
  await db.update(smtpSettings).set({ testedAt }).where(eq(smtpSettings.id, 1));
}

/**
 * Inserts an e-mail; a second e-mail of the same run, kind and user is not inserted (the unique
 * index email_messages_run_kind_user_unique). @returns the new row, or null when it was already there
 */
export async function insertEmailMessage({ db, values }: { db: DbOrTx; values: typeof emailMessages.$inferInsert }): Promise<EmailMessageRow | null> {
  const [row] = await db.insert(emailMessages).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

/** One e-mail by id, or null. */
export async function getEmailMessageById({ db, id }: { db: DbOrTx; id: string }): Promise<EmailMessageRow | null> {
  const [row] = await db.select().from(emailMessages).where(eq(emailMessages.id, id));
  return row ?? null;
}

/**
 * Records one delivery attempt: attempts + 1; on success status "sent", sent_at now and no error;
 * on failure the error and status "failed" when it was the last attempt, else still "queued".
 */
export async function recordEmailAttempt({ db, id, error, lastAttempt }: { db: DbOrTx; id: string; error: string | null; lastAttempt: boolean }): Promise<void> {
  await db
    .update(emailMessages)
    .set(
      error === null
        ? { attempts: sql`${emailMessages.attempts} + 1`, status: "sent", sentAt: new Date(), lastError: null }
        : { attempts: sql`${emailMessages.attempts} + 1`, status: lastAttempt ? "failed" : "queued", lastError: error },
    )
    .where(eq(emailMessages.id, id));
}

/** The e-mail address of a user (users.id), or null when there is no such account (the CLI's local user). */
export async function getUserEmailById({ db, id }: { db: DbOrTx; id: string }): Promise<string | null> {
  const [row] = await db.select({ email: users.email }).from(users).where(eq(users.id, id));
  return row?.email ?? null;
}
