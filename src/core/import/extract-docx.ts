/**
 * Text of a Word document (.docx) as Markdown: the ZIP container is checked first against
 * decompression bombs (by `yauzl`, before anything is inflated into memory), then `mammoth` turns
 * the document into HTML (Word's "Heading 1"–"Heading 6" and "Title" styles become headings) and
 * {@link htmlToMarkdown} makes Markdown of it. Images are left out. Pure: no database, no network,
 * no file access (mammoth's access to files a document links to is switched off).
 */
import mammoth from "mammoth";
import yauzl from "yauzl";
import { isAppError } from "../errors";
import { fileError } from "./detect-file-type";
import { htmlToMarkdown } from "./html-to-markdown";

/** At most this many entries (parts) in a DOCX's ZIP container. Real documents have tens; one with many images a few hundred. */
export const DOCX_MAX_ENTRIES = 1000;
/** At most this many bytes when every part is unpacked (declared sizes, and checked while inflating): 100 MiB. */
export const DOCX_MAX_UNPACKED_BYTES = 100 * 1024 * 1024;
/** A part of 1 MiB or more may unpack to at most this many times its packed size (Word's XML packs about 5–20×). */
export const DOCX_MAX_COMPRESSION_RATIO = 100;
const RATIO_CHECKED_FROM_BYTES = 1024 * 1024;

const MIB = 1024 * 1024;

/** Word styles mapped to headings beyond mammoth's defaults (which map "Heading 1"–"Heading 6"). */
const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => p:fresh"];

/**
 * Check a DOCX's ZIP container before it is opened: entry count, declared unpacked sizes, the
 * packing ratio of large parts, and then, by inflating each part as a stream and counting, that no
 * part unpacks to more than it declares (yauzl stops a stream that does). Limits:
 * {@link DOCX_MAX_ENTRIES}, {@link DOCX_MAX_UNPACKED_BYTES}, {@link DOCX_MAX_COMPRESSION_RATIO}.
 * ZIP format: PKWARE APPNOTE.TXT (central directory sizes, section 4.4.8–4.4.9).
 *
 * @param file name shown in errors
 * @returns the number of entries and the total unpacked bytes
 * @throws AppError `docx_too_large_unpacked` when a limit is exceeded (nothing has been inflated past it)
 * @throws AppError `docx_unreadable` when the ZIP container is damaged or incomplete
 */
export async function inspectDocxContainer({ file, bytes }: { file: string; bytes: Uint8Array }): Promise<{ entries: number; unpackedBytes: number }> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(buffer);
  } catch (error) {
    throw unreadable(file, error);
  }
  const tooLarge = (what: string, detail: Record<string, unknown>) =>
    fileError(
      "docx_too_large_unpacked",
      file,
      `${what}. Bright Run refuses Word files that unpack beyond ${formatMiB(DOCX_MAX_UNPACKED_BYTES)}, have more than ${DOCX_MAX_ENTRIES.toLocaleString("en-US")} parts, or have a part that unpacks to more than ${DOCX_MAX_COMPRESSION_RATIO}× its size: such files are damaged or made to exhaust memory (a "zip bomb"). Open the document in Word, save a fresh copy (without large embedded files), and import that.`,
      { detail: { ...detail, limits: { entries: DOCX_MAX_ENTRIES, unpackedBytes: DOCX_MAX_UNPACKED_BYTES, compressionRatio: DOCX_MAX_COMPRESSION_RATIO } } },
    );
  if (zip.entryCount > DOCX_MAX_ENTRIES) {
    zip.close();
    throw tooLarge(`the Word file has ${zip.entryCount.toLocaleString("en-US")} parts inside`, { entries: zip.entryCount });
  }
  let declared = 0;
  let inflated = 0;
  try {
    for await (const entry of readEntries(zip)) {
      if (entry.fileName.endsWith("/")) continue;
      declared += entry.uncompressedSize;
      if (declared > DOCX_MAX_UNPACKED_BYTES) {
        throw tooLarge(`the Word file would unpack to more than ${formatMiB(DOCX_MAX_UNPACKED_BYTES)}`, { declaredBytes: declared, entry: entry.fileName });
      }
      if (entry.uncompressedSize >= RATIO_CHECKED_FROM_BYTES && entry.uncompressedSize > DOCX_MAX_COMPRESSION_RATIO * Math.max(1, entry.compressedSize)) {
        const ratio = Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize));
        throw tooLarge(`the part "${entry.fileName}" unpacks ${ratio.toLocaleString("en-US")} times larger than it is packed`, { entry: entry.fileName, ratio });
      }
      inflated += await countEntryBytes(zip, entry);
    }
  } catch (error) {
    if (isAppError(error)) throw error;
    throw unreadable(file, error);
  } finally {
    zip.close();
  }
  return { entries: zip.entryCount, unpackedBytes: inflated };
}

