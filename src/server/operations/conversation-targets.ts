import "server-only";
/** Resolving a dashboard ConversationTarget (src/lib/dashboard-contract.ts) to conversations. */
import type { z } from "zod";
import type { conversationTargetSchema } from "../../lib/dashboard-contract";
import type { DbOrTx } from "../db/client";
import { listConversationTargetRefs, type ConversationTargetRef } from "../db/queries/conversation-list";

/** A target after `conversationTargetSchema.parse` (defaults filled in). */
export type ParsedConversationTarget = z.output<typeof conversationTargetSchema>;

/**
 * The conversations a target names, ordered by human id, and the human ids it names that do not
 * exist (any more): `{ ids }` → those conversations; `{ matching, exceptIds }` → every
 * conversation matching the filter and search now, minus `exceptIds`.
 */
export async function resolveConversationTarget({
  db,
  workspaceId,
  target,
}: {
  db: DbOrTx;
  workspaceId: string;
  target: ParsedConversationTarget;
}): Promise<{ refs: ConversationTargetRef[]; missing: string[] }> {
  if ("ids" in target) {
    const ids = [...new Set(target.ids)];
    const refs = await listConversationTargetRefs({ db, workspaceId, target: { ids } });
    const found = new Set(refs.map((r) => r.conversationId));
    return { refs, missing: ids.filter((id) => !found.has(id)) };
  }
  const refs = await listConversationTargetRefs({
    db,
    workspaceId,
    target: { filter: target.matching.filter, search: target.matching.search, exceptIds: target.exceptIds },
  });
  return { refs, missing: [] };
}
