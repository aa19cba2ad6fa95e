import "server-only";
import { workspacePaths } from "../../lib/workspace-paths";
/**
 * The dashboard's exports (US5.1.1, US5.2.1): the export dialog's preview and export of an export
 * request (src/lib/export-request.ts; the same request `brightrun export` builds), its saved
 * presets, and the one-call "export approved" (exportApproved). Exports are written under
 * BRIGHTRUN_EXPORT_DIR, else `<cwd>/exports`, logged in export_logs with the user, and downloaded
 * through GET /api/export-downloads/:exportId (never by a path from the browser).
 */
import fs from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { AppError } from "../../core/errors";
import { exportFileStem } from "../../core/export/file-name";
import { splitJsonLines } from "../../core/export/json-lines";
import type { ExportFile } from "../../core/export/types";
import { previewRequestedExport, statusLabelFor, writeExport, writeRequestedExport } from "../../core/export/write-export";
import type { ExportFormat } from "../../lib/constants";
import type { ExportOutcome, exportInputSchema } from "../../lib/dashboard-contract";
import {
  deleteExportPresetInputSchema,
  EXPORT_PREVIEW_RECORDS,
  exportRequestSchema,
  exportSettingsSchema,
  saveExportPresetInputSchema,
  type ExportPresetView,
  type ExportPreviewView,
  type ExportRequestInput,
  type ExportRequestOutcome,
} from "../../lib/export-request";
import packageJson from "../../../package.json";
import type { Database } from "../db/client";
import { deleteExportPresetById, listExportPresets, upsertExportPresetByName } from "../db/queries/export-presets";
import { getExportLogByExportId } from "../db/queries/exports";
import type { ExportLogRow, ExportPresetRow } from "../db/schema";

/** Bright Run's version (package.json), for manifests. */
const SYSTEM_VERSION = (packageJson as { version: string }).version;

/** A workspace as export links need it: its id, and its slug for the download URL. */
export interface WorkspaceRef {
  id: string;
  slug: string;
}

/** Folder exports are written into: BRIGHTRUN_EXPORT_DIR (absolute, or relative to the working directory), else `<cwd>/exports`. */
export function exportDirectory(env: Record<string, string | undefined> = process.env): string {
  const configured = env.BRIGHTRUN_EXPORT_DIR?.trim();
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), configured || "exports");
}

/**
 * Where the browser downloads an export's data file, or with `fileName` another of its files
 * (`?file=<name>`: its manifest, dataset_info.json, README.md).
 */
export function exportDownloadUrl(workspaceSlug: string, exportId: string, fileName?: string): string {
  return workspacePaths(workspaceSlug).api.exportDownload(exportId, fileName);
}

/**
 * Exports the approved conversations in `format` (default openai).
 * @throws AppError "export_empty" when nothing is approved yet, "export_invalid" when a line would
 *   break the format's rules (nothing written).
 */
