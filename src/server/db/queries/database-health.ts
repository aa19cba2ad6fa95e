import "server-only";
/**
 * The database health page's SQL (issue 13 item 7): the app's own query timings (query_timings)
 * summarised per kind, the slow ones, and what PostgreSQL's catalog and statistics views say about
 * tables and indexes (pg_class, pg_total_relation_size, pg_stat_user_indexes).
 */
import { and, desc, eq, gte, gt, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { queryTimings } from "../schema";

/** One timed query, as the app recorded it. */
export interface QueryTimingInsert {
  workspaceId: string | null;
  kind: string;
  /** ms */
  durationMs: number;
  recordedAt: Date;
}

/** Inserts recorded timings in one statement. */
export async function insertQueryTimings({ db, rows }: { db: DbOrTx; rows: QueryTimingInsert[] }): Promise<void> {
  if (rows.length) await db.insert(queryTimings).values(rows);
}

/** One kind of query over a window: how many, median, 95th percentile and slowest (ms). */
export interface QueryKindSummary {
  kind: string;
  count: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** How many took longer than the slow threshold. */
  slowCount: number;
}

/**
 * Timings of the workspace's queries recorded since `since`, per kind, slowest p95 first
 * (percentile_cont: interpolated percentiles).
 */
export async function summarizeQueryTimings({ db, workspaceId, since, slowMs }: { db: DbOrTx; workspaceId: string; since: Date; slowMs: number }): Promise<QueryKindSummary[]> {
  const rows = await db
    .select({
      kind: queryTimings.kind,
      count: sql<number>`count(*)::int`,
      p50Ms: sql<number>`percentile_cont(0.5) within group (order by ${queryTimings.durationMs})::float8`,
      p95Ms: sql<number>`percentile_cont(0.95) within group (order by ${queryTimings.durationMs})::float8`,
      maxMs: sql<number>`max(${queryTimings.durationMs})::float8`,
      slowCount: sql<number>`(count(*) filter (where ${queryTimings.durationMs} > ${slowMs}))::int`,
    })
    .from(queryTimings)
    .where(and(eq(queryTimings.workspaceId, workspaceId), gte(queryTimings.recordedAt, since)))
    .groupBy(queryTimings.kind)
    .orderBy(sql`3 desc`, queryTimings.kind);
  return rows.map((r) => ({ ...r, count: Number(r.count), p50Ms: Number(r.p50Ms), p95Ms: Number(r.p95Ms), maxMs: Number(r.maxMs), slowCount: Number(r.slowCount) }));
}

/** The workspace's queries slower than `slowMs` since `since`, newest first, at most `limit`. */
export async function listSlowQueryTimings({
  db,
  workspaceId,
  since,
  slowMs,
  limit = 50,
}: {
  db: DbOrTx;
  workspaceId: string;
  since: Date;
  slowMs: number;
  limit?: number;
}): Promise<Array<{ kind: string; durationMs: number; recordedAt: Date }>> {
  return db
    .select({ kind: queryTimings.kind, durationMs: queryTimings.durationMs, recordedAt: queryTimings.recordedAt })
    .from(queryTimings)
    .where(and(eq(queryTimings.workspaceId, workspaceId), gte(queryTimings.recordedAt, since), gt(queryTimings.durationMs, slowMs)))
    .orderBy(desc(queryTimings.recordedAt))
    .limit(limit);
}

/** One table of the app's schema: its size on disk with indexes and TOAST (bytes) and its rows. */
export interface TableSize {
  table: string;
  totalBytes: number;
  rows: number;
  /** "estimate": pg_class.reltuples (kept by ANALYZE / autovacuum); "exact": count(*) because the table was never analysed. */
  rowsSource: "estimate" | "exact";
}

/**
 * Every table of the current schema (the app's), largest first: pg_total_relation_size and
 * pg_class.reltuples; a table never analysed (reltuples −1, always the case on PGlite, which has
 * no autovacuum) is counted exactly.
 */
export async function listTableSizes({ db }: { db: DbOrTx }): Promise<TableSize[]> {
  const result = (await db.execute(sql`
    select c.relname as "table", pg_total_relation_size(c.oid)::float8 as "totalBytes", c.reltuples::float8 as "reltuples"
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and n.nspname = current_schema()
    order by pg_total_relation_size(c.oid) desc, c.relname`)) as unknown as { rows: Array<{ table: string; totalBytes: number; reltuples: number }> };
  const sizes: TableSize[] = [];
  for (const row of result.rows) {
    if (Number(row.reltuples) >= 0) {
      sizes.push({ table: row.table, totalBytes: Number(row.totalBytes), rows: Math.round(Number(row.reltuples)), rowsSource: "estimate" });
    } else {
      const counted = (await db.execute(sql`select count(*)::float8 as n from ${sql.identifier(row.table)}`)) as unknown as { rows: Array<{ n: number }> };
      sizes.push({ table: row.table, totalBytes: Number(row.totalBytes), rows: Number(counted.rows[0]?.n ?? 0), rowsSource: "exact" });
    }
  }
  return sizes;
}

/** One index of the app's schema with PostgreSQL's usage counters since the statistics were last reset. */
export interface IndexUsage {
  table: string;
  index: string;
  /** Index scans started (pg_stat_user_indexes.idx_scan). */
  scans: number;
  /** Index entries returned by those scans (idx_tup_read). */
  tuplesRead: number;
  /** Size of the index (bytes). */
  bytes: number;
  /** Unique or primary-key indexes enforce a rule, so "unused" does not mean removable. */
  enforcesConstraint: boolean;
}

/** pg_stat_user_indexes of the current schema, least used first; also whether any counter was ever non-zero. */
export async function listIndexUsage({ db }: { db: DbOrTx }): Promise<{ rows: IndexUsage[]; anyActivity: boolean }> {
  const result = (await db.execute(sql`
    select s.relname as "table", s.indexrelname as "index", s.idx_scan::float8 as "scans", s.idx_tup_read::float8 as "tuplesRead",
      pg_relation_size(s.indexrelid)::float8 as "bytes", (i.indisunique or i.indisprimary) as "enforcesConstraint"
    from pg_stat_user_indexes s join pg_index i on i.indexrelid = s.indexrelid
    where s.schemaname = current_schema()
    order by s.idx_scan asc, pg_relation_size(s.indexrelid) desc, s.indexrelname`)) as unknown as { rows: IndexUsage[] };
  const rows = result.rows.map((r) => ({ ...r, scans: Number(r.scans), tuplesRead: Number(r.tuplesRead), bytes: Number(r.bytes), enforcesConstraint: Boolean(r.enforcesConstraint) }));
  const activity = (await db.execute(sql`
    select coalesce(sum(seq_scan + coalesce(idx_scan, 0) + n_tup_ins), 0)::float8 as n from pg_stat_user_tables where schemaname = current_schema()`)) as unknown as { rows: Array<{ n: number }> };
  return { rows, anyActivity: Number(activity.rows[0]?.n ?? 0) > 0 };
}
