import "server-only";
/**
 * "E-mail me when it finishes" (US1.3.1, US1.3.2; docs/email.md): when a run whose
 * generation_runs.notify_user_id is set finishes, pauses on a spending limit or fails, the run
 * state machine (src/server/runs/run-machine.ts, src/server/runs/batch-driver.ts) calls
 * notifyRunTransition inside the transaction of that transition, so the web, the CLI and every
 * worker trigger it from one place. The e-mail is queued once per run, kind and user (the unique
 * index of email_messages): a run that pauses twice on its limit e-mails once. A run that fails or
 * pauses on a spending limit also e-mails the user who started it (generation_runs.created_by) when
 * their preference "When a run fails or stops at its spending limit" (email.runFailed,
 * src/lib/preferences.ts) is on, even if they did not tick the box (US14.1.1).
 */
import { priceFor } from "../../core/cost/prices";
import { AppError } from "../../core/errors";
import { composeRunEmail, type RunEmailEvent, type RunEmailReason } from "../../core/generation/run-email";
import { loadRunReport } from "../../core/generation/run-report";
import { workspacePaths } from "../../lib/workspace-paths";
import type { DbOrTx } from "../db/client";
import { getSmtpSettings, getUserEmailById, insertEmailMessage } from "../db/queries/email";
import { getGenerationRunById } from "../db/queries/runs";
import { getWorkspace } from "../db/queries/workspace";
import type { EmailKind, GenerationRunRow } from "../db/schema";
import { readEngineSettings } from "../env";
import { queueEmail } from "../jobs/email-job";
import { loadPreferences } from "../preferences";
import { engineSettingsWithSettings } from "../settings/model-settings";
import { userReadsWorkspace } from "./notification-recipients";
import { publicBaseUrl } from "./public-url";

const KIND_OF_EVENT: Record<RunEmailEvent, EmailKind> = {
  finished: "run_finished",
  paused_spending_limit: "run_paused",
  paused_provider_limit: "run_paused",
  failed: "run_failed",
};

/** What happened to one recipient's e-mail about a run transition. */
export type RunEmailOutcome = "queued" | "no_address" | "already_queued" | "not_configured" | "error";

/**
 * The people to e-mail about `event`, each with why: the user who ticked "E-mail me when it
 * finishes" (notify_user_id), and — for a failed or paused run only — the user who started it
 * (created_by) when their preference `email.runFailed` is on and they can still read the workspace.
 * The CLI's local owner ("local:…") has no address and is never added for the preference.
 */
async function runEmailRecipients(
  db: DbOrTx,
  run: { workspaceId: string; createdBy: string; notifyUserId: string | null },
  event: RunEmailEvent,
): Promise<Array<{ userId: string; reason: RunEmailReason }>> {
  const recipients: Array<{ userId: string; reason: RunEmailReason }> = [];
  if (run.notifyUserId) recipients.push({ userId: run.notifyUserId, reason: "asked" });
  const starter = run.createdBy;
  if (PREFERENCE_EVENTS.includes(event) && starter !== run.notifyUserId && !isLocalUserId(starter)) {
    const preferences = await loadPreferences(db, starter);
    if (preferences.email.runFailed && (await userReadsWorkspace(db, starter, run.workspaceId))) recipients.push({ userId: starter, reason: "run_failed_preference" });
  }
  return recipients;
}

/** The events the preference "When a run fails or stops at its spending limit" (email.runFailed) covers. */
const PREFERENCE_EVENTS: readonly RunEmailEvent[] = ["failed", "paused_spending_limit", "paused_provider_limit"];

/** The CLI's local owner (src/server/auth.ts `localOwner`: "local:<name>"), who has no account and no address. */
const isLocalUserId = (userId: string) => userId.startsWith("local:");

/**
 * Queues the run's e-mail for `event` to each recipient (runEmailRecipients: the user who ticked
 * "E-mail me when it finishes"; for a failure or a pause, also the user who started the run when
 * their "run failed" preference is on) who has an address. Each recipient's message is queued in a
 * savepoint of `tx`: a problem composing or queueing it is logged and never undoes the run's
 * transition. When e-mail is not set up (any more), the e-mail is recorded as failed with that reason
 * rather than dropped. Once per run, kind and user (the unique index of email_messages).
 * @returns one outcome per recipient (empty when nobody is to be told), for logs and tests
 */
