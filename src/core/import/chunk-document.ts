/**
 * Turn an imported document (markdown or plain text) into chunk drafts: contiguous pieces of roughly
 * 1,500 characters that keep a section with its heading, each with a summary, key terms and simple
 * derived dimensions. Pure: no database, no network; the caller assigns keys and stores the drafts.
 *
 * Splitting uses LangChain's `RecursiveCharacterTextSplitter` (`@langchain/textsplitters`) with the
 * markdown separators of its `MarkdownTextSplitter`, after a first pass that cuts the document into
 * `#`/`##`/`###` sections ourselves so that every chunk knows its heading path.
 */
import { RecursiveCharacterTextSplitter } from "@langchain/textsplitters";
import { buildKeyTermCorpus, extractKeyTerms } from "./key-terms";

export type DocumentFormat = "markdown" | "text";

/** Input of {@link chunkDocument}. */
export interface ChunkDocumentInput {
  /** The document body (front matter already removed, see `parseFrontMatter`). */
  text: string;
  format: DocumentFormat;
  /** Document title; a top-level `# Heading` equal to it is not repeated in chunk heading paths. */
  title: string;
}

export type AudienceLevel = "beginner" | "intermediate" | "advanced";
export type EmotionalValence = "positive" | "neutral" | "negative";
export type ContentType = "procedural" | "narrative" | "conceptual";

/**
 * Derived dimensions of a chunk, computed from its body (heading lines excluded, markdown syntax removed).
 * See {@link computeChunkDimensions} for how each value is derived.
 */
export type ChunkDimensions = {
  word_count: number;
  audience_level: AudienceLevel;
  emotional_valence: EmotionalValence;
  content_type: ContentType;
  has_numbers: boolean;
  reading_time_s: number;
};

/** One chunk of a document, ready to be stored. */
export interface ChunkDraft {
  /** 0-based position of the chunk in the document. */
  ordinal: number;
  /** Heading path of the section the chunk belongs to, outermost first ("Roth Ladder > Year 1"); null before the first heading and for plain text. */
  heading: string | null;
  /** The chunk's source text; in markdown it starts with its section's heading line(s). */
  content: string;
  /** First one or two sentences of the body (heading excluded), at most 240 characters. */
  summary: string;
  /** Up to 8 lower-case key words or two-word phrases, best first. */
  keyTerms: string[];
  /** Rough token count: ⌈characters / 4⌉ of `content`. */
  tokenCount: number;
  /** {@link ChunkDimensions}, as a plain record for storage. */
  dimensions: Record<string, unknown>;
}

/** Target chunk size in characters. */
export const CHUNK_TARGET_CHARS = 1500;
/** Overlap between consecutive pieces of one long section, in characters (whole paragraphs/sentences only). */
export const CHUNK_OVERLAP_CHARS = 150;
/** A section up to this size (heading included) is never split. */
export const WHOLE_SECTION_MAX_CHARS = 1800;
/** The splitter never targets pieces smaller than this, however long a heading prefix is. */
const MIN_PIECE_CHARS = 500;
export const SUMMARY_MAX_CHARS = 240;
const KEY_TERMS_PER_CHUNK = 8;
const WORDS_PER_MINUTE = 200;

/** Separators after which (not before which) a piece is cut, so punctuation stays with its sentence. */
const CUT_AFTER = new Set(["```\n\n", ". ", "? ", "! ", "; ", ", "]);
const SENTENCE_SEPARATORS = [". ", "? ", "! ", "; ", ", "];

/** LangChain's markdown separators without the section levels we cut ourselves, plus sentence separators. */
const MARKDOWN_BODY_SEPARATORS = insertSentenceSeparators(
  RecursiveCharacterTextSplitter.getSeparatorsForLanguage("markdown").filter((s) => s !== "\n# " && s !== "\n## " && s !== "\n### "),
);
const TEXT_SEPARATORS = insertSentenceSeparators(["\n\n", "\n", " ", ""]);

/**
 * A recursive character splitter that cuts after sentence punctuation instead of before it (LangChain's
 * `keepSeparator` puts a separator at the start of the next piece, which would start chunks with ". ").
 */
class BoundaryAwareSplitter extends RecursiveCharacterTextSplitter {
  protected override splitOnSeparator(text: string, separator: string): string[] {
    if (!CUT_AFTER.has(separator)) return super.splitOnSeparator(text, separator);
    return text.split(new RegExp(`(?<=${escapeRegExp(separator)})`)).filter((piece) => piece !== "");
  }
}

