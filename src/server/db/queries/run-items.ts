import "server-only";
/**
 * The conversations of a generation run (items) and the workers that generate them. Only SQL:
 * which change is allowed when is decided by the run machine (src/server/runs/run-machine.ts),
 * which calls these inside its transactions.
 */
import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import { GENERATABLE_STATUSES } from "../../../lib/constants";
import { OPEN_RUN_ITEM_STATES, type RunItemState } from "../../../lib/run-states";
import type { DbOrTx } from "../client";
import { conversations, emotionalArcs, generationRunItems, generationRuns, personas, topics, workers } from "../schema";

export type { RunItemState } from "../../../lib/run-states";

/**
 * Inserts queued items; a conversation that already has an open item (in any run) is left out
 * (the partial unique index generation_run_items_open_conversation_unique decides, so two runs
 * started at the same moment cannot both take one conversation).
 * @returns the items inserted
 */
export async function insertRunItems({
  db,
  items,
}: {
  db: DbOrTx;
  items: Array<{ runId: string; conversationId: string; jobId: string | null }>;
}): Promise<Array<{ id: string; conversationId: string; jobId: string | null }>> {
  const out: Array<{ id: string; conversationId: string; jobId: string | null }> = [];
  for (let i = 0; i < items.length; i += 1000) {
    const rows = await db
      .insert(generationRunItems)
      .values(items.slice(i, i + 1000))
      .onConflictDoNothing({ target: generationRunItems.conversationId, where: inArray(generationRunItems.state, OPEN_RUN_ITEM_STATES) })
      .returning({ id: generationRunItems.id, conversationId: generationRunItems.conversationId, jobId: generationRunItems.jobId });
    out.push(...rows);
  }
  return out;
}

/** Open items (queued or running) of the given conversations, with their run's status, for "already waiting in run …" reasons. */
export async function listOpenRunItemsByConversationIds({ db, conversationIds }: { db: DbOrTx; conversationIds: string[] }) {
  if (!conversationIds.length) return [];
  const out: Array<{ conversationId: string; runId: string; runStatus: string }> = [];
  for (let i = 0; i < conversationIds.length; i += 5000) {
    const rows = await db
      .select({ conversationId: generationRunItems.conversationId, runId: generationRunItems.runId, runStatus: generationRuns.status })
      .from(generationRunItems)
      .innerJoin(generationRuns, eq(generationRuns.id, generationRunItems.runId))
      .where(and(inArray(generationRunItems.conversationId, conversationIds.slice(i, i + 5000)), inArray(generationRunItems.state, OPEN_RUN_ITEM_STATES)));
    out.push(...rows);
  }
  return out;
}

/** An item, or null. */
export async function getRunItemById({ db, id }: { db: DbOrTx; id: string }) {
  const rows = await db.select().from(generationRunItems).where(eq(generationRunItems.id, id));
  return rows[0] ?? null;
}

/** An item with a row lock for the rest of the transaction, or null. */
export async function lockRunItemById({ db, id }: { db: DbOrTx; id: string }) {
  const rows = await db.select().from(generationRunItems).where(eq(generationRunItems.id, id)).for("no key update");
  return rows[0] ?? null;
}

/** Marks an item running for `workerId`. */
export async function markRunItemRunning({ db, id, workerId }: { db: DbOrTx; id: string; workerId: string }): Promise<void> {
  await db.update(generationRunItems).set({ state: "running", workerId, startedAt: sql`now()` }).where(eq(generationRunItems.id, id));
}

/**
 * Closes a running item held by `workerId` (the fence: a worker that lost its item to recovery
 * cannot close it). @returns true when closed.
 */
export async function closeHeldRunItem({
  db,
  id,
  workerId,
  state,
  note = null,
}: {
  db: DbOrTx;
  id: string;
  workerId: string;
  state: Exclude<RunItemState, "queued" | "running">;
  note?: string | null;
}): Promise<boolean> {
  const rows = await db
    .update(generationRunItems)
    .set({ state, note, jobId: null, finishedAt: sql`now()` })
    .where(and(eq(generationRunItems.id, id), eq(generationRunItems.workerId, workerId), eq(generationRunItems.state, "running")))
    .returning({ id: generationRunItems.id });
  return rows.length === 1;
}

