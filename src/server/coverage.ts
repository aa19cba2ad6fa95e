import "server-only";
/**
 * What the coverage page and its CSV show (issue 13 item 1, US3.2.1): the workspace's conversations
 * per persona, emotional arc, tier, document category and scenario, and the persona × arc heatmap
 * with its gaps, for one status filter. Two queries (the counts and the names) run in parallel; the
 * shaping and the gap rule are src/core/dataset-coverage/coverage.ts.
 */
import { stringify } from "csv-stringify/sync";
import { COVERAGE_BUCKETS, coverageCsvRecords, shapeCoverage, type CoverageReport, type CoverageStatusFilter } from "../core/dataset-coverage/coverage";
import type { DbOrTx } from "./db/client";
import { listCoverageCounts, listCoverageLabels } from "./db/queries/coverage";
import { QUERY_KINDS } from "../lib/database-health";
import { timedQuery } from "./query-timing";

/** Loads the coverage report of a workspace for a status filter. Throws the database's errors. */
export async function loadCoverage({ db, workspaceId, status }: { db: DbOrTx; workspaceId: string; status: CoverageStatusFilter }): Promise<CoverageReport> {
  const [rows, labels] = await timedQuery({ db, kind: QUERY_KINDS.coverageReport, workspaceId }, () =>
    Promise.all([listCoverageCounts({ db, workspaceId }), listCoverageLabels({ db, workspaceId })]),
  );
  return shapeCoverage({ rows, labels, status });
}

/** The CSV's columns, in order: the dimension, its value (key, scenario id, category or "persona+arc"), its name, counts by status bucket, the total, the filter's count and the gap flag. */
export const COVERAGE_CSV_COLUMNS = ["dimension", "value", "label", "archived", ...COVERAGE_BUCKETS, "total", "count_in_view", "status_filter", "gap"] as const;

/**
 * The coverage report as CSV (RFC 4180 quoting by csv-stringify): a header of COVERAGE_CSV_COLUMNS,
 * then one row per persona, emotional arc, tier, document category and scenario, then one per
 * persona × arc cell. `archived` "yes"/"no"; `gap` "yes"/"no" on cells (fewer than 3 conversations
 * in view), empty on the other rows. A value that is "none" (no scenario, no category) is empty.
 */
export function coverageCsv(report: CoverageReport): string {
  const records = coverageCsvRecords(report).map((r) => [
    r.dimension,
    r.value,
    r.label,
    r.archived ? "yes" : "no",
    ...COVERAGE_BUCKETS.map((b) => r.counts[b]),
    r.counts.total,
    r.counts.inView,
    report.status,
    r.gap === null ? "" : r.gap ? "yes" : "no",
  ]);
  return stringify([[...COVERAGE_CSV_COLUMNS], ...records]);
}
