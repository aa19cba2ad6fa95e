/**
 * Test documents made in memory, so no binary fixture is committed: PDFs written by pdfkit (text
 * with real font sizes, running headers and page numbers, password protection, image-only pages),
 * Word files written as the minimal OOXML package (ECMA-376 part 1: [Content_Types].xml, the package
 * relationships, word/document.xml and word/styles.xml) zipped by fflate, and PNG images.
 */
import PDFDocument from "pdfkit";
import { strToU8, zipSync, zlibSync, type Zippable } from "fflate";

/** One block of a test PDF. Headings: level 1 at 24 pt, 2 at 18 pt, 3 at 14 pt; body text at 11 pt. */
export type PdfBlock = { heading: string; level?: 1 | 2 | 3 } | { text: string } | { list: string[] } | { pageBreak: true } | { image: true };

const HEADING_SIZES = { 1: 24, 2: 18, 3: 14 } as const;

/**
 * A PDF with a text layer (or, with `{ image: true }` blocks only, none).
 * @param runningHeader drawn at the top of every page, with "Page N of M" at the bottom
 * @param userPassword encrypts the PDF: it can't be opened without this password
 */
export function makePdf({
  blocks,
  title,
  runningHeader,
  userPassword,
}: {
  blocks: PdfBlock[];
  title?: string;
  runningHeader?: string;
  userPassword?: string;
}): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      bufferPages: true,
      info: title ? { Title: title } : {},
      ...(userPassword ? { userPassword, ownerPassword: `${userPassword}-owner`, pdfVersion: "1.7" as const } : {}),
    });
    const parts: Buffer[] = [];
    doc.on("data", (part: Buffer) => parts.push(part));
    doc.on("end", () => resolve(new Uint8Array(Buffer.concat(parts))));
    doc.on("error", reject);
    for (const block of blocks) {
      if ("heading" in block) {
        doc.moveDown(0.5).fontSize(HEADING_SIZES[block.level ?? 2]).text(block.heading).moveDown(0.3);
      } else if ("text" in block) {
        doc.fontSize(11).text(block.text, { align: "left" }).moveDown(0.8);
      } else if ("list" in block) {
        doc.fontSize(11).list(block.list, { bulletRadius: 2 }).moveDown(0.8);
      } else if ("pageBreak" in block) {
        doc.addPage();
      } else {
        doc.image(makePng(60, 40), 72, 72, { width: 450 });
      }
    }
    if (runningHeader) {
      const range = doc.bufferedPageRange();
      for (let i = range.start; i < range.start + range.count; i++) {
        doc.switchToPage(i);
        const bottom = doc.page.margins.bottom;
        doc.page.margins.bottom = 0;
        doc.fontSize(9).text(runningHeader, 72, 30, { lineBreak: false });
        doc.fontSize(9).text(`Page ${i + 1} of ${range.count}`, 72, doc.page.height - 40, { lineBreak: false });
        doc.page.margins.bottom = bottom;
      }
    }
    doc.end();
  });
}

/** A grey PNG image of the given size (a valid file: signature, IHDR, zlib IDAT, IEND with CRCs). */
export function makePng(width: number, height: number): Buffer {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Uint8Array) => {
    let c = 0xffffffff;
    for (const b of bytes) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, "latin1");
    Buffer.from(data).copy(out, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.alloc((width + 1) * height, 180);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0; // filter type "none"
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", header), chunk("IDAT", zlibSync(rows)), chunk("IEND", new Uint8Array())]);
}

/** A paragraph of a test Word document, in a built-in style (the style names Word itself uses). */
export interface DocxParagraph {
  text: string;
  style?: "Title" | "Heading1" | "Heading2" | "Heading3";
}

const W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const STYLE_NAMES = { Title: "Title", Heading1: "heading 1", Heading2: "heading 2", Heading3: "heading 3" } as const;

function xmlText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The parts of a minimal .docx, as file name → bytes (add or replace parts before zipping). */
export function docxParts(paragraphs: DocxParagraph[]): Record<string, Uint8Array> {
  const body = paragraphs
    .map((p) => `<w:p>${p.style ? `<w:pPr><w:pStyle w:val="${p.style}"/></w:pPr>` : ""}<w:r><w:t xml:space="preserve">${xmlText(p.text)}</w:t></w:r></w:p>`)
    .join("");
  const styles = Object.entries(STYLE_NAMES)
    .map(([id, name]) => `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/></w:style>`)
    .join("");
  return {
    "[Content_Types].xml": strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`,
    ),
    "_rels/.rels": strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
    ),
    "word/_rels/document.xml.rels": strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
    ),
    "word/styles.xml": strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles ${W_NS}>${styles}</w:styles>`),
    "word/document.xml": strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${W_NS}><w:body>${body}</w:body></w:document>`),
  };
}

/** A .docx file: the parts zipped (deflate), `[Content_Types].xml` first as Word writes it. */
export function makeDocx(paragraphs: DocxParagraph[], extraParts: Record<string, Uint8Array> = {}): Uint8Array {
  return zipSync({ ...docxParts(paragraphs), ...extraParts } as Zippable, { level: 6 });
}

/**
 * Overwrite the uncompressed size the ZIP's central directory declares for `entryName` (what a
 * reader trusts before inflating), to make a ZIP that lies about its size.
 * Layout: PKWARE APPNOTE 4.3.12 (central directory header: signature 0x02014b50, uncompressed size at +24, name length at +28, name at +46).
 */
export function withDeclaredSize(zip: Uint8Array, entryName: string, uncompressedSize: number, { alsoLocalHeader = false } = {}): Uint8Array {
  const out = Buffer.from(zip);
  const name = Buffer.from(entryName, "utf8");
  for (let i = out.length - 46; i >= 0; i--) {
    if (out.readUInt32LE(i) !== 0x02014b50) continue;
    const nameLength = out.readUInt16LE(i + 28);
    if (nameLength === name.length && out.subarray(i + 46, i + 46 + nameLength).equals(name)) {
      out.writeUInt32LE(uncompressedSize, i + 24);
      if (alsoLocalHeader) out.writeUInt32LE(uncompressedSize, out.readUInt32LE(i + 42) + 22);
      return new Uint8Array(out);
    }
  }
  throw new Error(`no central directory entry named ${entryName}`);
}
