/**
 * Export file names: `training-data-YYYY-MM-DD-<status>-<N>-conversations.jsonl` (`.json` for the
 * `json` format) and `<same stem>-manifest.json`.
 *
 * Source: US5.1.1 "Filename descriptive and includes timestamp (e.g.,
 * "training-data-2025-10-26-approved-87-conversations.json")". The date is the UTC calendar date,
 * so the same export gets the same name on every machine.
 */
import { AppError } from "../errors";

export interface ExportFileNameInput {
  /** When the export was made; its UTC date is used. */
  date: Date;
  /** Which conversations: "approved", "all", "generated", "filtered"… Turned into a lower-case slug. */
  statusLabel: string;
  /** Number of conversations in the export (a whole number ≥ 0). */
  count: number;
}

/**
 * The shared stem, e.g. `training-data-2025-10-26-approved-87-conversations`.
 * The status label is lower-cased and anything other than letters and digits becomes "-"
 * ("Needs review" → "needs-review").
 *
 * Throws `AppError` `export_file_name_invalid` when the date is invalid, the count is not a whole
 * number ≥ 0, or the label has no letter or digit.
 */
export function exportFileStem(input: ExportFileNameInput): string {
  if (!(input.date instanceof Date) || Number.isNaN(input.date.getTime())) {
    throw new AppError("export_file_name_invalid", "The export date is not a valid date, so the file cannot be named.", {
      detail: { date: String(input.date) },
    });
  }
  if (!Number.isInteger(input.count) || input.count < 0) {
    throw new AppError(
      "export_file_name_invalid",
      `The conversation count in the file name must be a whole number of 0 or more, not ${input.count}.`,
      { detail: { count: input.count } },
    );
  }
  const status = statusSlug(input.statusLabel);
  if (status === "") {
    throw new AppError(
      "export_file_name_invalid",
      `The status label "${input.statusLabel}" has no letters or digits to put in the file name; use a word such as "approved" or "all".`,
      { detail: { statusLabel: input.statusLabel } },
    );
  }
  const day = input.date.toISOString().slice(0, 10);
  return `training-data-${day}-${status}-${input.count}-conversations`;
}

/**
 * The data file's name: stem + "." + extension, e.g.
 * `training-data-2025-10-26-approved-87-conversations.jsonl`. Throws like `exportFileStem`.
 */
export function exportFileName(input: ExportFileNameInput & { extension: "jsonl" | "json" }): string {
  return `${exportFileStem(input)}.${input.extension}`;
}

/** The manifest's name: stem + "-manifest.json". Throws like `exportFileStem`. */
export function manifestFileName(input: ExportFileNameInput): string {
  return `${exportFileStem(input)}-manifest.json`;
}

function statusSlug(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** What an export id may contain to be part of a folder name: letters, digits and "-" (a UUID). */
const EXPORT_ID_PATTERN = /^[A-Za-z0-9-]{1,100}$/;

/**
 * The folder one export's files are written into: `<stem>-<format>-<exportId>`, e.g.
 * `training-data-2025-10-26-approved-87-conversations-openai-3f0c…`. The readable part says what
 * is inside; the export id makes it unique, so two exports with the same date, status, count and
 * format never share a folder and never overwrite each other's files (issue 8, item 9).
 *
 * Throws `AppError` `export_file_name_invalid` when the export id holds anything other than
 * letters, digits and "-" (it must never reach outside the export folder).
 */
export function exportFolderName(input: { stem: string; format: string; exportId: string }): string {
  if (!EXPORT_ID_PATTERN.test(input.exportId)) {
    throw new AppError("export_file_name_invalid", `The export id "${input.exportId}" cannot be part of a folder name; it may hold only letters, digits and "-".`, {
      detail: { exportId: input.exportId },
    });
  }
  return `${input.stem}-${input.format}-${input.exportId}`;
}
