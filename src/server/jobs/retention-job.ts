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
import PgBoss from "pg-boss";
import { describeRetentionFailure, describeRetentionOutcome, enforceRetention } from "../../core/retention/enforce-retention";
import type { DatabaseHandle } from "../db/client";
import { stopQueue } from "../runs/queue";

export const RETENTION_QUEUE = "enforce-retention";
/** Every hour at minute 7 (UTC): windows are in days, so a deletion happens within an hour of a row's expiry. */
export const RETENTION_CRON = "7 * * * *";

export interface RetentionSchedule {
  boss: PgBoss;
  /** Stops taking retention jobs and stops this pg-boss instance (the schedule row stays for the next start). */
  stop(): Promise<void>;
}

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
  const cronCheck = options.cronCheckSeconds ?? 30;
  const boss = new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => options.handle.executeSql(text, values) as Promise<{ rows: never[] }> },
    supervise: false,
    schedule: true,
    cronMonitorIntervalSeconds: cronCheck,
    cronWorkerIntervalSeconds: cronCheck,
  } as unknown as PgBoss.ConstructorOptions);
  boss.on("error", (error: Error) => log(`retention queue: ${error.message}`));
  await boss.start();
  try {
    if (!(await boss.getQueue(RETENTION_QUEUE))) {
      await boss.createQueue(RETENTION_QUEUE, { name: RETENTION_QUEUE, retryLimit: 2, retryDelay: 60, expireInSeconds: 60 * 60 });
    }
    await boss.schedule(RETENTION_QUEUE, options.cron ?? RETENTION_CRON, {}, { tz: "UTC" });
    await boss.work(RETENTION_QUEUE, { pollingIntervalSeconds: options.pollSeconds ?? 30, batchSize: 1 }, async () => {
      const { workspaces, failures, installationQueryTimingsDeleted } = await enforceRetention({ db: options.handle.db });
      for (const outcome of workspaces) log(describeRetentionOutcome(outcome));
      for (const failure of failures) log(describeRetentionFailure(failure));
      if (installationQueryTimingsDeleted) log(`retention: ${installationQueryTimingsDeleted} installation-wide query timings deleted.`);
      // pg-boss retries the job (retryLimit) when a workspace failed; the ones done are done again at no cost.
      if (failures.length) throw new Error(`Retention failed for ${failures.map((f) => f.workspaceSlug).join(", ")}.`);
    });
  } catch (error) {
    await stopQueue(boss);
    throw error;
  }
  return {
    boss,
    stop: async () => {
      await boss.offWork(RETENTION_QUEUE).catch(() => undefined);
      await stopQueue(boss);
    },
  };
}
