import "server-only";
/**
 * What the Seeds page shows (issue 10 item 4, US10.3.1): the seed conversations (locked), the
 * taxonomy choices for mapping an upload (archived entries left out), and the seed-vs-generated
 * comparison.
 */
import { compareSeedsWithGenerated, listSeeds, type SeedComparison } from "./db/queries/seeds";

export type { ConversationGroupStats, SeedComparison } from "./db/queries/seeds";
import { listTaxonomy } from "./db/queries/taxonomy";
import { getWorkerHealth } from "./runs/worker-health";
import { summarizeVariationsBySeed, type SeedVariationsView } from "./seed-templates";
import { openWorkspace } from "./workspace-context";

export type { SeedVariationsView } from "./seed-templates";

/** A taxonomy entry a select offers. */
export interface SeedTaxonomyOption {
  key: string;
  name: string;
}

/** Everything the Seeds page renders (dates as ISO 8601 strings). */
export interface SeedsPageData {
  seeds: Array<{ id: string; conversationId: string; title: string | null; persona: string; emotion: string; topic: string; turnCount: number; qualityScore: number | null; createdAt: string }>;
  comparison: SeedComparison;
  /** Active (not archived) entries by name, for the upload's selects. */
  taxonomy: { personas: SeedTaxonomyOption[]; emotionalArcs: SeedTaxonomyOption[]; topics: SeedTaxonomyOption[]; intents: SeedTaxonomyOption[]; tones: SeedTaxonomyOption[] };
  /** Per seed uuid: its template made with "Use as template" and its variations against it (issue 11 item 7); seeds without one are absent. */
  variations: Record<string, SeedVariationsView>;
  /** Why no worker will take a generation run now, or null (shown in the Generate dialog). */
  workerProblem: string | null;
}

/**
 * The seeds, the comparison and the taxonomy choices of a workspace.
 * @throws AppError "forbidden" without "read", "workspace_not_found"
 */
export async function loadSeedsPage(workspaceSlug: string): Promise<SeedsPageData> {
  const { db, handle, workspace } = await openWorkspace(workspaceSlug, "read");
  const [seeds, comparison, taxonomy, workerHealth] = await Promise.all([
    listSeeds({ db, workspaceId: workspace.id }),
    compareSeedsWithGenerated({ db, workspaceId: workspace.id }),
    listTaxonomy({ db, workspaceId: workspace.id }),
    getWorkerHealth({ handle }),
  ]);
  const variations = await summarizeVariationsBySeed({ db, workspaceId: workspace.id, seeds });
  const active = (rows: Array<{ key: string; name: string; archivedAt: Date | null }>) =>
    rows.filter((r) => !r.archivedAt).map((r) => ({ key: r.key, name: r.name })).sort((a, b) => a.name.localeCompare(b.name));
  return {
    seeds: seeds.map((s) => ({ ...s, createdAt: s.createdAt.toISOString() })),
    comparison,
    variations,
    workerProblem: workerHealth.ok ? null : workerHealth.problem,
    taxonomy: {
      personas: active(taxonomy.personas),
      emotionalArcs: active(taxonomy.emotionalArcs),
      topics: active(taxonomy.topics),
      intents: active(taxonomy.intents),
      tones: active(taxonomy.tones),
    },
  };
}
