/**
 * Which conversations a generation selection names, and which of them can be generated now.
 * One home for the rule "only not generated or failed conversations that are not seeds are
 * generated", used by the web, the CLI, the run layer and the estimate alike.
 */
import { GENERATABLE_STATUSES, JUDGEABLE_STATUSES, type ConversationStatus, type Tier } from "../../lib/constants";
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
 * What to read for a selection: the ids and tiers it names, narrowed — when it names no ids — to
 * the statuses it picks from and to conversations that are not seeds (the others would be left
 * out without a word, see chooseGeneratable). Pure.
 * @throws AppError "selection_invalid" for an empty selection.
 */
export function selectionFilter(selection: GenerationSelection): ConversationFilter {
  if (!selection.ids?.length && !selection.tier?.length && !selection.status?.length && !selection.all) {
    throw new AppError("selection_invalid", "Say what to generate: conversation ids, --tier, --status or --all.");
  }
  if (selection.ids?.length) return { ids: selection.ids, tier: selection.tier };
  return { tier: selection.tier, status: [...statusesOf(selection)], isSeed: false };
}

/** The statuses a selection picks from: its own, else not generated and failed for ids, else not generated. */
function statusesOf(selection: GenerationSelection): readonly ConversationStatus[] {
  if (selection.status?.length) return selection.status;
  return selection.ids?.length ? GENERATABLE_STATUSES : ["not_generated"];
}

/**
 * The rule, without the database: which of the conversations read for a selection (`refs`, in
 * the order to generate them) are generated now, and which of those it names are skipped and why.
 * Seeds never are; only not generated or failed conversations are; by id, a conversation in
 * another status is skipped with its status as the reason. Keeps `refs`' order and objects.
 * @throws AppError "selection_invalid" for an empty selection, or ids that none of `refs` has.
 */
export function chooseGeneratable<T extends { conversationId: string; status: ConversationStatus; isSeed: boolean }>({
  selection,
  refs,
}: {
  selection: GenerationSelection;
  refs: readonly T[];
}): { chosen: T[]; skipped: SkippedConversation[] } {
  selectionFilter(selection);
  const statuses = statusesOf(selection);
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

/**
 * The conversations a selection names that can be generated now, and the ones skipped with why.
 * @returns `chosen` (uuid `id`, human `conversationId`, tier, status…) and `skipped`
 * @throws AppError "selection_invalid" for an empty selection or unknown ids.
 */
export async function resolveSelection({ db, workspaceId, selection }: { db: DbOrTx; workspaceId: string; selection: GenerationSelection }) {
  const refs = await listConversationRefs({ db, workspaceId, filter: selectionFilter(selection) });
  return chooseGeneratable({ selection, refs });
}

/** True when a conversation in `status` has turns a judge can score (JUDGEABLE_STATUSES). */
export function isJudgeableStatus(status: ConversationStatus): boolean {
  return (JUDGEABLE_STATUSES as readonly ConversationStatus[]).includes(status);
}

/**
 * The rule for a judge run, without the database: which of `refs` (in order) are judged, and
 * which of those named by id are skipped with why. Only generated, approved or rejected
 * conversations are judged (they have turns); without ids and statuses, generated ones. Seeds are
 * judged only when named by id. An empty selection means every generated conversation.
 * @throws AppError "selection_invalid" for ids that none of `refs` has, or a status that cannot be judged.
 */
export function chooseJudgeable<T extends { conversationId: string; status: ConversationStatus; isSeed: boolean }>({
  selection,
  refs,
}: {
  selection: GenerationSelection;
  refs: readonly T[];
}): { chosen: T[]; skipped: SkippedConversation[] } {
  const badStatus = (selection.status ?? []).filter((s) => !isJudgeableStatus(s));
  if (badStatus.length) {
    throw new AppError("selection_invalid", `Only ${JUDGEABLE_STATUSES.join(", ")} conversations can be judged; "${badStatus.join(", ")}" cannot.`);
  }
  const byId = Boolean(selection.ids?.length);
  if (byId) {
    const found = new Set(refs.map((r) => r.conversationId));
    const unknown = (selection.ids as string[]).filter((id) => !found.has(id));
    if (unknown.length) throw new AppError("selection_invalid", `No conversation has the id ${unknown.map((u) => `"${u}"`).join(", ")}. Run \`brightrun status\` or list them in the dashboard.`);
  }
  const statuses: readonly ConversationStatus[] = selection.status?.length ? selection.status : byId ? JUDGEABLE_STATUSES : ["generated"];
  const skipped: SkippedConversation[] = [];
  const chosen = refs.filter((r) => {
    if (!byId && r.isSeed) return false;
    if (!statuses.includes(r.status)) {
      if (byId) skipped.push({ conversationId: r.conversationId, reason: `it is ${r.status.replace("_", " ")}; only generated, approved or rejected conversations are judged` });
      return false;
    }
    return true;
  });
  return { chosen, skipped };
}

/**
 * The conversations a judge run's selection names that can be judged now (chooseJudgeable).
 * @returns `chosen` (uuid `id`, human `conversationId`…) and `skipped` with why
 * @throws AppError "selection_invalid" (see chooseJudgeable)
 */
export async function resolveJudgeSelection({ db, workspaceId, selection }: { db: DbOrTx; workspaceId: string; selection: GenerationSelection }) {
  const byId = Boolean(selection.ids?.length);
  const statuses = selection.status?.length ? selection.status : byId ? undefined : (["generated"] as ConversationStatus[]);
  const refs = await listConversationRefs({ db, workspaceId, filter: byId ? { ids: selection.ids, tier: selection.tier } : { tier: selection.tier, status: statuses, isSeed: false } });
  return chooseJudgeable({ selection, refs });
}
