import "server-only";
/**
 * The generation worker: takes jobs from the one queue (src/server/runs/queue.ts) and drives the
 * run machine (src/server/runs/run-machine.ts) with two drivers:
 * - live: one `generate-conversation` job per conversation → claim → the core pipeline
 *   (render → call → validate → score → store) → finish, the store and the item closing in one
 *   transaction;
 * - batch: `drive-batch-run` jobs, one step at a time (src/server/runs/batch-driver.ts).
 *
 * Pace (docs/engine.md, "Limits"): each run has at most its own concurrency in flight in this
 * worker (the user's choice, capped by the worker's ceiling), cut in half on 429, 529 and 503 and
 * grown back by one after three successes (AIMD); every call also waits for the rate limits that
 * are learned from headers or configured by the user (RateLimiter) and reserves its maximum cost
 * against the run's spending limit.
 *
 * Liveness: the worker sends a heartbeat; with PostgreSQL, every worker also sweeps for running
 * items whose worker stopped sending one and hands their jobs back to pg-boss (pg-boss 10 has no
 * job heartbeat). With the embedded database only this process can hold the database, so at
 * start every running item is abandoned and handed back at once.
 */
import os from "node:os";
import { randomUUID } from "node:crypto";
import type PgBoss from "pg-boss";
import { costUsd, type PriceOverrides } from "../../core/cost/prices";
import { AppError, isAppError } from "../../core/errors";
import { generateConversation, isInterruption, type CallGate, type GenerationOutcome } from "../../core/generation/generate-conversation";
import { judgeStoredConversation, type JudgeOutcome, type RunJudge } from "../../core/generation/judge-conversation";
import type { RetryPolicy } from "../../core/generation/retry-policy";
import { AdaptiveConcurrency } from "../../core/llm/adaptive-concurrency";
import { RateLimiterRegistry, type RateLimiter, type RateLimits } from "../../core/llm/rate-limiter";
import type { LlmProvider } from "../../core/llm/types";
import type { RunPacing } from "../../lib/run-states";
import type { Database, DatabaseHandle } from "../db/client";
import { deleteStaleWorkers, deleteWorkerById, listLiveWorkers, upsertWorkerHeartbeat } from "../db/queries/run-items";
import {
  getGenerationRunById,
  listUnfinishedGenerationRuns,
  releaseGenerationRunBudget,
  reserveGenerationRunBudget,
  updateGenerationRunThrottle,
} from "../db/queries/runs";
import type { GenerationRunRow } from "../db/schema";
import { driveBatchStep, type BatchDriverOptions } from "./batch-driver";
import {
  DRIVE_BATCH_RUN_QUEUE,
  GENERATE_CONVERSATION_QUEUE,
  JOB_WORK_LIMIT_MS,
  listActiveJobs,
  listUnclaimedActiveJobs,
  failJobs,
  type DriveBatchRunJob,
  type GenerateConversationJob,
} from "./queue";
import type { ConfiguredRateLimits } from "./rate-limit-setting";
import { claimItem, finishItem, interruptItem, recoverAbandonedItems, releaseItem, type ClaimResult } from "./run-machine";

/** A worker silent for this long is dead; its running items are handed back to the queue (ms). */
export const WORKER_STALE_MS = 30_000;
const HEARTBEAT_MS = 5_000;
/** A fetched job is claimed within milliseconds; one still unclaimed after this long lost its worker (ms). */
const UNCLAIMED_JOB_STALE_MS = 60_000;
const WATCH_MS = 1_000;
/** Highest ceiling a worker accepts (conversations in flight in one process). */
export const MAX_WORKER_CONCURRENCY = 256;

/** Test seams: a fault injected at a named step, the subject otherwise real. */
export interface WorkerFaults {
  /** Called inside the transaction that stores a conversation, before its item closes; throwing rolls the store back. */
  beforeFinish?: (context: { runId: string; itemId: string; attempt: number }) => void | Promise<void>;
}

