/**
 * Stores plans: reads what the planner needs (active taxonomy, scenarios, chunks, the arc
 * configuration, the plan settings, the conversations already there), plans, and inserts the new
 * slots as `not_generated` conversations. Used by the planning page, `brightrun plan`, the
 * dashboard's "Plan the dataset" and the first start alike.
 *
 * Re-planning rules: a plan's split is the number of slots each tier should hold; slots already
 * planned count (whatever their status) and are never changed, so planning again only adds what is
 * missing and never touches generated, approved, rejected or generating conversations. Removing
 * slots is a separate, confirmed step that only removes slots never generated (removeUngeneratedSlots).
 */
import { DEFAULT_TIER_SPLIT, TIERS, type Tier } from "../../lib/constants";
import { workspacePaths } from "../../lib/workspace-paths";
import type { Database, DbOrTx } from "../../server/db/client";
import { insertConversations } from "../../server/db/queries/conversations";
import { listChunksWithDocuments } from "../../server/db/queries/documents";
import { listPlanConversations, updateWorkspaceTierSplit, type PlanConversation } from "../../server/db/queries/planning";
import { listScenarios } from "../../server/db/queries/scenarios";
import { listTaxonomy } from "../../server/db/queries/taxonomy";
import { listTemplatesWithCurrentVersion } from "../../server/db/queries/templates";
import { getWorkspace } from "../../server/db/queries/workspace";
import type { PromptTemplateRow, WorkspaceRow } from "../../server/db/schema";
import { deleteFoundConversations, type DeleteResult } from "../conversations/delete-conversations";
import { AppError } from "../errors";
import { chooseTemplateForSlot } from "../templates/template-applicability";
import { tierSplitProblems } from "./tier-split";
import { readPlanSettings } from "./plan-settings";
import { findMissingCombinations, MAX_FILL_SLOTS, planConversations, planMissingCombinations, planPinnedSlots, type PinnedSlot, type PlanInputs, type PlannedSlot } from "./plan-conversations";

export { MAX_PLAN_TOTAL, splitTotal, tierSplitProblems } from "./tier-split";

/** Prefix of planned conversation ids per tier: "tmpl-001", "scen-001", "edge-001". */
export const TIER_ID_PREFIX: Record<Tier, string> = { template: "tmpl", scenario: "scen", edge_case: "edge" };

/** The human id of the n-th (1-based) slot of a tier. */
export function plannedConversationId(tier: Tier, indexInTier: number): string {
  return `${TIER_ID_PREFIX[tier]}-${String(indexInTier).padStart(3, "0")}`;
}

/** True for a slot that may be removed: planned, not generated, never tried, not a seed. */
export function isUngeneratedSlot(c: Pick<PlanConversation, "status" | "isSeed" | "planSlot" | "generationAttempts">): boolean {
  return c.status === "not_generated" && !c.isSeed && c.planSlot !== null && c.generationAttempts === 0;
}

/** Everything the planner reads for a workspace, loaded once. */
interface PlanContext {
  workspace: WorkspaceRow;
  inputs: Omit<PlanInputs, "split">;
  conversations: PlanConversation[];
  chunks: Awaited<ReturnType<typeof listChunksWithDocuments>>;
  scenarios: Awaited<ReturnType<typeof listScenarios>>;
  /** Every template of the workspace (drafts and inactive ones included; chooseTemplateForSlot skips them). */
  templates: PromptTemplateRow[];
}

/**
 * Reads the planner's inputs: active taxonomy only (archived entries, disabled personas and arcs
 * left out), scenarios not archived, every chunk with its document category, the arc
 * configuration and plan settings, the workspace's planned slots (counted as used) and every
 * conversation's combination (covered, seeds included).
 * @throws AppError "plan_impossible" when the workspace does not exist
 */
