/**
 * Models and prices as data (ARCHITECTURE.md, "Providers"): list prices in USD per million
 * tokens, the default model of each provider, and the arithmetic that turns token counts into
 * USD. List prices change; the user overrides any of them on the Settings page or with `BRIGHTRUN_PRICES`
 * (the environment wins per model; server/settings/model-settings.ts engineSettingsWithSettings merges them).
 */
import { z } from "zod";
import { AppError } from "../errors";
import type { ProviderName } from "../../lib/constants";

/** The day the list prices and model statuses below were last checked against the providers. */
export const PRICES_CHECKED_ON = "2026-11-21";

/**
 * Anthropic prompt-caching multipliers on the base input price
 * (https://platform.claude.com/docs/en/about-claude/pricing, "Prompt caching"):
 * a 5-minute cache write costs ×1.25, a 1-hour write ×2, a cache read ×0.1.
 * Some models price cache reads differently; their table entry says so (`cacheReadMultiplier`).
 */
export const ANTHROPIC_CACHE_WRITE_5M_MULTIPLIER = 1.25;
export const ANTHROPIC_CACHE_WRITE_1H_MULTIPLIER = 2;
export const ANTHROPIC_CACHE_READ_MULTIPLIER = 0.1;

/** Message Batches / Batch API: 50% off input and output (both providers' pricing pages). */
export const BATCH_DISCOUNT_MULTIPLIER = 0.5;

/** Tokens per "million tokens" in a price. */
const TOKENS_PER_PRICE_UNIT = 1_000_000;

/**
 * The model each provider uses when none is asked for (`--model`, `BRIGHTRUN_MODEL`).
 *
 * - anthropic `claude-sonnet-5-5`: Anthropic's current Sonnet ("Latest" on its models page) and
 *   the named successor of `claude-sonnet-4-5`, which the installed `@anthropic-ai/sdk` (1.11.0)
 *   warns is deprecated and retires 2026-11-30. It is in the SDK's `Model` list and not in its
 *   deprecated-models map.
 * - openai `gpt-5.6-luna`: the cost-efficient tier of OpenAI's current GPT-5.6 family, in the
 *   installed `openai` SDK's `ChatModel` list and on no OpenAI deprecation list. The usual older
 *   pick, `gpt-4.1-mini`, is deprecated and shuts down 2027-01-14.
 * - simulated `simulated-composer-1`: not a language model; costs nothing.
 */
export const DEFAULT_MODELS: Readonly<Record<ProviderName, string>> = {
  anthropic: "claude-sonnet-5-5",
  openai: "gpt-5.6-luna",
  simulated: "simulated-composer-1",
};

/** Where a model stands with its provider on PRICES_CHECKED_ON. */
export type ModelStatus = "current" | "legacy" | "deprecated" | "retired";

/** One row of the price table. Prices are USD per million tokens. */
export interface ModelPrice {
  provider: ProviderName;
  /** USD per million (uncached) input tokens. */
  input: number;
  /** USD per million output tokens. */
  output: number;
  /** Cache-read price as a fraction of `input`; defaults to ANTHROPIC_CACHE_READ_MULTIPLIER. */
  cacheReadMultiplier?: number;
  /**
   * A higher band for long prompts: when input + cache-write + cache-read tokens of one request
   * exceed `thresholdTokens`, every token of that request is billed at these prices.
   */
  longPrompt?: { thresholdTokens: number; input: number; output: number };
  status: ModelStatus;
  /** ISO date the provider stops (or stopped) serving the model, when announced. */
  retiresOn?: string;
}

/**
 * List prices, USD per million tokens, as published on PRICES_CHECKED_ON by
 * https://platform.claude.com/docs/en/about-claude/pricing and https://openai.com/api/pricing.
 * Retired models stay in the table so costs already logged against them still add up.
 */
