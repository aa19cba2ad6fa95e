/**
 * The export request: one typed, validated shape for "what to export and how", used by the
 * export dialog (through its server actions), the CLI (`brightrun export`) and saved presets
 * (issue 12 items 4–5; US5.1.1, US5.2.1). Client-safe: plain zod, no server imports.
 *
 * - `selection`: `{ kind: "approved" }` (every approved conversation) or `{ kind: "filtered",
 *   filter, search }` (the table's current filters and search). The status part follows one rule,
 *   `exportSelectionQuery` (src/core/export/export-request.ts): no status filter means approved.
 * - `format`: openai, anthropic, sharegpt, hf, json (docs/formats.md).
 * - `fileStem`: the files' shared name; letters, digits, ".", "_" and "-" only (`safeFileStem`);
 *   absent: the descriptive default `training-data-YYYY-MM-DD-<status>-<N>-conversations`.
 * - `split`: a seeded train/validation split, stratified by tier and persona, or null for one file.
 * - `dedup`: exact and near-duplicates (MinHash/LSH), the best-scoring of each group kept.
 * - `target`: the model family to count tokens for and render each record through, or null.
 * - `zip`: also write one ZIP holding every file (the dialog's download; always on in the web).
 * docs/dataset-checks.md explains each check; docs/formats.md the files.
 */
import { z } from "zod";
import { EXPORT_FORMATS } from "./constants";
import { conversationFilterSchema } from "./conversation-filter";
import { MAX_SEARCH_LENGTH } from "./conversation-table-params";
import { TARGET_FAMILIES } from "../core/export/dataset-checks/target-families";

/** Longest file stem accepted, in characters (leaves room for "-validation-manifest.json" and the folder's id under common 255-byte name limits). */
export const MAX_FILE_STEM_LENGTH = 120;

/** What a file stem may hold: starts with a letter or digit; then letters, digits, ".", "_", "-". */
export const FILE_STEM_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The duplicate threshold's default and range (Jaccard similarity of 5-word shingles; the core check's own figures, src/core/export/dataset-checks/duplicates.ts). */
export const DEDUP_THRESHOLD = { default: 0.8, min: 0.3, max: 1 } as const;

/** The validation share's range and the dialog's default, in percent (the core split accepts 0–50; 0 would be no split). */
export const SPLIT_PERCENT = { default: 10, min: 1, max: 50 } as const;

/**
 * A name typed by a person made safe for a file: spaces become "-", anything other than letters,
 * digits, ".", "_" and "-" is removed, leading dots / dashes are removed, and it is cut to
 * MAX_FILE_STEM_LENGTH. "Q3 launch (v2)!" → "Q3-launch-v2". May return "" (nothing usable).
 */
export function safeFileStem(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .trim()
    .replace(/\s+/g, "-")
    .replace(/[^A-Za-z0-9._-]/g, "")
    .replace(/-{2,}/g, "-")
    .replace(/^[._-]+/, "")
    .slice(0, MAX_FILE_STEM_LENGTH)
    .replace(/[.]+$/, "");
}

export const exportSelectionSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("approved") }),
  z.strictObject({
    kind: z.literal("filtered"),
    filter: conversationFilterSchema,
    search: z.string().trim().max(MAX_SEARCH_LENGTH).default(""),
  }),
]);
export type ExportSelection = z.output<typeof exportSelectionSchema>;

export const exportSplitSchema = z.strictObject({
  validationPercent: z
    .number()
    .min(SPLIT_PERCENT.min, `The validation share must be ${SPLIT_PERCENT.min} to ${SPLIT_PERCENT.max} percent (10 to 20 is usual).`)
    .max(SPLIT_PERCENT.max, `The validation share must be ${SPLIT_PERCENT.min} to ${SPLIT_PERCENT.max} percent (10 to 20 is usual).`),
  /** Any text; the same seed over the same conversations gives the same split. Default "brightrun". */
  seed: z.string().trim().min(1).max(100).optional(),
});

export const exportDedupSchema = z.strictObject({
  enabled: z.boolean(),
  threshold: z
    .number()
    .min(DEDUP_THRESHOLD.min, `The near-duplicate threshold must be a similarity from ${DEDUP_THRESHOLD.min} to ${DEDUP_THRESHOLD.max} (0.8 is usual).`)
    .max(DEDUP_THRESHOLD.max, `The near-duplicate threshold must be a similarity from ${DEDUP_THRESHOLD.min} to ${DEDUP_THRESHOLD.max} (0.8 is usual).`)
    .default(DEDUP_THRESHOLD.default),
});

