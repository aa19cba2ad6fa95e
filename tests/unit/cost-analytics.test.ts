/**
 * The cost rules a user reads on the run summary, the generate dialog and the cost page
 * (issue 13 item 4): the spread per conversation, differences against an estimate or earlier runs,
 * the accuracy of past estimates, the monthly budget crossing, the recommendation rule and the
 * period arithmetic of the trend.
 */
import { describe, expect, it } from "vitest";
import {
  compareWithPreviousRuns,
  costRecommendations,
  costSpread,
  describeEstimateAccuracy,
  estimateAccuracy,
  fillSpendSeries,
  monthlyBudgetState,
  percentDifference,
  periodStart,
  recentPeriods,
  type CostOption,
} from "../../src/core/cost/cost-analytics";
import { parseCostCsvRange, parseCostPeriod } from "../../src/lib/cost-params";

describe("costSpread", () => {
  it("gives min, average, median and max of an odd and an even list", () => {
    expect(costSpread([0.3, 0.1, 0.2])).toEqual({ count: 3, minUsd: 0.1, avgUsd: 0.2, medianUsd: 0.2, maxUsd: 0.3 });
    expect(costSpread([0.4, 0.1, 0.2, 1.3])).toEqual({ count: 4, minUsd: 0.1, avgUsd: 0.5, medianUsd: 0.3, maxUsd: 1.3 });
  });
  it("is all zeros for no conversation", () => {
    expect(costSpread([])).toEqual({ count: 0, minUsd: 0, avgUsd: 0, medianUsd: 0, maxUsd: 0 });
  });
});

describe("percentDifference", () => {
  it("is signed, one decimal, and null when there is nothing to compare with", () => {
    expect(percentDifference(1.125, 1)).toBe(12.5);
    expect(percentDifference(0.9, 1)).toBe(-10);
    expect(percentDifference(0, 0)).toBe(0);
    expect(percentDifference(1, 0)).toBeNull();
    expect(percentDifference(1, null)).toBeNull();
  });
});

describe("compareWithPreviousRuns", () => {
  it("weights earlier runs by their conversations and says how far this run is from them", () => {
    // (1.00 + 3.00) / (10 + 10) = $0.20 per conversation; this run's $0.16 is 20 % lower.
    const c = compareWithPreviousRuns(0.16, [
      { costUsd: 1, conversations: 10 },
      { costUsd: 3, conversations: 10 },
      { costUsd: 5, conversations: 0 },
    ]);
    expect(c).toEqual({ previousRuns: 2, previousAvgPerConversationUsd: 0.2, differencePercent: -20 });
  });
  it("has nothing to compare with before the first run", () => {
    expect(compareWithPreviousRuns(0.5, [])).toEqual({ previousRuns: 0, previousAvgPerConversationUsd: null, differencePercent: null });
  });
});

describe("estimateAccuracy", () => {
  it("finds the band that covers 4 of 5 runs, rounded up to a whole percent", () => {
    const runs = [
      { estimatedUsd: 10, actualUsd: 10.2 }, // 2 %
      { estimatedUsd: 10, actualUsd: 9.5 }, // 5 %
      { estimatedUsd: 10, actualUsd: 10.75 }, // 7.5 %
      { estimatedUsd: 10, actualUsd: 9.9 }, // 1 %
      { estimatedUsd: 10, actualUsd: 14 }, // 40 %
    ];
    const a = estimateAccuracy(runs);
    expect(a).toEqual({ runs: 5, withinPercent: 8, covered: 4, medianPercent: 5 });
    expect(describeEstimateAccuracy(a)).toBe("Past estimates within ±8 % for 4 of 5 finished runs (median difference 5 %).");
  });
  it("leaves out runs estimated at $0 and says so when there is no history", () => {
    const a = estimateAccuracy([{ estimatedUsd: 0, actualUsd: 0 }]);
    expect(a.runs).toBe(0);
    expect(a.withinPercent).toBeNull();
    expect(describeEstimateAccuracy(a)).toMatch(/No finished runs with an estimate yet/);
  });
  it("is exact for one run exactly on its estimate", () => {
    expect(estimateAccuracy([{ estimatedUsd: 2, actualUsd: 2 }])).toEqual({ runs: 1, withinPercent: 0, covered: 1, medianPercent: 0 });
  });
});

describe("monthlyBudgetState", () => {
  it("says nothing without a budget or under 80 %", () => {
    expect(monthlyBudgetState({ budgetUsd: null, spentUsd: 500 }).level).toBe("none");
    const under = monthlyBudgetState({ budgetUsd: 100, spentUsd: 79.99 });
    expect(under.level).toBe("under");
    expect(under.message).toBeNull();
  });
  it("warns from 80 % and alerts once the spend reaches the budget", () => {
    const near = monthlyBudgetState({ budgetUsd: 100, spentUsd: 80 });
    expect(near.level).toBe("approaching");
    expect(near.message).toContain("80 % of the monthly budget of $100.00");
    const over = monthlyBudgetState({ budgetUsd: 0.01, spentUsd: 0.05 });
    expect(over.level).toBe("over");
    expect(over.percent).toBe(500);
    expect(over.message).toMatch(/has reached the monthly budget/);
    expect(monthlyBudgetState({ budgetUsd: 100, spentUsd: 100 }).level).toBe("over");
  });
});

