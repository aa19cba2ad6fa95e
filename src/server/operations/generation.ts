import "server-only";
/**
 * The dashboard's generation: estimate, start, cancel, pause, resume (US1.3.1, US13.1.1,
 * FR4.4.1). Same core as `brightrun generate` (src/cli/commands/generate.ts): the provider and
 * model come from the environment (selectProvider), concurrency is the CLI's default, the
 * estimate shown is stored on the run. The web does not wait for the run: it enqueues one job
 * per conversation and returns; the web process's worker (src/server/background.ts), or a
 * `brightrun worker` with BRIGHTRUN_WORKER=0 and PostgreSQL, takes them.
 */
import type { z } from "zod";
import { loadPriceOverrides } from "../../core/cost/prices";
import { AppError } from "../../core/errors";
import type { RunEstimate } from "../../core/cost/estimate";
import { cancelRun, pauseRun, resumeRun } from "../../core/generation/run-control";
import { createRun, type GenerationSelection } from "../../core/generation/run-generation";
import { getRunProgress, type RunProgress } from "../../core/generation/run-progress";
import { selectProvider, type ProviderSelection } from "../../core/llm/select-provider";
import { TIERS } from "../../lib/constants";
import type { GenerationEstimateView, generationScopeSchema, StartedRun } from "../../lib/dashboard-contract";
import type { Database, DatabaseHandle } from "../db/client";
import { enqueueRunItemsNow } from "../jobs/boss";
import { resolveConversationTarget } from "./conversation-targets";
import { estimateSelectionCached } from "./estimate-cache";
import { MISSING_REASON } from "./review";

/** Conversations generated at the same time: the CLI's default (`brightrun generate --concurrency`, default 3). */
export const WEB_GENERATION_CONCURRENCY = 3;

/** Shown with every estimate made for the simulated provider. */
export const SIMULATED_PROVIDER_WARNING =
  "The simulated provider is not a language model: it composes conversations from your documents and taxonomy so you can try the pipeline. Set ANTHROPIC_API_KEY or OPENAI_API_KEY (or OPENAI_BASE_URL) and restart to generate with a real model.";

type Scope = z.output<typeof generationScopeSchema>;
type Skipped = Array<{ conversationId: string; reason: string }>;

/** The provider and model for web-started runs: selectProvider over process.env. @throws AppError from selectProvider. */
export function selectWebProvider(env: Record<string, string | undefined> = process.env): ProviderSelection {
  return selectProvider({ env });
}

/**
 * The core selection for a dashboard scope: target → its human ids (unknown ones skipped with a
 * reason; null selection when none is left), all_not_generated → `{ all: true }`, all_failed →
 * `{ status: ["failed"] }`.
 */
export async function selectionForScope({ db, scope }: { db: Database; scope: Scope }): Promise<{ selection: GenerationSelection | null; skipped: Skipped }> {
  if (scope.kind === "all_not_generated") return { selection: { all: true }, skipped: [] };
  if (scope.kind === "all_failed") return { selection: { status: ["failed"] }, skipped: [] };
  const { refs, missing } = await resolveConversationTarget({ db, target: scope.target });
  const skipped = missing.map((conversationId) => ({ conversationId, reason: MISSING_REASON }));
  return { selection: refs.length ? { ids: refs.map((r) => r.conversationId) } : null, skipped };
}

function emptyEstimate(selection: ProviderSelection): RunEstimate {
  const zero = { conversations: 0, costUsd: 0, timeMs: 0 };
  return {
    provider: selection.provider.name,
    model: selection.model,
    conversations: 0,
    costUsd: 0,
    timeMs: 0,
    perTier: { template: { ...zero }, scenario: { ...zero }, edge_case: { ...zero } },
    perConversationCostUsd: 0,
    perConversationMs: 0,
    basis: { template: "prompt", scenario: "prompt", edge_case: "prompt" },
    warnings: [],
    maxCostUsd: 0,
  };
}

async function estimateScope({ db, scope, provider }: { db: Database; scope: Scope; provider: ProviderSelection }) {
  const { selection, skipped } = await selectionForScope({ db, scope });
  if (!selection) return { selection, estimate: emptyEstimate(provider), skipped };
  // The dialog's estimate is reused by the Generate click that follows when the selection is unchanged.
  const result = await estimateSelectionCached({
    db,
    selection,
    provider: provider.provider,
    model: provider.model,
    concurrency: WEB_GENERATION_CONCURRENCY,
    priceOverrides: loadPriceOverrides(process.env),
  });
  return { selection, estimate: result.estimate, skipped: [...skipped, ...result.skipped] };
}