export const PRICE_TABLE: Readonly<Record<string, ModelPrice>> = {
  // Anthropic — current
  "claude-sonnet-5-5": { provider: "anthropic", input: 2, output: 10, cacheReadMultiplier: 0.05, status: "current" },
  "claude-opus-5-5": { provider: "anthropic", input: 4, output: 20, cacheReadMultiplier: 0.05, status: "current" },
  "claude-haiku-5-5": {
    provider: "anthropic",
    input: 0.1,
    output: 0.5,
    longPrompt: { thresholdTokens: 100_000, input: 0.5, output: 2.5 },
    status: "current",
  },
  // Anthropic — legacy (still served)
  "claude-sonnet-5": { provider: "anthropic", input: 2, output: 10, status: "legacy" },
  "claude-sonnet-4-6": { provider: "anthropic", input: 3, output: 15, status: "legacy" },
  "claude-haiku-4-5": { provider: "anthropic", input: 1, output: 5, status: "legacy" },
  // Anthropic — deprecated / retired
  "claude-sonnet-4-5": { provider: "anthropic", input: 3, output: 15, status: "deprecated", retiresOn: "2026-11-30" },
  "claude-sonnet-4": { provider: "anthropic", input: 3, output: 15, status: "retired" },
  "claude-opus-4-1": { provider: "anthropic", input: 15, output: 75, status: "retired" },
  "claude-3-5-haiku": { provider: "anthropic", input: 0.8, output: 4, status: "retired" },

  // OpenAI — current (cached input is 10% of input on these families)
  "gpt-5.6-sol": { provider: "openai", input: 5, output: 30, cacheReadMultiplier: 0.1, status: "current" },
  "gpt-5.6-terra": { provider: "openai", input: 2, output: 12, cacheReadMultiplier: 0.1, status: "current" },
  "gpt-5.6-luna": { provider: "openai", input: 0.2, output: 1.2, cacheReadMultiplier: 0.1, status: "current" },
  "gpt-6-sol": { provider: "openai", input: 2, output: 10, cacheReadMultiplier: 0.1, status: "current" },
  "gpt-6-luna": { provider: "openai", input: 0.1, output: 0.5, cacheReadMultiplier: 0.1, status: "current" },
  // OpenAI — deprecated / retired
  "gpt-5": { provider: "openai", input: 1.25, output: 10, cacheReadMultiplier: 0.1, status: "deprecated", retiresOn: "2026-12-11" },
  "gpt-5-mini": { provider: "openai", input: 0.25, output: 2, cacheReadMultiplier: 0.1, status: "deprecated", retiresOn: "2026-12-11" },
  "gpt-4.1": { provider: "openai", input: 2, output: 8, cacheReadMultiplier: 0.25, status: "deprecated", retiresOn: "2027-01-14" },
  "gpt-4.1-mini": { provider: "openai", input: 0.4, output: 1.6, cacheReadMultiplier: 0.25, status: "deprecated", retiresOn: "2027-01-14" },
  "gpt-4.1-nano": { provider: "openai", input: 0.1, output: 0.4, cacheReadMultiplier: 0.25, status: "retired", retiresOn: "2026-10-23" },
  "gpt-4o": { provider: "openai", input: 2.5, output: 10, cacheReadMultiplier: 0.5, status: "deprecated", retiresOn: "2027-01-14" },
  "gpt-4o-mini": { provider: "openai", input: 0.15, output: 0.6, cacheReadMultiplier: 0.5, status: "deprecated", retiresOn: "2027-01-14" },

  // Not a language model: composes conversations locally, no tokens billed.
  "simulated-composer-1": { provider: "simulated", input: 0, output: 0, status: "current" },
};

/** User price overrides: model id → USD per million input/output tokens. */
export type PriceOverrides = Readonly<Record<string, PriceOverride>>;

export interface PriceOverride {
  input: number;
  output: number;
  cacheReadMultiplier?: number;
}

const usdPerMillion = z.number().finite().nonnegative();

/** Shape of `BRIGHTRUN_PRICES`: `{"model-id":{"input":3,"output":15}}`. */
export const priceOverridesSchema = z.record(
  z.string().min(1),
  z.strictObject({
    input: usdPerMillion,
    output: usdPerMillion,
    cacheReadMultiplier: z.number().finite().nonnegative().optional(),
  }),
);

