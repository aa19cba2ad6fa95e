import "server-only";
/** The conversations of a generation run, and the workers that generate them. */
import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { conversations, emotionalArcs, generationRunItems, personas, topics, workers } from "../schema";

export const RUN_ITEM_STATES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type RunItemState = (typeof RUN_ITEM_STATES)[number];

/** Queued items of the given runs (for (re-)enqueueing their jobs). */
export async function listQueuedRunItems({ db, runIds }: { db: DbOrTx; runIds: string[] }): Promise<Array<{ id: string; runId: string }>> {
  if (!runIds.length) return [];
  return db
    .select({ id: generationRunItems.id, runId: generationRunItems.runId })
    .from(generationRunItems)
    .where(and(inArray(generationRunItems.runId, runIds), eq(generationRunItems.state, "queued")));
}

/**
 * Takes a queued item for `workerId` and moves its conversation to `generating`, atomically.
 * An item whose conversation can no longer be generated (already generated elsewhere, a seed…)
 * is closed as `cancelled`.
 * @returns the item's run and conversation ids, or null when another worker has it or it is done.
 */
export async function claimRunItem({
  db,
  id,
  workerId,
}: {
  db: DbOrTx;
  id: string;
  workerId: string;
}): Promise<{ runId: string; conversationId: string } | "not_generatable" | null> {
  const [item] = await db
    .update(generationRunItems)
    .set({ state: "running", workerId, startedAt: sql`now()` })
    .where(and(eq(generationRunItems.id, id), eq(generationRunItems.state, "queued")))
    .returning({ runId: generationRunItems.runId, conversationId: generationRunItems.conversationId });
  if (!item) return null;
  const claimed = await db
    .update(conversations)
    .set({ status: "generating", lastRunId: item.runId, generationAttempts: sql`${conversations.generationAttempts} + 1`, updatedAt: sql`now()` })
    .where(and(eq(conversations.id, item.conversationId), eq(conversations.isSeed, false), inArray(conversations.status, ["not_generated", "failed"])))
    .returning({ id: conversations.id });
  if (claimed.length === 0) {
    await db.update(generationRunItems).set({ state: "cancelled", finishedAt: sql`now()` }).where(eq(generationRunItems.id, id));
    return "not_generatable";
  }
  return item;
}

/** Closes an item. */
export async function finishRunItem({ db, id, state }: { db: DbOrTx; id: string; state: Exclude<RunItemState, "queued" | "running"> }): Promise<void> {
  await db.update(generationRunItems).set({ state, finishedAt: sql`now()` }).where(eq(generationRunItems.id, id));
}

/** Puts an item back in the queue and its conversation back to `not_generated` (cancelled call, paused run, dead worker). */
export async function requeueRunItem({ db, id }: { db: DbOrTx; id: string }): Promise<void> {
  const [item] = await db
    .update(generationRunItems)
    .set({ state: "queued", workerId: null, startedAt: null })
    .where(eq(generationRunItems.id, id))
    .returning({ conversationId: generationRunItems.conversationId });
  if (item) {
    await db
      .update(conversations)
      .set({ status: "not_generated", updatedAt: sql`now()` })
      .where(and(eq(conversations.id, item.conversationId), eq(conversations.status, "generating")));
  }
}

/** Cancels every item of a run that has not started, and returns their conversations to `not_generated`. */
export async function cancelQueuedRunItems({ db, runId }: { db: DbOrTx; runId: string }): Promise<number> {
  const rows = await db
    .update(generationRunItems)
    .set({ state: "cancelled", finishedAt: sql`now()` })
    .where(and(eq(generationRunItems.runId, runId), eq(generationRunItems.state, "queued")))
    .returning({ id: generationRunItems.id });
  return rows.length;
}

