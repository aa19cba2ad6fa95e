/**
 * An export request (src/lib/export-request.ts) carried out in core: which conversations it
 * selects, which dataset checks it runs, and the bundle and ZIP it produces. Used by the web's
 * export dialog (preview and export) and by `brightrun export`, so both write the same files.
 * Pure apart from loading a tokenizer for the target model; nothing is written here.
 */
import { strToU8, zipSync, type Zippable } from "fflate";
import type { ConversationFilter } from "../../lib/conversation-filter";
import { normalizeFilter } from "../../lib/conversation-filter";
import type { ExportSelection, ExportSettings } from "../../lib/export-request";
import type { ExportConversation } from "../types";
import { checkDataset, type DatasetCheckOptions, type DatasetCheckReport } from "./dataset-checks";
import { exportFileStem } from "./file-name";
import { serializeExport } from "./index";
import { toManifestDatasetChecks } from "./manifest";
import type { ExportBundle, ExportFile } from "./types";

/** Which conversations a selection reads: the filter and search text, and whether the status was narrowed to approved by the rule. */
export interface ExportSelectionQuery {
  filter: ConversationFilter;
  search: string;
  /** True when the selection named no status and so takes approved conversations only. */
  approvedByRule: boolean;
}

/**
 * The one rule for what an export selects (US5.1.1 "Export automatically filters to approved
 * conversations only", US5.2.1 "Export respects currently active filters (persona, emotion,
 * topic, status, quality)"):
 * - `{ kind: "approved" }`: every approved conversation (seeds included: they arrive approved);
 * - `{ kind: "filtered", filter, search }`: the filter and search as given, except that a filter
 *   naming no status takes approved conversations only. A filter that names statuses (the
 *   table's Status filter, or `brightrun export --status`) is respected as it is.
 * Pure; never throws.
 */
export function exportSelectionQuery(selection: ExportSelection): ExportSelectionQuery {
  if (selection.kind === "approved") return { filter: { status: ["approved"] }, search: "", approvedByRule: true };
  const filter = normalizeFilter(selection.filter);
  const approvedByRule = !filter.status?.length;
  return { filter: approvedByRule ? { ...filter, status: ["approved"] } : filter, search: selection.search.trim(), approvedByRule };
}

/**
 * The `checkDataset` options for a request's settings, or null when it asks for no check:
 * duplicates (dropped, at the request's threshold) when `dedup.enabled`, the split when `split`
 * is set, tokens and the chat-template render when `target` is set.
 */
export function datasetCheckOptionsFor(settings: Pick<ExportSettings, "dedup" | "split" | "target">): DatasetCheckOptions | null {
  if (!settings.dedup.enabled && !settings.split && !settings.target) return null;
  return {
    duplicates: settings.dedup.enabled ? { threshold: settings.dedup.threshold, dropDuplicates: true } : false,
    split: settings.split ? { validationPercent: settings.split.validationPercent, seed: settings.split.seed } : null,
    target: settings.target ? { family: settings.target.family, contextLength: settings.target.contextLength } : null,
  };
}

export interface BuiltExport {
  bundle: ExportBundle;
  /** The dataset checks' full report, or null when none was asked for. */
  report: DatasetCheckReport | null;
  /** The conversations written (duplicates left out), in export order. */
  written: ExportConversation[];
  /** The ZIP holding every file, when asked for. */
  archive: { name: string; bytes: Uint8Array } | null;
}

/**
 * Runs a request's dataset checks on the selected conversations and builds its files.
 *
 * Steps: `checkDataset` (when any check is asked for: duplicates dropped keeping the
 * best-scoring of each group, then the split and the target checks on what is kept); the file
 * stem (`settings.fileStem`, else `training-data-YYYY-MM-DD-<status>-<N>-conversations` with N
 * the conversations written); `serializeExport` with the split's two data files and the checks
 * in the manifest's `dataset_checks`; with `zip`, one ZIP `<stem>.zip` of every file.
 *
 * A record that fails the chat-template render is still written (the manifest and the dialog
 * report it); the format's own rules (validate.ts) still refuse a broken line.
 *
 * Throws AppError `export_empty` (nothing selected), `export_invalid` (a line breaks the format's
 * rules), `export_file_name_invalid`, and the checks' `invalid_dataset_check_settings`,
 * `unknown_target_model`, `tokenizer_unavailable`.
 */
export async function buildRequestedExport(input: {
  conversations: readonly ExportConversation[];
  settings: Pick<ExportSettings, "format" | "dedup" | "split" | "target"> & { fileStem?: string | null; zip?: boolean };
  exportId?: string;
  exportedAt: Date;
  statusLabel: string;
  filterState: Record<string, unknown>;
  systemVersion: string;
}): Promise<BuiltExport> {
  const { conversations, settings } = input;
  const checkOptions = conversations.length > 0 ? datasetCheckOptionsFor(settings) : null;
  const report = checkOptions ? await checkDataset(conversations, checkOptions) : null;
  const keptIds = report?.duplicates ? new Set(report.duplicates.keptConversationIds) : null;
  const written = keptIds ? conversations.filter((conversation) => keptIds.has(conversation.conversationId)) : [...conversations];
  const stem =
    settings.fileStem?.trim() ||
    exportFileStem({ date: input.exportedAt, statusLabel: input.statusLabel, count: written.length });
  const archiveName = settings.zip ? `${stem}.zip` : null;
  const bundle = serializeExport(settings.format, written, {
    exportId: input.exportId,
    exportedAt: input.exportedAt,
    statusLabel: input.statusLabel,
    filterState: input.filterState,
    systemVersion: input.systemVersion,
    fileStem: stem,
    split: report?.split
      ? { trainConversationIds: report.split.trainConversationIds, validationConversationIds: report.split.validationConversationIds }
      : null,
    datasetChecks: report ? toManifestDatasetChecks(report) : null,
    archiveName,
  });
  const archive = archiveName ? { name: archiveName, bytes: buildExportArchive(bundle.files, input.exportedAt) } : null;
  return { bundle, report, written, archive };
}

/**
 * One ZIP (deflate, level 6) holding the given files at its root, in order, each stamped with
 * `modifiedAt`. Made with fflate (https://github.com/101arrowz/fflate), a ZIP library for
 * Node and browsers. Pure; throws only fflate's errors (a file over 4 GB: ZIP64 is not written).
 */
export function buildExportArchive(files: readonly ExportFile[], modifiedAt: Date): Uint8Array {
  const entries: Zippable = {};
  for (const file of files) entries[file.name] = [strToU8(file.content), { mtime: modifiedAt }];
  return zipSync(entries, { level: 6 });
}