/** The price used for one model, and where it came from. Prices are USD per million tokens. */
export interface ResolvedPrice {
  /** The model asked about. */
  model: string;
  /** The table key the price came from (the model itself, its undated alias, or a provider default). */
  pricedAs: string;
  provider: ProviderName;
  input: number;
  output: number;
  cacheReadMultiplier: number;
  longPrompt?: { thresholdTokens: number; input: number; output: number };
  /** False when the model is in neither the table nor the overrides: then its price is 0 and says "no price set". */
  known: boolean;
  source: "override" | "table" | "none";
  status?: ModelStatus;
  retiresOn?: string;
}

/**
 * Finds the price of a model.
 *
 * Order: the user's overrides (exact id, then the id without a date suffix), then the table (same
 * two ids). A model in neither has **no price set**: it is priced at $0 with `known: false` and
 * `source: "none"` — never at another model's price (a figure we would invent). Estimates say so
 * and point to the Settings page and BRIGHTRUN_PRICES; a local model on the user's own server is often free indeed.
 * The provider of an unknown model is guessed from its name (`claude…` Anthropic, `simulated…`
 * the simulated composer, else OpenAI-compatible); it only labels the price.
 *
 * @param model model id as sent to or returned by the provider, e.g. "claude-haiku-4-5-20251001"
 * @param overrides user overrides: the Settings page's under BRIGHTRUN_PRICES (engineSettingsWithSettings)
 * @returns prices in USD per million tokens; never throws
 */
export function priceFor(model: string, overrides: PriceOverrides = {}): ResolvedPrice {
  const candidates = [model, withoutDateSuffix(model)].filter((id, index, all) => all.indexOf(id) === index);

  for (const id of candidates) {
    const override = Object.hasOwn(overrides, id) ? overrides[id] : undefined;
    if (override) {
      const base = Object.hasOwn(PRICE_TABLE, id) ? PRICE_TABLE[id] : undefined;
      return {
        model,
        pricedAs: id,
        provider: base?.provider ?? guessProvider(model),
        input: override.input,
        output: override.output,
        cacheReadMultiplier: override.cacheReadMultiplier ?? base?.cacheReadMultiplier ?? ANTHROPIC_CACHE_READ_MULTIPLIER,
        known: true,
        source: "override",
        status: base?.status,
        retiresOn: base?.retiresOn,
      };
    }
  }

  for (const id of candidates) {
    const row = Object.hasOwn(PRICE_TABLE, id) ? PRICE_TABLE[id] : undefined;
    if (row) return fromRow(model, id, row, true, "table");
  }

  return {
    model,
    pricedAs: model,
    provider: guessProvider(model),
    input: 0,
    output: 0,
    cacheReadMultiplier: ANTHROPIC_CACHE_READ_MULTIPLIER,
    known: false,
    source: "none",
  };
}

/** Token counts of one call, as billed. */
export interface CostInput {
  model: string;
  /** Input tokens billed at the base rate (Anthropic `usage.input_tokens`, which excludes cache tokens). */
  inputTokens: number;
  outputTokens: number;
  /** Tokens written to the prompt cache (Anthropic `usage.cache_creation_input_tokens`). */
  cacheWriteTokens?: number;
  /** Cache lifetime of `cacheWriteTokens`: "5m" (×1.25, the default) or "1h" (×2). */
  cacheWriteTtl?: "5m" | "1h";
  /** Tokens read from the prompt cache (Anthropic `usage.cache_read_input_tokens`). */
  cacheReadTokens?: number;
  /** Sent through a batch API: everything ×0.5. */
  batch?: boolean;
}

/**
 * Cost of one call in USD.
 *
 * cost = (input × in + cacheWrite × in × 1.25 (or ×2 for 1 h) + cacheRead × in × readMultiplier
 *         + output × out) / 1,000,000, × 0.5 for batches; prices from `priceFor`. For a model with
 * a long-prompt band (Claude Haiku 5.5), the whole request uses the long rates when its prompt
 * (input + cache writes + cache reads) exceeds the threshold.
 *
 * @param usage token counts (non-negative integers)
 * @param overrides user price overrides
 * @returns USD, rounded to 1e-10 to keep float noise out of sums
 * @throws AppError `invalid_token_count` when a count is negative or not a finite number
 */
