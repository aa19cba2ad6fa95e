import "server-only";
/**
 * The retention job's writes (issue 13 item 6; docs/retention.md). This module is the ONLY place
 * that deletes or updates rows of the append-only audit tables (tests/unit/audit-append-only.test.ts
 * allows it and no other file): generation_logs and export_logs rows older than their workspace's
 * window are deleted, and payloads older than the payload window are set to null while the row's
 * figures (tokens, cost, duration, error) stay. Review history is never touched. Each function is one
 * statement, scoped to one workspace (query_timings also has installation-wide rows).
 */
import { and, eq, isNotNull, isNull, lt, or } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { exportLogs, generationLogs, queryTimings } from "../schema";

/**
 * Deletes the workspace's generation_logs rows created before `before`.
 * @returns how many rows were deleted
 */
export async function deleteGenerationLogsBefore({ db, workspaceId, before }: { db: DbOrTx; workspaceId: string; before: Date }): Promise<number> {
  const rows = await db
    .delete(generationLogs)
    .where(and(eq(generationLogs.workspaceId, workspaceId), lt(generationLogs.createdAt, before)))
    .returning({ id: generationLogs.id });
  return rows.length;
}

/**
 * Drops the request and response payloads of the workspace's generation_logs rows created before
 * `before` that still hold one: both set to null and payloads_dropped_at set to `droppedAt`. Tokens,
 * cost, duration, error and parameters stay.
 * @returns how many rows lost their payloads
 */
export async function dropGenerationLogPayloadsBefore({
  db,
  workspaceId,
  before,
  droppedAt,
}: {
  db: DbOrTx;
  workspaceId: string;
  before: Date;
  droppedAt: Date;
}): Promise<number> {
  const rows = await db
    .update(generationLogs)
    .set({ requestPayload: null, responsePayload: null, payloadsDroppedAt: droppedAt })
    .where(
      and(
        eq(generationLogs.workspaceId, workspaceId),
        lt(generationLogs.createdAt, before),
        isNull(generationLogs.payloadsDroppedAt),
        or(isNotNull(generationLogs.requestPayload), isNotNull(generationLogs.responsePayload)),
      ),
    )
    .returning({ id: generationLogs.id });
  return rows.length;
}

/**
 * Deletes the workspace's export_logs rows exported before `before`.
 * @returns the deleted rows' export ids and data file paths (the caller removes their folders)
 */
export async function deleteExportLogsBefore({
  db,
  workspaceId,
  before,
}: {
  db: DbOrTx;
  workspaceId: string;
  before: Date;
}): Promise<Array<{ exportId: string; filePath: string }>> {
  return db
    .delete(exportLogs)
    .where(and(eq(exportLogs.workspaceId, workspaceId), lt(exportLogs.exportedAt, before)))
    .returning({ exportId: exportLogs.exportId, filePath: exportLogs.filePath });
}

/**
 * Deletes query timings recorded before `before`: the workspace's, or with `workspaceId: null` the
 * installation-wide ones (recorded for no workspace).
 * @returns how many rows were deleted
 */
export async function deleteQueryTimingsBefore({ db, workspaceId, before }: { db: DbOrTx; workspaceId: string | null; before: Date }): Promise<number> {
  const rows = await db
    .delete(queryTimings)
    .where(and(lt(queryTimings.recordedAt, before), workspaceId === null ? isNull(queryTimings.workspaceId) : eq(queryTimings.workspaceId, workspaceId)))
    .returning({ id: queryTimings.id });
  return rows.length;
}
