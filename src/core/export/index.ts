/**
 * Export: turns reviewed conversations into training files (OpenAI, Anthropic on Bedrock,
 * LLaMA-Factory ShareGPT, Hugging Face, Bright Run JSON) plus a manifest. Pure functions: the
 * caller (server action, job, CLI) selects the conversations and writes the returned files.
 * docs/formats.md describes every format for people.
 */
import type { ExportFormat } from "../../lib/constants";
import { AppError } from "../errors";
import type { ExportConversation } from "../types";
import { exportFileStem } from "./file-name";
import { toBedrockClaudeRecord, type BedrockClaudeRecord } from "./format-anthropic";
import { buildHfDatasetCard, HF_DATASET_CARD_FILE, toHfRecord, type HfRecord } from "./format-hf";
import { buildJsonExportDocument, toJsonConversationEntry, type JsonConversationEntry } from "./format-json";
import { toOpenAiChatRecord, type OpenAiChatRecord } from "./format-openai";
import {
  buildLlamaFactoryDatasetInfo,
  LLAMA_FACTORY_DATASET_INFO_FILE,
  toShareGptRecord,
  type ShareGptRecord,
} from "./format-sharegpt";
import { FORMAT_EXTENSIONS } from "./format-versions";
import { toJsonDocument, toJsonLine } from "./json-lines";
import { buildManifest, type ManifestDatasetChecks } from "./manifest";
import type { ExportBundle, ExportFile, ExportFileEntry } from "./types";
import { assertValidExport } from "./validate";

export * from "./types";
export * from "./file-name";
export * from "./manifest";
export * from "./validate";
export * from "./json-lines";
export { FORMAT_EXTENSIONS, FORMAT_LABELS, FORMAT_VERSIONS } from "./format-versions";
export { toOpenAiChatRecord, type OpenAiChatRecord } from "./format-openai";
export { toBedrockClaudeRecord, type BedrockClaudeRecord } from "./format-anthropic";
export {
  buildLlamaFactoryDatasetInfo,
  LLAMA_FACTORY_DATASET_INFO_FILE,
  SHAREGPT_TAGS,
  toShareGptRecord,
  type LlamaFactoryDatasetDescription,
  type ShareGptRecord,
} from "./format-sharegpt";
export { buildHfDatasetCard, HF_DATASET_CARD_FILE, HF_METADATA_COLUMNS, hfSizeCategory, toHfRecord, type HfRecord } from "./format-hf";
export {
  buildJsonExportDocument,
  toJsonConversationEntry,
  type JsonConversationEntry,
  type JsonExportDocument,
} from "./format-json";
export type { ChatMessage } from "./chat-messages";

/** What one conversation becomes in each format. */
export interface ExportRecordByFormat {
  openai: OpenAiChatRecord;
  anthropic: BedrockClaudeRecord;
  sharegpt: ShareGptRecord;
  hf: HfRecord;
  json: JsonConversationEntry;
}
export type ExportRecord = ExportRecordByFormat[ExportFormat];

const SERIALIZERS: { [F in ExportFormat]: (conversation: ExportConversation) => ExportRecordByFormat[F] } = {
  openai: toOpenAiChatRecord,
  anthropic: toBedrockClaudeRecord,
  sharegpt: toShareGptRecord,
  hf: toHfRecord,
  json: toJsonConversationEntry,
};

/**
 * One conversation in `format`: the object of one JSONL line (openai, anthropic, sharegpt, hf) or
 * one entry of the `json` document's `conversations` list. Used by `serializeExport` and by the
 * export preview ("shows sample structure before download", US5.1.1). Does not validate: a
 * conversation ending with a user turn comes out as it is; `serializeExport` refuses it.
 * Throws only the `RangeError` of `Date.toISOString` (json format, invalid date).
 */
export function serializeConversation<F extends ExportFormat>(format: F, conversation: ExportConversation): ExportRecordByFormat[F] {
  const serialize = SERIALIZERS[format] as (conversation: ExportConversation) => ExportRecordByFormat[F];
  return serialize(conversation);
}

