import "server-only";
/**
 * Template analytics aggregates (issue 11 item 6, US7.1.2): one SQL query per view. Counted
 * conversations are those generated from a template (template_id and template_version set) whose
 * status is generated, approved or rejected; `simulated` separates the simulated composer's
 * conversations (conversations.provider = 'simulated') from those of a real model.
 */
import { and, eq, gte, inArray, isNotNull, sql, type SQL } from "drizzle-orm";
import type { Tier } from "../../../lib/constants";
import type { DbOrTx } from "../client";
import { conversations, promptTemplates, reviewLogs } from "../schema";

/** What every analytics view is limited to. */
export interface TemplateAnalyticsScope {
  workspaceId: string;
  tier?: Tier;
  /** Only conversations generated in the last this-many days; null = all time. */
  sinceDays: number | null;
}

const simulatedExpr = sql<boolean>`coalesce(${conversations.provider}, '') = 'simulated'`;

function scopeWhere(scope: TemplateAnalyticsScope): SQL {
  return and(
    eq(conversations.workspaceId, scope.workspaceId),
    inArray(conversations.status, ["generated", "approved", "rejected"]),
    isNotNull(conversations.templateVersion),
    scope.tier ? eq(promptTemplates.tier, scope.tier) : undefined,
    scope.sinceDays !== null ? gte(conversations.generatedAt, sql`now() - make_interval(days => ${scope.sinceDays})`) : undefined,
  )!;
}

/** One template version's figures, for real-model or simulated conversations. Quality 1–10. */
export interface TemplateVersionStats {
  templateId: string;
  templateKey: string;
  templateName: string;
  tier: Tier;
  /** The template's current (active) version. */
  currentVersion: number;
  status: string;
  version: number;
  simulated: boolean;
  generated: number;
  averageQuality: number | null;
  approved: number;
  rejected: number;
  firstGeneratedAt: string | null;
  lastGeneratedAt: string | null;
}

/** Per template, version and real/simulated: conversations generated, mean quality, approved and rejected (one aggregate query). */
export async function listTemplateVersionStats({ db, scope }: { db: DbOrTx; scope: TemplateAnalyticsScope }): Promise<TemplateVersionStats[]> {
  const rows = await db
    .select({
      templateId: promptTemplates.id,
      templateKey: promptTemplates.key,
      templateName: promptTemplates.name,
      tier: promptTemplates.tier,
      currentVersion: promptTemplates.currentVersion,
      status: promptTemplates.status,
      version: sql<number>`${conversations.templateVersion}`,
      simulated: simulatedExpr,
      generated: sql<number>`count(*)::int`,
      averageQuality: sql<number | null>`avg(${conversations.qualityScore})::float8`,
      approved: sql<number>`(count(*) filter (where ${conversations.status} = 'approved'))::int`,
      rejected: sql<number>`(count(*) filter (where ${conversations.status} = 'rejected'))::int`,
      firstGeneratedAt: sql<string | null>`min(${conversations.generatedAt})::text`,
      lastGeneratedAt: sql<string | null>`max(${conversations.generatedAt})::text`,
    })
    .from(conversations)
    .innerJoin(promptTemplates, eq(promptTemplates.id, conversations.templateId))
    .where(scopeWhere(scope))
    .groupBy(promptTemplates.id, conversations.templateVersion, simulatedExpr)
    .orderBy(promptTemplates.tier, promptTemplates.name, conversations.templateVersion, simulatedExpr);
  return rows;
}

/** One day of one template: mean quality of the conversations generated that day (UTC). */
export interface TemplateQualityPoint {
  day: string;
  templateId: string;
  templateName: string;
  simulated: boolean;
  averageQuality: number | null;
  generated: number;
}

/** Mean quality per UTC day per template, real and simulated apart (one aggregate query). */
export async function listTemplateQualityTrend({ db, scope }: { db: DbOrTx; scope: TemplateAnalyticsScope }): Promise<TemplateQualityPoint[]> {
  const day = sql<string>`to_char(${conversations.generatedAt} at time zone 'UTC', 'YYYY-MM-DD')`;
  return db
    .select({
      day,
      templateId: promptTemplates.id,
      templateName: promptTemplates.name,
      simulated: simulatedExpr,
      averageQuality: sql<number | null>`avg(${conversations.qualityScore})::float8`,
      generated: sql<number>`count(*)::int`,
    })
    .from(conversations)
    .innerJoin(promptTemplates, eq(promptTemplates.id, conversations.templateId))
    .where(and(scopeWhere(scope), isNotNull(conversations.generatedAt)))
    .groupBy(day, promptTemplates.id, simulatedExpr)
    .orderBy(day, promptTemplates.name);
}

/** A reviewer's note on a conversation that is rejected now, with the template version it came from. */
export interface RejectionNote {
  templateId: string;
  version: number;
  simulated: boolean;
  note: string;
}

/**
 * The notes of the reject reviews (review_logs, action "reject", a non-blank note) of conversations
 * that are still rejected, in scope (one query).
 */
export async function listRejectionNotes({ db, scope }: { db: DbOrTx; scope: TemplateAnalyticsScope }): Promise<RejectionNote[]> {
  const rows = await db
    .select({
      templateId: promptTemplates.id,
      version: sql<number>`${conversations.templateVersion}`,
      simulated: simulatedExpr,
      note: sql<string>`${reviewLogs.reviewerNotes}`,
    })
    .from(reviewLogs)
    .innerJoin(conversations, eq(conversations.id, reviewLogs.conversationId))
    .innerJoin(promptTemplates, eq(promptTemplates.id, conversations.templateId))
    .where(and(scopeWhere(scope), eq(conversations.status, "rejected"), eq(reviewLogs.action, "reject"), sql`btrim(coalesce(${reviewLogs.reviewerNotes}, '')) <> ''`));
  return rows;
}
