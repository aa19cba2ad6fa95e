/**
 * The review rules, in one place for every door (the dashboard, `brightrun review`):
 *
 * - only generated, approved or rejected conversations can be reviewed (a decision can be changed);
 * - seed conversations are locked (US10.3.1) and always included in exports;
 * - notes are at most 500 characters (US4.2.1), counted after trimming;
 * - a review is *bulk* when it can touch more than one conversation: more than one distinct
 *   conversation named, or a selection by filter (the dashboard's "select all matching", the
 *   CLI's `--min-score`);
 * - edge-case conversations need individual review (US8.3.1: "cannot bulk approve"): a bulk
 *   approve leaves them out and says why; approving one on its own works, and rejecting in bulk
 *   is allowed;
 * - tier rules: each conversation has an approval bar, the workspace's minimum approval score
 *   (default 6, US14.1.x "minimum score for approval (default: 6)") or, for the edge-case tier, its
 *   higher bar (default 8, US8.3.1 "score >= 8"). A conversation below its bar is flagged (an edge
 *   case "does not meet edge-case criteria") and is approved only with a reviewer note saying why.
 *
 * Pure: no database, no framework; safe for client code (the dashboard reads the notes limit).
 */
import type { ConversationStatus, ReviewAction, Tier } from "../../lib/constants";
import { AppError } from "../errors";

/** Most characters review notes may have (US4.2.1 "500 char limit"), after trimming. */
export const MAX_REVIEW_NOTES_LENGTH = 500;

/** Shown when notes are too long, by the dashboard's form check and by the core alike. */
export const REVIEW_NOTES_TOO_LONG_MESSAGE = `Review notes can be at most ${MAX_REVIEW_NOTES_LENGTH} characters. Shorten them and try again.`;

/** Statuses a conversation can be reviewed in. */
export const REVIEWABLE_STATUSES: readonly ConversationStatus[] = ["generated", "approved", "rejected"];

/** A workspace's tier rules: the approval bars, quality scores 1–10. */
export interface TierRules {
  /** Lowest quality score approved without a note (templates and scenarios). */
  minApprovalScore: number;
  /** The edge-case tier's bar. */
  edgeCaseMinScore: number;
}

/** The bars a new workspace starts with: 6 (US14.1.x, "default: 6") and 8 for edge cases (US8.3.1). */
export const DEFAULT_TIER_RULES: TierRules = { minApprovalScore: 6, edgeCaseMinScore: 8 };

/** What the flag says about an edge case below its bar (US8.3.1 "Flag conversations that don't meet edge case criteria"). */
export const EDGE_CASE_BELOW_BAR_LABEL = "does not meet edge-case criteria";

/** The quality score (1–10) a conversation of `tier` needs to be approved without a note. */
export function approvalBar(tier: Tier, rules: TierRules): number {
  return tier === "edge_case" ? rules.edgeCaseMinScore : rules.minApprovalScore;
}

/**
 * Whether a conversation is flagged: it has a quality score and the score is below its tier's bar.
 * Unscored conversations (not generated yet) are not flagged.
 */
export function isBelowApprovalBar(score: number | null, tier: Tier, rules: TierRules): boolean {
  return score !== null && score < approvalBar(tier, rules);
}

/** The flag in words, e.g. "does not meet edge-case criteria (7.4 is below 8)" or "below the approval bar (5.2 is below 6)". */
export function belowBarText(score: number, tier: Tier, rules: TierRules): string {
  const bar = approvalBar(tier, rules);
  return `${tier === "edge_case" ? EDGE_CASE_BELOW_BAR_LABEL : "below the approval bar"} (${formatScore(score)} is below ${formatScore(bar)})`;
}

/**
 * Checks tier rules a user enters: each bar a number from 1 to 10.
 * @throws AppError "settings_invalid" naming the bar that is out of range.
 */
export function checkTierRules(rules: TierRules): TierRules {
  for (const [name, value] of [
    ["The minimum approval score", rules.minApprovalScore],
    ["The edge-case bar", rules.edgeCaseMinScore],
  ] as const) {
    if (!Number.isFinite(value) || value < 1 || value > 10) {
      throw new AppError("settings_invalid", `${name} must be a quality score from 1 to 10 (got ${value}).`);
    }
  }
  return rules;
}

/** A workspace row's tier rules; the defaults when there is no row (the workspace was just deleted). */
export function tierRulesOf(workspace: { minApprovalScore: number; edgeCaseMinScore: number } | null | undefined): TierRules {
  return workspace ? { minApprovalScore: workspace.minApprovalScore, edgeCaseMinScore: workspace.edgeCaseMinScore } : DEFAULT_TIER_RULES;
}

