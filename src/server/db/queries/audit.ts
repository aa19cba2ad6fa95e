import "server-only";
/**
 * The audit pages' reads (issue 13 item 5; US9.3.1–US9.3.3, US5.2.2, FR1.2.x): the generation
 * log with its filters, one call with its payloads, a conversation's review history, review
 * activity per reviewer, and the export history. Read-only: audit rows are append-only, nothing
 * here (or anywhere in the audit pages) updates or deletes them.
 */
import { and, asc, count, desc, eq, gte, inArray, isNotNull, lt, sql, type SQL } from "drizzle-orm";
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
  requestPayload: unknown;
  responsePayload: unknown;
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
    .select({ ...listColumns, requestPayload: generationLogs.requestPayload, responsePayload: generationLogs.responsePayload, parameters: generationLogs.parameters })
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

/** A conversation's latest review event before an instant. */
export interface LatestReviewBefore {
  /** Human conversation id. */
  conversationId: string;
  isSeed: boolean;
  /** Null when it had no review event before the instant. */
  action: ReviewLogAction | null;
  reviewerId: string | null;
  at: Date | null;
}

/**
 * For each human conversation id, its latest review event (approve, reject or undo) strictly
 * before `before`, with who made it; ids of conversations that no longer exist are left out.
 */
export async function listLatestReviewsBefore({
  db,
  workspaceId,
  conversationIds,
  before,
}: {
  db: DbOrTx;
  workspaceId: string;
  conversationIds: string[];
  before: Date;
}): Promise<LatestReviewBefore[]> {
  if (conversationIds.length === 0) return [];
  const rows = await db
    .selectDistinctOn([conversations.conversationId], {
      conversationId: conversations.conversationId,
      isSeed: conversations.isSeed,
      action: reviewLogs.action,
      reviewerId: reviewLogs.reviewerId,
      at: reviewLogs.timestamp,
    })
    .from(conversations)
    .leftJoin(reviewLogs, and(eq(reviewLogs.conversationId, conversations.id), lt(reviewLogs.timestamp, before)))
    .where(and(eq(conversations.workspaceId, workspaceId), inArray(conversations.conversationId, conversationIds)))
    .orderBy(conversations.conversationId, sql`${reviewLogs.timestamp} desc nulls last`, desc(reviewLogs.id));
  return rows;
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
