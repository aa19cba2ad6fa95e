/**
 * Key-term extraction for document chunks: frequent meaningful words and two-word phrases,
 * ranked by term frequency and (optionally) inverse document frequency across a document's chunks.
 * Pure and deterministic; English only.
 */

/** Words that never make a key term on their own nor inside a phrase. */
const STOPWORDS = new Set(
  `a about above across actually after again against all almost along already also although always am among an and another any
  anybody anyone anything anyway anywhere are aren't around as ask asked at away back be became because become becomes been before
  behind being below best better between beyond both but by can can't cannot could couldn't did didn't do does doesn't doing done
  don't down during each either else enough especially etc even ever every everybody everyone everything everywhere example
  few find first for from further get gets getting give given gives go goes going gone got had hadn't has hasn't have haven't
  having he he'd he'll he's her here here's hers herself him himself his how how's however i i'd i'll i'm i've if in instead into
  is isn't it it's its itself just keep kind know known last least less let let's like likely lot lots made make makes making
  many may maybe me might mine more most mostly much must my myself need needs never new next no nobody none nor not nothing
  now of off often oh ok okay on once one ones only onto or other others otherwise our ours ourselves out over own part per
  perhaps put quite rather really right said same say says see seem seems several shall she she'd she'll she's should
  shouldn't since so some somebody someone something sometimes somewhat soon still such sure take takes than that that's the
  their theirs them themselves then there there's therefore these they they'd they'll they're they've thing things this those
  though through thus to together too toward towards two under unless until up upon us use used uses using usually various
  very via want wants was wasn't way ways we we'd we'll we're we've well went were weren't what what's whatever when when's
  where where's whether which while who who's whole whom whose why why's will with within without won't would wouldn't yes
  yet you you'd you'll you're you've your yours yourself yourselves three four five six seven eight nine ten able
  come comes came look looks looked mean means meant stuff wanted hello thanks`
    .split(/\s+/)
    .filter((word) => word !== ""),
);

/**
 * One lexical unit of lower-cased text: a finance-style code such as `401(k)`, a number (never a term), a word (apostrophes and
 * inner hyphens stay in it), or a character that ends a phrase (bigrams never span those).
 */
