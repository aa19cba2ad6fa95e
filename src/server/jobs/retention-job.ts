import "server-only";
/**
 * The scheduled retention job (issue 13 item 6; docs/retention.md): pg-boss's own cron schedule
 * (pg-boss 10 `schedule(name, cron)`: its timekeeper checks the `pgboss.schedule` table every
 * `cronMonitorIntervalSeconds` and sends at most one job per queue per cron minute across every
 * process on the database) puts an `enforce-retention` job on the queue every hour; a worker of
 * this module takes it and runs enforceRetention (src/core/retention/enforce-retention.ts) over
 * every workspace. Works on the embedded PGlite database through the same `db: { executeSql }`
 * option as the generation queue (src/server/runs/queue.ts). `brightrun retention run` calls the
 * same function directly.
 */
import { describeRetentionFailure, describeRetentionOutcome, enforceRetention } from "../../core/retention/enforce-retention";
import type { DatabaseHandle } from "../db/client";
import { startScheduledJob, type ScheduledJob } from "./scheduled-job";

export const RETENTION_QUEUE = "enforce-retention";
/** Every hour at minute 7 (UTC): windows are in days, so a deletion happens within an hour of a row's expiry. */
export const RETENTION_CRON = "7 * * * *";

/** The running retention schedule (startScheduledJob). */
export type RetentionSchedule = ScheduledJob;

/**
 * Starts pg-boss with its scheduler on `handle`, makes sure the `enforce-retention` queue and its
 * hourly schedule exist, and works its jobs in this process.
 * @param options.cron the cron expression (default RETENTION_CRON; tests use "* * * * *")
 * @param options.pollSeconds how often this process looks for a retention job (default 30 s)
 * @param options.cronCheckSeconds how often pg-boss checks the schedule and moves due jobs to the queue (default 30 s; 1–45)
 * @throws whatever pg-boss or the database throws when the queue or schedule cannot be created
 */
export async function startRetentionSchedule(options: {
  handle: DatabaseHandle;
  log?: (line: string) => void;
  cron?: string;
  pollSeconds?: number;
  cronCheckSeconds?: number;
}): Promise<RetentionSchedule> {
  const log = options.log ?? (() => undefined);
  return startScheduledJob({
    handle: options.handle,
    queue: RETENTION_QUEUE,
    cron: options.cron ?? RETENTION_CRON,
    retry: { limit: 2, delaySeconds: 60 },
    pollSeconds: options.pollSeconds ?? 30,
    cronCheckSeconds: options.cronCheckSeconds,
    log,
    work: async () => {
      const { workspaces, failures, installationQueryTimingsDeleted } = await enforceRetention({ db: options.handle.db });
      for (const outcome of workspaces) log(describeRetentionOutcome(outcome));
      for (const failure of failures) log(describeRetentionFailure(failure));
      if (installationQueryTimingsDeleted) log(`retention: ${installationQueryTimingsDeleted} installation-wide query timings deleted.`);
      // pg-boss retries the job (retryLimit) when a workspace failed; the ones done are done again at no cost.
      if (failures.length) throw new Error(`Retention failed for ${failures.map((f) => f.workspaceSlug).join(", ")}.`);
    },
  });
}