/** Item counts of a run by state. */
export async function countRunItemsByState({ db, runId }: { db: DbOrTx; runId: string }): Promise<Record<RunItemState, number>> {
  const rows = await db
    .select({ state: generationRunItems.state, n: sql<number>`count(*)::int` })
    .from(generationRunItems)
    .where(eq(generationRunItems.runId, runId))
    .groupBy(generationRunItems.state);
  const out: Record<RunItemState, number> = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
  for (const r of rows) out[r.state as RunItemState] = r.n;
  return out;
}

/** What a run is generating right now: conversation id with persona, emotion and topic names (FR4.2.2). */
export async function listRunningRunItems({ db, runId }: { db: DbOrTx; runId: string }) {
  return db
    .select({
      conversationId: conversations.conversationId,
      persona: personas.name,
      emotion: emotionalArcs.name,
      topic: topics.name,
      startedAt: generationRunItems.startedAt,
    })
    .from(generationRunItems)
    .innerJoin(conversations, eq(conversations.id, generationRunItems.conversationId))
    .innerJoin(personas, eq(personas.key, conversations.persona))
    .innerJoin(emotionalArcs, eq(emotionalArcs.key, conversations.emotion))
    .innerJoin(topics, eq(topics.key, conversations.topic))
    .where(and(eq(generationRunItems.runId, runId), eq(generationRunItems.state, "running")));
}

/**
 * The run's most recently closed conversations (succeeded or failed), newest first, for the
 * progress panel's ✓ / ✗ list (US1.2.2). `limit` rows at most.
 */
export async function listRecentlyFinishedRunItems({ db, runId, limit }: { db: DbOrTx; runId: string; limit: number }) {
  return db
    .select({
      conversationId: conversations.conversationId,
      state: generationRunItems.state,
      qualityScore: conversations.qualityScore,
      finishedAt: generationRunItems.finishedAt,
    })
    .from(generationRunItems)
    .innerJoin(conversations, eq(conversations.id, generationRunItems.conversationId))
    .where(and(eq(generationRunItems.runId, runId), inArray(generationRunItems.state, ["succeeded", "failed"])))
    .orderBy(desc(generationRunItems.finishedAt))
    .limit(limit);
}

/** Registers a worker or refreshes its heartbeat. */
export async function upsertWorkerHeartbeat({ db, id, hostname, pid }: { db: DbOrTx; id: string; hostname: string; pid: number }): Promise<void> {
  await db
    .insert(workers)
    .values({ id, hostname, pid })
    .onConflictDoUpdate({ target: workers.id, set: { lastSeenAt: sql`now()` } });
}

/** Removes a worker that stopped cleanly. */
export async function deleteWorkerById({ db, id }: { db: DbOrTx; id: string }): Promise<void> {
  await db.delete(workers).where(eq(workers.id, id));
}

/**
 * Items left `running` by a worker that is gone: no heartbeat for `staleMs`, or no worker row at
 * all; `exceptWorkerId` (the caller) is never considered dead.
 */
export async function listOrphanedRunItems({ db, staleMs, exceptWorkerId }: { db: DbOrTx; staleMs: number; exceptWorkerId: string }): Promise<Array<{ id: string; runId: string }>> {
  const alive = db
    .select({ id: workers.id })
    .from(workers)
    .where(sql`${workers.lastSeenAt} > now() - make_interval(secs => ${staleMs / 1000})`);
  return db
    .select({ id: generationRunItems.id, runId: generationRunItems.runId })
    .from(generationRunItems)
    .where(
      and(
        eq(generationRunItems.state, "running"),
        sql`${generationRunItems.workerId} is distinct from ${exceptWorkerId}`,
        sql`(${generationRunItems.workerId} is null or ${generationRunItems.workerId} not in (${alive}))`,
      ),
    );
}

/** Forgets workers silent for longer than `staleMs`. */
export async function deleteStaleWorkers({ db, staleMs }: { db: DbOrTx; staleMs: number }): Promise<void> {
  await db.delete(workers).where(lt(workers.lastSeenAt, sql`now() - make_interval(secs => ${staleMs / 1000})`));
}

/** Every registered worker. */
export async function listWorkers({ db }: { db: DbOrTx }) {
  return db.select().from(workers);
}
