import "server-only";
/**
 * What the Documents pages show and do (issue 9, item 2): the document list, one document's chunks,
 * and uploads — previewed file by file, then imported all or nothing through the same core readers
 * as `brightrun import` (core/import/document-sources.ts, core/import/import-documents.ts).
 */
import { AppError } from "../core/errors";
import { checkDocumentSize, MAX_DOCUMENT_BYTES, previewDocumentSources, type DocumentPreview } from "../core/import/document-sources";
import { importDocumentSources, type DocumentImportResult } from "../core/import/import-documents";
import { UNCATEGORIZED } from "../lib/document-categories";
import { openWorkspace } from "./workspace-context";
import { documentCategoriesOf } from "./workspaces";
import { countConversationsOfDocument, getDocumentWithChunksByKey, listDocumentsByKeys, listDocumentsWithChunkCounts } from "./db/queries/documents";

/** Most files one upload takes (each up to MAX_DOCUMENT_BYTES). */
export const MAX_UPLOAD_FILES = 50;

/** A document row as the list renders it (dates as ISO 8601 strings). */
export interface DocumentListItem {
  key: string;
  title: string;
  category: string;
  sourcePath: string | null;
  chunks: number;
  /** Sum of the chunks' token estimates (⌈characters / 4⌉ each). */
  tokens: number;
  updatedAt: string;
}

/**
 * Every document with its chunk count, and the categories to offer at upload: the workspace's list
 * (Settings → Workspace; the built-in one until it sets its own) in its order, then the categories
 * stored documents use that the list lacks (ignoring capital letters), A–Z; never "Uncategorized".
 * @throws AppError "forbidden" without the "read" permission; the database's errors ("database_locked").
 */
export async function loadDocumentList(workspaceSlug: string): Promise<{ documents: DocumentListItem[]; categories: string[] }> {
  const { db, workspace } = await openWorkspace(workspaceSlug, "read");
  const rows = await listDocumentsWithChunkCounts({ db, workspaceId: workspace.id });
  const documents = rows.map((d) => ({
    key: d.key,
    title: d.title,
    category: d.category,
    sourcePath: d.sourcePath,
    chunks: d.chunkCount,
    tokens: d.tokenCount,
    updatedAt: d.updatedAt.toISOString(),
  }));
  return { documents, categories: categoriesToOffer(documentCategoriesOf(workspace).categories, documents.map((d) => d.category)) };
}

/** The workspace's list, then the categories in use that it lacks (A–Z); "Uncategorized" left out. */
function categoriesToOffer(list: string[], inUse: string[]): string[] {
  const seen = new Set(list.map((c) => c.toLowerCase()));
  const extra = new Set<string>();
  for (const category of inUse) {
    if (category === UNCATEGORIZED || seen.has(category.toLowerCase())) continue;
    extra.add(category);
  }
  return [...list, ...[...extra].sort((a, b) => a.localeCompare(b))];
}

/** One chunk as the document page renders it. */
export interface DocumentChunkView {
  key: string;
  ordinal: number;
  heading: string | null;
  content: string;
  summary: string;
  keyTerms: string[];
  dimensions: Record<string, unknown>;
  tokens: number;
  /** Conversations planned or generated from this chunk. */
  conversations: number;
}

/**
 * One document with its chunks in order, and how many conversations were planned from it.
 * @returns null when no document has this key
 * @throws AppError "forbidden" without the "read" permission
 */
export async function loadDocumentDetail(
  workspaceSlug: string,
  key: string,
): Promise<{ document: DocumentListItem; chunks: DocumentChunkView[]; conversations: number } | null> {
  const { db, workspace } = await openWorkspace(workspaceSlug, "read");
  const found = await getDocumentWithChunksByKey({ db, workspaceId: workspace.id, key });
  if (!found) return null;
  const { document, chunks } = found;
  const conversations = await countConversationsOfDocument({ db, workspaceId: workspace.id, key });
  return {
    conversations,
    document: {
      key: document.key,
      title: document.title,
      category: document.category,
      sourcePath: document.sourcePath,
      chunks: chunks.length,
      tokens: chunks.reduce((sum, c) => sum + c.tokenCount, 0),
      updatedAt: document.updatedAt.toISOString(),
    },
    chunks: chunks.map((c) => ({
      key: c.key,
      ordinal: c.ordinal,
      heading: c.heading,
      content: c.content,
      summary: c.summary,
      keyTerms: c.keyTerms,
      dimensions: c.dimensions,
      tokens: c.tokenCount,
      conversations: c.conversationCount,
    })),
  };
}

/** An uploaded file: its name, size in bytes, chosen category, and bytes (null when over the size limit: never read). */
export interface UploadedFile {
  name: string;
  size: number;
  category?: string;
  bytes: Uint8Array | null;
}

/**
 * Reads an upload's multipart form: every `file` entry in order, with its category from the
 * `category` entry at the same position (empty = the file's own, else "Uncategorized"). A file over
 * MAX_DOCUMENT_BYTES (25 MB) is not read.
 * @throws AppError `import_invalid` (not a form, no file, more than MAX_UPLOAD_FILES files, a
 *   category list that does not match the files)
 */
