import { describe, expect, it } from "vitest";
import { canStartCall, maxCallCostUsd, parseBudget, spendingLimitState } from "../../src/core/cost/spending-limit";

describe("spending limit", () => {
  it("reserves a call's prompt plus its full max_tokens", () => {
    // claude-sonnet-5-5: 1,000 × $2 / M + 6,000 × $10 / M = $0.062
    expect(maxCallCostUsd({ model: "claude-sonnet-5-5", inputTokens: 1_000, maxOutputTokens: 6_000 })).toBeCloseTo(0.062, 10);
    expect(maxCallCostUsd({ model: "claude-sonnet-5-5", inputTokens: 1_000, maxOutputTokens: 6_000, priceOverrides: { "claude-sonnet-5-5": { input: 0, output: 1 } } })).toBeCloseTo(0.006, 10);
  });

  it("starts a call only when spent + reserved + its worst case fits under the limit, exactly at the limit included", () => {
    expect(canStartCall({ limitUsd: 50, spentUsd: 49.9, reservedUsd: 0.038, callMaxUsd: 0.062 })).toBe(true); // = $50.00
    expect(canStartCall({ limitUsd: 50, spentUsd: 49.9, reservedUsd: 0.039, callMaxUsd: 0.062 })).toBe(false); // $50.001
  });

  it("counts calls still in flight: their reservations block a call that would fit on spending alone", () => {
    expect(canStartCall({ limitUsd: 50, spentUsd: 40, reservedUsd: 0, callMaxUsd: 0.062 })).toBe(true);
    expect(canStartCall({ limitUsd: 50, spentUsd: 40, reservedUsd: 9.95, callMaxUsd: 0.062 })).toBe(false);
  });

  it("alerts at 80 % of the limit and not just below", () => {
    const below = spendingLimitState({ limitUsd: 50, spentUsd: 39.99, reservedUsd: 0 });
    expect(below).toMatchObject({ alert: false, reached: false, message: "$39.99 of the $50.00 limit spent (79 %)" });
    const at = spendingLimitState({ limitUsd: 50, spentUsd: 40.12, reservedUsd: 0.5 });
    expect(at.fraction).toBeCloseTo(0.8024, 10);
    expect(at).toMatchObject({ alert: true, reached: false, message: "80 % of the $50.00 limit spent ($40.12)" });
  });

  it("pauses at 100 %, or earlier when the next call no longer fits", () => {
    expect(spendingLimitState({ limitUsd: 50, spentUsd: 50, reservedUsd: 0 })).toMatchObject({
      alert: true,
      reached: true,
      message: "Spending limit reached: $50.00 of $50.00; the run is paused. Raise the limit to continue.",
    });
    expect(spendingLimitState({ limitUsd: 50, spentUsd: 49.87, reservedUsd: 0, nextCallMaxUsd: 0.2 })).toMatchObject({
      reached: true,
      message: "Spending limit reached: $49.87 of $50.00; the run is paused. Raise the limit to continue.",
    });
    expect(spendingLimitState({ limitUsd: 50, spentUsd: 49.87, reservedUsd: 0, nextCallMaxUsd: 0.1 }).reached).toBe(false);
    expect(() => spendingLimitState({ limitUsd: 0, spentUsd: 1, reservedUsd: 0 })).toThrow(/above \$0/);
  });

  it("reads --budget as US dollars and explains anything else", () => {
    expect(parseBudget("50")).toBe(50);
    expect(parseBudget("$50")).toBe(50);
    expect(parseBudget("12.5")).toBe(12.5);
    expect(parseBudget(" $0.75 ")).toBe(0.75);
    for (const bad of ["abc", "-5", "1,000", "50 USD", "", "5.0.1", "$"]) {
      expect(() => parseBudget(bad), bad).toThrow(/like 50, \$50 or 12\.5/);
    }
    expect(() => parseBudget("0")).toThrow(/more than \$0/);
  });
});

describe("the spending alert in a run's progress", () => {
  it("appears from 80 % of the limit", async () => {
    const { describeProgress } = await import("../../src/server/runs/run-progress");
    const base = {
      runId: "r", status: "running" as const, pausedReason: null, kind: "live" as const, purpose: "generate" as const, judgeModel: null, concurrency: 3, cancelRequested: false, provider: "anthropic", model: "m", total: 10, done: 5, percent: 50,
      succeeded: 5, failed: 0, cancelled: 0, items: { queued: 5, running: 0, succeeded: 5, failed: 0, cancelled: 0 }, current: [], recent: [], elapsedMs: 1000,
      remainingMs: 1000, spentUsd: 41, estimatedUsd: 80, budgetUsd: 50, inputTokens: 0, outputTokens: 0, throttle: null, finished: false,
    };
    const { spendingLimitState: state } = await import("../../src/core/cost/spending-limit");
    const alert = state({ limitUsd: 50, spentUsd: 41, reservedUsd: 0 });
    expect(alert.alert).toBe(true);
    expect(describeProgress({ ...base, spendingAlert: alert.message })).toContain(alert.message);
    expect(state({ limitUsd: 50, spentUsd: 39, reservedUsd: 0 }).alert).toBe(false);
  });
});