const LEXEME = /\d{3}\([a-z]\)|\d+(?:[.,]\d+)*%?|[a-z][a-z0-9]*(?:['’-][a-z0-9]+)*|[.,;:!?()[\]{}"“”|/\\\n\t…—–]|(?<=\s)-(?=\s)/g;
const WORD_START = /^[a-z0-9]/;

/** Minimum length of a key-term word (codes like `401(k)` always qualify). */
const MIN_WORD_LENGTH = 3;

/** A phrase must occur at least this often to be a key term. */
const MIN_BIGRAM_COUNT = 2;

/** A two-word phrase's frequency counts this much more than a single word's. */
const BIGRAM_WEIGHT = 2;

/**
 * Document frequencies of terms over a set of texts (typically all chunks of one document), for IDF
 * weighting. Build it once with {@link buildKeyTermCorpus} and pass it to every {@link extractKeyTerms} call.
 */
export interface KeyTermCorpus {
  /** Number of texts the corpus was built from. */
  size: number;
  /** For each canonical term (word or "word word" phrase): in how many texts it occurs. */
  documentFrequency: Map<string, number>;
}

/** Options of {@link extractKeyTerms}. */
export interface KeyTermOptions {
  /** Maximum number of terms returned (default 8). */
  max?: number;
  /**
   * Other texts of the same document (e.g. all its chunks, this one included), or a corpus built from them.
   * Terms frequent everywhere in the document are ranked lower (IDF). Without it, ranking is by frequency alone.
   */
  corpus?: readonly string[] | KeyTermCorpus;
}

/**
 * Build the document-frequency table used for IDF weighting.
 *
 * @param texts the texts (e.g. chunk contents) of one document
 * @returns the corpus; an empty list gives `size` 0, which disables IDF
 */
export function buildKeyTermCorpus(texts: readonly string[]): KeyTermCorpus {
  const documentFrequency = new Map<string, number>();
  for (const text of texts) {
    const counts = countTerms(text);
    const seen = new Set<string>([...counts.unigrams.keys(), ...counts.bigrams.keys()]);
    for (const term of seen) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  return { size: texts.length, documentFrequency };
}

/**
 * Extract the key terms of a text: its most characteristic words and two-word phrases.
 *
 * - Words are lower-cased; stopwords, numbers and words shorter than 3 letters are skipped
 *   (codes such as "401(k)" are kept). A plural is folded into its singular when both occur.
 * - Phrases are two adjacent non-stopwords in the same clause, kept when they occur at least twice.
 * - Score = frequency × IDF, where IDF = ln((1 + N) / (1 + df)) + 1 over the corpus (1 without one);
 *   phrases count double. Terms that occur once rank after all repeated terms (they only fill up a
 *   short text's list). Ties keep first-occurrence order.
 * - A word that is part of a chosen phrase is dropped unless it also occurs at least twice on its own
 *   (so "roth" survives beside "roth conversion" in a text that talks about Roth accounts generally).
 *
 * @param text plain text or markdown (markup characters are ignored)
 * @param options `max` terms (default 8) and an optional `corpus` for IDF
 * @returns up to `max` distinct lower-case terms, best first; `[]` for a text without meaningful words
 */
export function extractKeyTerms(text: string, options: KeyTermOptions = {}): string[] {
  const max = Math.max(0, Math.floor(options.max ?? 8));
  if (max === 0) return [];
  const corpus = options.corpus === undefined ? undefined : isCorpus(options.corpus) ? options.corpus : buildKeyTermCorpus(options.corpus);
  const { unigrams, bigrams, firstSeen } = countTerms(text);

  const idf = (term: string): number => {
    if (!corpus || corpus.size === 0) return 1;
    const df = corpus.documentFrequency.get(term) ?? 0;
    return Math.log((1 + corpus.size) / (1 + df)) + 1;
  };

  interface Candidate {
    term: string;
    count: number;
    score: number;
    parts: string[] | null;
  }
  const candidates: Candidate[] = [];
  for (const [term, count] of unigrams) candidates.push({ term, count, score: count * idf(term), parts: null });
  for (const [term, count] of bigrams) {
    if (count < MIN_BIGRAM_COUNT) continue;
    candidates.push({ term, count, score: count * BIGRAM_WEIGHT * idf(term), parts: term.split(" ") });
  }
  // Terms seen once only fill up the list after every repeated term.
  const tier = (candidate: Candidate) => (candidate.count >= 2 ? 0 : 1);
  candidates.sort(
    (a, b) => tier(a) - tier(b) || b.score - a.score || (firstSeen.get(a.term) ?? 0) - (firstSeen.get(b.term) ?? 0),
  );

  // How often each word occurs outside the phrases chosen so far.
  const residual = new Map(unigrams);
  const insideChosenPhrase = new Set<string>();
  const chosen: string[] = [];
  const keepsOwnMeaning = (word: string) => !insideChosenPhrase.has(word) || (residual.get(word) ?? 0) >= 2;

  for (const candidate of candidates) {
    if (chosen.length >= max) break;
    if (candidate.parts) {
      chosen.push(candidate.term);
      for (const part of candidate.parts) {
        insideChosenPhrase.add(part);
        residual.set(part, (residual.get(part) ?? 0) - candidate.count);
        const at = chosen.indexOf(part);
        if (at !== -1 && !keepsOwnMeaning(part)) chosen.splice(at, 1);
      }
    } else if (keepsOwnMeaning(candidate.term)) {
      chosen.push(candidate.term);
    }
  }
  return chosen.slice(0, max);
}

function isCorpus(value: readonly string[] | KeyTermCorpus): value is KeyTermCorpus {
  return !Array.isArray(value);
}

interface TermCounts {
  unigrams: Map<string, number>;
  bigrams: Map<string, number>;
  /** Token index of each term's first occurrence, for stable tie-breaking. */
  firstSeen: Map<string, number>;
}

/** Count canonical words and adjacent-word phrases of a text. */
function countTerms(text: string): TermCounts {
  const lexemes = (stripMarkup(text).toLowerCase().match(LEXEME) ?? []).map((lexeme) =>
    WORD_START.test(lexeme) ? normaliseToken(lexeme) : null,
  );
  const vocabulary = new Set(lexemes.filter((lexeme): lexeme is string => lexeme !== null));

  const unigrams = new Map<string, number>();
  const bigrams = new Map<string, number>();
  const firstSeen = new Map<string, number>();
  let previous: string | null = null;
  lexemes.forEach((raw, position) => {
    if (raw === null || !isMeaningful(raw)) {
      previous = null;
      return;
    }
    const word = singular(raw, vocabulary);
    unigrams.set(word, (unigrams.get(word) ?? 0) + 1);
    if (!firstSeen.has(word)) firstSeen.set(word, position);
    if (previous !== null && previous !== word) {
      const phrase = `${previous} ${word}`;
      bigrams.set(phrase, (bigrams.get(phrase) ?? 0) + 1);
      if (!firstSeen.has(phrase)) firstSeen.set(phrase, position - 1);
    }
    previous = word;
  });
  return { unigrams, bigrams, firstSeen };
}

/** Drop markdown/HTML syntax that would otherwise produce junk tokens (URLs, tags, code fences). */
function stripMarkup(text: string): string {
  return text
    .replace(/```[^\n]*\n?/g, "\n")
    .replace(/<[^>\n]+>/g, " ")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/[*_`~#>]+/g, " ");
}

function normaliseToken(token: string): string {
  return token.replace(/’/g, "'").replace(/'s$/, "");
}

function isMeaningful(word: string): boolean {
  if (/^\d{3}\([a-z]\)$/.test(word)) return true;
  if (word.length < MIN_WORD_LENGTH) return false;
  if (STOPWORDS.has(word)) return false;
  // Contractions not in the list ("they'd've") and words that are mostly digits carry no topic.
  if (word.includes("'")) return false;
  return /[a-z]{2}/.test(word);
}

/** Fold a plural into its singular when the singular also occurs in the same text. */
function singular(word: string, vocabulary: Set<string>): string {
  if (word.length > 4 && word.endsWith("ies")) {
    const base = `${word.slice(0, -3)}y`;
    if (vocabulary.has(base)) return base;
  }
  if (word.length > 3 && word.endsWith("es")) {
    const base = word.slice(0, -2);
    if (/(?:s|x|z|ch|sh)$/.test(base) && vocabulary.has(base)) return base;
  }
  if (word.length > 3 && word.endsWith("s") && !/(?:ss|us|is)$/.test(word)) {
    const base = word.slice(0, -1);
    if (vocabulary.has(base)) return base;
  }
  return word;
}
