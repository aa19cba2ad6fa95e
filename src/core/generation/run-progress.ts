/**
 * A run's progress as every display shows it (CLI bar, server-sent events, dashboard): one
 * source, read from the database (FR4.4.1, FR4.4.2).
 */
import type { DbOrTx } from "../../server/db/client";
import { countRunItemsByState, listRecentlyFinishedRunItems, listRunningRunItems, type RunItemState } from "../../server/db/queries/run-items";
import { getGenerationRunById } from "../../server/db/queries/runs";
import { formatDurationMs } from "../cost/estimate";
import { spendingLimitState } from "../cost/spending-limit";
import { AppError } from "../errors";

export interface RunProgress {
  runId: string;
  status: string;
  pausedReason: string | null;
  cancelRequested: boolean;
  provider: string;
  model: string;
  total: number;
  /** Conversations closed (succeeded + failed + cancelled). */
  done: number;
  percent: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  items: Record<RunItemState, number>;
  /** Being generated now: "tmpl-004: Anxious First-Time Investor + Anxiety-to-Relief + Portfolio setup". */
  current: Array<{ conversationId: string; persona: string; emotion: string; topic: string }>;
  /** The last RECENT_LIMIT conversations closed, newest first: ✓ succeeded (with its quality score) or ✗ failed (US1.2.2). */
  recent: Array<{ conversationId: string; succeeded: boolean; qualityScore: number | null }>;
  elapsedMs: number;
  /** From the observed rate (closed conversations per ms since start); null until one has closed. */
  remainingMs: number | null;
  spentUsd: number;
  estimatedUsd: number | null;
  budgetUsd: number | null;
  inputTokens: number;
  outputTokens: number;
  throttle: { throttled: boolean; reason?: string | null; resumeAt?: number | null; concurrency?: number } | null;
  /** Set from 80 % of the spending limit on (US13.1.2: "Alert at 80%"): "80 % of the $50.00 limit spent ($40.12)". */
  spendingAlert: string | null;
  finished: boolean;
}

const TERMINAL = ["completed", "completed_with_failures", "failed", "cancelled"];
/** How many recently closed conversations a progress report lists. */
const RECENT_LIMIT = 8;

function alertFor(limitUsd: number, spentUsd: number, reservedUsd: number): string | null {
  const state = spendingLimitState({ limitUsd, spentUsd, reservedUsd });
  return state.alert || state.reached ? state.message : null;
}

/**
 * Reads a run's progress.
 * @throws AppError "run_not_found" for an unknown id.
 */
export async function getRunProgress({ db, runId, now = Date.now() }: { db: DbOrTx; runId: string; now?: number }): Promise<RunProgress> {
  const run = await getGenerationRunById({ db, id: runId });
  if (!run) throw new AppError("run_not_found", `There is no generation run ${runId}. List runs with \`brightrun runs\`.`);
  const [items, current, recent] = await Promise.all([
    countRunItemsByState({ db, runId }),
    listRunningRunItems({ db, runId }),
    listRecentlyFinishedRunItems({ db, runId, limit: RECENT_LIMIT }),
  ]);
  const done = items.succeeded + items.failed + items.cancelled;
  const total = run.total;
  const elapsedMs = Math.max(0, (run.finishedAt?.getTime() ?? now) - run.startedAt.getTime());
  const remaining = total - done;
  const remainingMs = TERMINAL.includes(run.status) ? 0 : done > 0 ? Math.round((elapsedMs / done) * remaining) : null;
  const estimate = run.estimate as { costUsd?: number } | null;
  return {
    runId,
    status: run.status,
    pausedReason: run.pausedReason,
    cancelRequested: run.cancelRequested,
    provider: run.provider,
    model: run.model,
    total,
    done,
    percent: total ? Math.round((done / total) * 100) : 100,
    succeeded: items.succeeded,
    failed: items.failed,
    cancelled: items.cancelled,
    items,
    current: current.map((c) => ({ conversationId: c.conversationId, persona: c.persona, emotion: c.emotion, topic: c.topic })),
    recent: recent.map((r) => ({ conversationId: r.conversationId, succeeded: r.state === "succeeded", qualityScore: r.qualityScore })),
    elapsedMs,
    remainingMs,
    spentUsd: run.costUsd,
    estimatedUsd: typeof estimate?.costUsd === "number" ? estimate.costUsd : null,
    budgetUsd: run.budgetUsd,
    inputTokens: run.inputTokens,
    outputTokens: run.outputTokens,
    throttle: (run.throttle as RunProgress["throttle"]) ?? null,
    spendingAlert: run.budgetUsd === null ? null : alertFor(run.budgetUsd, run.costUsd, run.reservedUsd),
    finished: TERMINAL.includes(run.status),
  };
}

/** "42 of 100 – 42% · 40 succeeded, 2 failed · ~18 min remaining · $1.23 of ~$3.10" */
export function describeProgress(p: RunProgress): string {
  const parts = [`${p.done} of ${p.total} – ${p.percent}%`, `${p.succeeded} succeeded, ${p.failed} failed`];
  if (p.remainingMs !== null && !p.finished) parts.push(`~${formatDurationMs(p.remainingMs)} remaining`);
  parts.push(`$${p.spentUsd.toFixed(4)}${p.estimatedUsd !== null ? ` of ~$${p.estimatedUsd.toFixed(2)} estimated` : ""}${p.budgetUsd !== null ? ` (limit $${p.budgetUsd.toFixed(2)})` : ""}`);
  if (p.throttle?.throttled && p.throttle.reason) parts.push(p.throttle.reason);
  if (p.spendingAlert) parts.push(p.spendingAlert);
  if (p.status === "paused") parts.push(`paused${p.pausedReason ? ` (${p.pausedReason.replace(/_/g, " ")})` : ""}`);
  return parts.join(" · ");
}
