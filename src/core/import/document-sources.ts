/**
 * One uploaded or imported file → a document draft ready to store: Markdown, plain text, PDF, Word
 * (.docx), HTML, or an upstream chunk file (JSON). Text is extracted (extract-pdf.ts,
 * extract-docx.ts, html-to-markdown.ts), then cut by the one chunker (chunk-document.ts) that keeps
 * headings. `brightrun import`, the preview and the all-or-nothing upload all go through
 * {@link readDocumentSource}, so a file is taken or refused, with the same words, wherever it comes in.
 *
 * Framework-free: bytes in, data out; no database, no network, no file system.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { AppError, toPlainError } from "../errors";
import { chunkDocument, summarizeText, type ChunkDraft } from "./chunk-document";
import { decodeText, fileError, identifySourceKind, type SourceKind } from "./detect-file-type";
import { parseFrontMatter } from "./front-matter";
import { jsonKind, jsonPath, parseJson, PLAIN_ERRORS, zodProblems, type ImportProblem } from "./json-problems";
import { buildKeyTermCorpus, extractKeyTerms } from "./key-terms";
import { chunkFileSchema, documentFrontMatterSchema, type ChunkFile } from "./schemas";
import { MAX_DOCUMENT_BYTES, MAX_DOCUMENT_SIZE_TEXT } from "./document-limits";
import { UNCATEGORIZED } from "../../lib/document-categories";
export { MAX_DOCUMENT_BYTES, MAX_DOCUMENT_SIZE_TEXT };

/** A file as it arrives: its name (a relative path is fine; the extension picks the kind) and its bytes. */
export interface DocumentSourceFile {
  name: string;
  bytes: Uint8Array;
  /** The category chosen for this file at upload; wins over the file's own (front matter, chunk file) and the default. */
  category?: string;
}

/** A document with its chunks, ready to store (same shape as a stored document and its chunks). */
export interface DocumentDraft {
  /** Stable key: front-matter / chunk-file `key`, else the file name as a slug (`Roth Ladder.pdf` → `roth-ladder`). */
  key: string;
  title: string;
  category: string;
  /** The text the chunks were cut from (Markdown for PDF, Word and HTML); null for upstream chunk files. */
  content: string | null;
  /** SHA-256 (hex) of the file's bytes: an unchanged file re-imports as "unchanged". */
  contentHash: string;
  /** What the file was read as. */
  kind: SourceKind;
  /** In document order; `key` is `<document key>#<ordinal>` unless a chunk file names its chunks. */
  chunks: Array<ChunkDraft & { key: string }>;
  /** Things the user should know that did not stop the import (pages without text, an encoding guess…). */
  warnings: string[];
}

/**
 * Refuse an empty or oversized file before reading it.
 * @param size in bytes
 * @throws AppError `document_empty` (0 bytes) or `document_too_large` (over {@link MAX_DOCUMENT_BYTES})
 */
export function checkDocumentSize({ file, size }: { file: string; size: number }): void {
  if (size === 0) {
    throw fileError("document_empty", file, "the file is empty (0 bytes). Check that it was saved with its content, then choose it again.", { detail: { size } });
  }
  if (size > MAX_DOCUMENT_BYTES) {
    // Rounded up to a tenth, so a file just over the limit never reads as "25 MB, over the 25 MB limit".
    const mb = (Math.ceil((size / (1024 * 1024)) * 10) / 10).toLocaleString("en-US", { maximumFractionDigits: 1 });
    throw fileError(
      "document_too_large",
      file,
      `the file is ${mb} MB, over the ${MAX_DOCUMENT_SIZE_TEXT} limit for one document. Split it into smaller files (for example one per chapter), or remove large pictures, and import those.`,
      { detail: { size, limit: MAX_DOCUMENT_BYTES } },
    );
  }
}

