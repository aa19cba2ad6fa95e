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
import type { ExportLogRow } from "../db/schema";

/** Folder exports are written into: BRIGHTRUN_EXPORT_DIR (absolute, or relative to the working directory), else `<cwd>/exports`. */
export function exportDirectory(env: Record<string, string | undefined> = process.env): string {
  const configured = env.BRIGHTRUN_EXPORT_DIR?.trim();
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), configured || "exports");
}

/**
 * Where the browser downloads an export's data file, or with `fileName` another of its files
 * (`?file=<name>`: its manifest, dataset_info.json, README.md).
 */
export function exportDownloadUrl(exportId: string, fileName?: string): string {
  const url = `/api/export-downloads/${encodeURIComponent(exportId)}`;
  return fileName ? `${url}?file=${encodeURIComponent(fileName)}` : url;
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

/** Content types of export files, by extension. */
const CONTENT_TYPES: Record<string, string> = {
  ".jsonl": "application/jsonl; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".zip": "application/zip",
};

export interface ExportDownload {
  fileName: string;
  contentType: string;
  /** Bytes. */
  size: number;
  /** Absolute path of the file, inside the export's own folder. */
  filePath: string;
}

/**
 * The names of an export's files, from what export_logs recorded when it was written: the
 * manifest's `files` (data files first, then any companions), the manifest itself
 * (`<file_stem>-manifest.json`; for manifests before version 2, the data file's name without its
 * extension + "-manifest.json") and the ZIP the manifest names in `archive`, if any.
 */
function exportFileNames(row: ExportLogRow): { dataFile: string; manifestFile: string; archiveFile: string | null; all: string[] } {
  const dataFile = path.basename(row.filePath);
  const stem = typeof row.metadata.file_stem === "string" ? row.metadata.file_stem : dataFile.replace(/\.jsonl?$/, "");
  const manifestFile = `${stem}-manifest.json`;
  const archiveFile = typeof row.metadata.archive === "string" ? row.metadata.archive : null;
  const listed = Array.isArray(row.metadata.files) ? (row.metadata.files as Array<{ name?: unknown }>).map((f) => f.name).filter((n): n is string => typeof n === "string") : [];
  const all = [...new Set([dataFile, ...listed, manifestFile, ...(archiveFile ? [archiveFile] : [])])];
  return { dataFile, manifestFile, archiveFile, all };
}

/**
 * Checks that the folder export_logs points at still holds this export: its manifest names this
 * export id (or, for an export written before each export had its own folder, this export's
 * `exported_at`, which tells whether a later export with the same name replaced its files).
 * @throws AppError "export_not_found" when the manifest is gone, unreadable or another export's.
 */
async function assertFolderHoldsExport(row: ExportLogRow, manifestPath: string): Promise<void> {
  let onDisk: { export_id?: unknown; exported_at?: unknown };
  try {
    onDisk = JSON.parse(await fs.promises.readFile(manifestPath, "utf8")) as typeof onDisk;
  } catch {
    throw new AppError("export_not_found", `The files of this export are gone (they were moved or deleted from ${path.dirname(manifestPath)}). Export again.`, {
      detail: { exportId: row.exportId, manifestPath },
    });
  }
  const same = typeof onDisk.export_id === "string" ? onDisk.export_id === row.exportId : onDisk.exported_at === row.exportedAt.toISOString();
  if (!same) {
    throw new AppError(
      "export_not_found",
      "The files of this export were replaced by a later export with the same name (it was made before each export got its own folder). Export again to download it.",
      { detail: { exportId: row.exportId, manifestPath, foundExportId: onDisk.export_id ?? null, foundExportedAt: onDisk.exported_at ?? null } },
    );
  }
}

/**
 * Finds one file of an export by export id, as recorded in export_logs (no path ever comes from
 * the request): the data file by default, or `fileName`, which must be one of that export's own
 * files (its manifest, `dataset_info.json` of a ShareGPT export, `README.md` of a Hugging Face
 * export). The export's folder is checked to still hold this export, so a download serves exactly
 * the files of its export or nothing.
 * @throws AppError "export_not_found" (HTTP 404) for an unknown id, a file name that is not one of
 *   the export's files, or files that were moved, deleted or replaced.
 */
export async function findExportDownload({ db, exportId, fileName }: { db: Database; exportId: string; fileName?: string | null }): Promise<ExportDownload> {
  const row = exportId.length <= 200 ? await getExportLogByExportId({ db, exportId }) : null;
  if (!row) throw new AppError("export_not_found", "There is no such export. Export again from the conversations page.");
  const names = exportFileNames(row);
  const wanted = fileName ?? names.dataFile;
  if (!names.all.includes(wanted)) {
    throw new AppError("export_not_found", `This export has no file named "${wanted.slice(0, 200)}". Its files are ${names.all.join(", ")}.`, {
      detail: { exportId, fileName: wanted.slice(0, 200) },
    });
  }
  const dir = path.dirname(row.filePath);
  await assertFolderHoldsExport(row, path.join(dir, names.manifestFile));
  const filePath = path.join(dir, wanted);
  let size: number;
  try {
    const stat = await fs.promises.stat(filePath);
    if (!stat.isFile()) throw new Error("not a file");
    size = stat.size;
  } catch {
    throw new AppError("export_not_found", `The file ${wanted} of this export is gone (it was moved or deleted from ${dir}). Export again.`, {
      detail: { exportId, filePath },
    });
  }
  return { fileName: wanted, contentType: CONTENT_TYPES[path.extname(wanted).toLowerCase()] ?? "application/octet-stream", size, filePath };
}
