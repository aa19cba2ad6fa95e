import "server-only";
/**
 * Reads behind the cost page (US13.2.2) and the monthly budget: spend per day / week / month,
 * breakdowns by tier, template, model and user, this month's spend, the model / template options a
 * recommendation compares, and the budget itself. Every amount is the recorded
 * generation_logs.cost_usd (or conversations.cost_usd), priced when the call was made; calls of the
 * simulated provider (not a language model) are summed apart. Periods are UTC. Spend, breakdowns and
 * the month's total read the daily rollup generation_cost_daily (schema/cost-rollup.ts, kept by a
 * trigger on every generation_logs insert), not the calls; the accounting CSV (listCostLedger) reads
 * the calls themselves.
 */
import { and, eq, gte, isNotNull, lt, sql, type SQL } from "drizzle-orm";
import type { ProviderName, Tier } from "../../../lib/constants";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { DbOrTx } from "../client";
import { conversations, generationCostDaily, generationLogs, promptTemplates, workspaces } from "../schema";
import { AppError } from "../../../core/errors";
import type { CostPeriod } from "../../../core/cost/cost-analytics";

/** The periods spend is grouped by (core/cost/cost-analytics.ts CostPeriod, the one list). */
export type SpendPeriod = CostPeriod;

/** Spend of one period. USD, tokens; `conversations` counts distinct conversations with a generate call from a language model. */
export interface SpendPeriodRow {
  /** UTC start of the period, "YYYY-MM-DD" (weeks start on Monday, ISO 8601). */
  periodStart: string;
  /** USD of calls to language models (provider ≠ simulated). */
  costUsd: number;
  /** Calls to language models, and calls of the simulated provider (priced $0 unless a price was set for it). */
  calls: number;
  simulatedCalls: number;
  simulatedCostUsd: number;
  inputTokens: number;
  outputTokens: number;
  /** Distinct conversations that had a generate call from a language model in the period. */
  conversations: number;
}

interface Range {
  /** Inclusive, UTC; must be a UTC midnight (the rollup keeps whole days). */
  from?: Date;
  /** Exclusive, UTC; must be a UTC midnight. */
  to?: Date;
}

/**
 * A range bound as the rollup's "YYYY-MM-DD" day.
 * @throws AppError `cost_range_not_whole_days` when the bound is not a UTC midnight
 */
function rollupDay(bound: Date, name: "from" | "to"): string {
  if (bound.getTime() % 86_400_000 !== 0) {
    throw new AppError("cost_range_not_whole_days", `Spend is kept per UTC day, so a cost range must start and end at midnight UTC; "${name}" is ${bound.toISOString()}. Pick whole days.`, {
      detail: { [name]: bound.toISOString() },
    });
  }
  return bound.toISOString().slice(0, 10);
}

function rollupFilters(workspaceId: string, range: Range): SQL | undefined {
  return and(
    eq(generationCostDaily.workspaceId, workspaceId),
    range.from ? gte(generationCostDaily.day, rollupDay(range.from, "from")) : undefined,
    range.to ? lt(generationCostDaily.day, rollupDay(range.to, "to")) : undefined,
  );
}

const isModel = sql`${generationCostDaily.provider} <> 'simulated'`;

/** The rollup's first-call markers that add up to distinct conversations per period (schema/cost-rollup.ts). */
const FIRST_IN_PERIOD = { day: generationCostDaily.firstInDay, week: generationCostDaily.firstInWeek, month: generationCostDaily.firstInMonth } as const;

/**
 * Spend per period, oldest first; periods without any call are absent (the caller fills gaps). Read
 * from the daily rollup (generation_cost_daily), so it is unchanged when the retention job deletes
 * old generation_logs rows.
 * @param period "day" | "week" | "month" (UTC; ISO weeks from Monday)
 * @throws AppError `cost_range_not_whole_days` when `from` or `to` is not a UTC midnight
 */
