import "server-only";
/**
 * What the cost page, its CSV, the run summary and the generate dialog's cost history show
 * (issue 13 item 4; US13.1.1, US13.2.1, US13.2.2). Reads run in parallel through
 * src/server/db/queries/cost-analytics.ts and run-reports.ts; the rules (spread, accuracy, budget,
 * recommendations, periods) are src/core/cost/cost-analytics.ts; the run summary is the CLI's
 * `brightrun runs show` report (src/core/generation/run-report.ts), not a second computation.
 */
import { stringify } from "csv-stringify/sync";
import {
  costRecommendations,
  describeEstimateAccuracy,
  estimateAccuracy,
  fillSpendSeries,
  monthlyBudgetState,
  periodStart,
  nextPeriodStart,
  recentPeriods,
  type CostHistoryForEstimate,
  type CostPeriod,
  type EstimateAccuracy,
  type MonthlyBudgetState,
  type RecommendationOutcome,
  type SpendPoint,
} from "../core/cost/cost-analytics";
import { priceFor } from "../core/cost/prices";
import { AppError } from "../core/errors";
export type { CostHistoryForEstimate } from "../core/cost/cost-analytics";
import { loadRunReport, type RunReport } from "../core/generation/run-report";
import type { DbOrTx } from "./db/client";
import { getMonthlyBudget, updateMonthlyBudget, getSpendTotal, listCostLedger, listCostOptions, listSpendBreakdown, listSpendByPeriod, type SpendBreakdownRow } from "./db/queries/cost-analytics";
import { getRunReportById, listFinishedRunCosts, type FinishedRunCost } from "./db/queries/run-reports";
import { readEngineSettings } from "./env";
import { engineSettingsWithSettings } from "./settings/model-settings";
import { recordSettingsChanges, type SettingsActor } from "./settings/settings-audit";

/**
 * How many of the latest finished runs the cost page and the Generate dialog read (run list,
 * estimate accuracy, past average per conversation): the same number, so both say the same. A
 * project choice bounding the read; older runs still count on the spend charts.
 */
const RUN_HISTORY_LIMIT = 200;

/** Everything the cost page shows. USD, tokens; periods UTC. */
export interface CostOverview {
  period: CostPeriod;
  /** Spend per period over the last DEFAULT_PERIOD_COUNT periods, oldest first. */
  series: SpendPoint[];
  /** The range the series and breakdowns cover, ISO 8601 ([from, to)). */
  from: string;
  to: string;
  /** USD of calls to language models in the range. */
  rangeUsd: number;
  /** Calls of the simulated provider in the range (not a language model) and their recorded USD (0 unless a price was set for it). */
  simulatedCalls: number;
  simulatedUsd: number;
  breakdown: SpendBreakdownRow[];
  /** Models of the breakdown without a known price: their recorded cost is $0 and shown as unknown. */
  unpricedModels: string[];
  /** This calendar month (UTC) against the monthly budget. */
  month: { start: string; spentUsd: number; budget: MonthlyBudgetState };
  accuracy: EstimateAccuracy;
  accuracyText: string;
  recommendations: RecommendationOutcome[];
  /** Finished generate runs, newest first, with estimate vs actual. */
  runs: Array<Omit<FinishedRunCost, "startedAt" | "finishedAt"> & { startedAt: string; finishedAt: string | null }>;
}

/** A finished run's estimate and actual in the accuracy statistics: completed runs of a language model only (a cancelled or failed run did not do what was estimated). */
function accuracyRuns(runs: readonly FinishedRunCost[]): FinishedRunCost[] {
  return runs.filter((r) => r.status === "completed" && r.provider !== "simulated" && r.estimatedUsd !== null);
}

/**
 * Loads the cost page of a workspace.
 * @param period how the trend groups spend
 * @param now the clock (tests pass one)
 */
export async function loadCostOverview({ db, workspaceId, period, now = new Date() }: { db: DbOrTx; workspaceId: string; period: CostPeriod; now?: Date }): Promise<CostOverview> {
  const { starts, from, to } = recentPeriods(period, now);
  const monthStart = periodStart("month", now);
  const monthEnd = nextPeriodStart("month", monthStart);
  const [rows, breakdown, monthSpent, budget, runs, options, pricing] = await Promise.all([
    listSpendByPeriod({ db, workspaceId, period, from, to }),
    listSpendBreakdown({ db, workspaceId, from, to }),
    getSpendTotal({ db, workspaceId, from: monthStart, to: monthEnd }),
    getMonthlyBudget({ db, workspaceId }),
    listFinishedRunCosts({ db, workspaceId, limit: RUN_HISTORY_LIMIT }),
    listCostOptions({ db, workspaceId }),
    engineSettingsWithSettings(db, workspaceId, readEngineSettings()),
  ]);
  const known = (model: string) => priceFor(model, pricing.priceOverrides).known;
  const accuracy = estimateAccuracy(accuracyRuns(runs).map((r) => ({ estimatedUsd: r.estimatedUsd as number, actualUsd: r.costUsd })));
  return {
    period,
    series: fillSpendSeries(starts, rows),
    from: from.toISOString(),
    to: to.toISOString(),
    rangeUsd: rows.reduce((n, r) => n + r.costUsd, 0),
    simulatedCalls: rows.reduce((n, r) => n + r.simulatedCalls, 0),
    simulatedUsd: rows.reduce((n, r) => n + r.simulatedCostUsd, 0),
    breakdown,
    unpricedModels: breakdown.filter((r) => r.dimension === "model" && !r.simulated && !known(r.key)).map((r) => r.key),
    month: { start: monthStart.toISOString(), spentUsd: monthSpent, budget: monthlyBudgetState({ budgetUsd: budget, spentUsd: monthSpent }) },
    accuracy,
    accuracyText: describeEstimateAccuracy(accuracy),
    recommendations: costRecommendations(options.map((o) => ({ ...o, priceKnown: o.dimension === "template" || known(o.key) }))),
    runs: runs.slice(0, 50).map((r) => ({ ...r, startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null })),
  };
}

