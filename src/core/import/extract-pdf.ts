/**
 * Text of a PDF as Markdown, from its text layer, by `unpdf` (Mozilla's PDF.js built to run without
 * a worker or canvas). PDF.js gives positioned pieces of text with their font size; from those this
 * module rebuilds lines, paragraphs and headings:
 *
 * - **lines**: pieces on the same baseline (within half a font size) join, with a space where there
 *   is a gap;
 * - **running headers and footers**: a line among the top two or bottom two of at least half the
 *   pages (and of at least 2), digits ignored ("Page 3 of 40"), and bare page numbers there, are dropped;
 * - **headings**: lines set at least 15% larger than the body text (the size most characters have),
 *   up to 200 characters; the largest size becomes `#`, the next `##`, any smaller `###`; a heading
 *   wrapped over two lines is one heading. PDF.js does not say which fonts are bold, so headings set
 *   in bold at body size stay body text;
 * - **paragraphs**: a vertical gap 1.4× the usual line spacing starts a paragraph; a line that stops
 *   well short of the right margin ends one line (lists, addresses); lines that fill the width join
 *   with spaces; bullet characters (•, ▪, –…) become Markdown list items;
 * - **pages**: a page break ends a paragraph, unless the page's last line fills the width (then the
 *   paragraph continues on the next page, as a paragraph's last line rarely does).
 *
 * A PDF.js page text layer is what a PDF viewer lets you select; scanned pages have none.
 * Pure apart from PDF.js: no database, no network.
 */
import { extractTextItems, getDocumentProxy, getMeta, type StructuredTextItem } from "unpdf";
import { isAppError } from "../errors";
import { fileError } from "./detect-file-type";

/** A page with fewer non-space characters than this counts as having no selectable text. */
export const PDF_MIN_PAGE_CHARACTERS = 10;
/** A line at least this many times the body font size is a heading. */
const HEADING_SIZE_RATIO = 1.15;
const HEADING_MAX_CHARACTERS = 200;

/** Result of {@link extractPdfText}. */
export interface PdfText {
  /** The text as Markdown: `#`–`###` headings, paragraphs separated by blank lines, `- ` list items. */
  markdown: string;
  /** The first `#` heading, else the PDF's own Title when it looks like one, else null. */
  title: string | null;
  pageCount: number;
  /** 1-based numbers of pages with less than {@link PDF_MIN_PAGE_CHARACTERS} characters of text (scanned or blank). */
  pagesWithoutText: number[];
}

/**
 * Read the text layer of a PDF.
 * @param file name shown in errors
 * @param bytes the PDF file (copied before PDF.js takes it, so the caller's buffer stays usable)
 * @throws AppError `pdf_encrypted` when the PDF needs a password to open
 * @throws AppError `pdf_unreadable` when it is damaged or not a complete PDF
 * @throws AppError `pdf_no_text` when no page has selectable text (a scan or a PDF of images)
 */
export async function extractPdfText({ file, bytes }: { file: string; bytes: Uint8Array }): Promise<PdfText> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, isEvalSupported: false });
  } catch (error) {
    throw openError(file, error);
  }
  try {
    const { items } = await extractTextItems(pdf);
    const layout = layoutPdfText(items);
    if (layout.pagesWithoutText.length === pdf.numPages) {
      throw fileError(
        "pdf_no_text",
        file,
        `this PDF has no selectable text — export it with OCR or paste the text. (${pdf.numPages === 1 ? "Its page is" : `All ${pdf.numPages} pages are`} images, as in a scan; a PDF reader's "Recognize text" / OCR function, or exporting from the original program, makes text Bright Run can read.)`,
        { detail: { pages: pdf.numPages } },
      );
    }
    const heading = /^# (.+)$/m.exec(layout.markdown);
    const title = heading?.[1].trim() || (await readTitle(pdf));
    return { markdown: layout.markdown, title, pageCount: pdf.numPages, pagesWithoutText: layout.pagesWithoutText };
  } catch (error) {
    if (isAppError(error)) throw error;
    throw openError(file, error);
  } finally {
    await pdf.destroy();
  }
}

function openError(file: string, error: unknown) {
  const name = error instanceof Error || (typeof error === "object" && error !== null) ? String((error as { name?: unknown }).name) : "";
  const technical = error instanceof Error || (typeof error === "object" && error !== null) ? String((error as { message?: unknown }).message) : String(error);
  if (name === "PasswordException") {
    return fileError(
      "pdf_encrypted",
      file,
      "this PDF is password-protected, so its text can't be read. Open it with its password and save or print a copy without one (in most PDF readers: File → Print → Save as PDF, or remove the security in its settings), then import that copy.",
      { cause: error, detail: { technical } },
    );
  }
  return fileError("pdf_unreadable", file, `this PDF is damaged or incomplete (${technical}). Open it in a PDF reader and save or export a fresh copy, then import that.`, {
    cause: error,
    detail: { technical },
  });
}

