import "server-only";
/**
 * The planning page (issue 10 items 2 and 5; US8.1.1, US8.1.2, US8.2.1, US8.3.1, US10.1.2): what
 * it shows (tier sections, distributions, the arc configuration, categories, what is missing) and
 * what it changes (plan with a split, arc configuration and presets, plan settings, fill missing
 * combinations, remove slots never generated). The rules are core's (src/core/planning).
 */
import { arcConfigurationProblems, effectiveArcPercentages } from "../../core/planning/allocate";
import {
  countMissingCombinations,
  createPlan,
  fillMissingCombinations,
  isUngeneratedSlot,
  loadPlanContext,
  removeUngeneratedSlots,
  tierSplitProblems,
} from "../../core/planning/create-plan";
import { COMPLETE_SYSTEMS_CATEGORY, MAX_FILL_SLOTS, planConversations } from "../../core/planning/plan-conversations";
import { readPlanSettings, type PlanSettings } from "../../core/planning/plan-settings";
import { AppError, isAppError } from "../../core/errors";
import { DEFAULT_TIER_SPLIT, TIERS, type ConversationStatus, type Tier } from "../../lib/constants";
import {
  SLOT_DISPLAY_LIMIT,
  type arcConfigurationInputSchema,
  type arcPresetInputSchema,
  type DistributionEntry,
  type FillOutcome,
  type PlanningPageView,
  type PlanWithSplitOutcome,
  type planWithSplitInputSchema,
  type RemoveOutcome,
  type TierSectionView,
} from "../../lib/planning-contract";
import type { z } from "zod";
import type { Database, DatabaseHandle } from "../db/client";
import { listDocumentsWithChunkCounts } from "../db/queries/documents";
import { listArcDistributionPresets, updateArcConfiguration, updateWorkspacePlanSettings, upsertArcDistributionPreset } from "../db/queries/planning";
import { listTaxonomy } from "../db/queries/taxonomy";
import { listActiveRunProgress } from "../dashboard";
import { getWorkerHealth } from "../runs/worker-health";