/** Closes an item whatever holds it (cancel, a conversation that cannot be generated). */
export async function closeRunItem({ db, id, state, note = null }: { db: DbOrTx; id: string; state: Exclude<RunItemState, "queued" | "running">; note?: string | null }): Promise<void> {
  await db.update(generationRunItems).set({ state, note, jobId: null, finishedAt: sql`now()` }).where(eq(generationRunItems.id, id));
}

/** Puts an item back to queued with the job that will take it (null while its run is paused). */
export async function requeueRunItem({ db, id, jobId }: { db: DbOrTx; id: string; jobId: string | null }): Promise<void> {
  await db.update(generationRunItems).set({ state: "queued", jobId, workerId: null, startedAt: null }).where(eq(generationRunItems.id, id));
}

/** Queued items of a run: with a job (`withJob: true`) or without one (`withJob: false`), or all. */
export async function listQueuedRunItems({ db, runId, withJob }: { db: DbOrTx; runId: string; withJob?: boolean }) {
  return db
    .select({ id: generationRunItems.id, conversationId: generationRunItems.conversationId, jobId: generationRunItems.jobId })
    .from(generationRunItems)
    .where(
      and(
        eq(generationRunItems.runId, runId),
        eq(generationRunItems.state, "queued"),
        withJob === undefined ? undefined : withJob ? isNotNull(generationRunItems.jobId) : isNull(generationRunItems.jobId),
      ),
    )
    .orderBy(asc(generationRunItems.id));
}

/** Sets the job ids of items (after creating their jobs). */
export async function setRunItemJobIds({ db, jobs }: { db: DbOrTx; jobs: Array<{ itemId: string; jobId: string | null }> }): Promise<void> {
  for (let i = 0; i < jobs.length; i += 1000) {
    const chunk = jobs.slice(i, i + 1000);
    await db.execute(sql`
      update generation_run_items as i set job_id = v.job_id::uuid
      from (values ${sql.join(
        chunk.map((j) => sql`(${j.itemId}::uuid, ${j.jobId})`),
        sql`, `,
      )}) as v(id, job_id)
      where i.id = v.id`);
  }
}

/** Closes every queued item of a run as cancelled. @returns their job ids (to cancel) */
export async function cancelQueuedRunItems({ db, runId, note }: { db: DbOrTx; runId: string; note: string }): Promise<string[]> {
  const rows = await db
    .update(generationRunItems)
    .set({ state: "cancelled", note, finishedAt: sql`now()` })
    .where(and(eq(generationRunItems.runId, runId), eq(generationRunItems.state, "queued")))
    .returning({ jobId: generationRunItems.jobId });
  return rows.map((r) => r.jobId).filter((id): id is string => id !== null);
}

/** Clears the job ids of a run's queued items (their jobs are being cancelled). @returns the job ids they had */
export async function detachQueuedRunItemJobs({ db, runId }: { db: DbOrTx; runId: string }): Promise<string[]> {
  const waiting = and(eq(generationRunItems.runId, runId), eq(generationRunItems.state, "queued"), isNotNull(generationRunItems.jobId));
  // RETURNING gives the new (null) value, so read the ids first; the caller holds the run's lock.
  const rows = await db.select({ jobId: generationRunItems.jobId }).from(generationRunItems).where(waiting);
  await db.update(generationRunItems).set({ jobId: null }).where(waiting);
  return rows.map((r) => r.jobId as string);
}

/** Whether a run still has an open (queued or running) item; one index probe. */
export async function hasOpenRunItems({ db, runId }: { db: DbOrTx; runId: string }): Promise<boolean> {
  const rows = await db
    .select({ id: generationRunItems.id })
    .from(generationRunItems)
    .where(and(eq(generationRunItems.runId, runId), inArray(generationRunItems.state, OPEN_RUN_ITEM_STATES)))
    .limit(1);
  return rows.length > 0;
}

