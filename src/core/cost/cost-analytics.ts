/**
 * The pure rules behind cost reporting (US13.1.1, US13.2.1, US13.2.2): the spread of costs per
 * conversation, how far an actual figure is from its estimate, how a run compares with the
 * workspace's previous runs, how accurate past estimates were, where the month stands against a
 * monthly budget, and which model or template costs less at the same approval rate. Every amount
 * is what the database recorded (generation_logs.cost_usd, priced when the call was made); nothing
 * here invents a price. Framework-free: the web, the CLI and the tests call the same functions.
 */
import { RECOMMENDATION_MIN_REVIEWED } from "../templates/template-analytics";
import { TIER_LABELS, TIERS, type Tier } from "../../lib/constants";
import { formatCostUsd } from "./estimate";
import { SPENDING_ALERT_FRACTION } from "./spending-limit";

/** Min, mean, median and max of a list of USD amounts; zeros (and count 0) for an empty list. */
export interface CostSpread {
  count: number;
  minUsd: number;
  avgUsd: number;
  medianUsd: number;
  maxUsd: number;
}

/**
 * The spread of per-conversation costs.
 * @param costsUsd USD amounts (any order; not changed)
 * @returns min / average / median / max in USD, rounded to 1e-10 to hide float noise; throws nothing
 */
export function costSpread(costsUsd: readonly number[]): CostSpread {
  if (costsUsd.length === 0) return { count: 0, minUsd: 0, avgUsd: 0, medianUsd: 0, maxUsd: 0 };
  const sorted = [...costsUsd].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { count: n, minUsd: sorted[0], avgUsd: roundUsd(sum(sorted) / n), medianUsd: roundUsd(median), maxUsd: sorted[n - 1] };
}

/**
 * (actual − expected) / expected × 100, one decimal: +12.5 means 12.5 % over the expected figure.
 * @returns 0 when both are 0; null when nothing was expected (`expected` null) or the expected
 *   figure is 0 while the actual is not (no meaningful percentage)
 */
export function percentDifference(actual: number, expected: number | null): number | null {
  if (expected === null || !Number.isFinite(expected)) return null;
  if (expected > 0) return Math.round(((actual - expected) / expected) * 1000) / 10;
  return actual === 0 ? 0 : null;
}

/** "12.5 % over the estimate", "3 % under the average", "as estimated". */
export function describeDifference(percent: number | null, what: string): string {
  if (percent === null) return `no ${what} to compare with`;
  if (percent === 0) return `the same as the ${what}`;
  return `${Math.abs(percent).toFixed(1)} % ${percent > 0 ? "over" : "under"} the ${what}`;
}

/** A previous run, for comparisons: what its calls cost and how many conversations it made calls for. */
export interface PastRunCost {
  costUsd: number;
  conversations: number;
}

/** How this run's cost per conversation compares with the workspace's earlier runs. */
export interface RunComparison {
  /** Earlier runs taken into account (with at least one conversation). */
  previousRuns: number;
  /** Σ cost / Σ conversations over those runs, USD; null without any. */
  previousAvgPerConversationUsd: number | null;
  /** This run's average against that one (percentDifference); null without earlier runs. */
  differencePercent: number | null;
}

/**
 * Compares a run's average cost per conversation with the conversation-weighted average of earlier
 * runs ("20 % lower than average", US13.2.1).
 * @param currentAvgUsd this run's average USD per conversation
 * @param previous earlier runs; those with no conversation are ignored
 */
export function compareWithPreviousRuns(currentAvgUsd: number, previous: readonly PastRunCost[]): RunComparison {
  const counted = previous.filter((r) => r.conversations > 0);
  if (!counted.length) return { previousRuns: 0, previousAvgPerConversationUsd: null, differencePercent: null };
  const avg = roundUsd(sum(counted.map((r) => r.costUsd)) / sum(counted.map((r) => r.conversations)));
  return { previousRuns: counted.length, previousAvgPerConversationUsd: avg, differencePercent: percentDifference(currentAvgUsd, avg) };
}

/**
 * Share of past runs that the accuracy statement covers (4 of 5): the band is the smallest ± % that
 * holds this share of runs. US13.1.1 asks for "Past estimates within ±10%" but names no share;
 * 80 % is this project's choice (docs/cost.md).
 */
export const ESTIMATE_ACCURACY_COVERAGE = 0.8;

/** A finished run's estimate and what it actually cost, USD. */
export interface EstimateOutcome {
  estimatedUsd: number;
  actualUsd: number;
}