export interface WorkerOptions {
  handle: DatabaseHandle;
  boss: PgBoss;
  /** The provider and model a run uses (runs store their names; tests inject fakes). */
  providerFor: (run: GenerationRunRow) => { provider: LlmProvider; model: string } | Promise<{ provider: LlmProvider; model: string }>;
  userId: string;
  /** Most conversations in flight in this process, over all runs (each run also keeps to its own concurrency). */
  ceiling: number;
  priceOverrides?: PriceOverrides;
  retryPolicy?: RetryPolicy;
  /**
   * The prices and retry policy for a run's next conversation, read when it starts (so a change on
   * the Settings page applies without a restart); `priceOverrides` and `retryPolicy` above when absent.
   */
  pricingAndRetryFor?: (run: GenerationRunRow) => Promise<{ priceOverrides: PriceOverrides; retryPolicy: RetryPolicy }>;
  /** Batch-mode settings (poll interval, rounds, client factory for tests). */
  batch?: Partial<BatchDriverOptions>;
  /** Idle wait between queue polls, ms (default 250). */
  pollMs?: number;
  onOutcome?: (outcome: GenerationOutcome & { runId: string }) => void;
  /** Told what each conversation of a judge run ended as. */
  onJudgeOutcome?: (outcome: JudgeOutcome & { runId: string }) => void;
  log?: (line: string) => void;
  faults?: WorkerFaults;
}

interface RunSlot {
  run: GenerationRunRow;
  aimd: AdaptiveConcurrency;
  inFlight: number;
  limiter: RateLimiter | null;
}

interface InFlight {
  runId: string;
  controller: AbortController;
  done: Promise<void>;
}

/** Whether a process of this host with `pid` is running (signal 0 answers for any live process). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The user's configured limits of a run as RateLimiter input, or undefined when none. */
export function configuredLimitsOf(run: Pick<GenerationRunRow, "rateLimits">): { limits: RateLimits; source: string } | undefined {
  const stored = run.rateLimits as ConfiguredRateLimits | null;
  if (!stored) return undefined;
  return {
    limits: {
      requestsPerMinute: stored.requestsPerMinute ?? Infinity,
      inputTokensPerMinute: stored.inputTokensPerMinute ?? Infinity,
      outputTokensPerMinute: stored.outputTokensPerMinute ?? Infinity,
      tokensPerMinute: stored.tokensPerMinute ?? Infinity,
    },
    source: `your setting (${stored.source})`,
  };
}

export class GenerationWorker {
  readonly id: string;
  private readonly options: WorkerOptions;
  private readonly limiters = new RateLimiterRegistry();
  private readonly slots = new Map<string, RunSlot>();
  private readonly inFlight = new Map<string, InFlight>();
  private running = false;
  private loopDone: Promise<void> | null = null;
  private timers: NodeJS.Timeout[] = [];
  private wake: (() => void) | null = null;
  private readonly outcomeWatchers = new Set<Pick<WorkerOptions, "onOutcome" | "onJudgeOutcome">>();