/** The document-information Title, unless it is empty, a file name or a placeholder. */
async function readTitle(pdf: Awaited<ReturnType<typeof getDocumentProxy>>): Promise<string | null> {
  try {
    const { info } = await getMeta(pdf);
    const raw = typeof info?.Title === "string" ? info.Title.replace(/^Microsoft (Word|PowerPoint) - /, "").trim() : "";
    if (!raw || /^untitled\b/i.test(raw) || /\.(docx?|pdf|pptx?|odt|rtf|txt|html?)$/i.test(raw)) return null;
    return raw;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Layout: positioned text → Markdown
// ---------------------------------------------------------------------------------------------

interface Line {
  page: number;
  text: string;
  x: number;
  y: number;
  right: number;
  /** The font size most of the line's characters have. */
  fontSize: number;
}

/**
 * Markdown from PDF.js text items, one array per page (see the module comment for the rules).
 * Exported for tests of the layout rules.
 */
export function layoutPdfText(pages: StructuredTextItem[][]): { markdown: string; pagesWithoutText: number[] } {
  const pagesWithoutText: number[] = [];
  const linesByPage = pages.map((items, index) => {
    const lines = pageLines(items, index + 1);
    const characters = lines.reduce((sum, line) => sum + line.text.replace(/\s+/g, "").length, 0);
    if (characters < PDF_MIN_PAGE_CHARACTERS) pagesWithoutText.push(index + 1);
    return lines;
  });
  dropRunningHeadersAndFooters(linesByPage);
  const lines = linesByPage.flat();
  if (lines.length === 0) return { markdown: "", pagesWithoutText };

  const bodySize = mostCommonSize(lines);
  const headingLevels = headingLevelsBySize(lines, bodySize);
  const leading = usualLineSpacing(lines, bodySize);
  const rightEdges = new Map<number, { left: number; right: number }>();
  for (const line of lines) {
    if (headingLevels.has(roundSize(line.fontSize)) && isHeadingText(line.text)) continue;
    const edges = rightEdges.get(line.page) ?? { left: Infinity, right: -Infinity };
    edges.left = Math.min(edges.left, line.x);
    edges.right = Math.max(edges.right, line.right);
    rightEdges.set(line.page, edges);
  }
  const fillsWidth = (line: Line) => {
    const edges = rightEdges.get(line.page);
    if (!edges || !Number.isFinite(edges.left)) return false;
    return line.right >= edges.left + 0.85 * (edges.right - edges.left);
  };

  const blocks: string[] = [];
  let paragraph: string[] | null = null;
  let heading: { level: number; text: string; last: Line } | null = null;
  let previous: Line | null = null;
  const flushParagraph = () => {
    if (paragraph && paragraph.length) blocks.push(paragraph.join(""));
    paragraph = null;
  };
  const flushHeading = () => {
    if (heading) blocks.push(`${"#".repeat(heading.level)} ${heading.text}`);
    heading = null;
  };

  for (const line of lines) {
    const level = headingLevels.get(roundSize(line.fontSize));
    if (level !== undefined && isHeadingText(line.text)) {
      flushParagraph();
      const continues =
        heading !== null && heading.level === level && heading.last.page === line.page && heading.last.y - line.y > 0 && heading.last.y - line.y < 2 * line.fontSize;
      if (continues && heading) {
        heading.text = `${heading.text} ${line.text}`;
        heading.last = line;
      } else {
        flushHeading();
        heading = { level, text: line.text, last: line };
      }
      previous = null;
      continue;
    }
    flushHeading();
    const text = markdownLine(line.text);
    const isListItem = text.startsWith("- ");
    if (!paragraph || !previous) {
      paragraph = [text];
    } else {
      const samePage = previous.page === line.page;
      const gap = previous.y - line.y;
      const newParagraph = samePage ? gap > 1.4 * leading || gap < -0.5 * line.fontSize : !fillsWidth(previous);
      if (newParagraph) {
        flushParagraph();
        paragraph = [text];
      } else if (isListItem || !fillsWidth(previous)) {
        paragraph.push("\n", text);
      } else {
        paragraph.push(" ", text);
      }
    }
    previous = line;
  }
  flushParagraph();
  flushHeading();
  return { markdown: blocks.join("\n\n").trim(), pagesWithoutText };
}

/** Lines of one page, in the order PDF.js gives the text (the content stream's order). */
function pageLines(items: StructuredTextItem[], page: number): Line[] {
  const lines: Line[] = [];
  let current: (Line & { sizes: Map<number, number> }) | null = null;
  const close = () => {
    if (!current) return;
    const text = current.text.replace(/\s+/g, " ").trim();
    if (text) {
      let best = current.fontSize;
      let bestCount = -1;
      for (const [size, count] of current.sizes) {
        if (count > bestCount) {
          best = size;
          bestCount = count;
        }
      }
      lines.push({ page, text, x: current.x, y: current.y, right: current.right, fontSize: best });
    }
    current = null;
  };
  for (const item of items) {
    if (item.dir === "ttb") continue;
    const size = item.fontSize || item.height || 0;
    if (item.str.trim() === "") {
      if (current && item.str !== "" && item.x > current.right) current.text += " ";
      if (item.hasEOL && item.str !== "") close();
      continue;
    }
    if (current && Math.abs(item.y - current.y) > 0.5 * Math.max(1, Math.min(size, current.fontSize))) close();
    if (!current) {
      current = { page, text: "", x: item.x, y: item.y, right: item.x, fontSize: size, sizes: new Map() };
    } else if (!/\s$/.test(current.text) && !/^\s/.test(item.str) && item.x - current.right > 0.15 * size) {
      current.text += " ";
    }
    current.text += item.str;
    current.x = Math.min(current.x, item.x);
    current.right = Math.max(current.right, item.x + item.width);
    const rounded = roundSize(size);
    current.sizes.set(rounded, (current.sizes.get(rounded) ?? 0) + item.str.replace(/\s+/g, "").length);
    if (item.hasEOL) close();
  }
  close();
  return lines;
}

const PAGE_NUMBER = /^(?:page\s+)?\d{1,4}(?:\s*(?:of|\/)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$/i;

/** Remove running headers/footers and page numbers from the top and bottom two lines of each page (in place). */
function dropRunningHeadersAndFooters(linesByPage: Line[][]): void {
  const edgeLines = (lines: Line[]) => {
    const byHeight = [...lines].sort((a, b) => b.y - a.y);
    return new Set([...byHeight.slice(0, 2), ...byHeight.slice(-2)]);
  };
  const normalise = (text: string) => text.toLowerCase().replace(/\d+/g, "#").replace(/\s+/g, " ").trim();
  const edges = linesByPage.map(edgeLines);
  const pagesWith = new Map<string, number>();
  for (const set of edges) {
    for (const key of new Set([...set].map((line) => normalise(line.text)))) pagesWith.set(key, (pagesWith.get(key) ?? 0) + 1);
  }
  const pagesWithText = linesByPage.filter((lines) => lines.length > 0).length;
  const repeatedFrom = Math.max(2, Math.ceil(pagesWithText / 2));
  linesByPage.forEach((lines, index) => {
    const set = edges[index];
    const kept = lines.filter((line) => !(set.has(line) && (PAGE_NUMBER.test(line.text) || (pagesWithText >= 2 && (pagesWith.get(normalise(line.text)) ?? 0) >= repeatedFrom))));
    lines.splice(0, lines.length, ...kept);
  });
}

function roundSize(size: number): number {
  return Math.round(size * 2) / 2;
}

/** The font size (to half a point) with the most characters. */
function mostCommonSize(lines: Line[]): number {
  const counts = new Map<number, number>();
  for (const line of lines) counts.set(roundSize(line.fontSize), (counts.get(roundSize(line.fontSize)) ?? 0) + line.text.length);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
}

/** Heading level (1–3) of each font size used for headings, largest first. */
function headingLevelsBySize(lines: Line[], bodySize: number): Map<number, number> {
  const sizes = new Set<number>();
  for (const line of lines) {
    if (line.fontSize >= HEADING_SIZE_RATIO * bodySize && isHeadingText(line.text)) sizes.add(roundSize(line.fontSize));
  }
  const levels = new Map<number, number>();
  [...sizes].sort((a, b) => b - a).forEach((size, index) => levels.set(size, Math.min(3, index + 1)));
  return levels;
}

function isHeadingText(text: string): boolean {
  return text.length <= HEADING_MAX_CHARACTERS && (text.match(/\p{L}/gu)?.length ?? 0) >= 2;
}

/** The most common distance between consecutive body lines on a page (to half a point). */
function usualLineSpacing(lines: Line[], bodySize: number): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < lines.length; i++) {
    const [a, b] = [lines[i - 1], lines[i]];
    if (a.page !== b.page || roundSize(a.fontSize) !== bodySize || roundSize(b.fontSize) !== bodySize) continue;
    const gap = roundSize(a.y - b.y);
    if (gap > 0 && gap < 3 * bodySize) counts.set(gap, (counts.get(gap) ?? 0) + 1);
  }
  if (counts.size === 0) return 1.2 * bodySize;
  return [...counts.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0][0];
}

const BULLET = /^[•●▪■◦‣∙·○◆►✓✔–—-]\s+/;

/** A body line as Markdown: bullets become "- ", a leading "#" or ">" is escaped so it stays text. */
function markdownLine(text: string): string {
  if (BULLET.test(text)) return `- ${text.replace(BULLET, "")}`;
  return text.replace(/^([#>])/, "\\$1");
}
