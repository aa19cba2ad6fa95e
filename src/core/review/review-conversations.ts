/**
 * Approve / reject with notes (US4.2.1, US4.2.2), written to review_logs with who and when.
 *
 * Rules:
 * - only generated, approved or rejected conversations can be reviewed (a decision can be changed);
 * - seed conversations are locked (US10.3.1) and always included in exports;
 * - edge-case conversations need individual review (US8.3.1: "cannot bulk approve"), so a bulk
 *   approve (no ids) leaves them out and says so;
 * - notes are at most 500 characters.
 */
import type { ConversationStatus, ReviewAction } from "../../lib/constants";
import type { Database } from "../../server/db/client";
import { listConversationRefs, updateConversationReviews } from "../../server/db/queries/conversations";
import { AppError } from "../errors";

export const MAX_REVIEW_NOTES_LENGTH = 500;

export interface ReviewResult {
  action: ReviewAction;
  reviewed: string[];
  skipped: Array<{ conversationId: string; reason: string }>;
}

const REVIEWABLE: ConversationStatus[] = ["generated", "approved", "rejected"];

/**
 * Reviews the conversations named by `ids`, or in bulk every generated conversation scoring at
 * least `minScore` (1–10) when no ids are given.
 * @throws AppError "review_invalid" for unknown ids, notes over 500 characters, or no target.
 */
export async function reviewConversations(options: {
  db: Database;
  action: ReviewAction;
  ids?: string[];
  minScore?: number;
  notes?: string | null;
  reviewerId: string;
  /** Stored on every review_logs row this call writes (the dashboard's undo token); none by default. */
  batchId?: string | null;
}): Promise<ReviewResult> {
  const { db, action, reviewerId } = options;
  const notes = options.notes?.trim() || null;
  if (notes && notes.length > MAX_REVIEW_NOTES_LENGTH) {
    throw new AppError("review_invalid", `Review notes can be at most ${MAX_REVIEW_NOTES_LENGTH} characters (these have ${notes.length}). Shorten them.`);
  }
  if (options.minScore !== undefined && !(options.minScore >= 1 && options.minScore <= 10)) {
    throw new AppError("review_invalid", `--min-score must be between 1 and 10 (got ${options.minScore}).`);
  }
  const bulk = !options.ids?.length;
  if (bulk && options.minScore === undefined) {
    throw new AppError("review_invalid", "Say which conversations to review: give their ids, or --min-score N to review every generated conversation scoring N or more.");
  }
  const refs = await listConversationRefs({
    db,
    filter: bulk ? { status: ["generated"], minQuality: options.minScore } : { ids: options.ids, minQuality: options.minScore },
  });
  if (!bulk) {
    const found = new Set(refs.map((r) => r.conversationId));
    const unknown = (options.ids ?? []).filter((id) => !found.has(id));
    if (unknown.length && options.minScore === undefined) {
      throw new AppError("review_invalid", `No conversation has the id ${unknown.map((u) => `"${u}"`).join(", ")}.`);
    }
  }
  const skipped: ReviewResult["skipped"] = [];
  const targets = refs.filter((r) => {
    if (r.isSeed) {
      skipped.push({ conversationId: r.conversationId, reason: "seed conversations are locked" });
      return false;
    }
    if (!REVIEWABLE.includes(r.status)) {
      skipped.push({ conversationId: r.conversationId, reason: `it is ${r.status.replace("_", " ")}; there is nothing to review yet` });
      return false;
    }
    if (bulk && action === "approve" && r.tier === "edge_case") {
      skipped.push({ conversationId: r.conversationId, reason: "edge-case conversations must be approved one by one (by id)" });
      return false;
    }
    return true;
  });
  await db.transaction((tx) =>
    updateConversationReviews({
      db: tx,
      reviews: targets.map((t) => ({
        id: t.id,
        previousStatus: t.status,
        previous: { reviewerId: t.reviewerId, reviewerNotes: t.reviewerNotes, reviewedAt: t.reviewedAt?.toISOString() ?? null },
      })),
      action,
      reviewerId,
      notes,
      batchId: options.batchId ?? null,
    }),
  );
  return { action, reviewed: targets.map((t) => t.conversationId), skipped };
}
