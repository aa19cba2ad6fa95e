import "server-only";
/**
 * The daily summary e-mail (US14.1.1; docs/email.md, "Daily summary"): sendDailySummaries is run
 * once a day by the schedule of src/server/jobs/daily-summary-job.ts (web server and `brightrun
 * worker`) and by `brightrun email daily-summary`. Each account whose preference
 * `email.dailySummary` is on gets one message about the 24 hours before now, covering the
 * workspaces they can read (notification-recipients.ts) in which something happened; an account
 * with nothing to report gets none.
 *
 * Idempotent per user and UTC day without a schema change: each user's check ("a daily_summary
 * e-mail of this user created since 00:00 UTC today?") and the queueing run in one transaction
 * holding an advisory lock on that user and day, so a retried job, a second process or the CLI
 * the same day find the first one's row and send nothing. (email_messages' unique index is on
 * run_id, kind and user_id; a summary has no run, and NULLs never collide there.)
 */
import { priceFor } from "../../core/cost/prices";
import { composeDailySummaryEmail, hasActivity, type WorkspaceDaySummary } from "../../core/notifications/daily-summary-email";
import { workspacePaths } from "../../lib/workspace-paths";
import type { DbOrTx } from "../db/client";
import { getWorkspaceActivity, hasEmailOfKindSince, listUsersWithAddress, lockForTransaction } from "../db/queries/daily-summary";
import { readEngineSettings } from "../env";
import { isEmailConfigured, queueEmail } from "../jobs/email-job";
import { loadPreferences } from "../preferences";
import { engineSettingsWithSettings } from "../settings/model-settings";
import { workspacesReadableBy } from "./notification-recipients";
import { publicBaseUrl } from "./public-url";

/** The period a summary covers, ms: the 24 hours before it is sent. */
export const DAILY_SUMMARY_PERIOD_MS = 24 * 60 * 60 * 1000;

/** What happened for one account. */
export interface DailySummaryOutcome {
  userId: string;
  email: string;
  /**
   * "queued" (or "would_send" in a dry run); "nothing_to_report"; "already_sent" (a summary of this
   * user was created earlier the same UTC day); "error" (logged; the others still go).
   */
  outcome: "queued" | "would_send" | "nothing_to_report" | "already_sent" | "error";
  /** The workspaces in the message. */
  workspaces: string[];
  /** The message's subject when queued or would be sent. */
  subject: string | null;
  error: string | null;
}

/** The result of one pass. */
export interface DailySummaryResult {
  /** False when no mail server is set up: nothing was looked at or sent. */
  configured: boolean;
  /** One per account whose preference is on. */
  users: DailySummaryOutcome[];
}

/** 00:00 UTC of the day of `date`. */
export function utcDayStart(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

async function summariesFor(db: DbOrTx, userId: string, from: Date, to: Date, env: Record<string, string | undefined>): Promise<WorkspaceDaySummary[]> {
  const base = publicBaseUrl(env);
  const summaries: WorkspaceDaySummary[] = [];
  for (const workspace of await workspacesReadableBy(db, userId)) {
    const activity = await getWorkspaceActivity({ db, workspaceId: workspace.id, from, to });
    const { priceOverrides } = await engineSettingsWithSettings(db, workspace.id, readEngineSettings(env));
    const summary = {
      name: workspace.name,
      generated: activity.generated,
      approved: activity.approved,
      rejected: activity.rejected,
      failed: activity.failed,
      runsFinished: activity.runsFinished,
      runsFailed: activity.runsFailed,
      spendUsd: activity.spendUsd,
      unpricedModels: activity.models.filter((model) => !priceFor(model, priceOverrides).known),
      link: base ? `${base}${workspacePaths(workspace.slug).conversations()}` : null,
    };
    if (hasActivity(summary)) summaries.push(summary);
  }
  return summaries;
}

/**
 * Sends (queues) the daily summary to every account whose preference `email.dailySummary` is on,
 * about the 24 hours before `now`, at most once per account and UTC day.
 * @param options.now the end of the period (default: now)
 * @param options.dryRun compose and report only: nothing is queued
 * @returns per account what happened; `configured: false` (and nothing done) when no mail server is set up
 * @throws only what reading the accounts throws; one account's failure is recorded in its outcome and the others still go
 */
export async function sendDailySummaries(
  db: DbOrTx,
  { now = new Date(), dryRun = false, env = process.env }: { now?: Date; dryRun?: boolean; env?: Record<string, string | undefined> } = {},
): Promise<DailySummaryResult> {
  if (!(await isEmailConfigured(db))) return { configured: false, users: [] };
  const from = new Date(now.getTime() - DAILY_SUMMARY_PERIOD_MS);
  const dayStart = utcDayStart(now);
  const base = publicBaseUrl(env);
  const outcomes: DailySummaryOutcome[] = [];
  for (const user of await listUsersWithAddress({ db })) {
    const preferences = await loadPreferences(db, user.id);
    if (!preferences.email.dailySummary) continue;
    const done = (outcome: DailySummaryOutcome["outcome"], rest: Partial<DailySummaryOutcome> = {}) =>
      outcomes.push({ userId: user.id, email: user.email, outcome, workspaces: [], subject: null, error: null, ...rest });
    try {
      await db.transaction(async (tx) => {
        await lockForTransaction({ db: tx, key: `brightrun.daily_summary:${user.id}:${dayStart.toISOString().slice(0, 10)}` });
        if (await hasEmailOfKindSince({ db: tx, kind: "daily_summary", userId: user.id, since: dayStart })) return void done("already_sent");
        const workspaces = await summariesFor(tx, user.id, from, now, env);
        if (!workspaces.length) return void done("nothing_to_report");
        const message = composeDailySummaryEmail({ periodEnd: now, workspaces, preferencesLink: base ? `${base}/preferences` : null });
        const names = workspaces.map((w) => w.name);
        if (dryRun) return void done("would_send", { workspaces: names, subject: message.subject });
        await queueEmail(tx, { kind: "daily_summary", to: user.email, subject: message.subject, text: message.text, html: message.html, userId: user.id });
        done("queued", { workspaces: names, subject: message.subject });
      });
    } catch (error) {
      done("error", { error: (error as Error).message });
    }
  }
  return { configured: true, users: outcomes };
}

/** One line per account for logs and the CLI, e.g. "olive@example.com: queued (Harbor, Test business)". */
export function describeDailySummaryOutcome(outcome: DailySummaryOutcome): string {
  const what: Record<DailySummaryOutcome["outcome"], string> = {
    queued: `queued (${outcome.workspaces.join(", ")})`,
    would_send: `would send "${outcome.subject}" (${outcome.workspaces.join(", ")})`,
    nothing_to_report: "nothing to report, no e-mail",
    already_sent: "already has today's summary",
    error: `not sent: ${outcome.error}`,
  };
  return `${outcome.email}: ${what[outcome.outcome]}`;
}