const formatScore = (score: number) => (Number.isInteger(score) ? String(score) : score.toFixed(1));

/** Why a conversation was not reviewed, in the words both doors show. */
export const REVIEW_SKIP_REASONS = {
  seed: "seed conversations are locked",
  edgeCaseInBulk: "edge-case conversations are approved one at a time: approve each one on its own",
  missing: "there is no such conversation (it may have been deleted)",
  notReviewable: (status: ConversationStatus) => `it is ${status.replace("_", " ")}; there is nothing to review yet`,
  belowBarWithoutNote: (score: number, tier: Tier, rules: TierRules) =>
    `it ${tier === "edge_case" ? "does not meet edge-case criteria" : "is below the approval bar"}: its quality score ${formatScore(score)} is below ${formatScore(approvalBar(tier, rules))}; approve it with a note saying why`,
  belowMinScore: (minScore: number, score: number | null) =>
    score === null ? `it has no quality score, and only conversations scoring ${minScore} or more were asked for` : `its quality score ${score} is below ${minScore}`,
} as const;

/** A conversation as the review rules see it. */
export interface ReviewCandidate {
  /** Human id ("tmpl-001"). */
  conversationId: string;
  status: ConversationStatus;
  tier: Tier;
  isSeed: boolean;
  /** 1–10, null when not scored. */
  qualityScore: number | null;
}

/** A conversation left out, with the reason in plain English. */
export interface ReviewSkip {
  conversationId: string;
  reason: string;
}

/**
 * Trims review notes and checks their length.
 * @returns the trimmed notes, or null when there are none (undefined, null, blank)
 * @throws AppError "review_invalid" (REVIEW_NOTES_TOO_LONG_MESSAGE) over MAX_REVIEW_NOTES_LENGTH characters.
 */
export function normalizeReviewNotes(notes: string | null | undefined): string | null {
  const trimmed = notes?.trim() || null;
  if (trimmed && trimmed.length > MAX_REVIEW_NOTES_LENGTH) {
    throw new AppError("review_invalid", REVIEW_NOTES_TOO_LONG_MESSAGE, { detail: { length: trimmed.length, max: MAX_REVIEW_NOTES_LENGTH } });
  }
  return trimmed;
}

/**
 * Whether a review is bulk: a selection by filter (`byFilter`), or more than one distinct
 * conversation named in `ids`. Naming the same conversation twice is not bulk.
 */
export function isBulkReview({ ids, byFilter }: { ids?: readonly string[]; byFilter: boolean }): boolean {
  return byFilter || new Set(ids ?? []).size > 1;
}

/**
 * Applies the rules to the conversations a review names: which are reviewed, which are skipped
 * and why (seed, not reviewable, edge case in a bulk approve, an approve below the tier's bar
 * without a note — checked in that order), plus one skip per named id that does not exist
 * (`missing`). Keeps `candidates`' order and objects. Throws nothing.
 * @param notes the review's notes after normalizeReviewNotes (null = none)
 */
export function decideReviews<T extends ReviewCandidate>({
  action,
  candidates,
  missing = [],
  bulk,
  rules,
  notes,
}: {
  action: ReviewAction;
  candidates: readonly T[];
  missing?: readonly string[];
  bulk: boolean;
  rules: TierRules;
  notes: string | null;
}): { targets: T[]; skipped: ReviewSkip[] } {
  const skipped: ReviewSkip[] = missing.map((conversationId) => ({ conversationId, reason: REVIEW_SKIP_REASONS.missing }));
  const targets = candidates.filter((c) => {
    if (c.isSeed) skipped.push({ conversationId: c.conversationId, reason: REVIEW_SKIP_REASONS.seed });
    else if (!REVIEWABLE_STATUSES.includes(c.status)) skipped.push({ conversationId: c.conversationId, reason: REVIEW_SKIP_REASONS.notReviewable(c.status) });
    else if (bulk && action === "approve" && c.tier === "edge_case") skipped.push({ conversationId: c.conversationId, reason: REVIEW_SKIP_REASONS.edgeCaseInBulk });
    else if (action === "approve" && !notes && c.qualityScore !== null && isBelowApprovalBar(c.qualityScore, c.tier, rules))
      skipped.push({ conversationId: c.conversationId, reason: REVIEW_SKIP_REASONS.belowBarWithoutNote(c.qualityScore, c.tier, rules) });
    else return true;
    return false;
  });
  return { targets, skipped };
}
