import "server-only";
/**
 * The dashboard's generation: estimate, start, cancel, pause, resume (US1.3.1, US13.1.1,
 * FR4.4.1). Same run machine as `brightrun generate` (src/server/runs): the provider and model
 * come from the environment, then the Settings page (selectProviderWithSettings), the concurrency
 * is the one the user chose in the dialog (default: BRIGHTRUN_CONCURRENCY, else Settings, else 3), the estimate shown is stored on
 * the run. The web does not wait for the run: the run, its items and one job per conversation
 * are created in one transaction and it returns; the web process's worker
 * (src/server/background.ts), or a `brightrun worker` with PostgreSQL, takes them.
 */
import type { z } from "zod";
import type { RunEstimate } from "../../core/cost/estimate";
import { priceFor } from "../../core/cost/prices";
import type { GenerationSelection } from "../../core/generation/resolve-selection";
import { readEngineSettings } from "../env";
import { loadCostHistoryForEstimate } from "../cost";
import { cancelGenerationRun, pauseGenerationRun, resumeGenerationRun } from "../runs/run-control";
import { startRun } from "../runs/run-machine";
import { configuredLimitsOf } from "../runs/worker";
import { getRunProgress, type RunProgress } from "../runs/run-progress";
import type { ProviderSelection } from "../../core/llm/select-provider";
import type { ConfiguredRateLimits } from "../runs/rate-limit-setting";
import { engineSettingsWithSettings, runDefaultsForModel, selectProviderWithSettings } from "../settings/model-settings";
import { resolveJudgeModel } from "../../core/quality/judge/judge-setting";
import { GENERATABLE_STATUSES, TIERS } from "../../lib/constants";
import type { GenerationEstimateView, generationScopeSchema, StartedJudging, StartedRun, startJudgingInputSchema } from "../../lib/dashboard-contract";
import { AppError } from "../../core/errors";
import { estimateJudgeSelection } from "../../core/generation/estimate-selection";
import type { Database, DatabaseHandle } from "../db/client";
import { getGenerationRunById } from "../db/queries/runs";
import { resolveConversationTarget } from "./conversation-targets";
import { estimateSelectionCached } from "./estimate-cache";
import { MISSING_REASON } from "./review";

/**
 * A new web-started run's defaults for `model`: concurrency from BRIGHTRUN_CONCURRENCY, else the
 * Settings page, else 3; and the rate limits of
 * that model (BRIGHTRUN_RATE_LIMITS, else the Settings page's limits for the model, else its limits
 * for all models, else none).
 */
export async function webRunDefaultsForModel(db: Database, workspaceId: string, model: string): Promise<{ concurrency: number; rateLimits: ConfiguredRateLimits | null }> {
  return runDefaultsForModel(db, workspaceId, readEngineSettings(), model);
}

/** Shown with every estimate made for the simulated provider. */
export const SIMULATED_PROVIDER_WARNING =
  "The simulated provider is not a language model: it composes conversations from your documents and taxonomy so you can try the pipeline. Choose a model on the Settings page (or set ANTHROPIC_API_KEY, OPENAI_API_KEY or OPENAI_BASE_URL and restart) to generate with a real model.";

type Scope = z.output<typeof generationScopeSchema>;
type Skipped = Array<{ conversationId: string; reason: string }>;

/** The provider and model for web-started runs: the environment, then the Settings page. @throws AppError from selectProvider. */
export async function selectWebProvider(db: Database, workspaceId: string, env: Record<string, string | undefined> = process.env): Promise<ProviderSelection> {
  return selectProviderWithSettings(db, workspaceId, { env });
}

/**
 * The core selection for a dashboard scope: target → its human ids (unknown ones skipped with a
 * reason; null selection when none is left), all_not_generated → `{ all: true }`, all_failed →
 * `{ status: ["failed"] }`, tier → that tier's not generated and failed conversations.
 */
