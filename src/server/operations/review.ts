import "server-only";
/**
 * The dashboard's approve / reject (US4.2.1, US4.2.2, US6.2.2) and its Undo, over the same core
 * review as `brightrun review` (src/core/review/review-conversations.ts): the rules — seeds
 * locked, only generated / approved / rejected conversations reviewed, notes at most 500
 * characters, edge cases never approved in bulk (more than one conversation, or "select all
 * matching") — live in src/core/review/review-rules.ts; every decision is a review_logs row with
 * the reviewer and the time.
 *
 * Dashboard-only: every review action gets an undo token (a review batch id stored on its
 * review_logs rows); the undo is accepted for UNDO_ACCEPT_MS and puts back only conversations
 * nobody changed since.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { AppError } from "../../core/errors";
import { reviewFoundConversations } from "../../core/review/review-conversations";
import { isBulkReview, REVIEW_SKIP_REASONS } from "../../core/review/review-rules";
import { UNDO_ACCEPT_MS, type ReviewOutcome, type UndoOutcome, type reviewInputSchema } from "../../lib/dashboard-contract";
import type { Database } from "../db/client";
import { getReviewBatchById, restoreReviewBatch } from "../db/queries/review-logs";
import { resolveConversationTarget } from "./conversation-targets";

/** The reason an edge case is left out of a bulk approve (src/core/review/review-rules.ts). */
export const EDGE_CASE_BULK_REASON = REVIEW_SKIP_REASONS.edgeCaseInBulk;
/** The reason a named conversation that does not exist (any more) is skipped, by every dashboard action. */
export const MISSING_REASON = REVIEW_SKIP_REASONS.missing;

/**
 * Approves or rejects the target's conversations in one transaction.
 * @param input parsed reviewInputSchema.
 * @returns what was reviewed, what was skipped and why, and the undo token (null when nothing changed).
 * @throws AppError "review_invalid" from the core (notes too long).
 */
export async function reviewTarget({
  db,
  workspaceId,
  input,
  reviewerId,
}: {
  db: Database;
  workspaceId: string;
  input: z.output<typeof reviewInputSchema>;
  reviewerId: string;
}): Promise<ReviewOutcome> {
  const batchId = randomUUID();
  return db.transaction(async (tx) => {
    const { refs, missing } = await resolveConversationTarget({ db: tx, workspaceId, target: input.target });
    const result = await reviewFoundConversations({
      db: tx,
      workspaceId,
      action: input.action,
      candidates: refs,
      missing,
      bulk: isBulkReview("ids" in input.target ? { ids: input.target.ids, byFilter: false } : { byFilter: true }),
      notes: input.notes ?? null,
      reviewerId,
      batchId,
    });
    return { ...result, undoToken: result.reviewed.length ? batchId : null };
  });
}

/**
 * Undoes a review action by its token: each conversation it reviewed goes back to the status and
 * reviewer fields it had before, if it still has the status the action gave it and nobody
 * reviewed it since; each one put back is logged as an "undo" review_logs row by `reviewerId`.
 * @throws AppError "undo_invalid" (not a token, or someone else's action), "undo_not_found",
 *   "undo_already_done", "undo_expired" (more than UNDO_ACCEPT_MS after the action).
 */
export async function undoReview({
  db,
  workspaceId,
  undoToken,
  reviewerId,
}: {
  db: Database;
  workspaceId: string;
  undoToken: string;
  reviewerId: string;
}): Promise<UndoOutcome> {
  if (!z.uuid().safeParse(undoToken).success) {
    throw new AppError("undo_invalid", "That undo is not valid. Change the review again instead.");
  }
  return db.transaction(async (tx) => {
    const batch = await getReviewBatchById({ db: tx, workspaceId, batchId: undoToken, acceptMs: UNDO_ACCEPT_MS });
    if (batch.reviews === 0) throw new AppError("undo_not_found", "There is nothing to undo: that review is not known. Change the review again instead.");
    if (batch.reviewerId !== reviewerId) throw new AppError("undo_invalid", "Only the reviewer who made a review can undo it. Change the review again instead.");
    if (batch.undos > 0) throw new AppError("undo_already_done", "That review has already been undone.");
    if (!batch.withinWindow) {
      throw new AppError("undo_expired", "It is too late to undo that review. Change the review of those conversations again instead.");
    }
    const { restored, notRestored } = await restoreReviewBatch({ db: tx, workspaceId, batchId: undoToken, reviewerId });
    return {
      restored: restored.map((r) => r.conversationId),
      skipped: notRestored.map((n) =>
        n.conversationId === null
          ? { conversationId: "(deleted)", reason: "it was deleted" }
          : { conversationId: n.conversationId, reason: `it was changed since (it is now ${(n.status ?? "deleted").replace("_", " ")})` },
      ),
    };
  });
}
