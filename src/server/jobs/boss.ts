import "server-only";
/**
 * pg-boss over the project's own database (ARCHITECTURE.md "background jobs"): PGlite through
 * pg-boss's `db: { executeSql }` option in embedded mode, PostgreSQL the same way otherwise, so
 * jobs live beside the rows they are about.
 */
import PgBoss from "pg-boss";
import type { DatabaseHandle } from "../db/client";

/** One job per conversation of a generation run: `{ runId, itemId }`. */
export const GENERATE_CONVERSATION_QUEUE = "generate-conversation";

export interface GenerateConversationJob {
  runId: string;
  itemId: string;
}

/**
 * A job left active by a process that died is expired by pg-boss after this long and the item is
 * recovered by the heartbeat sweep well before (WORKER_STALE_MS); generation's own timeout is 90 s
 * per call, with at most a few calls per conversation.
 */
const JOB_EXPIRE_SECONDS = 15 * 60;

/** Starts pg-boss on the handle's connection and makes sure the generation queue exists. */
export async function startBoss(handle: DatabaseHandle, onError: (error: Error) => void = () => undefined): Promise<PgBoss> {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => handle.executeSql(text, values) as Promise<{ rows: never[] }> },
    // Maintenance (expiring, archiving) runs in every process; it is idempotent.
    supervise: true,
    schedule: false,
  } as unknown as PgBoss.ConstructorOptions);
  boss.on("error", onError);
  await boss.start();
  if (!(await boss.getQueue(GENERATE_CONVERSATION_QUEUE))) {
    await boss.createQueue(GENERATE_CONVERSATION_QUEUE, { name: GENERATE_CONVERSATION_QUEUE, retryLimit: 0, expireInSeconds: JOB_EXPIRE_SECONDS });
  }
  return boss;
}

/**
 * Enqueues one job per run item. Safe to repeat: a second job for the same item finds it already
 * claimed (claimRunItem is atomic) and completes without work.
 */
export async function enqueueRunItems(boss: PgBoss, items: Array<{ id: string; runId: string }>): Promise<void> {
  for (let i = 0; i < items.length; i += 500) {
    await boss.insert(
      items.slice(i, i + 500).map((item) => ({
        name: GENERATE_CONVERSATION_QUEUE,
        data: { runId: item.runId, itemId: item.id } satisfies GenerateConversationJob,
        expireInSeconds: JOB_EXPIRE_SECONDS,
      })),
    );
  }
}

const PROCESS_BOSS_KEY = Symbol.for("brightrun.processBoss");

/**
 * Registers the pg-boss instance this process keeps running (the web server's, started with its
 * worker), so enqueueRunItemsNow reuses it instead of starting one per call. Stored on globalThis:
 * Next.js loads the instrumentation hook and the server actions as separate bundles. null unregisters.
 */
export function setProcessBoss(boss: PgBoss | null): void {
  (globalThis as unknown as Record<symbol, PgBoss | null>)[PROCESS_BOSS_KEY] = boss;
}

/**
 * Enqueues a run's items now: on the process's running pg-boss when there is one (the web
 * server), else on a short-lived instance started and stopped around the insert (the CLI).
 */
export async function enqueueRunItemsNow(handle: DatabaseHandle, items: Array<{ id: string; runId: string }>): Promise<void> {
  const running = (globalThis as unknown as Record<symbol, PgBoss | null | undefined>)[PROCESS_BOSS_KEY];
  if (running) {
    await enqueueRunItems(running, items);
    return;
  }
  const boss = await startBoss(handle);
  try {
    await enqueueRunItems(boss, items);
  } finally {
    await boss.stop({ graceful: false, wait: true, close: false } as never).catch(() => undefined);
  }
}
