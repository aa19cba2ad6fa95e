/**
 * Generation runs: a run is a row plus one item (and one pg-boss job) per conversation. This
 * module picks what a selection names, creates the run, and drives it to the end with a worker
 * in this process (the embedded database allows no other; with PostgreSQL, `brightrun worker`
 * processes on other hosts take jobs from the same queue).
 */
import type { Database, DatabaseHandle } from "../../server/db/client";
import { createGenerationRunWithItems, getGenerationRunById } from "../../server/db/queries/runs";
import type { GenerationRunRow } from "../../server/db/schema";
import { startBoss } from "../../server/jobs/boss";
import { GenerationWorker } from "../../server/jobs/generation-worker";
import type { PriceOverrides } from "../cost/prices";
import { AppError } from "../errors";
import type { LlmProvider } from "../llm/types";
import type { GenerationOutcome } from "./generate-conversation";
import type { RetryPolicy } from "./retry-policy";
import { resolveSelection, type GenerationSelection } from "./resolve-selection";
import { getRunProgress, type RunProgress } from "./run-progress";

export type { GenerationSelection } from "./resolve-selection";

export interface RunResult {
  run: GenerationRunRow | null;
  outcomes: GenerationOutcome[];
  /** Selected conversations that were not generated, with the reason ("seed", "already approved"…). */
  skipped: Array<{ conversationId: string; reason: string }>;
  wallMs: number;
}

function runKind(selection: GenerationSelection): string {
  if (selection.ids?.length) return selection.ids.length === 1 ? "single" : "selected";
  if (selection.status?.length === 1 && selection.status[0] === "failed") return "all_failed";
  if (selection.tier?.length) return "tier";
  return "all_not_generated";
}

/**
 * Creates a run for `selection` (a row, one item per conversation) without starting it.
 * @returns null run when nothing can be generated.
 */
export async function createRun(options: {
  db: Database;
  selection: GenerationSelection;
  provider: LlmProvider;
  model: string;
  userId: string;
  concurrency: number;
  budgetUsd?: number | null;
  estimate?: Record<string, unknown> | null;
}): Promise<{ run: GenerationRunRow | null; items: Array<{ id: string; runId: string }>; skipped: RunResult["skipped"] }> {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1 || options.concurrency > 64) {
    throw new AppError("selection_invalid", `Concurrency must be a whole number from 1 to 64 (got ${options.concurrency}).`);
  }
  const { chosen, skipped } = await resolveSelection({ db: options.db, selection: options.selection });
  if (!chosen.length) return { run: null, items: [], skipped };
  const { run, items } = await createGenerationRunWithItems({
    db: options.db,
    values: {
      kind: runKind(options.selection),
      provider: options.provider.name,
      model: options.model,
      concurrency: options.concurrency,
      total: chosen.length,
      selection: { ...options.selection },
      createdBy: options.userId,
      budgetUsd: options.budgetUsd ?? null,
      estimate: options.estimate ?? null,
    },
    conversationIds: chosen.map((c) => c.id),
  });
  return { run, items: items.map((i) => ({ id: i.id, runId: run.id })), skipped };
}

/**
 * Drives runs to the end with a worker in this process, reporting progress, until `runId` is
 * finished or paused. The worker also resumes any other unfinished run it finds (a crash resumes).
 * @param providerFor the provider of a run; default: the one given for every run.
 */
export async function driveRuns(options: {
  handle: DatabaseHandle;
  runId: string;
  provider: LlmProvider;
  model: string;
  providerFor?: (run: GenerationRunRow) => { provider: LlmProvider; model: string };
  userId: string;
  concurrency: number;
  priceOverrides?: PriceOverrides;
  retryPolicy?: RetryPolicy;
  signal?: AbortSignal;
  progressEveryMs?: number;
  onProgress?: (progress: RunProgress) => void;
  onOutcome?: (outcome: GenerationOutcome & { runId: string }) => void;
  log?: (line: string) => void;
}): Promise<RunProgress> {
  const { handle, runId } = options;
  const boss = await startBoss(handle, (error) => options.log?.(`queue: ${error.message}`));
  const worker = new GenerationWorker({
    handle,
    boss,
    providerFor: (run) => (run.id === runId || !options.providerFor ? { provider: options.provider, model: options.model } : options.providerFor(run)),
    userId: options.userId,
    maxConcurrency: options.concurrency,
    initialConcurrency: options.concurrency,
    priceOverrides: options.priceOverrides,
    retryPolicy: options.retryPolicy,
    onOutcome: options.onOutcome,
    log: options.log,
    pollMs: 200,
  });
  try {
    await worker.start();
    for (;;) {
      const progress = await getRunProgress({ db: handle.db, runId });
      options.onProgress?.(progress);
      if (progress.finished || progress.status === "paused") return progress;
      await new Promise((resolve) => setTimeout(resolve, options.progressEveryMs ?? 250));
      if (options.signal?.aborted) return progress;
    }
  } finally {
    await worker.stop({ abort: Boolean(options.signal?.aborted) });
    await boss.stop({ graceful: false, wait: true, close: false } as never).catch(() => undefined);
  }
}

/**
 * Generates a selection now: creates the run and drives it to the end (its worker enqueues the jobs) in this
 * process. Used by `brightrun generate`, the demo and tests.
 */
export async function runGeneration(options: {
  handle: DatabaseHandle;
  selection: GenerationSelection;
  provider: LlmProvider;
  model: string;
  userId: string;
  concurrency: number;
  budgetUsd?: number | null;
  estimate?: Record<string, unknown> | null;
  priceOverrides?: PriceOverrides;
  retryPolicy?: RetryPolicy;
  signal?: AbortSignal;
  onStart?: (info: { total: number; runId: string }) => void;
  onProgress?: (progress: RunProgress) => void;
  log?: (line: string) => void;
}): Promise<RunResult> {
  const started = performance.now();
  const { handle } = options;
  const { run, skipped } = await createRun({ ...options, db: handle.db });
  if (!run) return { run: null, outcomes: [], skipped, wallMs: performance.now() - started };
  // No enqueue here: the worker driveRuns starts enqueues every queued item of running runs.
  options.onStart?.({ total: run.total, runId: run.id });
  const outcomes: GenerationOutcome[] = [];
  await driveRuns({ ...options, runId: run.id, onOutcome: (o) => o.runId === run.id && outcomes.push(o) });
  const finished = await getGenerationRunById({ db: handle.db, id: run.id });
  return { run: finished, outcomes, skipped, wallMs: performance.now() - started };
}
