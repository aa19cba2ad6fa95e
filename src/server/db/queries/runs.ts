import "server-only";
/** Generation runs and their per-call logs (FR1.2.1). */
import { and, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { isTerminalRunStatus, OPEN_RUN_STATUSES, type PauseReason, type RunStatus } from "../../../lib/run-states";
import type { DbOrTx } from "../client";
import { redactPii } from "../../../lib/redact-pii";
import { generationLogs, generationRuns, workers, workspaces, type GenerationRunRow } from "../schema";

/** Counts one finished conversation on its run (usage is added per call by addGenerationRunUsage). */
export async function incrementRunCounters({ db, id, succeeded }: { db: DbOrTx; id: string; succeeded: boolean }): Promise<void> {
  await db
    .update(generationRuns)
    .set({
      succeeded: succeeded ? sql`${generationRuns.succeeded} + 1` : generationRuns.succeeded,
      failed: succeeded ? generationRuns.failed : sql`${generationRuns.failed} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(generationRuns.id, id));
}

/** A log row; its workspace is its conversation's. */
export type GenerationLogInsert = Omit<typeof generationLogs.$inferInsert, "workspaceId"> & { conversationId: string };

/**
 * The payloads of a generation_logs row as they are written: with the workspace's `redact_pii`
 * on, e-mail addresses and phone numbers replaced (src/lib/redact-pii.ts), else as given.
 * `workspace` names the workspace by id or by the conversation the call was for.
 */
export async function payloadsForLog<T extends { requestPayload?: unknown; responsePayload?: unknown }>(
  db: DbOrTx,
  workspace: { workspaceId: string } | { conversationId: string },
  values: T,
): Promise<T> {
  const [row] =
    "workspaceId" in workspace
      ? await db.select({ redactPii: workspaces.redactPii }).from(workspaces).where(eq(workspaces.id, workspace.workspaceId))
      : await db
          .select({ redactPii: workspaces.redactPii })
          .from(workspaces)
          .where(eq(workspaces.id, sql`(select workspace_id from conversations where id = ${workspace.conversationId})`));
  if (!row?.redactPii) return values;
  return { ...values, requestPayload: redactPii(values.requestPayload), responsePayload: redactPii(values.responsePayload) };
}

/**
 * One row per LLM call, success or failure, in the workspace of the conversation it was for; its
 * payloads redacted first when the workspace asks for it (payloadsForLog).
 */
export async function insertGenerationLog({ db, values }: { db: DbOrTx; values: GenerationLogInsert }): Promise<void> {
  const written = await payloadsForLog(db, { conversationId: values.conversationId }, values);
  await db.insert(generationLogs).values({ ...written, workspaceId: sql`(select workspace_id from conversations where id = ${values.conversationId})` });
}

export type GenerationRunInsert = typeof generationRuns.$inferInsert;

/** Inserts a run row. */
export async function insertGenerationRun({ db, values }: { db: DbOrTx; values: GenerationRunInsert }): Promise<GenerationRunRow> {
  const [run] = await db.insert(generationRuns).values(values).returning();
  return run;
}

/** Sets a run's total (the items actually created). */
export async function updateGenerationRunTotal({ db, id, total }: { db: DbOrTx; id: string; total: number }): Promise<void> {
  await db.update(generationRuns).set({ total }).where(eq(generationRuns.id, id));
}

/** Deletes a run row (one that got no items). */
export async function deleteGenerationRunById({ db, id }: { db: DbOrTx; id: string }): Promise<void> {
  await db.delete(generationRuns).where(eq(generationRuns.id, id));
}

/**
 * A run with a row lock for the rest of the transaction (serialises its transitions), or null.
 * FOR NO KEY UPDATE, not FOR UPDATE: rows referencing the run (generation_logs, items) take a
 * KEY SHARE lock on it, which FOR UPDATE would conflict with (a deadlock between two stores).
 */
export async function lockGenerationRunById({ db, id }: { db: DbOrTx; id: string }): Promise<GenerationRunRow | null> {
  const rows = await db.select().from(generationRuns).where(eq(generationRuns.id, id)).for("no key update");
  return rows[0] ?? null;
}

/** A run by id, or null. */
export async function getGenerationRunById({ db, id }: { db: DbOrTx; id: string }): Promise<GenerationRunRow | null> {
  const rows = await db.select().from(generationRuns).where(eq(generationRuns.id, id));
  return rows[0] ?? null;
}

/**
 * Runs that still have work: running (or paused too, with `includePaused`), of one workspace when
 * `workspaceId` is given, else of every workspace (the engine's recovery and drivers).
 */
export async function listUnfinishedGenerationRuns({
  db,
  workspaceId,
  includePaused = false,
}: {
  db: DbOrTx;
  workspaceId?: string;
  includePaused?: boolean;
}): Promise<GenerationRunRow[]> {
  return db
    .select()
    .from(generationRuns)
    .where(
      and(
        inArray(generationRuns.status, includePaused ? OPEN_RUN_STATUSES : ["running"]),
        workspaceId === undefined ? undefined : eq(generationRuns.workspaceId, workspaceId),
      ),
    );
}

/** Sets a run's status and pause reason (null unless paused); a terminal status stamps finished_at. */
export async function updateGenerationRunStatus({
  db,
  id,
  status,
  pausedReason = null,
}: {
  db: DbOrTx;
  id: string;
  status: RunStatus;
  pausedReason?: PauseReason | null;
}): Promise<GenerationRunRow | null> {
  const rows = await db
    .update(generationRuns)
    .set({ status, pausedReason: status === "paused" ? pausedReason : null, updatedAt: sql`now()`, ...(isTerminalRunStatus(status) ? { finishedAt: sql`now()` } : {}) })
    .where(eq(generationRuns.id, id))
    .returning();
  return rows[0] ?? null;
}

/** Asks every worker to stop a run: queued items will not start and in-flight calls are aborted. */
export async function requestGenerationRunCancel({ db, id }: { db: DbOrTx; id: string }): Promise<void> {
  await db.update(generationRuns).set({ cancelRequested: true, updatedAt: sql`now()` }).where(eq(generationRuns.id, id));
}

/** Records what the rate limiter is doing, for progress displays. */
export async function updateGenerationRunThrottle({ db, id, throttle }: { db: DbOrTx; id: string; throttle: Record<string, unknown> | null }): Promise<void> {
  await db.update(generationRuns).set({ throttle }).where(eq(generationRuns.id, id));
}

/**
 * Reserves `maxUsd` of the run's spending limit for one call, atomically: it succeeds only when
 * spent + reserved + maxUsd ≤ budget (or the run has no budget). US13.1.2.
 * @returns true when reserved.
 */
export async function reserveGenerationRunBudget({ db, id, maxUsd }: { db: DbOrTx; id: string; maxUsd: number }): Promise<boolean> {
  const rows = await db
    .update(generationRuns)
    .set({ reservedUsd: sql`${generationRuns.reservedUsd} + ${maxUsd}` })
    .where(
      and(
        eq(generationRuns.id, id),
        or(isNull(generationRuns.budgetUsd), sql`${generationRuns.costUsd} + ${generationRuns.reservedUsd} + ${maxUsd} <= ${generationRuns.budgetUsd}`),
      ),
    )
    .returning({ id: generationRuns.id });
  return rows.length === 1;
}

/** Gives back a reservation once the call's real cost has been added to the run. */
export async function releaseGenerationRunBudget({ db, id, maxUsd }: { db: DbOrTx; id: string; maxUsd: number }): Promise<void> {
  await db
    .update(generationRuns)
    .set({ reservedUsd: sql`greatest(${generationRuns.reservedUsd} - ${maxUsd}, 0)` })
    .where(eq(generationRuns.id, id));
}

/** Adds usage (tokens, USD) to a run without counting a finished conversation. */
export async function addGenerationRunUsage({
  db,
  id,
  usage,
}: {
  db: DbOrTx;
  id: string;
  usage: { inputTokens: number; outputTokens: number; costUsd: number };
}): Promise<void> {
  await db
    .update(generationRuns)
    .set({
      inputTokens: sql`${generationRuns.inputTokens} + ${usage.inputTokens}`,
      outputTokens: sql`${generationRuns.outputTokens} + ${usage.outputTokens}`,
      costUsd: sql`${generationRuns.costUsd} + ${usage.costUsd}`,
    })
    .where(eq(generationRuns.id, id));
}

/** Changes a run's spending limit (null removes it). */
export async function updateGenerationRunBudget({ db, id, budgetUsd }: { db: DbOrTx; id: string; budgetUsd: number | null }): Promise<void> {
  await db.update(generationRuns).set({ budgetUsd, updatedAt: sql`now()` }).where(eq(generationRuns.id, id));
}

/** Ids of the workspace's runs still running or paused, newest first. */
export async function listUnfinishedRunIds({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<string[]> {
  const rows = await db
    .select({ id: generationRuns.id })
    .from(generationRuns)
    .where(and(eq(generationRuns.workspaceId, workspaceId), inArray(generationRuns.status, OPEN_RUN_STATUSES)))
    .orderBy(desc(generationRuns.createdAt), desc(generationRuns.id));
  return rows.map((r) => r.id);
}

/** Stores a batch run's driver state (the provider batch in flight, rounds so far). */
export async function updateGenerationRunBatchState({ db, id, batchState }: { db: DbOrTx; id: string; batchState: Record<string, unknown> | null }): Promise<void> {
  await db.update(generationRuns).set({ batchState, updatedAt: sql`now()` }).where(eq(generationRuns.id, id));
}

/** How many workers have sent a heartbeat within `staleMs` (for the web's worker health). */
export async function countLiveWorkers({ db, staleMs }: { db: DbOrTx; staleMs: number }): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(workers)
    .where(sql`${workers.lastSeenAt} > now() - make_interval(secs => ${staleMs / 1000})`);
  return rows[0]?.n ?? 0;
}