/** Item counts of a run by state. */
export async function countRunItemsByState({ db, runId }: { db: DbOrTx; runId: string }): Promise<Record<RunItemState, number>> {
  const rows = await db
    .select({ state: generationRunItems.state, n: sql<number>`count(*)::int` })
    .from(generationRunItems)
    .where(eq(generationRunItems.runId, runId))
    .groupBy(generationRunItems.state);
  const out: Record<RunItemState, number> = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
  for (const r of rows) out[r.state] = r.n;
  return out;
}

/**
 * Moves a conversation to `generating` for a run if it may be generated (not generated or
 * failed, not a seed). @returns true when moved
 */
export async function markConversationGenerating({ db, id, runId }: { db: DbOrTx; id: string; runId: string }): Promise<boolean> {
  const rows = await db
    .update(conversations)
    .set({ status: "generating", lastRunId: runId, generationAttempts: sql`${conversations.generationAttempts} + 1`, updatedAt: sql`now()` })
    .where(and(eq(conversations.id, id), eq(conversations.isSeed, false), inArray(conversations.status, GENERATABLE_STATUSES)))
    .returning({ id: conversations.id });
  return rows.length === 1;
}

/** A conversation left `generating` by an item that did not finish goes back to `not_generated`. */
export async function releaseGeneratingConversation({ db, id }: { db: DbOrTx; id: string }): Promise<void> {
  await db
    .update(conversations)
    .set({ status: "not_generated", updatedAt: sql`now()` })
    .where(and(eq(conversations.id, id), eq(conversations.status, "generating")));
}

/** A conversation's status and human id, or null. */
export async function getConversationStatusById({ db, id }: { db: DbOrTx; id: string }) {
  const rows = await db.select({ status: conversations.status, conversationId: conversations.conversationId }).from(conversations).where(eq(conversations.id, id));
  return rows[0] ?? null;
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
export async function upsertWorkerHeartbeat({ db, id, hostname, pid, concurrency }: { db: DbOrTx; id: string; hostname: string; pid: number; concurrency: number }): Promise<void> {
  await db
    .insert(workers)
    .values({ id, hostname, pid, concurrency })
    .onConflictDoUpdate({ target: workers.id, set: { lastSeenAt: sql`now()` } });
}

/** Removes a worker that stopped cleanly (or was found dead). */
export async function deleteWorkerById({ db, id }: { db: DbOrTx; id: string }): Promise<void> {
  await db.delete(workers).where(eq(workers.id, id));
}

/** Workers with a heartbeat within `staleMs`. */
export async function listLiveWorkers({ db, staleMs }: { db: DbOrTx; staleMs: number }) {
  return db
    .select()
    .from(workers)
    .where(sql`${workers.lastSeenAt} > now() - make_interval(secs => ${staleMs / 1000})`);
}

/** Every registered worker. */
export async function listWorkers({ db }: { db: DbOrTx }) {
  return db.select().from(workers);
}

/** Forgets workers silent for longer than `staleMs`. */
export async function deleteStaleWorkers({ db, staleMs }: { db: DbOrTx; staleMs: number }): Promise<void> {
  await db.delete(workers).where(lt(workers.lastSeenAt, sql`now() - make_interval(secs => ${staleMs / 1000})`));
}

/**
 * Running items of live runs held by none of `liveWorkerIds` (their worker is gone), with their
 * job, run and conversation; `runId` narrows to one run. (A batch run's items are held by its
 * batch, whatever worker drives it.)
 */
export async function listAbandonedRunItems({ db, liveWorkerIds, runId }: { db: DbOrTx; liveWorkerIds: string[]; runId?: string }) {
  return db
    .select({ id: generationRunItems.id, runId: generationRunItems.runId, conversationId: generationRunItems.conversationId, jobId: generationRunItems.jobId, workerId: generationRunItems.workerId })
    .from(generationRunItems)
    .innerJoin(generationRuns, eq(generationRuns.id, generationRunItems.runId))
    .where(
      and(
        eq(generationRuns.kind, "live"),
        eq(generationRunItems.state, "running"),
        runId ? eq(generationRunItems.runId, runId) : undefined,
        liveWorkerIds.length ? sql`(${generationRunItems.workerId} is null or ${generationRunItems.workerId} not in (${sql.join(liveWorkerIds.map((id) => sql`${id}`), sql`, `)}))` : undefined,
      ),
    );
}
