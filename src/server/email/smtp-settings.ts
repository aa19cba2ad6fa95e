import "server-only";
/**
 * The installation's mail server (issue 14 item 5; docs/email.md): host, port, security (TLS /
 * STARTTLS / none), user name, password (sealed with secret-box.ts like the model API key; never
 * returned) and the from address. Saved and cleared with a settings audit row per change (the
 * password masked). Sending goes through nodemailer (smtpTransport); its errors are put in plain
 * English by describeSmtpError.
 */
import nodemailer from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { z } from "zod";
import { AppError } from "../../core/errors";
import type { DbOrTx } from "../db/client";
import { deleteSmtpSettings, getSmtpSettings, insertEmailMessage, updateSmtpSettingsTestedAt, upsertSmtpSettings } from "../db/queries/email";
import { SMTP_SECURITY, type SmtpSecurity, type SmtpSettingsRow } from "../db/schema";
import { loadSecretKey, openSecret, sealSecret } from "../settings/secret-box";
import { recordSettingsChanges, type SettingsActor, type SettingsChange } from "../settings/settings-audit";

type Env = Record<string, string | undefined>;

/** How long a connection, the server's greeting and a quiet socket may take before giving up (ms). */
export const SMTP_TIMEOUTS_MS = { connection: 10_000, greeting: 10_000, socket: 30_000 } as const;