export async function listSpendByPeriod({ db, workspaceId, period, from, to }: { db: DbOrTx; workspaceId: string; period: SpendPeriod } & Range): Promise<SpendPeriodRow[]> {
  const unit = sql.raw(`'${period}'`);
  const bucket = sql<string>`to_char(date_trunc(${unit}, ${generationCostDaily.day}::timestamp), 'YYYY-MM-DD')`;
  const rows = await db
    .select({
      periodStart: bucket,
      costUsd: sql<string>`coalesce(sum(${generationCostDaily.costUsd}) filter (where ${isModel}), 0)`,
      calls: sql<number>`coalesce(sum(${generationCostDaily.calls}) filter (where ${isModel}), 0)::int`,
      simulatedCalls: sql<number>`coalesce(sum(${generationCostDaily.calls}) filter (where not ${isModel}), 0)::int`,
      simulatedCostUsd: sql<string>`coalesce(sum(${generationCostDaily.costUsd}) filter (where not ${isModel}), 0)`,
      inputTokens: sql<string>`coalesce(sum(${generationCostDaily.inputTokens}) filter (where ${isModel}), 0)`,
      outputTokens: sql<string>`coalesce(sum(${generationCostDaily.outputTokens}) filter (where ${isModel}), 0)`,
      conversations: sql<number>`coalesce(sum(${FIRST_IN_PERIOD[period]}), 0)::int`,
    })
    .from(generationCostDaily)
    .where(rollupFilters(workspaceId, { from, to }))
    .groupBy(bucket)
    .orderBy(bucket);
  return rows.map((r) => ({
    periodStart: r.periodStart,
    costUsd: Number(r.costUsd),
    calls: r.calls,
    simulatedCalls: r.simulatedCalls,
    simulatedCostUsd: Number(r.simulatedCostUsd),
    inputTokens: Number(r.inputTokens),
    outputTokens: Number(r.outputTokens),
    conversations: r.conversations,
  }));
}

/** The dimensions spend is broken down by. */
export const SPEND_DIMENSIONS = ["tier", "template", "model", "user", "kind"] as const;
export type SpendDimension = (typeof SPEND_DIMENSIONS)[number];

/** Spend of one value of a dimension. */
export interface SpendBreakdownRow {
  dimension: SpendDimension;
  /**
   * The tier, template id, model id, user id or call kind; "" for a call without a conversation (tier)
   * or without a template. A template deleted since keeps its id, with an empty label.
   */
  key: string;
  /** What people read: the tier, the template's name ("" for a deleted one), "provider · model", the user id, the kind. */
  label: string;
  /** True for the simulated provider's calls (model breakdown only): not a language model. */
  simulated: boolean;
  provider: ProviderName | null;
  costUsd: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /**
   * Distinct conversations whose latest call with this value falls in the range: for a range that
   * runs to the present (the cost page's), the distinct conversations with a call in it.
   */
  conversations: number;
}

/**
 * Spend broken down by tier (of the call's conversation when the call was made), template, model
 * (with its provider), user and call kind (generate / judge / template_test), biggest first, from the
 * daily rollup. Calls of the simulated provider are left out of every breakdown except "model", where
 * they are their own row marked `simulated`.
 * @throws AppError `cost_range_not_whole_days` when `from` or `to` is not a UTC midnight
 */
