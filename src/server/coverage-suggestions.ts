import "server-only";
/**
 * The Coverage page's suggestions (issue 13 items 2 and 3), shared by the page, its actions, the
 * edge-case CSV route and `brightrun coverage recommendations`: recommendations (US3.2.2),
 * edge-case suggestions and coverage (US8.3.2), warnings (US10.1.2, US10.2.2); planning what they
 * suggest; dismissing, marking done and restoring them. The rules are
 * src/core/dataset-coverage/suggestions.ts; planning is src/core/planning (planPinnedConversations).
 */
import { stringify } from "csv-stringify/sync";
import {
  edgeCaseCoverage,
  parseSuggestionKey,
  rankRecommendations,
  RECOMMENDED_RANGE,
  summarizeChunkConfidence,
  suggestionKey,
  underRepresentedCategories,
  type CategoryWarning,
  type ConfidenceSummary,
  type EdgeCaseCoverage,
  type EdgeCaseReportRow,
  type RecommendationList,
  type SuggestionEntry,
  type SuggestionState,
} from "../core/dataset-coverage/suggestions";
import { AppError } from "../core/errors";
import { MAX_PINNED_SLOTS, planPinnedConversations } from "../core/planning/create-plan";
import type { PinnedSlot } from "../core/planning/plan-conversations";
import { readPlanSettings } from "../core/planning/plan-settings";
import type { Database, DbOrTx } from "./db/client";
import {
  listChunkCategoryCounts,
  listCoverageSuggestionStates,
  listSourceCategoryCounts,
  listSourceConfidenceCounts,
  listSuggestionCounts,
  setCoverageSuggestionStates,
  splitSuggestionCounts,
} from "./db/queries/coverage";
import { listTaxonomy } from "./db/queries/taxonomy";
import type { CoverageSuggestionKind, WorkspaceRow } from "./db/schema";

/** Everything the Coverage page's suggestion panels show. */
export interface CoverageSuggestions {
  recommendations: RecommendationList;
  edgeCases: {
    categories: EdgeCaseCoverage[];
    /** Open suggestions across categories (one per category with an untested combination left). */
    open: number;
  };
  warnings: {
    categories: CategoryWarning[];
    confidence: ConfidenceSummary;
  };
}

/** The workspace's active taxonomy as the suggestions use it (the planner's choice: archived left out, personas and arcs switched off left out). */
async function activeTaxonomy(db: DbOrTx, workspaceId: string) {
  const t = await listTaxonomy({ db, workspaceId });
  const entry = (r: { key: string; name: string }): SuggestionEntry => ({ key: r.key, name: r.name });
  return {
    personas: t.personas.filter((p) => !p.archivedAt && p.enabled).map(entry),
    emotionalArcs: t.emotionalArcs.filter((a) => !a.archivedAt && a.enabled).map(entry),
    topics: t.topics.filter((x) => !x.archivedAt).map(entry),
    edgeCases: t.edgeCaseCategories.filter((e) => !e.archivedAt).map((e) => ({ ...entry(e), description: e.description, testCondition: e.testCondition })),
  };
}

/** What the recommendations and the edge-case coverage are computed from: the active taxonomy, the counts and the stored states (four queries). */
async function loadSuggestionInputs(db: DbOrTx, workspaceId: string) {
  const [taxonomy, rows, states] = await Promise.all([activeTaxonomy(db, workspaceId), listSuggestionCounts({ db, workspaceId }), listCoverageSuggestionStates({ db, workspaceId })]);
  return { taxonomy, counts: splitSuggestionCounts(rows), states };
}

type SuggestionInputs = Awaited<ReturnType<typeof loadSuggestionInputs>>;

const recommendationsFrom = ({ taxonomy, counts, states }: SuggestionInputs) =>
  rankRecommendations({ personas: taxonomy.personas, emotionalArcs: taxonomy.emotionalArcs, topics: taxonomy.topics, counts: counts.triples, states: states.recommendation });

const edgeCaseCoverageFrom = ({ taxonomy, counts, states }: SuggestionInputs) =>
  edgeCaseCoverage({ personas: taxonomy.personas, emotionalArcs: taxonomy.emotionalArcs, edgeCases: taxonomy.edgeCases, counts: counts.edgeCases, states: states.edge_case });

