import "server-only";
/**
 * Batch mode (cost lever: 50 % off through the providers' batch APIs) as the second driver of
 * the run machine. A batch run (kind `batch`) is driven by `drive-batch-run` jobs, one short step
 * each, so a crash anywhere resumes from the stored state (run.batch_state) on any worker:
 *
 * - submit: claim the run's queued items (held by `batch:<runId>`), build their requests, reserve
 *   their maximum cost at batch prices against the spending limit (only the requests that fit are
 *   submitted; none fitting pauses the run), submit them as one provider batch, store its id and
 *   schedule a poll;
 * - poll: while the batch runs, schedule the next poll after the poll interval; when the run is
 *   cancelled, cancel the batch at the provider first;
 * - ingest: when the batch has ended, store each result through the same validate → score → store
 *   path as a live reply (each with its item closing in the same transaction), put what is worth
 *   retrying back (while rounds remain), settle the reservation, and schedule the next submit.
 *
 * Every step ends by sending the next step's job and completing its own in one transaction.
 * Result rows in generation_logs carry the measured time from submission to the poll that found
 * the batch ended (a batch API reports no per-request time).
 */
import { randomUUID } from "node:crypto";
import { costUsd, type PriceOverrides } from "../../core/cost/prices";
import { AppError, isAppError } from "../../core/errors";
import {
  failConversation,
  logGenerationCall,
  resolveConversationPrompt,
  scoreReply,
  storeGeneratedReply,
  validateReply,
  type CallTarget,
} from "../../core/generation/generate-conversation";
import { createAnthropicBatchClient } from "../../core/llm/batch/anthropic-batch";
import { createOpenAIBatchClient } from "../../core/llm/batch/openai-batch";
import type { BatchClient, BatchItemResult, BatchRequestItem } from "../../core/llm/batch/types";
import type { Database, DatabaseHandle, DbOrTx } from "../db/client";
import {
  closeHeldRunItem,
  listQueuedRunItems,
  lockRunItemById,
  markConversationGenerating,
  markRunItemRunning,
  releaseGeneratingConversation,
  requeueRunItem,
  closeRunItem,
  getConversationStatusById,
  getRunItemById,
} from "../db/queries/run-items";
import {
  getGenerationRunById,
  lockGenerationRunById,
  releaseGenerationRunBudget,
  reserveGenerationRunBudget,
  updateGenerationRunBatchState,
  updateGenerationRunStatus,
} from "../db/queries/runs";
import type { GenerationRunRow } from "../db/schema";
import { completeJob, DRIVE_BATCH_RUN_QUEUE, sendBatchStepJob } from "./queue";
import { finishRunIfDone } from "./run-machine";
import { notifyRunTransition } from "../email/run-notification";

/** Default wait between two status polls of a batch, ms. Batches take minutes to hours. */
export const DEFAULT_BATCH_POLL_INTERVAL_MS = 30_000;
/** Default number of batches one conversation may be submitted in (the first plus resubmissions after a retryable failure). */
export const DEFAULT_BATCH_MAX_ROUNDS = 3;

/** One submitted provider batch, as stored in run.batch_state.rounds. */
export interface BatchRound {
  batchId: string;
  submitted: number;
  succeeded: number;
  /** Items sent back to the queue (errored worth retrying, expired, canceled, unusable reply). */
  requeued: number;
  failed: number;
  /** Status polls until the batch ended. */
  polls: number;
  /** Submission → the poll that found it ended, ms (null while it runs). */
  durationMs: number | null;
}

/** run.batch_state. */
export interface BatchState {
  /** The step job that may act on the run now (any other is stale and does nothing). */
  jobId?: string;
  /** The provider batch in flight, if any. */
  inFlight?: {
    batchId: string;
    /** Run item ids in the batch (custom_id = item id). */
    itemIds: string[];
    /** USD reserved on the run for this batch (its maximum cost at batch prices). */
    reservedUsd: number;
    submittedAt: number;
    cancelSent?: boolean;
  } | null;
  rounds?: BatchRound[];
  /** How many batches each item (by run item id) has been submitted in. */
  attempts?: Record<string, number>;
}

