import "server-only";
/**
 * The one queue of the generation engine: pg-boss over the project's own database
 * (ARCHITECTURE.md "background jobs"; PGlite through pg-boss's `db: { executeSql }` option).
 *
 * Two queues, one job shape each:
 * - `generate-conversation` `{ runId, itemId }`: one job per conversation of a live run.
 * - `drive-batch-run` `{ runId }`: one job per step of a batch run (submit, poll, ingest).
 *
 * Jobs are written through the caller's transaction (`executorFor(tx)`), so a run, its items and
 * their jobs are created — and a paused run's jobs cancelled, a resumed run's created again — in
 * one transaction with the rows they are about (docs/engine.md, "The queue").
 *
 * Retries and recovery are pg-boss's: a job whose handler throws (a database error, say) is
 * retried with backoff up to RECOVERY_RETRY_LIMIT times; a job whose worker died is failed by the
 * engine's heartbeat sweep (pg-boss 10 has no job heartbeat of its own) and retried by pg-boss.
 * Failed provider calls are not job failures: the retry policy of src/core/generation/retry-policy.ts
 * retries the call inside the job (one retry layer for calls, SDK retries off).
 */
import { sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import type { DatabaseHandle, DbOrTx } from "../db/client";

export const GENERATE_CONVERSATION_QUEUE = "generate-conversation";
export const DRIVE_BATCH_RUN_QUEUE = "drive-batch-run";
export const ENGINE_QUEUES = [GENERATE_CONVERSATION_QUEUE, DRIVE_BATCH_RUN_QUEUE] as const;

/**
 * `send-email` `{ messageId }`: one job per e-mail (src/server/jobs/email-job.ts). Created with the
 * engine's queues so an e-mail can be queued in a run's transaction before any e-mail worker has
 * started. Its retries: EMAIL_RETRY_LIMIT after the first attempt, EMAIL_RETRY_DELAY_SECONDS
 * doubled each time (30 s, 1, 2, 4, 8 min: a mail server that is down for a quarter of an hour
 * still gets the message).
 */
export const EMAIL_QUEUE = "send-email";
export const EMAIL_RETRY_LIMIT = 5;
export const EMAIL_RETRY_DELAY_SECONDS = 30;

/** Payload of a `send-email` job: the email_messages row to deliver. */
export interface SendEmailJob {
  messageId: string;
}

/** Payload of a `generate-conversation` job. */
export interface GenerateConversationJob {
  runId: string;
  itemId: string;
}

/** Payload of a `drive-batch-run` job. */
export interface DriveBatchRunJob {
  runId: string;
}

/**
 * How many times pg-boss retries a job whose handler threw or whose worker died before the job
 * is failed for good (the worker then fails its conversation with the reason, so the run ends).
 */
export const RECOVERY_RETRY_LIMIT = 4;
/** First retry delay, seconds; pg-boss doubles it each time (retryBackoff) with jitter. */
export const RECOVERY_RETRY_DELAY_SECONDS = 2;
/**
 * pg-boss expires an active job after this long (its own last-resort recovery). A live job never
 * legitimately runs this long: the worker aborts a conversation at JOB_WORK_LIMIT_MS.
 */
export const JOB_EXPIRE_SECONDS = 2 * 60 * 60;
/** A live job's own time limit, well inside the expiry, so pg-boss never retries work still running (ms). */
export const JOB_WORK_LIMIT_MS = (JOB_EXPIRE_SECONDS - 10 * 60) * 1000;

/** pg-boss's `db` option over any Drizzle database or transaction. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * An executor that runs pg-boss's parameterised SQL (`$1`, `$2`…) through `db`, so its inserts,
 * cancels and completions join the caller's transaction. Each `$n` becomes a bound parameter.
 */
export function executorFor(db: DbOrTx): SqlExecutor {
  return {
    async executeSql(text, values = []) {
      const parts = text.split(/\$(\d+)/);
      // undefined (pg-boss's unset defaults) must stay a bound NULL, not vanish from the text.
      const chunks = parts.map((part, index) => (index % 2 === 0 ? sql.raw(part) : sql.param(values[Number(part) - 1] ?? null)));
      const result = (await db.execute(sql.join(chunks))) as unknown as { rows: unknown[] };
      return { rows: result.rows };
    },
  };
}

/**
 * A pg-boss instance for inserts and cancels through a transaction: it is never started (no
 * maintenance, no polling); each call names its `db`. Created once per process.
 */
let writer: PgBoss | null = null;
function jobWriter(): PgBoss {
  writer ??= new PgBoss({ db: { executeSql: async () => ({ rows: [] }) } } as unknown as PgBoss.ConstructorOptions);
  return writer;
}

/** Inserts one `generate-conversation` job per item through `db` (the caller's transaction). Job ids are the caller's. */
export async function sendGenerateJobs(db: DbOrTx, jobs: Array<{ jobId: string; runId: string; itemId: string }>): Promise<void> {
  for (let i = 0; i < jobs.length; i += 1000) {
    await jobWriter().insert(
      jobs.slice(i, i + 1000).map((job) => ({
        id: job.jobId,
        name: GENERATE_CONVERSATION_QUEUE,
        data: { runId: job.runId, itemId: job.itemId } satisfies GenerateConversationJob,
        retryLimit: RECOVERY_RETRY_LIMIT,
        retryDelay: RECOVERY_RETRY_DELAY_SECONDS,
        retryBackoff: true,
        expireInSeconds: JOB_EXPIRE_SECONDS,
      })),
      { db: executorFor(db) } as never,
    );
  }
}

/**
 * Inserts the next `drive-batch-run` job of a batch run through `db`, to start after `delayMs`
 * (the poll interval). One step at a time: the step that sends it completes itself in the same
 * transaction.
 */
export async function sendBatchStepJob(db: DbOrTx, { jobId, runId, delayMs = 0 }: { jobId: string; runId: string; delayMs?: number }): Promise<void> {
  await jobWriter().insert(
    [
      {
        id: jobId,
        name: DRIVE_BATCH_RUN_QUEUE,
        data: { runId } satisfies DriveBatchRunJob,
        retryLimit: RECOVERY_RETRY_LIMIT,
        retryDelay: RECOVERY_RETRY_DELAY_SECONDS,
        retryBackoff: true,
        expireInSeconds: JOB_EXPIRE_SECONDS,
        startAfter: new Date(Date.now() + Math.max(0, delayMs)).toISOString(),
      },
    ],
    { db: executorFor(db) } as never,
  );
}

/**
 * Inserts one `send-email` job through `db` (the transaction that writes its email_messages row).
 * @param retry the retries after the first attempt and the first delay (seconds, doubled each time); default EMAIL_RETRY_LIMIT / EMAIL_RETRY_DELAY_SECONDS
 */
export async function sendEmailJob(db: DbOrTx, { jobId, messageId, retry }: { jobId: string; messageId: string; retry?: { limit: number; delaySeconds: number } }): Promise<void> {
  await jobWriter().insert(
    [
      {
        id: jobId,
        name: EMAIL_QUEUE,
        data: { messageId } satisfies SendEmailJob,
        retryLimit: retry?.limit ?? EMAIL_RETRY_LIMIT,
        retryDelay: retry?.delaySeconds ?? EMAIL_RETRY_DELAY_SECONDS,
        retryBackoff: true,
        expireInSeconds: 15 * 60,
      },
    ],
    { db: executorFor(db) } as never,
  );
}

/** Cancels jobs that have not finished (created, retry or active) through `db`. */
export async function cancelJobs(db: DbOrTx, queue: string, jobIds: string[]): Promise<void> {
  for (let i = 0; i < jobIds.length; i += 1000) {
    await jobWriter().cancel(queue, jobIds.slice(i, i + 1000) as never, { db: executorFor(db) } as never);
  }
}

/** Completes a job through `db`, so it commits with the rows its work wrote. */
export async function completeJob(db: DbOrTx, queue: string, jobId: string): Promise<void> {
  await jobWriter().complete(queue, jobId, {}, { db: executorFor(db) } as never);
}

/** Fails jobs through `db`: pg-boss retries each that has retries left (with backoff), else marks it failed. */
export async function failJobs(db: DbOrTx, queue: string, jobIds: string[], reason: string): Promise<void> {
  if (!jobIds.length) return;
  await jobWriter().fail(queue, jobIds as never, { message: reason }, { db: executorFor(db) } as never);
}

/**
 * Jobs of the engine's queues that a worker holds now (state active), with their retry count.
 * pg-boss 10 has no API that lists jobs by state, so this reads its job table (schema `pgboss`).
 */
export async function listActiveJobs(db: DbOrTx): Promise<Array<{ id: string; name: string; retryCount: number; retryLimit: number }>> {
  const { rows } = await executorFor(db).executeSql(
    "select id, name, retry_count, retry_limit from pgboss.job where name in ($1, $2) and state = 'active'",
    [GENERATE_CONVERSATION_QUEUE, DRIVE_BATCH_RUN_QUEUE],
  );
  return (rows as Array<{ id: string; name: string; retry_count: number; retry_limit: number }>).map((r) => ({ id: r.id, name: r.name, retryCount: r.retry_count, retryLimit: r.retry_limit }));
}

/**
 * `generate-conversation` jobs a worker fetched more than `olderThanMs` ago but never claimed
 * (their item is still queued): the worker that fetched them is gone. A live worker claims a job
 * within milliseconds of fetching it.
 */
export async function listUnclaimedActiveJobs(db: DbOrTx, olderThanMs: number): Promise<string[]> {
  const { rows } = await executorFor(db).executeSql(
    `select j.id from pgboss.job j join generation_run_items i on i.job_id = j.id
     where j.name = $1 and j.state = 'active' and i.state = 'queued' and j.started_on < now() - make_interval(secs => $2)`,
    [GENERATE_CONVERSATION_QUEUE, olderThanMs / 1000],
  );
  return (rows as Array<{ id: string }>).map((r) => r.id);
}

/**
 * Starts pg-boss on the handle's connection (creating its schema on first use) and makes sure
 * both engine queues and the e-mail queue exist. With `maintenance` (workers), this process also expires and archives
 * jobs; pg-boss makes that idempotent across processes.
 * @throws whatever pg-boss throws when its schema cannot be created (the database is unreachable)
 */
export async function startQueue(
  handle: DatabaseHandle,
  { maintenance = true, onError = () => undefined }: { maintenance?: boolean; onError?: (error: Error) => void } = {},
): Promise<PgBoss> {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => handle.executeSql(text, values) as Promise<{ rows: never[] }> },
    supervise: maintenance,
    schedule: false,
  } as unknown as PgBoss.ConstructorOptions);
  boss.on("error", onError);
  await boss.start();
  for (const name of ENGINE_QUEUES) {
    if (!(await boss.getQueue(name))) {
      await boss.createQueue(name, {
        name,
        retryLimit: RECOVERY_RETRY_LIMIT,
        retryDelay: RECOVERY_RETRY_DELAY_SECONDS,
        retryBackoff: true,
        expireInSeconds: JOB_EXPIRE_SECONDS,
      });
    }
  }
  if (!(await boss.getQueue(EMAIL_QUEUE))) {
    await boss.createQueue(EMAIL_QUEUE, { name: EMAIL_QUEUE, retryLimit: EMAIL_RETRY_LIMIT, retryDelay: EMAIL_RETRY_DELAY_SECONDS, retryBackoff: true, expireInSeconds: 15 * 60 });
  }
  return boss;
}

/** Stops a pg-boss instance started by startQueue without closing the shared connection. */
export async function stopQueue(boss: PgBoss): Promise<void> {
  await boss.stop({ graceful: false, wait: true, close: false } as never).catch(() => undefined);
}

/**
 * Makes sure pg-boss's schema and the engine queues exist, so jobs can be inserted in a
 * transaction before any worker has started (a run created while no worker runs).
 */
export async function ensureQueue(handle: DatabaseHandle): Promise<void> {
  await stopQueue(await startQueue(handle, { maintenance: false }));
}