export async function loadPlanContext({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<PlanContext> {
  const workspace = await getWorkspace({ db, workspaceId });
  if (!workspace) throw new AppError("plan_impossible", "Cannot plan: the workspace no longer exists. Pick another workspace, or create one.");
  const [taxonomy, scenarios, chunks, templateRows, conversations] = await Promise.all([
    listTaxonomy({ db, workspaceId }),
    listScenarios({ db, workspaceId }),
    listChunksWithDocuments({ db, workspaceId }),
    listTemplatesWithCurrentVersion({ db, workspaceId }),
    listPlanConversations({ db, workspaceId }),
  ]);
  const active = <T extends { archivedAt: Date | null }>(rows: T[]) => rows.filter((r) => r.archivedAt === null);
  const settings = readPlanSettings(workspace.planSettings);
  const templates = templateRows.map((t) => t.template);
  const paths = workspacePaths(workspace.slug);
  return {
    workspace,
    conversations,
    chunks,
    scenarios,
    templates,
    inputs: {
      personas: active(taxonomy.personas).filter((p) => p.enabled),
      emotionalArcs: active(taxonomy.emotionalArcs),
      topics: active(taxonomy.topics),
      intents: active(taxonomy.intents),
      tones: active(taxonomy.tones),
      outcomes: active(taxonomy.outcomes),
      scenarios: active(scenarios),
      edgeCaseCategories: active(taxonomy.edgeCaseCategories),
      chunks,
      arcDistribution: workspace.arcDistribution,
      categoryWeights: settings.categoryWeights,
      completeSystemsOnly: settings.completeSystemsOnly,
      covered: conversations.map((c) => ({ persona: c.persona, emotion: c.emotion, topic: c.topic })),
      existing: conversations
        .filter((c) => c.planSlot !== null)
        .map((c) => ({
        tier: c.tier,
        persona: c.persona,
        emotion: c.emotion,
        topic: c.topic,
        intent: c.intent,
        tone: c.tone,
        outcome: c.outcome,
        chunkKey: c.chunkKey,
        scenarioKey: c.scenarioKey,
        edgeCaseKey: c.edgeCaseKey,
        planned: c.planSlot !== null,
      })),
      pages: {
        personas: paths.taxonomy("personas"),
        emotionalArcs: paths.taxonomy("emotional-arcs"),
        topics: paths.taxonomy("topics"),
        intents: paths.taxonomy("intents"),
        tones: paths.taxonomy("tones"),
        edgeCaseCategories: paths.taxonomy("edge-case-categories"),
        scenarios: paths.scenarios(),
        documents: paths.documents,
      },
    },
  };
}

/** Slots already planned per tier (conversations with a plan slot, whatever their status). */
export function plannedPerTier(conversations: readonly Pick<PlanConversation, "tier" | "planSlot">[]): Record<Tier, number> {
  const out: Record<Tier, number> = { template: 0, scenario: 0, edge_case: 0 };
  for (const c of conversations) if (c.planSlot !== null) out[c.tier] += 1;
  return out;
}

/**
 * The rows to insert for planned slots: numbered after the tier's highest slot, skipping ids
 * already taken; each with the template chooseTemplateForSlot picks (applicable, active), or
 * `templateId` for every slot when given (a seed's variations).
 */
function rowsForSlots(context: PlanContext, slots: readonly PlannedSlot[], templateId?: string) {
  const { workspace, conversations } = context;
  const chunkByKey = new Map(context.chunks.map((c) => [c.key, c]));
  const scenarioByKey = new Map(context.scenarios.map((s) => [s.key, s]));
  const takenIds = new Set(conversations.map((c) => c.conversationId));
  const lastSlot: Record<Tier, number> = { template: 0, scenario: 0, edge_case: 0 };
  for (const c of conversations) if (c.planSlot !== null) lastSlot[c.tier] = Math.max(lastSlot[c.tier], c.planSlot);
  return slots.map((slot) => {
    let index = lastSlot[slot.tier] + 1;
    while (takenIds.has(plannedConversationId(slot.tier, index))) index += 1;
    lastSlot[slot.tier] = index;
    const conversationId = plannedConversationId(slot.tier, index);
    takenIds.add(conversationId);
    const chunk = chunkByKey.get(slot.chunkKey);
    return {
      workspaceId: workspace.id,
      conversationId,
      documentId: chunk?.documentId ?? null,
      chunkId: chunk?.id ?? null,
      persona: slot.persona,
      emotion: slot.emotion,
      topic: slot.topic,
      intent: slot.intent,
      tone: slot.tone,
      outcome: slot.outcome,
      tier: slot.tier,
      status: "not_generated" as const,
      templateId: templateId ?? chooseTemplateForSlot(context.templates, { tier: slot.tier, persona: slot.persona, arc: slot.emotion })?.id ?? null,
      scenarioId: slot.scenarioKey ? (scenarioByKey.get(slot.scenarioKey)?.id ?? null) : null,
      edgeCaseCategory: slot.edgeCaseKey,
      sourceCategory: chunk?.category ?? null,
      planSlot: index,
      systemPrompt: workspace.trainingSystemPrompt,
      metadata: { planned_slot: index },
    };
  });
}

export interface PlanResult {
  /** The split planned for: slots per tier asked (or the workspace's). */
  split: Record<Tier, number>;
  /** Slots each tier holds after planning: the split, or more where more were already planned. */
  held: Record<Tier, number>;
  /** New slots created now. */
  created: number;
  /** Slots that were already planned before. */
  existing: number;
  /** The new slots. */
  slots: PlannedSlot[];
}

/**
 * Plans the dataset so that each tier holds `split[tier]` slots: the slots already planned count
 * (and are left as they are), the missing ones are planned and stored as `not_generated`.
 * @param split slots per tier; default the workspace's tier_split, else 40/35/15.
 * @param saveSplit store `split` as the workspace's tier_split (the planning page and `brightrun plan --split` do)
 * @throws AppError "plan_invalid" for a split tierSplitProblems rejects; "plan_impossible" when
 *   the workspace lacks what a tier needs (saying what to add and on which page)
 */
export async function createPlan({
  db,
  workspaceId,
  split,
  saveSplit = false,
}: {
  db: Database;
  workspaceId: string;
  split?: Record<Tier, number>;
  saveSplit?: boolean;
}): Promise<PlanResult> {
  if (split) {
    const problems = tierSplitProblems(split);
    if (problems.length) throw new AppError("plan_invalid", problems.join(" "));
  }
  return db.transaction(async (tx) => {
    const context = await loadPlanContext({ db: tx, workspaceId });
    const target = split ?? context.workspace.tierSplit ?? DEFAULT_TIER_SPLIT;
    const planned = plannedPerTier(context.conversations);
    const toAdd = Object.fromEntries(TIERS.map((t) => [t, Math.max(0, target[t] - planned[t])])) as Record<Tier, number>;
    const slots = TIERS.some((t) => toAdd[t] > 0) ? planConversations({ ...context.inputs, split: toAdd }) : [];
    const created = await insertConversations({ db: tx, values: rowsForSlots(context, slots) });
    if (saveSplit && split) await updateWorkspaceTierSplit({ db: tx, workspaceId, tierSplit: split });
    const existing = TIERS.reduce((s, t) => s + planned[t], 0);
    const held = Object.fromEntries(TIERS.map((t) => [t, Math.max(target[t], planned[t])])) as Record<Tier, number>;
    return { split: { ...target }, held, created, existing, slots };
  });
}

/** How many persona × arc × topic combinations (active personas, enabled arcs, active topics) no conversation covers yet. */
export function countMissingCombinations(context: Pick<PlanContext, "inputs">): number {
  return findMissingCombinations(context.inputs).length;
}

export interface FillResult {
  /** Template-tier slots added now. */
  created: number;
  /** Combinations that were missing before. */
  missing: number;
  /** True when more were missing than one fill adds (MAX_FILL_SLOTS): fill again for the rest. */
  capped: boolean;
}

/**
 * "Fill missing combinations": adds one template-tier slot per persona × arc × topic combination
 * no conversation covers yet, at most `limit` (default MAX_FILL_SLOTS) at a time.
 * @throws AppError "plan_impossible" as createPlan
 */
export async function fillMissingCombinations({ db, workspaceId, limit = MAX_FILL_SLOTS }: { db: Database; workspaceId: string; limit?: number }): Promise<FillResult> {
  return db.transaction(async (tx) => {
    const context = await loadPlanContext({ db: tx, workspaceId });
    const { slots, missing } = planMissingCombinations({ ...context.inputs, split: { template: 0, scenario: 0, edge_case: 0 } }, limit);
    const created = await insertConversations({ db: tx, values: rowsForSlots(context, slots) });
    return { created, missing, capped: missing > slots.length };
  });
}

/**
 * Removes the slots never generated (isUngeneratedSlot), of one tier or all, in one transaction
 * under the delete rules (a slot waiting in an unfinished run is kept, with why). Generated,
 * approved, rejected, failed, generating conversations and seeds are never touched.
 */
export async function removeUngeneratedSlots({ db, workspaceId, tier }: { db: Database; workspaceId: string; tier?: Tier }): Promise<DeleteResult> {
  return db.transaction(async (tx) => {
    const conversations = await listPlanConversations({ db: tx, workspaceId });
    const candidates = conversations.filter((c) => isUngeneratedSlot(c) && (!tier || c.tier === tier));
    return deleteFoundConversations({ db: tx, candidates });
  });
}

/** At most this many variations are planned from a seed at a time (the Seeds page's "Generate variations" and `brightrun seeds variations`). */
export const MAX_SEED_VARIATIONS = 50;

/**
 * "Generate variations" of a seed (issue 11 item 7): plans `count` (1–MAX_SEED_VARIATIONS) new
 * `not_generated` slots of `tier` with the planner's own balancing, every one with `templateId` (the
 * seed's template, even while it is a draft). The seed's persona × arc × topic counts as used, so
 * the variations take other combinations first.
 * @returns the new conversations' ids ("tmpl-041", …) in order
 * @throws AppError "plan_invalid" for a count out of range; "plan_impossible" as createPlan
 */
export async function planSeedVariations({
  db,
  workspaceId,
  templateId,
  tier,
  count,
  seed,
}: {
  db: Database;
  workspaceId: string;
  templateId: string;
  tier: Tier;
  count: number;
  seed: { persona: string; emotion: string; topic: string; intent: string; tone: string; outcome: string | null };
}): Promise<{ conversationIds: string[] }> {
  if (!Number.isInteger(count) || count < 1 || count > MAX_SEED_VARIATIONS) {
    throw new AppError("plan_invalid", `Choose between 1 and ${MAX_SEED_VARIATIONS} variations.`);
  }
  return db.transaction(async (tx) => {
    const context = await loadPlanContext({ db: tx, workspaceId });
    const split = { template: 0, scenario: 0, edge_case: 0, [tier]: count } as Record<Tier, number>;
    const seedSlot = { tier, ...seed, chunkKey: null, scenarioKey: null, edgeCaseKey: null, planned: false };
    const slots = planConversations({ ...context.inputs, existing: [...(context.inputs.existing ?? []), seedSlot], split });
    const rows = rowsForSlots(context, slots, templateId);
    await insertConversations({ db: tx, values: rows });
    return { conversationIds: rows.map((r) => r.conversationId) };
  });
}

/** At most this many slots are planned by one "Generate Recommended" or "Generate Suggested Edge Cases". */
export const MAX_PINNED_SLOTS = 100;

/**
 * Plans and stores one `not_generated` slot per pinned request (planPinnedSlots: persona, arc and
 * topic or edge-case category fixed, the rest balanced), each with the template
 * chooseTemplateForSlot picks, in one transaction. The Coverage page's "Generate Recommended" and
 * "Generate Suggested Edge Cases" call it, then open the usual Generate dialog for the ids.
 * @returns the new conversations' ids ("tmpl-041", "edge-007", …) in the order of `requests`
 * @throws AppError "plan_invalid" for no request, more than MAX_PINNED_SLOTS, or a value not in the
 *   active taxonomy; "plan_impossible" as createPlan
 */
export async function planPinnedConversations({ db, workspaceId, requests }: { db: Database; workspaceId: string; requests: readonly PinnedSlot[] }): Promise<{ conversationIds: string[] }> {
  if (requests.length === 0) throw new AppError("plan_invalid", "Nothing to plan: every suggestion is already covered or dismissed.");
  if (requests.length > MAX_PINNED_SLOTS) throw new AppError("plan_invalid", `That would plan ${requests.length} conversations; plan at most ${MAX_PINNED_SLOTS} at a time (pick fewer suggestions).`);
  return db.transaction(async (tx) => {
    const context = await loadPlanContext({ db: tx, workspaceId });
    const slots = planPinnedSlots(context.inputs, requests);
    const rows = rowsForSlots(context, slots);
    await insertConversations({ db: tx, values: rows });
    return { conversationIds: rows.map((r) => r.conversationId) };
  });
}
