import "server-only";
/**
 * The scheduled daily summary (US14.1.1; docs/email.md, "Daily summary"): pg-boss's cron schedule
 * (as the retention job, src/server/jobs/retention-job.ts: its timekeeper sends at most one job per
 * queue per cron minute across every process on the database) puts a `daily-summary` job on the
 * queue once a day; a worker of this module takes it and runs sendDailySummaries
 * (src/server/email/daily-summary.ts), which is idempotent per user and UTC day, so a retried job
 * sends nothing twice. Started by the web server and by `brightrun worker`;
 * `brightrun email daily-summary` calls the same function directly.
 */
import type { DatabaseHandle } from "../db/client";
import { describeDailySummaryOutcome, sendDailySummaries } from "../email/daily-summary";
import { startScheduledJob, type ScheduledJob } from "./scheduled-job";

export const DAILY_SUMMARY_QUEUE = "daily-summary";
/** Every day at 07:00 UTC (our choice: the morning in Europe, before it in the Americas); the summary covers the 24 hours before. */
export const DAILY_SUMMARY_CRON = "0 7 * * *";

/** The running daily-summary schedule (startScheduledJob). */
export type DailySummarySchedule = ScheduledJob;

/**
 * Starts pg-boss with its scheduler on `handle`, makes sure the `daily-summary` queue and its daily
 * schedule exist, and works its jobs in this process.
 * @param options.cron the cron expression (default DAILY_SUMMARY_CRON, UTC)
 * @param options.pollSeconds how often this process looks for a job (default 60 s)
 * @param options.cronCheckSeconds how often pg-boss checks the schedule and moves due jobs to the queue (default 30 s; 1–45)
 * @throws whatever pg-boss or the database throws when the queue or schedule cannot be created
 */
export async function startDailySummarySchedule(options: {
  handle: DatabaseHandle;
  log?: (line: string) => void;
  cron?: string;
  pollSeconds?: number;
  cronCheckSeconds?: number;
  env?: Record<string, string | undefined>;
}): Promise<DailySummarySchedule> {
  const log = options.log ?? (() => undefined);
  return startScheduledJob({
    handle: options.handle,
    queue: DAILY_SUMMARY_QUEUE,
    cron: options.cron ?? DAILY_SUMMARY_CRON,
    retry: { limit: 3, delaySeconds: 300 },
    pollSeconds: options.pollSeconds ?? 60,
    cronCheckSeconds: options.cronCheckSeconds,
    log,
    work: async () => {
      const result = await sendDailySummaries(options.handle.db, { env: options.env });
      if (!result.configured) return void log("daily summary: e-mail is not set up (Settings → E-mail); nothing sent.");
      for (const outcome of result.users) log(`daily summary: ${describeDailySummaryOutcome(outcome)}`);
      const failed = result.users.filter((u) => u.outcome === "error");
      // pg-boss retries the job; the users already done find today's summary and are skipped.
      if (failed.length) throw new Error(`The daily summary could not be queued for ${failed.map((u) => u.email).join(", ")}.`);
    },
  });
}
