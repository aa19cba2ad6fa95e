/**
 * The cost summary after a run (US13.2.1): actual cost against the estimate recorded when it
 * started, per tier, per conversation (min, average, median, max), tokens, calls, and a CSV with
 * one row per conversation. Every amount comes from the run's own calls (generation_logs), so a
 * conversation regenerated in several runs is counted once per run, at what that run spent on it.
 */
import { stringify } from "csv-stringify/sync";
import { TIER_LABELS, TIERS, type ConversationStatus, type ProviderName, type Tier } from "../../lib/constants";
import type { DbOrTx } from "../../server/db/client";
import { getRunReportById, listFinishedRunCosts, type FinishedRunCost, type RunReportData } from "../../server/db/queries/run-reports";
import { compareWithPreviousRuns, costSpread, describeDifference, percentDifference, type RunComparison } from "../cost/cost-analytics";
import { formatCostUsd, formatDurationMs } from "../cost/estimate";
import { AppError } from "../errors";

/** One conversation of the run. USD and tokens are what this run's calls for it cost. */
export interface RunReportConversation {
  conversationId: string;
  tier: Tier;
  /** Status now. */
  status: ConversationStatus;
  /** Provider calls this run made for the conversation (retries included). */
  attempts: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  qualityScore: number | null;
}

/** Conversations, USD and tokens of one tier in the run. */
export interface RunReportTier {
  conversations: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
}

export interface RunReport {
  run: {
    id: string;
    kind: string;
    status: string;
    provider: ProviderName;
    model: string;
    concurrency: number;
    total: number;
    succeeded: number;
    failed: number;
    startedAt: Date;
    finishedAt: Date | null;
    /** finishedAt − startedAt, ms; null while the run has not finished. */
    durationMs: number | null;
  };
  /** USD estimated before the run (generation_runs.estimate.costUsd, else selection.estimate.costUsd), or null when none was recorded. */
  estimatedCostUsd: number | null;
  /** USD billed by the run's calls (Σ generation_logs.cost_usd). */
  actualCostUsd: number;
  /** (actual − estimate) / estimate × 100: +12.5 is 12.5 % over. Null without an estimate, or an estimate of $0 with a cost above it. */
  differencePercent: number | null;
  /** Wall time estimated before the run (generation_runs.estimate.timeMs), ms; null when none was recorded. */
  estimatedTimeMs: number | null;
  /** run.durationMs against estimatedTimeMs, % (as differencePercent); null while running or without an estimate. */
  timeDifferencePercent: number | null;
  /** This run's average USD per conversation against the workspace's earlier finished generate runs (same kind of provider: simulated with simulated, models with models). */
  comparison: RunComparison;
  byTier: Record<Tier, RunReportTier>;
  /** USD per conversation that the run made at least one call for; zeros when there is none. */
  perConversation: { minUsd: number; avgUsd: number; medianUsd: number; maxUsd: number };
  /** Tokens of all the run's calls. */
  tokens: { input: number; output: number };
  /** Provider calls made (generation_logs rows) and how many of them failed. */
  calls: number;
  failedCalls: number;
  /** Every conversation of the run, by id. */
  conversations: RunReportConversation[];
}

/**
 * Builds the report of one run from what the database holds about it (getRunReportById).
 *
 * Tokens and USD per conversation and per tier are sums over the run's generation_logs rows of
 * that conversation; a call whose conversation was deleted counts in the totals but in no tier.
 * The estimate is read from the run's `estimate.costUsd` (or, on older rows, `selection.estimate.costUsd`)
 * when the run recorded one, the estimated time from `estimate.timeMs`.
 * `previousRuns` (listFinishedRunCosts) are filtered here to the generate runs of the same workspace
 * that started before this one, on a provider of the same kind (simulated or a language model).
 *
 * @returns the report; throws nothing
 */
