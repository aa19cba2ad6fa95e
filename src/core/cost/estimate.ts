/**
 * Cost and time estimate shown before a generation run starts (US1.3.1, US13.1.1): how many
 * conversations, about how many US dollars, about how long, per tier and per conversation, the
 * worst case if every reply used its whole `max_tokens`, and plain-English warnings above $100 or
 * 2 hours. Pure: the caller supplies the plan's slots, past averages and the provider's limits.
 */
import { TIER_LABELS, TIERS, type ProviderName, type Tier } from "../../lib/constants";
import { AppError } from "../errors";
import { costUsd, priceFor, type PriceOverrides } from "./prices";

/**
 * Reply tokens expected from one conversation when there is no history to go on: 1,800.
 *
 * The sample templates ask for 10–14 turns, assistant turns of 60–180 words and user turns of
 * 15–80 words. A 12-turn conversation at the middle of those ranges is 6 × 120 + 6 × 48 ≈ 1,000
 * words ≈ 1,350 tokens (~1.33 tokens per English word) plus ~15 tokens of JSON per turn
 * (`{"role":"assistant","content":"…"},`) ≈ 1,530. Models tend to write toward the top of a
 * word range, so 1,800 (≈ 150-word answers) errs on the side of a higher estimate.
 */
export const DEFAULT_EXPECTED_OUTPUT_TOKENS = 1_800;

/**
 * Time one provider call takes when there is no history: 30,000 ms, the middle of FR10.1.1's
 * "average generation time: 15–45 seconds".
 */
export const DEFAULT_CALL_DURATION_MS = 30_000;

/** Time one simulated call takes when there is no history: 5 ms (it composes locally, no network). */
export const SIMULATED_CALL_DURATION_MS = 5;

/** A tier's history is trusted once it has this many generated conversations of the model. */
export const HISTORY_MIN_CONVERSATIONS = 3;

/** Above this estimated cost (USD) the estimate warns (US1.3.1, US13.1.1). */
export const COST_WARNING_USD = 100;

/** Above this estimated time (ms, 2 hours) the estimate warns (US1.3.1). */
export const TIME_WARNING_MS = 2 * 60 * 60 * 1000;

const MS_PER_MINUTE = 60_000;

/** One conversation to generate: its tier, the size of its rendered prompt and its reply cap. */
export interface EstimateSlot {
  tier: Tier;
  /** Tokens of the system prompt plus the rendered template (what one call sends). */
  promptTokens: number;
  /** The template's `max_tokens`: the most one reply can be billed for. */
  maxOutputTokens: number;
  /**
   * Tokens of the judge's prompt for this conversation without its turns (the rubric, what the
   * conversation was asked to be, its source chunk); the turns are added as the reply expected.
   * Only read when the estimate has a judge.
   */
  judgePromptTokens?: number;
}

/** The judge of a run, for the estimate: its model and how long its replies are. */
export interface JudgeEstimateInput {
  /** The judge model (priced from the price table / BRIGHTRUN_PRICES; unknown = $0 with a warning). */
  model: string;
  /** The judge's max_tokens (JUDGE_MAX_TOKENS): the worst case, and the expected reply without history. */
  maxOutputTokens: number;
  /** Mean reply tokens of this judge model's past verdicts, when there are at least 3; else max_tokens is used. */
  expectedOutputTokens?: number;
  /** Mean ms of this judge model's past calls, when known; else the run's typical call duration. */
  typicalDurationMs?: number;
}

/** What the judge adds to a run's estimate (already included in its totals). */
export interface JudgeEstimate {
  model: string;
  /** One judge call per conversation. */
  calls: number;
  costUsd: number;
  /** Worst case: every judge prompt with the longest possible conversation and a full max_tokens verdict. */
  maxCostUsd: number;
  inputTokens: number;
  outputTokens: number;
  /** Where the expected verdict length came from: this judge model's past verdicts, or its max_tokens. */
  outputBasis: "past_verdicts" | "max_tokens";
  /** False when the judge model has no price: its cost is estimated at $0 (and a warning says so). */
  priceKnown: boolean;
}

/** Averages over past generated conversations of one tier and model (see getGenerationHistoryByModel). */
export interface TierHistory {
  /** How many generated conversations the averages are taken over. */
  conversations: number;
  /** Average USD per conversation, every attempt included. */
  avgCostUsd: number;
  /** Average input tokens per conversation. */
  avgInputTokens: number;
  /** Average output tokens per conversation. */
  avgOutputTokens: number;
  /** Average duration of one successful provider call, ms. */
  avgDurationMs: number;
}