/** Counts per key, named, most first (ties by name). */
function distribution(keys: Array<string | null>, names: Map<string, string>): DistributionEntry[] {
  const counts = new Map<string, number>();
  for (const key of keys) if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts]
    .map(([key, n]) => ({ key, name: names.get(key) ?? key, count: n }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

/**
 * Everything the planning page shows for a workspace.
 * @throws AppError from the database; a plan that cannot be made is reported in `planProblem`, not thrown
 */
export async function loadPlanningView({ handle, workspaceId }: { handle: DatabaseHandle; workspaceId: string }): Promise<PlanningPageView> {
  const db = handle.db;
  const [context, taxonomy, presets, documents, activeRuns, workerHealth] = await Promise.all([
    loadPlanContext({ db, workspaceId }),
    listTaxonomy({ db, workspaceId }),
    listArcDistributionPresets({ db, workspaceId }),
    listDocumentsWithChunkCounts({ db, workspaceId }),
    listActiveRunProgress({ db, workspaceId }),
    getWorkerHealth({ handle }),
  ]);
  const names = (rows: Array<{ key: string; name: string }>) => new Map(rows.map((r) => [r.key, r.name]));
  const personaNames = names(taxonomy.personas);
  const arcNames = names(taxonomy.emotionalArcs);
  const topicNames = names(taxonomy.topics);
  const outcomeNames = names(taxonomy.outcomes);
  const edgeNames = names(taxonomy.edgeCaseCategories);
  const { workspace, conversations } = context;

  const tiers: TierSectionView[] = TIERS.map((tier) => {
    const rows = conversations.filter((c) => c.tier === tier);
    const byStatus: Partial<Record<ConversationStatus, number>> = {};
    for (const c of rows) byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
    const detailOf = (c: (typeof rows)[number]) => (tier === "scenario" ? c.scenarioTitle : tier === "edge_case" && c.edgeCaseKey ? (edgeNames.get(c.edgeCaseKey) ?? c.edgeCaseKey) : null);
    const detailKeys = rows.map((c) => (tier === "scenario" ? c.scenarioKey : tier === "edge_case" ? c.edgeCaseKey : null));
    const detailNames = tier === "scenario" ? new Map(context.scenarios.map((s) => [s.key, s.title])) : edgeNames;
    return {
      tier,
      total: rows.length,
      planned: rows.filter((c) => c.planSlot !== null).length,
      seeds: rows.filter((c) => c.isSeed).length,
      byStatus,
      generatable: rows.filter((c) => !c.isSeed && (c.status === "not_generated" || c.status === "failed")).length,
      ungenerated: rows.filter(isUngeneratedSlot).length,
      slots: rows.slice(0, SLOT_DISPLAY_LIMIT).map((c) => ({
        conversationId: c.conversationId,
        persona: personaNames.get(c.persona) ?? c.persona,
        arc: arcNames.get(c.emotion) ?? c.emotion,
        topic: topicNames.get(c.topic) ?? c.topic,
        detail: detailOf(c),
        outcome: c.outcome ? (outcomeNames.get(c.outcome) ?? c.outcome) : null,
        status: c.status,
        isSeed: c.isSeed,
      })),
      distributions: {
        arcs: distribution(rows.map((c) => c.emotion), arcNames),
        personas: distribution(rows.map((c) => c.persona), personaNames),
        topics: distribution(rows.map((c) => c.topic), topicNames),
        details: distribution(detailKeys, detailNames),
        outcomes: distribution(rows.map((c) => c.outcome), outcomeNames),
      },
    };
  });

  const activeArcs = taxonomy.emotionalArcs.filter((a) => a.archivedAt === null);
  const percentages = effectiveArcPercentages(activeArcs, workspace.arcDistribution);
  const categoryMap = new Map<string, { documents: number; chunks: number; conversations: number }>();
  for (const d of documents) {
    const entry = categoryMap.get(d.category) ?? { documents: 0, chunks: 0, conversations: 0 };
    entry.documents += 1;
    entry.chunks += d.chunkCount;
    categoryMap.set(d.category, entry);
  }
  for (const c of conversations) {
    const entry = c.sourceCategory ? categoryMap.get(c.sourceCategory) : undefined;
    if (entry) entry.conversations += 1;
  }
  let planProblem: string | null = null;
  try {
    // A one-slot dry run of each tier says whether planning can work, with the core's own message.
    planConversations({ ...context.inputs, split: { template: 1, scenario: context.inputs.scenarios.length ? 1 : 0, edge_case: context.inputs.edgeCaseCategories.length ? 1 : 0 } });
  } catch (error) {
    if (!isAppError(error)) throw error;
    planProblem = error.message;
  }
  return {
    split: workspace.tierSplit ?? DEFAULT_TIER_SPLIT,
    tiers,
    arcs: activeArcs.map((a) => ({ key: a.key, name: a.name, enabled: a.enabled, percent: a.enabled ? (percentages[a.key] ?? 0) : 0 })),
    arcsEven: workspace.arcDistribution === null,
    presets: presets.map((p) => ({ id: p.id, name: p.name, distribution: p.distribution })),
    categories: [...categoryMap].map(([name, v]) => ({ name, ...v })).sort((a, b) => a.name.localeCompare(b.name)),
    planSettings: readPlanSettings(workspace.planSettings),
    hasCompleteSystems: documents.some((d) => d.category.trim().toLowerCase() === COMPLETE_SYSTEMS_CATEGORY.toLowerCase()),
    missingCombinations: countMissingCombinations(context),
    maxFillSlots: MAX_FILL_SLOTS,
    ungeneratedTotal: tiers.reduce((s, t) => s + t.ungenerated, 0),
    planProblem,
    activeRuns,
    workerProblem: workerHealth.ok ? null : workerHealth.problem,
  };
}

/**
 * Plans so each tier holds the split's slots (existing slots count and are kept) and saves the
 * split as the workspace's tier split.
 * @throws AppError "plan_invalid" (tiers not adding up to the total…), "plan_impossible"
 */
export async function planWithSplit({ db, workspaceId, input }: { db: Database; workspaceId: string; input: z.output<typeof planWithSplitInputSchema> }): Promise<PlanWithSplitOutcome> {
  const problems = tierSplitProblems(input.split, input.total);
  if (problems.length) throw new AppError("plan_invalid", problems.join(" "));
  const result = await createPlan({ db, workspaceId, split: input.split, saveSplit: true });
  return { perTier: result.held, created: result.created, existing: result.existing };
}

/** Percent per enabled arc, from the card's rows. */
function distributionOf(arcs: Array<{ key: string; enabled: boolean; percent: number }>): Record<string, number> {
  return Object.fromEntries(arcs.filter((a) => a.enabled).map((a) => [a.key, a.percent]));
}

/** Checks the card's arcs against the workspace's active arcs and the rules. @throws AppError "arc_configuration_invalid" */
async function checkArcs(db: Database, workspaceId: string, arcs: Array<{ key: string; enabled: boolean; percent: number }>, even: boolean): Promise<void> {
  const taxonomy = await listTaxonomy({ db, workspaceId });
  const known = new Map(taxonomy.emotionalArcs.filter((a) => a.archivedAt === null).map((a) => [a.key, a]));
  const unknown = arcs.filter((a) => !known.has(a.key));
  if (unknown.length) {
    throw new AppError("arc_configuration_invalid", `This workspace has no active emotional arc "${unknown[0].key}" (it may have been archived or deleted). Reload the page.`);
  }
  const named = arcs.map((a) => ({ key: a.key, name: known.get(a.key)?.name ?? a.key, enabled: a.enabled }));
  const problems = even ? (named.some((a) => a.enabled) ? [] : arcConfigurationProblems(named, {})) : arcConfigurationProblems(named, distributionOf(arcs));
  if (problems.length) throw new AppError("arc_configuration_invalid", problems.join(" "));
}

/**
 * Saves the arc configuration: each arc enabled or not, and the percentages (none when `even`).
 * @throws AppError "arc_configuration_invalid" (no arc enabled, percentages not summing to 100, an unknown arc)
 */
export async function saveArcConfiguration({ db, workspaceId, input }: { db: Database; workspaceId: string; input: z.output<typeof arcConfigurationInputSchema> }): Promise<void> {
  await checkArcs(db, workspaceId, input.arcs, input.even);
  await updateArcConfiguration({
    db,
    workspaceId,
    enabled: Object.fromEntries(input.arcs.map((a) => [a.key, a.enabled])),
    distribution: input.even ? null : distributionOf(input.arcs),
  });
}

/**
 * Saves the card's arcs as a named preset (the same name replaces its distribution).
 * @throws AppError "arc_configuration_invalid" as saveArcConfiguration
 */
export async function saveArcPreset({ db, workspaceId, input }: { db: Database; workspaceId: string; input: z.output<typeof arcPresetInputSchema> }): Promise<{ id: string; name: string }> {
  await checkArcs(db, workspaceId, input.arcs, false);
  const row = await upsertArcDistributionPreset({ db, workspaceId, name: input.name, distribution: distributionOf(input.arcs) });
  return { id: row.id, name: row.name };
}

/** Saves the category weights and "Complete Systems only". */
export async function savePlanSettings({ db, workspaceId, settings }: { db: Database; workspaceId: string; settings: PlanSettings }): Promise<void> {
  await updateWorkspacePlanSettings({ db, workspaceId, planSettings: settings });
}

/** "Fill missing combinations" (core's fillMissingCombinations). */
export async function fillMissing({ db, workspaceId }: { db: Database; workspaceId: string }): Promise<FillOutcome> {
  return fillMissingCombinations({ db, workspaceId });
}

/** "Remove slots not generated yet" of one tier or all (core's removeUngeneratedSlots). */
export async function removeUngenerated({ db, workspaceId, tier }: { db: Database; workspaceId: string; tier?: Tier }): Promise<RemoveOutcome> {
  const result = await removeUngeneratedSlots({ db, workspaceId, tier });
  return { removed: result.deleted.length, skipped: result.skipped };
}
