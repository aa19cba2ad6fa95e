/**
 * Which kind of document a file is, from its name and its bytes. The extension says what the user
 * means the file to be; the first bytes (magic numbers, read by the `file-type` package) say what it
 * is. Both must agree: a PNG renamed `notes.pdf` is refused with what it really is, never guessed at.
 * Also the shared per-file error helpers of document import. Pure: no database, no network.
 */
import path from "node:path";
import { fileTypeFromBuffer } from "file-type";
import { AppError } from "../errors";
import type { ImportProblem } from "./json-problems";
import { SUPPORTED_SOURCE_TYPES, SUPPORTED_TYPES_TEXT, type SourceKind } from "./document-limits";

export { SUPPORTED_SOURCE_TYPES, SUPPORTED_TYPES_TEXT, type SourceKind } from "./document-limits";

/**
 * An AppError about one file. `message` is "<file>: <reason>"; `detail.file` and `detail.reason`
 * keep the two parts apart so a list of problems can show the file once.
 * @param reason plain English that reads after "<file>: ", saying what to do next
 */
export function fileError(code: string, file: string, reason: string, options: { detail?: Record<string, unknown>; cause?: unknown } = {}): AppError {
  return new AppError(code, `${file}: ${reason}`, { detail: { ...options.detail, file, reason }, cause: options.cause });
}

/**
 * The import problems an error thrown while reading `file` stands for: the error's own list
 * (`detail.problems`), else its reason, else its message without a leading "<file>: " or "<file> ".
 */
export function importProblemsFromError(file: string, error: unknown): ImportProblem[] {
  if (error instanceof AppError) {
    const listed = error.detail.problems;
    if (Array.isArray(listed) && listed.length > 0) return listed as ImportProblem[];
    if (typeof error.detail.reason === "string") return [{ file, where: null, message: error.detail.reason }];
  }
  const message = error instanceof Error ? error.message : String(error);
  const withoutFile = message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message.startsWith(`${file} `) ? message.slice(file.length + 1) : message;
  return [{ file, where: null, message: withoutFile }];
}

/** The kind a file name asks for, from its extension (case-insensitive); null for any other extension. */
export function sourceKindFromName(name: string): SourceKind | null {
  const extension = path.extname(name).toLowerCase();
  return SUPPORTED_SOURCE_TYPES.find((t) => t.extensions.includes(extension))?.kind ?? null;
}

/** What `file-type` found in a file's first bytes. */
interface DetectedType {
  ext: string;
  mime: string;
}

/** Plain names of what people most often pick by mistake (file-type's extension → words). */
const TYPE_NAMES: Record<string, string> = {
  pdf: "a PDF document",
  docx: "a Word document (.docx)",
  doc: "an older Word document (.doc)",
  cfb: "an older Microsoft Office file (.doc, .xls or .ppt, Office 97–2003) or a password-protected Office file",
  xlsx: "an Excel spreadsheet (.xlsx)",
  pptx: "a PowerPoint presentation (.pptx)",
  odt: "an OpenDocument text (.odt)",
  ods: "an OpenDocument spreadsheet (.ods)",
  odp: "an OpenDocument presentation (.odp)",
  rtf: "a Rich Text Format file (.rtf)",
  epub: "an EPUB e-book",
  zip: "a ZIP archive",
  gz: "a gzip archive",
  "7z": "a 7-Zip archive",
  rar: "a RAR archive",
  png: "a PNG image",
  jpg: "a JPEG image",
  gif: "a GIF image",
  webp: "a WebP image",
  heic: "a HEIC photo",
  tif: "a TIFF image",
  bmp: "a BMP image",
  xml: "an XML file",
  exe: "a Windows program",
  mp3: "an MP3 audio file",
  mp4: "an MP4 video",
  mov: "a QuickTime video",
};

function describeType(type: DetectedType): string {
  return TYPE_NAMES[type.ext] ?? `a .${type.ext} file (${type.mime})`;
}

/** What to do with a file of this real type, when there is something specific to say: one or two sentences. */
function specificAdviceFor(type: DetectedType): string | null {
  if (type.ext === "pdf") return "Rename it to end in .pdf.";
  if (type.ext === "docx") return "Rename it to end in .docx.";
  if (type.ext === "cfb" || type.ext === "doc") return "If it is a Word file, remove any password, open it in Word and save it as .docx (Word Document).";
  if (["odt", "rtf", "epub", "pptx", "xlsx", "ods", "odp"].includes(type.ext)) return "Open it in the program that made it and save or export it as .docx or PDF.";
  if (/^(png|jpg|gif|webp|heic|tif|bmp)$/.test(type.ext)) return "Bright Run reads text, not pictures: run OCR on it, or paste its text into a .txt or .md file.";
  return null;
}

/** What to do with a file of this real type: one or two sentences. */
function adviceFor(type: DetectedType): string {
  return specificAdviceFor(type) ?? `Export its text as one of: ${SUPPORTED_TYPES_TEXT}.`;
}

/** The bytes a PDF starts with; the PDF spec lets readers accept it anywhere in the first 1,024 bytes. */
const PDF_HEADER = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"