/** The provider's per-minute limits for the account; `Infinity` where there is none. */
export interface RateLimits {
  requestsPerMinute: number;
  inputTokensPerMinute: number;
  outputTokensPerMinute: number;
  /** Input and output together (OpenAI's TPM); absent = no combined limit. */
  tokensPerMinute?: number;
}

export interface EstimateInput {
  provider: ProviderName;
  model: string;
  slots: EstimateSlot[];
  /** Per-tier averages for this model; a tier with fewer than 3 conversations (or none) is estimated from its prompts. */
  history: Partial<Record<Tier, TierHistory | undefined>>;
  /** Reply tokens expected per conversation without history; default DEFAULT_EXPECTED_OUTPUT_TOKENS (1,800). */
  expectedOutputTokens?: number;
  /** Ignored for the simulated provider, which calls no API. */
  limits: RateLimits;
  /** Conversations generated at the same time (a whole number ≥ 1). */
  concurrency: number;
  /** Duration of one call without history, ms; default 30,000 (5 for the simulated provider). */
  typicalDurationMs?: number;
  priceOverrides?: PriceOverrides;
  /** The run's judge, when it has one: one judge call per conversation is added (src/core/quality/judge). */
  judge?: JudgeEstimateInput;
  /** True for a judge run: only the judge calls are estimated (the conversations exist already). */
  judgeOnly?: boolean;
}

/** Conversations, USD and ms of one tier (or the whole run). */
export interface EstimatePart {
  conversations: number;
  costUsd: number;
  timeMs: number;
}

export interface RunEstimate {
  provider: ProviderName;
  model: string;
  conversations: number;
  /** Expected USD for the whole run. */
  costUsd: number;
  /** Expected wall time of the whole run, ms. */
  timeMs: number;
  /** Each tier as if it ran alone: its conversations, USD and ms. Tiers without slots are zeros. */
  perTier: Record<Tier, EstimatePart>;
  /** costUsd / conversations (0 when there are none). */
  perConversationCostUsd: number;
  /** Average time one conversation's call takes, ms (not the run's time divided by its size). */
  perConversationMs: number;
  /** Where each tier's numbers came from: past conversations of this model, or prompt size + expected reply. */
  basis: Record<Tier, "history" | "prompt">;
  /** Plain-English warnings: cost over $100, time over 2 hours, a model without a known price. */
  warnings: string[];
  /** Worst case, USD: every conversation's one call billed its prompt plus its full max_tokens (and its judge call likewise). */
  maxCostUsd: number;
  /** The judge's part of the totals above; null when the run has no judge. */
  judge: JudgeEstimate | null;
}

/**
 * Estimates a run before it starts.
 *
 * Cost per conversation: for a tier whose `history` has ≥ 3 conversations of this model, that
 * tier's `avgCostUsd`; otherwise `costUsd` (src/core/cost/prices.ts) of the slot's `promptTokens`
 * as input and `min(expectedOutputTokens, maxOutputTokens)` as output. The simulated provider's
 * model is priced $0 (unless BRIGHTRUN_PRICES says otherwise).
 *
 * Time, ms: the largest of
 * - the work: Σ per-call duration / concurrency (duration = the tier's `avgDurationMs` on the
 *   history basis, else `typicalDurationMs`);
 * - requests / requestsPerMinute, input tokens / inputTokensPerMinute and output tokens /
 *   outputTokensPerMinute, (input + output) / tokensPerMinute when set, each × 60,000 (the
 *   tightest rate limit wins). Not applied to the
 *   simulated provider.
 * Retries are not added to the time; on the history basis they are already in the average cost.
 *
 * Worst case (`maxCostUsd`): one call per conversation billed `promptTokens` + `maxOutputTokens`.
 *
 * @throws AppError `invalid_estimate_input` when concurrency is not a whole number ≥ 1, a token
 *   count or duration is negative or not a number, or a rate limit is not above zero
 */