export function costUsd(usage: CostInput, overrides: PriceOverrides = {}): number {
  const counts = {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cacheWriteTokens: usage.cacheWriteTokens ?? 0,
    cacheReadTokens: usage.cacheReadTokens ?? 0,
  };
  for (const [name, value] of Object.entries(counts)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new AppError("invalid_token_count", `Cannot compute a cost from ${name} = ${String(value)}; token counts must be zero or more.`, {
        retryable: false,
        detail: { model: usage.model, [name]: value },
      });
    }
  }

  const price = priceFor(usage.model, overrides);
  const promptTokens = counts.inputTokens + counts.cacheWriteTokens + counts.cacheReadTokens;
  const band = price.longPrompt && promptTokens > price.longPrompt.thresholdTokens ? price.longPrompt : price;
  const writeMultiplier = usage.cacheWriteTtl === "1h" ? ANTHROPIC_CACHE_WRITE_1H_MULTIPLIER : ANTHROPIC_CACHE_WRITE_5M_MULTIPLIER;

  const usd =
    (counts.inputTokens * band.input +
      counts.cacheWriteTokens * band.input * writeMultiplier +
      counts.cacheReadTokens * band.input * price.cacheReadMultiplier +
      counts.outputTokens * band.output) /
    TOKENS_PER_PRICE_UNIT;
  const discounted = usage.batch ? usd * BATCH_DISCOUNT_MULTIPLIER : usd;
  return Math.round(discounted * 1e10) / 1e10;
}

/**
 * Reads price overrides from `BRIGHTRUN_PRICES`, a JSON object of model id →
 * `{"input": USD per million input tokens, "output": USD per million output tokens}`
 * (optionally `"cacheReadMultiplier"`), e.g. `{"claude-sonnet-5-5":{"input":2,"output":10}}`.
 *
 * @param env process environment (or any string map)
 * @returns the overrides; `{}` when the variable is unset or blank
 * @throws AppError `invalid_price_overrides` (not retryable) when the value is not JSON or not
 *   that shape; the message names the problem and shows the expected form
 */
export function loadPriceOverrides(env: Record<string, string | undefined>): PriceOverrides {
  const raw = env.BRIGHTRUN_PRICES;
  if (raw === undefined || raw.trim() === "") return {};
  const example = `{"claude-sonnet-5-5":{"input":2,"output":10}}`;

  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError(
      "invalid_price_overrides",
      `BRIGHTRUN_PRICES is not valid JSON (${reason}). Expected model ids mapped to USD per million tokens, e.g. ${example}.`,
      { retryable: false, detail: { variable: "BRIGHTRUN_PRICES", jsonError: reason } },
    );
  }

  const parsed = priceOverridesSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.length > 0 ? issue.path.map(String).join(".") : "the value"}: ${issue.message}`);
    throw new AppError(
      "invalid_price_overrides",
      `BRIGHTRUN_PRICES has the wrong shape (${problems.join("; ")}). Expected model ids mapped to USD per million tokens, e.g. ${example}.`,
      { retryable: false, detail: { variable: "BRIGHTRUN_PRICES", issues: parsed.error.issues } },
    );
  }
  return parsed.data;
}

function fromRow(model: string, pricedAs: string, row: ModelPrice, known: boolean, source: ResolvedPrice["source"]): ResolvedPrice {
  return {
    model,
    pricedAs,
    provider: row.provider,
    input: row.input,
    output: row.output,
    cacheReadMultiplier: row.cacheReadMultiplier ?? ANTHROPIC_CACHE_READ_MULTIPLIER,
    longPrompt: row.longPrompt,
    known,
    source,
    status: row.status,
    retiresOn: row.retiresOn,
  };
}

/** "claude-haiku-4-5-20251001" → "claude-haiku-4-5"; "gpt-4.1-mini-2025-04-14" → "gpt-4.1-mini". */
function withoutDateSuffix(model: string): string {
  return model.replace(/-(?:\d{8}|\d{4}-\d{2}-\d{2})$/, "");
}

function guessProvider(model: string): ProviderName {
  const id = model.toLowerCase();
  if (id.startsWith("claude")) return "anthropic";
  if (id.startsWith("simulated")) return "simulated";
  return "openai";
}
