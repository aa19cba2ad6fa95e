import "server-only";
/**
 * Reads behind cost reporting (US13.2.1) and estimates (US13.1.1): one run with its conversations
 * and calls, recent runs, and per-tier averages of past generated conversations of a model.
 */
import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import type { ConversationStatus, ProviderName, Tier } from "../../../lib/constants";
import { TERMINAL_RUN_STATUSES, type RunStatus } from "../../../lib/run-states";
import { TIERS } from "../../../lib/constants";
import type { DbOrTx } from "../client";
import { conversations, generationCostRuns, generationLogs, generationRuns, type GenerationRunRow } from "../schema";

/** One conversation of a run, with the columns a report shows. Amounts in USD and tokens. */
export interface RunReportConversationRow {
  /** conversations.id (uuid). */
  id: string;
  /** Human id, e.g. "tmpl-001". */
  conversationId: string;
  tier: Tier;
  /** Current status (a later run may have changed it). */
  status: ConversationStatus;
  qualityScore: number | null;
  /** Lifetime totals of the conversation over every run (conversations.cost_usd, …). */
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
}

/** One LLM call of a run (generation_logs), without its payloads. */
export interface RunReportLogRow {
  id: string;
  /** conversations.id, or null when the conversation was deleted since. */
  conversationId: string | null;
  model: string;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  durationMs: number;
  /** Null for a successful call. */
  errorCode: string | null;
  createdAt: Date;
}

