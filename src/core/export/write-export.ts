/**
 * Export end to end: select conversations (approved by default, or any filter and search), run
 * the dataset checks asked for, serialise and validate them in the chosen format, write the data
 * file(s), their companions, the manifest and optionally one ZIP of them all into
 * `<outDir>/<stem>-<format>-<exportId>/` (one folder per export, never shared), and record one
 * export_logs row. `previewRequestedExport` builds the same files without writing them.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { ExportFormat } from "../../lib/constants";
import { normalizeFilter, type ConversationFilter } from "../../lib/conversation-filter";
import type { Database } from "../../server/db/client";
import { listConversationsWithTurns } from "../../server/db/queries/conversations";
import { insertExportLog } from "../../server/db/queries/exports";
import type { ExportConversation } from "../types";
import { DEDUP_THRESHOLD, type ExportRequest, type ExportSettings } from "../../lib/export-request";
import type { DatasetCheckReport } from "./dataset-checks";
import { buildRequestedExport, exportSelectionQuery, type BuiltExport, type ExportSelectionQuery } from "./export-request";
import { exportFolderName } from "./file-name";
import type { ExportManifest } from "./manifest";

export interface WriteExportResult {
  /** export_logs.export_id (a UUID); also the end of the folder's name and the manifest's `export_id`. */
  exportId: string;
  /** Absolute path of the export's own folder. */
  dir: string;
  /** Absolute path of the (first) data file: the training file of a split. */
  dataPath: string;
  /** Every data file, absolute: one, or the training and validation files. */
  dataPaths: string[];
  manifestPath: string;
  /** Absolute path of `<stem>.zip`, or null when no ZIP was asked for. */
  archivePath: string | null;
  /** Every file written, absolute (the ZIP last). */
  paths: string[];
  /** Conversations the selection matched. */
  selected: number;
  /** Conversations written (after duplicates were left out). */
  count: number;
  manifest: ExportManifest;
  /** The dataset checks' full report, or null when none ran. */
  report: DatasetCheckReport | null;
}

/** "approved" for the default, the single status when one is filtered on (and no search), else "filtered"; "all" for no filter at all. */
export function statusLabelFor(filter: ConversationFilter, search = ""): string {
  const keys = Object.keys(normalizeFilter(filter));
  if (search.trim()) return "filtered";
  if (keys.length === 1 && filter.status?.length === 1) return filter.status[0];
  if (keys.length === 0) return "all";
  return "filtered";
}

/** Maps a row of `listConversationsWithTurns` to the exporters' shape (display names, not keys). */
export function toExportConversation(row: Awaited<ReturnType<typeof listConversationsWithTurns>>[number]): ExportConversation {
  const c = row.conversation;
  return {
    conversationId: c.conversationId,
    title: c.title,
    tier: c.tier,
    status: c.status,
    isSeed: c.isSeed,
    persona: row.personaName,
    emotion: row.emotionName,
    topic: row.topicName,
    intent: row.intentName,
    tone: row.toneName,
    sourceCategory: c.sourceCategory,
    sourceDocument: row.documentKey,
    chunkKey: row.chunkKey,
    qualityScore: c.qualityScore,
    systemPrompt: c.systemPrompt,
    turns: row.turns,
    provider: c.provider,
    model: c.model,
    createdAt: c.createdAt,
    generatedAt: c.generatedAt,
    reviewedAt: c.reviewedAt,
    reviewerId: c.reviewerId,
    reviewerNotes: c.reviewerNotes,
    metadata: {
      ...c.metadata,
      persona_key: c.persona,
      emotion_key: c.emotion,
      topic_key: c.topic,
      intent_key: c.intent,
      tone_key: c.tone,
      template_version: c.templateVersion,
      edge_case_category: c.edgeCaseCategory,
      outcome_key: c.outcome,
      outcome: row.outcomeName,
      cost_usd: c.costUsd,
      input_tokens: c.inputTokens,
      output_tokens: c.outputTokens,
    },
  };
}

/** What `writeExport` may do besides writing one data file: the request's checks, file stem and ZIP. */
export interface WriteExportExtras {
  /** Duplicates (off by default), split (none by default) and target model checks (none by default). */
  dedup?: ExportSettings["dedup"];
  split?: ExportSettings["split"];
  target?: ExportSettings["target"];
  /** The files' shared stem (checked against FILE_STEM_PATTERN by the request schema); absent: the descriptive default. */
  fileStem?: string | null;
  /** Also write `<stem>.zip` holding every file (the web's download). */
  zip?: boolean;
}

/**
 * Writes an export into a folder of its own and records it in export_logs.
 *
 * The files are written into a hidden temporary folder beside the final one, which is then
 * renamed into place, so a crash never leaves a half-written export under the final name; if
 * recording the export_logs row fails, the folder is removed again. With checks (`dedup`,
 * `split`, `target`) they run first (buildRequestedExport): duplicates are left out, a split gives
 * `<stem>-train.<ext>` and `<stem>-validation.<ext>`, and the manifest's `dataset_checks` records
 * what was found. With `zip`, `<stem>.zip` holds every file, manifest included; the export_logs
 * row's manifest (`metadata.archive`) names it so the download route can serve it.
 *
 * @param filter which conversations, as given (status included); default `{ status: ["approved"] }`
 *   (US5.1.1: approved only). Callers with an export request use `writeRequestedExport`, which
 *   applies the selection rule (exportSelectionQuery).
 * @param search the table's search text (conversation id, title, taxonomy names); "" for none.
 * @param outDir folder for exports; files go to `<outDir>/<stem>-<format>-<exportId>/`.
 * @param systemVersion Bright Run's version for the manifest.
 * @throws AppError "export_empty" when nothing matches, "export_invalid" when a line would break
 *   the format's rules (nothing written), and the dataset checks' errors (see buildRequestedExport).
 */