export function buildRunReport(data: RunReportData, previousRuns: readonly FinishedRunCost[] = []): RunReport {
  const { run, logs } = data;
  const perConversation = new Map<string, { calls: number; inputTokens: number; outputTokens: number; costUsd: number }>();
  for (const log of logs) {
    if (!log.conversationId) continue;
    const entry = perConversation.get(log.conversationId) ?? { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
    entry.calls += 1;
    entry.inputTokens += log.inputTokens;
    entry.outputTokens += log.outputTokens;
    entry.costUsd += log.costUsd;
    perConversation.set(log.conversationId, entry);
  }

  const rows: RunReportConversation[] = data.conversations.map((c) => {
    const used = perConversation.get(c.id) ?? { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
    return {
      conversationId: c.conversationId,
      tier: c.tier,
      status: c.status,
      attempts: used.calls,
      inputTokens: used.inputTokens,
      outputTokens: used.outputTokens,
      costUsd: roundUsd(used.costUsd),
      qualityScore: c.qualityScore,
    };
  });

  const byTier = {} as Record<Tier, RunReportTier>;
  for (const tier of TIERS) {
    const inTier = rows.filter((r) => r.tier === tier);
    byTier[tier] = {
      conversations: inTier.length,
      costUsd: roundUsd(sum(inTier.map((r) => r.costUsd))),
      inputTokens: sum(inTier.map((r) => r.inputTokens)),
      outputTokens: sum(inTier.map((r) => r.outputTokens)),
    };
  }

  const spread = costSpread(rows.filter((r) => r.attempts > 0).map((r) => r.costUsd));
  const actualCostUsd = roundUsd(sum(logs.map((l) => l.costUsd)));
  const estimatedCostUsd = recordedEstimate(run);
  const differencePercent = estimatedCostUsd === null ? null : percentDifference(actualCostUsd, estimatedCostUsd);
  const durationMs = run.finishedAt ? Math.max(0, run.finishedAt.getTime() - run.startedAt.getTime()) : null;
  const estimatedTimeMs = numberField(run.estimate, "timeMs");
  const simulated = run.provider === "simulated";
  const earlier = previousRuns.filter(
    (r) => r.id !== run.id && r.workspaceId === run.workspaceId && r.startedAt.getTime() < run.startedAt.getTime() && (r.provider === "simulated") === simulated,
  );

  return {
    run: {
      id: run.id,
      kind: run.kind,
      status: run.status,
      provider: run.provider,
      model: run.model,
      concurrency: run.concurrency,
      total: run.total,
      succeeded: run.succeeded,
      failed: run.failed,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      durationMs,
    },
    estimatedCostUsd,
    actualCostUsd,
    differencePercent,
    estimatedTimeMs,
    timeDifferencePercent: durationMs === null || estimatedTimeMs === null ? null : percentDifference(durationMs, estimatedTimeMs),
    comparison: compareWithPreviousRuns(spread.avgUsd, earlier.map((r) => ({ costUsd: r.costUsd, conversations: r.conversations }))),
    byTier,
    perConversation: { minUsd: spread.minUsd, avgUsd: spread.avgUsd, medianUsd: spread.medianUsd, maxUsd: spread.maxUsd },
    tokens: { input: sum(logs.map((l) => l.inputTokens)), output: sum(logs.map((l) => l.outputTokens)) },
    calls: logs.length,
    failedCalls: logs.filter((l) => l.errorCode !== null).length,
    conversations: rows,
  };
}

/**
 * Reads and builds the report of one run, compared with the workspace's earlier finished runs.
 *
 * @param runId generation_runs.id
 * @throws AppError `run_not_found` when there is no such run
 */
export async function loadRunReport({ db, runId }: { db: DbOrTx; runId: string }): Promise<RunReport> {
  const data = await getRunReportById({ db, id: runId });
  if (!data) {
    throw new AppError("run_not_found", `There is no generation run with the id "${runId}". List recent runs with \`brightrun runs\` or in the dashboard.`, {
      detail: { runId },
    });
  }
  const previous = await listFinishedRunCosts({ db, workspaceId: data.run.workspaceId, before: data.run.startedAt });
  return buildRunReport(data, previous);
}

/**
 * The report as lines for the CLI: the run, actual cost against the estimate (± %), one line per
 * tier with conversations, the per-conversation range, tokens and calls; for the simulated
 * provider `simulated: $0, not a language model`.
 *
 * @returns lines without trailing newlines; throws nothing
 */
export function formatRunReport(report: RunReport): string[] {
  const { run } = report;
  const conversations = report.conversations.length;
  const lines = [
    `Run ${run.id.slice(0, 8)} · ${run.status.replaceAll("_", " ")} · ${run.provider} ${run.model} · ${count(conversations, "conversation")} (${run.succeeded} generated, ${run.failed} failed)${
      run.durationMs === null ? " · still running" : ` · ${formatDurationMs(run.durationMs)}`
    }`,
  ];
  if (report.estimatedCostUsd === null) {
    lines.push(`Actual cost ${formatCostUsd(report.actualCostUsd)} · no estimate was recorded`);
  } else {
    const difference =
      report.differencePercent === null
        ? "the estimate was $0"
        : report.differencePercent === 0
          ? "as estimated"
          : `${Math.abs(report.differencePercent).toFixed(1)} % ${report.differencePercent > 0 ? "over" : "under"} the estimate`;
    lines.push(`Actual cost ${formatCostUsd(report.actualCostUsd)} · estimated ${formatCostUsd(report.estimatedCostUsd)} · ${difference}`);
  }
  for (const tier of TIERS) {
    const part = report.byTier[tier];
    if (part.conversations === 0) continue;
    lines.push(
      `  ${TIER_LABELS[tier]}: ${count(part.conversations, "conversation")} · ${formatCostUsd(part.costUsd)} · ${part.inputTokens.toLocaleString("en-US")} input / ${part.outputTokens.toLocaleString("en-US")} output tokens`,
    );
  }
  const per = report.perConversation;
  if (conversations > 0) {
    lines.push(`Per conversation: min ${formatCostUsd(per.minUsd)} · average ${formatCostUsd(per.avgUsd)} · median ${formatCostUsd(per.medianUsd)} · max ${formatCostUsd(per.maxUsd)}`);
  }
  lines.push(`Tokens: ${report.tokens.input.toLocaleString("en-US")} input · ${report.tokens.output.toLocaleString("en-US")} output`);
  if (run.durationMs !== null) {
    lines.push(
      report.estimatedTimeMs === null
        ? `Time: ${formatDurationMs(run.durationMs)} · no time estimate was recorded`
        : `Time: ${formatDurationMs(run.durationMs)} · estimated ${formatDurationMs(report.estimatedTimeMs)} · ${describeDifference(report.timeDifferencePercent, "estimate")}`,
    );
  }
  const { comparison } = report;
  if (conversations > 0) {
    lines.push(
      comparison.previousAvgPerConversationUsd === null
        ? "Previous runs: none finished before this one to compare with"
        : `Previous runs: ${formatCostUsd(per.avgUsd)} per conversation is ${describeDifference(comparison.differencePercent, "average")} of ${formatCostUsd(comparison.previousAvgPerConversationUsd)} over ${count(comparison.previousRuns, "earlier run")}`,
    );
  }
  lines.push(`Calls: ${report.calls.toLocaleString("en-US")}${report.failedCalls ? ` (${report.failedCalls} failed)` : ""}`);
  if (run.provider === "simulated") {
    lines.push(report.actualCostUsd === 0 ? "simulated: $0, not a language model" : "simulated: not a language model; its cost comes from a price set on the Settings page or in BRIGHTRUN_PRICES");
  }
  return lines;
}

/** Column names of the cost report CSV, in order. */
export const RUN_REPORT_CSV_COLUMNS = ["conversation_id", "tier", "status", "attempts", "input_tokens", "output_tokens", "cost_usd", "quality_score"] as const;

/**
 * The cost report as CSV (RFC 4180 quoting by csv-stringify): a header row of
 * RUN_REPORT_CSV_COLUMNS, then one row per conversation. `cost_usd` has 6 decimals (micro-dollars,
 * as stored); `quality_score` is empty when there is none.
 *
 * @returns CSV text ending with a newline; throws nothing
 */
export function runReportToCsv(report: RunReport): string {
  const records = report.conversations.map((c) => [
    c.conversationId,
    c.tier,
    c.status,
    c.attempts,
    c.inputTokens,
    c.outputTokens,
    c.costUsd.toFixed(6),
    c.qualityScore === null ? "" : c.qualityScore,
  ]);
  return stringify(records, { header: true, columns: [...RUN_REPORT_CSV_COLUMNS] });
}

function recordedEstimate(run: RunReportData["run"]): number | null {
  // The estimate shown before starting: the run's `estimate` column (estimateRun's result) where
  // the schema has one, else the older `selection.estimate`.
  const fromColumn = costOf((run as unknown as Record<string, unknown>).estimate);
  return fromColumn ?? costOf(run.selection.estimate);
}

function numberField(value: unknown, field: string): number | null {
  if (typeof value !== "object" || value === null) return null;
  const n = (value as Record<string, unknown>)[field];
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : null;
}

function costOf(estimate: unknown): number | null {
  if (typeof estimate !== "object" || estimate === null) return null;
  const value = (estimate as Record<string, unknown>).costUsd;
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : null;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function roundUsd(usd: number): number {
  return Math.round(usd * 1e10) / 1e10;
}

function count(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}
