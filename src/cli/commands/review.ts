import { defineCommand } from "citty";
import { REVIEW_ACTIONS, type ReviewAction } from "../../lib/constants";
import { AppError } from "../../core/errors";
import { reviewConversations, type ReviewResult } from "../../core/review/review-conversations";
import { commonArgs, positionals, withWorkspace } from "../context";
import { printOutcome } from "../print-outcome";

/** Prints a review result: how many were approved / rejected, and the skipped ones by reason. */
export function printReviewResult(result: ReviewResult): void {
  printOutcome({ verb: result.action === "approve" ? "approved" : "rejected", done: result.reviewed, skipped: result.skipped });
}

export default defineCommand({
  meta: {
    name: "review",
    description:
      "Approve or reject conversations with notes: `review approve ID…`, or in bulk `review approve --min-score 8`. Edge-case conversations are approved one at a time (`review approve edge-001`); a bulk approve leaves them out.",
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
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "review" }, async ({ handle, user, workspace }) => {
      const result = await reviewConversations({
        db: handle.db,
        workspaceId: workspace.id,
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
