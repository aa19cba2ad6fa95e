/**
 * Deleting conversations for good (US11.4.2) under the rules of delete-rules.ts — the same for the
 * dashboard (src/server/operations/conversations.ts) and `brightrun delete` (src/cli/commands/delete.ts).
 */
import type { Database, DbOrTx } from "../../server/db/client";
import { deleteConversationsByIds, listPendingRunItemsByConversationIds } from "../../server/db/queries/conversation-deletion";
import { listConversationTargetRefs } from "../../server/db/queries/conversation-list";
import { decideDeletions, type DeleteCandidate, type DeleteSkip } from "./delete-rules";

export interface DeleteResult {
  /** Human ids deleted, sorted. */
  deleted: string[];
  /** Kept, each with the plain-English reason, sorted by human id. */
  skipped: DeleteSkip[];
}

/**
 * Deletes conversations a door has already found, in the caller's transaction (run it inside
 * one): looks up which are waiting in an unfinished run, applies the rules (decideDeletions) and
 * deletes the rest with their turns.
 * @param candidates the conversations named that exist; `missing` the named human ids that do not
 * @throws database errors (a seed reaching the delete is refused by the database's trigger)
 */
export async function deleteFoundConversations({
  db,
  candidates,
  missing = [],
}: {
  db: DbOrTx;
  candidates: readonly DeleteCandidate[];
  missing?: readonly string[];
}): Promise<DeleteResult> {
  const pendingRunByConversation = await listPendingRunItemsByConversationIds({ db, ids: candidates.filter((c) => !c.isSeed).map((c) => c.id) });
  const { toDelete, skipped } = decideDeletions({ candidates, missing, pendingRunByConversation });
  const deleted = await deleteConversationsByIds({ db, ids: toDelete.map((c) => c.id) });
  return { deleted: [...deleted].sort(), skipped: [...skipped].sort((a, b) => a.conversationId.localeCompare(b.conversationId)) };
}

/**
 * `brightrun delete ID…`: deletes the conversations named by human id, in one transaction;
 * unknown ids are skipped with the reason.
 * @throws database errors only
 */
export async function deleteConversations({ db, ids }: { db: Database; ids: readonly string[] }): Promise<DeleteResult> {
  const unique = [...new Set(ids)];
  return db.transaction(async (tx) => {
    const found = await listConversationTargetRefs({ db: tx, target: { ids: unique } });
    const present = new Set(found.map((r) => r.conversationId));
    return deleteFoundConversations({ db: tx, candidates: found, missing: unique.filter((id) => !present.has(id)) });
  });
}
