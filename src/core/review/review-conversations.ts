/**
 * Approve / reject with notes (US4.2.1, US4.2.2), written to review_logs with who and when, under
 * the rules of review-rules.ts — the same for the dashboard (src/server/operations/review.ts) and
 * `brightrun review` (src/cli/commands/review.ts).
 */
import type { ReviewAction } from "../../lib/constants";
import type { Database, DbOrTx } from "../../server/db/client";
import { listConversationTargetRefs, type ConversationTargetRef } from "../../server/db/queries/conversation-list";
import { updateConversationReviews } from "../../server/db/queries/conversations";
import { getWorkspace } from "../../server/db/queries/workspace";
import { AppError } from "../errors";
import { decideReviews, isBulkReview, normalizeReviewNotes, REVIEW_SKIP_REASONS, tierRulesOf, type ReviewSkip } from "./review-rules";

export { MAX_REVIEW_NOTES_LENGTH } from "./review-rules";

export interface ReviewResult {
  action: ReviewAction;
  /** Human ids now approved / rejected, sorted. */
  reviewed: string[];
  /** Not changed, each with the plain-English reason, sorted by human id. */
  skipped: ReviewSkip[];
}

/** A conversation a review names, with the review fields it has now (kept on its review_logs row for Undo). */
export type ReviewTarget = Pick<ConversationTargetRef, "id" | "conversationId" | "status" | "tier" | "isSeed" | "qualityScore" | "reviewerId" | "reviewerNotes" | "reviewedAt">;

/**
 * Reviews conversations a door has already found, in the caller's transaction (run it inside one):
 * applies the rules (decideReviews), sets the status, reviewer and notes of the ones reviewed and
 * writes one review_logs row each (with `batchId`, the dashboard's undo token, when given).
 *
 * @param candidates the conversations named that exist; `missing` the named human ids that do not
 * @param bulk whether the review is bulk (isBulkReview): edge cases are then not approved
 * The workspace's tier rules are read here: an approve below a conversation's bar needs `notes`.
 * @throws AppError "review_invalid" for notes over 500 characters (checked before anything is written)
 */
export async function reviewFoundConversations(options: {
  db: DbOrTx;
  workspaceId: string;
  action: ReviewAction;
  candidates: readonly ReviewTarget[];
  missing?: readonly string[];
  bulk: boolean;
  notes?: string | null;
  reviewerId: string;
  batchId?: string | null;
}): Promise<ReviewResult> {
  const notes = normalizeReviewNotes(options.notes);
  const rules = tierRulesOf(await getWorkspace({ db: options.db, workspaceId: options.workspaceId }));
  const { targets, skipped } = decideReviews({ action: options.action, candidates: options.candidates, missing: options.missing, bulk: options.bulk, rules, notes });
  await updateConversationReviews({
    db: options.db,
    workspaceId: options.workspaceId,
    reviews: targets.map((t) => ({
      id: t.id,
      previousStatus: t.status,
      previous: { reviewerId: t.reviewerId, reviewerNotes: t.reviewerNotes, reviewedAt: t.reviewedAt?.toISOString() ?? null },
    })),
    action: options.action,
    reviewerId: options.reviewerId,
    notes,
    batchId: options.batchId ?? null,
  });
  return { action: options.action, reviewed: targets.map((t) => t.conversationId).sort(), skipped: sortSkipped(skipped) };
}

/**
 * `brightrun review`: reviews the conversations named by `ids`, or — with no ids — every generated
 * conversation scoring at least `minScore` (1–10). With both, the named ones scoring below
 * `minScore` are skipped and said why. Bulk when more than one conversation is named or
 * `minScore` is given (isBulkReview); unknown ids are skipped with the reason. One transaction.
 * @throws AppError "review_invalid" for notes over 500 characters, a min score outside 1–10, or
 *   neither ids nor a min score.
 */
export async function reviewConversations(options: {
  db: Database;
  /** The workspace whose conversations are reviewed. */
  workspaceId: string;
  action: ReviewAction;
  ids?: string[];
  minScore?: number;
  notes?: string | null;
  reviewerId: string;
  /** Stored on every review_logs row this call writes; none by default. */
  batchId?: string | null;
}): Promise<ReviewResult> {
  const { db, minScore } = options;
  normalizeReviewNotes(options.notes);
  if (minScore !== undefined && !(minScore >= 1 && minScore <= 10)) {
    throw new AppError("review_invalid", `--min-score must be between 1 and 10 (got ${minScore}).`);
  }
  const ids = options.ids?.length ? [...new Set(options.ids)] : undefined;
  if (!ids && minScore === undefined) {
    throw new AppError("review_invalid", "Say which conversations to review: give their ids, or --min-score N to review every generated conversation scoring N or more.");
  }
  return db.transaction(async (tx) => {
    const found = await listConversationTargetRefs({ db: tx, workspaceId: options.workspaceId, target: ids ? { ids } : { filter: { status: ["generated"], minQuality: minScore } } });
    const present = new Set(found.map((r) => r.conversationId));
    const missing = (ids ?? []).filter((id) => !present.has(id));
    const belowScore: ReviewSkip[] = [];
    const candidates = found.filter((r) => {
      if (minScore === undefined || (r.qualityScore !== null && r.qualityScore >= minScore)) return true;
      belowScore.push({ conversationId: r.conversationId, reason: REVIEW_SKIP_REASONS.belowMinScore(minScore, r.qualityScore) });
      return false;
    });
    const result = await reviewFoundConversations({
      db: tx,
      workspaceId: options.workspaceId,
      action: options.action,
      candidates,
      missing,
      bulk: isBulkReview({ ids, byFilter: minScore !== undefined }),
      notes: options.notes,
      reviewerId: options.reviewerId,
      batchId: options.batchId,
    });
    return { ...result, skipped: sortSkipped([...result.skipped, ...belowScore]) };
  });
}

function sortSkipped(skipped: ReviewSkip[]): ReviewSkip[] {
  return [...skipped].sort((a, b) => a.conversationId.localeCompare(b.conversationId));
}
