import "server-only";
/**
 * The generation run state machine (docs/engine.md has the diagram). Every transition is one named
 * function and one transaction over the run row (locked), its items, their conversations and their
 * pg-boss jobs, so what is stored is always a state the machine allows:
 *
 *   run:  running ⇄ paused → completed | completed_with_failures | failed | cancelled
 *   item: queued → running → succeeded | failed | cancelled;  running → queued (recovery, pause)
 *
 * Invariants (tested): a queued item of a running live run has a job that will take it; a queued
 * item of a paused run has none until resume creates it; a conversation has at most one open item;
 * a conversation is `generating` exactly while its item is running; a run's final status is
 * decided once (decideFinalRunStatus) when its last open item closes.
 */
import { randomUUID } from "node:crypto";
import { AppError } from "../../core/errors";
import { isJudgeableStatus, resolveJudgeSelection, resolveSelection, type GenerationSelection, type SkippedConversation } from "../../core/generation/resolve-selection";
import type { ProviderName } from "../../lib/constants";
import { decideFinalRunStatus, isTerminalRunStatus, MAX_RUN_CONCURRENCY, RUN_STATUS_LABELS, type PauseReason, type RunKind, type RunPurpose } from "../../lib/run-states";
import type { Database, DbOrTx } from "../db/client";
import {
  cancelQueuedRunItems,
  closeHeldRunItem,
  closeRunItem,
  countRunItemsByState,
  detachQueuedRunItemJobs,
  getConversationStatusById,
  getRunItemById,
  hasOpenRunItems,
  insertRunItems,
  listAbandonedRunItems,
  listOpenRunItemsByConversationIds,
  listQueuedRunItems,
  lockRunItemById,
  markConversationGenerating,
  markRunItemRunning,
  releaseGeneratingConversation,
  requeueRunItem,
  setRunItemJobIds,
} from "../db/queries/run-items";
import { markConversationFailed } from "../db/queries/conversations";
import {
  deleteGenerationRunById,
  incrementRunCounters,
  getGenerationRunById,
  insertGenerationRun,
  lockGenerationRunById,
  requestGenerationRunCancel,
  updateGenerationRunBatchState,
  updateGenerationRunBudget,
  updateGenerationRunStatus,
  updateGenerationRunTotal,
} from "../db/queries/runs";
import type { GenerationRunRow } from "../db/schema";
import type { ConfiguredRateLimits } from "./rate-limit-setting";
import { notifyRunTransition } from "../email/run-notification";
import { cancelJobs, completeJob, DRIVE_BATCH_RUN_QUEUE, failJobs, GENERATE_CONVERSATION_QUEUE, sendBatchStepJob, sendGenerateJobs } from "./queue";

/** What a new run is: its selection, how it is driven, with what, and its limits. */
export interface StartRunInput {
  /** The workspace whose conversations the run generates (the selection is read inside it). */
  workspaceId: string;
  selection: GenerationSelection;
  kind: RunKind;
  provider: ProviderName;
  model: string;
  userId: string;
  /** Requests of this run to the model in flight at the same time (1-64), as the user chose. */
  concurrency: number;
  /** Spending limit in USD; null = none. */
  budgetUsd?: number | null;
  estimate?: Record<string, unknown> | null;
  rateLimits?: ConfiguredRateLimits | null;
  /** How the user asked ("selected", "tier", "all_not_generated", "all_failed"…), kept in the run's selection JSON. */
  scope?: string;
  /** "generate" (default) or "judge": judge already generated conversations (their turns and status are kept). */
  purpose?: RunPurpose;
  /**
   * The judge model on the run's provider: a generate run judges each conversation it generates
   * with it; a judge run judges with it (and `model` should be the same). Null/absent = no judge.
   */
  judgeModel?: string | null;
  /** The user to e-mail when the run finishes, pauses on a spending limit or fails ("E-mail me when it finishes"); null/absent = nobody. */
  notifyUserId?: string | null;
}

