import "server-only";
/**
 * The dashboard's "Export approved" (US5.1.1): the same export as `brightrun export --format F`
 * (approved conversations, seeds included as the CLI's export includes them), written under
 * BRIGHTRUN_EXPORT_DIR, else `<cwd>/exports`, logged in export_logs with the user, and downloaded
 * through GET /api/export-downloads/:exportId (never by a path from the browser).
 */
import fs from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { AppError } from "../../core/errors";
import { writeExport } from "../../core/export/write-export";
import type { ExportFormat } from "../../lib/constants";
import type { ExportOutcome, exportInputSchema } from "../../lib/dashboard-contract";
import packageJson from "../../../package.json";
import type { Database } from "../db/client";
import { getExportLogByExportId } from "../db/queries/exports";

/** Folder exports are written into: BRIGHTRUN_EXPORT_DIR (absolute, or relative to the working directory), else `<cwd>/exports`. */
export function exportDirectory(env: Record<string, string | undefined> = process.env): string {
  const configured = env.BRIGHTRUN_EXPORT_DIR?.trim();
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), configured || "exports");
}

/** Where the browser downloads an export's data file. */
export function exportDownloadUrl(exportId: string): string {
  return `/api/export-downloads/${encodeURIComponent(exportId)}`;
}

/**
 * Exports the approved conversations in `format` (default openai).
 * @throws AppError "export_empty" when nothing is approved yet, "export_invalid" when a line would
 *   break the format's rules (nothing written).
 */
export async function exportApproved({
  db,
  input,
  userId,
  outDir = exportDirectory(),
}: {
  db: Database;
  input: z.output<typeof exportInputSchema>;
  userId: string;
  outDir?: string;
}): Promise<ExportOutcome> {
  const result = await writeExport({
    db,
    format: input.format as ExportFormat,
    filter: { status: ["approved"] },
    outDir,
    userId,
    systemVersion: (packageJson as { version: string }).version,
  });
  return {
    exportId: result.exportId,
    format: input.format,
    conversationCount: result.count,
    fileName: path.basename(result.dataPath),
    downloadUrl: exportDownloadUrl(result.exportId),
  };
}

/** Content types of export data files, by extension. */
const CONTENT_TYPES: Record<string, string> = {
  ".jsonl": "application/jsonl; charset=utf-8",
  ".json": "application/json; charset=utf-8",
};

export interface ExportDownload {
  fileName: string;
  contentType: string;
  /** Bytes. */
  size: number;
  /** Absolute path of the data file, as recorded in export_logs. */
  filePath: string;
}

/**
 * Finds an export's data file by export id, as recorded in export_logs (the path never comes
 * from the request).
 * @throws AppError "export_not_found" (HTTP 404) for an unknown id, or when the file was moved or deleted.
 */
export async function findExportDownload({ db, exportId }: { db: Database; exportId: string }): Promise<ExportDownload> {
  const row = exportId.length <= 200 ? await getExportLogByExportId({ db, exportId }) : null;
  if (!row) throw new AppError("export_not_found", "There is no such export. Export again from the conversations page.");
  let size: number;
  try {
    const stat = await fs.promises.stat(row.filePath);
    if (!stat.isFile()) throw new Error("not a file");
    size = stat.size;
  } catch {
    throw new AppError("export_not_found", `The file of this export is gone (it was moved or deleted from ${path.dirname(row.filePath)}). Export again.`, {
      detail: { exportId, filePath: row.filePath },
    });
  }
  const fileName = path.basename(row.filePath);
  return { fileName, contentType: CONTENT_TYPES[path.extname(fileName).toLowerCase()] ?? "application/octet-stream", size, filePath: row.filePath };
}
