import { describe, expect, it } from "vitest";
import { estimateRun, type RunEstimate } from "../../src/core/cost/estimate";
import { EstimateCache, estimateCacheKey } from "../../src/server/operations/estimate-cache";

const NO_LIMITS = { requestsPerMinute: Infinity, inputTokensPerMinute: Infinity, outputTokensPerMinute: Infinity };

function estimateOf(conversations: number): RunEstimate {
  const slots = Array.from({ length: conversations }, () => ({ tier: "template" as const, promptTokens: 1_000, maxOutputTokens: 4_000 }));
  return estimateRun({ provider: "anthropic", model: "claude-sonnet-4-5", slots, history: {}, limits: NO_LIMITS, concurrency: 3 });
}

const a = { id: "0b4f3c1e-0000-4000-8000-000000000001", version: "1763719200.000000" };
const b = { id: "0b4f3c1e-0000-4000-8000-000000000002", version: "1763719200.000000" };
const base = { provider: "anthropic", model: "claude-sonnet-4-5", concurrency: 3 };

describe("estimateCacheKey", () => {
  it("is the same for the same selection, and differs when anything the estimate depends on changes", () => {
    const key = estimateCacheKey({ ...base, conversations: [a, b] });
    expect(estimateCacheKey({ ...base, conversations: [{ ...a }, { ...b }] })).toBe(key);
    const changed = [
      estimateCacheKey({ ...base, conversations: [a] }),
      estimateCacheKey({ ...base, conversations: [a, b, { id: "0b4f3c1e-0000-4000-8000-000000000003", version: "1763719200.000000" }] }),
      estimateCacheKey({ ...base, conversations: [a, { ...b, version: "1763719200.000001" }] }),
      estimateCacheKey({ ...base, model: "claude-opus-4-5", conversations: [a, b] }),
      estimateCacheKey({ ...base, provider: "openai", conversations: [a, b] }),
      estimateCacheKey({ ...base, concurrency: 4, conversations: [a, b] }),
      estimateCacheKey({ ...base, priceOverrides: { "claude-sonnet-4-5": { input: 1, output: 2 } }, conversations: [a, b] }),
    ];
    expect(new Set([key, ...changed]).size).toBe(changed.length + 1);
  });
});

describe("EstimateCache", () => {
  it("gives back a stored estimate until its time is up, then counts a miss", () => {
    let now = 1_000;
    const cache = new EstimateCache({ ttlMs: 600_000, now: () => now });
    expect(cache.get("k")).toBeUndefined();
    cache.set("k", estimateOf(2));
    now += 599_999;
    expect(cache.get("k")).toEqual(estimateOf(2));
    now += 1;
    expect(cache.get("k")).toBeUndefined();
    expect(cache.stats()).toEqual({ hits: 1, misses: 2, entries: 0 });
  });

  it("holds at most maxEntries, dropping the least recently used first", () => {
    const cache = new EstimateCache({ maxEntries: 2 });
    cache.set("one", estimateOf(1));
    cache.set("two", estimateOf(2));
    expect(cache.get("one")?.conversations).toBe(1); // "two" is now the least recently used
    cache.set("three", estimateOf(3));
    expect(cache.get("two")).toBeUndefined();
    expect(cache.get("one")?.conversations).toBe(1);
    expect(cache.get("three")?.conversations).toBe(3);
    expect(cache.stats().entries).toBe(2);
  });

  it("hands out copies, so a caller changing its estimate does not change the next one", () => {
    const cache = new EstimateCache();
    cache.set("k", estimateOf(2));
    const first = cache.get("k") as RunEstimate;
    first.warnings.push("changed by a caller");
    first.costUsd = 999;
    expect(cache.get("k")).toEqual(estimateOf(2));
  });
});