/** How close past estimates came (US13.1.1: "Past estimates within ±10%"). */
export interface EstimateAccuracy {
  /** Finished runs with an estimate above $0 that the figures are taken over. */
  runs: number;
  /** Past estimates were within ±withinPercent of the actual cost for `covered` of `runs` runs; null without runs. */
  withinPercent: number | null;
  covered: number;
  /** The median absolute difference, %; null without runs. */
  medianPercent: number | null;
}

/**
 * The historical accuracy of estimates: the smallest whole percentage X such that at least
 * ESTIMATE_ACCURACY_COVERAGE (80 %) of past runs (nearest rank, rounded up) cost within ±X % of their
 * estimate, with how many runs that is and the median absolute difference. Runs estimated at $0 are
 * left out (no percentage; e.g. the simulated provider, not a language model).
 */
export function estimateAccuracy(outcomes: readonly EstimateOutcome[], coverage = ESTIMATE_ACCURACY_COVERAGE): EstimateAccuracy {
  const diffs = outcomes
    .filter((o) => o.estimatedUsd > 0 && Number.isFinite(o.actualUsd))
    .map((o) => Math.abs(((o.actualUsd - o.estimatedUsd) / o.estimatedUsd) * 100))
    .sort((a, b) => a - b);
  if (!diffs.length) return { runs: 0, withinPercent: null, covered: 0, medianPercent: null };
  const rank = Math.max(1, Math.ceil(coverage * diffs.length));
  const withinPercent = Math.max(0, Math.ceil(diffs[rank - 1] - 1e-9));
  const covered = diffs.filter((d) => d <= withinPercent + 1e-9).length;
  const n = diffs.length;
  const median = n % 2 ? diffs[(n - 1) / 2] : (diffs[n / 2 - 1] + diffs[n / 2]) / 2;
  return { runs: n, withinPercent, covered, medianPercent: Math.round(median * 10) / 10 };
}

/** The sentence the generate dialog shows for an EstimateAccuracy. */
export function describeEstimateAccuracy(accuracy: EstimateAccuracy): string {
  if (accuracy.runs === 0 || accuracy.withinPercent === null) return "No finished runs with an estimate yet, so the accuracy of estimates is not known.";
  return `Past estimates within ±${accuracy.withinPercent} % for ${accuracy.covered} of ${accuracy.runs} finished run${accuracy.runs === 1 ? "" : "s"} (median difference ${accuracy.medianPercent} %).`;
}

/** Where this calendar month's spend stands against the workspace's monthly budget. */
export interface MonthlyBudgetState {
  /** "none": no budget set; "under"; "approaching": at or above 80 %; "over": at or above the budget. */
  level: "none" | "under" | "approaching" | "over";
  budgetUsd: number | null;
  spentUsd: number;
  /** spent / budget × 100, whole number; null without a budget. */
  percent: number | null;
  /** Plain English for a banner; null when there is nothing to say (no budget, or under 80 %). */
  message: string | null;
}

/**
 * Compares the current month's spend with the monthly budget (workspaces.monthly_budget_usd). The
 * alert threshold is the spending limit's (SPENDING_ALERT_FRACTION, 80 %); crossing means spent ≥ budget.
 * @param budgetUsd USD, null = no budget; a budget ≤ 0 counts as none
 * @param spentUsd USD spent this calendar month (UTC)
 */
export function monthlyBudgetState({ budgetUsd, spentUsd }: { budgetUsd: number | null; spentUsd: number }): MonthlyBudgetState {
  if (budgetUsd === null || !(budgetUsd > 0)) return { level: "none", budgetUsd: null, spentUsd, percent: null, message: null };
  const percent = Math.round((spentUsd / budgetUsd) * 100);
  if (spentUsd >= budgetUsd) {
    return {
      level: "over",
      budgetUsd,
      spentUsd,
      percent,
      message: `This month's spend, ${formatCostUsd(spentUsd)}, has reached the monthly budget of ${formatCostUsd(budgetUsd)} (${percent} %). Raise the budget on the Cost page, or set a spending limit on each run.`,
    };
  }
  if (spentUsd >= budgetUsd * SPENDING_ALERT_FRACTION) {
    return {
      level: "approaching",
      budgetUsd,
      spentUsd,
      percent,
      message: `This month's spend, ${formatCostUsd(spentUsd)}, is ${percent} % of the monthly budget of ${formatCostUsd(budgetUsd)}.`,
    };
  }
  return { level: "under", budgetUsd, spentUsd, percent, message: null };
}