/** The recommendations of a workspace from its current counts and dismissed states (the page, the CLI and planning use this one reading). */
export async function loadRecommendations({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<RecommendationList> {
  return recommendationsFrom(await loadSuggestionInputs(db, workspaceId));
}

/** Edge-case coverage per category and every category × persona × arc row of the report. */
export async function loadEdgeCaseCoverage({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<{ categories: EdgeCaseCoverage[]; rows: EdgeCaseReportRow[] }> {
  return edgeCaseCoverageFrom(await loadSuggestionInputs(db, workspaceId));
}

/**
 * Recommendations, edge-case coverage and warnings of a workspace, computed from its current
 * counts on every call (so they follow planning and generation). Throws the database's errors.
 */
export async function loadCoverageSuggestions({ db, workspace }: { db: DbOrTx; workspace: Pick<WorkspaceRow, "id" | "planSettings"> }): Promise<CoverageSuggestions> {
  const workspaceId = workspace.id;
  const [inputs, sourceCounts, chunkCounts, confidence] = await Promise.all([
    loadSuggestionInputs(db, workspaceId),
    listSourceCategoryCounts({ db, workspaceId }),
    listChunkCategoryCounts({ db, workspaceId }),
    listSourceConfidenceCounts({ db, workspaceId }),
  ]);
  const edge = edgeCaseCoverageFrom(inputs);
  const conversationsBy = new Map(sourceCounts.filter((r) => r.category !== null).map((r) => [r.category as string, r.count]));
  const categories = underRepresentedCategories(
    chunkCounts.map((c) => ({ category: c.category, chunks: c.count, conversations: conversationsBy.get(c.category) ?? 0 })),
    readPlanSettings(workspace.planSettings).categoryWeights,
  );
  return {
    recommendations: recommendationsFrom(inputs),
    edgeCases: { categories: edge.categories, open: edge.categories.filter((c) => c.next).length },
    warnings: { categories, confidence: summarizeChunkConfidence(confidence) },
  };
}

/**
 * "Generate Recommended": plans, for each recommendation key ("persona|arc|topic"), as many
 * template-tier conversations as it lacks to reach RECOMMENDED_RANGE.min, counted now (not what
 * the page showed), pinned to its persona, arc and topic.
 * @returns the new conversations' ids and how many combinations they fill
 * @throws AppError "plan_invalid" for a malformed key, a combination already covered, a value not in
 *   the active taxonomy, or more than MAX_PINNED_SLOTS; "plan_impossible" as createPlan
 */
export async function planRecommendations({ db, workspaceId, keys }: { db: Database; workspaceId: string; keys: readonly string[] }): Promise<{ conversationIds: string[]; combinations: number }> {
  const current = new Map<string, number>();
  for (const c of await listSuggestionCounts({ db, workspaceId })) {
    const key = suggestionKey(c.persona, c.emotion, c.topic);
    current.set(key, (current.get(key) ?? 0) + c.count);
  }
  const requests: PinnedSlot[] = [];
  let combinations = 0;
  for (const key of new Set(keys)) {
    const parts = parseSuggestionKey(key);
    if (!parts) throw new AppError("plan_invalid", `"${key}" is not a recommendation (expected persona|arc|topic). Reload the page for the current recommendations.`);
    const missing = RECOMMENDED_RANGE.min - (current.get(key) ?? 0);
    if (missing <= 0) continue;
    combinations += 1;
    for (let i = 0; i < missing; i++) requests.push({ tier: "template", persona: parts[0], arc: parts[1], topic: parts[2] });
  }
  if (requests.length === 0) throw new AppError("plan_invalid", `These combinations already have at least ${RECOMMENDED_RANGE.min} conversations each; nothing to plan. Reload the page for the current recommendations.`);
  const { conversationIds } = await planPinnedConversations({ db, workspaceId, requests });
  return { conversationIds, combinations };
}

/**
 * "Generate Suggested Edge Cases": plans one edge-case-tier conversation per suggestion key
 * ("persona|arc|edge_case"), pinned to its persona, arc and edge-case category (topic: the
 * least-used one).
 * @throws AppError "plan_invalid" for a malformed key, a value not in the active taxonomy, or more
 *   than MAX_PINNED_SLOTS; "plan_impossible" as createPlan
 */
export async function planEdgeCaseSuggestions({ db, workspaceId, keys }: { db: Database; workspaceId: string; keys: readonly string[] }): Promise<{ conversationIds: string[] }> {
  const requests: PinnedSlot[] = [...new Set(keys)].map((key) => {
    const parts = parseSuggestionKey(key);
    if (!parts) throw new AppError("plan_invalid", `"${key}" is not an edge-case suggestion (expected persona|arc|edge_case). Reload the page for the current suggestions.`);
    return { tier: "edge_case", persona: parts[0], arc: parts[1], topic: null, edgeCaseKey: parts[2] };
  });
  if (requests.length > MAX_PINNED_SLOTS) throw new AppError("plan_invalid", `Pick at most ${MAX_PINNED_SLOTS} suggestions at a time.`);
  return planPinnedConversations({ db, workspaceId, requests });
}

/**
 * Dismisses, marks done (edge cases only) or restores (`state` null) suggestions by key.
 * @throws AppError "invalid_input" for a malformed key or "done" on a recommendation
 */
export async function setSuggestionState({
  db,
  workspaceId,
  userId,
  kind,
  keys,
  state,
}: {
  db: DbOrTx;
  workspaceId: string;
  userId: string;
  kind: CoverageSuggestionKind;
  keys: readonly string[];
  state: SuggestionState | null;
}): Promise<number> {
  const bad = keys.find((k) => !parseSuggestionKey(k));
  if (bad !== undefined) throw new AppError("invalid_input", `"${bad}" is not a suggestion key. Reload the page and try again.`);
  if (kind === "recommendation" && state === "done") throw new AppError("invalid_input", "Recommendations are dismissed, not marked done: they go away by themselves once the combination has enough conversations.");
  return setCoverageSuggestionStates({ db, workspaceId, kind, keys: [...new Set(keys)], state, userId });
}

/** The edge-case coverage CSV's columns, in order. */
export const EDGE_CASE_CSV_COLUMNS = ["edge_case", "edge_case_name", "persona", "persona_name", "emotional_arc", "emotional_arc_name", "conversations", "state"] as const;

/**
 * The edge-case coverage report as CSV (csv-stringify, RFC 4180): a header of
 * EDGE_CASE_CSV_COLUMNS, then one row per active edge-case category × persona × emotional arc:
 * its counted edge-case conversations and its state (`tested` when it has any, else `done`,
 * `dismissed` or `open`).
 */
export async function edgeCaseCoverageCsv({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<string> {
  const { rows } = await loadEdgeCaseCoverage({ db, workspaceId });
  return stringify([[...EDGE_CASE_CSV_COLUMNS], ...rows.map((r) => [r.edgeCase.key, r.edgeCase.name, r.persona.key, r.persona.name, r.arc.key, r.arc.name, r.count, r.state])]);
}
