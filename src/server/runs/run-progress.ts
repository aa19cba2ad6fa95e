/**
 * A run's progress as every display shows it (CLI bar, server-sent events, dashboard): one
 * source, read from the database (FR4.4.1, FR4.4.2).
 */
import "server-only";
import { formatDurationMs } from "../../core/cost/estimate";
import { spendingLimitState } from "../../core/cost/spending-limit";
import { AppError } from "../../core/errors";
import { isTerminalRunStatus, PAUSE_REASON_LABELS, type RunPacing, type RunProgress } from "../../lib/run-states";
import { TIERS, type Tier } from "../../lib/constants";
import type { DbOrTx } from "../db/client";
import { countRunItemsByState, listRecentlyFinishedRunItems, listRunningRunItems } from "../db/queries/run-items";
import { getGenerationRunById } from "../db/queries/runs";

export type { RunProgress } from "../../lib/run-states";

const isTier = (value: unknown): value is Tier => (TIERS as readonly unknown[]).includes(value);

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
  const remainingMs = isTerminalRunStatus(run.status) ? 0 : done > 0 ? Math.round((elapsedMs / done) * remaining) : null;
  const estimate = run.estimate as { costUsd?: number } | null;
  const selection = run.selection as { ids?: unknown[]; tier?: unknown[] };
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
    kind: run.kind,
    purpose: run.purpose,
    tier: !selection.ids?.length && selection.tier?.length === 1 && isTier(selection.tier[0]) ? selection.tier[0] : null,
    judgeModel: run.judgeModel,
    concurrency: run.concurrency,
    throttle: (run.throttle as RunPacing | null) ?? null,
    spendingAlert: run.budgetUsd === null ? null : alertFor(run.budgetUsd, run.costUsd, run.reservedUsd),
    finished: isTerminalRunStatus(run.status),
  };
}

/** "42 of 100 – 42% · 40 succeeded, 2 failed · ~18 min remaining · $1.23 of ~$3.10" */
export function describeProgress(p: RunProgress): string {
  const parts = [`${p.done} of ${p.total} – ${p.percent}%`, p.purpose === "judge" ? `${p.succeeded} judged, ${p.failed} not judged` : `${p.succeeded} succeeded, ${p.failed} failed`];
  if (p.remainingMs !== null && !p.finished) parts.push(`~${formatDurationMs(p.remainingMs)} remaining`);
  parts.push(`$${p.spentUsd.toFixed(4)}${p.estimatedUsd !== null ? ` of ~$${p.estimatedUsd.toFixed(2)} estimated` : ""}${p.budgetUsd !== null ? ` (limit $${p.budgetUsd.toFixed(2)})` : ""}`);
  if (p.throttle?.pacedBy && !p.finished) parts.push(`paced by ${p.throttle.pacedBy}`);
  if (p.spendingAlert) parts.push(p.spendingAlert);
  if (p.status === "paused") parts.push(`paused${p.pausedReason ? ` (${PAUSE_REASON_LABELS[p.pausedReason]})` : ""}`);
  return parts.join(" · ");
}
