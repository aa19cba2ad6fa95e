import { defineCommand } from "citty";
import { CONVERSATION_STATUSES, STATUS_LABELS, TIER_LABELS, TIERS } from "../../lib/constants";
import { getConversationTotals, type ConversationTotals } from "../../server/db/queries/conversations";
import { commonArgs, formatUsd, say, withWorkspace } from "../context";

/** Human-readable status lines. */
export function describeTotals(totals: ConversationTotals): string[] {
  return [
    `Conversations: ${totals.total} (${totals.seeds} seeds)`,
    `  by status: ${CONVERSATION_STATUSES.map((s) => `${STATUS_LABELS[s]} ${totals.byStatus[s]}`).join(", ")}`,
    `  by tier: ${TIERS.map((t) => `${TIER_LABELS[t]} ${totals.byTier[t]}`).join(", ")}`,
    `  average quality: ${totals.averageQuality ?? "n/a"}`,
    `Tokens: ${totals.inputTokens.toLocaleString("en-US")} in, ${totals.outputTokens.toLocaleString("en-US")} out. Cost: ${formatUsd(totals.costUsd)}`,
  ];
}

export default defineCommand({
  meta: { name: "status", description: "Counts by status and tier, tokens and cost." },
  args: {
    ...commonArgs,
    json: { type: "boolean", description: "Print JSON (status names as keys) instead of text." },
  },
  async run({ args }) {
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "read" }, async ({ handle, workspace }) => {
      const totals = await getConversationTotals({ db: handle.db, workspaceId: workspace.id });
      if (args.json) {
        say(
          JSON.stringify(
            {
              total: totals.total,
              seeds: totals.seeds,
              by_status: totals.byStatus,
              by_tier: totals.byTier,
              input_tokens: totals.inputTokens,
              output_tokens: totals.outputTokens,
              cost_usd: totals.costUsd,
              average_quality: totals.averageQuality,
            },
            null,
            2,
          ),
        );
      } else for (const line of describeTotals(totals)) say(line);
    });
  },
});
