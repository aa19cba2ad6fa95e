/**
 * Enforces a workspace's retention settings once (issue 13 item 6; docs/retention.md). The one
 * function the scheduled pg-boss job (src/server/jobs/retention-job.ts) and `brightrun retention run`
 * both call. Per workspace, in one transaction:
 * 1. generation_logs rows older than generation_log_retention_days are deleted;
 * 2. payloads of the remaining rows older than payload_retention_days are dropped (set to null,
 *    payloads_dropped_at set), their figures kept;
 * 3. export_logs rows older than export_retention_days are deleted;
 * 4. query_timings older than QUERY_TIMING_RETENTION_DAYS are deleted.
 * After the transaction commits, the deleted exports' folders are removed from disk (a folder that
 * is already gone is not an error). review_logs are never deleted.
 */
import fs from "node:fs";
import path from "node:path";
import type { Database } from "../../server/db/client";
import { deleteExportLogsBefore, deleteGenerationLogsBefore, deleteQueryTimingsBefore, dropGenerationLogPayloadsBefore } from "../../server/db/queries/retention";
import { getWorkspace, listWorkspaces } from "../../server/db/queries/workspace";
import { AppError } from "../errors";
import { DEFAULT_RETENTION, QUERY_TIMING_RETENTION_DAYS, retentionCutoffs, retentionSettingsOf, type RetentionCutoffs, type RetentionSettings } from "./retention-policy";

/** What one workspace's retention pass removed. */
export interface RetentionOutcome {
  workspaceId: string;
  workspaceSlug: string;
  settings: RetentionSettings;
  cutoffs: RetentionCutoffs;
  generationLogsDeleted: number;
  payloadsDropped: number;
  exportLogsDeleted: number;
  /** Export folders removed from disk (absolute paths). */
  exportFoldersRemoved: string[];
  /** Export folders that could not be removed, with the reason (the rows are gone either way). */
  exportFolderProblems: Array<{ path: string; reason: string }>;
  queryTimingsDeleted: number;
}

/**
 * The folder an export wrote (its data file's folder) when that folder is the export's own
 * (`<stem>-<format>-<exportId>`, src/core/export/file-name.ts); else just the data file, so
 * retention never removes a folder that holds other exports.
 */
export function exportPathToRemove(row: { exportId: string; filePath: string }): string {
  const folder = path.dirname(row.filePath);
  return path.basename(folder).endsWith(`-${row.exportId}`) ? folder : row.filePath;
}

/**
 * Runs one retention pass over one workspace.
 * @param options.now the instant the windows are measured from (default: now)
 * @throws AppError "workspace_not_found"; the database's errors (nothing is deleted then)
 */
export async function enforceWorkspaceRetention({ db, workspaceId, now = new Date() }: { db: Database; workspaceId: string; now?: Date }): Promise<RetentionOutcome> {
  const workspace = await getWorkspace({ db, workspaceId });
  if (!workspace) throw new AppError("workspace_not_found", "That workspace no longer exists, so there is nothing to clean up.");
  const settings = retentionSettingsOf(workspace);
  const cutoffs = retentionCutoffs(settings, now);
  const counts = await db.transaction(async (tx) => {
    const generationLogsDeleted = await deleteGenerationLogsBefore({ db: tx, workspaceId, before: cutoffs.generationLogsBefore });
    const payloadsDropped = cutoffs.payloadsBefore
      ? await dropGenerationLogPayloadsBefore({ db: tx, workspaceId, before: cutoffs.payloadsBefore, droppedAt: now })
      : 0;
    const exports = await deleteExportLogsBefore({ db: tx, workspaceId, before: cutoffs.exportsBefore });
    const queryTimingsDeleted = await deleteQueryTimingsBefore({ db: tx, workspaceId, before: cutoffs.queryTimingsBefore });
    return { generationLogsDeleted, payloadsDropped, exports, queryTimingsDeleted };
  });
  const exportFoldersRemoved: string[] = [];
  const exportFolderProblems: Array<{ path: string; reason: string }> = [];
  for (const row of counts.exports) {
    const target = exportPathToRemove(row);
    try {
      if (fs.existsSync(target)) {
        fs.rmSync(target, { recursive: true, force: true });
        exportFoldersRemoved.push(target);
      }
    } catch (error) {
      exportFolderProblems.push({ path: target, reason: (error as Error).message });
    }
  }
  return {
    workspaceId,
    workspaceSlug: workspace.slug,
    settings,
    cutoffs,
    generationLogsDeleted: counts.generationLogsDeleted,
    payloadsDropped: counts.payloadsDropped,
    exportLogsDeleted: counts.exports.length,
    exportFoldersRemoved,
    exportFolderProblems,
    queryTimingsDeleted: counts.queryTimingsDeleted,
  };
}