/** An address, optionally with a name: "ops@example.com" or "Bright Run <ops@example.com>". */
const addressPattern = /^(?:[^<>@]*<\s*[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+\s*>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/;

/** An e-mail address a message is sent to. */
export const emailAddressSchema = z
  .string({ error: "Enter an e-mail address, e.g. you@example.com." })
  .trim()
  .min(1, "Enter an e-mail address, e.g. you@example.com.")
  .max(254, "An e-mail address can be at most 254 characters.")
  .regex(/^[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+$/, "That is not an e-mail address: write it like you@example.com.");

/** The SMTP form as the server action receives it. */
export const smtpSettingsInputSchema = z.strictObject({
  host: z
    .string()
    .trim()
    .min(1, "Enter the mail server's host name, e.g. smtp.example.com.")
    .max(253, "The host name can be at most 253 characters.")
    .regex(/^[A-Za-z0-9.\-:[\]]+$/, "The host name can only hold letters, digits, dots and hyphens (e.g. smtp.example.com), or an IP address."),
  port: z.coerce
    .number({ error: "Enter the port as a number, e.g. 587." })
    .int("The port is a whole number, e.g. 587.")
    .min(1, "The port is a number from 1 to 65535 (usually 465 for TLS, 587 for STARTTLS).")
    .max(65535, "The port is a number from 1 to 65535 (usually 465 for TLS, 587 for STARTTLS)."),
  security: z.enum(SMTP_SECURITY, { error: "Choose the security: TLS, STARTTLS or none." }),
  username: z
    .string()
    .trim()
    .max(320, "The user name can be at most 320 characters.")
    .transform((v) => v || null)
    .nullable(),
  /** keep = leave the saved password; replace = a new one; clear = none. */
  password: z.discriminatedUnion("action", [
    z.strictObject({ action: z.literal("keep") }),
    z.strictObject({ action: z.literal("replace"), value: z.string().min(1, "Type the new password, or keep the saved one.").max(1024, "The password can be at most 1024 characters.") }),
    z.strictObject({ action: z.literal("clear") }),
  ]),
  fromAddress: z
    .string()
    .trim()
    .min(1, "Enter the from address, e.g. Bright Run <brightrun@example.com>.")
    .max(320, "The from address can be at most 320 characters.")
    .regex(addressPattern, "The from address must be an e-mail address, optionally with a name: brightrun@example.com or Bright Run <brightrun@example.com>."),
});
export type SmtpSettingsInput = z.input<typeof smtpSettingsInputSchema>;

/** What the settings page shows: never the password, only whether one is saved. */
export interface SmtpSettingsView {
  configured: boolean;
  host: string;
  port: number;
  security: SmtpSecurity;
  username: string | null;
  passwordSet: boolean;
  fromAddress: string;
  /** When Send test e-mail last succeeded with these settings; null = not since they were saved. */
  testedAt: Date | null;
  updatedAt: Date | null;
}

/** The form's values when nothing is saved: STARTTLS on 587, the most common submission set-up (RFC 6409). */
const EMPTY_VIEW: SmtpSettingsView = { configured: false, host: "", port: 587, security: "starttls", username: null, passwordSet: false, fromAddress: "", testedAt: null, updatedAt: null };

/** The SMTP settings for the page (no password). */
export async function loadSmtpSettingsView(db: DbOrTx): Promise<SmtpSettingsView> {
  const row = await getSmtpSettings({ db });
  if (!row) return EMPTY_VIEW;
  return {
    configured: true,
    host: row.host,
    port: row.port,
    security: row.security,
    username: row.username,
    passwordSet: row.passwordSealed !== null,
    fromAddress: row.fromAddress,
    testedAt: row.testedAt,
    updatedAt: row.updatedAt,
  };
}

/** Whether e-mail is set up (an SMTP server is saved). */
export async function isEmailConfigured(db: DbOrTx): Promise<boolean> {
  return (await getSmtpSettings({ db })) !== null;
}

/**
 * Validates and saves the SMTP settings (the password sealed), with one settings audit row per
 * change by `user` (workspace null: installation settings; the password as "(set)"/"(not set)"), in one transaction.
 * @throws ZodError naming the field; AppError "env_invalid"/"secret_key_unreadable" from the secret key
 */
export async function saveSmtpSettings(db: DbOrTx, input: SmtpSettingsInput, user: SettingsActor, env: Env = process.env): Promise<SmtpSettingsView> {
  const parsed = smtpSettingsInputSchema.parse(input);
  await db.transaction(async (tx) => {
    const existing = await getSmtpSettings({ db: tx });
    const passwordSealed =
      parsed.password.action === "replace" ? sealSecret(parsed.password.value, loadSecretKey({ env }).key) : parsed.password.action === "clear" ? null : (existing?.passwordSealed ?? null);
    await upsertSmtpSettings({
      db: tx,
      values: { host: parsed.host, port: parsed.port, security: parsed.security, username: parsed.username, passwordSealed, fromAddress: parsed.fromAddress, updatedAt: new Date(), updatedBy: user.id },
    });
    const passwordChanged = parsed.password.action === "replace" || (existing?.passwordSealed ?? null) !== passwordSealed;
    const changes: SettingsChange[] = [
      { setting: "smtp.host", oldValue: existing?.host ?? null, newValue: parsed.host },
      { setting: "smtp.port", oldValue: existing?.port ?? null, newValue: parsed.port },
      { setting: "smtp.security", oldValue: existing?.security ?? null, newValue: parsed.security },
      { setting: "smtp.username", oldValue: existing?.username ?? null, newValue: parsed.username },
      { setting: "smtp.fromAddress", oldValue: existing?.fromAddress ?? null, newValue: parsed.fromAddress },
      ...(passwordChanged
        ? [{ setting: "smtp.password", secret: true as const, oldValue: existing?.passwordSealed ? { hint: null } : null, newValue: passwordSealed ? { hint: null } : null }]
        : []),
    ];
    await recordSettingsChanges(tx, { workspaceId: null, user, changes });
  });
  return loadSmtpSettingsView(db);
}

/** Removes the SMTP settings (e-mail off), with settings audit rows by `user`. Queued e-mails then fail with the reason. */
export async function clearSmtpSettings(db: DbOrTx, user: SettingsActor): Promise<SmtpSettingsView> {
  await db.transaction(async (tx) => {
    const existing = await getSmtpSettings({ db: tx });
    if (!existing) return;
    await deleteSmtpSettings({ db: tx });
    await recordSettingsChanges(tx, {
      workspaceId: null,
      user,
      changes: [
        { setting: "smtp.host", oldValue: existing.host, newValue: null },
        { setting: "smtp.port", oldValue: existing.port, newValue: null },
        { setting: "smtp.security", oldValue: existing.security, newValue: null },
        { setting: "smtp.username", oldValue: existing.username, newValue: null },
        { setting: "smtp.fromAddress", oldValue: existing.fromAddress, newValue: null },
        ...(existing.passwordSealed ? [{ setting: "smtp.password", secret: true as const, oldValue: { hint: null }, newValue: null }] : []),
      ],
    });
  });
  return loadSmtpSettingsView(db);
}

/** The nodemailer transport options of saved settings (the password opened). */
export function smtpTransportOptions(row: SmtpSettingsRow, env: Env = process.env): SMTPTransport.Options {
  const password = row.passwordSealed ? openSmtpPassword(row.passwordSealed, env) : undefined;
  return {
    host: row.host,
    port: row.port,
    secure: row.security === "tls",
    requireTLS: row.security === "starttls",
    ignoreTLS: row.security === "none",
    auth: row.username ? { user: row.username, pass: password ?? "" } : undefined,
    connectionTimeout: SMTP_TIMEOUTS_MS.connection,
    greetingTimeout: SMTP_TIMEOUTS_MS.greeting,
    socketTimeout: SMTP_TIMEOUTS_MS.socket,
  };
}

function openSmtpPassword(sealed: string, env: Env): string {
  try {
    return openSecret(sealed, loadSecretKey({ env }).key);
  } catch (cause) {
    throw new AppError(
      "secret_unreadable",
      "The SMTP password saved in Settings → E-mail can't be decrypted with this server's secret key (BRIGHTRUN_SECRET_KEY or secret.key in the data folder changed). Enter the password again there.",
      { cause },
    );
  }
}

/** A message to send now. */
export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html?: string | null;
}

/**
 * Sends one message through the saved SMTP server with nodemailer.
 * @throws AppError "email_not_configured" when no SMTP server is saved; "smtp_failed" with
 *   describeSmtpError's plain-English message (retryable for connection problems)
 */
export async function sendThroughSmtp(db: DbOrTx, message: OutgoingEmail, env: Env = process.env): Promise<void> {
  const row = await getSmtpSettings({ db });
  if (!row) throw emailNotConfigured();
  const transport = nodemailer.createTransport(smtpTransportOptions(row, env));
  try {
    await transport.sendMail({ from: row.fromAddress, to: message.to, subject: message.subject, text: message.text, html: message.html ?? undefined });
  } catch (error) {
    const described = describeSmtpError(error, row);
    throw new AppError("smtp_failed", described.message, { retryable: described.retryable, cause: error });
  } finally {
    transport.close();
  }
}

/** The error queueing or sending says when no SMTP server is saved. */
export function emailNotConfigured(): AppError {
  return new AppError("email_not_configured", "E-mail is not set up: an installation owner enters the mail server (SMTP) under Settings → E-mail first.");
}

/**
 * Puts a nodemailer / SMTP error in plain English with what to check: connection refused, no such
 * host, a timeout, refused credentials (SMTP 535, RFC 4954), a TLS mismatch or an untrusted
 * certificate, a refused address; otherwise the server's own answer. The technical text follows in
 * parentheses. `retryable`: whether trying again later may help (the server was unreachable or
 * answered 4xx, RFC 5321 §4.2.1).
 */
export function describeSmtpError(error: unknown, server: { host: string; port: number; security: SmtpSecurity }): { message: string; retryable: boolean } {
  const e = (error ?? {}) as { code?: string; responseCode?: number; response?: string; message?: string; cause?: { code?: string } };
  const technical = (e.response ?? e.message ?? String(error)).trim();
  const where = `${server.host}:${server.port}`;
  const text = `${e.message ?? ""} ${e.response ?? ""}`;
  const detail = ` (${technical})`;
  if (e.code === "EAUTH" || e.responseCode === 535 || e.responseCode === 534) {
    return { message: `The mail server refused the user name or password.${detail} Check both under Settings → E-mail; some providers (Gmail, Microsoft 365) need an app password.`, retryable: false };
  }
  if (/ECONNREFUSED/.test(text) || e.cause?.code === "ECONNREFUSED") {
    return { message: `Nothing answered at ${where}: the connection was refused.${detail} Check the host and port, and that the mail server is running and reachable from this server.`, retryable: true };
  }
  if (/ENOTFOUND|EAI_AGAIN/.test(text) || e.code === "EDNS") {
    return { message: `There is no mail server called ${server.host}: the name could not be looked up.${detail} Check the host name.`, retryable: true };
  }
  if (/wrong version number|ssl3_get_record|packet length too long|unknown protocol|EPROTO/i.test(text) || (e.code === "ETIMEDOUT" && server.security === "tls")) {
    return {
      message: `The TLS handshake with ${where} failed: the server does not speak TLS on this port.${detail} Check Security: port 465 usually uses TLS; ports 587 and 25 use STARTTLS.`,
      retryable: false,
    };
  }
  if (/certificate|self[- ]signed|CERT_|unable to verify/i.test(text)) {
    return { message: `The mail server's TLS certificate is not trusted.${detail} Check the host name matches the server's certificate, or ask your mail provider for the right host.`, retryable: false };
  }
  if (e.code === "ETLS" || /STARTTLS/i.test(text)) {
    return {
      message: `${where} does not offer STARTTLS, so the connection was not encrypted and nothing was sent.${detail} Check Security: choose TLS for port 465, or "none" only for a server on a trusted network.`,
      retryable: false,
    };
  }
  if (e.code === "ETIMEDOUT" || /timeout|timed out/i.test(text)) {
    return { message: `${where} did not answer in time.${detail} Check the host and port and that a firewall lets this server reach it.`, retryable: true };
  }
  if (e.code === "EENVELOPE" || (e.responseCode !== undefined && e.responseCode >= 550 && e.responseCode <= 553)) {
    return { message: `The mail server refused the address.${detail} Check the recipient and the from address (many servers only send from their own domain).`, retryable: false };
  }
  if (e.code === "ECONNECTION" || e.code === "ESOCKET") {
    return { message: `The connection to ${where} failed.${detail} Check the host, port and security.`, retryable: true };
  }
  const retryable = e.responseCode !== undefined ? e.responseCode >= 400 && e.responseCode < 500 : true;
  return { message: `The mail server did not accept the message.${detail}`, retryable };
}

/** The outcome of Send test e-mail. */
export type TestEmailResult = { ok: true; to: string } | { ok: false; message: string };

/**
 * Sends a test message to `to` through the saved settings now (not through the queue: the person
 * waits for the answer), records it as an e-mail of kind "test", and remembers a success on the
 * settings (tested_at). @throws AppError "email_not_configured"; ZodError for a bad address
 */
export async function sendTestEmail(db: DbOrTx, { to, user }: { to: string; user: SettingsActor }, env: Env = process.env): Promise<TestEmailResult> {
  const address = emailAddressSchema.parse(to);
  const message: OutgoingEmail = {
    to: address,
    subject: "Bright Run test e-mail",
    text: `This is a test e-mail from Bright Run, sent by ${user.displayName}.\n\nIf you can read it, Bright Run can send e-mail: run notifications and invitations will arrive like this one.\n`,
  };
  try {
    await sendThroughSmtp(db, message, env);
  } catch (error) {
    if (error instanceof AppError && error.code === "smtp_failed") {
      await insertEmailMessage({ db, values: { kind: "test", toAddress: address, subject: message.subject, textBody: message.text, userId: user.id, status: "failed", attempts: 1, lastError: error.message } });
      return { ok: false, message: error.message };
    }
    throw error;
  }
  await insertEmailMessage({ db, values: { kind: "test", toAddress: address, subject: message.subject, textBody: message.text, userId: user.id, status: "sent", attempts: 1, sentAt: new Date() } });
  await updateSmtpSettingsTestedAt({ db, testedAt: new Date() });
  return { ok: true, to: address };
}
