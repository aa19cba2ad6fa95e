import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors";
import {
  ANTHROPIC_CACHE_READ_MULTIPLIER,
  ANTHROPIC_CACHE_WRITE_1H_MULTIPLIER,
  ANTHROPIC_CACHE_WRITE_5M_MULTIPLIER,
  BATCH_DISCOUNT_MULTIPLIER,
  DEFAULT_MODELS,
  PRICE_TABLE,
  costUsd,
  loadPriceOverrides,
  priceFor,
} from "../../src/core/cost/prices";

describe("price table", () => {
  it("has Anthropic's cache multipliers and the batch discount as published", () => {
    expect(ANTHROPIC_CACHE_WRITE_5M_MULTIPLIER).toBe(1.25);
    expect(ANTHROPIC_CACHE_WRITE_1H_MULTIPLIER).toBe(2);
    expect(ANTHROPIC_CACHE_READ_MULTIPLIER).toBe(0.1);
    expect(BATCH_DISCOUNT_MULTIPLIER).toBe(0.5);
  });

  it("prices every default model, and the defaults are current models", () => {
    for (const model of Object.values(DEFAULT_MODELS)) {
      expect(PRICE_TABLE[model], model).toBeDefined();
      expect(PRICE_TABLE[model].status, model).toBe("current");
    }
    expect(DEFAULT_MODELS.anthropic).not.toBe("claude-sonnet-4-5");
  });

  it("keeps the models the brief names, so logged costs still add up", () => {
    for (const model of [
      "claude-sonnet-4-5",
      "claude-sonnet-4",
      "claude-opus-4-1",
      "claude-haiku-4-5",
      "claude-3-5-haiku",
      "gpt-4o",
      "gpt-4o-mini",
      "gpt-4.1",
      "gpt-4.1-mini",
      "gpt-4.1-nano",
      "gpt-5",
      "gpt-5-mini",
      "simulated-composer-1",
    ]) {
      expect(priceFor(model).known, model).toBe(true);
    }
    expect(priceFor("claude-sonnet-4-5")).toMatchObject({ input: 3, output: 15, status: "deprecated", retiresOn: "2026-11-30" });
    expect(priceFor("simulated-composer-1")).toMatchObject({ input: 0, output: 0, provider: "simulated" });
  });
});