/**
 * Markdown of a Word document, after {@link inspectDocxContainer}.
 * @returns `markdown` (Word headings as `#` headings), `title` (the first heading, else null) and
 *   `warnings` for the user (e.g. parts mammoth could not read)
 * @throws AppError `docx_too_large_unpacked`, `docx_unreadable` (damaged, incomplete, or not a Word
 *   document inside), `document_no_text` (no text at all, e.g. only pictures)
 */
export async function extractDocxText({ file, bytes }: { file: string; bytes: Uint8Array }): Promise<{ markdown: string; title: string | null; warnings: string[] }> {
  await inspectDocxContainer({ file, bytes });
  let html: string;
  const warnings: string[] = [];
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        styleMap: STYLE_MAP,
        externalFileAccess: false,
        // Pictures carry no text for training; never read their bytes.
        convertImage: mammoth.images.imgElement(async () => ({ src: "" })),
      },
    );
    html = result.value;
    const errors = result.messages.filter((m) => m.type === "error");
    if (errors.length) warnings.push(`some parts of the document could not be read and are left out (${errors.map((m) => m.message).join("; ")})`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/main document part/i.test(message)) {
      throw fileError("docx_unreadable", file, "this is a ZIP archive without a Word document inside. Open the original in Word and save it as .docx (Word Document).", { cause: error });
    }
    throw unreadable(file, error);
  }
  const { markdown } = htmlToMarkdown(html);
  if (!/[\p{L}\p{N}]/u.test(markdown)) {
    throw fileError("document_no_text", file, "the Word document has no text (it may hold only pictures or be empty). Add the text, or paste it into a .txt or .md file.");
  }
  const heading = /^#{1,6}\s+(.+)$/m.exec(markdown);
  return { markdown, title: heading ? heading[1].trim() : null, warnings };
}

function unreadable(file: string, error: unknown) {
  const technical = error instanceof Error ? error.message : String(error);
  return fileError("docx_unreadable", file, `the Word file is damaged or incomplete (${technical}). Open it in Word and save it again as .docx, or export it as PDF.`, {
    cause: error,
    detail: { technical },
  });
}

function openZip(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false, decodeStrings: true }, (error, zip) => {
      if (error) return reject(error);
      // Errors are taken by the listeners of readEntries and the entry streams; this one keeps an
      // error emitted between them from becoming an uncaught exception.
      zip.on("error", () => {});
      resolve(zip);
    });
  });
}

/** The entries of a lazily read ZIP, one at a time. */
async function* readEntries(zip: yauzl.ZipFile): AsyncGenerator<yauzl.Entry> {
  while (true) {
    const next = await new Promise<yauzl.Entry | null>((resolve, reject) => {
      const onEntry = (entry: yauzl.Entry) => {
        cleanup();
        resolve(entry);
      };
      const onEnd = () => {
        cleanup();
        resolve(null);
      };
      const onError = (error: Error) => {
        cleanup();
        reject(error);
      };
      const cleanup = () => {
        zip.off("entry", onEntry);
        zip.off("end", onEnd);
        zip.off("error", onError);
      };
      zip.on("entry", onEntry);
      zip.on("end", onEnd);
      zip.on("error", onError);
      zip.readEntry();
    });
    if (!next) return;
    yield next;
  }
}

/** Inflate one entry as a stream, counting bytes without keeping them; yauzl fails the stream when it exceeds the declared size. */
function countEntryBytes(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<number> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) return reject(error);
      let total = 0;
      stream.on("data", (chunk: Buffer) => {
        total += chunk.length;
      });
      stream.on("error", reject);
      stream.on("end", () => resolve(total));
    });
  });
}

function formatMiB(bytes: number): string {
  return `${Math.round(bytes / MIB)} MB`;
}
