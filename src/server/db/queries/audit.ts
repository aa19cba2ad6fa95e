import "server-only";
/**
 * The audit pages' reads (issue 13 item 5; US9.3.1–US9.3.3, US5.2.2, FR1.2.x): the generation
 * log with its filters, one call with its payloads, a conversation's review history, review
 * activity per reviewer, and the export history. Read-only: audit rows are append-only, nothing
 * here (or anywhere in the audit pages) updates or deletes them.
 */
import { and, asc, count, desc, eq, gte, isNotNull, lt, sql, type SQL } from "drizzle-orm";
import type { ConversationStatus, GenerationLogKind } from "../../../lib/constants";
import type { DbOrTx } from "../client";
import { conversations, exportLogs, generationLogs, promptTemplates, reviewLogs, type ExportLogRow, type ReviewLogAction } from "../schema";

/** What the generation log can be narrowed to; every field optional, AND across fields. */
export interface GenerationLogFilter {
  /** Human conversation id ("tmpl-004"); calls of deleted conversations never match. */
  conversationId?: string;
  /** generation_runs.id (uuid). */
  runId?: string;
  /** Calls made at or after this instant. */
  from?: Date;
  /** Calls made before this instant (exclusive). */
  before?: Date;
  userId?: string;
  /** prompt_templates.key. */
  templateKey?: string;
  kind?: GenerationLogKind;
  /** One error code, or "any" for every failed call. */
  errorCode?: string;
}

/** One call as the log lists it (no payloads: those are read one call at a time). */
export interface GenerationLogListRow {
  /** generation_logs.id */
  id: string;
  createdAt: Date;
  kind: GenerationLogKind;
  /** Human id; null when the conversation was deleted or the call had none (a template test). */
  conversationId: string | null;
  runId: string | null;
  templateKey: string | null;
  templateName: string | null;
  templateVersion: number | null;
  provider: string;
  model: string;
  userId: string;
  inputTokens: number;
  outputTokens: number;
  /** USD; null when no price was known. */
  costUsd: number | null;
  durationMs: number;
  errorCode: string | null;
  errorMessage: string | null;
}

/** One call with everything it recorded. */
export interface GenerationLogDetailRow extends GenerationLogListRow {
  /** null once retention dropped it (payloadsDroppedAt says when), or when the call failed before a reply. */
  requestPayload: unknown;
  responsePayload: unknown;
  /** When the retention job dropped both payloads; null while they are kept. */
  payloadsDroppedAt: Date | null;
  parameters: Record<string, unknown>;
}

function generationLogWhere(workspaceId: string, filter: GenerationLogFilter): SQL | undefined {
  const conditions: SQL[] = [eq(generationLogs.workspaceId, workspaceId)];
  if (filter.conversationId) conditions.push(eq(conversations.conversationId, filter.conversationId));
  if (filter.runId) conditions.push(eq(generationLogs.runId, filter.runId));
  if (filter.from) conditions.push(gte(generationLogs.createdAt, filter.from));
  if (filter.before) conditions.push(lt(generationLogs.createdAt, filter.before));
  if (filter.userId) conditions.push(eq(generationLogs.userId, filter.userId));
  if (filter.templateKey) conditions.push(eq(promptTemplates.key, filter.templateKey));
  if (filter.kind) conditions.push(eq(generationLogs.kind, filter.kind));
  if (filter.errorCode === "any") conditions.push(isNotNull(generationLogs.errorCode));
  else if (filter.errorCode) conditions.push(eq(generationLogs.errorCode, filter.errorCode));
  return and(...conditions);
}

