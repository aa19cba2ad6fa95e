/**
 * The spending limit of a run (US1.3.1 "Stop if cost exceeds $50", US13.1.2): pure rules, no
 * state. A run keeps what it has spent and what its calls in flight may still cost (their
 * reservations); a new call starts only when its worst case fits under the limit, so the limit is
 * never crossed, even with several calls at once. Alert at 80 %, pause at 100 % or when no call fits.
 */
import { AppError } from "../errors";
import { costUsd, type PriceOverrides } from "./prices";

/** Share of the limit at which the user is alerted (US13.1.2: "Alert when 80% of spending limit reached"). */
export const SPENDING_ALERT_FRACTION = 0.8;

/** Sums within this many USD of the limit count as fitting (float noise, a millionth of a cent). */
const USD_EPSILON = 1e-8;

/**
 * The most one call can cost, USD: its prompt as input plus its full `max_tokens` as output,
 * priced by `costUsd` (src/core/cost/prices.ts). This is what a call reserves before it starts.
 *
 * @param inputTokens tokens of the prompt sent (system + messages)
 * @param maxOutputTokens the call's `max_tokens`
 * @throws AppError `invalid_token_count` when a count is negative or not a number
 */
export function maxCallCostUsd({
  model,
  inputTokens,
  maxOutputTokens,
  priceOverrides,
}: {
  model: string;
  inputTokens: number;
  maxOutputTokens: number;
  priceOverrides?: PriceOverrides;
}): number {
  return costUsd({ model, inputTokens, outputTokens: maxOutputTokens }, priceOverrides);
}

/**
 * Whether a call may start: spent + reserved (worst cases of calls in flight) + this call's worst
 * case must be at most the limit. All amounts in USD.
 *
 * @throws AppError `invalid_spending_limit` when the limit is not above zero or an amount is
 *   negative or not a number
 */
export function canStartCall({ limitUsd, spentUsd, reservedUsd, callMaxUsd }: { limitUsd: number; spentUsd: number; reservedUsd: number; callMaxUsd: number }): boolean {
  checkAmounts({ limitUsd, spentUsd, reservedUsd, callMaxUsd });
  return spentUsd + reservedUsd + callMaxUsd <= limitUsd + USD_EPSILON;
}

/** Where a run stands against its limit. */
export interface SpendingLimitState {
  /** spent / limit: 0.8 is 80 %. Can exceed 1 only if the limit was lowered mid-run. */
  fraction: number;
  /** At least 80 % of the limit is spent. */
  alert: boolean;
  /** 100 % spent, or no room left for another call: the run pauses. */
  reached: boolean;
  /** One plain-English line for the progress display. */
  message: string;
}

/**
 * Where a run stands against its spending limit (US13.1.2), with the line to show.
 *
 * `reached` when spent ≥ limit, or when spent + reserved (+ `nextCallMaxUsd`, the worst case of
 * the next call waiting to start, if given) leaves no room under the limit: no new call can start,
 * so the run is paused. `alert` from 80 % spent. Messages:
 * - reached: "Spending limit reached: $49.87 of $50.00; the run is paused. Raise the limit to continue."
 * - alert: "80 % of the $50.00 limit spent ($40.12)" (the percentage rounded down)
 * - otherwise: "$12.00 of the $50.00 limit spent (24 %)"
 *
 * @throws AppError `invalid_spending_limit` when the limit is not above zero or an amount is
 *   negative or not a number
 */
export function spendingLimitState({
  limitUsd,
  spentUsd,
  reservedUsd,
  nextCallMaxUsd = 0,
}: {
  limitUsd: number;
  spentUsd: number;
  reservedUsd: number;
  nextCallMaxUsd?: number;
}): SpendingLimitState {
  checkAmounts({ limitUsd, spentUsd, reservedUsd, callMaxUsd: nextCallMaxUsd });
  const fraction = spentUsd / limitUsd;
  const noRoom =
    nextCallMaxUsd > 0
      ? !canStartCall({ limitUsd, spentUsd, reservedUsd, callMaxUsd: nextCallMaxUsd })
      : spentUsd + reservedUsd >= limitUsd - USD_EPSILON;
  const reached = fraction >= 1 - USD_EPSILON / limitUsd || noRoom;
  const alert = reached || fraction >= SPENDING_ALERT_FRACTION;
  const percent = Math.floor(Math.min(fraction, 10) * 100 + 1e-9);
  const limit = dollars(limitUsd);
  const message = reached
    ? `Spending limit reached: ${dollars(spentUsd)} of ${limit}; the run is paused. Raise the limit to continue.`
    : alert
      ? `${percent} % of the ${limit} limit spent (${dollars(spentUsd)})`
      : `${dollars(spentUsd)} of the ${limit} limit spent (${percent} %)`;
  return { fraction, alert, reached, message };
}

/**
 * Reads `--budget USD`: "50", "$50", "12.5", "$0.75" (spaces around are ignored).
 *
 * @returns the limit in USD, above zero
 * @throws AppError `invalid_budget` for anything else (words, a sign, commas, several dots,
 *   zero), with a message showing the accepted forms
 */
export function parseBudget(text: string): number {
  const trimmed = text.trim();
  const match = /^\$?\s*(\d+(?:\.\d*)?|\.\d+)$/.exec(trimmed);
  const examples = `Give an amount in US dollars, like 50, $50 or 12.5.`;
  if (!match) {
    throw new AppError("invalid_budget", `--budget "${text}" is not an amount. ${examples}`, { detail: { value: text } });
  }
  const usd = Number(match[1]);
  if (!Number.isFinite(usd) || usd <= 0) {
    throw new AppError("invalid_budget", `--budget must be more than $0 (got "${text}"). ${examples}`, { detail: { value: text } });
  }
  return usd;
}

function checkAmounts(amounts: { limitUsd: number; spentUsd: number; reservedUsd: number; callMaxUsd: number }): void {
  if (!(Number.isFinite(amounts.limitUsd) && amounts.limitUsd > 0)) {
    throw new AppError("invalid_spending_limit", `A spending limit must be an amount above $0 (got ${String(amounts.limitUsd)}).`, { detail: amounts });
  }
  for (const [name, value] of Object.entries(amounts)) {
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new AppError("invalid_spending_limit", `Cannot check the spending limit: ${name} is ${String(value)}, but amounts must be $0 or more.`, { detail: amounts });
    }
  }
}

function dollars(usd: number): string {
  return `$${usd.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