/** Reviewed outcomes and cost of one model (or template) within one tier. */
export interface CostOption {
  dimension: "model" | "template";
  tier: Tier;
  /** Model id or template id. */
  key: string;
  /** What people read: the model id, or the template's name. */
  label: string;
  /** Conversations generated with it (not seeds), and their recorded USD (conversations.cost_usd). */
  conversations: number;
  costUsd: number;
  /** Of those, approved + rejected, and approved. */
  reviewed: number;
  approved: number;
  /** False for a model without a known price (its recorded cost is not a real figure). */
  priceKnown: boolean;
}

/**
 * Approval rates closer than this many percentage points count as "the same" in a recommendation
 * (US13.2.2 asks for "at the same approval rate" without a tolerance; 5 points is this project's choice).
 */
export const SAME_APPROVAL_POINTS = 5;

/** A saving worth telling: a cheaper option with no worse approval rate. */
export interface CostRecommendation {
  tier: Tier;
  dimension: "model" | "template";
  cheaper: { key: string; label: string; avgUsd: number; approvalPercent: number; reviewed: number };
  dearer: { key: string; label: string; avgUsd: number; approvalPercent: number; reviewed: number };
  /** How much less per conversation the cheaper option cost, whole %. */
  savingPercent: number;
  text: string;
}

/** The answer for one tier and dimension: a recommendation, or why there is none. */
export interface RecommendationOutcome {
  tier: Tier;
  dimension: "model" | "template";
  recommendation: CostRecommendation | null;
  /** Plain English when there is no recommendation ("not enough data yet…"); null otherwise. */
  reason: string | null;
}

/**
 * Cost recommendations grounded in the workspace's own figures (US13.2.2): per tier and per
 * dimension (model, template), the options with at least `minReviewed` reviewed conversations
 * (default RECOMMENDATION_MIN_REVIEWED, 10, the template analytics' rule) and a known price are
 * compared; the cheapest per conversation whose approval rate is no more than SAME_APPROVAL_POINTS
 * below the best one's is set against the dearest such option. A recommendation is made only when
 * at least two options qualify and the cheaper one saves at least 1 %.
 *
 * @returns one outcome per tier and dimension that has any generated conversation
 */
