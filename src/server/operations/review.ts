import "server-only";
/**
 * The dashboard's approve / reject (US4.2.1, US4.2.2, US6.2.2) and its Undo, over the same core
 * review as `brightrun review` (src/core/review/review-conversations.ts), so the rules are one:
 * seeds are locked, only generated / approved / rejected conversations are reviewed, notes are
 * at most 500 characters, every decision is a review_logs row with the reviewer and the time.
 *
 * Dashboard-only rules:
 * - a bulk approve (a "select all matching" target, or more than one id) leaves edge-case
 *   conversations out (US8.3.1 "cannot bulk approve"); approving one on its own works;
 * - every review action gets an undo token (a review batch id stored on its review_logs rows);
 *   the undo is accepted for UNDO_ACCEPT_MS and puts back only conversations nobody changed since.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { AppError } from "../../core/errors";
import { reviewConversations } from "../../core/review/review-conversations";
import type { ConversationStatus } from "../../lib/constants";
import { UNDO_ACCEPT_MS, type ReviewOutcome, type UndoOutcome, type reviewInputSchema } from "../../lib/dashboard-contract";
import type { Database } from "../db/client";
import { getReviewBatchById, restoreReviewBatch } from "../db/queries/review-logs";
import { isBulkTarget, resolveConversationTarget } from "./conversation-targets";

/** Conversations handed to the core review per call (its queries take the ids as parameters). */
const REVIEW_CHUNK = 5_000;
const REVIEWABLE: ConversationStatus[] = ["generated", "approved", "rejected"];

export const EDGE_CASE_BULK_REASON = "edge-case conversations must be approved one at a time: open each one and approve it on its own";
export const MISSING_REASON = "there is no such conversation (it may have been deleted)";

/**
 * Approves or rejects the target's conversations in one transaction.
 * @param input parsed reviewInputSchema.
 * @returns what was reviewed, what was skipped and why, and the undo token (null when nothing changed).
 * @throws AppError "review_invalid" from the core (notes too long).
 */
export async function reviewTarget({
  db,
  input,
  reviewerId,
}: {
  db: Database;
  input: z.output<typeof reviewInputSchema>;
  reviewerId: string;
}): Promise<ReviewOutcome> {
  const bulk = isBulkTarget(input.target);
  const batchId = randomUUID();
  return db.transaction(async (tx) => {
    const { refs, missing } = await resolveConversationTarget({ db: tx, target: input.target });
    const skipped: ReviewOutcome["skipped"] = missing.map((conversationId) => ({ conversationId, reason: MISSING_REASON }));
    const candidates = refs.filter((r) => {
      if (bulk && input.action === "approve" && r.tier === "edge_case" && !r.isSeed && REVIEWABLE.includes(r.status)) {
        skipped.push({ conversationId: r.conversationId, reason: EDGE_CASE_BULK_REASON });
        return false;
      }
      return true;
    });
    const reviewed: string[] = [];
    for (let i = 0; i < candidates.length; i += REVIEW_CHUNK) {
      const result = await reviewConversations({
        db: tx as unknown as Database,
        action: input.action,
        ids: candidates.slice(i, i + REVIEW_CHUNK).map((c) => c.conversationId),
        notes: input.notes ?? null,
        reviewerId,
        batchId,
      });
      reviewed.push(...result.reviewed);
      skipped.push(...result.skipped);
    }
    skipped.sort((a, b) => a.conversationId.localeCompare(b.conversationId));
    return { action: input.action, reviewed, skipped, undoToken: reviewed.length ? batchId : null };
  });
}

/**
 * Undoes a review action by its token: each conversation it reviewed goes back to the status and
 * reviewer fields it had before, if it still has the status the action gave it and nobody
 * reviewed it since; each one put back is logged as an "undo" review_logs row by `reviewerId`.
 * @throws AppError "undo_invalid" (not a token, or someone else's action), "undo_not_found",
 *   "undo_already_done", "undo_expired" (more than UNDO_ACCEPT_MS after the action).
 */
export async function undoReview({ db, undoToken, reviewerId }: { db: Database; undoToken: string; reviewerId: string }): Promise<UndoOutcome> {
  if (!z.uuid().safeParse(undoToken).success) {
    throw new AppError("undo_invalid", "That undo is not valid. Change the review again instead.");
  }
  return db.transaction(async (tx) => {
    const batch = await getReviewBatchById({ db: tx, batchId: undoToken, acceptMs: UNDO_ACCEPT_MS });
    if (batch.reviews === 0) throw new AppError("undo_not_found", "There is nothing to undo: that review is not known. Change the review again instead.");
    if (batch.reviewerId !== reviewerId) throw new AppError("undo_invalid", "Only the reviewer who made a review can undo it. Change the review again instead.");
    if (batch.undos > 0) throw new AppError("undo_already_done", "That review has already been undone.");
    if (!batch.withinWindow) {
      throw new AppError("undo_expired", "It is too late to undo that review. Change the review of those conversations again instead.");
    }
    const { restored, notRestored } = await restoreReviewBatch({ db: tx, batchId: undoToken, reviewerId });
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