export const exportTargetSchema = z.strictObject({
  family: z.enum(TARGET_FAMILIES, `Choose a target model: ${TARGET_FAMILIES.join(", ")}.`),
  /** Overrides the family's context length, in tokens (at least 256). */
  contextLength: z.number().int().min(256, "The context length must be at least 256 tokens.").optional(),
});

/** The settings a preset saves: everything but the file name (each export names its own files). */
export const exportSettingsSchema = z.strictObject({
  selection: exportSelectionSchema.default({ kind: "approved" }),
  format: z.enum(EXPORT_FORMATS, `The format must be one of ${EXPORT_FORMATS.join(", ")}.`).default("openai"),
  split: exportSplitSchema.nullable().default(null),
  dedup: exportDedupSchema.default({ enabled: false, threshold: DEDUP_THRESHOLD.default }),
  target: exportTargetSchema.nullable().default(null),
});
export type ExportSettings = z.output<typeof exportSettingsSchema>;

export const exportRequestSchema = exportSettingsSchema.extend({
  fileStem: z
    .string()
    .trim()
    .max(MAX_FILE_STEM_LENGTH, `The file name can be at most ${MAX_FILE_STEM_LENGTH} characters.`)
    .regex(FILE_STEM_PATTERN, "The file name may hold only letters, digits, dots, dashes and underscores, and must start with a letter or digit.")
    .nullable()
    .optional(),
  zip: z.boolean().default(false),
});
/** A validated export request (defaults applied). */
export type ExportRequest = z.output<typeof exportRequestSchema>;
/** What a caller may send (defaults not yet applied). */
export type ExportRequestInput = z.input<typeof exportRequestSchema>;

/** How many records the dialog's preview shows. */
export const EXPORT_PREVIEW_RECORDS = 3;

/** Longest name of a saved preset, in characters. */
export const MAX_PRESET_NAME_LENGTH = 60;

export const exportPresetNameSchema = z
  .string()
  .trim()
  .min(1, "Give the preset a name.")
  .max(MAX_PRESET_NAME_LENGTH, `A preset's name can be at most ${MAX_PRESET_NAME_LENGTH} characters.`);

export const saveExportPresetInputSchema = z.strictObject({ name: exportPresetNameSchema, settings: exportSettingsSchema });
export const deleteExportPresetInputSchema = z.strictObject({ id: z.uuid("That is not a preset id.") });

/** A saved preset as the dialog lists it. */
export interface ExportPresetView {
  id: string;
  name: string;
  settings: ExportSettings;
  createdBy: string;
  /** ISO 8601. */
  updatedAt: string;
}

/** What the dialog shows before the download: the selection's size, the checks and the first records exactly as written. */
export interface ExportPreviewView {
  /** Conversations the selection matches (before duplicates are left out). */
  selected: number;
  /** Conversations that will be written (after duplicates are left out). */
  written: number;
  /** "approved" when the selection was narrowed to approved conversations by the rule, else the statuses the filter names. */
  statuses: string[];
  /** The default file stem for this export ("training-data-2026-11-29-approved-23-conversations"). */
  defaultFileStem: string;
  /** File names in the download, data file(s) first. */
  fileNames: string[];
  /** The first data file's name and its first records exactly as the file holds them (one JSON text per record, pretty-printed). */
  previewFileName: string;
  previewRecords: string[];
  checks: {
    duplicatesRemoved: number | null;
    duplicateGroups: number | null;
    train: number | null;
    validation: number | null;
    tokens: { family: string; modelLabel: string; contextLength: number; min: number; median: number; max: number; overContext: number; exactTokenizer: boolean } | null;
    render: { available: boolean; rendered: number; failed: number; firstFailure: string | null } | null;
    /** Plain-English lines, most important first. */
    messages: string[];
  };
}

/** What a finished export returns to the dialog. */
export interface ExportRequestOutcome {
  exportId: string;
  format: string;
  /** Conversations written (after duplicates were left out). */
  conversationCount: number;
  /** True when every conversation written is approved (the toast then says "approved conversations"). */
  allApproved: boolean;
  /** The downloaded file's name: the ZIP, or the data file when no ZIP was made. */
  fileName: string;
  downloadUrl: string;
  train: number | null;
  validation: number | null;
  duplicatesRemoved: number;
  renderFailures: number | null;
}