const listColumns = {
  id: generationLogs.id,
  createdAt: generationLogs.createdAt,
  kind: generationLogs.kind,
  conversationId: conversations.conversationId,
  runId: generationLogs.runId,
  templateKey: promptTemplates.key,
  templateName: promptTemplates.name,
  templateVersion: generationLogs.templateVersion,
  provider: generationLogs.provider,
  model: generationLogs.model,
  userId: generationLogs.userId,
  inputTokens: generationLogs.inputTokens,
  outputTokens: generationLogs.outputTokens,
  costUsd: generationLogs.costUsd,
  durationMs: generationLogs.durationMs,
  errorCode: generationLogs.errorCode,
  errorMessage: generationLogs.errorMessage,
};

function toListRow<T extends { costUsd: string | number | null }>(row: T): Omit<T, "costUsd"> & { costUsd: number | null } {
  return { ...row, costUsd: row.costUsd === null ? null : Number(row.costUsd) };
}

/**
 * Generation log calls matching `filter`, newest first (ties by id, so pages never overlap).
 * @param input.page 1-based; with `perPage` null every matching row is returned (the CSV).
 * @param input.perPage rows per page, 1–1000, or null for all
 * @throws RangeError for a page or perPage out of range (callers pass parsed URL state)
 */
export async function listGenerationLogs({
  db,
  workspaceId,
  filter,
  page = 1,
  perPage,
}: {
  db: DbOrTx;
  workspaceId: string;
  filter: GenerationLogFilter;
  page?: number;
  perPage: number | null;
}): Promise<{ rows: GenerationLogListRow[]; total: number }> {
  if (!Number.isInteger(page) || page < 1) throw new RangeError(`page must be a positive integer, got ${page}`);
  if (perPage !== null && (!Number.isInteger(perPage) || perPage < 1 || perPage > 1000)) throw new RangeError(`perPage must be 1–1000, got ${perPage}`);
  const where = generationLogWhere(workspaceId, filter);
  const base = db
    .select(listColumns)
    .from(generationLogs)
    .leftJoin(conversations, eq(conversations.id, generationLogs.conversationId))
    .leftJoin(promptTemplates, eq(promptTemplates.id, generationLogs.templateId))
    .where(where)
    .orderBy(desc(generationLogs.createdAt), desc(generationLogs.id));
  const [rows, [{ total }]] = await Promise.all([
    perPage === null ? base : base.limit(perPage).offset((page - 1) * perPage),
    db
      .select({ total: count() })
      .from(generationLogs)
      .leftJoin(conversations, eq(conversations.id, generationLogs.conversationId))
      .leftJoin(promptTemplates, eq(promptTemplates.id, generationLogs.templateId))
      .where(where),
  ]);
  return { rows: rows.map(toListRow), total: Number(total) };
}

/** One call of the workspace's generation log with its payloads, or null (unknown id or another workspace's). */
export async function getGenerationLogById({ db, workspaceId, id }: { db: DbOrTx; workspaceId: string; id: string }): Promise<GenerationLogDetailRow | null> {
  const rows = await db
    .select({
      ...listColumns,
      requestPayload: generationLogs.requestPayload,
      responsePayload: generationLogs.responsePayload,
      payloadsDroppedAt: generationLogs.payloadsDroppedAt,
      parameters: generationLogs.parameters,
    })
    .from(generationLogs)
    .leftJoin(conversations, eq(conversations.id, generationLogs.conversationId))
    .leftJoin(promptTemplates, eq(promptTemplates.id, generationLogs.templateId))
    .where(and(eq(generationLogs.workspaceId, workspaceId), eq(generationLogs.id, id)))
    .limit(1);
  return rows[0] ? toListRow(rows[0]) : null;
}

