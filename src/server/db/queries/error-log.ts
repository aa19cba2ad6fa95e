import "server-only";
/**
 * The error log's reads (US2.2.2 "Error log accessible showing full error history with filters"):
 * every failed LLM call from generation_logs (error_code not null), newest first, with the
 * conversation it was for, and the error codes seen with their counts for the filter.
 */
import { and, count, desc, eq, gte, inArray, isNotNull, notInArray, sql, type SQL } from "drizzle-orm";
import { RETRYABLE_ERROR_CODES, isRetryableErrorCode } from "../../../lib/error-log-params";
import type { Tier } from "../../../lib/constants";
import type { DbOrTx } from "../client";
import { conversations, generationLogs, personas } from "../schema";

/** What the log can be narrowed to; every field optional, AND across fields, OR within a list. */
export interface GenerationErrorFilter {
  /** Error codes ("rate_limited", …). */
  code?: string[];
  /** Tiers of the conversation the call was for (calls of deleted conversations never match). */
  tier?: Tier[];
  /** true = temporary problems only (RETRYABLE_ERROR_CODES), false = permanent ones only. */
  retryable?: boolean;
  /** Calls made at or after this instant. */
  since?: Date;
}

/** One failed call. */
export interface GenerationErrorRow {
  /** generation_logs.id */
  id: string;
  createdAt: Date;
  /** Human id ("tmpl-004"); null when the conversation was deleted since. */
  conversationId: string | null;
  tier: Tier | null;
  personaName: string | null;
  errorCode: string;
  /** Plain-English message ("" when none was stored). */
  errorMessage: string;
  /** Derived from the code (isRetryableErrorCode): generation_logs does not store the flag. */
  retryable: boolean;
  provider: string;
  model: string;
  runId: string | null;
  /** How long the failed call took, ms. */
  durationMs: number;
}

export interface GenerationErrorPage {
  rows: GenerationErrorRow[];
  /** Failed calls matching the filter. */
  total: number;
  page: number;
  perPage: number;
}

function whereFor(workspaceId: string, filter: GenerationErrorFilter): SQL | undefined {
  const conditions: SQL[] = [eq(generationLogs.workspaceId, workspaceId), isNotNull(generationLogs.errorCode)];
  if (filter.code?.length) conditions.push(inArray(generationLogs.errorCode, filter.code));
  if (filter.tier?.length) conditions.push(inArray(conversations.tier, filter.tier));
  if (filter.retryable === true) conditions.push(inArray(generationLogs.errorCode, [...RETRYABLE_ERROR_CODES]));
  if (filter.retryable === false) conditions.push(notInArray(generationLogs.errorCode, [...RETRYABLE_ERROR_CODES]));
  if (filter.since) conditions.push(gte(generationLogs.createdAt, filter.since));
  return and(...conditions);
}

/**
 * One page of failed generation calls, newest first (ties broken by id, so pages never overlap),
 * and how many match.
 *
 * @param input.filter codes, tiers, retryable, since (see GenerationErrorFilter)
 * @param input.page 1-based
 * @param input.perPage rows per page, 1–500
 * @throws RangeError when page or perPage is out of range (callers pass parsed URL state)
 */
export async function listGenerationErrors({
  db,
  workspaceId,
  filter,
  page,
  perPage,
}: {
  db: DbOrTx;
  workspaceId: string;
  filter: GenerationErrorFilter;
  page: number;
  perPage: number;
}): Promise<GenerationErrorPage> {
  if (!Number.isInteger(page) || page < 1) throw new RangeError(`page must be a positive integer, got ${page}`);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 500) throw new RangeError(`perPage must be 1–500, got ${perPage}`);
  const where = whereFor(workspaceId, filter);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({
        id: generationLogs.id,
        createdAt: generationLogs.createdAt,
        conversationId: conversations.conversationId,
        tier: conversations.tier,
        personaName: personas.name,
        errorCode: sql<string>`${generationLogs.errorCode}`,
        errorMessage: generationLogs.errorMessage,
        provider: generationLogs.provider,
        model: generationLogs.model,
        runId: generationLogs.runId,
        durationMs: generationLogs.durationMs,
      })
      .from(generationLogs)
      .leftJoin(conversations, eq(conversations.id, generationLogs.conversationId))
      .leftJoin(personas, and(eq(personas.workspaceId, conversations.workspaceId), eq(personas.key, conversations.persona)))
      .where(where)
      .orderBy(desc(generationLogs.createdAt), desc(generationLogs.id))
      .limit(perPage)
      .offset((page - 1) * perPage),
    db
      .select({ total: count() })
      .from(generationLogs)
      .leftJoin(conversations, eq(conversations.id, generationLogs.conversationId))
      .where(where),
  ]);
  return {
    rows: rows.map((row) => ({ ...row, errorMessage: row.errorMessage ?? "", retryable: isRetryableErrorCode(row.errorCode) })),
    total: Number(total),
    page,
    perPage,
  };
}

/** One error code seen in the log. */
export interface GenerationErrorCodeCount {
  code: string;
  /** Failed calls with this code (all time, unfiltered). */
  count: number;
  retryable: boolean;
}

/** Every error code in the workspace's generation_logs with how many calls failed with it, most frequent first. */
export async function listGenerationErrorCodes({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<GenerationErrorCodeCount[]> {
  const rows = await db
    .select({ code: sql<string>`${generationLogs.errorCode}`, count: count() })
    .from(generationLogs)
    .where(and(eq(generationLogs.workspaceId, workspaceId), isNotNull(generationLogs.errorCode)))
    .groupBy(generationLogs.errorCode)
    .orderBy(desc(count()), generationLogs.errorCode);
  return rows.map((row) => ({ code: row.code, count: Number(row.count), retryable: isRetryableErrorCode(row.code) }));
}