export interface StartedRun {
  run: GenerationRunRow | null;
  /** Selected conversations that were not put in the run, with why. */
  skipped: SkippedConversation[];
}

/** @throws AppError "selection_invalid" unless 1 ≤ concurrency ≤ 64 and whole. */
export function checkRunConcurrency(concurrency: number): number {
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_RUN_CONCURRENCY) {
    throw new AppError("selection_invalid", `Concurrency must be a whole number from 1 to ${MAX_RUN_CONCURRENCY} (got ${concurrency}).`);
  }
  return concurrency;
}

function scopeOf(selection: GenerationSelection): string {
  if (selection.ids?.length) return selection.ids.length === 1 ? "single" : "selected";
  if (selection.status?.length === 1 && selection.status[0] === "failed") return "all_failed";
  if (selection.tier?.length) return "tier";
  return "all_not_generated";
}

/**
 * start: creates a running run with one queued item per selected conversation that can be
 * generated and is not already waiting in another run, and the jobs that will take them (one per
 * item for a live run, the first driver step for a batch run), all in one transaction.
 * @returns the run (null when nothing can be generated) and the skipped conversations with why
 * @throws AppError "selection_invalid" (empty selection, unknown ids, bad concurrency)
 */
export async function startRun({ db, input }: { db: Database; input: StartRunInput }): Promise<StartedRun> {
  const concurrency = checkRunConcurrency(input.concurrency);
  const purpose = input.purpose ?? "generate";
  if (purpose === "judge" && !input.judgeModel) throw new AppError("selection_invalid", "A judge run needs a judge model (--model, or BRIGHTRUN_JUDGE).");
  if (input.kind === "batch" && input.judgeModel) {
    throw new AppError("selection_invalid", "Batch runs cannot judge their conversations yet: start the batch run without the judge (--no-judge), then judge its conversations with `brightrun judge`.");
  }
  return db.transaction(async (tx) => {
    const { chosen, skipped } = purpose === "judge" ? await resolveJudgeSelection({ db: tx, workspaceId: input.workspaceId, selection: input.selection })
        : await resolveSelection({ db: tx, workspaceId: input.workspaceId, selection: input.selection });
    const open = new Map((await listOpenRunItemsByConversationIds({ db: tx, conversationIds: chosen.map((c) => c.id) })).map((o) => [o.conversationId, o]));
    const free = chosen.filter((c) => {
      const other = open.get(c.id);
      if (!other) return true;
      skipped.push({
        conversationId: c.conversationId,
        waitingInRunId: other.runId,
        reason: `it is already waiting in run ${other.runId} (${RUN_STATUS_LABELS[other.runStatus as keyof typeof RUN_STATUS_LABELS]?.toLowerCase() ?? other.runStatus}); ${other.runStatus === "paused" ? "resume or cancel that run" : "that run will generate it"}`,
      });
      return false;
    });
    if (!free.length) return { run: null, skipped };
    const run = await insertGenerationRun({
      db: tx,
      values: {
        workspaceId: input.workspaceId,
        kind: input.kind,
        purpose,
        judgeModel: input.judgeModel ?? null,
        status: "running",
        provider: input.provider,
        model: input.model,
        concurrency,
        total: free.length,
        selection: { ...input.selection, scope: input.scope ?? (purpose === "judge" ? "judge" : scopeOf(input.selection)) },
        createdBy: input.userId,
        notifyUserId: input.notifyUserId ?? null,
        budgetUsd: input.budgetUsd ?? null,
        estimate: input.estimate ?? null,
        rateLimits: (input.rateLimits as Record<string, unknown> | null | undefined) ?? null,
      },
    });
    const live = input.kind === "live";
    const items = await insertRunItems({ db: tx, items: free.map((c) => ({ runId: run.id, conversationId: c.id, jobId: live ? randomUUID() : null })) });
    if (!items.length) {
      // Another run took every one of them in the meantime.
      await deleteGenerationRunById({ db: tx, id: run.id });
      return { run: null, skipped: [...skipped, ...free.map((c) => ({ conversationId: c.conversationId, reason: "another run started with it a moment ago" }))] };
    }
    if (items.length !== free.length) {
      const taken = new Set(items.map((i) => i.conversationId));
      for (const c of free) if (!taken.has(c.id)) skipped.push({ conversationId: c.conversationId, reason: "another run started with it a moment ago" });
      await updateGenerationRunTotal({ db: tx, id: run.id, total: items.length });
      run.total = items.length;
    }
    if (live) await sendGenerateJobs(tx, items.map((i) => ({ jobId: i.jobId as string, runId: run.id, itemId: i.id })));
    else await startBatchDriver(tx, run.id, 0);
    return { run, skipped };
  });
}