/**
 * Split a document into chunk drafts.
 *
 * Markdown: the document is first cut at `#`, `##` and `###` headings (not inside code fences). Each
 * section becomes one chunk when it is at most {@link WHOLE_SECTION_MAX_CHARS} characters with its heading;
 * a longer one is split by the recursive splitter (target {@link CHUNK_TARGET_CHARS}, overlap
 * {@link CHUNK_OVERLAP_CHARS}) on `####`-and-deeper headings, then blank lines (paragraphs), lines,
 * sentences, words — so paragraphs are only cut when a single paragraph is itself too long. Every piece of a
 * split section starts with the section's heading line. A heading with no text of its own (directly followed
 * by a sub-heading) is carried into the next section's first chunk; a trailing heading with no text is dropped.
 * A single `# Title` heading opening the document (or any `#` heading equal to `title`) is left out of
 * heading paths, since it names the document.
 *
 * Plain text: split the same way on blank lines, lines, sentences, words; `heading` is null.
 *
 * Key terms use IDF across the document's chunks; summaries and dimensions are per chunk.
 *
 * @returns the drafts in document order, `ordinal` 0, 1, 2…; `[]` for a blank document
 */
export async function chunkDocument(input: ChunkDocumentInput): Promise<ChunkDraft[]> {
  const text = input.text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  if (text.trim() === "") return [];

  const pieces: Piece[] =
    input.format === "markdown" ? await splitMarkdown(text, input.title) : await splitPlainText(text);

  const termTexts = pieces.map((piece) => termText(piece));
  const corpus = buildKeyTermCorpus(termTexts);

  return pieces.map((piece, ordinal) => ({
    ordinal,
    heading: piece.path.length > 0 ? piece.path.join(" > ") : null,
    content: piece.content,
    summary: summarizeText(piece.body, input.format) || summarizeText(piece.content, input.format),
    keyTerms: extractKeyTerms(termTexts[ordinal], { max: KEY_TERMS_PER_CHUNK, corpus }),
    tokenCount: estimateTokens(piece.content),
    dimensions: computeChunkDimensions(piece.body, input.format),
  }));
}

/** Rough token count of a text: ⌈characters / 4⌉. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** A chunk before its summary, key terms and dimensions are computed. */
interface Piece {
  /** Heading path, outermost first. */
  path: string[];
  content: string;
  /** Content without its heading prefix. */
  body: string;
}

interface Section {
  path: string[];
  /** Heading lines that open the section (carried empty parent headings first, then its own). */
  headingLines: string[];
  /** The section's own heading line, repeated at the top of every further piece of a split section. */
  ownHeadingLine: string | null;
  body: string;
}

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

async function splitMarkdown(text: string, title: string): Promise<Piece[]> {
  const pieces: Piece[] = [];
  for (const section of markdownSections(text, title)) {
    const prefix = section.headingLines.join("\n\n");
    const whole = prefix === "" ? section.body : `${prefix}\n\n${section.body}`;
    if (whole.length <= WHOLE_SECTION_MAX_CHARS) {
      pieces.push({ path: section.path, content: whole, body: section.body });
      continue;
    }
    const chunkSize = Math.max(MIN_PIECE_CHARS, CHUNK_TARGET_CHARS - prefix.length - 2);
    const parts = await splitterFor(MARKDOWN_BODY_SEPARATORS, chunkSize).splitText(section.body);
    parts.forEach((part, index) => {
      const head = index === 0 ? prefix : (section.ownHeadingLine ?? "");
      pieces.push({ path: section.path, content: head === "" ? part : `${head}\n\n${part}`, body: part });
    });
  }
  return pieces;
}

async function splitPlainText(text: string): Promise<Piece[]> {
  const body = trimBlankLines(text);
  if (body.length <= WHOLE_SECTION_MAX_CHARS) return [{ path: [], content: body, body }];
  const parts = await splitterFor(TEXT_SEPARATORS, CHUNK_TARGET_CHARS).splitText(body);
  return parts.map((part) => ({ path: [], content: part, body: part }));
}

function splitterFor(separators: string[], chunkSize: number): BoundaryAwareSplitter {
  return new BoundaryAwareSplitter({
    chunkSize,
    chunkOverlap: Math.min(CHUNK_OVERLAP_CHARS, Math.floor(chunkSize / 4)),
    separators,
    keepSeparator: true,
  });
}