/**
 * Read one file into a document draft.
 *
 * - `.md`/`.markdown`, `.txt`: optional YAML front matter (`key`, `title`, `category`), then the text.
 * - `.pdf`: the text layer, with headings from font sizes (extract-pdf.ts).
 * - `.docx`: Word headings kept (extract-docx.ts), after the ZIP-bomb checks.
 * - `.html`/`.htm`: converted to Markdown, headings kept.
 * - `.json`: an upstream chunk file (`document` + `chunks`), stored as its chunks are.
 *
 * Title: front matter, else the first `#` heading, else the PDF's or page's own title, else the
 * file name. Category: front matter or chunk file, else `defaultCategory`, else "Uncategorized".
 *
 * @param file the file's name as the user knows it (a relative path is fine); used for the kind,
 *   the key, and every message
 * @param defaultCategory category for documents that do not name their own
 * @throws AppError, each with `detail.file` and `detail.reason`: `document_empty`, `document_too_large`,
 *   `document_type_unsupported`, `document_type_mismatch`, `document_no_text`, `document_invalid`
 *   (front matter or chunk file; `detail.problems` lists each problem), `document_not_a_document`
 *   (another kind of import JSON), `pdf_no_text`, `pdf_encrypted`, `pdf_unreadable`,
 *   `docx_unreadable`, `docx_too_large_unpacked`
 */
export async function readDocumentSource({ file, bytes, defaultCategory }: { file: string; bytes: Uint8Array; defaultCategory?: string }): Promise<DocumentDraft> {
  checkDocumentSize({ file, size: bytes.length });
  const kind = await identifySourceKind({ file, bytes });
  const contentHash = sha256(bytes);
  const fallbackCategory = defaultCategory?.trim() || UNCATEGORIZED;
  const fileTitle = path.basename(file, path.extname(file));
  const keyFromName = slugFromFileName(file, contentHash);

  if (kind === "json") return readChunkFile({ file, bytes, contentHash });
  if (kind === "markdown" || kind === "text") {
    const { text, warning } = decodeText(bytes);
    return readMarkdownOrText({ file, text, kind, contentHash, fallbackCategory, fileTitle, keyFromName, warnings: warning ? [warning] : [] });
  }

  let markdown: string;
  let foundTitle: string | null;
  const warnings: string[] = [];
  // The extractors load their libraries (PDF.js, mammoth, the HTML converter) on first use, so
  // importing Markdown or JSON, or starting the server, does not load them.
  if (kind === "pdf") {
    const { extractPdfText } = await import("./extract-pdf");
    const pdf = await extractPdfText({ file, bytes });
    markdown = pdf.markdown;
    foundTitle = pdf.title;
    if (pdf.pagesWithoutText.length) {
      warnings.push(`${describePages(pdf.pagesWithoutText)} of ${pdf.pageCount} ${pdf.pagesWithoutText.length === 1 ? "has" : "have"} no selectable text (scanned or blank), so ${pdf.pagesWithoutText.length === 1 ? "its" : "their"} content is not included; run OCR on the PDF to include ${pdf.pagesWithoutText.length === 1 ? "it" : "them"}`);
    }
  } else if (kind === "docx") {
    const { extractDocxText } = await import("./extract-docx");
    const docx = await extractDocxText({ file, bytes });
    markdown = docx.markdown;
    foundTitle = docx.title;
    warnings.push(...docx.warnings);
  } else {
    const { text, warning } = decodeText(bytes);
    if (warning) warnings.push(warning);
    const { htmlToMarkdown } = await import("./html-to-markdown");
    const html = htmlToMarkdown(text);
    markdown = html.markdown;
    const heading = /^# (.+)$/m.exec(markdown);
    foundTitle = heading?.[1].trim() || html.title;
    if (!/[\p{L}\p{N}]/u.test(markdown)) {
      throw fileError("document_no_text", file, "the HTML page has no text once scripts, styles, navigation and pictures are left out. Save the page's text, or paste it into a .txt or .md file.");
    }
  }
  const title = foundTitle || fileTitle;
  const drafts = await chunkDocument({ text: markdown, format: "markdown", title });
  return {
    key: keyFromName,
    title,
    category: fallbackCategory,
    content: markdown,
    contentHash,
    kind,
    chunks: drafts.map((d) => ({ ...d, key: `${keyFromName}#${d.ordinal}` })),
    warnings,
  };
}