export async function writeExport(
  options: {
    db: Database;
    /** The workspace whose conversations are exported. */
    workspaceId: string;
    format: ExportFormat;
    filter?: ConversationFilter;
    search?: string;
    outDir: string;
    userId: string;
    systemVersion: string;
    now?: Date;
  } & WriteExportExtras,
): Promise<WriteExportResult> {
  const filter = normalizeFilter(options.filter ?? { status: ["approved"] });
  const search = options.search?.trim() ?? "";
  const exportedAt = options.now ?? new Date();
  const exportId = randomUUID();
  const rows = await listConversationsWithTurns({ db: options.db, workspaceId: options.workspaceId, filter, search });
  const conversations = rows.map(toExportConversation);
  const statusLabel = statusLabelFor(filter, search);
  const filterState: Record<string, unknown> = search ? { ...filter, search } : { ...filter };
  const { bundle, report, written, archive } = await buildRequestedExport({
    conversations,
    settings: {
      format: options.format,
      dedup: options.dedup ?? { enabled: false, threshold: DEDUP_THRESHOLD.default },
      split: options.split ?? null,
      target: options.target ?? null,
      fileStem: options.fileStem,
      zip: options.zip,
    },
    exportId,
    exportedAt,
    statusLabel,
    filterState,
    systemVersion: options.systemVersion,
  });
  const dir = path.resolve(options.outDir, exportFolderName({ stem: bundle.stem, format: options.format, exportId }));
  const temp = path.join(path.dirname(dir), `.${path.basename(dir)}.tmp`);
  fs.mkdirSync(temp, { recursive: true });
  try {
    for (const file of bundle.files) fs.writeFileSync(path.join(temp, file.name), file.content, "utf8");
    if (archive) fs.writeFileSync(path.join(temp, archive.name), archive.bytes);
    fs.renameSync(temp, dir);
  } catch (error) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  const paths = bundle.files.map((file) => path.join(dir, file.name));
  const dataPath = path.join(dir, bundle.dataFile.name);
  const manifestPath = path.join(dir, bundle.manifestFile.name);
  const archivePath = archive ? path.join(dir, archive.name) : null;
  if (archivePath) paths.push(archivePath);
  try {
    await insertExportLog({
      db: options.db,
      values: {
        workspaceId: options.workspaceId,
        exportId,
        userId: options.userId,
        conversationCount: written.length,
        filterState,
        format: options.format,
        filePath: dataPath,
        exportedAt,
        metadata: bundle.manifest as unknown as Record<string, unknown>,
      },
    });
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    exportId,
    dir,
    dataPath,
    dataPaths: bundle.dataFiles.map((file) => path.join(dir, file.name)),
    manifestPath,
    archivePath,
    paths,
    selected: conversations.length,
    count: written.length,
    manifest: bundle.manifest,
    report,
  };
}

/**
 * Carries out an export request (src/lib/export-request.ts) as the dialog and the CLI send it:
 * the selection through the one rule (exportSelectionQuery: no status named means approved),
 * then `writeExport` with its checks, file stem and ZIP. Returns writeExport's result plus
 * whether the status was narrowed to approved by the rule. Throws like writeExport.
 */
export async function writeRequestedExport(options: {
  db: Database;
  workspaceId: string;
  request: ExportRequest;
  outDir: string;
  userId: string;
  systemVersion: string;
  now?: Date;
}): Promise<WriteExportResult & { approvedByRule: boolean }> {
  const { request } = options;
  const query = exportSelectionQuery(request.selection);
  const result = await writeExport({
    db: options.db,
    workspaceId: options.workspaceId,
    format: request.format,
    filter: query.filter,
    search: query.search,
    outDir: options.outDir,
    userId: options.userId,
    systemVersion: options.systemVersion,
    now: options.now,
    dedup: request.dedup,
    split: request.split,
    target: request.target,
    fileStem: request.fileStem,
    zip: request.zip,
  });
  return { ...result, approvedByRule: query.approvedByRule };
}

/** What the export dialog shows before anything is written (see previewRequestedExport). */
export interface RequestedExportPreview {
  query: ExportSelectionQuery;
  /** Conversations the selection matches. */
  selected: number;
  /** The bundle as it would be written (no export id), or null when nothing is selected. */
  built: BuiltExport | null;
}

/**
 * Builds an export request's files without writing them or recording anything, for the dialog's
 * preview: the same selection, checks and serializer as `writeRequestedExport`, so the records
 * shown are the records the file will hold. Nothing selected gives `built: null` (not an error).
 * Throws the dataset checks' AppErrors and `export_invalid` like writeExport.
 */
export async function previewRequestedExport(options: {
  db: Database;
  workspaceId: string;
  request: ExportRequest;
  systemVersion: string;
  now?: Date;
}): Promise<RequestedExportPreview> {
  const query = exportSelectionQuery(options.request.selection);
  const rows = await listConversationsWithTurns({ db: options.db, workspaceId: options.workspaceId, filter: query.filter, search: query.search });
  const conversations = rows.map(toExportConversation);
  if (conversations.length === 0) return { query, selected: 0, built: null };
  const statusLabel = statusLabelFor(query.filter, query.search);
  const built = await buildRequestedExport({
    conversations,
    settings: { ...options.request, zip: false },
    exportedAt: options.now ?? new Date(),
    statusLabel,
    filterState: query.search ? { ...query.filter, search: query.search } : { ...query.filter },
    systemVersion: options.systemVersion,
  });
  return { query, selected: conversations.length, built };
}