/** The values the generation log's filters offer: users, templates and error codes that occur in it. */
export async function listGenerationLogFilterOptions({
  db,
  workspaceId,
}: {
  db: DbOrTx;
  workspaceId: string;
}): Promise<{ users: string[]; templates: Array<{ key: string; name: string }>; errorCodes: string[] }> {
  const [users, templates, codes] = await Promise.all([
    db.selectDistinct({ userId: generationLogs.userId }).from(generationLogs).where(eq(generationLogs.workspaceId, workspaceId)).orderBy(asc(generationLogs.userId)),
    db
      .selectDistinct({ key: promptTemplates.key, name: promptTemplates.name })
      .from(generationLogs)
      .innerJoin(promptTemplates, eq(promptTemplates.id, generationLogs.templateId))
      .where(eq(generationLogs.workspaceId, workspaceId))
      .orderBy(asc(promptTemplates.name)),
    db
      .selectDistinct({ code: sql<string>`${generationLogs.errorCode}` })
      .from(generationLogs)
      .where(and(eq(generationLogs.workspaceId, workspaceId), isNotNull(generationLogs.errorCode)))
      .orderBy(asc(generationLogs.errorCode)),
  ]);
  return { users: users.map((u) => u.userId), templates, errorCodes: codes.map((c) => c.code) };
}

/** One review event of a conversation. */
export interface ReviewHistoryRow {
  id: string;
  action: ReviewLogAction;
  reviewerId: string;
  reviewerNotes: string | null;
  /** The status before this event. */
  previousStatus: ConversationStatus;
  timestamp: Date;
}

/** Every review event (approve, reject, undo) of one conversation (its uuid), newest first. */
export async function listReviewLogsByConversationId({ db, workspaceId, conversationUuid }: { db: DbOrTx; workspaceId: string; conversationUuid: string }): Promise<ReviewHistoryRow[]> {
  return db
    .select({
      id: reviewLogs.id,
      action: reviewLogs.action,
      reviewerId: reviewLogs.reviewerId,
      reviewerNotes: reviewLogs.reviewerNotes,
      previousStatus: reviewLogs.previousStatus,
      timestamp: reviewLogs.timestamp,
    })
    .from(reviewLogs)
    .where(and(eq(reviewLogs.workspaceId, workspaceId), eq(reviewLogs.conversationId, conversationUuid)))
    .orderBy(desc(reviewLogs.timestamp), desc(reviewLogs.id));
}

/** One review event with its conversation's human id, for the review log CSV. */
export interface ReviewLogListRow extends ReviewHistoryRow {
  /** Human id; null when the conversation was deleted since. */
  conversationId: string | null;
}

/** Every review event made in [from, before) (of one conversation, by human id, when given), oldest first. */
export async function listReviewLogs({
  db,
  workspaceId,
  from,
  before,
  conversationId,
}: {
  db: DbOrTx;
  workspaceId: string;
  from?: Date;
  before?: Date;
  conversationId?: string;
}): Promise<ReviewLogListRow[]> {
  const conditions: SQL[] = [eq(reviewLogs.workspaceId, workspaceId)];
  if (from) conditions.push(gte(reviewLogs.timestamp, from));
  if (before) conditions.push(lt(reviewLogs.timestamp, before));
  if (conversationId) conditions.push(eq(conversations.conversationId, conversationId));
  return db
    .select({
      id: reviewLogs.id,
      conversationId: conversations.conversationId,
      action: reviewLogs.action,
      reviewerId: reviewLogs.reviewerId,
      reviewerNotes: reviewLogs.reviewerNotes,
      previousStatus: reviewLogs.previousStatus,
      timestamp: reviewLogs.timestamp,
    })
    .from(reviewLogs)
    .leftJoin(conversations, eq(conversations.id, reviewLogs.conversationId))
    .where(and(...conditions))
    .orderBy(asc(reviewLogs.timestamp), asc(reviewLogs.id));
}

/** Review events per reviewer in a time window. */
export interface ReviewActivityRow {
  reviewerId: string;
  approved: number;
  rejected: number;
  undone: number;
  /** Events with a note. */
  withNotes: number;
  firstAt: Date;
  lastAt: Date;
}

