import "server-only";
/**
 * What the database health page shows (issue 13 item 7; US9.1.2, US12.2.2; docs/database-health.md):
 * - the workspace's query kinds over a window with count, p50, p95 and max (ms), slowest p95 first,
 *   from the timings the app records around its own queries (src/server/query-timing.ts);
 * - its queries over SLOW_QUERY_MS (500 ms) in the window;
 * - an alert when the conversations table's list query has a p95 over 500 ms;
 * - the installation's tables (size on disk, rows) and, on PostgreSQL, index usage from
 *   pg_stat_user_indexes. PGlite has the statistics views but never fills them (every counter stays
 *   at zero in its single-user mode), so there the page says index usage is not available.
 */
import { HEALTH_WINDOWS, QUERY_KINDS, SLOW_QUERY_MS, type HealthWindow } from "../lib/database-health";
import type { DatabaseHandle } from "./db/client";
import { listIndexUsage, listSlowQueryTimings, listTableSizes, summarizeQueryTimings, type IndexUsage, type QueryKindSummary, type TableSize } from "./db/queries/database-health";
import { timedQuery } from "./query-timing";

export interface DatabaseHealthView {
  database: "PGlite (embedded)" | "PostgreSQL";
  window: HealthWindow;
  /** ISO 8601: the window's start. */
  since: string;
  slowMs: number;
  kinds: QueryKindSummary[];
  /** Queries over slowMs in the window, newest first (at most 50); `slowTotal` counts them all. */
  slow: Array<{ kind: string; durationMs: number; recordedAt: string }>;
  slowTotal: number;
  /** Set when the conversations list query's p95 in the window is over slowMs. */
  listAlert: { p95Ms: number; count: number } | null;
  tables: TableSize[];
  indexes: { available: true; rows: IndexUsage[] } | { available: false; reason: string; rows: IndexUsage[] };
}

/**
 * Loads the page for one workspace and window. The page's own queries are timed too ("health.page").
 * @param options.now the window's end (default now)
 * @throws the database's errors
 */
export async function loadDatabaseHealth({ handle, workspaceId, window, now = new Date() }: { handle: DatabaseHandle; workspaceId: string; window: HealthWindow; now?: Date }): Promise<DatabaseHealthView> {
  const { db } = handle;
  const since = new Date(now.getTime() - HEALTH_WINDOWS[window] * 60 * 60 * 1000);
  const [kinds, slow, tables, indexUsage] = await timedQuery({ db, kind: QUERY_KINDS.healthPage, workspaceId }, () =>
    Promise.all([
      summarizeQueryTimings({ db, workspaceId, since, slowMs: SLOW_QUERY_MS }),
      listSlowQueryTimings({ db, workspaceId, since, slowMs: SLOW_QUERY_MS }),
      listTableSizes({ db }),
      listIndexUsage({ db }),
    ]),
  );
  const list = kinds.find((k) => k.kind === QUERY_KINDS.conversationsList);
  const indexes: DatabaseHealthView["indexes"] =
    handle.kind === "pglite"
      ? {
          available: false,
          reason:
            "The embedded database (PGlite) has PostgreSQL's statistics views but never fills them: every index scan counter stays at zero. Index usage is shown with PostgreSQL (DATABASE_URL).",
          rows: indexUsage.rows,
        }
      : indexUsage.anyActivity
        ? { available: true, rows: indexUsage.rows }
        : {
            available: false,
            reason: "PostgreSQL's statistics collector has recorded no activity in this schema yet (statistics were reset, or track_counts is off).",
            rows: indexUsage.rows,
          };
  return {
    database: handle.kind === "pglite" ? "PGlite (embedded)" : "PostgreSQL",
    window,
    since: since.toISOString(),
    slowMs: SLOW_QUERY_MS,
    kinds,
    slow: slow.map((s) => ({ kind: s.kind, durationMs: s.durationMs, recordedAt: s.recordedAt.toISOString() })),
    slowTotal: kinds.reduce((sum, k) => sum + k.slowCount, 0),
    listAlert: list && list.p95Ms > SLOW_QUERY_MS ? { p95Ms: list.p95Ms, count: list.count } : null,
    tables,
    indexes,
  };
}