export interface BatchDriverOptions {
  /** Wait between status polls, ms; DEFAULT_BATCH_POLL_INTERVAL_MS by default. */
  pollIntervalMs: number;
  /** Batches one conversation may be submitted in; DEFAULT_BATCH_MAX_ROUNDS by default. */
  maxRounds: number;
  /** The provider batch client of a run; built from the environment's keys and base URLs by default. */
  clientFor: (run: GenerationRunRow) => BatchClient;
}

/** The batch client for a run from the environment (the same keys and base URLs live calls use). */
export function batchClientFromEnv(run: GenerationRunRow, env: Record<string, string | undefined> = process.env): BatchClient {
  if (run.provider === "anthropic") return createAnthropicBatchClient({ apiKey: env.ANTHROPIC_API_KEY ?? "", baseURL: env.ANTHROPIC_BASE_URL, model: run.model });
  if (run.provider === "openai") return createOpenAIBatchClient({ apiKey: env.OPENAI_API_KEY ?? "not-needed", baseURL: env.OPENAI_BASE_URL, model: run.model });
  throw new AppError("argument_invalid", `Batch mode needs the anthropic or openai provider; this run uses ${run.provider}.`);
}

/**
 * Runs one step of a batch run (see the module comment) for the job `jobId`. A step that is not
 * the run's current one, or whose run is finished or paused, completes its job and does nothing.
 * @throws AppError from the provider (submit, poll, results) or the database; the worker fails the
 *   job so pg-boss retries the step (held items stay held; the stored state says what was done)
 */