describe("priceFor", () => {
  it("finds dated snapshots under their alias", () => {
    expect(priceFor("claude-haiku-4-5-20251001")).toMatchObject({ pricedAs: "claude-haiku-4-5", input: 1, output: 5, known: true });
    expect(priceFor("gpt-4.1-mini-2025-04-14")).toMatchObject({ pricedAs: "gpt-4.1-mini", input: 0.4, output: 1.6, known: true });
  });

  it("prices an unknown model at $0, marked as having no price set, never at another model's price", () => {
    expect(priceFor("claude-future-9")).toMatchObject({ provider: "anthropic", pricedAs: "claude-future-9", input: 0, output: 0, known: false, source: "none" });
    expect(priceFor("local-model")).toMatchObject({ provider: "openai", input: 0, output: 0, known: false, source: "none" });
    expect(costUsd({ model: "local-model", inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBe(0);
  });

  it("lets an override win over the table, and price an unknown model", () => {
    const overrides = { "claude-sonnet-5-5": { input: 2.5, output: 12 }, "llama3.1:8b": { input: 0, output: 0 } };
    expect(priceFor("claude-sonnet-5-5", overrides)).toMatchObject({ input: 2.5, output: 12, source: "override", known: true, cacheReadMultiplier: 0.05 });
    expect(priceFor("llama3.1:8b", overrides)).toMatchObject({ input: 0, output: 0, known: true, source: "override" });
  });
});

describe("costUsd", () => {
  it("charges input and output per million tokens", () => {
    // claude-sonnet-4-6: $3 in / $15 out → 2,000 × 3/1e6 + 1,000 × 15/1e6 = 0.006 + 0.015
    expect(costUsd({ model: "claude-sonnet-4-6", inputTokens: 2_000, outputTokens: 1_000 })).toBe(0.021);
    // gpt-4o-mini: $0.15 / $0.60 → 1M in + 1M out = 0.75
    expect(costUsd({ model: "gpt-4o-mini", inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBe(0.75);
    expect(costUsd({ model: "simulated-composer-1", inputTokens: 5_000, outputTokens: 5_000 })).toBe(0);
  });

  it("applies the cache write (5 min ×1.25, 1 h ×2) and read (×0.1) multipliers to the input price", () => {
    // claude-haiku-4-5: $1 in. 1M written for 5 min = $1.25; for 1 h = $2; 1M read = $0.10
    expect(costUsd({ model: "claude-haiku-4-5", inputTokens: 0, outputTokens: 0, cacheWriteTokens: 1_000_000 })).toBe(1.25);
    expect(costUsd({ model: "claude-haiku-4-5", inputTokens: 0, outputTokens: 0, cacheWriteTokens: 1_000_000, cacheWriteTtl: "1h" })).toBe(2);
    expect(costUsd({ model: "claude-haiku-4-5", inputTokens: 0, outputTokens: 0, cacheReadTokens: 1_000_000 })).toBe(0.1);
    // all together: 0.5 + 1.25×0.2 + 0.1×0.3 + 5×0.1 = 0.5 + 0.25 + 0.03 + 0.5
    expect(
      costUsd({ model: "claude-haiku-4-5", inputTokens: 500_000, cacheWriteTokens: 200_000, cacheReadTokens: 300_000, outputTokens: 100_000 }),
    ).toBe(1.28);
  });

  it("uses a model's own cache-read multiplier where it has one", () => {
    // claude-sonnet-5-5: $2 in, reads at ×0.05 → 1M read = $0.10
    expect(costUsd({ model: "claude-sonnet-5-5", inputTokens: 0, outputTokens: 0, cacheReadTokens: 1_000_000 })).toBe(0.1);
  });

  it("halves everything for batches", () => {
    expect(costUsd({ model: "claude-sonnet-4-6", inputTokens: 2_000, outputTokens: 1_000, batch: true })).toBe(0.0105);
  });

  it("bills a whole long-prompt request at the long band", () => {
    // claude-haiku-5-5: $0.10/$0.50 up to 100k prompt tokens, $0.50/$2.50 above
    expect(costUsd({ model: "claude-haiku-5-5", inputTokens: 100_000, outputTokens: 10_000 })).toBe(0.015);
    expect(costUsd({ model: "claude-haiku-5-5", inputTokens: 100_001, outputTokens: 10_000 })).toBeCloseTo(0.0750005, 10);
    // cache reads count toward the prompt size
    expect(costUsd({ model: "claude-haiku-5-5", inputTokens: 50_000, cacheReadTokens: 60_000, outputTokens: 0 })).toBeCloseTo(0.025 + 0.003, 10);
  });

  it("uses overrides", () => {
    expect(costUsd({ model: "gpt-4.1", inputTokens: 1_000_000, outputTokens: 0 }, { "gpt-4.1": { input: 1, output: 4 } })).toBe(1);
  });

  it("refuses negative or non-numeric token counts", () => {
    expect(() => costUsd({ model: "gpt-4.1", inputTokens: -1, outputTokens: 0 })).toThrow(/inputTokens = -1; token counts must be zero or more/);
    expect(() => costUsd({ model: "gpt-4.1", inputTokens: 0, outputTokens: Number.NaN })).toThrow(AppError);
  });
});

describe("loadPriceOverrides", () => {
  it("reads BRIGHTRUN_PRICES and treats unset or blank as no overrides", () => {
    expect(loadPriceOverrides({})).toEqual({});
    expect(loadPriceOverrides({ BRIGHTRUN_PRICES: "  " })).toEqual({});
    expect(loadPriceOverrides({ BRIGHTRUN_PRICES: '{"claude-sonnet-5-5":{"input":3,"output":15}}' })).toEqual({
      "claude-sonnet-5-5": { input: 3, output: 15 },
    });
  });

  it("explains bad JSON in plain English", () => {
    try {
      loadPriceOverrides({ BRIGHTRUN_PRICES: "{claude: 3}" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      const appError = error as AppError;
      expect(appError.code).toBe("invalid_price_overrides");
      expect(appError.retryable).toBe(false);
      expect(appError.message).toMatch(/^BRIGHTRUN_PRICES is not valid JSON \(.+\)\. Expected model ids mapped to USD per million tokens, e\.g\. \{"claude-sonnet-5-5"/);
    }
  });

  it("explains a wrong shape, naming the model and field", () => {
    expect(() => loadPriceOverrides({ BRIGHTRUN_PRICES: '{"gpt-4.1":{"input":-2,"output":8}}' })).toThrow(/BRIGHTRUN_PRICES has the wrong shape \(gpt-4\.1\.input: /);
    expect(() => loadPriceOverrides({ BRIGHTRUN_PRICES: '{"gpt-4.1":{"input":2}}' })).toThrow(/gpt-4\.1\.output/);
    expect(() => loadPriceOverrides({ BRIGHTRUN_PRICES: '{"gpt-4.1":{"input":2,"output":8,"currency":"EUR"}}' })).toThrow(/wrong shape/);
  });
});