/**
 * The estimate shown before starting: conversations, USD, ms, per tier, worst case, warnings
 * (over $100, over 2 hours, unknown price, and always the simulated provider's), and the
 * selected conversations that will be skipped with why.
 * @throws AppError from selectProvider (provider misconfigured) or the core estimate.
 */
export async function estimateGeneration({ db, scope, provider = selectWebProvider() }: { db: Database; scope: Scope; provider?: ProviderSelection }): Promise<GenerationEstimateView> {
  const { estimate, skipped } = await estimateScope({ db, scope, provider });
  const warnings = [...estimate.warnings];
  if (!provider.provider.isLanguageModel) warnings.push(SIMULATED_PROVIDER_WARNING);
  return {
    count: estimate.conversations,
    estimatedMs: estimate.timeMs,
    estimatedUsd: estimate.costUsd,
    maxUsd: estimate.maxCostUsd,
    perTier: Object.fromEntries(TIERS.map((t) => [t, { ...estimate.perTier[t] }])) as GenerationEstimateView["perTier"],
    warnings,
    skipped,
    provider: { name: provider.provider.name, model: provider.model, isLanguageModel: provider.provider.isLanguageModel },
  };
}

/**
 * Creates a run for the scope (the estimate stored on it, budgetUsd as its spending limit) and
 * enqueues one job per conversation, then returns at once; progress is at GET /api/runs/:id.
 * @returns runId null when nothing in the scope can be generated (all skipped).
 * @throws AppError from selectProvider, the core ("selection_invalid"), or "queue_unavailable"
 *   when the run was created but its jobs could not be enqueued (resume it to enqueue them).
 */
export async function startGeneration({
  handle,
  scope,
  budgetUsd,
  userId,
  provider = selectWebProvider(),
}: {
  handle: DatabaseHandle;
  scope: Scope;
  budgetUsd: number | null;
  userId: string;
  provider?: ProviderSelection;
}): Promise<StartedRun> {
  const { selection, estimate, skipped } = await estimateScope({ db: handle.db, scope, provider });
  if (!selection) return { runId: null, total: 0, skipped };
  const created = await createRun({
    db: handle.db,
    selection,
    provider: provider.provider,
    model: provider.model,
    userId,
    concurrency: WEB_GENERATION_CONCURRENCY,
    budgetUsd,
    estimate: estimate as unknown as Record<string, unknown>,
  });
  // createRun resolves the selection again; its skipped list is the authoritative one.
  const allSkipped = [...skipped.filter((s) => s.reason === MISSING_REASON), ...created.skipped];
  if (!created.run) return { runId: null, total: 0, skipped: allSkipped };
  try {
    await enqueueRunItemsNow(handle, created.items);
  } catch (error) {
    throw new AppError(
      "queue_unavailable",
      `Run ${created.run.id} was created but its conversations could not be queued (${(error as Error).message}). Resume it from the progress panel or with \`brightrun runs resume ${created.run.id}\`.`,
      { retryable: true, cause: error, detail: { runId: created.run.id } },
    );
  }
  return { runId: created.run.id, total: created.run.total, skipped: allSkipped };
}

/** Cancels a run and returns its progress. @throws AppError "run_not_found", "run_finished". */
export async function cancelGeneration({ handle, runId }: { handle: DatabaseHandle; runId: string }): Promise<RunProgress> {
  await cancelRun({ handle, runId });
  return getRunProgress({ db: handle.db, runId });
}

/** Pauses a run (in-flight conversations finish) and returns its progress. @throws AppError "run_not_found", "run_not_running". */
export async function pauseGeneration({ handle, runId }: { handle: DatabaseHandle; runId: string }): Promise<RunProgress> {
  await pauseRun({ handle, runId });
  return getRunProgress({ db: handle.db, runId });
}

/**
 * Resumes a paused run (budgetUsd: a new spending limit, null = none, undefined = keep) and
 * returns its progress. @throws AppError "run_not_found", "run_finished".
 */
export async function resumeGeneration({ handle, runId, budgetUsd }: { handle: DatabaseHandle; runId: string; budgetUsd?: number | null }): Promise<RunProgress> {
  await resumeRun({ handle, runId, budgetUsd });
  return getRunProgress({ db: handle.db, runId });
}