async function startBatchDriver(tx: DbOrTx, runId: string, delayMs: number): Promise<void> {
  const jobId = randomUUID();
  const run = await getGenerationRunById({ db: tx, id: runId });
  await updateGenerationRunBatchState({ db: tx, id: runId, batchState: { ...(run?.batchState ?? {}), jobId } });
  await sendBatchStepJob(tx, { jobId, runId, delayMs });
}

/** What a worker gets when it takes a job. */
export type ClaimResult =
  | { claimed: true; run: GenerationRunRow; conversationId: string }
  | { claimed: false; why: "stale_job" | "run_closed" | "run_paused" | "not_generatable" };

/**
 * claim: a worker takes a live item for the job it fetched. The job's item must be queued and
 * bound to this job; its run must be running (a paused run's item is parked: back to queued with
 * no job; a cancelled run's item is closed); its conversation must still be generatable (else
 * the item is closed as cancelled with the reason). Whenever nothing is claimed the job is
 * completed in the same transaction.
 */
export async function claimItem({ db, itemId, jobId, workerId }: { db: Database; itemId: string; jobId: string; workerId: string }): Promise<ClaimResult> {
  return db.transaction(async (tx) => {
    // Lock order everywhere: the run, then its item.
    const probe = await getRunItemById({ db: tx, id: itemId });
    const run = probe ? await lockGenerationRunById({ db: tx, id: probe.runId }) : null;
    const item = await lockRunItemById({ db: tx, id: itemId });
    if (!run || !item || item.state !== "queued" || item.jobId !== jobId) {
      await completeJob(tx, GENERATE_CONVERSATION_QUEUE, jobId);
      return { claimed: false, why: "stale_job" } as const;
    }
    if (run.cancelRequested || isTerminalRunStatus(run.status)) {
      await closeRunItem({ db: tx, id: itemId, state: "cancelled", note: "the run was cancelled" });
      await completeJob(tx, GENERATE_CONVERSATION_QUEUE, jobId);
      await finishRunIfDone(tx, run.id);
      return { claimed: false, why: "run_closed" } as const;
    }
    if (run.status === "paused") {
      await requeueRunItem({ db: tx, id: itemId, jobId: null });
      await completeJob(tx, GENERATE_CONVERSATION_QUEUE, jobId);
      return { claimed: false, why: "run_paused" } as const;
    }
    if (run.purpose === "judge") {
      // A judge run reads the conversation and stores a verdict beside its score; its status is not touched.
      const conversation = await getConversationStatusById({ db: tx, id: item.conversationId });
      if (!conversation || !isJudgeableStatus(conversation.status)) {
        await closeRunItem({ db: tx, id: itemId, state: "cancelled", note: `it is ${(conversation?.status ?? "deleted").replace("_", " ")}; only generated, approved or rejected conversations are judged` });
        await completeJob(tx, GENERATE_CONVERSATION_QUEUE, jobId);
        await finishRunIfDone(tx, run.id);
        return { claimed: false, why: "not_generatable" } as const;
      }
      await markRunItemRunning({ db: tx, id: itemId, workerId });
      return { claimed: true, run, conversationId: item.conversationId } as const;
    }
    if (!(await markConversationGenerating({ db: tx, id: item.conversationId, runId: run.id }))) {
      const conversation = await getConversationStatusById({ db: tx, id: item.conversationId });
      await closeRunItem({ db: tx, id: itemId, state: "cancelled", note: `it is already ${(conversation?.status ?? "deleted").replace("_", " ")}` });
      await completeJob(tx, GENERATE_CONVERSATION_QUEUE, jobId);
      await finishRunIfDone(tx, run.id);
      return { claimed: false, why: "not_generatable" } as const;
    }
    await markRunItemRunning({ db: tx, id: itemId, workerId });
    return { claimed: true, run, conversationId: item.conversationId } as const;
  });
}