describe("costRecommendations", () => {
  const option = (o: Partial<CostOption> & Pick<CostOption, "key" | "costUsd" | "reviewed" | "approved">): CostOption => ({
    dimension: "model",
    tier: "template",
    label: o.key,
    conversations: 20,
    priceKnown: true,
    ...o,
  });

  it("recommends the cheaper model at the same approval rate, with the saving", () => {
    const out = costRecommendations([
      option({ key: "small-model", costUsd: 1.2, reviewed: 12, approved: 10 }), // $0.06, 83.3 %
      option({ key: "big-model", costUsd: 2, reviewed: 15, approved: 13 }), // $0.10, 86.7 %
    ]);
    expect(out).toHaveLength(1);
    const r = out[0].recommendation;
    expect(r?.cheaper.key).toBe("small-model");
    expect(r?.savingPercent).toBe(40);
    expect(r?.text).toMatch(/^Tier 1 \(Template\) on model small-model cost 40 % less per conversation than big-model/);
  });
  it("does not recommend a cheaper model whose approval rate is clearly lower", () => {
    const out = costRecommendations([
      option({ key: "small-model", costUsd: 1.2, reviewed: 12, approved: 6 }), // 50 %
      option({ key: "big-model", costUsd: 2, reviewed: 15, approved: 13 }),
    ]);
    expect(out[0].recommendation).toBeNull();
    expect(out[0].reason).toMatch(/no model costs less at the same approval rate/);
  });
  it("says not enough data yet below the minimum of reviewed conversations, or for a model without a price", () => {
    const few = costRecommendations([
      option({ key: "small-model", costUsd: 1.2, reviewed: 9, approved: 9 }),
      option({ key: "big-model", costUsd: 2, reviewed: 15, approved: 13 }),
    ]);
    expect(few[0].recommendation).toBeNull();
    expect(few[0].reason).toMatch(/not enough data yet .* at least two models with 10 reviewed conversations each/);
    const unpriced = costRecommendations([
      option({ key: "local-model", costUsd: 0, reviewed: 30, approved: 29, priceKnown: false }),
      option({ key: "big-model", costUsd: 2, reviewed: 15, approved: 13 }),
    ]);
    expect(unpriced[0].recommendation).toBeNull();
  });
  it("compares templates separately from models and tiers separately from each other", () => {
    const out = costRecommendations([
      option({ dimension: "template", key: "t1", label: "Short template", costUsd: 1, reviewed: 10, approved: 9 }),
      option({ dimension: "template", key: "t2", label: "Long template", costUsd: 2, reviewed: 10, approved: 9 }),
      option({ tier: "scenario", key: "m", costUsd: 1, reviewed: 10, approved: 9 }),
    ]);
    const template = out.find((o) => o.dimension === "template");
    expect(template?.recommendation?.text).toMatch(/on template Short template cost 50 % less/);
    expect(out.find((o) => o.dimension === "model" && o.tier === "scenario")?.recommendation).toBeNull();
  });
});

describe("periods", () => {
  it("starts weeks on Monday and months on the 1st, in UTC", () => {
    const sunday = new Date("2026-11-29T23:30:00Z");
    expect(periodStart("day", sunday).toISOString()).toBe("2026-11-29T00:00:00.000Z");
    expect(periodStart("week", sunday).toISOString()).toBe("2026-11-23T00:00:00.000Z");
    expect(periodStart("month", sunday).toISOString()).toBe("2026-11-01T00:00:00.000Z");
  });
  it("lists the last N periods up to now and fills the ones without calls with $0", () => {
    const { starts, from, to } = recentPeriods("month", new Date("2026-02-10T12:00:00Z"), 3);
    expect(starts).toEqual(["2025-12-01", "2026-01-01", "2026-02-01"]);
    expect(from.toISOString()).toBe("2025-12-01T00:00:00.000Z");
    expect(to.toISOString()).toBe("2026-03-01T00:00:00.000Z");
    const series = fillSpendSeries(starts, [{ periodStart: "2026-01-01", costUsd: 3, calls: 12, simulatedCalls: 0, conversations: 10 }]);
    expect(series.map((p) => p.costUsd)).toEqual([0, 3, 0]);
    expect(series.map((p) => p.perConversationUsd)).toEqual([null, 0.3, null]);
  });
});

describe("cost page parameters", () => {
  it("falls back to days for an unknown period", () => {
    expect(parseCostPeriod({ period: "week" })).toBe("week");
    expect(parseCostPeriod({ period: "year" })).toBe("day");
  });
  it("reads the CSV range with both days included, this month by default, and rejects bad dates in plain English", () => {
    const range = parseCostCsvRange(new URLSearchParams("from=2026-11-01&to=2026-11-30"));
    expect(range.from.toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(range.to.toISOString()).toBe("2026-12-01T00:00:00.000Z");
    const month = parseCostCsvRange(new URLSearchParams(), new Date("2026-11-29T10:00:00Z"));
    expect(month.from.toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(month.to.toISOString()).toBe("2026-11-30T00:00:00.000Z");
    expect(() => parseCostCsvRange(new URLSearchParams("from=2026-02-30"))).toThrow(/"from" must be a date written YYYY-MM-DD/);
    expect(() => parseCostCsvRange(new URLSearchParams("from=2026-11-05&to=2026-11-01"))).toThrow(/must be on or before/);
  });
});