export async function exportApproved({
  db,
  workspace,
  input,
  userId,
  outDir = exportDirectory(),
}: {
  db: Database;
  /** The workspace exported from (its id and URL slug). */
  workspace: WorkspaceRef;
  input: z.output<typeof exportInputSchema>;
  userId: string;
  outDir?: string;
}): Promise<ExportOutcome> {
  const result = await writeExport({
    db,
    workspaceId: workspace.id,
    format: input.format as ExportFormat,
    filter: { status: ["approved"] },
    outDir,
    userId,
    systemVersion: SYSTEM_VERSION,
  });
  return {
    exportId: result.exportId,
    format: input.format,
    conversationCount: result.count,
    fileName: path.basename(result.dataPath),
    downloadUrl: exportDownloadUrl(workspace.slug, result.exportId),
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
export async function findExportDownload({
  db,
  workspaceId,
  exportId,
  fileName,
}: {
  db: Database;
  workspaceId: string;
  exportId: string;
  fileName?: string | null;
}): Promise<ExportDownload> {
  const row = exportId.length <= 200 ? await getExportLogByExportId({ db, workspaceId, exportId }) : null;
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

/** Pretty-printed JSON of one record line (the dialog shows the records as the file holds them, one per block, indented for reading). */
function previewRecordsOf(file: ExportFile, format: ExportFormat, count: number): string[] {
  if (format === "json") {
    const document = JSON.parse(file.content) as { conversations: unknown[] };
    return document.conversations.slice(0, count).map((entry) => JSON.stringify(entry, null, 2));
  }
  return splitJsonLines(file.content)
    .slice(0, count)
    .map((line) => line.text);
}

/**
 * What the export dialog shows for a request before anything is written (US5.1.1 "Export preview
 * dialog shows sample structure before download"; US5.2.1 "Exporting X conversations matching
 * current filters"): how many conversations the selection matches and how many will be written,
 * the statuses it takes, the default file stem, the files of the download, the first records of
 * the first data file exactly as the file will hold them (JSONL lines as written; for `json`, each
 * entry of the document), and the dataset checks' results.
 * Built by previewRequestedExport: the same selection rule, checks and serializer as the export.
 * @throws ZodError for an invalid request; AppError from the checks (unknown model, tokenizer missing).
 */
export async function previewExportRequest({
  db,
  workspaceId,
  input,
  now,
}: {
  db: Database;
  workspaceId: string;
  input: ExportRequestInput;
  now?: Date;
}): Promise<ExportPreviewView> {
  const request = exportRequestSchema.parse(input);
  const preview = await previewRequestedExport({ db, workspaceId, request, systemVersion: SYSTEM_VERSION, now });
  const statuses = preview.query.filter.status ?? ["approved"];
  const built = preview.built;
  if (!built) {
    return {
      selected: 0,
      written: 0,
      statuses,
      defaultFileStem: "",
      fileNames: [],
      previewFileName: "",
      previewRecords: [],
      checks: { duplicatesRemoved: null, duplicateGroups: null, train: null, validation: null, tokens: null, render: null, messages: [] },
    };
  }
  const { bundle, report } = built;
  const statusLabel = statusLabelFor(preview.query.filter, preview.query.search);
  const zipName = `${bundle.stem}.zip`;
  const tokens = report?.tokens ?? null;
  const render = report?.templateRender ?? null;
  const firstFailure = render?.failures[0];
  return {
    selected: preview.selected,
    written: built.written.length,
    statuses,
    defaultFileStem: exportFileStem({ date: now ?? new Date(), statusLabel, count: built.written.length }),
    fileNames: [zipName, ...bundle.files.map((file) => file.name)],
    previewFileName: bundle.dataFile.name,
    previewRecords: previewRecordsOf(bundle.dataFile, request.format, EXPORT_PREVIEW_RECORDS),
    checks: {
      duplicatesRemoved: report?.duplicates ? report.summary.droppedDuplicates : null,
      duplicateGroups: report?.duplicates ? report.duplicates.clusters.length : null,
      train: report?.summary.train ?? null,
      validation: report?.summary.validation ?? null,
      tokens: tokens
        ? {
            family: tokens.family,
            modelLabel: tokens.modelLabel,
            contextLength: tokens.contextLength,
            min: tokens.stats.min,
            median: tokens.stats.median,
            max: tokens.stats.max,
            overContext: tokens.overContextConversationIds.length,
            exactTokenizer: tokens.exactTokenizer,
          }
        : null,
      render: render
        ? {
            available: render.available,
            rendered: render.rendered,
            failed: render.failed,
            firstFailure: firstFailure ? `${firstFailure.conversationId}: ${firstFailure.problems.map((problem) => problem.text).join(" ")}` : null,
          }
        : null,
      messages: report?.summary.messages ?? [],
    },
  };
}

/**
 * The export dialog's Export (US5.1.1, US5.2.1; issue 12 item 5): carries out the request with
 * `writeRequestedExport` (selection rule, checks, split files, manifest) and always one ZIP of every
 * file, written under BRIGHTRUN_EXPORT_DIR (else `<cwd>/exports`) in the export's own folder,
 * logged in export_logs with the user, and downloaded through GET /api/export-downloads/:exportId?file=<zip>.
 * @throws ZodError for an invalid request; AppError "export_empty" when nothing is left to export,
 *   "export_invalid", and the dataset checks' errors.
 */
export async function exportRequested({
  db,
  workspace,
  input,
  userId,
  outDir = exportDirectory(),
  now,
}: {
  db: Database;
  workspace: WorkspaceRef;
  input: ExportRequestInput;
  userId: string;
  outDir?: string;
  now?: Date;
}): Promise<ExportRequestOutcome> {
  const request = { ...exportRequestSchema.parse(input), zip: true };
  const result = await writeRequestedExport({ db, workspaceId: workspace.id, request, outDir, userId, systemVersion: SYSTEM_VERSION, now });
  const fileName = path.basename(result.archivePath ?? result.dataPath);
  return {
    exportId: result.exportId,
    format: request.format,
    conversationCount: result.count,
    allApproved: result.manifest.by_status.approved === result.count,
    fileName,
    downloadUrl: exportDownloadUrl(workspace.slug, result.exportId, fileName),
    train: result.report?.summary.train ?? null,
    validation: result.report?.summary.validation ?? null,
    duplicatesRemoved: result.report?.summary.droppedDuplicates ?? 0,
    renderFailures: result.report?.summary.renderFailures ?? null,
  };
}

/** A stored preset as the dialog lists it; a row whose settings no longer validate is left out and logged, never shown half-read. */
function toPresetView(row: ExportPresetRow): ExportPresetView | null {
  const settings = exportSettingsSchema.safeParse(row.settings);
  if (!settings.success) {
    console.warn(`[brightrun] export preset "${row.name}" (${row.id}) has settings this version cannot read; it is not offered.`, settings.error.issues[0]);
    return null;
  }
  return { id: row.id, name: row.name, settings: settings.data, createdBy: row.createdBy, updatedAt: row.updatedAt.toISOString() };
}

/** The saved export presets, by name. */
export async function listExportPresetViews({ db, workspaceId }: { db: Database; workspaceId: string }): Promise<ExportPresetView[]> {
  return (await listExportPresets({ db, workspaceId })).map(toPresetView).filter((view): view is ExportPresetView => view !== null);
}

/**
 * Saves the dialog's current settings as a preset under a name (a preset of the same name is
 * replaced). Returns the saved preset.
 * @throws ZodError for an empty or too long name or invalid settings.
 */
export async function saveExportPreset({
  db,
  workspaceId,
  input,
  userId,
}: {
  db: Database;
  workspaceId: string;
  input: z.input<typeof saveExportPresetInputSchema>;
  userId: string;
}): Promise<ExportPresetView> {
  const parsed = saveExportPresetInputSchema.parse(input);
  const row = await upsertExportPresetByName({ db, workspaceId, values: { name: parsed.name, settings: parsed.settings as unknown as Record<string, unknown>, createdBy: userId } });
  return toPresetView(row) as ExportPresetView;
}

/**
 * Deletes a saved preset.
 * @throws AppError "export_preset_not_found" when there is no preset with that id.
 */
export async function deleteExportPreset({
  db,
  workspaceId,
  input,
}: {
  db: Database;
  workspaceId: string;
  input: z.input<typeof deleteExportPresetInputSchema>;
}): Promise<void> {
  const { id } = deleteExportPresetInputSchema.parse(input);
  if (!(await deleteExportPresetById({ db, workspaceId, id }))) {
    throw new AppError("export_preset_not_found", "That preset no longer exists; someone may have deleted it already.", { detail: { id } });
  }
}
