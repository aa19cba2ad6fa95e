/**
 * The delete rules (US11.4.2), in one place for every door (the dashboard, `brightrun delete`):
 *
 * - seed conversations are locked (US10.3.1) and never deleted (a database trigger refuses it too);
 * - a conversation being generated is kept: its worker would write into a conversation that is gone;
 * - a conversation waiting in a generation run that has not finished is kept: cancel the run first;
 * - anything else named is deleted for good, with its turns (generation and review logs stay).
 *
 * Pure: no database, no framework.
 */
import type { ConversationStatus } from "../../lib/constants";

/** Why a conversation was not deleted, in the words both doors show. */
export const DELETE_SKIP_REASONS = {
  seed: "seed conversations are locked and cannot be deleted",
  generating: "it is being generated; wait for it to finish or cancel its run first",
  queued: "it is waiting in a generation run that has not finished; cancel that run first",
  missing: "there is no such conversation (it may have been deleted)",
} as const;

/** A conversation as the delete rules see it. */
export interface DeleteCandidate {
  /** conversations.id (uuid). */
  id: string;
  /** Human id ("tmpl-001"). */
  conversationId: string;
  status: ConversationStatus;
  isSeed: boolean;
}

/** A conversation left out, with the reason in plain English. */
export interface DeleteSkip {
  conversationId: string;
  reason: string;
}

/**
 * Applies the rules to the conversations a delete names: which are deleted, which are kept and
 * why (seed, being generated, waiting in an unfinished run — checked in that order), plus one
 * skip per named id that does not exist (`missing`).
 * @param pendingRunByConversation uuid → run id of conversations waiting in an unfinished run
 * Keeps `candidates`' order and objects; throws nothing.
 */
export function decideDeletions<T extends DeleteCandidate>({
  candidates,
  missing = [],
  pendingRunByConversation,
}: {
  candidates: readonly T[];
  missing?: readonly string[];
  pendingRunByConversation: ReadonlyMap<string, string>;
}): { toDelete: T[]; skipped: DeleteSkip[] } {
  const skipped: DeleteSkip[] = missing.map((conversationId) => ({ conversationId, reason: DELETE_SKIP_REASONS.missing }));
  const toDelete = candidates.filter((c) => {
    if (c.isSeed) skipped.push({ conversationId: c.conversationId, reason: DELETE_SKIP_REASONS.seed });
    else if (c.status === "generating") skipped.push({ conversationId: c.conversationId, reason: DELETE_SKIP_REASONS.generating });
    else if (pendingRunByConversation.has(c.id)) skipped.push({ conversationId: c.conversationId, reason: DELETE_SKIP_REASONS.queued });
    else return true;
    return false;
  });
  return { toDelete, skipped };
}