/** Thrown inside a finish transaction when the item is no longer this worker's (it was recovered meanwhile). */
export class ItemLostError extends AppError {
  constructor(itemId: string) {
    super("item_lost", `This worker no longer holds item ${itemId} (it was handed to another worker); its result is discarded.`, { retryable: false });
  }
}

/**
 * finish: closes a running item as succeeded or failed inside the transaction that stores its
 * conversation (the core calls this from its store / fail transaction), completes its job, and
 * decides the run's final status when it was the last open item.
 * @throws ItemLostError when `workerId` no longer holds the item — the caller's transaction then
 *   rolls back, so a worker that lost its item to recovery stores nothing
 */
export async function finishItem(tx: DbOrTx, { itemId, runId, jobId, workerId, succeeded }: { itemId: string; runId: string; jobId: string; workerId: string; succeeded: boolean }): Promise<void> {
  await lockGenerationRunById({ db: tx, id: runId });
  if (!(await closeHeldRunItem({ db: tx, id: itemId, workerId, state: succeeded ? "succeeded" : "failed" }))) throw new ItemLostError(itemId);
  await completeJob(tx, GENERATE_CONVERSATION_QUEUE, jobId);
  await finishRunIfDone(tx, runId);
}

/**
 * interrupt: a running item stops without a result. `cancelled` (the run was cancelled, or the
 * worker is shutting down for good): the item closes as cancelled. `spending_limit` /
 * `provider_spend_limit`: the run pauses with that reason, the item goes back to queued without a
 * job and every other queued item's job is cancelled; resume creates them again. `shutdown` (the
 * worker stops before the call ends): the item goes back to queued with a new job for the next worker.
 * The conversation goes back to not generated. Its job is completed (or failed) in the same transaction.
 */
export async function interruptItem({
  db,
  itemId,
  runId,
  jobId,
  workerId,
  reason,
}: {
  db: Database;
  itemId: string;
  runId: string;
  jobId: string;
  workerId: string;
  reason: "cancelled" | "shutdown" | Exclude<PauseReason, "user">;
}): Promise<void> {
  await db.transaction(async (tx) => {
    const run = await lockGenerationRunById({ db: tx, id: runId });
    const item = await lockRunItemById({ db: tx, id: itemId });
    if (!run || !item || item.state !== "running" || item.workerId !== workerId) return;
    await releaseGeneratingConversation({ db: tx, id: item.conversationId });
    if (reason === "cancelled") {
      await closeRunItem({ db: tx, id: itemId, state: "cancelled", note: "the run was cancelled" });
      await completeJob(tx, GENERATE_CONVERSATION_QUEUE, jobId);
      await finishRunIfDone(tx, runId);
      return;
    }
    if (reason === "shutdown") {
      // A fresh job, so a clean stop does not use up one of the job's recovery retries.
      await completeJob(tx, GENERATE_CONVERSATION_QUEUE, jobId);
      await requeueRunItem({ db: tx, id: itemId, jobId: null });
      if (run.status === "running") await recreateJobsForQueuedItems(tx, runId);
      return;
    }
    await requeueRunItem({ db: tx, id: itemId, jobId: null });
    await completeJob(tx, GENERATE_CONVERSATION_QUEUE, jobId);
    if (run.status === "running") {
      await updateGenerationRunStatus({ db: tx, id: runId, status: "paused", pausedReason: reason });
      await cancelJobs(tx, GENERATE_CONVERSATION_QUEUE, await detachQueuedRunItemJobs({ db: tx, runId }));
      await notifyRunTransition(tx, { runId, event: reason === "spending_limit" ? "paused_spending_limit" : "paused_provider_limit" });
    }
  });
}