/** Review events per reviewer (approve / reject / undo counts) made in [from, before), most active first. */
export async function listReviewActivityByReviewer({
  db,
  workspaceId,
  from,
  before,
}: {
  db: DbOrTx;
  workspaceId: string;
  from?: Date;
  before?: Date;
}): Promise<ReviewActivityRow[]> {
  const conditions: SQL[] = [eq(reviewLogs.workspaceId, workspaceId)];
  if (from) conditions.push(gte(reviewLogs.timestamp, from));
  if (before) conditions.push(lt(reviewLogs.timestamp, before));
  const rows = await db
    .select({
      reviewerId: reviewLogs.reviewerId,
      approved: sql<number>`count(*) filter (where ${reviewLogs.action} = 'approve')::int`,
      rejected: sql<number>`count(*) filter (where ${reviewLogs.action} = 'reject')::int`,
      undone: sql<number>`count(*) filter (where ${reviewLogs.action} = 'undo')::int`,
      withNotes: sql<number>`count(*) filter (where coalesce(${reviewLogs.reviewerNotes}, '') <> '')::int`,
      firstAt: sql<Date>`min(${reviewLogs.timestamp})`.mapWith(reviewLogs.timestamp),
      lastAt: sql<Date>`max(${reviewLogs.timestamp})`.mapWith(reviewLogs.timestamp),
      total: count(),
    })
    .from(reviewLogs)
    .where(and(...conditions))
    .groupBy(reviewLogs.reviewerId)
    .orderBy(desc(count()), asc(reviewLogs.reviewerId));
  return rows.map(({ total: _total, ...row }) => ({ ...row, approved: Number(row.approved), rejected: Number(row.rejected), undone: Number(row.undone), withNotes: Number(row.withNotes) }));
}

/** One conversation of one export whose latest review before that export was not an approval. */
export interface ComplianceFindingRow {
  exportId: string;
  exportedAt: Date;
  exportedBy: string;
  /** Human conversation id, as the manifest lists it. */
  conversationId: string;
  /** False when no conversation of the workspace has that id any more (deleted since). */
  exists: boolean;
  isSeed: boolean;
  /** The latest review event strictly before the export; null when there was none. */
  action: ReviewLogAction | null;
  reviewerId: string | null;
  at: Date | null;
}

/** The exports in [from, before) and what their manifests let the compliance report check. */
export interface ComplianceScope {
  /** Exports in the window. */
  exports: number;
  /** Conversation ids listed by the manifests of those exports (counted once per export). */
  checked: number;
  /** Exports whose manifest records no `conversation_ids` array: they cannot be checked. */
  unverifiable: Array<{ exportId: string; exportedAt: Date }>;
}

const exportWindow = (workspaceId: string, from?: Date, before?: Date): SQL =>
  sql`e.workspace_id = ${workspaceId}${from ? sql` and e.exported_at >= ${from.toISOString()}` : sql``}${before ? sql` and e.exported_at < ${before.toISOString()}` : sql``}`;

/**
 * How many exports fall in [from, before), how many conversation ids their manifests list
 * (export_logs.metadata.conversation_ids), and which exports list none. One aggregate query.
 */
export async function getComplianceScope({ db, workspaceId, from, before }: { db: DbOrTx; workspaceId: string; from?: Date; before?: Date }): Promise<ComplianceScope> {
  const result = await db.execute(sql`
    select e.export_id, e.exported_at,
      case when jsonb_typeof(e.metadata -> 'conversation_ids') = 'array' then jsonb_array_length(e.metadata -> 'conversation_ids') end as listed
    from export_logs e
    where ${exportWindow(workspaceId, from, before)}
    order by e.exported_at desc, e.id desc`);
  const rows = (result as unknown as { rows: Array<{ export_id: string; exported_at: string | Date; listed: number | null }> }).rows;
  return {
    exports: rows.length,
    checked: rows.reduce((sum, r) => sum + Number(r.listed ?? 0), 0),
    unverifiable: rows.filter((r) => r.listed === null).map((r) => ({ exportId: r.export_id, exportedAt: new Date(r.exported_at) })),
  };
}