async function readMarkdownOrText(input: {
  file: string;
  text: string;
  kind: "markdown" | "text";
  contentHash: string;
  fallbackCategory: string;
  fileTitle: string;
  keyFromName: string;
  warnings: string[];
}): Promise<DocumentDraft> {
  const { file, text, kind } = input;
  let front: ReturnType<typeof parseFrontMatter>;
  try {
    front = parseFrontMatter(text, file);
  } catch (error) {
    // parseFrontMatter names the file first ("notes/x.md line 3: …").
    const message = error instanceof Error ? error.message : String(error);
    throw fileError("document_invalid", file, message.startsWith(`${file} `) ? message.slice(file.length + 1) : message, { cause: error });
  }
  const meta = documentFrontMatterSchema.safeParse(front.data ?? {}, PLAIN_ERRORS);
  if (!meta.success) {
    const problems: ImportProblem[] = meta.error.issues.map((i) => ({ file, where: `front matter ${jsonPath(i.path)}`, message: i.message }));
    throw invalid(file, problems);
  }
  const body = front.body.trim();
  if (!body) {
    throw fileError("document_no_text", file, "the document has no text (only front matter or blank lines). Add its text, or leave the file out.");
  }
  const heading = /^#\s+(.+)$/m.exec(body);
  const title = meta.data.title?.trim() || heading?.[1].trim() || input.fileTitle;
  const key = meta.data.key ?? input.keyFromName;
  const drafts = await chunkDocument({ text: body, format: kind, title });
  return {
    key,
    title,
    category: meta.data.category?.trim() || input.fallbackCategory,
    content: body,
    contentHash: input.contentHash,
    kind,
    chunks: drafts.map((d) => ({ ...d, key: `${key}#${d.ordinal}` })),
    warnings: input.warnings,
  };
}

/** Plain names of the other import-file kinds, for "this is a … file, not a document". */
const JSON_KIND_NAMES: Record<string, string> = {
  workspace: "a workspace file",
  scenarios: "a scenarios file",
  seeds: "a seed-conversations file",
  templates: "a templates file",
  taxonomy: "a taxonomy file (personas, arcs, topics, intents, tones or edge cases)",
};

async function readChunkFile({ file, bytes, contentHash }: { file: string; bytes: Uint8Array; contentHash: string }): Promise<DocumentDraft> {
  const { text } = decodeText(bytes);
  const parsed = parseJson(text);
  if (!parsed.ok) throw invalid(file, [{ file, where: parsed.where, message: parsed.message }]);
  const kind = jsonKind(parsed.value);
  if (kind !== "chunks") {
    const what = kind ? JSON_KIND_NAMES[kind] : "a JSON file Bright Run does not know";
    throw fileError(
      "document_not_a_document",
      file,
      `this is ${what}, not a document. A document in JSON is a chunk file with top-level "document" and "chunks" keys (docs/import-formats.md); import other workspace files with \`brightrun import\`.`,
      { detail: { jsonKind: kind } },
    );
  }
  const result = chunkFileSchema.safeParse(parsed.value, PLAIN_ERRORS);
  if (!result.success) throw invalid(file, zodProblems(file, result.error, text, parsed.tree));
  return documentFromChunkFile({ data: result.data, contentHash });
}

/**
 * A document draft from a validated upstream chunk file: chunks stored as they are, a summary and
 * key terms computed for chunks that lack them (key terms weighted across the file's chunks).
 * @param contentHash SHA-256 (hex) of the file
 */
