import "server-only";
/**
 * E-mail delivery (issue 14 item 5; docs/email.md): queueEmail writes the email_messages row and
 * its `send-email` pg-boss job in one transaction; a worker of this module (startEmailWorker: the
 * web server, `brightrun worker`) takes the job and sends the message through the saved SMTP server
 * (src/server/email/smtp-settings.ts). Each attempt is recorded on the row (attempts, last_error,
 * sent_at); a failed attempt throws so pg-boss retries it with backoff (EMAIL_RETRY_LIMIT /
 * EMAIL_RETRY_DELAY_SECONDS in src/server/runs/queue.ts); after the last one the row is "failed".
 * Works on PGlite and PostgreSQL through the same `db: { executeSql }` option as the engine's queue.
 */
import { randomUUID } from "node:crypto";
import PgBoss from "pg-boss";
import { AppError } from "../../core/errors";
import type { DatabaseHandle, DbOrTx } from "../db/client";
import { getEmailMessageById, getSmtpSettings, insertEmailMessage, recordEmailAttempt } from "../db/queries/email";
import type { EmailKind, EmailMessageRow } from "../db/schema";
import { emailAddressSchema, emailNotConfigured, sendThroughSmtp } from "../email/smtp-settings";
import { EMAIL_QUEUE, EMAIL_RETRY_DELAY_SECONDS, EMAIL_RETRY_LIMIT, sendEmailJob, stopQueue, type SendEmailJob } from "../runs/queue";

export { isEmailConfigured } from "../email/smtp-settings";

/** An e-mail to queue. */
export interface QueuedEmailInput {
  kind: EmailKind;
  to: string;
  subject: string;
  /** The plain-text body (always sent). */
  text: string;
  /** An HTML body sent beside the text; null = text only. */
  html?: string | null;
  workspaceId?: string | null;
  /** With kind and userId, makes the e-mail unique: a run's e-mail of one kind to one user is queued once. */
  runId?: string | null;
  userId?: string | null;
}

/**
 * Queues an e-mail: the email_messages row and its `send-email` job, both through one transaction
 * (a nested one when `db` is already a transaction), so neither exists without the other.
 * @param options.retry retries after the first attempt and the first delay in seconds (doubled each time); default EMAIL_RETRY_LIMIT, EMAIL_RETRY_DELAY_SECONDS
 * @returns the row, or null when the same run already has this kind of e-mail for this user
 * @throws AppError "email_not_configured" when no SMTP server is saved (nothing is written);
 *   ZodError for a bad recipient address
 */
export async function queueEmail(db: DbOrTx, input: QueuedEmailInput, options: { retry?: { limit: number; delaySeconds: number } } = {}): Promise<EmailMessageRow | null> {
  const to = emailAddressSchema.parse(input.to);
  return db.transaction(async (tx) => {
    if (!(await getSmtpSettings({ db: tx }))) throw emailNotConfigured();
    const row = await insertEmailMessage({
      db: tx,
      values: {
        kind: input.kind,
        toAddress: to,
        subject: input.subject,
        textBody: input.text,
        htmlBody: input.html ?? null,
        workspaceId: input.workspaceId ?? null,
        runId: input.runId ?? null,
        userId: input.userId ?? null,
      },
    });
    if (row) await sendEmailJob(tx, { jobId: randomUUID(), messageId: row.id, retry: options.retry });
    return row;
  });
}

/**
 * Delivers one queued e-mail (the `send-email` job's work) and records the attempt. A message
 * already sent is not sent again (a job retried after its worker died).
 * @param lastAttempt true when pg-boss will not retry this job again: a failure then marks the row "failed"
 * @throws AppError "smtp_failed" / "email_not_configured" after recording the attempt, so pg-boss retries
 */
export async function deliverEmail(db: DbOrTx, { messageId, lastAttempt, env = process.env }: { messageId: string; lastAttempt: boolean; env?: Record<string, string | undefined> }): Promise<"sent" | "already_sent" | "missing"> {
  const message = await getEmailMessageById({ db, id: messageId });
  if (!message) return "missing";
  if (message.status === "sent") return "already_sent";
  try {
    await sendThroughSmtp(db, { to: message.toAddress, subject: message.subject, text: message.textBody, html: message.htmlBody }, env);
  } catch (error) {
    const text = error instanceof AppError ? error.message : `The e-mail could not be sent: ${(error as Error).message}`;
    await recordEmailAttempt({ db, id: messageId, error: text, lastAttempt });
    throw error;
  }
  await recordEmailAttempt({ db, id: messageId, error: null, lastAttempt });
  return "sent";
}

export interface EmailWorker {
  boss: PgBoss;
  /** Stops taking e-mail jobs and stops this pg-boss instance (the connection stays open). */
  stop(): Promise<void>;
}

/**
 * Starts pg-boss on `handle` and works `send-email` jobs in this process, one at a time.
 * @param options.pollSeconds how often it looks for an e-mail to send (default 5 s; pg-boss's minimum is 0.5)
 * @throws whatever pg-boss or the database throws when the queue cannot start
 */
export async function startEmailWorker(options: { handle: DatabaseHandle; log?: (line: string) => void; pollSeconds?: number; env?: Record<string, string | undefined> }): Promise<EmailWorker> {
  const log = options.log ?? (() => undefined);
  const boss = new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => options.handle.executeSql(text, values) as Promise<{ rows: never[] }> },
    supervise: false,
    schedule: false,
  } as unknown as PgBoss.ConstructorOptions);
  boss.on("error", (error: Error) => log(`e-mail queue: ${error.message}`));
  await boss.start();
  try {
    // The engine's startQueue creates the queue too; a web-only process may start this first.
    if (!(await boss.getQueue(EMAIL_QUEUE))) {
      await boss.createQueue(EMAIL_QUEUE, { name: EMAIL_QUEUE, retryLimit: EMAIL_RETRY_LIMIT, retryDelay: EMAIL_RETRY_DELAY_SECONDS, retryBackoff: true, expireInSeconds: 15 * 60 });
    }
    await boss.work<SendEmailJob>(EMAIL_QUEUE, { pollingIntervalSeconds: options.pollSeconds ?? 5, batchSize: 1, includeMetadata: true }, async ([job]) => {
      if (!job) return;
      const lastAttempt = job.retryCount >= job.retryLimit;
      try {
        const outcome = await deliverEmail(options.handle.db, { messageId: job.data.messageId, lastAttempt, env: options.env });
        if (outcome === "sent") log(`e-mail ${job.data.messageId} sent.`);
      } catch (error) {
        log(`e-mail ${job.data.messageId} not sent${lastAttempt ? " (last attempt)" : ", will retry"}: ${(error as Error).message}`);
        throw error;
      }
    });
  } catch (error) {
    await stopQueue(boss);
    throw error;
  }
  return {
    boss,
    stop: async () => {
      await boss.offWork(EMAIL_QUEUE).catch(() => undefined);
      await stopQueue(boss);
    },
  };
}
