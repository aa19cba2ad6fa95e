import "server-only";
/**
 * Batch mode (cost lever: 50% off through the providers' batch APIs). A batch run is an ordinary
 * generation run whose `selection` JSON says `mode: "batch"`: instead of one live call per
 * conversation through the pg-boss worker, its queued items are submitted together through
 * Anthropic's Message Batches API or OpenAI's Batch API (custom_id = run item id), polled until
 * the batch ends, and every result goes through the same validate → score → store path as a live
 * reply, with one generation_logs row per result priced with the batch discount. Errored (when
 * worth retrying), expired and canceled items go back to the queue and are submitted again in a
 * new batch, for at most `maxRounds` batches; then the run is finished.
 *
 * While it works, the runner registers itself as a worker (heartbeat) and holds its items as
 * `running`, so a live worker of the same database does not take them.
 */
import os from "node:os";
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
  type ResolvedConversationPrompt,
} from "../../core/generation/generate-conversation";
import { createRun, type GenerationSelection } from "../../core/generation/run-generation";
import { createAnthropicBatchClient } from "../../core/llm/batch/anthropic-batch";
import { createOpenAIBatchClient } from "../../core/llm/batch/openai-batch";
import type { BatchClient, BatchItemResult, BatchProviderName, BatchRequestItem } from "../../core/llm/batch/types";
import type { DatabaseHandle } from "../db/client";
import { claimRunItem, countRunItemsByState, deleteWorkerById, finishRunItem, listQueuedRunItems, requeueRunItem, upsertWorkerHeartbeat } from "../db/queries/run-items";
import { getGenerationRunById, updateGenerationRunStatus } from "../db/queries/runs";
import type { GenerationRunRow } from "../db/schema";

/** Default wait between two status polls of a batch, ms. Batches take minutes to hours. */
export const DEFAULT_BATCH_POLL_INTERVAL_MS = 30_000;
/** Default number of batches one run may submit (the first plus resubmissions of failed items). */
export const DEFAULT_BATCH_MAX_ROUNDS = 3;
const HEARTBEAT_MS = 5_000;

/** True when a run was created in batch mode (`selection.mode === "batch"`). */
export function isBatchRun(run: Pick<GenerationRunRow, "selection">): boolean {
  const selection = run.selection as { mode?: unknown } | null;
  return selection?.mode === "batch";
}

/**
 * Creates a run in batch mode: like `createRun` (one queued item per conversation, no job
 * enqueued), with `mode: "batch"` stored in the run's selection JSON. Drive it with
 * `runBatchGeneration`.
 *
 * @returns the run (null when nothing can be generated), its items and the skipped conversations
 * @throws AppError "selection_invalid" like `createRun`
 */
export async function createBatchRun(options: Parameters<typeof createRun>[0]): ReturnType<typeof createRun> {
  const selection = { ...options.selection, mode: "batch" } as GenerationSelection;
  return createRun({ ...options, selection });
}

export interface RunBatchGenerationOptions {
  handle: DatabaseHandle;
  /** A run created by `createBatchRun`. */
  runId: string;
  provider: BatchProviderName;
  apiKey: string;
  /** Anthropic: API root without `/v1`; OpenAI: API root with `/v1`. Provider default when absent. */
  baseURL?: string;
  model: string;
  /** Wait between status polls, ms; DEFAULT_BATCH_POLL_INTERVAL_MS by default. */
  pollIntervalMs?: number;
  /** Batches at most (first submission included); DEFAULT_BATCH_MAX_ROUNDS by default. */
  maxRounds?: number;
  /** Who the generation_logs rows are attributed to; "local:batch" by default. */
  userId?: string;
  priceOverrides?: PriceOverrides;
  /** Stops polling: the run's held items go back to the queue and the run stays running. */
  signal?: AbortSignal;
  /** Injected for tests; built from provider/apiKey/baseURL/model by default. */
  client?: BatchClient;
  log?: (line: string) => void;
}

export interface BatchRound {
  batchId: string;
  submitted: number;
  succeeded: number;
  /** Items sent back to the queue (errored worth retrying, expired, canceled, unusable reply). */
  requeued: number;
  failed: number;
  /** Status polls until the batch ended. */
  polls: number;
}

export interface BatchRunResult {
  run: GenerationRunRow | null;
  rounds: BatchRound[];
}

interface HeldItem {
  itemId: string;
  conversationId: string;
  prompt: Extract<ResolvedConversationPrompt, { ok: true }>;
  request: BatchRequestItem;
}