  constructor(options: WorkerOptions) {
    if (!Number.isInteger(options.ceiling) || options.ceiling < 1 || options.ceiling > MAX_WORKER_CONCURRENCY) {
      throw new AppError("argument_invalid", `A worker's concurrency must be a whole number from 1 to ${MAX_WORKER_CONCURRENCY} (got ${options.ceiling}).`);
    }
    this.options = options;
    this.id = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  private get db(): Database {
    return this.options.handle.db;
  }

  /** Conversations in flight in this worker now. */
  get active(): number {
    return this.inFlight.size;
  }

  /**
   * Also tells `watcher` what each conversation ended as, besides the options' own callbacks: a
   * command that follows its run on a worker it did not start (the server's, for a command the CLI
   * forwarded to it) collects its outcomes this way.
   * @returns a function that stops telling it
   */
  watchOutcomes(watcher: Pick<WorkerOptions, "onOutcome" | "onJudgeOutcome">): () => void {
    this.outcomeWatchers.add(watcher);
    return () => this.outcomeWatchers.delete(watcher);
  }

  /** Registers the worker, hands back work abandoned by stopped workers, and starts taking jobs. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await upsertWorkerHeartbeat({ db: this.db, id: this.id, hostname: os.hostname(), pid: process.pid, concurrency: this.options.ceiling });
    await this.recover();
    this.timers.push(
      setInterval(() => void this.heartbeat().catch((e) => this.log(`heartbeat failed: ${(e as Error).message}`)), HEARTBEAT_MS),
      setInterval(() => void this.watch().catch((e) => this.log(`run watch failed: ${(e as Error).message}`)), WATCH_MS),
    );
    await this.watch();
    this.loopDone = this.loop();
  }

  /**
   * Stops taking jobs. In-flight conversations finish; with `abort: true` they are stopped and go
   * back to the queue with a fresh job for the next worker.
   */
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
   * Hands back work whose worker is gone. Embedded database: every other worker is gone (only
   * this process can open it), so their running items and active jobs are handed back at once.
   * PostgreSQL: workers without a heartbeat for WORKER_STALE_MS, or of this host with no process.
   * @returns how many conversations were handed back
   */
  async recover(): Promise<number> {
    const embedded = this.options.handle.kind === "pglite";
    const live = embedded ? [] : await listLiveWorkers({ db: this.db, staleMs: WORKER_STALE_MS });
    const liveIds = [this.id, ...live.filter((w) => w.id !== this.id && (w.hostname !== os.hostname() || processIsAlive(w.pid))).map((w) => w.id)];
    const active = await listActiveJobs(this.db);
    const outOfRetries = new Set(active.filter((j) => j.retryCount >= j.retryLimit).map((j) => j.id));
    const recovered = await recoverAbandonedItems({ db: this.db, liveWorkerIds: liveIds, jobsOutOfRetries: outOfRetries });
    if (recovered) this.log(`handed ${recovered} conversation(s) left generating by a stopped worker back to the queue`);
    // Jobs fetched by a worker that stopped before claiming their item (or batch steps it was
    // running): pg-boss retries them. Embedded: every active job not this worker's is such a job.
    const stale = embedded
      ? (await listActiveJobs(this.db)).filter((j) => !this.inFlight.has(j.id))
      : (await listUnclaimedActiveJobs(this.db, UNCLAIMED_JOB_STALE_MS)).map((id) => ({ id, name: GENERATE_CONVERSATION_QUEUE }));
    for (const queue of [GENERATE_CONVERSATION_QUEUE, DRIVE_BATCH_RUN_QUEUE]) {
      const ids = stale.filter((j) => j.name === queue).map((j) => j.id);
      if (ids.length) await failJobs(this.db, queue, ids, "the worker that took this job stopped");
    }
    await deleteStaleWorkers({ db: this.db, staleMs: WORKER_STALE_MS });
    return recovered;
  }

  private async heartbeat(): Promise<void> {
    await upsertWorkerHeartbeat({ db: this.db, id: this.id, hostname: os.hostname(), pid: process.pid, concurrency: this.options.ceiling });
    if (this.options.handle.kind === "postgres") await this.recover();
  }

  /** Refreshes the runs this worker serves: aborts cancelled ones, records their pacing. */
  private async watch(): Promise<void> {
    const runs = await listUnfinishedGenerationRuns({ db: this.db, includePaused: true });
    const byId = new Map(runs.map((r) => [r.id, r]));
    for (const [runId, slot] of this.slots) {
      const run = byId.get(runId) ?? (await getGenerationRunById({ db: this.db, id: runId }));
      if (!run) continue;
      slot.run = run;
      if (run.cancelRequested) {
        for (const entry of this.inFlight.values()) if (entry.runId === runId) entry.controller.abort(new AppError("cancelled", "The run was cancelled."));
      }
      if (slot.inFlight > 0) await updateGenerationRunThrottle({ db: this.db, id: runId, throttle: this.pacingOf(slot) as unknown as Record<string, unknown> });
      if (slot.inFlight === 0 && !byId.has(runId)) this.slots.delete(runId);
    }
    for (const run of runs) if (run.status === "running" && run.kind === "live") this.slotFor(run);
  }

  /** What paces a run in this worker now, in words a user reads in the progress line. */
  private pacingOf(slot: RunSlot): RunPacing {
    const limiter = slot.limiter;
    const state = limiter?.state();
    const limits = limiter?.describeLimits() ?? null;
    const throttledReason = limiter?.describe() ?? null;
    const limit = slot.aimd.limit;
    const set = slot.aimd.max;
    let pacedBy: string;
    if (throttledReason) pacedBy = throttledReason.replace(/^Rate limit: /, "");
    else if (limit < set) pacedBy = `concurrency ${limit} of ${set}: cut after the provider answered 429, 529 or 503 (it grows back by one after 3 successes)`;
    else pacedBy = `concurrency ${set}, ${set < slot.run.concurrency ? `this worker's ceiling (the run asked for ${slot.run.concurrency})` : "your setting"}${limits ? "" : "; no rate limit reported by the provider or set by you"}`;
    return {
      pacedBy,
      limits,
      throttled: Boolean(state?.throttled),
      reason: throttledReason,
      resumeAt: state?.resumeAt ?? null,
      concurrency: limit,
      concurrencyLimit: set,
    };
  }

  private slotFor(run: GenerationRunRow): RunSlot {
    let slot = this.slots.get(run.id);
    if (!slot) {
      const max = Math.min(run.concurrency, this.options.ceiling);
      slot = { run, aimd: new AdaptiveConcurrency({ initial: max, min: 1, max }), inFlight: 0, limiter: null };
      this.slots.set(run.id, slot);
    }
    return slot;
  }

  /** How many more live jobs to fetch: free room in the ceiling, and in the roomiest known run. */
  /**
   * How many more live jobs to fetch: room in the ceiling and in the roomiest known run, plus half
   * as many again (at least one): a claimed conversation spends part of its time rendering and
   * storing outside the provider call, and the next call should start the moment a slot frees.
   */
  private fetchSize(): number {
    const ahead = (limit: number) => Math.max(1, Math.ceil(limit / 2));
    const free = this.options.ceiling + ahead(this.options.ceiling) - this.inFlight.size;
    if (free <= 0) return 0;
    const live = [...this.slots.values()].filter((s) => s.run.status === "running" && !s.run.cancelRequested);
    if (!live.length) return Math.min(free, 8);
    const room = Math.max(...live.map((s) => s.aimd.limit + ahead(s.aimd.limit) - s.inFlight));
    return Math.max(0, Math.min(free, room));
  }

  private async loop(): Promise<void> {
    const pollMs = this.options.pollMs ?? 250;
    while (this.running) {
      let started = 0;
      try {
        const size = this.fetchSize();
        if (size > 0) {
          const jobs = await this.options.boss.fetch<GenerateConversationJob>(GENERATE_CONVERSATION_QUEUE, { batchSize: size, includeMetadata: true } as never);
          for (const job of jobs ?? []) this.startJob(job as PgBoss.JobWithMetadata<GenerateConversationJob>, () => this.processLive(job as PgBoss.JobWithMetadata<GenerateConversationJob>));
          started += jobs?.length ?? 0;
        }
        if (this.inFlight.size < this.options.ceiling * 2) {
          const steps = await this.options.boss.fetch<DriveBatchRunJob>(DRIVE_BATCH_RUN_QUEUE, { batchSize: 1, includeMetadata: true } as never);
          for (const job of steps ?? []) this.startJob(job as PgBoss.JobWithMetadata<DriveBatchRunJob>, () => this.processBatchStep(job as PgBoss.JobWithMetadata<DriveBatchRunJob>));
          started += steps?.length ?? 0;
        }
      } catch (error) {
        this.log(`could not fetch jobs: ${(error as Error).message}`);
      }
      if (started === 0) {
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

  private startJob(job: { id: string; data: { runId: string } }, work: (controller: AbortController) => Promise<void>): void {
    const controller = new AbortController();
    const entry: InFlight = { runId: job.data.runId, controller, done: Promise.resolve() };
    this.inFlight.set(job.id, entry);
    entry.done = work(controller)
      .catch((error) => this.log(`job ${job.id} failed: ${(error as Error).stack ?? error}`))
      .finally(() => {
        this.inFlight.delete(job.id);
        this.wake?.();
      });
  }

  /**
   * One live job: claim its item at once (so a job is never held unclaimed: if this worker dies,
   * the item is running under its id and recovery finds it), wait for a slot of the run's
   * concurrency, generate, finish — or interrupt / release.
   */
  private async processLive(job: PgBoss.JobWithMetadata<GenerateConversationJob>): Promise<void> {
    const entry = this.inFlight.get(job.id) as InFlight;
    const { runId, itemId } = job.data;
    const base = { db: this.db, itemId, runId, jobId: job.id, workerId: this.id };
    const claim = await claimItem({ db: this.db, itemId, jobId: job.id, workerId: this.id });
    if (!claim.claimed) return;
    const slot = this.slotFor(claim.run);
    slot.run = claim.run;
    slot.inFlight += 1;
    try {
      if (!this.running) {
        await this.withRetries(() => interruptItem({ ...base, reason: "shutdown" }));
        return;
      }
      await this.generate(job, claim, slot, entry);
    } finally {
      slot.inFlight -= 1;
    }
  }

  private async generate(job: PgBoss.JobWithMetadata<GenerateConversationJob>, claim: Extract<ClaimResult, { claimed: true }>, slot: RunSlot, entry: InFlight): Promise<void> {
    const { runId, itemId } = job.data;
    const { provider, model } = await this.options.providerFor(claim.run);
    const { priceOverrides, retryPolicy } = await this.pricingAndRetry(claim.run);
    const timeout = setTimeout(
      () => entry.controller.abort(new AppError("timeout", `Generating this conversation took longer than ${Math.round(JOB_WORK_LIMIT_MS / 60_000)} minutes; it was stopped.`, { retryable: true })),
      JOB_WORK_LIMIT_MS,
    );
    const finishInTransaction = async (tx: Database, result: { succeeded: boolean }) => {
      await this.options.faults?.beforeFinish?.({ runId, itemId, attempt: job.retryCount + 1 });
      await finishItem(tx, { itemId, runId, jobId: job.id, workerId: this.id, succeeded: result.succeeded });
    };
    // The judge uses the run's provider with its own model: its calls go through the run's
    // concurrency and spending limit, and the rate limits of the judge model.
    const judge: RunJudge | undefined = claim.run.judgeModel
      ? { provider, model: claim.run.judgeModel, gate: this.gateFor(slot, claim.run, provider, claim.run.judgeModel, priceOverrides) }
      : undefined;
    try {
      if (claim.run.purpose === "judge") {
        if (!judge) throw new AppError("internal_error", `Judge run ${runId} has no judge model.`);
        const outcome = await judgeStoredConversation({
          db: this.db,
          id: claim.conversationId,
          runId,
          userId: this.options.userId,
          judge,
          priceOverrides,
          retryPolicy,
          signal: entry.controller.signal,
          finishInTransaction,
        });
        this.options.onJudgeOutcome?.({ ...outcome, runId });
        for (const watcher of this.outcomeWatchers) watcher.onJudgeOutcome?.({ ...outcome, runId });
        return;
      }
      const outcome = await generateConversation({
        db: this.db,
        id: claim.conversationId,
        runId,
        userId: this.options.userId,
        provider,
        model,
        priceOverrides,
        retryPolicy,
        signal: entry.controller.signal,
        gate: this.gateFor(slot, claim.run, provider, model, priceOverrides),
        judge,
        finishInTransaction,
      });
      this.options.onOutcome?.({ ...outcome, runId });
      for (const watcher of this.outcomeWatchers) watcher.onOutcome?.({ ...outcome, runId });
    } catch (error) {
      await this.afterError(job, error, entry.controller.signal);
    } finally {
      clearTimeout(timeout);
    }
  }

  /** The prices and retry policy for `run`'s next conversation (pricingAndRetryFor, else the fixed options). */
  private async pricingAndRetry(run: GenerationRunRow): Promise<{ priceOverrides?: PriceOverrides; retryPolicy?: RetryPolicy }> {
    if (this.options.pricingAndRetryFor) return this.options.pricingAndRetryFor(run);
    return { priceOverrides: this.options.priceOverrides, retryPolicy: this.options.retryPolicy };
  }

  /** What happens to a claimed item whose generation threw instead of ending generated or failed. */
  private async afterError(job: PgBoss.JobWithMetadata<GenerateConversationJob>, error: unknown, signal: AbortSignal): Promise<void> {
    const { runId, itemId } = job.data;
    const base = { db: this.db, itemId, runId, jobId: job.id, workerId: this.id };
    if (isAppError(error) && error.code === "item_lost") {
      this.log(error.message);
      return;
    }
    if (isInterruption(error)) {
      if (error.code === "cancelled") {
        const run = await getGenerationRunById({ db: this.db, id: runId });
        await interruptItem({ ...base, reason: run?.cancelRequested ? "cancelled" : "shutdown" });
        return;
      }
      await interruptItem({ ...base, reason: error.code === "spend_limit_reached" ? "provider_spend_limit" : "spending_limit" });
      this.log(error.message);
      return;
    }
    if (signal.aborted && isAppError(signal.reason) && signal.reason.code === "cancelled") {
      await interruptItem({ ...base, reason: "shutdown" });
      return;
    }
    // A database or programming error: the item goes back with its job, which pg-boss retries with backoff.
    const lastAttempt = job.retryCount >= job.retryLimit;
    this.log(`conversation of item ${itemId} stopped by an error${lastAttempt ? " (no retries left)" : "; pg-boss will retry it"}: ${(error as Error).message}`);
    await this.withRetries(() => releaseItem({ ...base, error: error as Error, lastAttempt }));
  }

  /** One batch step job (submit, poll, ingest) of a batch run. */
  private async processBatchStep(job: PgBoss.JobWithMetadata<DriveBatchRunJob>): Promise<void> {
    const entry = this.inFlight.get(job.id) as InFlight;
    try {
      const run = this.options.pricingAndRetryFor ? await getGenerationRunById({ db: this.db, id: job.data.runId }) : null;
      const { priceOverrides } = run ? await this.pricingAndRetry(run) : { priceOverrides: this.options.priceOverrides };
      await driveBatchStep({
        handle: this.options.handle,
        jobId: job.id,
        runId: job.data.runId,
        workerId: this.id,
        userId: this.options.userId,
        priceOverrides,
        signal: entry.controller.signal,
        log: (line) => this.log(line),
        ...this.options.batch,
      });
    } catch (error) {
      this.log(`batch run ${job.data.runId}: ${(error as Error).message}${job.retryCount >= job.retryLimit ? " (no retries left)" : "; pg-boss will retry this step"}`);
      await this.withRetries(() => failJobs(this.db, DRIVE_BATCH_RUN_QUEUE, [job.id], (error as Error).message));
    }
  }

  /** Runs a database write up to 5 times, 1 s apart (a database blip must not strand an item). */
  private async withRetries(write: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await write();
        return;
      } catch (error) {
        if (attempt >= 5) {
          this.log(`could not write to the database after ${attempt} tries (${(error as Error).message}); the job will be recovered when this worker stops`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  /**
   * Rate limits + spending limit + AIMD for one run's calls to `model` (the run's model, or its
   * judge model: each model has its own rate-limit buckets; the user's configured limits apply to
   * the run's model only).
   */
  private gateFor(slot: RunSlot, run: GenerationRunRow, provider: LlmProvider, model: string, overrides: PriceOverrides | undefined): CallGate {
    const limiter = model === run.model ? this.limiters.get(run.provider, model, configuredLimitsOf(run) ?? {}) : this.limiters.shared(run.provider, model);
    if (model === run.model && slot.limiter !== limiter) {
      slot.limiter = limiter;
      // Say at once what will pace the run (the watch refreshes it every second after).
      void updateGenerationRunThrottle({ db: this.db, id: run.id, throttle: this.pacingOf(slot) as unknown as Record<string, unknown> }).catch(() => undefined);
    }
    const aimd = slot.aimd;
    const db = this.db;
    return {
      async beforeCall({ inputTokens, maxOutputTokens, signal }) {
        // The run's concurrency counts calls to the provider: a conversation storing its reply or
        // waiting out a retry's backoff does not hold a slot.
        try {
          await aimd.acquire(signal);
        } catch {
          throw new AppError("cancelled", "Generation was cancelled.");
        }
        const maxUsd = provider.isLanguageModel ? costUsd({ model, inputTokens, outputTokens: maxOutputTokens }, overrides) : 0;
        if (!(await reserveGenerationRunBudget({ db, id: run.id, maxUsd }).catch((error) => {
          aimd.release();
          throw error;
        }))) {
          aimd.release();
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
          aimd.release();
          await releaseGenerationRunBudget({ db, id: run.id, maxUsd });
          throw signal?.aborted ? new AppError("cancelled", "Generation was cancelled.") : error;
        }
        return {
          async after(outcome) {
            // Settling with the headers lets the limiter learn the provider's limits and remaining
            // counts before the refund can grant another call.
            permit.settle({ inputTokens: outcome.inputTokens, outputTokens: outcome.outputTokens }, Object.keys(outcome.headers).length ? outcome.headers : undefined);
            const error = outcome.error;
            const retryAfterMs = isAppError(error) ? ((error.detail.retryAfterMs as number | null | undefined) ?? null) : null;
            if (isAppError(error) && error.code === "rate_limited") {
              // Every sender waits out the 429's retry-after (or the reported reset).
              limiter.onRateLimited({ headers: outcome.headers, retryAfterMs, reason: "the provider answered 429 Too Many Requests" });
              aimd.onRateLimited();
            } else if (isAppError(error) && (error.code === "overloaded" || (error.code === "server_error" && error.detail.status === 503))) {
              if (retryAfterMs) limiter.pauseFor(retryAfterMs, `the provider answered ${error.code === "overloaded" ? "529 Overloaded" : "503 Service Unavailable"}`);
              aimd.onRateLimited();
            } else if (!error) {
              aimd.onSuccess();
            } else {
              aimd.onError();
            }
            aimd.release();
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