/** Cut markdown into `#`–`###` sections with heading paths; empty sections' headings move to the next one. */
function markdownSections(text: string, title: string): Section[] {
  const lines = text.split("\n");
  const headingAt = markdownHeadings(lines);
  const h1s = [...headingAt.values()].filter((h) => h.level === 1);
  const firstHeading = [...headingAt.values()][0];
  const isTitleHeading = (h: { level: number; text: string }) =>
    h.level === 1 && (sameText(h.text, title) || (h1s.length === 1 && h === firstHeading));

  const sections: Section[] = [];
  const stack: (string | null)[] = [null, null, null]; // levels 1–3
  let current: Section = { path: [], headingLines: [], ownHeadingLine: null, body: "" };
  let bodyLines: string[] = [];
  let carried: string[] = [];

  const close = () => {
    const body = trimBlankLines(bodyLines.join("\n"));
    if (body === "") {
      carried = [...current.headingLines];
    } else {
      sections.push({ ...current, body });
      carried = [];
    }
  };

  lines.forEach((line, index) => {
    const heading = headingAt.get(index);
    if (!heading || heading.level > 3) {
      bodyLines.push(line);
      return;
    }
    close();
    stack[heading.level - 1] = isTitleHeading(heading) ? null : heading.text;
    for (let level = heading.level; level < stack.length; level += 1) stack[level] = null;
    const ownHeadingLine = line.trim();
    current = {
      path: stack.filter((entry): entry is string => entry !== null),
      headingLines: [...carried, ownHeadingLine],
      ownHeadingLine,
      body: "",
    };
    bodyLines = [];
  });
  close();
  return sections;
}

/** Heading lines of a markdown document by line index, ignoring lines inside code fences. */
function markdownHeadings(lines: string[]): Map<number, { level: number; text: string }> {
  const headings = new Map<number, { level: number; text: string }>();
  let fence: string | null = null;
  lines.forEach((line, index) => {
    const fenceMatch = FENCE.exec(line);
    if (fence !== null) {
      if (fenceMatch && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length && line.trim() === fenceMatch[1].trim()) {
        fence = null;
      }
      return;
    }
    if (fenceMatch) {
      fence = fenceMatch[1];
      return;
    }
    const match = HEADING.exec(line);
    if (!match) return;
    const headingText = stripInlineMarkdown(match[2]).trim();
    if (headingText !== "") headings.set(index, { level: match[1].length, text: headingText });
  });
  return headings;
}

/** The text key terms are drawn from: heading path (a strong topic signal) plus body. */
function termText(piece: Piece): string {
  return piece.path.length > 0 ? `${piece.path.join(". ")}.\n${piece.body}` : piece.body;
}

// ---------------------------------------------------------------------------------------------
// Text units, sentences and words
// ---------------------------------------------------------------------------------------------

const LIST_ITEM = /^\s*(?:[-*+]|\d{1,3}[.)])\s+/;
const NUMBERED_ITEM = /^\s*\d{1,3}[.)]\s+/;
const RULE_OR_TABLE_SEPARATOR = /^\s*(?:(?:[-*_]\s*){3,}|\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?)\s*$/;

/**
 * Readable units of a body: paragraphs (lines joined) and list items (one each), markdown syntax removed.
 * Heading lines, code-fence markers, rules and table separators are left out.
 */
function textUnits(body: string, format: DocumentFormat): string[] {
  const units: string[] = [];
  let paragraph: string[] = [];
  let lastWasListItem = false;
  const flush = () => {
    if (paragraph.length > 0) units.push(paragraph.join(" "));
    paragraph = [];
  };
  for (const line of body.split("\n")) {
    if (line.trim() === "" || FENCE.test(line) || RULE_OR_TABLE_SEPARATOR.test(line) || (format === "markdown" && HEADING.test(line))) {
      flush();
      lastWasListItem = false;
      continue;
    }
    const cleaned = stripInlineMarkdown(line.replace(/^\s*(?:>\s*)+/, "").replace(LIST_ITEM, "")).replace(/\|/g, " ").trim();
    if (LIST_ITEM.test(line)) {
      flush();
      paragraph = [cleaned];
      lastWasListItem = true;
    } else if (lastWasListItem && /^\s/.test(line)) {
      paragraph.push(cleaned);
    } else {
      if (lastWasListItem) flush();
      paragraph.push(cleaned);
      lastWasListItem = false;
    }
  }
  flush();
  return units.map((unit) => unit.replace(/\s+/g, " ").trim()).filter((unit) => unit !== "");
}