export async function driveBatchStep(
  options: Partial<BatchDriverOptions> & {
    handle: DatabaseHandle;
    jobId: string;
    runId: string;
    workerId: string;
    userId: string;
    priceOverrides?: PriceOverrides;
    signal?: AbortSignal;
    log?: (line: string) => void;
  },
): Promise<void> {
  const db = options.handle.db;
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_BATCH_POLL_INTERVAL_MS;
  const maxRounds = options.maxRounds ?? DEFAULT_BATCH_MAX_ROUNDS;
  const log = (line: string) => options.log?.(`batch run ${options.runId}: ${line}`);
  const run = await getGenerationRunById({ db, id: options.runId });
  const state = (run?.batchState ?? {}) as BatchState;
  if (!run || state.jobId !== options.jobId || (run.status !== "running" && !state.inFlight)) {
    await completeJob(db, DRIVE_BATCH_RUN_QUEUE, options.jobId);
    return;
  }
  const client = (options.clientFor ?? batchClientFromEnv)(run);
  const holder = `batch:${run.id}`;

  // Poll (and cancel at the provider when the run is cancelled).
  if (state.inFlight) {
    const inFlight = state.inFlight;
    if (run.cancelRequested && !inFlight.cancelSent) {
      await client.cancel(inFlight.batchId);
      inFlight.cancelSent = true;
      log(`cancelled batch ${inFlight.batchId} at the provider`);
    }
    const round = state.rounds?.find((r) => r.batchId === inFlight.batchId);
    if (round) round.polls += 1;
    const status = await client.retrieve(inFlight.batchId);
    if (status.state !== "ended") {
      await nextStep(db, run.id, options.jobId, state, pollIntervalMs);
      return;
    }
    const durationMs = Date.now() - inFlight.submittedAt;
    if (round) round.durationMs = durationMs;
    const requests = await requestsFor(db, run, inFlight.itemIds);
    const results = new Map<string, BatchItemResult>();
    for (const result of await client.results(inFlight.batchId, requests.map((r) => r.request))) results.set(result.customId, result);
    for (const held of requests) {
      const lastRound = (state.attempts?.[held.itemId] ?? 1) >= maxRounds;
      const outcome = await ingest({ db, run, held, result: results.get(held.itemId), batchId: inFlight.batchId, lastRound, durationMs, holder, userId: options.userId, priceOverrides: options.priceOverrides, cancelled: run.cancelRequested });
      if (round) round[outcome] += 1;
    }
    await releaseGenerationRunBudget({ db, id: run.id, maxUsd: inFlight.reservedUsd });
    log(`batch ${inFlight.batchId} ended: ${round?.succeeded ?? 0} generated, ${round?.requeued ?? 0} re-queued, ${round?.failed ?? 0} failed`);
    state.inFlight = null;
    // The round's report is stored in the transaction that closes the run (when this round closed its last item),
    // so a finished run always carries its complete batch report.
    const finished = await db.transaction(async (tx) => {
      await updateGenerationRunBatchState({ db: tx, id: run.id, batchState: { ...state, jobId: undefined } });
      if (!(await finishRunIfDone(tx, run.id))) return false;
      await completeJob(tx, DRIVE_BATCH_RUN_QUEUE, options.jobId);
      return true;
    });
    if (!finished) await nextStep(db, run.id, options.jobId, state, 0);
    return;
  }

  // Submit the next round.
  const queued = await listQueuedRunItems({ db, runId: run.id });
  if (!queued.length || run.cancelRequested) {
    await db.transaction(async (tx) => {
      await updateGenerationRunBatchState({ db: tx, id: run.id, batchState: { ...state, jobId: undefined } });
      await completeJob(tx, DRIVE_BATCH_RUN_QUEUE, options.jobId);
      await finishRunIfDone(tx, run.id);
    });
    return;
  }
  const held: HeldRequest[] = [];
  for (const item of queued) {
    const claimed = await claimForBatch(db, run, item.id, holder);
    if (claimed) held.push(claimed);
  }
  // The spending limit: the batch's maximum cost (each request's prompt plus its whole max_tokens,
  // at batch prices) is reserved before submitting; only the requests that fit are submitted.
  const fitting: HeldRequest[] = [];
  let reservedUsd = 0;
  for (const request of held) {
    const maxUsd = maxCostUsd(run, request, options.priceOverrides);
    if (!(await reserveGenerationRunBudget({ db, id: run.id, maxUsd }))) break;
    fitting.push(request);
    reservedUsd = Math.round((reservedUsd + maxUsd) * 1e6) / 1e6;
  }
  const left = held.slice(fitting.length);
  await db.transaction(async (tx) => {
    for (const request of left) await unclaim(tx, request);
  });
  if (!fitting.length) {
    await db.transaction(async (tx) => {
      await updateGenerationRunStatus({ db: tx, id: run.id, status: "paused", pausedReason: "spending_limit" });
      await updateGenerationRunBatchState({ db: tx, id: run.id, batchState: { ...state, jobId: undefined } });
      await completeJob(tx, DRIVE_BATCH_RUN_QUEUE, options.jobId);
      await notifyRunTransition(tx, { runId: run.id, event: "paused_spending_limit" });
    });
    log(`paused: the next request could take the run over its $${(run.budgetUsd ?? 0).toFixed(2)} spending limit`);
    return;
  }
  let submitted: { id: string };
  try {
    submitted = await client.submit(fitting.map((r) => r.request));
  } catch (error) {
    await releaseGenerationRunBudget({ db, id: run.id, maxUsd: reservedUsd });
    await db.transaction(async (tx) => {
      for (const request of fitting) await unclaim(tx, request);
    });
    throw error;
  }
  state.rounds = [...(state.rounds ?? []), { batchId: submitted.id, submitted: fitting.length, succeeded: 0, requeued: 0, failed: 0, polls: 0, durationMs: null }];
  state.inFlight = { batchId: submitted.id, itemIds: fitting.map((r) => r.itemId), reservedUsd, submittedAt: Date.now() };
  state.attempts = { ...(state.attempts ?? {}) };
  for (const r of fitting) state.attempts[r.itemId] = (state.attempts[r.itemId] ?? 0) + 1;
  log(`batch ${submitted.id}: ${fitting.length} request(s) submitted (batch ${state.rounds.length})${left.length ? `; ${left.length} wait for room in the spending limit` : ""}`);
  await nextStep(db, run.id, options.jobId, state, pollIntervalMs);
}