export async function readUploadForm(request: Request): Promise<UploadedFile[]> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new AppError("import_invalid", "The upload could not be read. Choose the files again and retry.");
  }
  const files = form.getAll("file").filter((f): f is File => typeof f !== "string");
  const categories = form.getAll("category").map((c) => (typeof c === "string" ? c : ""));
  if (!files.length) throw new AppError("import_invalid", "No files to import: choose at least one document.");
  if (files.length > MAX_UPLOAD_FILES) throw new AppError("import_invalid", `${files.length} files were chosen; one upload takes at most ${MAX_UPLOAD_FILES}. Upload them in smaller groups.`);
  if (categories.length && categories.length !== files.length) throw new AppError("import_invalid", "Each file needs its own category entry (empty for the file's own). Reload the page and retry.");
  const uploaded: UploadedFile[] = [];
  for (const [index, file] of files.entries()) {
    const bytes = file.size > MAX_DOCUMENT_BYTES ? null : new Uint8Array(await file.arrayBuffer());
    uploaded.push({ name: file.name, size: file.size, category: categories[index]?.trim() || undefined, bytes });
  }
  return uploaded;
}

/** One file of an upload preview: what would be stored, or why it can't be. */
export type UploadPreview =
  | {
      file: string;
      ok: true;
      key: string;
      title: string;
      category: string;
      kind: string;
      /** "new"; "replaces" a stored document with the same key (its chunks are replaced); "unchanged" (same bytes, title and category: nothing written). */
      outcome: "new" | "replaces" | "unchanged";
      chunks: Array<{ heading: string | null; content: string; tokens: number; keyTerms: string[] }>;
      warnings: string[];
    }
  | { file: string; ok: false; code: string; message: string };

/** The size refusal of a file that was not read, as a preview entry. */
function oversizedPreview(file: UploadedFile): UploadPreview {
  try {
    checkDocumentSize({ file: file.name, size: file.size });
  } catch (error) {
    if (error instanceof AppError) return { file: file.name, ok: false, code: error.code, message: reasonOf(error) };
    throw error;
  }
  throw new Error(`${file.name} was not read but is within the size limit`);
}

/**
 * Reads and chunks uploaded files without storing anything (one bad file never stops the others).
 * @returns one entry per file, in order
 * @throws AppError "forbidden" without the "import" permission
 */
export async function previewUploadedDocuments(workspaceSlug: string, files: UploadedFile[]): Promise<UploadPreview[]> {
  const { db, workspace } = await openWorkspace(workspaceSlug, "import");
  const readable = files.flatMap((f) => (f.bytes ? [{ name: f.name, bytes: f.bytes, category: f.category }] : []));
  const previews = await previewDocumentSources({ files: readable });
  const stored = new Map((await listDocumentsByKeys({ db, workspaceId: workspace.id, keys: previews.flatMap((p) => (p.ok ? [p.document.key] : [])) })).map((d) => [d.key, d]));
  let next = 0;
  return files.map((f) => (f.bytes ? toUploadPreview(previews[next++], stored) : oversizedPreview(f)));
}

function toUploadPreview(preview: DocumentPreview, stored: Map<string, { contentHash: string; title: string; category: string }>): UploadPreview {
  if (!preview.ok) {
    const reason = typeof preview.error.detail?.reason === "string" ? preview.error.detail.reason : preview.error.message;
    return { file: preview.file, ok: false, code: preview.error.code, message: reason };
  }
  const d = preview.document;
  const existing = stored.get(d.key);
  const outcome = !existing ? "new" : existing.contentHash === d.contentHash && existing.title === d.title && existing.category === d.category ? "unchanged" : "replaces";
  return {
    file: preview.file,
    ok: true,
    key: d.key,
    title: d.title,
    category: d.category,
    kind: d.kind,
    outcome,
    chunks: d.chunks.map((c) => ({ heading: c.heading, content: c.content, tokens: c.tokenCount, keyTerms: c.keyTerms })),
    warnings: d.warnings,
  };
}

function reasonOf(error: AppError): string {
  return typeof error.detail?.reason === "string" ? error.detail.reason : error.message;
}

/**
 * Imports uploaded files all or nothing (importDocumentSources, the same import as `brightrun import`).
 * @throws AppError "forbidden" without the "import" permission; `import_invalid` when any file can't
 *   be imported — nothing is stored, the message names each file and why, `detail.problems` lists
 *   them as `{ file, where, message }`
 */
export async function importUploadedDocuments(workspaceSlug: string, files: UploadedFile[]): Promise<DocumentImportResult> {
  const { db, workspace } = await openWorkspace(workspaceSlug, "import");
  if (files.some((f) => !f.bytes)) {
    // Name every file that can't be imported, the oversized ones and the others alike.
    const problems = (await previewUploadedDocuments(workspaceSlug, files)).flatMap((p) => (p.ok ? [] : [{ file: p.file, where: null, message: p.message }]));
    throw new AppError(
      "import_invalid",
      `Nothing was imported: ${problems.length === 1 ? "1 file" : `${problems.length} files`} of ${files.length} can't be imported.\n${problems.map((p) => `  - ${p.file}: ${p.message}`).join("\n")}`,
      { detail: { problems } },
    );
  }
  return importDocumentSources({ db, workspaceId: workspace.id, files: files.map((f) => ({ name: f.name, bytes: f.bytes as Uint8Array, category: f.category })) });
}

