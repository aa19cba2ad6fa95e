/**
 * HTML → Markdown for document import, by the `node-html-markdown` package: headings become `#`
 * headings (so the chunker keeps them), lists, tables, emphasis and links carry over; scripts,
 * styles, navigation, forms and media are left out. Used for uploaded `.html` files and for the
 * HTML that mammoth makes of a Word document. Pure.
 */
import { NodeHtmlMarkdown } from "node-html-markdown";

/** Elements whose content is not document text (ignored with everything inside them). */
const IGNORED_ELEMENTS = ["script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "img", "picture", "video", "audio", "map", "form", "button", "select", "nav"];

const converter = new NodeHtmlMarkdown({
  // Chunk text is read by people and language models, not rendered: "*" and "_" in the text stay
  // as they are (no "\*"). Only a "#" opening a line is escaped, so text never turns into a heading.
  globalEscape: [/(?!)/g, ""],
  lineStartEscape: [/^(\s*)(#{1,6}\s)/gm, "$1\\$2"],
  bulletMarker: "-",
  codeBlockStyle: "fenced",
  maxConsecutiveNewlines: 2,
  keepDataImages: false,
  ignore: IGNORED_ELEMENTS,
});

/**
 * Convert an HTML document or fragment to Markdown.
 * @returns `markdown` (headings as `#`…`######`, blank lines between blocks, trimmed) and `title`: the
 *   text of `<title>` when there is one, else null
 */
export function htmlToMarkdown(html: string): { markdown: string; title: string | null } {
  const titleMatch = /<title[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html);
  const title = titleMatch ? converter.translate(titleMatch[1]).replace(/^\\#/, "#").replace(/\s+/g, " ").trim() : "";
  const markdown = converter
    .translate(html)
    .replace(/\u00a0/g, " ")
    .replace(/[ \t]+$/gm, "")
    .trim();
  return { markdown, title: title || null };
}