export interface SerializeExportOptions {
  /** The export's id, written into the manifest as `export_id`; omit for a bundle that is not written (a preview). */
  exportId?: string;
  /** When the export is made: the date in the file names (UTC) and `exported_at`. */
  exportedAt: Date;
  /** Which conversations, for the file name and manifest: "approved", "all", "generated", "filtered"… */
  statusLabel: string;
  /** The active filters that selected the conversations (US5.2.1); `{}` when none. Must be JSON-safe. */
  filterState?: Record<string, unknown>;
  /** Bright Run's version (package.json `version`), for the manifest. */
  systemVersion: string;
  /**
   * Name of the dataset: the key of LLaMA-Factory's `dataset_info.json` (sharegpt) and the title
   * of the dataset card (hf). Defaults to the file stem.
   */
  datasetName?: string;
  /**
   * The files' shared stem, chosen by the user (already checked against FILE_STEM_PATTERN in
   * src/lib/export-request.ts); absent: `training-data-YYYY-MM-DD-<status>-<N>-conversations`.
   */
  fileStem?: string | null;
  /**
   * A train/validation split (conversation ids from the dataset checks' split): the data goes to
   * `<stem>-train.<ext>` and `<stem>-validation.<ext>` instead of one file. Every conversation
   * must be in exactly one of the lists. A validation list that is empty gives no validation file.
   */
  split?: { trainConversationIds: readonly string[]; validationConversationIds: readonly string[] } | null;
  /** The dataset checks' summary for the manifest (`dataset_checks`); null when none ran. */
  datasetChecks?: ManifestDatasetChecks | null;
  /** Name of the ZIP that will hold these files, recorded in the manifest (`archive`); null for none. */
  archiveName?: string | null;
}

/**
 * Builds every file of an export, validated and ready to write; writes nothing.
 *
 * `files` (data files first, manifest last), named from one stem (`options.fileStem`, else
 * `training-data-YYYY-MM-DD-<status>-<N>-conversations`):
 * - the data file `<stem>.jsonl` (`.json` for `json`): one line per conversation in the given
 *   order, or for `json` one document `{ format_version, manifest, conversations }`; with
 *   `options.split`, two data files instead, `<stem>-train.jsonl` and `<stem>-validation.jsonl`
 *   (the validation file only when it has records), each in the given order;
 * - sharegpt: `dataset_info.json` (LLaMA-Factory dataset description);
 * - hf: `README.md` (dataset card);
 * - `<stem>-manifest.json`: the manifest (see manifest.ts).
 *
 * Throws `AppError`:
 * - `export_empty` when `conversations` is empty (there is nothing to train on);
 * - `export_invalid` when a conversation cannot be written as JSON (e.g. metadata holding a
 *   BigInt) or when any produced line breaks the format's rules (validate.ts; the message lists
 *   the first problems with line numbers and conversation ids, `detail.problems` all of them);
 * - `export_file_name_invalid` for an invalid date or a status label without letters or digits.
 */
export function serializeExport(
  format: ExportFormat,
  conversations: readonly ExportConversation[],
  options: SerializeExportOptions,
): ExportBundle {
  if (conversations.length === 0) {
    throw new AppError(
      "export_empty",
      "There are no conversations to export. Approve some conversations, or change the filters, then export again.",
      { detail: { format, statusLabel: options.statusLabel } },
    );
  }
  const nameInput = { date: options.exportedAt, statusLabel: options.statusLabel, count: conversations.length };
  const stem = options.fileStem?.trim() || exportFileStem(nameInput);
  const extension = FORMAT_EXTENSIONS[format];
  const datasetName = options.datasetName?.trim() || stem;
  const parts = dataParts(conversations, options.split ?? null);
  const dataFileNames = parts.map((part) => (part.split === null ? `${stem}.${extension}` : `${stem}-${part.split}.${extension}`));
  const dataFileName = dataFileNames[0];

  const entries: ExportFileEntry[] = parts.map((part, index) => ({
    name: dataFileNames[index],
    role: "data",
    records: part.conversations.length,
    ...(part.split === null ? {} : { split: part.split }),
  }));
  if (format === "sharegpt") entries.push({ name: LLAMA_FACTORY_DATASET_INFO_FILE, role: "dataset_info", records: null });
  if (format === "hf") entries.push({ name: HF_DATASET_CARD_FILE, role: "dataset_card", records: null });

  const manifest = buildManifest({
    exportId: options.exportId ?? null,
    conversations,
    format,
    filterState: options.filterState ?? {},
    statusLabel: options.statusLabel,
    systemVersion: options.systemVersion,
    exportedAt: options.exportedAt,
    files: entries,
    fileStem: stem,
    datasetChecks: options.datasetChecks ?? null,
    archiveName: options.archiveName ?? null,
  });

  const dataFiles: ExportFile[] = parts.map((part, index) => {
    const content =
      format === "json"
        ? jsonDocumentOf(manifest, part.conversations)
        : part.conversations.map((conversation) => `${jsonLineOf(format, conversation)}\n`).join("");
    assertValidExport(format, content, part.conversations.map((conversation) => conversation.conversationId));
    return { name: dataFileNames[index], role: "data", mediaType: format === "json" ? "application/json" : "application/jsonl", content };
  });
  const validationFileName = parts.length > 1 ? dataFileNames[1] : null;
  const companions: ExportFile[] = [];
  if (format === "sharegpt") {
    companions.push({
      name: LLAMA_FACTORY_DATASET_INFO_FILE,
      role: "dataset_info",
      mediaType: "application/json",
      content: toJsonDocument(buildLlamaFactoryDatasetInfo({ datasetName, dataFileName, validationFileName })),
    });
  }
  if (format === "hf") {
    companions.push({
      name: HF_DATASET_CARD_FILE,
      role: "dataset_card",
      mediaType: "text/markdown",
      content: buildHfDatasetCard({ manifest, dataFileName, datasetName, validationFileName }),
    });
  }
  const manifestFile: ExportFile = {
    name: `${stem}-manifest.json`,
    role: "manifest",
    mediaType: "application/json",
    content: stringifyOrRefuse(() => toJsonDocument(manifest), "The export settings (filter state) could not be written as JSON", { format }),
  };
  return { format, stem, files: [...dataFiles, ...companions, manifestFile], dataFile: dataFiles[0], dataFiles, manifestFile, manifest };
}

