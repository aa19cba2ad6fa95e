import "server-only";
/** The dashboard's delete (US11.4.2), preview position (US6.1.1) and "Plan the dataset" (US8.1.1). */
import type { z } from "zod";
import { createPlan, splitTotal } from "../../core/planning/create-plan";
import { TIERS } from "../../lib/constants";
import type { DeleteOutcome, deleteInputSchema, PlanOutcome, PreviewPosition, previewPositionInputSchema } from "../../lib/dashboard-contract";
import type { Database } from "../db/client";
import { listConversations } from "../db/queries/conversation-list";
import { deleteConversationsByIds, listPendingRunItemsByConversationIds } from "../db/queries/conversation-deletion";
import { resolveConversationTarget } from "./conversation-targets";
import { MISSING_REASON } from "./review";

export const SEED_DELETE_REASON = "seed conversations are locked and cannot be deleted";
export const GENERATING_DELETE_REASON = "it is being generated; wait for it to finish or cancel its run first";
export const QUEUED_DELETE_REASON = "it is waiting in a generation run that has not finished; cancel that run first";

/**
 * Permanently deletes the target's conversations with their turns, in one transaction. Seeds,
 * conversations being generated and conversations waiting in an unfinished run are skipped with
 * the reason; generation and review logs stay (their conversation link is cleared).
 * @param input parsed deleteInputSchema (the confirmation is already checked by the schema).
 */
export async function deleteTarget({ db, input }: { db: Database; input: z.output<typeof deleteInputSchema> }): Promise<DeleteOutcome> {
  return db.transaction(async (tx) => {
    const { refs, missing } = await resolveConversationTarget({ db: tx, target: input.target });
    const skipped: DeleteOutcome["skipped"] = missing.map((conversationId) => ({ conversationId, reason: MISSING_REASON }));
    const pending = await listPendingRunItemsByConversationIds({ db: tx, ids: refs.filter((r) => !r.isSeed).map((r) => r.id) });
    const toDelete = refs.filter((r) => {
      if (r.isSeed) skipped.push({ conversationId: r.conversationId, reason: SEED_DELETE_REASON });
      else if (r.status === "generating") skipped.push({ conversationId: r.conversationId, reason: GENERATING_DELETE_REASON });
      else if (pending.has(r.id)) skipped.push({ conversationId: r.conversationId, reason: QUEUED_DELETE_REASON });
      else return true;
      return false;
    });
    const deleted = await deleteConversationsByIds({ db: tx, ids: toDelete.map((r) => r.id) });
    skipped.sort((a, b) => a.conversationId.localeCompare(b.conversationId));
    return { deleted, skipped };
  });
}

/**
 * The conversation at a 1-based position of the table's filtered, searched, sorted set (the
 * preview's previous / next), with the set's size. `conversationId` is null past the end.
 */
export async function getPreviewPosition({ db, input }: { db: Database; input: z.output<typeof previewPositionInputSchema> }): Promise<PreviewPosition> {
  const page = await listConversations({ db, filter: input.filter, search: input.search, sort: input.sort, page: input.position, perPage: 1 });
  return { conversationId: page.rows[0]?.conversationId ?? null, position: input.position, total: page.total };
}

/**
 * Plans the dataset exactly as `brightrun plan`: with `total`, split 40/35/15; without, the
 * workspace's tier split (else 40/35/15). Existing slots are kept.
 * @throws AppError "plan_impossible" when there is no workspace or it lacks what a tier needs.
 */
export async function planDataset({ db, total }: { db: Database; total?: number }): Promise<PlanOutcome> {
  const result = await createPlan({ db, split: total !== undefined ? splitTotal(total) : undefined });
  return {
    planned: TIERS.reduce((sum, tier) => sum + result.split[tier], 0),
    perTier: { ...result.split },
    created: result.created,
    existing: result.existing,
  };
}