export async function selectionForScope({
  db,
  workspaceId,
  scope,
}: {
  db: Database;
  workspaceId: string;
  scope: Scope;
}): Promise<{ selection: GenerationSelection | null; skipped: Skipped }> {
  if (scope.kind === "all_not_generated") return { selection: { all: true }, skipped: [] };
  if (scope.kind === "all_failed") return { selection: { status: ["failed"] }, skipped: [] };
  if (scope.kind === "tier") return { selection: { tier: [scope.tier], status: [...GENERATABLE_STATUSES] }, skipped: [] };
  const { refs, missing } = await resolveConversationTarget({ db, workspaceId, target: scope.target });
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
    judge: null,
  };
}

/**
 * The judge model of web-started runs: BRIGHTRUN_JUDGE resolved against the run's model (null when
 * off, or when the provider is the simulated one, which cannot judge — the estimate says so).
 */
export function webJudgeModel(provider: ProviderSelection): string | null {
  return provider.provider.isLanguageModel ? resolveJudgeModel(readEngineSettings().judge, provider.model) : null;
}

/** Shown when BRIGHTRUN_JUDGE is on but the provider is the simulated one. */
export const SIMULATED_JUDGE_WARNING = "BRIGHTRUN_JUDGE is set, but the simulated provider is not a language model and cannot judge: these conversations will not be judged.";

async function estimateScope({
  db,
  workspaceId,
  scope,
  provider,
  concurrency,
  rateLimits,
}: {
  db: Database;
  workspaceId: string;
  scope: Scope;
  provider: ProviderSelection;
  concurrency: number;
  rateLimits: ConfiguredRateLimits | null;
}) {
  const { selection, skipped } = await selectionForScope({ db, workspaceId, scope });
  const { priceOverrides } = await engineSettingsWithSettings(db, workspaceId, readEngineSettings());
  const priceKnown = !provider.provider.isLanguageModel || priceFor(provider.model, priceOverrides).known;
  if (!selection) return { selection, estimate: emptyEstimate(provider), skipped, priceKnown };
  // The dialog's estimate is reused by the Generate click that follows when the selection is unchanged.
  const result = await estimateSelectionCached({
    db,
    workspaceId,
    selection,
    provider: provider.provider,
    model: provider.model,
    concurrency,
    limits: configuredLimitsOf({ rateLimits: rateLimits as Record<string, unknown> | null })?.limits,
    priceOverrides,
    judgeModel: webJudgeModel(provider),
  });
  return { selection, estimate: result.estimate, skipped: [...skipped, ...result.skipped], priceKnown };
}

/**
 * The estimate shown before starting: conversations, USD, ms, per tier, worst case, warnings
 * (over $100, over 2 hours, unknown price, and always the simulated provider's), and the
 * selected conversations that will be skipped with why.
 * @throws AppError from selectProvider (provider misconfigured) or the core estimate.
 */
export async function estimateGeneration({
  db,
  workspaceId,
  scope,
  concurrency: chosen,
  provider: given,
}: {
  db: Database;
  workspaceId: string;
  scope: Scope;
  concurrency?: number;
  provider?: ProviderSelection;
}): Promise<GenerationEstimateView> {
  const provider = given ?? (await selectWebProvider(db, workspaceId));
  const defaults = await webRunDefaultsForModel(db, workspaceId, provider.model);
  const concurrency = chosen ?? defaults.concurrency;
  const [{ estimate, skipped, priceKnown }, costHistory] = await Promise.all([
    estimateScope({ db, workspaceId, scope, provider, concurrency, rateLimits: defaults.rateLimits }),
    loadCostHistoryForEstimate({ db, workspaceId, model: provider.model, simulated: !provider.provider.isLanguageModel }),
  ]);
  const warnings = [...estimate.warnings];
  if (!provider.provider.isLanguageModel) warnings.push(SIMULATED_PROVIDER_WARNING);
  if (!provider.provider.isLanguageModel && readEngineSettings().judge.mode !== "off") warnings.push(SIMULATED_JUDGE_WARNING);
  return {
    count: estimate.conversations,
    estimatedMs: estimate.timeMs,
    estimatedUsd: estimate.costUsd,
    maxUsd: estimate.maxCostUsd,
    perTier: Object.fromEntries(TIERS.map((t) => [t, { ...estimate.perTier[t] }])) as GenerationEstimateView["perTier"],
    warnings,
    skipped,
    provider: { name: provider.provider.name, model: provider.model, isLanguageModel: provider.provider.isLanguageModel },
    priceKnown,
    concurrency,
    judge: estimate.judge ? { model: estimate.judge.model, calls: estimate.judge.calls, costUsd: estimate.judge.costUsd, priceKnown: estimate.judge.priceKnown } : null,
    costHistory,
  };
}

