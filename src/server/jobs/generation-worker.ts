import "server-only";
/**
 * The generation worker: takes one job per conversation from pg-boss, generates it through the
 * core pipeline, and keeps every state a user sees in the database (FR4.3.2, FR4.4.2).
 *
 * - Concurrency adapts (AdaptiveConcurrency) and calls wait for the provider's rate limits
 *   (RateLimiter, one per provider and model, updated from response headers).
 * - A call starts only when the run's spending limit has room for its maximum cost; the
 *   reservation is settled with the real cost after the call (US13.1.2).
 * - Cancel aborts in-flight calls of the run (pg-boss's cancel does not stop a running handler,
 *   so the worker watches the run's cancel flag itself) and puts their conversations back.
 * - A heartbeat marks the worker alive; items left running by a dead worker are put back in the
 *   queue by whichever worker starts or sweeps next.
 */
import fs from "node:fs";
import os from "node:os";
import { randomUUID } from "node:crypto";
import type PgBoss from "pg-boss";
import { costUsd, type PriceOverrides } from "../../core/cost/prices";
import { AppError, isAppError } from "../../core/errors";
import { generateConversation, isInterruption, type CallGate, type GenerationOutcome } from "../../core/generation/generate-conversation";
import type { RetryPolicy } from "../../core/generation/retry-policy";
import { AdaptiveConcurrency } from "../../core/llm/adaptive-concurrency";
import { DEFAULT_RATE_LIMITS, RateLimiterRegistry, type RateLimits } from "../../core/llm/rate-limiter";
import type { LlmProvider } from "../../core/llm/types";
import type { DatabaseHandle } from "../db/client";
import {
  cancelQueuedRunItems,
  claimRunItem,
  countRunItemsByState,
  deleteStaleWorkers,
  deleteWorkerById,
  finishRunItem,
  listOrphanedRunItems,
  listQueuedRunItems,
  listWorkers,
  requeueRunItem,
  upsertWorkerHeartbeat,
} from "../db/queries/run-items";
import {
  getGenerationRunById,
  listUnfinishedGenerationRuns,
  releaseGenerationRunBudget,
  reserveGenerationRunBudget,
  updateGenerationRunStatus,
  updateGenerationRunThrottle,
} from "../db/queries/runs";
import type { GenerationRunRow } from "../db/schema";
import { isBatchRun } from "./batch-runner";
import { enqueueRunItems, GENERATE_CONVERSATION_QUEUE, type GenerateConversationJob } from "./boss";

/** A worker silent for this long is dead; its running items are recovered (ms). */
export const WORKER_STALE_MS = 30_000;
const HEARTBEAT_MS = 5_000;
const WATCH_MS = 1_000;

export interface WorkerOptions {
  handle: DatabaseHandle;
  boss: PgBoss;
  /** The provider and model a run uses (runs store their names; tests inject fakes). */
  providerFor: (run: GenerationRunRow) => { provider: LlmProvider; model: string };
  userId: string;
  /** Upper bound on conversations in flight in this worker. */
  maxConcurrency: number;
  /** Where adaptive concurrency starts (ramps up on success). Default: min(2, max). */
  initialConcurrency?: number;
  /** Starting rate limits per provider; response headers override them. */
  rateLimits?: Partial<Record<string, RateLimits>>;
  priceOverrides?: PriceOverrides;
  retryPolicy?: RetryPolicy;
  /** Idle wait between queue polls, ms. */
  pollMs?: number;
  onOutcome?: (outcome: GenerationOutcome & { runId: string }) => void;
  log?: (line: string) => void;
}

