import "server-only";
/**
 * What the Scenarios page shows (issue 10 item 3; US8.2.1, US8.2.2): the library with usage counts,
 * the workspace's chunks for the source-chunk picker, and the planned conversations of each
 * scenario for re-pointing.
 */
import { repointRefusal } from "../core/scenarios/scenario-rules";
import { listChunksWithDocuments } from "./db/queries/documents";
import { countScenariosByState, listConversationsOfScenario, listScenarioLibrary, type ScenarioLibraryView } from "./db/queries/scenarios";
import { openWorkspace } from "./workspace-context";

/** One scenario row of the page (dates as ISO 8601 strings). */
export interface ScenarioListItem {
  id: string;
  key: string;
  title: string;
  description: string;
  category: string;
  tags: string[];
  problem: string;
  solution: string;
  outcome: string;
  favourite: boolean;
  archived: boolean;
  usageCount: number;
  chunk: { id: string; key: string; heading: string | null; content: string; documentKey: string; documentTitle: string } | null;
  updatedAt: string;
}

/** A chunk the picker offers: its document, heading and text. */
export interface ChunkOption {
  id: string;
  key: string;
  heading: string | null;
  content: string;
  documentKey: string;
  documentTitle: string;
  category: string;
}

/** Everything the Scenarios page renders. */
export interface ScenarioLibraryPage {
  scenarios: ScenarioListItem[];
  counts: { active: number; archived: number; favourites: number };
  chunks: ChunkOption[];
  categories: string[];
  /** Every active scenario (id and title, by title): what a planned conversation may be re-pointed at. */
  targets: Array<{ id: string; title: string }>;
}

/** The search params the page reads: `q` (keyword) and `view` (active, favourites, archived). */
export function parseScenarioLibraryParams(params: Record<string, string | string[] | undefined>): { search: string; view: ScenarioLibraryView } {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";
  const view = one(params.view);
  return { search: one(params.q).trim().slice(0, 200), view: view === "archived" || view === "favourites" ? view : "active" };
}

/**
 * The library (favourites first, then by title) filtered by `search` and `view`, the counts per view,
 * every chunk of the workspace (for the picker) and the categories in use.
 * @throws AppError "forbidden" without "read", "workspace_not_found"
 */
export async function loadScenarioLibrary(workspaceSlug: string, { search, view }: { search: string; view: ScenarioLibraryView }): Promise<ScenarioLibraryPage> {
  const { db, workspace } = await openWorkspace(workspaceSlug, "read");
  const [rows, counts, chunks, all] = await Promise.all([
    listScenarioLibrary({ db, workspaceId: workspace.id, search, view }),
    countScenariosByState({ db, workspaceId: workspace.id }),
    listChunksWithDocuments({ db, workspaceId: workspace.id }),
    listScenarioLibrary({ db, workspaceId: workspace.id }),
  ]);
  return {
    scenarios: rows.map((r) => ({
      id: r.id,
      key: r.key,
      title: r.title,
      description: r.description,
      category: r.category,
      tags: r.tags,
      problem: r.problem,
      solution: r.solution,
      outcome: r.outcome,
      favourite: r.favourite,
      archived: r.archivedAt !== null,
      usageCount: r.usageCount,
      chunk: r.chunk,
      updatedAt: r.updatedAt.toISOString(),
    })),
    counts,
    chunks: chunks.map((c) => ({ id: c.id, key: c.key, heading: c.heading, content: c.content, documentKey: c.documentKey, documentTitle: c.documentTitle, category: c.category })),
    targets: all.map((s) => ({ id: s.id, title: s.title })).sort((a, b) => a.title.localeCompare(b.title)),
    categories: [...new Set([...all.map((s) => s.category), ...chunks.map((c) => c.category)])].sort((a, b) => a.localeCompare(b)),
  };
}

/** A conversation that uses a scenario, and whether (or why not) it may be re-pointed. */
export interface ScenarioConversation {
  conversationId: string;
  title: string | null;
  status: string;
  /** Null when it may be re-pointed; the reason otherwise. */
  refusal: string | null;
}

/**
 * The conversations that use scenario `id`, each with repointRefusal's answer (only planned ones,
 * not generated or failed, may be re-pointed).
 * @throws AppError "forbidden" without "read"
 */
export async function loadScenarioConversations(workspaceSlug: string, id: string): Promise<ScenarioConversation[]> {
  const { db, workspace } = await openWorkspace(workspaceSlug, "read");
  const rows = await listConversationsOfScenario({ db, workspaceId: workspace.id, id });
  return rows.map((r) => ({ conversationId: r.conversationId, title: r.title, status: r.status, refusal: repointRefusal(r) }));
}