/** Everything stored about one run. */
export interface RunReportData {
  run: GenerationRunRow;
  /** Conversations whose last run is this one, plus any other conversation this run made a call for; by human id. */
  conversations: RunReportConversationRow[];
  /** Every call of the run, oldest first. */
  logs: RunReportLogRow[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads a run (generation_runs), its calls (generation_logs.run_id) and its conversations
 * (conversations.last_run_id = the run, or named by one of its calls).
 *
 * @param id generation_runs.id (uuid)
 * @returns null when there is no such run (or `id` is not a uuid)
 */
export async function getRunReportById({ db, id }: { db: DbOrTx; id: string }): Promise<RunReportData | null> {
  if (!UUID.test(id)) return null;
  const [run] = await db.select().from(generationRuns).where(eq(generationRuns.id, id));
  if (!run) return null;

  const logs = await db
    .select({
      id: generationLogs.id,
      conversationId: generationLogs.conversationId,
      model: generationLogs.model,
      costUsd: generationLogs.costUsd,
      inputTokens: generationLogs.inputTokens,
      outputTokens: generationLogs.outputTokens,
      durationMs: generationLogs.durationMs,
      errorCode: generationLogs.errorCode,
      createdAt: generationLogs.createdAt,
    })
    .from(generationLogs)
    .where(eq(generationLogs.runId, id))
    .orderBy(asc(generationLogs.createdAt), asc(generationLogs.id));

  const calledFor = db.select({ id: generationLogs.conversationId }).from(generationLogs).where(and(eq(generationLogs.runId, id), isNotNull(generationLogs.conversationId)));
  const rows = await db
    .select({
      id: conversations.id,
      conversationId: conversations.conversationId,
      tier: conversations.tier,
      status: conversations.status,
      qualityScore: conversations.qualityScore,
      costUsd: conversations.costUsd,
      inputTokens: conversations.inputTokens,
      outputTokens: conversations.outputTokens,
    })
    .from(conversations)
    .where(or(eq(conversations.lastRunId, id), inArray(conversations.id, calledFor)))
    .orderBy(asc(conversations.conversationId));

  return { run, conversations: rows, logs };
}

/**
 * The most recent runs, newest first.
 * @param limit how many (1–1,000; default 20)
 */
export async function listGenerationRuns({ db, workspaceId, limit = 20 }: { db: DbOrTx; workspaceId: string; limit?: number }): Promise<GenerationRunRow[]> {
  const capped = Math.min(Math.max(Math.trunc(limit), 1), 1_000);
  return db.select().from(generationRuns).where(eq(generationRuns.workspaceId, workspaceId)).orderBy(desc(generationRuns.startedAt), desc(generationRuns.id)).limit(capped);
}

/** A POSIX regex matching `model` and its dated snapshots ("claude-haiku-4-5-20251001"). */
function modelPattern(model: string): string {
  return `^${model.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(-\\d{8}|-\\d{4}-\\d{2}-\\d{2})?$`;
}

/** Per-tier averages of a model's past conversations, in the shape `estimateRun` takes. */
export type GenerationHistory = Record<
  Tier,
  { conversations: number; avgCostUsd: number; avgInputTokens: number; avgOutputTokens: number; avgDurationMs: number } | undefined
>;

/**
 * Averages over the workspace's non-seed conversations generated with `model` (generated_at set; any status
 * since, so approved and rejected ones count), per tier: USD, input and output tokens per
 * conversation (every attempt included, as billed), and the duration in ms of one successful call
 * (generation_logs of kind "generate" without an error; judge calls are not counted). A dated snapshot of the model ("claude-haiku-4-5-20251001")
 * counts as the model.
 *
 * @returns a tier with no generated conversation of the model is `undefined`
 */
export async function getGenerationHistoryByModel({ db, workspaceId, model }: { db: DbOrTx; workspaceId: string; model: string }): Promise<GenerationHistory> {
  const pattern = modelPattern(model);
  const totals = await db
    .select({
      tier: conversations.tier,
      conversations: sql<number>`count(*)::int`,
      avgCostUsd: sql<string>`avg(${conversations.costUsd})`,
      avgInputTokens: sql<string>`avg(${conversations.inputTokens})`,
      avgOutputTokens: sql<string>`avg(${conversations.outputTokens})`,
    })
    .from(conversations)
    .where(
      and(eq(conversations.workspaceId, workspaceId), eq(conversations.isSeed, false), isNotNull(conversations.generatedAt), sql`${conversations.model} ~ ${pattern}`),
    )
    .groupBy(conversations.tier);

  const durations = await db
    .select({ tier: conversations.tier, avgDurationMs: sql<string>`avg(${generationLogs.durationMs})` })
    .from(generationLogs)
    .innerJoin(conversations, eq(conversations.id, generationLogs.conversationId))
    .where(
      and(
        eq(generationLogs.workspaceId, workspaceId),
        isNull(generationLogs.errorCode),
        eq(generationLogs.kind, "generate"),
        eq(conversations.isSeed, false),
        sql`${generationLogs.model} ~ ${pattern}`,
      ),
    )
    .groupBy(conversations.tier);

  const history = Object.fromEntries(TIERS.map((tier) => [tier, undefined])) as GenerationHistory;
  for (const row of totals) {
    if (!TIERS.includes(row.tier)) continue;
    const duration = durations.find((d) => d.tier === row.tier);
    history[row.tier] = {
      conversations: row.conversations,
      avgCostUsd: Number(row.avgCostUsd),
      avgInputTokens: Number(row.avgInputTokens),
      avgOutputTokens: Number(row.avgOutputTokens),
      avgDurationMs: duration ? Number(duration.avgDurationMs) : 0,
    };
  }
  return history;
}

/** A judge model's past verdicts: how many successful judge calls, their mean reply tokens and duration. */
export interface JudgeHistory {
  calls: number;
  /** Mean output tokens of one verdict. */
  avgOutputTokens: number;
  /** Mean ms of one judge call. */
  avgDurationMs: number;
}

/**
 * Averages over the workspace's successful judge calls of `model` (generation_logs of kind "judge" without an
 * error; a dated snapshot counts as the model).
 * @returns calls 0 (and zero averages) when the model never judged
 */
export async function getJudgeHistoryByModel({ db, workspaceId, model }: { db: DbOrTx; workspaceId: string; model: string }): Promise<JudgeHistory> {
  const pattern = modelPattern(model);
  const [row] = await db
    .select({
      calls: sql<number>`count(*)::int`,
      avgOutputTokens: sql<string | null>`avg(${generationLogs.outputTokens})`,
      avgDurationMs: sql<string | null>`avg(${generationLogs.durationMs})`,
    })
    .from(generationLogs)
    .where(
      and(eq(generationLogs.workspaceId, workspaceId), eq(generationLogs.kind, "judge"), isNull(generationLogs.errorCode), sql`${generationLogs.model} ~ ${pattern}`),
    );
  return { calls: row?.calls ?? 0, avgOutputTokens: Math.round(Number(row?.avgOutputTokens ?? 0)), avgDurationMs: Number(row?.avgDurationMs ?? 0) };
}

/** A finished generate run with what its calls cost (for comparisons, estimate accuracy and the cost page's run list). */
export interface FinishedRunCost {
  id: string;
  workspaceId: string;
  provider: ProviderName;
  model: string;
  status: RunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  createdBy: string;
  total: number;
  /** generation_runs.estimate.costUsd, USD; null when none was recorded. */
  estimatedUsd: number | null;
  /** generation_runs.estimate.timeMs, ms; null when none was recorded. */
  estimatedMs: number | null;
  /**
   * Σ generation_logs.cost_usd of the run (judge calls included), USD, as the rollup trigger summed them
   * when they were written (generation_cost_runs), so retention deleting the calls does not change it;
   * for a run without a rollup row, the run's own running total (generation_runs.cost_usd).
   */
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  /** Distinct conversations the run made at least one call for (succeeded + failed for a run without a rollup row). */
  conversations: number;
}

/**
 * The workspace's finished generate runs (status completed, completed_with_failures, failed or
 * cancelled; judge runs left out), newest first, each with the sums of its generation_logs rows from
 * the run rollup (generation_cost_runs; or the run's own totals for a run without one).
 *
 * @param before only runs started before this instant (the run being reported on is not its own history)
 * @param limit at most this many (1–1,000; default 500)
 */
export async function listFinishedRunCosts({ db, workspaceId, before, limit = 500 }: { db: DbOrTx; workspaceId: string; before?: Date; limit?: number }): Promise<FinishedRunCost[]> {
  const capped = Math.min(Math.max(Math.trunc(limit), 1), 1_000);
  const rows = await db
    .select({
      id: generationRuns.id,
      workspaceId: generationRuns.workspaceId,
      provider: generationRuns.provider,
      model: generationRuns.model,
      status: generationRuns.status,
      startedAt: generationRuns.startedAt,
      finishedAt: generationRuns.finishedAt,
      createdBy: generationRuns.createdBy,
      total: generationRuns.total,
      estimate: generationRuns.estimate,
      // Summed by the rollup trigger on every call (generation_cost_runs), so they stay when the
      // retention job deletes the calls; a run with no rollup row (its calls were deleted before the
      // rollup existed) keeps its own totals (generation_runs.cost_usd…, added per call).
      costUsd: sql<string>`coalesce(${generationCostRuns.costUsd}, ${generationRuns.costUsd})`,
      inputTokens: sql<string>`coalesce(${generationCostRuns.inputTokens}, ${generationRuns.inputTokens})`,
      outputTokens: sql<string>`coalesce(${generationCostRuns.outputTokens}, ${generationRuns.outputTokens})`,
      conversations: sql<number>`coalesce(${generationCostRuns.conversations}, ${generationRuns.succeeded} + ${generationRuns.failed})::int`,
    })
    .from(generationRuns)
    .leftJoin(generationCostRuns, eq(generationCostRuns.runId, generationRuns.id))
    .where(
      and(
        eq(generationRuns.workspaceId, workspaceId),
        eq(generationRuns.purpose, "generate"),
        inArray(generationRuns.status, [...TERMINAL_RUN_STATUSES]),
        before ? lt(generationRuns.startedAt, before) : undefined,
      ),
    )
    .orderBy(desc(generationRuns.startedAt), desc(generationRuns.id))
    .limit(capped);
  return rows.map(({ estimate, ...r }) => ({
    ...r,
    estimatedUsd: finiteField(estimate, "costUsd"),
    estimatedMs: finiteField(estimate, "timeMs"),
    costUsd: Number(r.costUsd),
    inputTokens: Number(r.inputTokens),
    outputTokens: Number(r.outputTokens),
  }));
}

function finiteField(value: unknown, field: string): number | null {
  if (typeof value !== "object" || value === null) return null;
  const n = (value as Record<string, unknown>)[field];
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : null;
}