export function estimateRun(input: EstimateInput): RunEstimate {
  validate(input);
  const simulated = input.provider === "simulated";
  const expectedOutput = input.expectedOutputTokens ?? DEFAULT_EXPECTED_OUTPUT_TOKENS;
  const typicalMs = input.typicalDurationMs ?? (simulated ? SIMULATED_CALL_DURATION_MS : DEFAULT_CALL_DURATION_MS);

  const basis = {} as Record<Tier, "history" | "prompt">;
  for (const tier of TIERS) {
    const history = input.history[tier];
    basis[tier] = history && history.conversations >= HISTORY_MIN_CONVERSATIONS ? "history" : "prompt";
  }

  // A run of 100,000 conversations has a few hundred distinct prompt sizes: price each once.
  const prices = new Map<number, Map<number, number>>();
  const priceOf = (inputTokens: number, outputTokens: number): number => {
    let byOutput = prices.get(inputTokens);
    if (!byOutput) prices.set(inputTokens, (byOutput = new Map()));
    let usd = byOutput.get(outputTokens);
    if (usd === undefined) byOutput.set(outputTokens, (usd = costUsd({ model: input.model, inputTokens, outputTokens }, input.priceOverrides)));
    return usd;
  };

  // One pass over the slots, adding each call to its tier's sums and the run's, in slot order
  // (the same additions, in the same order, as summing each tier's calls and then all of them).
  const groups = Object.fromEntries([...TIERS, "all"].map((g) => [g, emptySums()])) as Record<Tier | "all", CallSums>;
  let maxCost = 0;
  const add = (sums: CallSums, costUsd: number, inputTokens: number, outputTokens: number, durationMs: number, conversation = true): void => {
    if (conversation) sums.calls += 1;
    sums.requests += 1;
    sums.costUsd += costUsd;
    sums.inputTokens += inputTokens;
    sums.outputTokens += outputTokens;
    sums.tokens += inputTokens + outputTokens;
    sums.durationMs += durationMs;
  };
  const judge = input.judge;
  const judgeOutput = judge ? (judge.expectedOutputTokens ?? judge.maxOutputTokens) : 0;
  const judgeSums = emptySums();
  let judgeMaxCost = 0;
  const judgePrices = new Map<string, number>();
  const judgePriceOf = (inputTokens: number, outputTokens: number): number => {
    const key = `${inputTokens}:${outputTokens}`;
    let usd = judgePrices.get(key);
    if (usd === undefined) judgePrices.set(key, (usd = costUsd({ model: (judge as JudgeEstimateInput).model, inputTokens, outputTokens }, input.priceOverrides)));
    return usd;
  };
  for (const slot of input.slots) {
    const history = input.history[slot.tier];
    let costUsd: number, inputTokens: number, outputTokens: number, durationMs: number;
    if (input.judgeOnly) {
      // A judge run: the conversation exists; `judgePromptTokens` is its whole judge prompt.
      costUsd = 0;
      inputTokens = 0;
      outputTokens = 0;
      durationMs = 0;
    } else if (basis[slot.tier] === "history" && history) {
      costUsd = history.avgCostUsd;
      inputTokens = history.avgInputTokens;
      outputTokens = history.avgOutputTokens;
      durationMs = history.avgDurationMs > 0 ? history.avgDurationMs : typicalMs;
    } else {
      outputTokens = Math.min(expectedOutput, slot.maxOutputTokens);
      costUsd = priceOf(slot.promptTokens, outputTokens);
      inputTokens = slot.promptTokens;
      durationMs = typicalMs;
    }
    if (input.judgeOnly) {
      groups[slot.tier].calls += 1;
      groups.all.calls += 1;
    } else {
      add(groups[slot.tier], costUsd, inputTokens, outputTokens, durationMs);
      add(groups.all, costUsd, inputTokens, outputTokens, durationMs);
      maxCost += priceOf(slot.promptTokens, slot.maxOutputTokens);
    }
    if (judge) {
      // The judge reads its prompt plus the conversation: the reply expected of the generation call.
      const judgeInput = (slot.judgePromptTokens ?? 0) + outputTokens;
      const judgeCost = judgePriceOf(judgeInput, judgeOutput);
      const judgeMs = judge.typicalDurationMs ?? typicalMs;
      add(groups[slot.tier], judgeCost, judgeInput, judgeOutput, judgeMs, false);
      add(groups.all, judgeCost, judgeInput, judgeOutput, judgeMs, false);
      add(judgeSums, judgeCost, judgeInput, judgeOutput, judgeMs);
      judgeMaxCost += judgePriceOf((slot.judgePromptTokens ?? 0) + (input.judgeOnly ? 0 : slot.maxOutputTokens), judge.maxOutputTokens);
    }
  }
  maxCost += judgeMaxCost;

  const timeOf = (sums: CallSums): number => {
    if (sums.calls === 0) return 0;
    const work = sums.durationMs / input.concurrency;
    if (simulated) return work;
    const { requestsPerMinute, inputTokensPerMinute, outputTokensPerMinute, tokensPerMinute = Infinity } = input.limits;
    return Math.max(
      work,
      (sums.requests / requestsPerMinute) * MS_PER_MINUTE,
      (sums.inputTokens / inputTokensPerMinute) * MS_PER_MINUTE,
      (sums.outputTokens / outputTokensPerMinute) * MS_PER_MINUTE,
      (sums.tokens / tokensPerMinute) * MS_PER_MINUTE,
    );
  };

  const perTier = {} as Record<Tier, EstimatePart>;
  for (const tier of TIERS) {
    perTier[tier] = { conversations: groups[tier].calls, costUsd: roundUsd(groups[tier].costUsd), timeMs: Math.round(timeOf(groups[tier])) };
  }

  const conversations = groups.all.calls;
  const totalCost = roundUsd(groups.all.costUsd);
  const timeMs = Math.round(timeOf(groups.all));
  const maxCostUsd = roundUsd(maxCost);

  const warnings: string[] = [];
  if (totalCost > COST_WARNING_USD) {
    warnings.push(
      `The estimated cost, ${formatCostUsd(totalCost)}, is over $${COST_WARNING_USD}. Check the plan size and the model, or set a spending limit (--budget) so the run pauses before it spends more.`,
    );
  }
  if (timeMs > TIME_WARNING_MS) {
    warnings.push(
      `The estimated time, ${formatDurationMs(timeMs)}, is over ${TIME_WARNING_MS / 3_600_000} hours. Consider generating one tier at a time, or raise the concurrency if your provider's rate limits allow it.`,
    );
  }
  const judgePriceKnown = judge ? priceFor(judge.model, input.priceOverrides).known : true;
  if (judge && conversations > 0 && !judgePriceKnown) {
    warnings.push(
      `No price is set for the judge model ${judge.model}, so its cost is estimated at $0 and a spending limit cannot stop its calls. If it is not free, set its price per million tokens on the Settings page (Prices) or in BRIGHTRUN_PRICES, e.g. {"${judge.model}":{"input":1,"output":3}}.`,
    );
  }
  if (!simulated && !input.judgeOnly && conversations > 0) {
    const price = priceFor(input.model, input.priceOverrides);
    if (!price.known) {
      warnings.push(
        `No price is set for ${input.model}, so its cost is estimated at $0 and a spending limit cannot stop this run. If it is not free, set its price per million tokens on the Settings page (Prices) or in BRIGHTRUN_PRICES, e.g. {"${input.model}":{"input":1,"output":3}}.`,
      );
    }
  }

  return {
    provider: input.provider,
    model: input.model,
    conversations,
    costUsd: totalCost,
    timeMs,
    perTier,
    perConversationCostUsd: conversations ? roundUsd(totalCost / conversations) : 0,
    perConversationMs: conversations ? Math.round(groups.all.durationMs / conversations) : 0,
    basis,
    warnings,
    maxCostUsd,
    judge: judge
      ? {
          model: judge.model,
          calls: judgeSums.calls,
          costUsd: roundUsd(judgeSums.costUsd),
          maxCostUsd: roundUsd(judgeMaxCost),
          inputTokens: judgeSums.inputTokens,
          outputTokens: judgeSums.outputTokens,
          outputBasis: judge.expectedOutputTokens === undefined ? "max_tokens" : "past_verdicts",
          priceKnown: judgePriceKnown,
        }
      : null,
  };
}

