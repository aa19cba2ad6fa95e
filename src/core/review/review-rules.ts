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
 *   is allowed.
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

/** Why a conversation was not reviewed, in the words both doors show. */
export const REVIEW_SKIP_REASONS = {
  seed: "seed conversations are locked",
  edgeCaseInBulk: "edge-case conversations are approved one at a time: approve each one on its own",
  missing: "there is no such conversation (it may have been deleted)",
  notReviewable: (status: ConversationStatus) => `it is ${status.replace("_", " ")}; there is nothing to review yet`,
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
 * and why (seed, not reviewable, edge case in a bulk approve — checked in that order), plus one
 * skip per named id that does not exist (`missing`). Keeps `candidates`' order and objects.
 * Throws nothing.
 */
export function decideReviews<T extends ReviewCandidate>({
  action,
  candidates,
  missing = [],
  bulk,
}: {
  action: ReviewAction;
  candidates: readonly T[];
  missing?: readonly string[];
  bulk: boolean;
}): { targets: T[]; skipped: ReviewSkip[] } {
  const skipped: ReviewSkip[] = missing.map((conversationId) => ({ conversationId, reason: REVIEW_SKIP_REASONS.missing }));
  const targets = candidates.filter((c) => {
    if (c.isSeed) skipped.push({ conversationId: c.conversationId, reason: REVIEW_SKIP_REASONS.seed });
    else if (!REVIEWABLE_STATUSES.includes(c.status)) skipped.push({ conversationId: c.conversationId, reason: REVIEW_SKIP_REASONS.notReviewable(c.status) });
    else if (bulk && action === "approve" && c.tier === "edge_case") skipped.push({ conversationId: c.conversationId, reason: REVIEW_SKIP_REASONS.edgeCaseInBulk });
    else return true;
    return false;
  });
  return { targets, skipped };
}
