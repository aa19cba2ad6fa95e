/**
 * What a document upload may be: the supported types and the size limit. No Node imports, so the
 * browser's file picker and drop zone use the same lists as the server and `brightrun import`.
 */

/** Largest file taken as one document: 25 MB (25 × 1,024 × 1,024 bytes). */
export const MAX_DOCUMENT_BYTES = 25 * 1024 * 1024;
/** {@link MAX_DOCUMENT_BYTES} as people read it. */
export const MAX_DOCUMENT_SIZE_TEXT = "25 MB";

/** A kind of file Bright Run reads as a document (a `.json` file may also be another import file). */
export type SourceKind = "markdown" | "text" | "pdf" | "docx" | "html" | "json";

/** The supported document types, by extension (lower case, with the dot). */
export const SUPPORTED_SOURCE_TYPES: ReadonlyArray<{ kind: SourceKind; extensions: readonly string[]; label: string }> = [
  { kind: "markdown", extensions: [".md", ".markdown"], label: "Markdown (.md)" },
  { kind: "text", extensions: [".txt"], label: "plain text (.txt)" },
  { kind: "pdf", extensions: [".pdf"], label: "PDF (.pdf)" },
  { kind: "docx", extensions: [".docx"], label: "Word (.docx)" },
  { kind: "html", extensions: [".html", ".htm"], label: "HTML (.html, .htm)" },
  { kind: "json", extensions: [".json"], label: "chunk JSON (.json)" },
];

/** "Markdown (.md), plain text (.txt), PDF (.pdf), Word (.docx), HTML (.html, .htm) and chunk JSON (.json)" */
export const SUPPORTED_TYPES_TEXT = `${SUPPORTED_SOURCE_TYPES.slice(0, -1)
  .map((t) => t.label)
  .join(", ")} and ${SUPPORTED_SOURCE_TYPES[SUPPORTED_SOURCE_TYPES.length - 1].label}`;

/** Every supported extension, comma-separated: the `accept` attribute of a file input (".md,.markdown,.txt,…"). */
export const SUPPORTED_EXTENSIONS_ACCEPT = SUPPORTED_SOURCE_TYPES.flatMap((t) => t.extensions).join(",");
