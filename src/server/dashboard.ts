import "server-only";
/**
 * What the conversations page renders for one table state (US3.1.1, US3.1.2, US6.1.1, FR4.4.1):
 * the page of rows, facet counts, totals for the toolbar and bulk buttons, the filter menus'
 * options, unfinished runs, the provider in effect and the workspace. Independent reads start
 * together (tablecn: "starts queries in parallel").
 */
import { QUERY_KINDS } from "../lib/database-health";
import { timedQuery } from "./query-timing";
import { tierRulesOf, type TierRules } from "../core/review/review-rules";
import { getRunProgress, type RunProgress } from "./runs/run-progress";
import type { ConversationStatus } from "../lib/constants";
import { normalizeFilter } from "../lib/conversation-filter";
import type { ConversationTableState } from "../lib/conversation-table-params";
import type { DbOrTx } from "./db/client";
import {
  countConversationFacets,
  countConversationsByStatus,
  listConversations,
  type ConversationFacetCounts,
  type ConversationListPage,
} from "./db/queries/conversation-list";
import { listUnfinishedRunIds } from "./db/queries/runs";
import { listTaxonomyOptions, type TaxonomyOptions } from "./db/queries/taxonomy";
import type { WorkspaceRow } from "./db/schema";
import { getWorkerHealth, type WorkerHealth } from "./runs/worker-health";
import { engineSettingsWithSettings, selectProviderWithSettings } from "./settings/model-settings";
import { priceFor } from "../core/cost/prices";
import { readEngineSettings } from "./env";
import { openWorkspace } from "./workspace-context";

/** What pages show of a workspace. */
export function workspaceView(row: WorkspaceRow): ConversationsDashboard["workspace"] {
  return {
    slug: row.slug,
    name: row.name,
    businessName: row.businessName,
    isSample: row.isSample,
    archived: row.archivedAt !== null,
    tierRules: tierRulesOf(row),
  };
}

export interface ConversationsDashboard {
  page: ConversationListPage;
  facets: ConversationFacetCounts;
  /** Every conversation, whatever the filter (the "of Y" in "Showing X of Y"). */
  allTotal: number;
  /** Failed conversations in the whole dataset ("Retry all failed"). */
  failedTotal: number;
  /** Conversations not generated yet in the whole dataset ("Generate all"). */
  notGeneratedTotal: number;
  /** The filter menus' options (taxonomy values and source categories). */
  options: TaxonomyOptions;
  /** Unfinished runs (running or paused), newest first. */
  activeRuns: RunProgress[];
  /** The provider and model new runs would use; name "not configured" with the reason when the environment is wrong. */
  provider: { name: string; model: string; isLanguageModel: boolean };
  workspace: { slug: string; name: string; businessName: string; isSample: boolean; archived: boolean; tierRules: TierRules };
  /** Whether a generation worker will take the conversations started from this page, and if not why. */
  workerHealth: WorkerHealth;
  /** Models of this page's rows without a known price: their recorded $0 is shown as unknown in the Cost column. */
  unpricedModels: string[];
}

/** Progress of every unfinished run (running or paused) of the workspace, newest first. */
export async function listActiveRunProgress({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<RunProgress[]> {
  const ids = await listUnfinishedRunIds({ db, workspaceId });
  return Promise.all(ids.map((runId) => getRunProgress({ db, runId })));
}

/** The provider new runs would use; a misconfigured environment is reported, not thrown (the page still loads). */
async function providerInEffect(db: DbOrTx, workspaceId: string): Promise<ConversationsDashboard["provider"]> {
  try {
    const selection = await selectProviderWithSettings(db, workspaceId);
    return { name: selection.provider.name, model: selection.model, isLanguageModel: selection.provider.isLanguageModel };
  } catch (error) {
    return { name: "not configured", model: (error as Error).message, isLanguageModel: false };
  }
}

/**
 * Loads the conversations page of a workspace for the current user (permission "read").
 * @param workspaceSlug the workspace named in the URL
 * @param state the parsed URL state (parseConversationTableParams).
 * @throws AppError "forbidden", "workspace_not_found", or the database's ("database_locked" when the CLI holds the embedded database).
 */
export async function loadConversationsDashboard(workspaceSlug: string, state: ConversationTableState): Promise<ConversationsDashboard> {
  const { handle, db, workspace } = await openWorkspace(workspaceSlug, "read");
  const workspaceId = workspace.id;
  // With no filter and no search the status facet is the whole dataset's status counts already.
  const unfiltered = !state.search && Object.keys(normalizeFilter(state.filter)).length === 0;
  const [page, facets, statusCounts, options, activeRuns, workerHealth, pricing] = await Promise.all([
    timedQuery({ db, kind: QUERY_KINDS.conversationsList, workspaceId }, () =>
      listConversations({ db, workspaceId, filter: state.filter, search: state.search, sort: state.sort, page: state.page, perPage: state.perPage }),
    ),
    timedQuery({ db, kind: QUERY_KINDS.conversationsFacets, workspaceId }, () => countConversationFacets({ db, workspaceId, filter: state.filter, search: state.search })),
    unfiltered ? null : timedQuery({ db, kind: QUERY_KINDS.conversationsStatusCounts, workspaceId }, () => countConversationsByStatus({ db, workspaceId })),
    listTaxonomyOptions({ db, workspaceId }),
    listActiveRunProgress({ db, workspaceId }),
    getWorkerHealth({ handle }),
    engineSettingsWithSettings(db, workspaceId, readEngineSettings()),
  ]);
  const models = new Set(page.rows.filter((r) => r.model && r.provider !== "simulated").map((r) => r.model as string));
  const unpricedModels = [...models].filter((model) => !priceFor(model, pricing.priceOverrides).known);
  const byStatus = statusCounts ?? (facets.status as Partial<Record<ConversationStatus, number>>);
  const allTotal = Object.values(byStatus).reduce((sum, n) => sum + (n ?? 0), 0);
  const failedTotal = byStatus.failed ?? 0;
  const notGeneratedTotal = byStatus.not_generated ?? 0;
  return {
    page,
    facets,
    allTotal,
    failedTotal,
    notGeneratedTotal,
    options,
    activeRuns,
    provider: await providerInEffect(db, workspaceId),
    workspace: workspaceView(workspace),
    workerHealth,
    unpricedModels,
  };
}