/** True when a process of this host runs with `pid` (a zombie counts as gone). */
function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    return !/^\d+ \(.*\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/** Final status of a run whose items are all closed, from its counters. */
function finalStatus(run: GenerationRunRow, counts: Record<string, number>): string {
  if (run.cancelRequested) return "cancelled";
  if (counts.failed === 0) return "completed";
  if (counts.succeeded === 0) return "failed";
  return "completed_with_failures";
}

export class GenerationWorker {
  readonly id: string;
  private readonly options: WorkerOptions;
  private readonly limiters = new RateLimiterRegistry();
  private readonly concurrency: AdaptiveConcurrency;
  private readonly inFlight = new Map<string, { runId: string; controller: AbortController; done: Promise<void> }>();
  private running = false;
  private loopDone: Promise<void> | null = null;
  private timers: NodeJS.Timeout[] = [];
  private wake: (() => void) | null = null;

  constructor(options: WorkerOptions) {
    this.options = options;
    this.id = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.concurrency = new AdaptiveConcurrency({
      initial: options.initialConcurrency ?? Math.min(2, options.maxConcurrency),
      min: 1,
      max: options.maxConcurrency,
    });
  }

  private get db() {
    return this.options.handle.db;
  }

  /** Registers the worker, recovers orphaned work, re-enqueues queued items of unfinished runs, and starts taking jobs. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await upsertWorkerHeartbeat({ db: this.db, id: this.id, hostname: os.hostname(), pid: process.pid });
    await this.recover();
    this.timers.push(
      setInterval(() => void this.heartbeat().catch((e) => this.log(`heartbeat failed: ${(e as Error).message}`)), HEARTBEAT_MS),
      setInterval(() => void this.watchRuns().catch((e) => this.log(`run watch failed: ${(e as Error).message}`)), WATCH_MS),
    );
    this.loopDone = this.loop();
  }

  /** Stops taking jobs; in-flight conversations finish (or are aborted with `abort: true` and put back). */
  async stop({ abort = false }: { abort?: boolean } = {}): Promise<void> {
    this.running = false;
    this.wake?.();
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (abort) for (const entry of this.inFlight.values()) entry.controller.abort(new AppError("cancelled", "The worker is shutting down."));
    await this.loopDone;
    await Promise.all([...this.inFlight.values()].map((e) => e.done));
    await deleteWorkerById({ db: this.db, id: this.id }).catch(() => undefined);
  }

  /**
   * Puts back items left running by dead workers and enqueues (again) every queued item of
   * running runs. Idempotent; called at start and on every heartbeat.
   */
  async recover(): Promise<number> {
    // Workers known to be dead need no staleness wait: in embedded mode this process is the only
    // one that can hold the database; on PostgreSQL, a worker of this host whose process is gone.
    for (const worker of await listWorkers({ db: this.db })) {
      if (worker.id === this.id) continue;
      if (this.options.handle.kind === "pglite" || (worker.hostname === os.hostname() && !processIsAlive(worker.pid))) {
        await deleteWorkerById({ db: this.db, id: worker.id });
      }
    }
    const orphans = await listOrphanedRunItems({ db: this.db, staleMs: WORKER_STALE_MS, exceptWorkerId: this.id });
    for (const item of orphans) await requeueRunItem({ db: this.db, id: item.id });
    if (orphans.length) this.log(`recovered ${orphans.length} conversation(s) left generating by a stopped worker`);
    await deleteStaleWorkers({ db: this.db, staleMs: WORKER_STALE_MS });
    const runs = (await listUnfinishedGenerationRuns({ db: this.db })).filter((run) => !isBatchRun(run));
    const queued = await listQueuedRunItems({ db: this.db, runIds: runs.map((r) => r.id) });
    const mine = new Set([...this.inFlight.keys()]);
    const toEnqueue = queued.filter((q) => !mine.has(q.id));
    if (orphans.length || toEnqueue.length) await enqueueRunItems(this.options.boss, toEnqueue);
    for (const run of runs) await this.finishRunIfDone(run.id);
    return orphans.length;
  }

  private async heartbeat(): Promise<void> {
    await upsertWorkerHeartbeat({ db: this.db, id: this.id, hostname: os.hostname(), pid: process.pid });
    const orphans = await listOrphanedRunItems({ db: this.db, staleMs: WORKER_STALE_MS, exceptWorkerId: this.id });
    if (orphans.length) await this.recover();
  }

  /** Aborts in-flight calls of cancelled runs; closes their queued items. */
  private async watchRuns(): Promise<void> {
    const runIds = new Set([...this.inFlight.values()].map((e) => e.runId));
    for (const runId of runIds) {
      const run = await getGenerationRunById({ db: this.db, id: runId });
      if (run?.cancelRequested) {
        await cancelQueuedRunItems({ db: this.db, runId });
        for (const entry of this.inFlight.values()) {
          if (entry.runId === runId) entry.controller.abort(new AppError("cancelled", "The run was cancelled."));
        }
      }
      const limiter = run ? this.limiterFor(run) : null;
      if (run && limiter) {
        const state = limiter.state();
        await updateGenerationRunThrottle({
          db: this.db,
          id: runId,
          throttle: state.throttled ? { throttled: true, reason: limiter.describe(), resumeAt: state.resumeAt, concurrency: this.concurrency.limit } : { throttled: false, concurrency: this.concurrency.limit },
        });
      }
    }
  }

  private async loop(): Promise<void> {
    const pollMs = this.options.pollMs ?? 500;
    while (this.running) {
      const free = this.concurrency.limit - this.inFlight.size;
      let jobs: Array<PgBoss.Job<GenerateConversationJob>> = [];
      if (free > 0) {
        try {
          jobs = await this.options.boss.fetch<GenerateConversationJob>(GENERATE_CONVERSATION_QUEUE, { batchSize: free });
        } catch (error) {
          this.log(`could not fetch jobs: ${(error as Error).message}`);
        }
      }
      for (const job of jobs) this.startJob(job);
      if (jobs.length === 0 || free <= jobs.length) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
      }
    }
  }

  private startJob(job: PgBoss.Job<GenerateConversationJob>): void {
    const controller = new AbortController();
    const entry = { runId: job.data.runId, controller, done: Promise.resolve() };
    this.inFlight.set(job.data.itemId, entry);
    entry.done = this.process(job, controller)
      .catch((error) => this.log(`job ${job.id} failed: ${(error as Error).stack ?? error}`))
      .finally(() => {
        this.inFlight.delete(job.data.itemId);
        this.wake?.();
      });
  }

  private async process(job: PgBoss.Job<GenerateConversationJob>, controller: AbortController): Promise<void> {
    const { boss } = this.options;
    const { runId, itemId } = job.data;
    try {
      const run = await getGenerationRunById({ db: this.db, id: runId });
      // Batch-mode runs are driven by the batch runner, which submits their items to the provider's batch API.
      if (run && isBatchRun(run)) return;
      if (!run || run.cancelRequested || !["running"].includes(run.status)) {
        // Paused runs keep their items queued (resume enqueues them again); others close them.
        if (run?.cancelRequested) await cancelQueuedRunItems({ db: this.db, runId });
        return;
      }
      const claim = await claimRunItem({ db: this.db, id: itemId, workerId: this.id });
      if (claim === null) return;
      if (claim === "not_generatable") return;
      const { provider, model } = this.options.providerFor(run);
      try {
        const outcome = await generateConversation({
          db: this.db,
          id: claim.conversationId,
          runId,
          userId: this.options.userId,
          provider,
          model,
          priceOverrides: this.options.priceOverrides,
          retryPolicy: this.options.retryPolicy,
          signal: controller.signal,
          gate: this.gateFor(run, provider, model),
        });
        await finishRunItem({ db: this.db, id: itemId, state: outcome.status === "generated" ? "succeeded" : "failed" });
        this.options.onOutcome?.({ ...outcome, runId });
      } catch (error) {
        if (isInterruption(error)) {
          await requeueRunItem({ db: this.db, id: itemId });
          if (error.code === "cancelled") {
            const current = await getGenerationRunById({ db: this.db, id: runId });
            if (current?.cancelRequested) await finishRunItem({ db: this.db, id: itemId, state: "cancelled" });
          } else {
            // The run's spending limit, or the provider account's: pause the run; resume picks the item up again.
            await updateGenerationRunStatus({ db: this.db, id: runId, status: "paused", pausedReason: error.code === "spend_limit_reached" ? "provider_spend_limit" : "spending_limit" });
            this.log(error.message);
          }
        } else {
          // A database or programming error: put the conversation back so nothing is lost.
          await requeueRunItem({ db: this.db, id: itemId });
          throw error;
        }
      }
    } finally {
      await boss.complete(GENERATE_CONVERSATION_QUEUE, job.id).catch(() => undefined);
      await this.finishRunIfDone(runId);
    }
  }

  /** Closes a running run whose items are all closed. */
  private async finishRunIfDone(runId: string): Promise<void> {
    const run = await getGenerationRunById({ db: this.db, id: runId });
    if (!run || run.status !== "running") return;
    const counts = await countRunItemsByState({ db: this.db, runId });
    if (counts.queued > 0 || counts.running > 0) return;
    await updateGenerationRunStatus({ db: this.db, id: runId, status: finalStatus(run, counts) });
  }

  private limiterFor(run: GenerationRunRow) {
    const configured = this.options.rateLimits?.[run.provider] ?? DEFAULT_RATE_LIMITS[run.provider];
    return this.limiters.get(run.provider, run.model, configured);
  }

  /** Rate limits + spending limit for one run's calls. */
  private gateFor(run: GenerationRunRow, provider: LlmProvider, model: string): CallGate {
    const limiter = this.limiterFor(run);
    const concurrency = this.concurrency;
    const db = this.db;
    const overrides = this.options.priceOverrides;
    return {
      async beforeCall({ inputTokens, maxOutputTokens, signal }) {
        const maxUsd = provider.isLanguageModel ? costUsd({ model, inputTokens, outputTokens: maxOutputTokens }, overrides) : 0;
        if (!(await reserveGenerationRunBudget({ db, id: run.id, maxUsd }))) {
          const current = await getGenerationRunById({ db, id: run.id });
          throw new AppError(
            "spending_limit_reached",
            `Spending limit reached: $${(current?.costUsd ?? 0).toFixed(2)} spent of $${(current?.budgetUsd ?? 0).toFixed(2)}, and the next call could cost up to $${maxUsd.toFixed(4)}. The run is paused; raise the limit and resume it (brightrun runs resume ${run.id} --budget USD).`,
          );
        }
        let permit;
        try {
          permit = await limiter.acquire({ inputTokens, maxOutputTokens, signal });
        } catch (error) {
          await releaseGenerationRunBudget({ db, id: run.id, maxUsd });
          throw signal?.aborted ? new AppError("cancelled", "Generation was cancelled.") : error;
        }
        return {
          async after(outcome) {
            // Settling with the headers lets the limiter learn the provider's limits and remaining
            // counts before the refund can grant another call (else one grant can overshoot).
            permit.settle({ inputTokens: outcome.inputTokens, outputTokens: outcome.outputTokens }, Object.keys(outcome.headers).length ? outcome.headers : undefined);
            if (isAppError(outcome.error) && outcome.error.code === "rate_limited") {
              // Every sender waits out the 429's retry-after (or the reported reset).
              limiter.onRateLimited({
                headers: outcome.headers,
                retryAfterMs: (outcome.error.detail.retryAfterMs as number | null | undefined) ?? null,
                reason: "the provider answered 429 Too Many Requests",
              });
              concurrency.onRateLimited();
            } else if (!outcome.error) {
              concurrency.onSuccess();
            } else {
              concurrency.onError();
            }
            await releaseGenerationRunBudget({ db, id: run.id, maxUsd });
          },
        };
      },
    };
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}
