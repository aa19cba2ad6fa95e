import { describe, expect, it } from "vitest";
import { estimateRun, formatEstimate, type EstimateInput, type EstimateSlot } from "../../src/core/cost/estimate";

const NO_LIMITS = { requestsPerMinute: Infinity, inputTokensPerMinute: Infinity, outputTokensPerMinute: Infinity };
const NO_HISTORY = { template: undefined, scenario: undefined, edge_case: undefined };

function slots(tier: EstimateSlot["tier"], n: number, promptTokens = 1_000, maxOutputTokens = 6_000): EstimateSlot[] {
  return Array.from({ length: n }, () => ({ tier, promptTokens, maxOutputTokens }));
}

function sonnet(overrides: Partial<EstimateInput>): EstimateInput {
  return { provider: "anthropic", model: "claude-sonnet-5-5", slots: [], history: NO_HISTORY, limits: NO_LIMITS, concurrency: 3, ...overrides };
}

describe("estimateRun", () => {
  it("prices a tier without history from its prompt plus 1,800 expected reply tokens, and the worst case at max_tokens", () => {
    // claude-sonnet-5-5: $2 / M input, $10 / M output.
    // One conversation: 1,000 × 2 / 1e6 + 1,800 × 10 / 1e6 = 0.002 + 0.018 = $0.02.
    // Worst case: 1,000 × 2 / 1e6 + 6,000 × 10 / 1e6 = $0.062.
    const estimate = estimateRun(sonnet({ slots: slots("template", 2) }));
    expect(estimate.basis.template).toBe("prompt");
    expect(estimate.conversations).toBe(2);
    expect(estimate.costUsd).toBeCloseTo(0.04, 10);
    expect(estimate.perConversationCostUsd).toBeCloseTo(0.02, 10);
    expect(estimate.maxCostUsd).toBeCloseTo(0.124, 10);
    expect(estimate.perTier.template).toEqual({ conversations: 2, costUsd: expect.closeTo(0.04, 10), timeMs: 20_000 });
    expect(estimate.perTier.scenario).toEqual({ conversations: 0, costUsd: 0, timeMs: 0 });
  });

  it("never expects more reply tokens than max_tokens allows", () => {
    // 1,000 in + min(1,800, 500) = 500 out → 0.002 + 0.005 = $0.007.
    const estimate = estimateRun(sonnet({ slots: slots("template", 1, 1_000, 500) }));
    expect(estimate.costUsd).toBeCloseTo(0.007, 10);
  });

  it("uses a tier's history once it has 3 conversations of the model, and prompt size below that", () => {
    const history = {
      template: { conversations: 2, avgCostUsd: 9, avgInputTokens: 9_000, avgOutputTokens: 9_000, avgDurationMs: 99_000 },
      scenario: { conversations: 3, avgCostUsd: 0.05, avgInputTokens: 1_200, avgOutputTokens: 2_000, avgDurationMs: 20_000 },
      edge_case: undefined,
    };
    const estimate = estimateRun(sonnet({ slots: [...slots("template", 2), ...slots("scenario", 3)], history }));
    expect(estimate.basis).toEqual({ template: "prompt", scenario: "history", edge_case: "prompt" });
    // template 2 × $0.02 (prompt) + scenario 3 × $0.05 (history) = $0.19
    expect(estimate.perTier.template.costUsd).toBeCloseTo(0.04, 10);
    expect(estimate.perTier.scenario.costUsd).toBeCloseTo(0.15, 10);
    expect(estimate.costUsd).toBeCloseTo(0.19, 10);
    expect(estimate.perConversationCostUsd).toBeCloseTo(0.038, 10);
    // (2 × 30,000 + 3 × 20,000) / concurrency 3 = 40,000 ms; per conversation 120,000 / 5 = 24,000 ms
    expect(estimate.timeMs).toBe(40_000);
    expect(estimate.perConversationMs).toBe(24_000);
  });

  it("is bound by the output-tokens-per-minute limit when that is tighter than the concurrency", () => {
    // 10 calls at 30 s with concurrency 10 would take 30 s, but 10 × 1,800 = 18,000 output tokens
    // at 6,000 per minute take 3 minutes.
    const limits = { requestsPerMinute: 1_000, inputTokensPerMinute: 1_000_000, outputTokensPerMinute: 6_000 };
    const estimate = estimateRun(sonnet({ slots: slots("edge_case", 10), limits, concurrency: 10 }));
    expect(estimate.timeMs).toBe(180_000);
    const unbound = estimateRun(sonnet({ slots: slots("edge_case", 10), concurrency: 10 }));
    expect(unbound.timeMs).toBe(30_000);
    const byRequests = estimateRun(sonnet({ slots: slots("edge_case", 10), limits: { ...NO_LIMITS, requestsPerMinute: 2 }, concurrency: 10 }));
    expect(byRequests.timeMs).toBe(300_000);
  });

  it("counts input and output together against a combined tokens-per-minute limit (OpenAI's TPM)", () => {
    const one = slots("edge_case", 1)[0];
    const perCall = one.promptTokens + 1_800;
    const estimate = estimateRun(sonnet({ slots: slots("edge_case", 10), limits: { ...NO_LIMITS, tokensPerMinute: perCall }, concurrency: 10 }));
    expect(estimate.timeMs).toBe(10 * 60_000);
  });

  it("warns in plain English above $100, not at exactly $100", () => {
    // 5,000 × $0.02 = $100.00 exactly; 5,001 → $100.02.
    const atLimit = estimateRun(sonnet({ slots: slots("template", 5_000), concurrency: 32 }));
    expect(atLimit.costUsd).toBeCloseTo(100, 8);
    expect(atLimit.warnings.filter((w) => w.includes("cost"))).toEqual([]);
    const over = estimateRun(sonnet({ slots: slots("template", 5_001), concurrency: 32 }));
    expect(over.warnings).toContainEqual(expect.stringMatching(/estimated cost, \$100\.02, is over \$100/));
  });

  it("warns above 2 hours, not at exactly 2 hours", () => {
    // 240 calls × 30 s one at a time = 7,200,000 ms = 2 h; 250 → 2 h 5 min.
    const atLimit = estimateRun(sonnet({ slots: slots("scenario", 240), concurrency: 1 }));
    expect(atLimit.timeMs).toBe(7_200_000);
    expect(atLimit.warnings).toEqual([]);
    const over = estimateRun(sonnet({ slots: slots("scenario", 250), concurrency: 1 }));
    expect(over.warnings).toEqual([expect.stringMatching(/estimated time, 2 h 5 min, is over 2 hours/)]);
    expect(formatEstimate(over)[0]).toBe("250 conversations · about $5.00 · about 2 h 5 min");
  });

  it("prices the simulated provider at $0, ignores rate limits and says it is not a language model", () => {
    const estimate = estimateRun({
      provider: "simulated",
      model: "simulated-composer-1",
      slots: [...slots("template", 40), ...slots("scenario", 35), ...slots("edge_case", 15)],
      history: NO_HISTORY,
      limits: { requestsPerMinute: 1, inputTokensPerMinute: 1, outputTokensPerMinute: 1 },
      concurrency: 3,
    });
    expect(estimate.costUsd).toBe(0);
    expect(estimate.maxCostUsd).toBe(0);
    expect(estimate.timeMs).toBeLessThan(1_000);
    const lines = formatEstimate(estimate);
    expect(lines[0]).toBe("90 conversations · $0.00 · under 1 s");
    expect(lines).toContain("Per conversation: $0.00 · under 1 s each");
    expect(lines).toContain("simulated: $0, not a language model");
    expect(lines.some((l) => l.startsWith("At most"))).toBe(false);
  });

  it("formats the headline, one line per tier with its basis, per conversation and the worst case", () => {
    const lines = formatEstimate(estimateRun(sonnet({ slots: [...slots("template", 60), ...slots("edge_case", 30)], concurrency: 3 })));
    // 90 × $0.02 = $1.80; 90 × 30 s / 3 = 900 s = 15 min
    expect(lines[0]).toBe("90 conversations · about $1.80 · about 15 min");
    expect(lines).toContain("  Template: 60 conversations · $1.20 · about 10 min (from prompt size)");
    expect(lines).toContain("  Edge case: 30 conversations · $0.60 · about 5 min (from prompt size)");
    expect(lines.some((l) => l.includes("Scenario"))).toBe(false);
    expect(lines).toContain("Per conversation: about $0.02 · about 30 s each");
    expect(lines).toContain("At most $5.58 if every reply used its full max_tokens");
  });

  it("warns when the model's price is unknown, and refuses nonsense input with a plain message", () => {
    const unknown = estimateRun(sonnet({ model: "claude-future-9", slots: slots("template", 1) }));
    expect(unknown.warnings).toEqual([expect.stringMatching(/No price is set for claude-future-9, so its cost is estimated at \$0.*BRIGHTRUN_PRICES/)]);
    expect(unknown.costUsd).toBe(0);
    expect(() => estimateRun(sonnet({ slots: slots("template", 1), concurrency: 0 }))).toThrow(/concurrency must be a whole number of 1 or more/);
    expect(() => estimateRun(sonnet({ slots: slots("template", 1, -5) }))).toThrow(/negative or missing token count/);
  });
});