/**
 * release: a running item whose work threw (a database error, say) goes back to queued with its
 * own job, which is failed so pg-boss retries it with backoff (or fails it for good when its
 * retries are used up; then the item is failed with `finalError`). The conversation goes back to
 * not generated (or failed).
 */
export async function releaseItem({
  db,
  itemId,
  runId,
  jobId,
  workerId,
  error,
  lastAttempt,
}: {
  db: Database;
  itemId: string;
  runId: string;
  jobId: string;
  workerId: string;
  error: Error;
  lastAttempt: boolean;
}): Promise<void> {
  await db.transaction(async (tx) => {
    await lockGenerationRunById({ db: tx, id: runId });
    const item = await lockRunItemById({ db: tx, id: itemId });
    if (!item || item.state !== "running" || item.workerId !== workerId) return;
    if (lastAttempt) {
      await failStrandedItem(tx, { itemId, runId, conversationId: item.conversationId, message: `An internal error stopped this conversation several times: ${error.message}. Try generating it again; if it keeps failing, report it with this message.` });
      await completeJob(tx, GENERATE_CONVERSATION_QUEUE, jobId);
      return;
    }
    await releaseGeneratingConversation({ db: tx, id: item.conversationId });
    await requeueRunItem({ db: tx, id: itemId, jobId });
    await failJobs(tx, GENERATE_CONVERSATION_QUEUE, [jobId], error.message);
  });
}

/**
 * Marks an item and its conversation failed with an internal error (its job is out of retries).
 * A judge run's conversation is not touched (it stays generated; only its item fails).
 */
async function failStrandedItem(tx: DbOrTx, { itemId, runId, conversationId, message }: { itemId: string; runId: string; conversationId: string; message: string }): Promise<void> {
  const run = await getGenerationRunById({ db: tx, id: runId });
  if (run?.purpose === "judge") {
    await incrementRunCounters({ db: tx, id: runId, succeeded: false });
    await closeRunItem({ db: tx, id: itemId, state: "failed", note: message });
    await finishRunIfDone(tx, runId);
    return;
  }
  await markConversationFailed({
    db: tx,
    id: conversationId,
    error: { code: "internal_error", message, retryable: true, detail: {} },
    rawReply: null,
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0, provider: (await getGenerationRunById({ db: tx, id: runId }))?.provider ?? "simulated", model: "" },
  });
  await incrementRunCounters({ db: tx, id: runId, succeeded: false });
  await closeRunItem({ db: tx, id: itemId, state: "failed", note: message });
  await finishRunIfDone(tx, runId);
}

/**
 * recover: running items whose worker is gone (not in `liveWorkerIds`) go back to queued with
 * their job, which is failed so pg-boss hands it to a live worker (an item whose job has no
 * retries left is failed with the reason instead). Their conversations go back to not generated.
 * @param jobsOutOfRetries job ids pg-boss would not retry again (retry_count ≥ retry_limit)
 * @returns how many items were recovered
 */