export async function listSpendBreakdown({ db, workspaceId, from, to }: { db: DbOrTx; workspaceId: string } & Range): Promise<SpendBreakdownRow[]> {
  const d = generationCostDaily;
  const measures = (latest: AnyPgColumn) => ({
    costUsd: sql<string>`coalesce(sum(${d.costUsd}), 0)`,
    calls: sql<number>`coalesce(sum(${d.calls}), 0)::int`,
    inputTokens: sql<string>`coalesce(sum(${d.inputTokens}), 0)`,
    outputTokens: sql<string>`coalesce(sum(${d.outputTokens}), 0)`,
    conversations: sql<number>`coalesce(sum(${latest}), 0)::int`,
  });
  const where = rollupFilters(workspaceId, { from, to });
  const modelsOnly = and(where, isModel);
  const [byTier, byTemplate, byModel, byUser, byKind] = await Promise.all([
    db.select({ key: d.tier, ...measures(d.latestTier) }).from(d).where(modelsOnly).groupBy(d.tier),
    db
      .select({ key: d.templateId, name: sql<string | null>`max(${promptTemplates.name})`, ...measures(d.latestTemplate) })
      .from(d)
      .leftJoin(promptTemplates, and(sql`${promptTemplates.id}::text = ${d.templateId}`, eq(promptTemplates.workspaceId, d.workspaceId)))
      .where(modelsOnly)
      .groupBy(d.templateId),
    db.select({ key: d.model, provider: d.provider, ...measures(d.latestModel) }).from(d).where(where).groupBy(d.provider, d.model),
    db.select({ key: d.userId, ...measures(d.latestUser) }).from(d).where(modelsOnly).groupBy(d.userId),
    db.select({ key: sql<string>`${d.kind}`, ...measures(d.latestKind) }).from(d).where(modelsOnly).groupBy(d.kind),
  ]);
  const shape = (dimension: SpendDimension, r: { key: string; costUsd: string; calls: number; inputTokens: string; outputTokens: string; conversations: number }, label: string, provider: ProviderName | null = null): SpendBreakdownRow => ({
    dimension,
    key: r.key,
    label,
    simulated: provider === "simulated",
    provider,
    costUsd: Number(r.costUsd),
    calls: r.calls,
    inputTokens: Number(r.inputTokens),
    outputTokens: Number(r.outputTokens),
    conversations: r.conversations,
  });
  const rows = [
    ...byTier.map((r) => shape("tier", r, r.key)),
    ...byTemplate.map((r) => shape("template", r, r.name ?? "")),
    ...byModel.map((r) => shape("model", r, r.key, r.provider)),
    ...byUser.map((r) => shape("user", r, r.key)),
    ...byKind.map((r) => shape("kind", r, r.key)),
  ];
  return rows.sort((a, b) => b.costUsd - a.costUsd || b.calls - a.calls || a.label.localeCompare(b.label));
}

/**
 * USD recorded for calls to language models (provider ≠ simulated) from `from` (inclusive) to `to`
 * (exclusive), from the daily rollup; 0 when none.
 * @throws AppError `cost_range_not_whole_days` when `from` or `to` is not a UTC midnight
 */
export async function getSpendTotal({ db, workspaceId, from, to }: { db: DbOrTx; workspaceId: string } & Range): Promise<number> {
  const [row] = await db
    .select({ costUsd: sql<string>`coalesce(sum(${generationCostDaily.costUsd}), 0)` })
    .from(generationCostDaily)
    .where(and(rollupFilters(workspaceId, { from, to }), isModel));
  return Number(row?.costUsd ?? 0);
}

/** Reviewed outcomes and recorded cost of one model or template in one tier (see costRecommendations). */
export interface CostOptionRow {
  dimension: "model" | "template";
  tier: Tier;
  /** Model id, or template id. */
  key: string;
  /** Model id, or the template's name. */
  label: string;
  provider: ProviderName | null;
  conversations: number;
  costUsd: number;
  reviewed: number;
  approved: number;
}

/**
 * Per tier × model and tier × template: the workspace's generated non-seed conversations (generated_at
 * set; simulated ones left out) with their recorded USD (conversations.cost_usd, every attempt) and
 * how many were reviewed (approved or rejected) and approved.
 */