export function costRecommendations(options: readonly CostOption[], minReviewed = RECOMMENDATION_MIN_REVIEWED): RecommendationOutcome[] {
  const outcomes: RecommendationOutcome[] = [];
  for (const dimension of ["model", "template"] as const) {
    for (const tier of TIERS) {
      const inTier = options.filter((o) => o.tier === tier && o.dimension === dimension);
      if (!inTier.length) continue;
      const label = `Tier ${TIERS.indexOf(tier) + 1} (${TIER_LABELS[tier]})`;
      const qualified = inTier.filter((o) => o.reviewed >= minReviewed && o.priceKnown && o.conversations > 0);
      if (qualified.length < 2) {
        outcomes.push({
          tier,
          dimension,
          recommendation: null,
          reason: `${label}: not enough data yet to compare ${dimension}s — a comparison needs at least two ${dimension}s with ${minReviewed} reviewed conversations each and a known price (${qualified.length} so far).`,
        });
        continue;
      }
      const rated = qualified.map((o) => ({ ...o, avgUsd: roundUsd(o.costUsd / o.conversations), approvalPercent: Math.round((o.approved / o.reviewed) * 1000) / 10 }));
      const bestApproval = Math.max(...rated.map((o) => o.approvalPercent));
      const acceptable = rated.filter((o) => o.approvalPercent >= bestApproval - SAME_APPROVAL_POINTS).sort((a, b) => a.avgUsd - b.avgUsd);
      const cheaper = acceptable[0];
      const dearer = acceptable[acceptable.length - 1];
      const savingPercent = dearer.avgUsd > 0 ? Math.round(((dearer.avgUsd - cheaper.avgUsd) / dearer.avgUsd) * 100) : 0;
      if (acceptable.length < 2 || savingPercent < 1) {
        outcomes.push({
          tier,
          dimension,
          recommendation: null,
          reason: `${label}: no ${dimension} costs less at the same approval rate (within ${SAME_APPROVAL_POINTS} points) among the ${rated.length} with enough reviews.`,
        });
        continue;
      }
      const pick = (o: (typeof rated)[number]) => ({ key: o.key, label: o.label, avgUsd: roundUsd(o.avgUsd), approvalPercent: o.approvalPercent, reviewed: o.reviewed });
      outcomes.push({
        tier,
        dimension,
        reason: null,
        recommendation: {
          tier,
          dimension,
          cheaper: pick(cheaper),
          dearer: pick(dearer),
          savingPercent,
          text: `${label} on ${dimension} ${cheaper.label} cost ${savingPercent} % less per conversation than ${dearer.label} (${formatCostUsd(cheaper.avgUsd)} vs ${formatCostUsd(dearer.avgUsd)}) at the same approval rate (${cheaper.approvalPercent} % vs ${dearer.approvalPercent} %, ${cheaper.reviewed} and ${dearer.reviewed} reviewed).`,
        },
      });
    }
  }
  return outcomes;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function roundUsd(usd: number): number {
  return Math.round(usd * 1e10) / 1e10;
}

/** "day" | "week" | "month": how the cost page groups spend (UTC; weeks start on Monday, ISO 8601). */
export type CostPeriod = "day" | "week" | "month";

/** How many periods the cost page shows by default: 30 days, 12 weeks, 12 months. */
export const DEFAULT_PERIOD_COUNT: Record<CostPeriod, number> = { day: 30, week: 12, month: 12 };

/**
 * The UTC start of the period that contains `at`.
 * @returns a Date at 00:00 UTC on the day, the Monday, or the 1st of the month
 */
export function periodStart(period: CostPeriod, at: Date): Date {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  if (period === "week") d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  if (period === "month") d.setUTCDate(1);
  return d;
}

/** The start of the period after the one starting at `start`. */
export function nextPeriodStart(period: CostPeriod, start: Date): Date {
  const d = new Date(start);
  if (period === "day") d.setUTCDate(d.getUTCDate() + 1);
  else if (period === "week") d.setUTCDate(d.getUTCDate() + 7);
  else d.setUTCMonth(d.getUTCMonth() + 1);
  return d;
}

/**
 * The last `count` periods up to and including the one containing `now`, oldest first, as
 * "YYYY-MM-DD" UTC starts, and the range they cover ([from, to)).
 */
export function recentPeriods(period: CostPeriod, now: Date, count = DEFAULT_PERIOD_COUNT[period]): { starts: string[]; from: Date; to: Date } {
  let start = periodStart(period, now);
  const to = nextPeriodStart(period, start);
  const starts: Date[] = [start];
  for (let i = 1; i < count; i++) {
    const previous = new Date(start);
    if (period === "day") previous.setUTCDate(previous.getUTCDate() - 1);
    else if (period === "week") previous.setUTCDate(previous.getUTCDate() - 7);
    else previous.setUTCMonth(previous.getUTCMonth() - 1);
    start = previous;
    starts.unshift(start);
  }
  return { starts: starts.map((d) => d.toISOString().slice(0, 10)), from: starts[0], to };
}

/** Spend of one period as the cost page's trend shows it; USD, tokens. */
export interface SpendPoint {
  periodStart: string;
  costUsd: number;
  calls: number;
  simulatedCalls: number;
  conversations: number;
  /** costUsd / conversations; null in a period without a conversation generated by a language model. */
  perConversationUsd: number | null;
}

/**
 * Lays recorded spend onto every period of `starts` (a period without calls is $0), with the cost
 * per conversation of each period (null where no conversation was generated by a language model).
 */
export function fillSpendSeries(starts: readonly string[], rows: ReadonlyArray<Omit<SpendPoint, "perConversationUsd">>): SpendPoint[] {
  const byStart = new Map(rows.map((r) => [r.periodStart, r]));
  return starts.map((periodStart) => {
    const r = byStart.get(periodStart);
    const costUsd = r?.costUsd ?? 0;
    const conversations = r?.conversations ?? 0;
    return {
      periodStart,
      costUsd,
      calls: r?.calls ?? 0,
      simulatedCalls: r?.simulatedCalls ?? 0,
      conversations,
      perConversationUsd: conversations > 0 ? roundUsd(costUsd / conversations) : null,
    };
  });
}

/** The generate dialog's cost history for the model about to be used (US13.1.1). USD. */
export interface CostHistoryForEstimate {
  model: string;
  /** Average USD per conversation over finished runs of this model (Σ cost / Σ conversations); null without any. */
  avgPerConversationUsd: number | null;
  /** Finished runs of this model taken into account. */
  runs: number;
  accuracy: EstimateAccuracy;
  accuracyText: string;
  /** This month against the monthly budget. */
  budget: MonthlyBudgetState;
}