/**
 * The compliance report's exceptions in one query: for every export in [from, before) and every
 * conversation id its manifest lists, the conversation's latest review event (approve, reject or
 * undo) strictly before the export, kept only when it is not an approval or the conversation no
 * longer exists. Ordered newest export first, then by conversation id.
 */
export async function listComplianceFindings({ db, workspaceId, from, before }: { db: DbOrTx; workspaceId: string; from?: Date; before?: Date }): Promise<ComplianceFindingRow[]> {
  const result = await db.execute(sql`
    select e.export_id, e.exported_at, e.user_id as exported_by, ids.cid as conversation_id,
      c.id is not null as exists, coalesce(c.is_seed, false) as is_seed,
      r.action, r.reviewer_id, r.timestamp as at
    from export_logs e
    cross join lateral jsonb_array_elements_text(
      case when jsonb_typeof(e.metadata -> 'conversation_ids') = 'array' then e.metadata -> 'conversation_ids' else '[]'::jsonb end
    ) as ids(cid)
    left join conversations c on c.workspace_id = e.workspace_id and c.conversation_id = ids.cid
    left join lateral (
      select l.action, l.reviewer_id, l.timestamp from review_logs l
      where l.conversation_id = c.id and l.timestamp < e.exported_at
      order by l.timestamp desc, l.id desc limit 1
    ) r on true
    where ${exportWindow(workspaceId, from, before)} and (c.id is null or r.action is distinct from 'approve')
    order by e.exported_at desc, e.id desc, ids.cid`);
  const rows = (
    result as unknown as {
      rows: Array<{ export_id: string; exported_at: string | Date; exported_by: string; conversation_id: string; exists: boolean; is_seed: boolean; action: ReviewLogAction | null; reviewer_id: string | null; at: string | Date | null }>;
    }
  ).rows;
  return rows.map((r) => ({
    exportId: r.export_id,
    exportedAt: new Date(r.exported_at),
    exportedBy: r.exported_by,
    conversationId: r.conversation_id,
    exists: Boolean(r.exists),
    isSeed: Boolean(r.is_seed),
    action: r.action,
    reviewerId: r.reviewer_id,
    at: r.at === null ? null : new Date(r.at),
  }));
}

/** What the export history can be narrowed to. */
export interface ExportLogFilter {
  userId?: string;
  from?: Date;
  before?: Date;
}

/** The workspace's exports, newest first (all of them with `perPage` null). */
export async function listExportLogs({
  db,
  workspaceId,
  filter = {},
  page = 1,
  perPage,
}: {
  db: DbOrTx;
  workspaceId: string;
  filter?: ExportLogFilter;
  page?: number;
  perPage: number | null;
}): Promise<{ rows: ExportLogRow[]; total: number }> {
  const conditions: SQL[] = [eq(exportLogs.workspaceId, workspaceId)];
  if (filter.userId) conditions.push(eq(exportLogs.userId, filter.userId));
  if (filter.from) conditions.push(gte(exportLogs.exportedAt, filter.from));
  if (filter.before) conditions.push(lt(exportLogs.exportedAt, filter.before));
  const where = and(...conditions);
  const base = db.select().from(exportLogs).where(where).orderBy(desc(exportLogs.exportedAt), desc(exportLogs.id));
  const [rows, [{ total }]] = await Promise.all([
    perPage === null ? base : base.limit(perPage).offset((page - 1) * perPage),
    db.select({ total: count() }).from(exportLogs).where(where),
  ]);
  return { rows, total: Number(total) };
}

/** Who has exported from the workspace, for the history's user filter. */
export async function listExportUsers({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<string[]> {
  const rows = await db.selectDistinct({ userId: exportLogs.userId }).from(exportLogs).where(eq(exportLogs.workspaceId, workspaceId)).orderBy(asc(exportLogs.userId));
  return rows.map((r) => r.userId);
}
