/**
 * Uploaded files → stored documents, all or nothing: every file is read and chunked by
 * previewDocumentSources (the same reader as the preview and `brightrun import`), and only when
 * every file can be imported are they written, in one transaction.
 */
import type { Database } from "../../server/db/client";
import { storeParsedDocument } from "./import-workspace";
import { AppError } from "../errors";
import { previewDocumentSources, type DocumentSourceFile } from "./document-sources";
import type { ImportProblem } from "./json-problems";

/** What {@link importDocumentSources} wrote, per file in the order given. */
export interface DocumentImportResult {
  documents: Array<{
    file: string;
    key: string;
    title: string;
    /** "unchanged": same key, same bytes, same title and category as stored; nothing written. "updated": its chunks were replaced. */
    outcome: "created" | "updated" | "unchanged";
    chunks: number;
    warnings: string[];
  }>;
}

/**
 * Import uploaded files as documents, all or nothing. A document whose key is already stored is
 * replaced (its chunks too) when its bytes, title or category changed.
 *
 * @param files names and bytes, as uploaded
 * @param defaultCategory category of documents that do not name their own
 * @throws AppError `import_invalid` when no file is given, or when any file can't be imported
 *   (nothing is written; the message names each file and why; `detail.problems` lists them as
 *   `{ file, where, message }` and `detail.errors` holds each file's own error)
 */
export async function importDocumentSources({
  db,
  workspaceId,
  files,
  defaultCategory,
}: {
  db: Database;
  /** The workspace the documents go into. */
  workspaceId: string;
  files: DocumentSourceFile[];
  defaultCategory?: string;
}): Promise<DocumentImportResult> {
  if (files.length === 0) throw new AppError("import_invalid", "No files to import: choose at least one document.");
  const previews = await previewDocumentSources({ files, defaultCategory });
  const failed = previews.flatMap((p) => (p.ok ? [] : [p]));
  if (failed.length) {
    const problems: ImportProblem[] = failed.map((p) => ({ file: p.file, where: null, message: typeof p.error.detail.reason === "string" ? p.error.detail.reason : p.error.message }));
    throw new AppError(
      "import_invalid",
      `Nothing was imported: ${failed.length === 1 ? "1 file" : `${failed.length} files`} of ${files.length} can't be imported.\n${problems.map((p) => `  - ${p.file}: ${p.message}`).join("\n")}`,
      { detail: { problems, errors: failed.map((p) => ({ file: p.file, ...p.error })) } },
    );
  }
  return db.transaction(async (tx) => {
    const documents: DocumentImportResult["documents"] = [];
    for (const preview of previews) {
      if (!preview.ok) continue;
      const doc = preview.document;
      const outcome = await storeParsedDocument({ db: tx, workspaceId, document: doc, sourcePath: preview.file });
      documents.push({ file: preview.file, key: doc.key, title: doc.title, outcome, chunks: doc.chunks.length, warnings: doc.warnings });
    }
    return { documents };
  });
}