export async function listCostOptions({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<CostOptionRow[]> {
  const where = and(
    eq(conversations.workspaceId, workspaceId),
    eq(conversations.isSeed, false),
    isNotNull(conversations.generatedAt),
    isNotNull(conversations.model),
    sql`coalesce(${conversations.provider}, '') <> 'simulated'`,
  );
  const measures = {
    conversations: sql<number>`count(*)::int`,
    costUsd: sql<string>`coalesce(sum(${conversations.costUsd}), 0)`,
    reviewed: sql<number>`(count(*) filter (where ${conversations.status} in ('approved', 'rejected')))::int`,
    approved: sql<number>`(count(*) filter (where ${conversations.status} = 'approved'))::int`,
  };
  const [byModel, byTemplate] = await Promise.all([
    db
      .select({ tier: conversations.tier, key: sql<string>`${conversations.model}`, provider: sql<ProviderName | null>`max(${conversations.provider})`, ...measures })
      .from(conversations)
      .where(where)
      .groupBy(conversations.tier, conversations.model),
    db
      .select({ tier: conversations.tier, key: sql<string>`${conversations.templateId}::text`, name: sql<string | null>`max(${promptTemplates.name})`, ...measures })
      .from(conversations)
      .innerJoin(promptTemplates, eq(promptTemplates.id, conversations.templateId))
      .where(where)
      .groupBy(conversations.tier, conversations.templateId),
  ]);
  return [
    ...byModel.map((r) => ({ dimension: "model" as const, tier: r.tier, key: r.key, label: r.key, provider: r.provider, conversations: r.conversations, costUsd: Number(r.costUsd), reviewed: r.reviewed, approved: r.approved })),
    ...byTemplate.map((r) => ({ dimension: "template" as const, tier: r.tier, key: r.key, label: r.name ?? r.key, provider: null, conversations: r.conversations, costUsd: Number(r.costUsd), reviewed: r.reviewed, approved: r.approved })),
  ];
}

/** The workspace's monthly budget, USD; null when none is set. */
export async function getMonthlyBudget({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<number | null> {
  const [row] = await db.select({ budget: workspaces.monthlyBudgetUsd }).from(workspaces).where(eq(workspaces.id, workspaceId));
  return row?.budget ?? null;
}

/** Sets (USD) or clears (null) the workspace's monthly budget. */
export async function updateMonthlyBudget({ db, workspaceId, budgetUsd }: { db: DbOrTx; workspaceId: string; budgetUsd: number | null }): Promise<void> {
  await db.update(workspaces).set({ monthlyBudgetUsd: budgetUsd }).where(eq(workspaces.id, workspaceId));
}

/** One provider call as the accounting CSV lists it. USD, tokens, ms. */
export interface CostLedgerRow {
  createdAt: Date;
  runId: string | null;
  /** The conversation's human id ("tmpl-001"); null when there is none (a template test, a deleted conversation). */
  conversationId: string | null;
  tier: Tier | null;
  templateName: string | null;
  templateVersion: number | null;
  kind: string;
  provider: ProviderName;
  model: string;
  userId: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  durationMs: number;
  errorCode: string | null;
}

/**
 * Every call of the workspace from `from` (inclusive) to `to` (exclusive), oldest first, with its
 * conversation, tier and template: the accounting CSV. Simulated calls are included (the CSV labels them).
 */
export async function listCostLedger({ db, workspaceId, from, to }: { db: DbOrTx; workspaceId: string } & Range): Promise<CostLedgerRow[]> {
  return db
    .select({
      createdAt: generationLogs.createdAt,
      runId: generationLogs.runId,
      conversationId: conversations.conversationId,
      tier: conversations.tier,
      templateName: promptTemplates.name,
      templateVersion: generationLogs.templateVersion,
      kind: generationLogs.kind,
      provider: generationLogs.provider,
      model: generationLogs.model,
      userId: generationLogs.userId,
      inputTokens: generationLogs.inputTokens,
      outputTokens: generationLogs.outputTokens,
      costUsd: generationLogs.costUsd,
      durationMs: generationLogs.durationMs,
      errorCode: generationLogs.errorCode,
    })
    .from(generationLogs)
    .leftJoin(conversations, eq(conversations.id, generationLogs.conversationId))
    .leftJoin(promptTemplates, eq(promptTemplates.id, generationLogs.templateId))
    .where(
      and(
        eq(generationLogs.workspaceId, workspaceId),
        from ? gte(generationLogs.createdAt, from) : undefined,
        to ? lt(generationLogs.createdAt, to) : undefined,
      ),
    )
    .orderBy(generationLogs.createdAt, generationLogs.id);
}