/**
 * Creates a run for the scope (the estimate stored on it, budgetUsd as its spending limit, the
 * chosen concurrency) with one job per conversation, in one transaction, then returns at once;
 * progress is at GET /api/runs/:id.
 * @returns runId null when nothing in the scope can be generated (all skipped).
 * @throws AppError from selectProvider, the run machine ("selection_invalid"), or the environment
 */
export async function startGeneration({
  handle,
  workspaceId,
  scope,
  budgetUsd,
  concurrency: chosen,
  userId,
  provider: given,
  notifyUserId = null,
}: {
  handle: DatabaseHandle;
  workspaceId: string;
  scope: Scope;
  budgetUsd: number | null;
  concurrency?: number;
  userId: string;
  provider?: ProviderSelection;
  /** The user to e-mail about the run (notifyUserIdFor); null = nobody. */
  notifyUserId?: string | null;
}): Promise<StartedRun> {
  const provider = given ?? (await selectWebProvider(handle.db, workspaceId));
  const defaults = await webRunDefaultsForModel(handle.db, workspaceId, provider.model);
  const concurrency = chosen ?? defaults.concurrency;
  const { selection, estimate, skipped } = await estimateScope({ db: handle.db, workspaceId, scope, provider, concurrency, rateLimits: defaults.rateLimits });
  if (!selection) return { runId: null, total: 0, skipped };
  const created = await startRun({
    db: handle.db,
    input: {
      workspaceId,
      selection,
      kind: "live",
      provider: provider.provider.name,
      model: provider.model,
      userId,
      concurrency,
      budgetUsd,
      estimate: estimate as unknown as Record<string, unknown>,
      rateLimits: defaults.rateLimits,
      scope: scope.kind,
      judgeModel: webJudgeModel(provider),
      notifyUserId,
    },
  });
  // startRun resolves the selection again; its skipped list is the authoritative one.
  const allSkipped = [...skipped.filter((s) => s.reason === MISSING_REASON), ...created.skipped.map(({ conversationId, reason }) => ({ conversationId, reason }))];
  if (!created.run) return { runId: null, total: 0, skipped: allSkipped };
  return { runId: created.run.id, total: created.run.total, skipped: allSkipped };
}

/**
 * The judge of a web "Judge Selected": the model of BRIGHTRUN_JUDGE when it names one, else the
 * provider's generation model.
 * @throws AppError "argument_invalid" for the simulated provider, which cannot judge
 */
export async function webJudgeSelection(db: Database, workspaceId: string, given?: ProviderSelection): Promise<ProviderSelection> {
  const provider = given ?? (await selectWebProvider(db, workspaceId));
  const setting = readEngineSettings().judge;
  const selection = setting.mode === "model" ? await selectProviderWithSettings(db, workspaceId, { flags: { provider: provider.provider.name, model: setting.model } }) : provider;
  if (!selection.provider.isLanguageModel) {
    throw new AppError("argument_invalid", "The simulated provider is not a language model, so it cannot judge. Choose a model on the Settings page (or set ANTHROPIC_API_KEY, OPENAI_API_KEY or OPENAI_BASE_URL and restart).");
  }
  return selection;
}

/**
 * Starts a judge run over the target's conversations that can be judged (generated, approved or
 * rejected; the others are skipped with why), with the estimate stored on it, and returns at once;
 * the web process's worker (or a `brightrun worker`) judges them.
 * @returns runId null when nothing in the target can be judged
 * @throws AppError "argument_invalid" (simulated provider), from the run machine or the environment
 */