export async function recoverAbandonedItems({
  db,
  liveWorkerIds,
  jobsOutOfRetries = new Set<string>(),
  runId,
}: {
  db: Database;
  liveWorkerIds: string[];
  jobsOutOfRetries?: Set<string>;
  runId?: string;
}): Promise<number> {
  const abandoned = await listAbandonedRunItems({ db, liveWorkerIds, runId });
  for (const item of abandoned) {
    await db.transaction(async (tx) => {
      const run = await lockGenerationRunById({ db: tx, id: item.runId });
      const current = await lockRunItemById({ db: tx, id: item.id });
      if (!run || !current || current.state !== "running" || current.workerId !== item.workerId) return;
      if (run.cancelRequested) {
        await releaseGeneratingConversation({ db: tx, id: item.conversationId });
        await closeRunItem({ db: tx, id: item.id, state: "cancelled", note: "the run was cancelled" });
        if (item.jobId) await completeJob(tx, GENERATE_CONVERSATION_QUEUE, item.jobId);
        await finishRunIfDone(tx, item.runId);
        return;
      }
      if (item.jobId && jobsOutOfRetries.has(item.jobId)) {
        await failStrandedItem(tx, { itemId: item.id, runId: item.runId, conversationId: item.conversationId, message: "The worker generating this conversation stopped several times before finishing it. Try generating it again." });
        await completeJob(tx, GENERATE_CONVERSATION_QUEUE, item.jobId);
        return;
      }
      await releaseGeneratingConversation({ db: tx, id: item.conversationId });
      if (run.status === "paused" || !item.jobId) {
        await requeueRunItem({ db: tx, id: item.id, jobId: null });
        if (item.jobId) await completeJob(tx, GENERATE_CONVERSATION_QUEUE, item.jobId);
        if (run.status === "running") await recreateJobsForQueuedItems(tx, item.runId);
        return;
      }
      await requeueRunItem({ db: tx, id: item.id, jobId: item.jobId });
      await failJobs(tx, GENERATE_CONVERSATION_QUEUE, [item.jobId], "the worker holding it stopped");
    });
  }
  return abandoned.length;
}

/** Creates a job for every queued item of a live run that has none. @returns how many */
async function recreateJobsForQueuedItems(tx: DbOrTx, runId: string): Promise<number> {
  const waiting = await listQueuedRunItems({ db: tx, runId, withJob: false });
  const jobs = waiting.map((item) => ({ itemId: item.id, jobId: randomUUID() }));
  await setRunItemJobIds({ db: tx, jobs });
  await sendGenerateJobs(tx, jobs.map((j) => ({ jobId: j.jobId, runId, itemId: j.itemId })));
  return jobs.length;
}

/**
 * pause: no new conversation of the run starts (its queued items' jobs are cancelled); those in
 * flight finish. @throws AppError "run_not_found", "run_not_running"
 */
export async function pauseRun({ db, runId, reason = "user" }: { db: Database; runId: string; reason?: PauseReason }): Promise<GenerationRunRow> {
  return db.transaction(async (tx) => {
    const run = await requireRun(tx, runId);
    if (run.status !== "running" || run.cancelRequested) throw new AppError("run_not_running", `Run ${runId} is ${describeStatus(run)}, not running.`);
    const updated = await updateGenerationRunStatus({ db: tx, id: runId, status: "paused", pausedReason: reason });
    if (run.kind === "live") await cancelJobs(tx, GENERATE_CONVERSATION_QUEUE, await detachQueuedRunItemJobs({ db: tx, runId }));
    if (reason !== "user") await notifyRunTransition(tx, { runId, event: reason === "spending_limit" ? "paused_spending_limit" : "paused_provider_limit" });
    return updated as GenerationRunRow;
  });
}

/**
 * resume: a paused run runs again (optionally with a new spending limit; null removes it): a job
 * is created for every queued item without one (live), or the batch driver is started again.
 * Resuming a running run only repairs missing jobs. Idempotent.
 * @throws AppError "run_not_found", "run_finished"
 */
