/**
 * Which conversations a generation selection names, and which of them can be generated now.
 * One home for the rule "only not generated or failed conversations that are not seeds are
 * generated", used by the web, the CLI, the run layer and the estimate alike.
 */
import { GENERATABLE_STATUSES, type ConversationStatus, type Tier } from "../../lib/constants";
import type { ConversationFilter } from "../../lib/conversation-filter";
import type { DbOrTx } from "../../server/db/client";
import { listConversationRefs } from "../../server/db/queries/conversations";
import { AppError } from "../errors";

/** What to generate. At least one of the fields must be set. */
export interface GenerationSelection {
  /** Human ids ("tmpl-001"). */
  ids?: string[];
  tier?: Tier[];
  /** Statuses to pick from; default not_generated (plus failed when ids are given). */
  status?: ConversationStatus[];
  /** Every conversation not generated yet. */
  all?: boolean;
}

/** A selected conversation that will not be generated, with the reason in plain English. */
export interface SkippedConversation {
  conversationId: string;
  reason: string;
  /** Set when the conversation is already waiting in another open run (that run's id). */
  waitingInRunId?: string;
}

/** True when a conversation in `status` may be generated (again). */
export function isGeneratableStatus(status: ConversationStatus): boolean {
  return (GENERATABLE_STATUSES as readonly ConversationStatus[]).includes(status);
}

/**
 * The conversations a selection names that can be generated now, and the ones skipped with why.
 * @returns `chosen` (uuid `id`, human `conversationId`, tier, status…) and `skipped`
 * @throws AppError "selection_invalid" for an empty selection or unknown ids.
 */
export async function resolveSelection({ db, selection }: { db: DbOrTx; selection: GenerationSelection }) {
  if (!selection.ids?.length && !selection.tier?.length && !selection.status?.length && !selection.all) {
    throw new AppError("selection_invalid", "Say what to generate: conversation ids, --tier, --status or --all.");
  }
  const statuses: readonly ConversationStatus[] = selection.status?.length
    ? selection.status
    : selection.ids?.length
      ? GENERATABLE_STATUSES
      : ["not_generated"];
  const filter: ConversationFilter = { ids: selection.ids, tier: selection.tier };
  const refs = await listConversationRefs({ db, filter });
  if (selection.ids?.length) {
    const found = new Set(refs.map((r) => r.conversationId));
    const unknown = selection.ids.filter((id) => !found.has(id));
    if (unknown.length) {
      throw new AppError("selection_invalid", `No conversation has the id ${unknown.map((u) => `"${u}"`).join(", ")}. Run \`brightrun status\` or list them in the dashboard.`);
    }
  }
  const skipped: SkippedConversation[] = [];
  const chosen = refs.filter((r) => {
    if (r.isSeed) {
      if (selection.ids?.length) skipped.push({ conversationId: r.conversationId, reason: "seed conversations are locked and never generated" });
      return false;
    }
    if (!statuses.includes(r.status)) {
      if (selection.ids?.length) skipped.push({ conversationId: r.conversationId, reason: `it is ${r.status.replace("_", " ")}` });
      return false;
    }
    if (!isGeneratableStatus(r.status)) {
      skipped.push({ conversationId: r.conversationId, reason: `it is ${r.status.replace("_", " ")}; only not generated or failed conversations are generated` });
      return false;
    }
    return true;
  });
  return { chosen, skipped };
}