interface HeldRequest {
  itemId: string;
  conversationId: string;
  prompt: Extract<Awaited<ReturnType<typeof resolveConversationPrompt>>, { ok: true }>;
  request: BatchRequestItem;
}

/** Stores the state, sends the next step's job and completes this one, in one transaction. */
async function nextStep(db: Database, runId: string, jobId: string, state: BatchState, delayMs: number): Promise<void> {
  await db.transaction(async (tx) => {
    const next = randomUUID();
    await updateGenerationRunBatchState({ db: tx, id: runId, batchState: { ...state, jobId: next } as Record<string, unknown> });
    await sendBatchStepJob(tx, { jobId: next, runId, delayMs });
    await completeJob(tx, DRIVE_BATCH_RUN_QUEUE, jobId);
  });
}

/** Claims a queued item for the batch (its conversation becomes generating) and builds its request; fails it when it has no prompt. */
async function claimForBatch(db: Database, run: GenerationRunRow, itemId: string, holder: string): Promise<HeldRequest | null> {
  const claimed = await db.transaction(async (tx) => {
    await lockGenerationRunById({ db: tx, id: run.id });
    const item = await lockRunItemById({ db: tx, id: itemId });
    if (!item || item.state !== "queued") return null;
    if (!(await markConversationGenerating({ db: tx, id: item.conversationId, runId: run.id }))) {
      const conversation = await getConversationStatusById({ db: tx, id: item.conversationId });
      await closeRunItem({ db: tx, id: itemId, state: "cancelled", note: `it is already ${(conversation?.status ?? "deleted").replace("_", " ")}` });
      return null;
    }
    await markRunItemRunning({ db: tx, id: itemId, workerId: holder });
    return item;
  });
  if (!claimed) return null;
  const [request] = await requestsFor(db, run, [itemId]);
  if (request) return request;
  return null;
}

/** Rebuilds the requests of held items (the prompt is rendered again; a conversation without one is failed). */
async function requestsFor(db: Database, run: GenerationRunRow, itemIds: string[]): Promise<HeldRequest[]> {
  const out: HeldRequest[] = [];
  for (const itemId of itemIds) {
    const item = await getRunItemById({ db, id: itemId });
    if (!item || item.state !== "running") continue;
    const prompt = await resolveConversationPrompt({ db, id: item.conversationId });
    if (!prompt.ok) {
      await failConversation({
        db,
        id: item.conversationId,
        runId: run.id,
        providerName: run.provider,
        model: run.model,
        error: prompt.error,
        rawReply: null,
        usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
        finishInTransaction: async (tx) => {
          await closeHeldRunItem({ db: tx, id: itemId, workerId: `batch:${run.id}`, state: "failed" });
          await finishRunIfDone(tx, run.id);
        },
      });
      continue;
    }
    const version = prompt.template.version;
    out.push({
      itemId,
      conversationId: item.conversationId,
      prompt,
      request: {
        customId: itemId,
        request: { model: run.model, system: version.systemPrompt, prompt: prompt.prompt, maxTokens: version.maxTokens, temperature: version.temperature, context: prompt.context },
      },
    });
  }
  return out;
}

/** Puts a held item back to queued (no job: the batch driver takes queued items itself). */
async function unclaim(tx: DbOrTx, request: HeldRequest): Promise<void> {
  await releaseGeneratingConversation({ db: tx, id: request.conversationId });
  await requeueRunItem({ db: tx, id: request.itemId, jobId: null });
}

/** The most one request can cost at batch prices: its prompt (≈ 4 characters a token) plus its whole max_tokens. */
function maxCostUsd(run: GenerationRunRow, request: HeldRequest, overrides?: PriceOverrides): number {
  const r = request.request.request;
  const inputTokens = Math.ceil((r.system.length + r.prompt.length) / 4);
  // Rounded up to the column's micro-dollars, so the sum released equals the reservations made.
  return Math.ceil(costUsd({ model: run.model, inputTokens, outputTokens: r.maxTokens, batch: true }, overrides) * 1e6) / 1e6;
}