/**
 * The past cost figures the generate dialog shows beside an estimate: the average per conversation of
 * `model` in this workspace's finished runs, the accuracy of past estimates (completed runs of any
 * language model), and the month against the budget. The simulated provider has no cost history worth
 * showing: its average is null.
 */
export async function loadCostHistoryForEstimate({ db, workspaceId, model, simulated, now = new Date() }: { db: DbOrTx; workspaceId: string; model: string; simulated: boolean; now?: Date }): Promise<CostHistoryForEstimate> {
  const monthStart = periodStart("month", now);
  const [runs, budget, spent] = await Promise.all([
    listFinishedRunCosts({ db, workspaceId, limit: RUN_HISTORY_LIMIT }),
    getMonthlyBudget({ db, workspaceId }),
    getSpendTotal({ db, workspaceId, from: monthStart, to: nextPeriodStart("month", monthStart) }),
  ]);
  const ofModel = simulated ? [] : runs.filter((r) => r.provider !== "simulated" && r.model === model && r.conversations > 0);
  const conversations = ofModel.reduce((n, r) => n + r.conversations, 0);
  const accuracy = estimateAccuracy(accuracyRuns(runs).map((r) => ({ estimatedUsd: r.estimatedUsd as number, actualUsd: r.costUsd })));
  return {
    model,
    avgPerConversationUsd: conversations > 0 ? Math.round((ofModel.reduce((n, r) => n + r.costUsd, 0) / conversations) * 1e10) / 1e10 : null,
    runs: ofModel.length,
    accuracy,
    accuracyText: describeEstimateAccuracy(accuracy),
    budget: monthlyBudgetState({ budgetUsd: budget, spentUsd: spent }),
  };
}

/**
 * The summary of one of the workspace's runs (the report `brightrun runs show` prints).
 * @throws AppError `run_not_found` when there is no such run in this workspace
 */
export async function loadRunSummary({ db, workspaceId, runId }: { db: DbOrTx; workspaceId: string; runId: string }): Promise<RunReport> {
  const data = await getRunReportById({ db, id: runId });
  if (!data || data.run.workspaceId !== workspaceId) {
    throw new AppError("run_not_found", `There is no generation run "${runId}" in this workspace. Its runs are listed on the Cost page.`, { detail: { runId } });
  }
  return loadRunReport({ db, runId });
}

/** Columns of the accounting CSV, in order. */
export const COST_CSV_COLUMNS = [
  "created_at",
  "run_id",
  "conversation_id",
  "tier",
  "template",
  "template_version",
  "kind",
  "provider",
  "model",
  "simulated",
  "price_known",
  "user",
  "input_tokens",
  "output_tokens",
  "cost_usd",
  "duration_ms",
  "error_code",
] as const;

/**
 * The accounting CSV (RFC 4180 by csv-stringify): one row per provider call from `from` to `to`
 * (exclusive), oldest first. `cost_usd` has 6 decimals as recorded; `simulated` "yes" for the simulated
 * provider (not a language model); `price_known` "no" for a model without a price (its $0 is not a real figure).
 */
export async function costCsv({ db, workspaceId, from, to }: { db: DbOrTx; workspaceId: string; from: Date; to: Date }): Promise<string> {
  const [rows, pricing] = await Promise.all([listCostLedger({ db, workspaceId, from, to }), engineSettingsWithSettings(db, workspaceId, readEngineSettings())]);
  const known = new Map<string, boolean>();
  const isKnown = (model: string) => {
    if (!known.has(model)) known.set(model, priceFor(model, pricing.priceOverrides).known);
    return known.get(model) as boolean;
  };
  const records = rows.map((r) => [
    r.createdAt.toISOString(),
    r.runId ?? "",
    r.conversationId ?? "",
    r.tier ?? "",
    r.templateName ?? "",
    r.templateVersion ?? "",
    r.kind,
    r.provider,
    r.model,
    r.provider === "simulated" ? "yes" : "no",
    r.provider === "simulated" || isKnown(r.model) ? "yes" : "no",
    r.userId,
    r.inputTokens,
    r.outputTokens,
    r.costUsd.toFixed(6),
    r.durationMs,
    r.errorCode ?? "",
  ]);
  return stringify([[...COST_CSV_COLUMNS], ...records]);
}

/**
 * Sets (USD, rounded to micro-dollars like every recorded cost) or clears (null) the workspace's
 * monthly budget, and writes the change to the settings audit by `user` in the same transaction.
 * @returns the budget now in effect (USD or null)
 */
export async function setMonthlyBudget(db: DbOrTx, { workspaceId, budgetUsd, user }: { workspaceId: string; budgetUsd: number | null; user: SettingsActor }): Promise<number | null> {
  const rounded = budgetUsd === null ? null : Math.round(budgetUsd * 1e6) / 1e6;
  await db.transaction(async (tx) => {
    const before = await getMonthlyBudget({ db: tx, workspaceId });
    await updateMonthlyBudget({ db: tx, workspaceId, budgetUsd: rounded });
    await recordSettingsChanges(tx, { workspaceId, user, changes: [{ setting: "cost.monthlyBudgetUsd", oldValue: before, newValue: rounded }] });
  });
  return rounded;
}