/** A workspace whose retention pass failed: the others still ran. */
export interface RetentionFailure {
  workspaceSlug: string;
  message: string;
}

/**
 * Runs one retention pass over every workspace (archived ones too: their logs age like any other),
 * then prunes installation-wide query timings (no workspace) past QUERY_TIMING_RETENTION_DAYS. A
 * workspace whose pass fails (its transaction rolls back) is reported in `failures` and the others
 * still run, so one bad workspace never stops the rest.
 * @returns one outcome per workspace done, the failures, and the installation-wide timings deleted
 * @throws the database's errors when the workspaces cannot be listed or the timings not pruned
 */
export async function enforceRetention({
  db,
  now = new Date(),
}: {
  db: Database;
  now?: Date;
}): Promise<{ workspaces: RetentionOutcome[]; failures: RetentionFailure[]; installationQueryTimingsDeleted: number }> {
  const outcomes: RetentionOutcome[] = [];
  const failures: RetentionFailure[] = [];
  for (const workspace of await listWorkspaces({ db })) {
    try {
      outcomes.push(await enforceWorkspaceRetention({ db, workspaceId: workspace.id, now }));
    } catch (error) {
      failures.push({ workspaceSlug: workspace.slug, message: error instanceof Error ? error.message : String(error) });
    }
  }
  const installationQueryTimingsDeleted = await deleteQueryTimingsBefore({ db, workspaceId: null, before: retentionCutoffs(DEFAULT_RETENTION, now).queryTimingsBefore });
  return { workspaces: outcomes, failures, installationQueryTimingsDeleted };
}

/** The line the CLI and the job's log print for a failed workspace, saying what to do. */
export function describeRetentionFailure(failure: RetentionFailure): string {
  return `${failure.workspaceSlug}: retention could not run (${failure.message}); nothing of this workspace was removed. Run \`brightrun retention run --workspace ${failure.workspaceSlug}\` to try again and see the error.`;
}

/** One line per thing removed, for the CLI and the job's log ("nothing to remove" when nothing was). */
export function describeRetentionOutcome(outcome: RetentionOutcome): string {
  const s = outcome.settings;
  const parts = [
    `${outcome.generationLogsDeleted} generation log ${outcome.generationLogsDeleted === 1 ? "row" : "rows"} older than ${s.generationLogRetentionDays} days deleted`,
    s.payloadRetentionDays === null
      ? "payloads kept (no payload window)"
      : `${outcome.payloadsDropped} ${outcome.payloadsDropped === 1 ? "call's" : "calls'"} payloads older than ${s.payloadRetentionDays} days dropped`,
    `${outcome.exportLogsDeleted} ${outcome.exportLogsDeleted === 1 ? "export" : "exports"} older than ${s.exportRetentionDays} days deleted (${outcome.exportFoldersRemoved.length} ${outcome.exportFoldersRemoved.length === 1 ? "folder" : "folders"} removed from disk)`,
    `${outcome.queryTimingsDeleted} query ${outcome.queryTimingsDeleted === 1 ? "timing" : "timings"} older than ${QUERY_TIMING_RETENTION_DAYS} days deleted`,
  ];
  const problems = outcome.exportFolderProblems.map((p) => `could not remove ${p.path}: ${p.reason}`);
  return [`${outcome.workspaceSlug}: ${parts.join("; ")}.`, ...problems].join("\n");
}
