import "server-only";
/** The dashboard's delete (US11.4.2), preview position (US6.1.1) and "Plan the dataset" (US8.1.1). */
import type { z } from "zod";
import { createPlan, splitTotal } from "../../core/planning/create-plan";
import { TIERS } from "../../lib/constants";
import type { DeleteOutcome, deleteInputSchema, PlanOutcome, PreviewPosition, previewPositionInputSchema } from "../../lib/dashboard-contract";
import type { Database } from "../db/client";
import { listConversations } from "../db/queries/conversation-list";
import { deleteFoundConversations } from "../../core/conversations/delete-conversations";
import { resolveConversationTarget } from "./conversation-targets";

/**
 * Permanently deletes the target's conversations with their turns, in one transaction, under the
 * core delete rules (the same as `brightrun delete`): seeds, conversations being generated and
 * conversations waiting in an unfinished run are skipped with the reason, as are named ids that
 * no longer exist; generation and review logs stay (their conversation link is cleared).
 * @param input parsed deleteInputSchema (the confirmation is already checked by the schema).
 */
export async function deleteTarget({ db, workspaceId, input }: { db: Database; workspaceId: string; input: z.output<typeof deleteInputSchema> }): Promise<DeleteOutcome> {
  return db.transaction(async (tx) => {
    const { refs, missing } = await resolveConversationTarget({ db: tx, workspaceId, target: input.target });
    return deleteFoundConversations({ db: tx, candidates: refs, missing });
  });
}

/**
 * The conversation at a 1-based position of the table's filtered, searched, sorted set (the
 * preview's previous / next), with the set's size. `conversationId` is null past the end.
 */
export async function getPreviewPosition({
  db,
  workspaceId,
  input,
}: {
  db: Database;
  workspaceId: string;
  input: z.output<typeof previewPositionInputSchema>;
}): Promise<PreviewPosition> {
  const page = await listConversations({ db, workspaceId, filter: input.filter, search: input.search, sort: input.sort, page: input.position, perPage: 1 });
  return { conversationId: page.rows[0]?.conversationId ?? null, position: input.position, total: page.total };
}

/**
 * Plans the dataset exactly as `brightrun plan`: with `total`, split 40/35/15; without, the
 * workspace's tier split (else 40/35/15). Existing slots are kept.
 * @throws AppError "plan_impossible" when there is no workspace or it lacks what a tier needs.
 */
export async function planDataset({ db, workspaceId, total }: { db: Database; workspaceId: string; total?: number }): Promise<PlanOutcome> {
  const result = await createPlan({ db, workspaceId, split: total !== undefined ? splitTotal(total) : undefined });
  return {
    planned: TIERS.reduce((sum, tier) => sum + result.split[tier], 0),
    perTier: { ...result.split },
    created: result.created,
    existing: result.existing,
  };
}
