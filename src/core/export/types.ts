/**
 * Shapes shared by the exporters, the validators and the manifest.
 * Framework-free: nothing here touches the database, the file system or Next.js.
 */
import type { ExportFormat } from "../../lib/constants";
import type { ExportManifest } from "./manifest";

/**
 * What a file of an export is for:
 * - `data`: the training data itself (JSONL, or one JSON document for `json`)
 * - `manifest`: the `-manifest.json` statistics and settings file (US5.1.2)
 * - `dataset_info`: LLaMA-Factory's `dataset_info.json` entry (ShareGPT exports)
 * - `dataset_card`: the Hugging Face dataset card `README.md` (HF exports)
 */
export type ExportFileRole = "data" | "manifest" | "dataset_info" | "dataset_card";

/** One file the caller writes (to disk, a zip, or a browser download). `content` is UTF-8 text. */
export interface ExportFile {
  /** File name without a directory, e.g. "training-data-2025-10-26-approved-87-conversations.jsonl". */
  name: string;
  role: ExportFileRole;
  /** MIME type to send with a download, e.g. "application/jsonl". */
  mediaType: string;
  content: string;
}

/** A file as the manifest lists it. `records` is the number of conversations in a data file, else null. */
export interface ExportFileEntry {
  name: string;
  role: ExportFileRole;
  records: number | null;
  /** For the data files of a train/validation split: which part this file holds. Absent without a split. */
  split?: "train" | "validation";
}

/** One rule a record breaks, before it is tied to a line of a file. */
export interface RecordProblem {
  /** Stable machine code, e.g. "missing_content" (OpenAI cookbook names where they exist). */
  code: string;
  /** Plain English, without the line prefix: `the conversation ends with a user message; …`. */
  message: string;
}

/** One rule a line of a produced file breaks. */
export interface ExportProblem extends RecordProblem {
  /**
   * 1-based line number in a JSONL file; for the `json` format, the 1-based position in the
   * `conversations` list. 0 means the file as a whole (empty file, not JSON at all).
   */
  line: number;
  /** The conversation the line was made from, when the exporter knows it. */
  conversationId: string | null;
}

/** Everything `serializeExport` produced, ready to write. Nothing is written by the core. */
export interface ExportBundle {
  format: ExportFormat;
  /** Shared stem of every file name, e.g. "training-data-2025-10-26-approved-87-conversations". */
  stem: string;
  /** Every file of the export, data file first and manifest last. */
  files: ExportFile[];
  /** The first data file (the training file of a split). */
  dataFile: ExportFile;
  /** Every data file: one, or the training and validation files of a split. */
  dataFiles: ExportFile[];
  manifestFile: ExportFile;
  /** The manifest object that `manifestFile.content` holds. */
  manifest: ExportManifest;
}