/** Stores one result; says whether the item succeeded, went back to the queue or failed. */
async function ingest(args: {
  db: Database;
  run: GenerationRunRow;
  held: HeldRequest;
  result: BatchItemResult | undefined;
  batchId: string;
  lastRound: boolean;
  durationMs: number;
  holder: string;
  userId: string;
  priceOverrides?: PriceOverrides;
  cancelled: boolean;
}): Promise<"succeeded" | "requeued" | "failed"> {
  const { db, run, held, result, batchId, durationMs, holder } = args;
  const { template, parameters } = held.prompt;
  const request = held.request.request;
  const requestSummary = { model: run.model, system: request.system, messages: [{ role: "user", content: request.prompt }], max_tokens: request.maxTokens, temperature: request.temperature };
  const extra = { batch: { provider: run.provider, id: batchId, custom_id: held.itemId } };
  const target: CallTarget = { db, id: held.conversationId, runId: run.id, userId: args.userId, provider: { name: run.provider }, model: run.model };
  const close = (succeeded: boolean) => async (tx: Database) => {
    // The driver closes the run after the round (see driveBatchStep), with the round's report.
    await closeHeldRunItem({ db: tx, id: held.itemId, workerId: holder, state: succeeded ? "succeeded" : "failed" });
  };
  let error: unknown;
  let rawReply: string | null = null;
  let usage = { inputTokens: 0, outputTokens: 0, costUsd: 0 };

  if (result?.type === "succeeded") {
    const reply = result.response;
    const callCost = costUsd(
      { model: reply.model || run.model, inputTokens: reply.inputTokens, outputTokens: reply.outputTokens, cacheWriteTokens: reply.cacheWriteTokens ?? 0, cacheReadTokens: reply.cacheReadTokens ?? 0, batch: true },
      args.priceOverrides,
    );
    usage = { inputTokens: reply.inputTokens, outputTokens: reply.outputTokens, costUsd: callCost };
    try {
      const turns = validateReply(reply, request.maxTokens);
      await storeGeneratedReply({
        target,
        templateId: template.template.id,
        templateVersion: template.version.version,
        parameters,
        reply,
        callMs: durationMs,
        callCost,
        requestSummary,
        turns,
        quality: scoreReply(held.prompt.context, turns, reply),
        usage,
        extraParameters: extra,
        finishInTransaction: close(true),
      });
      return "succeeded";
    } catch (problem) {
      if (!isAppError(problem) || !["malformed_response", "truncated_response"].includes(problem.code)) throw problem;
      error = problem;
      rawReply = reply.text;
      await logGenerationCall(target, template.template.id, template.version.version, parameters, reply, durationMs, callCost, problem, requestSummary, extra);
    }
  } else {
    error =
      result?.type === "errored"
        ? result.error
        : result?.type === "expired"
          ? new AppError("batch_expired", "The batch ended before this request was processed (the provider's 24-hour window).", { retryable: true, detail: { batchId } })
          : result?.type === "canceled"
            ? new AppError("batch_canceled", "The batch was canceled before this request was processed.", { retryable: true, detail: { batchId } })
            : new AppError("batch_result_missing", "The batch ended without a result for this request.", { retryable: true, detail: { batchId } });
    await logGenerationCall(target, template.template.id, template.version.version, parameters, null, durationMs, 0, error, requestSummary, extra);
  }

  if (args.cancelled) {
    await db.transaction(async (tx) => {
      await releaseGeneratingConversation({ db: tx, id: held.conversationId });
      await closeRunItem({ db: tx, id: held.itemId, state: "cancelled", note: "the run was cancelled" });
    });
    return "failed";
  }
  const retryable = isAppError(error) && error.retryable;
  if (retryable && !args.lastRound) {
    await db.transaction(async (tx) => unclaim(tx, held));
    return "requeued";
  }
  await failConversation({ db, id: held.conversationId, runId: run.id, providerName: run.provider, model: run.model, error, rawReply, usage, finishInTransaction: close(false) });
  return "failed";
}