export function documentFromChunkFile({ data, contentHash }: { data: ChunkFile; contentHash: string }): DocumentDraft {
  const { document, chunks } = data;
  const corpus = buildKeyTermCorpus(chunks.map((c) => c.content));
  return {
    key: document.key,
    title: document.title,
    category: document.category,
    content: null,
    contentHash,
    kind: "json",
    chunks: chunks.map((c, i) => ({
      ordinal: i + 1,
      key: c.chunk_id ?? `${document.key}#${i + 1}`,
      heading: c.heading ?? null,
      content: c.content,
      summary: c.summary?.trim() || summarizeText(c.content, "text"),
      keyTerms: c.key_terms?.length ? c.key_terms : extractKeyTerms(c.content, { max: 8, corpus }),
      tokenCount: Math.ceil(c.content.length / 4),
      dimensions: c.dimensions,
    })),
    warnings: [],
  };
}

function invalid(file: string, problems: ImportProblem[]): AppError {
  const listed = problems.map((p) => `${p.where ? `(${p.where}) ` : ""}${p.message}`).join("; ");
  const reason = problems.length === 1 ? listed : `${problems.length} problems: ${listed}`;
  return fileError("document_invalid", file, `${reason}. See docs/import-formats.md.`, { detail: { problems } });
}

/** The outcome of previewing one file: its draft, or why it can't be imported. */
export type DocumentPreview =
  | { file: string; ok: true; document: DocumentDraft }
  | { file: string; ok: false; error: ReturnType<typeof toPlainError> };

/**
 * Preview many files: each one read and chunked as {@link readDocumentSource} does, nothing stored.
 * Files are read one after another (PDF.js and the chunker are single-threaded) and a bad file
 * never stops the others. Two files with the same document key: the later one gets
 * `document_key_duplicate`, since importing both would store only one.
 *
 * @param onFileDone called after each file (for a per-file progress display), with its index in `files`
 * @returns one entry per file, in the order given; `error` is `{ code, message, retryable, detail }`
 *   with `detail.file` and `detail.reason` (see {@link readDocumentSource} for the codes)
 */
export async function previewDocumentSources({
  files,
  defaultCategory,
  onFileDone,
}: {
  files: DocumentSourceFile[];
  defaultCategory?: string;
  onFileDone?: (preview: DocumentPreview, index: number) => void;
}): Promise<DocumentPreview[]> {
  const previews: DocumentPreview[] = [];
  const fileOfKey = new Map<string, string>();
  for (const [index, source] of files.entries()) {
    let preview: DocumentPreview;
    try {
      const read = await readDocumentSource({ file: source.name, bytes: source.bytes, defaultCategory });
      const chosen = source.category?.trim();
      const document = chosen ? { ...read, category: chosen } : read;
      const first = fileOfKey.get(document.key);
      if (first !== undefined) {
        throw fileError(
          "document_key_duplicate",
          source.name,
          `${first} in the same import has the same document key "${document.key}", and only one of them would be kept. Rename one of the files${document.kind === "markdown" || document.kind === "text" ? ', or give it its own "key:" in its front matter' : ""}.`,
          { detail: { key: document.key, otherFile: first } },
        );
      }
      fileOfKey.set(document.key, source.name);
      preview = { file: source.name, ok: true, document };
    } catch (error) {
      preview = { file: source.name, ok: false, error: toPlainError(error) };
    }
    previews.push(preview);
    onFileDone?.(preview, index);
  }
  return previews;
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Document key from a file name: lower case, other characters as "-", at most 100 characters; `document-<hash>` when nothing is left. */
function slugFromFileName(file: string, contentHash: string): string {
  const slug = path
    .basename(file, path.extname(file))
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^[-_]+|-+$/g, "")
    .slice(0, 100)
    .replace(/-+$/g, "");
  return slug || `document-${contentHash.slice(0, 8)}`;
}

/** "Page 3", "Pages 2, 5 and 7–9" */
function describePages(pages: number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < pages.length; i++) {
    let j = i;
    while (j + 1 < pages.length && pages[j + 1] === pages[j] + 1) j++;
    ranges.push(j > i ? `${pages[i]}–${pages[j]}` : `${pages[i]}`);
    i = j;
  }
  const list = ranges.length === 1 ? ranges[0] : `${ranges.slice(0, -1).join(", ")} and ${ranges[ranges.length - 1]}`;
  return `${pages.length === 1 ? "Page" : "Pages"} ${list}`;
}