/**
 * The estimate as lines for the CLI, e.g.
 * `90 conversations · about $4.12 · about 38 min`, then one line per tier that has conversations
 * (with where its numbers came from), the per-conversation average, the worst case, any warnings
 * (prefixed "Warning: "), and for the simulated provider `simulated: $0, not a language model`
 * instead of the worst case.
 *
 * @returns lines without trailing newlines; throws nothing
 */
export function formatEstimate(estimate: RunEstimate): string[] {
  const simulated = estimate.provider === "simulated";
  const lines = [`${plural(estimate.conversations, "conversation")} · ${aboutUsd(estimate.costUsd)} · ${aboutMs(estimate.timeMs)}`];
  for (const tier of TIERS) {
    const part = estimate.perTier[tier];
    if (part.conversations === 0) continue;
    const from = estimate.basis[tier] === "history" ? "from past conversations" : "from prompt size";
    lines.push(`  ${TIER_LABELS[tier]}: ${plural(part.conversations, "conversation")} · ${formatCostUsd(part.costUsd)} · ${aboutMs(part.timeMs)} (${from})`);
  }
  if (estimate.conversations > 0) {
    lines.push(`Per conversation: ${aboutUsd(estimate.perConversationCostUsd)} · ${aboutMs(estimate.perConversationMs)} each`);
  }
  if (estimate.judge && estimate.conversations > 0) {
    const j = estimate.judge;
    const from = j.outputBasis === "past_verdicts" ? "verdict length from past verdicts" : "verdicts sized at the judge's max_tokens";
    lines.push(`Judge ${j.model}: ${plural(j.calls, "call")} · ${formatCostUsd(j.costUsd)}${j.priceKnown ? "" : " (no price set)"} included above (${from})`);
  }
  if (simulated && !estimate.judge) {
    lines.push(estimate.costUsd === 0 ? "simulated: $0, not a language model" : "simulated: not a language model; its cost comes from a price set on the Settings page or in BRIGHTRUN_PRICES");
  } else if (estimate.conversations > 0) {
    lines.push(`At most ${formatCostUsd(estimate.maxCostUsd)} if every reply used its full max_tokens`);
  }
  for (const warning of estimate.warnings) lines.push(`Warning: ${warning}`);
  return lines;
}

