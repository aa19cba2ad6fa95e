"use server";
/**
 * Review server actions (US4.2.1, US4.2.2, US6.2.2): approve / reject with notes, one or in
 * bulk, and Undo. Each parses its input with the contract's schema, checks the user ("review"),
 * then calls src/server/operations/review.ts. Expected failures come back as `{ ok: false, error }`.
 */
import type { z } from "zod";
import { reviewInputSchema, undoReviewInputSchema, type ActionResult, type ReviewInput, type ReviewOutcome, type UndoOutcome } from "@/lib/dashboard-contract";
import { openWorkspace } from "@/server/workspace-context";
import { runAction } from "@/server/actions/action-result";
import { reviewTarget, undoReview } from "@/server/operations/review";

/**
 * Approves or rejects the target's conversations (notes ≤ 500 characters), written to
 * review_logs with the reviewer and time. Returns what changed, what was skipped and why, and an
 * undo token (null when nothing changed). Input: reviewInputSchema.
 */
export async function reviewConversationsAction(workspace: string, input: ReviewInput): Promise<ActionResult<ReviewOutcome>> {
  return runAction("reviewConversationsAction", async () => {
    const { user, db, workspace: ws } = await openWorkspace(workspace, "review");
    const parsed = reviewInputSchema.parse(input);
    return reviewTarget({ db, workspaceId: ws.id, input: parsed, reviewerId: user.id });
  });
}

/**
 * Undoes a review action by its token, up to UNDO_ACCEPT_MS after it: conversations nobody
 * changed since get their previous status back. Input: undoReviewInputSchema.
 */
export async function undoReviewAction(workspace: string, input: z.input<typeof undoReviewInputSchema>): Promise<ActionResult<UndoOutcome>> {
  return runAction("undoReviewAction", async () => {
    const { user, db, workspace: ws } = await openWorkspace(workspace, "review");
    const { undoToken } = undoReviewInputSchema.parse(input);
    return undoReview({ db, workspaceId: ws.id, undoToken, reviewerId: user.id });
  });
}
