import { defineCommand } from "citty";
import { REVIEW_ACTIONS, type ReviewAction } from "../../lib/constants";
import { AppError } from "../../core/errors";
import { reviewConversations, type ReviewResult } from "../../core/review/review-conversations";
import { commonArgs, note, positionals, say, withDatabase } from "../context";

/** Prints a review result. */
export function printReviewResult(result: ReviewResult): void {
  const verb = result.action === "approve" ? "approved" : "rejected";
  say(`${result.reviewed.length} conversation${result.reviewed.length === 1 ? "" : "s"} ${verb}.`);
  const reasons = new Map<string, string[]>();
  for (const s of result.skipped) reasons.set(s.reason, [...(reasons.get(s.reason) ?? []), s.conversationId]);
  for (const [reason, ids] of reasons) {
    note(`  ${ids.length} skipped: ${reason} (${ids.slice(0, 8).join(", ")}${ids.length > 8 ? ", …" : ""}).`);
  }
}

export default defineCommand({
  meta: {
    name: "review",
    description:
      "Approve or reject conversations with notes: `review approve ID…`, or in bulk `review approve --min-score 8` (edge-case conversations are approved one by one).",
  },
  args: {
    ...commonArgs,
    action: { type: "positional", description: "approve or reject", required: true },
    "min-score": { type: "string", description: "Only conversations with a quality score of at least N (1-10); without ids, every generated one.", valueHint: "N" },
    notes: { type: "string", description: "Reviewer notes (at most 500 characters).", valueHint: "TEXT" },
  },
  async run({ args }) {
    if (!REVIEW_ACTIONS.includes(args.action as ReviewAction)) {
      throw new AppError("argument_invalid", `The review action must be approve or reject, not "${args.action}".`);
    }
    const ids = positionals(args, 1);
    const minScore = args["min-score"] === undefined ? undefined : Number(args["min-score"]);
    if (minScore !== undefined && Number.isNaN(minScore)) throw new AppError("argument_invalid", `--min-score must be a number from 1 to 10.`);
    await withDatabase({ dataDir: args["data-dir"], permission: "review" }, async ({ handle, user }) => {
      const result = await reviewConversations({
        db: handle.db,
        action: args.action as ReviewAction,
        ids: ids.length ? ids : undefined,
        minScore,
        notes: args.notes,
        reviewerId: user.id,
      });
      printReviewResult(result);
    });
  },
});