export async function startJudging({
  handle,
  workspaceId,
  target,
  budgetUsd,
  userId,
  provider,
}: {
  handle: DatabaseHandle;
  workspaceId: string;
  target: z.output<typeof startJudgingInputSchema>["target"];
  budgetUsd: number | null;
  userId: string;
  provider?: ProviderSelection;
}): Promise<StartedJudging> {
  const { priceOverrides } = await engineSettingsWithSettings(handle.db, workspaceId, readEngineSettings());
  const judge = await webJudgeSelection(handle.db, workspaceId, provider);
  const defaults = await webRunDefaultsForModel(handle.db, workspaceId, judge.model);
  const { refs, missing } = await resolveConversationTarget({ db: handle.db, workspaceId, target });
  const skipped = missing.map((conversationId) => ({ conversationId, reason: MISSING_REASON }));
  if (!refs.length) return { runId: null, total: 0, skipped, model: judge.model, estimatedUsd: 0 };
  const selection = { ids: refs.map((r) => r.conversationId) };
  const { estimate } = await estimateJudgeSelection({
    db: handle.db,
    workspaceId,
    selection,
    provider: judge.provider,
    model: judge.model,
    concurrency: defaults.concurrency,
    priceOverrides,
  });
  const created = await startRun({
    db: handle.db,
    input: {
      workspaceId,
      selection,
      kind: "live",
      purpose: "judge",
      provider: judge.provider.name,
      model: judge.model,
      judgeModel: judge.model,
      userId,
      concurrency: defaults.concurrency,
      budgetUsd,
      estimate: estimate as unknown as Record<string, unknown>,
      rateLimits: defaults.rateLimits,
    },
  });
  const allSkipped = [...skipped, ...created.skipped.map(({ conversationId, reason }) => ({ conversationId, reason }))];
  return { runId: created.run?.id ?? null, total: created.run?.total ?? 0, skipped: allSkipped, model: judge.model, estimatedUsd: estimate.costUsd };
}

/** Throws AppError "run_not_found" unless the run exists and belongs to the workspace. */
async function requireRunInWorkspace(db: Database, workspaceId: string, runId: string): Promise<void> {
  const run = await getGenerationRunById({ db, id: runId });
  if (!run || run.workspaceId !== workspaceId) throw new AppError("run_not_found", "That generation run does not exist in this workspace. Reload the page.");
}

/** Cancels a run of the workspace and returns its progress. @throws AppError "run_not_found", "run_finished". */
export async function cancelGeneration({ handle, workspaceId, runId }: { handle: DatabaseHandle; workspaceId: string; runId: string }): Promise<RunProgress> {
  await requireRunInWorkspace(handle.db, workspaceId, runId);
  await cancelGenerationRun({ handle, runId });
  return getRunProgress({ db: handle.db, runId });
}

/** Pauses a run (in-flight conversations finish) and returns its progress. @throws AppError "run_not_found", "run_not_running". */
export async function pauseGeneration({ handle, workspaceId, runId }: { handle: DatabaseHandle; workspaceId: string; runId: string }): Promise<RunProgress> {
  await requireRunInWorkspace(handle.db, workspaceId, runId);
  await pauseGenerationRun({ handle, runId });
  return getRunProgress({ db: handle.db, runId });
}

/**
 * Resumes a paused run (budgetUsd: a new spending limit, null = none, undefined = keep) and
 * returns its progress. @throws AppError "run_not_found", "run_finished".
 */
export async function resumeGeneration({
  handle,
  workspaceId,
  runId,
  budgetUsd,
}: {
  handle: DatabaseHandle;
  workspaceId: string;
  runId: string;
  budgetUsd?: number | null;
}): Promise<RunProgress> {
  await requireRunInWorkspace(handle.db, workspaceId, runId);
  await resumeGenerationRun({ handle, runId, budgetUsd });
  return getRunProgress({ db: handle.db, runId });
}