/**
 * Generates a batch-mode run through a provider's batch API (see the module comment), then sets
 * its final status (completed / completed_with_failures / failed) like the live worker does.
 *
 * Costs: each succeeded result is priced with `costUsd({..., batch: true})` (×0.5, cache tokens
 * included), logged in generation_logs (parameters.batch = {provider, id, custom_id}) and added
 * to the run, so the run's cost equals the sum of its logs. Errored/expired results are logged
 * with their error code and no cost. A reply that is not the conversation JSON (or is truncated)
 * is logged with its cost and resubmitted while rounds remain; after the last round an item still
 * without a usable reply is failed with its last error.
 *
 * @returns the finished run and one BatchRound per submitted batch
 * @throws AppError "run_not_found", "run_not_batch" (the run is not in batch mode), "run_not_running";
 *   AppError from the provider when submitting or polling fails (held items are put back first)
 */
export async function runBatchGeneration(options: RunBatchGenerationOptions): Promise<BatchRunResult> {
  const { handle, runId } = options;
  const db = handle.db;
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_BATCH_POLL_INTERVAL_MS;
  const maxRounds = options.maxRounds ?? DEFAULT_BATCH_MAX_ROUNDS;
  const userId = options.userId ?? "local:batch";
  const run = await getGenerationRunById({ db, id: runId });
  if (!run) throw new AppError("run_not_found", `There is no generation run ${runId}.`);
  if (!isBatchRun(run)) throw new AppError("run_not_batch", `Run ${runId} was not created in batch mode; generate it with the live worker instead.`);
  if (run.status !== "running") throw new AppError("run_not_running", `Run ${runId} is ${run.status}; only a running run can be generated.`);
  if (!Number.isInteger(maxRounds) || maxRounds < 1) throw new AppError("selection_invalid", `maxRounds must be a whole number of 1 or more (got ${maxRounds}).`);

  const client =
    options.client ??
    (options.provider === "anthropic"
      ? createAnthropicBatchClient({ apiKey: options.apiKey, baseURL: options.baseURL, model: options.model })
      : createOpenAIBatchClient({ apiKey: options.apiKey, baseURL: options.baseURL, model: options.model }));
  const workerId = `batch:${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const target = (conversationId: string): CallTarget => ({ db, id: conversationId, runId, userId, provider: { name: client.provider }, model: options.model });
  const log = (line: string) => options.log?.(line);
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  await upsertWorkerHeartbeat({ db, id: workerId, hostname: os.hostname(), pid: process.pid });
  const heartbeat = setInterval(() => {
    void upsertWorkerHeartbeat({ db, id: workerId, hostname: os.hostname(), pid: process.pid }).catch(() => undefined);
  }, HEARTBEAT_MS);
  const rounds: BatchRound[] = [];
  let held: HeldItem[] = [];
  const releaseHeld = async () => {
    for (const item of held) await requeueRunItem({ db, id: item.itemId });
    held = [];
  };

  try {
    for (let round = 1; round <= maxRounds; round += 1) {
      const lastRound = round === maxRounds;
      held = await claimQueued();
      if (held.length === 0) break;
      const requests = held.map((item) => item.request);
      const submitted = await client.submit(requests);
      log(`batch ${submitted.id}: ${requests.length} request(s) submitted (round ${round} of at most ${maxRounds})`);
      const summary: BatchRound = { batchId: submitted.id, submitted: requests.length, succeeded: 0, requeued: 0, failed: 0, polls: 0 };
      rounds.push(summary);

      for (;;) {
        if (options.signal?.aborted) {
          await releaseHeld();
          return { run: await getGenerationRunById({ db, id: runId }), rounds };
        }
        summary.polls += 1;
        const status = await client.retrieve(submitted.id);
        if (status.state === "ended") break;
        await sleep(pollIntervalMs);
      }

      const results = new Map<string, BatchItemResult>();
      for (const result of await client.results(submitted.id, requests)) results.set(result.customId, result);
      for (const item of held) {
        const outcome = await ingest(item, results.get(item.itemId), submitted.id, lastRound);
        summary[outcome] += 1;
      }
      held = [];
      log(`batch ${submitted.id}: ${summary.succeeded} generated, ${summary.requeued} re-queued, ${summary.failed} failed`);
    }
  } catch (error) {
    await releaseHeld();
    throw error;
  } finally {
    clearInterval(heartbeat);
    await deleteWorkerById({ db, id: workerId }).catch(() => undefined);
  }

  // Every item is closed now (the last round fails what it cannot generate); finish the run.
  const counts = await countRunItemsByState({ db, runId });
  const current = await getGenerationRunById({ db, id: runId });
  if (current && current.status === "running" && counts.queued === 0 && counts.running === 0) {
    const status = current.cancelRequested ? "cancelled" : counts.failed === 0 ? "completed" : counts.succeeded === 0 ? "failed" : "completed_with_failures";
    await updateGenerationRunStatus({ db, id: runId, status });
  }
  return { run: await getGenerationRunById({ db, id: runId }), rounds };

  /** Claims the run's queued items for this runner and builds their requests; fails those without a prompt. */
  async function claimQueued(): Promise<HeldItem[]> {
    const out: HeldItem[] = [];
    for (const queued of await listQueuedRunItems({ db, runIds: [runId] })) {
      const claim = await claimRunItem({ db, id: queued.id, workerId });
      if (claim === null || claim === "not_generatable") continue;
      const prompt = await resolveConversationPrompt({ db, id: claim.conversationId });
      if (!prompt.ok) {
        await failConversation({ db, id: claim.conversationId, runId, providerName: client.provider, model: options.model, error: prompt.error, rawReply: null, usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 } });
        await finishRunItem({ db, id: queued.id, state: "failed" });
        continue;
      }
      const { template } = prompt;
      out.push({
        itemId: queued.id,
        conversationId: claim.conversationId,
        prompt,
        request: {
          customId: queued.id,
          request: {
            model: options.model,
            system: template.version.systemPrompt,
            prompt: prompt.prompt,
            maxTokens: template.version.maxTokens,
            temperature: template.version.temperature,
            context: prompt.context,
          },
        },
      });
    }
    return out;
  }

  /** Stores one result; says whether the item succeeded, went back to the queue or failed. */
  async function ingest(item: HeldItem, result: BatchItemResult | undefined, batchId: string, lastRound: boolean): Promise<"succeeded" | "requeued" | "failed"> {
    const { template, parameters } = item.prompt;
    const request = item.request.request;
    const requestSummary = { model: options.model, system: request.system, messages: [{ role: "user", content: request.prompt }], max_tokens: request.maxTokens, temperature: request.temperature };
    const extra = { batch: { provider: client.provider, id: batchId, custom_id: item.itemId } };
    const to = target(item.conversationId);
    let error: unknown;
    let rawReply: string | null = null;
    let usage = { inputTokens: 0, outputTokens: 0, costUsd: 0 };

    if (result?.type === "succeeded") {
      const reply = result.response;
      const callCost = costUsd(
        { model: reply.model || options.model, inputTokens: reply.inputTokens, outputTokens: reply.outputTokens, cacheWriteTokens: reply.cacheWriteTokens ?? 0, cacheReadTokens: reply.cacheReadTokens ?? 0, batch: true },
        options.priceOverrides,
      );
      usage = { inputTokens: reply.inputTokens, outputTokens: reply.outputTokens, costUsd: callCost };
      try {
        const turns = validateReply(reply, request.maxTokens);
        await storeGeneratedReply({
          target: to,
          templateId: template.template.id,
          templateVersion: template.version.version,
          parameters,
          reply,
          callMs: 0,
          callCost,
          requestSummary,
          turns,
          quality: scoreReply(item.prompt.context, turns, reply),
          usage,
          extraParameters: extra,
        });
        await finishRunItem({ db, id: item.itemId, state: "succeeded" });
        return "succeeded";
      } catch (problem) {
        if (!isAppError(problem) || !["malformed_response", "truncated_response"].includes(problem.code)) throw problem;
        error = problem;
        rawReply = reply.text;
        await logGenerationCall(to, template.template.id, template.version.version, parameters, reply, 0, callCost, problem, requestSummary, extra);
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
      await logGenerationCall(to, template.template.id, template.version.version, parameters, null, 0, 0, error, requestSummary, extra);
    }

    const retryable = isAppError(error) && error.retryable;
    if (retryable && !lastRound) {
      await requeueRunItem({ db, id: item.itemId });
      return "requeued";
    }
    await failConversation({ db, id: item.conversationId, runId, providerName: client.provider, model: options.model, error, rawReply, usage });
    await finishRunItem({ db, id: item.itemId, state: "failed" });
    return "failed";
  }
}