/**
 * The conversations of each data file: one part (split null) without a split; with one, the
 * training part and, when it has any conversation, the validation part, each in input order.
 * Throws AppError `export_invalid` when the split lists do not cover the conversations exactly.
 */
function dataParts(
  conversations: readonly ExportConversation[],
  split: SerializeExportOptions["split"],
): Array<{ split: "train" | "validation" | null; conversations: ExportConversation[] }> {
  if (!split) return [{ split: null, conversations: [...conversations] }];
  const validationIds = new Set(split.validationConversationIds);
  const trainIds = new Set(split.trainConversationIds);
  const stray = conversations.filter((c) => trainIds.has(c.conversationId) === validationIds.has(c.conversationId));
  if (stray.length > 0 || trainIds.size + validationIds.size !== conversations.length) {
    throw new AppError("export_invalid", "The train/validation split does not match the conversations being exported; run the checks again.", {
      detail: { stray: stray.slice(0, 10).map((c) => c.conversationId), train: trainIds.size, validation: validationIds.size, conversations: conversations.length },
    });
  }
  const train = conversations.filter((c) => trainIds.has(c.conversationId));
  const validation = conversations.filter((c) => validationIds.has(c.conversationId));
  if (train.length === 0) {
    throw new AppError("export_invalid", "Every conversation went to validation, leaving nothing to train on. Lower the validation share.", {
      detail: { validation: validation.length },
    });
  }
  return validation.length > 0
    ? [
        { split: "train", conversations: train },
        { split: "validation", conversations: validation },
      ]
    : [{ split: "train", conversations: train }];
}

/** One conversation's JSONL line; a value JSON cannot hold becomes an `export_invalid` AppError naming the conversation. */
function jsonLineOf(format: Exclude<ExportFormat, "json">, conversation: ExportConversation): string {
  return stringifyOrRefuse(
    () => toJsonLine(serializeConversation(format, conversation)),
    `Conversation ${conversation.conversationId} could not be written as JSON`,
    { format, conversationId: conversation.conversationId },
  );
}

/** The `json` document; when JSON cannot hold it, the error names the first conversation at fault. */
function jsonDocumentOf(manifest: ExportBundle["manifest"], conversations: readonly ExportConversation[]): string {
  try {
    return toJsonDocument(buildJsonExportDocument({ manifest, conversations }));
  } catch (error) {
    for (const conversation of conversations) {
      stringifyOrRefuse(() => toJsonLine(toJsonConversationEntry(conversation)), `Conversation ${conversation.conversationId} could not be written as JSON`, {
        format: "json",
        conversationId: conversation.conversationId,
      });
    }
    stringifyOrRefuse(() => toJsonDocument(manifest), "The export settings (filter state) could not be written as JSON", { format: "json" });
    return stringifyOrRefuse(
      () => {
        throw error;
      },
      "The JSON export could not be written",
      { format: "json" },
    );
  }
}

/** Runs `stringify`; a TypeError (BigInt, cycle) or RangeError (invalid date) becomes AppError `export_invalid`. */
function stringifyOrRefuse(stringify: () => string, what: string, detail: Record<string, unknown>): string {
  try {
    return stringify();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError("export_invalid", `${what} (${reason}). Check its dates and metadata, then export again.`, { detail, cause: error });
  }
}