export async function resumeRun({ db, runId, budgetUsd }: { db: Database; runId: string; budgetUsd?: number | null }): Promise<GenerationRunRow> {
  return db.transaction(async (tx) => {
    const run = await requireRun(tx, runId);
    if (isTerminalRunStatus(run.status) || run.cancelRequested) {
      throw new AppError("run_finished", `Run ${runId} has ${run.status === "cancelled" || run.cancelRequested ? "been cancelled" : "finished"}; start a new one with \`brightrun generate\`.`);
    }
    if (budgetUsd !== undefined) await updateGenerationRunBudget({ db: tx, id: runId, budgetUsd });
    const updated = run.status === "running" ? run : ((await updateGenerationRunStatus({ db: tx, id: runId, status: "running" })) as GenerationRunRow);
    if (run.kind === "live") await recreateJobsForQueuedItems(tx, runId);
    else if (run.status === "paused") await startBatchDriver(tx, runId, 0);
    return (await getGenerationRunById({ db: tx, id: runId })) ?? updated;
  });
}

/**
 * cancel: queued conversations never start (their items close as cancelled, their jobs are
 * cancelled); in-flight ones are aborted by their workers (they watch the flag). Items held by a
 * worker that is gone (not in `liveWorkerIds`) close here. The run becomes cancelled as soon as
 * nothing of it is in flight.
 * @throws AppError "run_not_found", "run_finished"
 */
export async function cancelRun({ db, runId, liveWorkerIds }: { db: Database; runId: string; liveWorkerIds: string[] }): Promise<GenerationRunRow> {
  await db.transaction(async (tx) => {
    const run = await requireRun(tx, runId);
    if (isTerminalRunStatus(run.status)) throw new AppError("run_finished", `Run ${runId} has already ${run.status === "cancelled" ? "been cancelled" : "finished"}.`);
    await requestGenerationRunCancel({ db: tx, id: runId });
    const jobIds = await cancelQueuedRunItems({ db: tx, runId, note: "the run was cancelled" });
    await cancelJobs(tx, GENERATE_CONVERSATION_QUEUE, jobIds);
    if (run.status === "paused") await updateGenerationRunStatus({ db: tx, id: runId, status: "running" });
    await finishRunIfDone(tx, runId);
  });
  await recoverAbandonedItems({ db, liveWorkerIds, runId });
  return requireRun(db, runId);
}

/**
 * Closes an open (running or paused) run whose items are all closed, with decideFinalRunStatus, and
 * queues its e-mail when it asked for one (notifyRunTransition; not for a cancelled run). Called inside the
 * transaction of every transition that closes an item. @returns the final status, or null
 */
export async function finishRunIfDone(tx: DbOrTx, runId: string) {
  const run = await lockGenerationRunById({ db: tx, id: runId });
  if (!run || isTerminalRunStatus(run.status)) return null;
  if (await hasOpenRunItems({ db: tx, runId })) return null;
  const counts = await countRunItemsByState({ db: tx, runId });
  const status = decideFinalRunStatus(counts, run.cancelRequested);
  await updateGenerationRunStatus({ db: tx, id: runId, status });
  if (run.kind === "batch" && run.batchState && typeof run.batchState.jobId === "string") {
    await cancelJobs(tx, DRIVE_BATCH_RUN_QUEUE, [run.batchState.jobId]);
  }
  // A cancelled run is not e-mailed: whoever cancelled it knows.
  if (status !== "cancelled") await notifyRunTransition(tx, { runId, event: status === "failed" ? "failed" : "finished" });
  return status;
}

async function requireRun(db: DbOrTx, runId: string): Promise<GenerationRunRow> {
  const run = await lockGenerationRunById({ db, id: runId });
  if (!run) throw new AppError("run_not_found", `There is no generation run ${runId}. List runs with \`brightrun runs\`.`);
  return run;
}

function describeStatus(run: GenerationRunRow): string {
  return run.cancelRequested && !isTerminalRunStatus(run.status) ? "being cancelled" : RUN_STATUS_LABELS[run.status].toLowerCase();
}