/**
 * USD for people: `$4.12`, `$0.046` below ten cents (3 significant digits), `$0.00` for zero.
 * @param usd amount in US dollars
 */
export function formatCostUsd(usd: number): string {
  if (usd === 0) return "$0.00";
  if (Math.abs(usd) < 0.1) return `$${Number(usd.toPrecision(3)).toString()}`;
  return `$${usd.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/**
 * A duration for people: `4 s`, `38 min`, `2 h 10 min`; under a second `under 1 s`.
 * @param ms milliseconds
 */
export function formatDurationMs(ms: number): string {
  if (ms < 1_000) return "under 1 s";
  if (ms < MS_PER_MINUTE) return `${Math.round(ms / 1_000)} s`;
  const minutes = Math.round(ms / MS_PER_MINUTE);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

function aboutUsd(usd: number): string {
  return usd === 0 ? formatCostUsd(0) : `about ${formatCostUsd(usd)}`;
}

function aboutMs(ms: number): string {
  return ms < 1_000 ? formatDurationMs(ms) : `about ${formatDurationMs(ms)}`;
}

function validate(input: EstimateInput): void {
  const problems: string[] = [];
  if (!Number.isInteger(input.concurrency) || input.concurrency < 1) problems.push(`concurrency must be a whole number of 1 or more (got ${input.concurrency})`);
  for (const [name, value] of Object.entries(input.limits)) {
    if (!(typeof value === "number" && value > 0)) problems.push(`the rate limit ${name} must be above zero, or Infinity for none (got ${String(value)})`);
  }
  if (input.expectedOutputTokens !== undefined && !isCount(input.expectedOutputTokens)) problems.push(`expected reply tokens must be zero or more (got ${input.expectedOutputTokens})`);
  if (input.typicalDurationMs !== undefined && !isCount(input.typicalDurationMs)) problems.push(`the typical call duration must be zero or more ms (got ${input.typicalDurationMs})`);
  input.slots.forEach((slot, index) => {
    if (!isCount(slot.promptTokens) || !isCount(slot.maxOutputTokens)) {
      problems.push(`conversation ${index + 1} has a negative or missing token count (prompt ${slot.promptTokens}, max_tokens ${slot.maxOutputTokens})`);
    }
  });
  for (const tier of TIERS) {
    const history = input.history[tier];
    if (history && ![history.conversations, history.avgCostUsd, history.avgInputTokens, history.avgOutputTokens, history.avgDurationMs].every(isCount)) {
      problems.push(`the ${TIER_LABELS[tier]} history has a negative or missing average`);
    }
  }
  if (problems.length) {
    throw new AppError("invalid_estimate_input", `Cannot estimate the run: ${problems.slice(0, 3).join("; ")}.`, { detail: { problems } });
  }
}

function isCount(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

/** Sums over a set of calls (USD, tokens, ms), added one call at a time. */
interface CallSums {
  /** Conversations (generation calls; a judge call is not a conversation). */
  calls: number;
  /** Every request, judge calls included (for a requests-per-minute limit). */
  requests: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  /** Σ (input + output) per call, for a combined tokens-per-minute limit. */
  tokens: number;
  durationMs: number;
}

function emptySums(): CallSums {
  return { calls: 0, requests: 0, costUsd: 0, inputTokens: 0, outputTokens: 0, tokens: 0, durationMs: 0 };
}

/** Keeps float noise out of USD sums (1e-10, as costUsd does). */
function roundUsd(usd: number): number {
  return Math.round(usd * 1e10) / 1e10;
}

function plural(count: number, word: string): string {
  return `${count.toLocaleString("en-US")} ${word}${count === 1 ? "" : "s"}`;
}