function hasPdfHeader(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length - PDF_HEADER.length, 1024);
  for (let i = 0; i <= end; i++) {
    if (PDF_HEADER.every((b, j) => bytes[i + j] === b)) return true;
  }
  return false;
}

/**
 * The document kind of a file, checked against its bytes.
 *
 * - `.pdf` must hold a PDF (`%PDF-` in its first 1,024 bytes), `.docx` a ZIP container (`file-type`
 *   recognises Word from `[Content_Types].xml`, inflating at most 1 MiB per entry while looking; any
 *   other ZIP is left to the DOCX reader, which says what is wrong with it).
 * - `.md`, `.markdown`, `.txt`, `.html`, `.htm` and `.json` must be text: no binary type recognised
 *   (XML is allowed for HTML, since XHTML starts with `<?xml`) and no NUL bytes outside UTF-16.
 *
 * @param file the name shown to the user (a path is fine); its extension picks the kind
 * @throws AppError `document_type_unsupported` when the extension is not one of {@link SUPPORTED_SOURCE_TYPES}
 *   (the message lists them, and says what the bytes are when `file-type` knows)
 * @throws AppError `document_type_mismatch` when the bytes are something else than the extension says
 */
export async function identifySourceKind({ file, bytes }: { file: string; bytes: Uint8Array }): Promise<SourceKind> {
  const kind = sourceKindFromName(file);
  const detected = await detectType(bytes);
  const extension = path.extname(file).toLowerCase();
  if (!kind) {
    const what = extension ? `"${extension}" files` : "files without an extension";
    const specific = detected ? specificAdviceFor(detected) : null;
    const advice = specific ? ` ${specific}` : "";
    const really = detected ? ` This one is ${describeType(detected)}.${advice}` : "";
    throw fileError("document_type_unsupported", file, `Bright Run can't import ${what}.${really} Supported: ${SUPPORTED_TYPES_TEXT}.`, {
      detail: { extension, detected: detected?.ext ?? null },
    });
  }
  const mismatch = (expected: string, actual: string, advice: string) =>
    fileError("document_type_mismatch", file, `the name says ${expected}, but the file is ${actual}. ${advice}`, { detail: { extension, detected: detected?.ext ?? null } });
  if (kind === "pdf") {
    if (detected?.ext === "pdf" || hasPdfHeader(bytes)) return kind;
    throw mismatch("PDF", detected ? describeType(detected) : looksLikeText(bytes) ? "text, not a PDF" : "not a PDF (it does not start with %PDF-)", detected ? adviceFor(detected) : "Export or save it again as a PDF.");
  }
  if (kind === "docx") {
    // A damaged or oddly ordered ZIP may not be recognised as Word by its first entries: the DOCX
    // reader opens it and says what is wrong with it.
    if (detected?.ext === "docx" || detected?.ext === "zip" || (!detected && isZipStart(bytes))) return kind;
    throw mismatch("a Word document (.docx)", detected ? describeType(detected) : "not a Word document", detected ? adviceFor(detected) : "Open the original in Word and save it as .docx.");
  }
  if (detected && !(kind === "html" && detected.ext === "xml") && !TEXT_LIKE_TYPES.has(detected.ext)) {
    throw mismatch(`a text file (${extension})`, describeType(detected), adviceFor(detected));
  }
  if (!looksLikeText(bytes)) throw mismatch(`a text file (${extension})`, "binary data, not text", `Save it as text (UTF-8), or export it as one of: ${SUPPORTED_TYPES_TEXT}.`);
  return kind;
}

/** A ZIP local file header ("PK\x03\x04") at the start. */
function isZipStart(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Types file-type reports for some text files; they are still read as text. */
const TEXT_LIKE_TYPES = new Set(["xml", "svg", "ics", "vtt", "srt", "txt"]);

async function detectType(bytes: Uint8Array): Promise<DetectedType | null> {
  if (bytes.length === 0) return null;
  try {
    return (await fileTypeFromBuffer(bytes)) ?? null;
  } catch {
    // A damaged container can make detection itself fail; the reader then reports the damage.
    return null;
  }
}

/** True when the bytes start with a UTF-16 byte-order mark or hold no NUL byte in their first 8 KiB. */
function looksLikeText(bytes: Uint8Array): boolean {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return true;
  return !bytes.subarray(0, 8192).includes(0);
}

/**
 * Windows-1252 characters at 0x80–0x9F (where ISO-8859-1 has control codes), from the WHATWG
 * Encoding Standard's index-windows-1252. Node 20's TextDecoder("windows-1252") decodes these bytes
 * as ISO-8859-1 control characters, so they are mapped here.
 */
const WINDOWS_1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";

/**
 * Decode a text file: UTF-8 (a byte-order mark is dropped), UTF-16 with a byte-order mark, and
 * otherwise Windows-1252, the usual encoding of older Windows text files.
 * @returns the text and, when it was not UTF-8 or UTF-16, a warning for the user
 */
export function decodeText(bytes: Uint8Array): { text: string; warning: string | null } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), warning: null };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)), warning: null };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes), warning: null };
  } catch {
    return {
      text: new TextDecoder("latin1").decode(bytes).replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]),
      warning: "the file is not UTF-8, so it was read as Windows-1252 (Western European); if accented letters or quotes look wrong, save it as UTF-8 and import it again",
    };
  }
}