/** Remove inline markdown: images, links, emphasis, inline code, HTML tags. */
function stripInlineMarkdown(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, "$1")
    .replace(/<[^>\n]+>/g, "")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, "$2")
    .replace(/(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])/g, "$1")
    .replace(/(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)/g, "$1")
    .replace(/~~(.+?)~~/g, "$1");
}

const ABBREVIATIONS = new Set(["e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "inc", "ltd", "co", "st", "jr", "sr", "u.s", "no", "approx", "fig"]);

/** Split a unit into sentences at . ! ? followed by a capital, digit, quote or $ (common abbreviations excepted). */
function splitSentences(unit: string): string[] {
  const sentences: string[] = [];
  const boundary = /[.!?]+["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9$])/g;
  let start = 0;
  for (const match of unit.matchAll(boundary)) {
    const end = (match.index ?? 0) + match[0].length;
    const before = unit.slice(start, match.index).split(/\s+/).pop() ?? "";
    const word = before.toLowerCase().replace(/^[("'“‘]+/, "");
    if (match[0].startsWith(".") && (ABBREVIATIONS.has(word) || /^[a-z]$/.test(word))) continue;
    sentences.push(unit.slice(start, end).trim());
    start = end;
  }
  const rest = unit.slice(start).trim();
  if (rest !== "") sentences.push(rest);
  return sentences;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’$%.,-]*/gu;

function wordsOf(text: string): string[] {
  return (text.match(WORD) ?? []).map((word) => word.replace(/[.,'’-]+$/, ""));
}

// ---------------------------------------------------------------------------------------------
// Summary
// ---------------------------------------------------------------------------------------------

/**
 * Summary of a chunk body: its first sentence, plus the second when both fit in
 * {@link SUMMARY_MAX_CHARS} characters. Heading lines and markdown syntax are removed; a list item or line
 * without final punctuation counts as a sentence. A first sentence that is too long is cut at a word
 * boundary and ends with "…".
 *
 * @param body chunk text without its heading prefix (heading lines inside it are skipped anyway)
 * @param format how to read `body` (markdown headings are only skipped for "markdown")
 * @returns at most 240 characters; "" when the body has no readable text
 */
export function summarizeText(body: string, format: DocumentFormat = "markdown"): string {
  const sentences = textUnits(body, format).flatMap(splitSentences).map(withFinalPunctuation);
  if (sentences.length === 0) return "";
  const [first, second] = sentences;
  const summary = second !== undefined && first.length + 1 + second.length <= SUMMARY_MAX_CHARS ? `${first} ${second}` : first;
  return truncateAtWord(summary, SUMMARY_MAX_CHARS);
}

function withFinalPunctuation(sentence: string): string {
  return /[\p{L}\p{N})\]"'”’%]$/u.test(sentence) && !/[.!?:]["'”’)\]]*$/.test(sentence) ? `${sentence}.` : sentence;
}

/** Cut `text` to at most `max` characters at a word boundary, ending with "…" when cut. */
function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const lastSpace = room.lastIndexOf(" ");
  const cut = lastSpace > max / 2 ? room.slice(0, lastSpace) : room;
  return `${cut.replace(/[\s,;:.\-–—(]+$/, "")}…`;
}

// ---------------------------------------------------------------------------------------------
// Dimensions
// ---------------------------------------------------------------------------------------------

/** Domain terms that mark expert content (lower case; matched as whole words, phrases as substrings). */
const JARGON_WORDS = new Set(
  `amortization amortize amortized amortizing basis roth rmd rmds fiduciary annuity annuities annuitant annuitize beneficiary
  beneficiaries escrow equity equities liquidity illiquid derivative derivatives hedge hedging arbitrage actuarial underwriting
  collateral collateralized lien depreciation depreciate accrual accrued yield yields duration convexity volatility
  diversification rebalance rebalancing allocation dividend dividends etf etfs ira iras 401(k) 403(b) 457(b) hsa qcd qcds magi
  agi irmaa backdoor withholding custodian probate grantor irrevocable revocable securities treasury treasuries bps coupon
  maturity principal leverage leveraged margin amortizing capitalization valuation solvency insolvency indemnity deductible
  deductibles premium premiums copay coinsurance vesting vested nonqualified tax-deferred tax-exempt pre-tax step-up
  pro-rata methodology statutory regulatory compliance jurisdiction heuristic algorithm stochastic correlation coefficient
  regression variance optimization`
    .split(/\s+/)
    .filter((word) => word !== ""),
);
const JARGON_PHRASES = ["cost basis", "capital gains", "expense ratio", "basis points", "tax-loss harvesting", "wash sale", "pro rata", "required minimum distribution", "marginal rate", "marginal tax", "yield curve", "net present value", "internal rate of return"];

const POSITIVE_WORDS = new Set(
  `good great excellent benefit benefits beneficial gain gains gained grow grows growth growing opportunity opportunities secure
  security confident confidence relief relieved happy happier glad excited exciting success successful succeed win wins winning
  peace peaceful comfortable comfortably easy easier protect protected protection thrive thriving reward rewarding rewards
  freedom optimistic hope hopeful improve improved improvement strong stronger stable stability enjoy enjoyed love loved proud
  smart wise advantage advantages efficient effective helpful calm clarity clear grateful thankful celebrate celebrated
  reassured reassuring safe safer valuable`
    .split(/\s+/)
    .filter((word) => word !== ""),
);
const NEGATIVE_WORDS = new Set(
  `loss losses lose loses losing lost risk risks risky worry worried worries worrying anxious anxiety fear fears afraid scared
  stress stressed stressful debt debts penalty penalties mistake mistakes costly expensive problem problems crisis crash
  crashed decline declined fail failed failure bad worse worst difficult struggle struggled struggling panic panicked regret
  regrets overwhelmed overwhelming confusing confused unfortunately danger dangerous trap traps burden owe owed bankrupt
  bankruptcy frustrated frustrating angry sad grief hurt harm harmful painful scam fraud shortfall unexpected emergency
  uncertain uncertainty nervous terrible miss missed`
    .split(/\s+/)
    .filter((word) => word !== ""),
);
const NEGATORS = new Set(["not", "no", "never", "without", "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "won't", "can't", "cannot", "nothing"]);

const NARRATIVE_PRONOUNS = new Set(["i", "me", "my", "we", "our", "us", "he", "him", "his", "she", "her", "they", "them", "their"]);
const PAST_MARKERS = new Set(
  `was were had did said told asked came went decided realized realised felt thought wanted knew got took began started called
  sat met saw found ended became left needed worried ago remembered explained walked brought lost`
    .split(/\s+/)
    .filter((word) => word !== ""),
);
const STEP_OPENERS = /^(?:step\s+\d+|first|second|third|fourth|next|then|finally|lastly|after that)\b/i;

/**
 * Simple, explainable dimensions of a chunk body (heading lines excluded, markdown syntax removed):
 *
 * - `word_count`: number of words.
 * - `reading_time_s`: seconds to read at 200 words per minute, rounded (`words / 200 × 60`).
 * - `has_numbers`: true when the text contains a digit or a `$ € £ %` sign (list numbering ignored).
 * - `audience_level`: from readability plus jargon. LIX = words per sentence + percentage of words longer
 *   than 6 letters scores 0–3 (< 35, 35–45, 45–55, ≥ 55); domain jargon per 100 words ("amortization",
 *   "basis", "Roth", "RMD", "fiduciary", "cost basis"…) scores 0–3 (< 1, 1–2.5, 2.5–5, ≥ 5). Total 0–1 is
 *   "beginner", 2–3 "intermediate", 4–6 "advanced".
 * - `emotional_valence`: counts words of a small positive and negative lexicon (a word after "not", "no",
 *   "never"… within two words counts for the other side). "positive" when positives exceed negatives by at
 *   least 2 and by at least 30% of all hits, "negative" likewise, else "neutral".
 * - `content_type`: "procedural" when list lines dominate (≥ 3 list lines making ≥ 50% of lines, or ≥ 3
 *   numbered lines making ≥ 30%) or ≥ 3 sentences open with step words ("Step 2", "First", "Next",
 *   "Then", "Finally"); else "narrative" when both personal pronouns (I, we, she, they…) and past-tense
 *   story markers (was, had, told, decided, "ago"…) are each at least 4% of words; else "conceptual".
 *
 * @param body the chunk body (markdown or plain text, per `format`)
 */
export function computeChunkDimensions(body: string, format: DocumentFormat = "markdown"): ChunkDimensions {
  const units = textUnits(body, format);
  const plain = units.join("\n");
  const words = wordsOf(plain);
  const lower = words.map((word) => word.toLowerCase().replace(/’/g, "'"));
  const wordCount = words.length;
  const sentences = units.flatMap(splitSentences);

  return {
    word_count: wordCount,
    audience_level: audienceLevel(words, lower, sentences.length, plain),
    emotional_valence: emotionalValence(lower),
    content_type: contentType(body, format, sentences, lower),
    has_numbers: /[\d$€£%]/.test(plain),
    reading_time_s: Math.round((wordCount / WORDS_PER_MINUTE) * 60),
  };
}

function audienceLevel(words: string[], lower: string[], sentenceCount: number, plain: string): AudienceLevel {
  if (words.length === 0) return "beginner";
  const longWords = words.filter((word) => word.replace(/[^\p{L}]/gu, "").length > 6).length;
  const lix = words.length / Math.max(1, sentenceCount) + (longWords * 100) / words.length;
  const lowerPlain = ` ${plain.toLowerCase().replace(/\s+/g, " ")} `;
  const jargonHits =
    lower.filter((word) => JARGON_WORDS.has(word)).length +
    JARGON_PHRASES.reduce((hits, phrase) => hits + lowerPlain.split(phrase).length - 1, 0);
  const jargonPer100 = (jargonHits * 100) / words.length;
  const readabilityPoints = lix < 35 ? 0 : lix < 45 ? 1 : lix < 55 ? 2 : 3;
  const jargonPoints = jargonPer100 < 1 ? 0 : jargonPer100 < 2.5 ? 1 : jargonPer100 < 5 ? 2 : 3;
  const total = readabilityPoints + jargonPoints;
  return total <= 1 ? "beginner" : total <= 3 ? "intermediate" : "advanced";
}

function emotionalValence(lower: string[]): EmotionalValence {
  let positive = 0;
  let negative = 0;
  lower.forEach((word, index) => {
    const isPositive = POSITIVE_WORDS.has(word);
    const isNegative = NEGATIVE_WORDS.has(word);
    if (!isPositive && !isNegative) return;
    const negated = NEGATORS.has(lower[index - 1] ?? "") || NEGATORS.has(lower[index - 2] ?? "");
    if (isPositive !== negated) positive += 1;
    else negative += 1;
  });
  const hits = positive + negative;
  if (positive - negative >= 2 && positive - negative >= 0.3 * hits) return "positive";
  if (negative - positive >= 2 && negative - positive >= 0.3 * hits) return "negative";
  return "neutral";
}

function contentType(body: string, format: DocumentFormat, sentences: string[], lower: string[]): ContentType {
  const lines = body
    .split("\n")
    .filter((line) => line.trim() !== "" && !FENCE.test(line) && !RULE_OR_TABLE_SEPARATOR.test(line) && !(format === "markdown" && HEADING.test(line)));
  const listLines = lines.filter((line) => LIST_ITEM.test(line)).length;
  const numberedLines = lines.filter((line) => NUMBERED_ITEM.test(line)).length;
  const stepSentences = sentences.filter((sentence) => STEP_OPENERS.test(sentence)).length;
  const total = Math.max(1, lines.length);
  if ((listLines >= 3 && listLines / total >= 0.5) || (numberedLines >= 3 && numberedLines / total >= 0.3) || stepSentences >= 3) {
    return "procedural";
  }
  if (lower.length > 0) {
    const pronouns = lower.filter((word) => NARRATIVE_PRONOUNS.has(word)).length / lower.length;
    const past = lower.filter((word) => PAST_MARKERS.has(word)).length / lower.length;
    if (pronouns >= 0.04 && past >= 0.04) return "narrative";
  }
  return "conceptual";
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

function insertSentenceSeparators(separators: string[]): string[] {
  const wordIndex = separators.indexOf(" ");
  const at = wordIndex === -1 ? separators.length : wordIndex;
  return [...separators.slice(0, at), ...SENTENCE_SEPARATORS, ...separators.slice(at)];
}

/** Drop leading and trailing blank lines (indentation of the first line is kept) and trailing spaces. */
function trimBlankLines(text: string): string {
  return text.replace(/^(?:[ \t]*\n)+/, "").trimEnd();
}

function sameText(a: string, b: string): boolean {
  const normalise = (value: string) => value.toLowerCase().replace(/\s+/g, " ").trim();
  return normalise(a) === normalise(b);
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
