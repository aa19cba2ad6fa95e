import "server-only";
/**
 * The one way a scheduled job is run (retention, daily summary): pg-boss with its scheduler on the
 * app's database (its `db: { executeSql }` option, so PGlite works too), the job's queue and its
 * cron schedule (pg-boss 10 `schedule(name, cron)`: at most one job per queue per cron minute across
 * every process on the database), and a worker for it in this process.
 */
import PgBoss from "pg-boss";
import type { DatabaseHandle } from "../db/client";
import { stopQueue } from "../runs/queue";

export interface ScheduledJob {
  boss: PgBoss;
  /** Stops taking the job and stops this pg-boss instance (the schedule row stays for the next start). */
  stop(): Promise<void>;
}

/**
 * Starts pg-boss with its scheduler on `handle`, makes sure `queue` and its schedule exist, and
 * works its jobs in this process with `work` (a throw makes pg-boss retry, up to `retryLimit`).
 * @param options.cron the cron expression (UTC)
 * @param options.retry retries of a failed job and the delay between them (s)
 * @param options.pollSeconds how often this process looks for a job
 * @param options.cronCheckSeconds how often pg-boss checks the schedule (default 30 s; 1–45)
 * @throws whatever pg-boss or the database throws when the queue or schedule cannot be created
 */
export async function startScheduledJob(options: {
  handle: DatabaseHandle;
  queue: string;
  cron: string;
  retry: { limit: number; delaySeconds: number };
  pollSeconds: number;
  cronCheckSeconds?: number;
  log: (line: string) => void;
  work: () => Promise<void>;
}): Promise<ScheduledJob> {
  const cronCheck = options.cronCheckSeconds ?? 30;
  const boss = new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => options.handle.executeSql(text, values) as Promise<{ rows: never[] }> },
    supervise: false,
    schedule: true,
    cronMonitorIntervalSeconds: cronCheck,
    cronWorkerIntervalSeconds: cronCheck,
  } as unknown as PgBoss.ConstructorOptions);
  boss.on("error", (error: Error) => options.log(`${options.queue} queue: ${error.message}`));
  await boss.start();
  try {
    if (!(await boss.getQueue(options.queue))) {
      await boss.createQueue(options.queue, { name: options.queue, retryLimit: options.retry.limit, retryDelay: options.retry.delaySeconds, expireInSeconds: 60 * 60 });
    }
    await boss.schedule(options.queue, options.cron, {}, { tz: "UTC" });
    await boss.work(options.queue, { pollingIntervalSeconds: options.pollSeconds, batchSize: 1 }, options.work);
  } catch (error) {
    await stopQueue(boss);
    throw error;
  }
  return {
    boss,
    stop: async () => {
      await boss.offWork(options.queue).catch(() => undefined);
      await stopQueue(boss);
    },
  };
}
