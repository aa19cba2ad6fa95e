/**
 * Stores a plan: computes the slots for the requested split and inserts the ones that do not
 * exist yet, so running `plan` twice never duplicates anything.
 */
import { DEFAULT_TIER_SPLIT, TIERS, type Tier } from "../../lib/constants";
import type { Database } from "../../server/db/client";
import { insertConversations, listPlannedSlots } from "../../server/db/queries/conversations";
import { listChunksWithDocuments } from "../../server/db/queries/documents";
import { listScenarios } from "../../server/db/queries/scenarios";
import { listTaxonomy } from "../../server/db/queries/taxonomy";
import { listDefaultTemplates } from "../../server/db/queries/templates";
import { getWorkspace } from "../../server/db/queries/workspace";
import { AppError } from "../errors";
import { planConversations, type PlannedSlot } from "./plan-conversations";

/** Prefix of planned conversation ids per tier: "tmpl-001", "scen-001", "edge-001". */
export const TIER_ID_PREFIX: Record<Tier, string> = { template: "tmpl", scenario: "scen", edge_case: "edge" };

/** The human id of the n-th (1-based) slot of a tier. */
export function plannedConversationId(tier: Tier, indexInTier: number): string {
  return `${TIER_ID_PREFIX[tier]}-${String(indexInTier).padStart(3, "0")}`;
}

/**
 * Splits `total` conversations over the tiers in the default 40/35/15 proportion (largest
 * remainder), e.g. 90 → 40/35/15, 100 → 44/39/17.
 */
export function splitTotal(total: number, proportions: Record<Tier, number> = DEFAULT_TIER_SPLIT): Record<Tier, number> {
  const sum = TIERS.reduce((s, t) => s + proportions[t], 0);
  const exact = TIERS.map((t) => ({ tier: t, value: (total * proportions[t]) / sum }));
  const out = Object.fromEntries(exact.map((e) => [e.tier, Math.floor(e.value)])) as Record<Tier, number>;
  let remaining = total - TIERS.reduce((s, t) => s + out[t], 0);
  for (const e of [...exact].sort((a, b) => b.value - Math.floor(b.value) - (a.value - Math.floor(a.value)))) {
    if (remaining-- <= 0) break;
    out[e.tier] += 1;
  }
  return out;
}

export interface PlanResult {
  split: Record<Tier, number>;
  created: number;
  existing: number;
  slots: PlannedSlot[];
}

/**
 * Plans the dataset and stores the missing slots as `not_generated` conversations.
 * @param split conversations per tier; default: workspace.json's tier_split, else 40/35/15.
 * @throws AppError "plan_impossible" when the workspace lacks what a tier needs.
 */
export async function createPlan({ db, workspaceId, split }: { db: Database; workspaceId: string; split?: Record<Tier, number> }): Promise<PlanResult> {
  const workspace = await getWorkspace({ db, workspaceId });
  if (!workspace) {
    throw new AppError("plan_impossible", "Cannot plan: the workspace no longer exists. Pick another workspace, or create one.");
  }
  const effectiveSplit = split ?? workspace.tierSplit ?? DEFAULT_TIER_SPLIT;
  const [taxonomy, scenarios, chunks, templates, existingSlots] = await Promise.all([
    listTaxonomy({ db, workspaceId }),
    listScenarios({ db, workspaceId }),
    listChunksWithDocuments({ db, workspaceId }),
    listDefaultTemplates({ db, workspaceId }),
    listPlannedSlots({ db, workspaceId }),
  ]);
  const slots = planConversations({
    split: effectiveSplit,
    personas: taxonomy.personas.filter((p) => p.enabled),
    emotionalArcs: taxonomy.emotionalArcs,
    topics: taxonomy.topics,
    intents: taxonomy.intents,
    tones: taxonomy.tones,
    scenarios,
    edgeCaseCategories: taxonomy.edgeCaseCategories,
    chunks,
  });
  const taken = new Set(existingSlots.map((s) => `${s.tier}:${s.planSlot}`));
  const chunkByKey = new Map(chunks.map((c) => [c.key, c]));
  const scenarioByKey = new Map(scenarios.map((s) => [s.key, s]));
  const templateByTier = new Map(templates.map((t) => [t.tier, t]));
  const indexInTier: Record<Tier, number> = { template: 0, scenario: 0, edge_case: 0 };
  const values = [];
  for (const slot of slots) {
    const index = ++indexInTier[slot.tier];
    if (taken.has(`${slot.tier}:${index}`)) continue;
    const chunk = chunkByKey.get(slot.chunkKey);
    values.push({
      workspaceId,
      conversationId: plannedConversationId(slot.tier, index),
      documentId: chunk?.documentId ?? null,
      chunkId: chunk?.id ?? null,
      persona: slot.persona,
      emotion: slot.emotion,
      topic: slot.topic,
      intent: slot.intent,
      tone: slot.tone,
      tier: slot.tier,
      status: "not_generated" as const,
      templateId: templateByTier.get(slot.tier)?.id ?? null,
      scenarioId: slot.scenarioKey ? (scenarioByKey.get(slot.scenarioKey)?.id ?? null) : null,
      edgeCaseCategory: slot.edgeCaseKey,
      sourceCategory: chunk?.category ?? null,
      planSlot: index,
      systemPrompt: workspace.trainingSystemPrompt,
      metadata: { planned_slot: slot.slot },
    });
  }
  const created = await insertConversations({ db, values });
  return { split: effectiveSplit, created, existing: existingSlots.length, slots };
}
