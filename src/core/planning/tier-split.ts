/**
 * The tier split: a total spread over the tiers by largest remainder, and what makes a split
 * valid. Pure; safe for client code (the planning page's form uses the same rules as the server).
 */
import { DEFAULT_TIER_SPLIT, TIERS, type Tier } from "../../lib/constants";
import { allocateByLargestRemainder } from "./allocate";

/** The most conversations one plan may hold in all (a guard against typing one zero too many). */
export const MAX_PLAN_TOTAL = 100_000;

/**
 * Splits `total` conversations over the tiers in `proportions` (default 40/35/15) by largest
 * remainder (allocate.ts), e.g. 90 → 40/35/15, 100 → 44/39/17.
 */
export function splitTotal(total: number, proportions: Record<Tier, number> = DEFAULT_TIER_SPLIT): Record<Tier, number> {
  return allocateByLargestRemainder(
    total,
    TIERS.map((t) => ({ key: t, weight: proportions[t] })),
  ) as Record<Tier, number>;
}

/**
 * What is wrong with a tier split, in plain English (empty when it can be planned): whole numbers
 * ≥ 0, at least one conversation, at most MAX_PLAN_TOTAL, and — when `total` is given — summing to it.
 */
export function tierSplitProblems(split: Record<Tier, number>, total?: number): string[] {
  const problems: string[] = [];
  for (const tier of TIERS) {
    if (!Number.isInteger(split[tier]) || split[tier] < 0) problems.push(`Each tier needs a whole number of conversations, 0 or more (${tier.replace("_", "-")}: ${split[tier]}).`);
  }
  if (problems.length) return problems;
  const sum = TIERS.reduce((s, t) => s + split[t], 0);
  if (sum === 0) problems.push("Plan at least one conversation.");
  if (sum > MAX_PLAN_TOTAL) problems.push(`A plan can hold at most ${MAX_PLAN_TOTAL.toLocaleString("en-US")} conversations (got ${sum.toLocaleString("en-US")}).`);
  if (total !== undefined && sum !== total) problems.push(`The tiers add up to ${sum}, not ${total}: change a tier or the total so they match.`);
  return problems;
}