export async function notifyRunTransition(
  tx: DbOrTx,
  { runId, event, env = process.env }: { runId: string; event: RunEmailEvent; env?: Record<string, string | undefined> },
): Promise<Array<{ userId: string; outcome: RunEmailOutcome }>> {
  const run = await getGenerationRunById({ db: tx, id: runId });
  if (!run) return [];
  let recipients: Array<{ userId: string; reason: RunEmailReason }>;
  try {
    recipients = await tx.transaction((sp) => runEmailRecipients(sp, run, event));
  } catch (error) {
    console.error(`[brightrun] Who to e-mail about run ${runId} could not be read: ${(error as Error).message}`);
    return run.notifyUserId ? [{ userId: run.notifyUserId, outcome: "error" }] : [];
  }
  const outcomes: Array<{ userId: string; outcome: RunEmailOutcome }> = [];
  for (const { userId, reason } of recipients) outcomes.push({ userId, outcome: await queueRunEmail(tx, { run, userId, reason, event, env }) });
  return outcomes;
}

async function queueRunEmail(
  tx: DbOrTx,
  { run, userId, reason, event, env }: { run: GenerationRunRow; userId: string; reason: RunEmailReason; event: RunEmailEvent; env: Record<string, string | undefined> },
): Promise<RunEmailOutcome> {
  const runId = run.id;
  try {
    return await tx.transaction(async (sp) => {
      const to = await getUserEmailById({ db: sp, id: userId });
      if (!to) return "no_address" as const;
      const workspace = await getWorkspace({ db: sp, workspaceId: run.workspaceId });
      const report = await loadRunReport({ db: sp, runId });
      const { priceOverrides } = await engineSettingsWithSettings(sp, run.workspaceId, readEngineSettings(env));
      const base = publicBaseUrl(env);
      const slug = workspace?.slug ?? "";
      const message = composeRunEmail({
        event,
        reason,
        workspaceName: workspace?.name ?? "a deleted workspace",
        report,
        budgetUsd: run.budgetUsd,
        priceKnown: run.provider === "simulated" || priceFor(run.model, priceOverrides).known,
        links: base && workspace ? { runSummary: `${base}${workspacePaths(slug).cost(`run=${run.id}`)}`, conversations: `${base}${workspacePaths(slug).conversations()}` } : null,
      });
      const values = { kind: KIND_OF_EVENT[event], to, subject: message.subject, text: message.text, html: message.html, workspaceId: run.workspaceId, runId, userId };
      if (!(await getSmtpSettings({ db: sp }))) {
        const row = await insertEmailMessage({
          db: sp,
          values: {
            kind: values.kind, toAddress: to, subject: values.subject, textBody: values.text, htmlBody: values.html, workspaceId: run.workspaceId, runId, userId,
            status: "failed",
            lastError: "E-mail is not set up (Settings → E-mail), so this message was not sent.",
          },
        });
        return row ? ("not_configured" as const) : ("already_queued" as const);
      }
      return (await queueEmail(sp, values)) ? ("queued" as const) : ("already_queued" as const);
    });
  } catch (error) {
    console.error(`[brightrun] The e-mail about run ${runId} could not be queued: ${(error as Error).message}`);
    return "error";
  }
}

/** Whether "E-mail me when it finishes" can be ticked, and if not why (for the Generate dialog). */
export interface RunEmailAvailability {
  available: boolean;
  /** Why not, in plain English; null when available. */
  reason: string | null;
}

/**
 * Whether `user` can ask to be e-mailed about a run: e-mail must be set up (an SMTP server saved)
 * and the user must have an e-mail address.
 */
export async function runEmailAvailability(db: DbOrTx, user: { email: string | null }): Promise<RunEmailAvailability> {
  if (!(await getSmtpSettings({ db }))) return { available: false, reason: "E-mail is not set up: an installation owner enters the mail server under Settings → E-mail." };
  if (!user.email) return { available: false, reason: "Your account has no e-mail address." };
  return { available: true, reason: null };
}

/**
 * The notify_user_id of a new run: the user's id when they asked to be e-mailed, null otherwise.
 * @throws AppError "email_unavailable" with runEmailAvailability's reason when they asked and cannot be e-mailed
 */
export async function notifyUserIdFor(db: DbOrTx, user: { id: string; email: string | null }, notify: boolean | undefined): Promise<string | null> {
  if (!notify) return null;
  const availability = await runEmailAvailability(db, user);
  if (!availability.available) throw new AppError("email_unavailable", `"E-mail me when it finishes" can't be used: ${availability.reason}`);
  return user.id;
}
