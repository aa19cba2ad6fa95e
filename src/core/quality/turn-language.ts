/**
 * The language work behind the quality score: tokenizing, sentence splitting, part-of-speech
 * tagging, stop words and stemming, all by wink-nlp with its English model
 * (wink-eng-lite-web-model: Universal Dependencies part-of-speech tags, Porter2 stems). One
 * `readDoc` per turn; the model loads once per process (≈ 200 ms), on first use.
 *
 * What this module measures, per turn:
 * - word-order anomalies, the fingerprint of word salad: part-of-speech pairs English grammar
 *   does not produce (an article followed by a verb-less function word: "the and", "a to",
 *   "the is"; two conjunctions in a row), capitalised function words in mid-sentence ("go The"),
 *   sentences starting in lower case from a writer who otherwise capitalises, sentences ending
 *   on an article or a coordinating conjunction ("… and the."), and long runs of content words with no
 *   function word between them;
 * - the content stems (nouns, proper nouns, numbers; verbs and adjectives at half weight) that
 *   relevance compares between a question and its answer;
 * - the word trigrams that repetition compares between turns, and the lower-cased words from
 *   which naturalness finds the same phrases coming back across turns.
 */
import winkNLP, { type ItemSentence, type WinkMethods } from "wink-nlp";
import model from "wink-eng-lite-web-model";

/** What the scorer needs to know about one turn's language. */
export interface TurnLanguage {
  /** Word tokens (wink-nlp), code blocks and URLs left out. */
  words: number;
  /** Word-order anomalies found (see the module comment). */
  anomalies: number;
  /** Up to three anomalies as a reviewer would see them, e.g. `"the and"`. */
  anomalyExamples: string[];
  /** Content stems with their weight: 1 for nouns, proper nouns and numbers, 0.5 for verbs and adjectives. */
  contentStems: Map<string, number>;
  /** Lower-cased word trigrams ("we can make"), for near-duplicate detection. */
  trigrams: Set<string>;
  /** The words, lower-cased, in order (for the 4-word phrases naturalness compares across turns). */
  lowerWords: string[];
  /** Sentences ending in a question mark. */
  questions: number;
  /** Sentences of 8 words or more, lower-cased words joined by spaces, for repeated-sentence detection. */
  longSentences: string[];
}

/** A turn reads as word salad from this many anomalies on, if they are also frequent (below). */
export const SALAD_MIN_ANOMALIES = 3;
/**
 * …and at least this share of its words: 4 %. Measured on 676 well-formed turns (the hand-written
 * fixtures, the sample's seeds, the simulated composer) the highest rate was 2.9 %, most are
 * under 1.5 %; turns of 30+ words with their words shuffled average about 10 %.
 */
export const SALAD_MIN_RATE = 0.04;

// Part-of-speech pairs (Universal Dependencies tags) that grammatical English does not produce.
// An article must be followed by its noun phrase, so article + any of these is broken:
const AFTER_ARTICLE_IMPOSSIBLE = new Set(["DET", "PRON", "ADP", "AUX", "CCONJ", "SCONJ", "PART", "PUNCT"]);
const ARTICLES = new Set(["a", "an", "the"]);
// Two joining words in a row ("and or", "because and", "if is", "not and", "is and"):
const IMPOSSIBLE_PAIRS = new Set(["CCONJ>CCONJ", "SCONJ>CCONJ", "SCONJ>AUX", "PART>CCONJ", "AUX>CCONJ"]);
const CONTENT_WEIGHTS: Record<string, number> = { NOUN: 1, PROPN: 1, NUM: 1, VERB: 0.5, ADJ: 0.5 };
/** Punctuation after which a capitalised word is normal mid-sentence (a list, a quote, a title). */
const OPENS_PHRASE = /^[:;"“‘'(\[—–-]$/;
/** Six content words in a row with no function word between them do not occur in ordinary prose. */
const CONTENT_RUN = 6;

type Engine = { nlp: WinkMethods; its: WinkMethods["its"]; stem: (word: string) => string };
let engine: Engine | null = null;
/** Stems already computed (Porter2 is the slow part of a turn); bounded, cleared when full. */
const stemCache = new Map<string, string>();
const STEM_CACHE_LIMIT = 50_000;

function getEngine(): Engine {
  if (!engine) {
    // Sentence boundaries and part-of-speech tags only: entity recognition, sentiment and
    // negation are not used and would double the time per turn.
    const nlp = winkNLP(model, ["sbd", "pos"]);
    // The model's Porter2 stemmer, the one `its.stem` calls (ModelAddons.stem in wink-nlp's types).
    const porter2 = (model as unknown as { addons: { stem: (word: string) => string } }).addons.stem;
    engine = { nlp, its: nlp.its, stem: porter2 };
  }
  return engine;
}

function stemOf(word: string, porter2: (word: string) => string): string {
  const lower = word.toLowerCase();
  let stem = stemCache.get(lower);
  if (stem === undefined) {
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stem = porter2(lower);
    stemCache.set(lower, stem);
  }
  return stem;
}

/**
 * Analyses one turn's text with wink-nlp (see the module comment for what is measured).
 * Fenced and inline code and URLs are removed first: they are not prose.
 *
 * @param text the turn's content, any length
 * @returns the turn's {@link TurnLanguage}. Throws nothing.
 */
export function analyzeTurnLanguage(text: string): TurnLanguage {
  const { nlp, its, stem: porter2 } = getEngine();
  let prose = text;
  if (prose.includes("`")) prose = prose.replace(/```[\s\S]*?```/g, "\n").replace(/`[^`\n]*`/g, " code ");
  if (/https?:|www\.|@/.test(prose)) prose = prose.replace(/\bhttps?:\/\/\S+|\bwww\.\S+|\S+@\S+\.\w+/g, " link ");
  const doc = nlp.readDoc(prose);
  const tokens = doc.tokens();
  const values = tokens.out();
  const types = tokens.out(its.type) as string[];
  const tags = tokens.out(its.pos) as string[];
  const stop = tokens.out(its.stopWordFlag) as unknown as boolean[];

  const sentenceStarts = new Set<number>();
  let questions = 0;
  const longSentences: string[] = [];
  const endings: string[] = [];
  doc.sentences().each((sentence: ItemSentence) => {
    const [first, last] = sentence.out(its.span) as unknown as [number, number];
    const sentenceWords: string[] = [];
    for (let index = first; index <= last; index += 1) if (types[index] === "word") sentenceWords.push(values[index].toLowerCase());
    if (sentenceWords.length >= 8) longSentences.push(sentenceWords.join(" "));
    for (let index = first; index <= last; index += 1) {
      if (types[index] === "word") {
        sentenceStarts.add(index);
        break;
      }
    }
    for (let index = last; index >= first; index -= 1) {
      if (types[index] === "punctuation") {
        if (values[index].includes("?")) questions += 1;
        // A sentence does not end on an article or a conjunction: "… and the." "… or."
        const previous = index - 1 >= first && types[index - 1] === "word" ? index - 1 : -1;
        if (previous >= 0 && /[.!?]/.test(values[index]) && (ARTICLES.has(values[previous].toLowerCase()) || tags[previous] === "CCONJ")) {
          endings.push(`"${values[previous]}${values[index]}" (a sentence ending on "${values[previous]}")`);
        }
        break;
      }
      if (types[index] === "word" || types[index] === "number") break;
    }
  });

  let words = 0;
  let anomalies = 0;
  const examples: string[] = [];
  const note = (example: string, weight = 1): void => {
    anomalies += weight;
    if (examples.length < 3) examples.push(example);
  };
  let afterBreak = true;
  let run = 0;
  let lowerStarts = 0;
  let upperStarts = 0;
  const lowerWords: string[] = [];
  const contentStems = new Map<string, number>();

  for (let index = 0; index < values.length; index += 1) {
    const type = types[index];
    if (type === "tabCRLF" || type === "whitespace") {
      afterBreak = true;
      run = 0;
      continue;
    }
    const next = index + 1 < values.length && types[index + 1] !== "tabCRLF" && types[index + 1] !== "whitespace" ? index + 1 : -1;
    if (next >= 0) {
      const pair = `${tags[index]}>${tags[next]}`;
      if ((ARTICLES.has(values[index].toLowerCase()) && AFTER_ARTICLE_IMPOSSIBLE.has(tags[next])) || IMPOSSIBLE_PAIRS.has(pair)) {
        note(`"${values[index]} ${values[next]}"`);
      }
    }
    if (type === "word") {
      words += 1;
      const value = values[index];
      lowerWords.push(value.toLowerCase());
      // After a full stop the sentence splitter missed ("$62k. Which …") a capital is normal too.
      const isStart = afterBreak || sentenceStarts.has(index) || (index > 0 && /[.!?]$/.test(values[index - 1]));
      afterBreak = false;
      if (isStart && words > 1) {
        if (/^\p{Ll}/u.test(value)) lowerStarts += 1;
        else if (/^\p{Lu}/u.test(value)) upperStarts += 1;
      }
      if (!isStart && stop[index] && /^\p{Lu}\p{Ll}/u.test(value) && !(index > 0 && OPENS_PHRASE.test(values[index - 1]))) {
        note(`"${values[index - 1] ?? ""} ${value}" (a capitalised "${value}" in mid-sentence)`);
      }
      if (stop[index]) run = 0;
      else {
        run += 1;
        if (run === CONTENT_RUN) note(`"${values.slice(index - CONTENT_RUN + 1, index + 1).join(" ")}" (no function word between them)`, 2);
      }
      const weight = CONTENT_WEIGHTS[tags[index]];
      if (weight && !stop[index] && value.length >= 2) {
        const stem = stemOf(value, porter2);
        contentStems.set(stem, Math.max(contentStems.get(stem) ?? 0, weight));
      }
    } else if (type === "number") {
      const number = values[index].replace(/,/g, "");
      contentStems.set(number, 1);
    } else {
      run = 0;
    }
  }
  for (const ending of endings) note(ending);
  // A writer who capitalises sentences but starts several in lower case: sentence ends landed in
  // the middle of sentences, as they do when words are shuffled.
  if (lowerStarts >= 2 && upperStarts >= lowerStarts) note(`${lowerStarts} sentences start in lower case`, lowerStarts);

  const trigrams = new Set<string>();
  for (let index = 0; index + 2 < lowerWords.length; index += 1) trigrams.add(`${lowerWords[index]} ${lowerWords[index + 1]} ${lowerWords[index + 2]}`);

  return { words, anomalies, anomalyExamples: examples, contentStems, trigrams, lowerWords, questions, longSentences };
}

/**
 * Whether a turn reads as word salad: at least SALAD_MIN_ANOMALIES anomalies making up at least
 * SALAD_MIN_RATE of its words.
 */
export function readsAsWordSalad(language: Pick<TurnLanguage, "words" | "anomalies">): boolean {
  return language.anomalies >= SALAD_MIN_ANOMALIES && language.anomalies / Math.max(1, language.words) >= SALAD_MIN_RATE;
}

/**
 * How much two turns share, as the summed weight of the content stems both contain (each stem
 * counted once, at the smaller of its two weights).
 */
export function sharedContent(a: Map<string, number>, b: Map<string, number>): number {
  let total = 0;
  for (const [stem, weight] of a) {
    const other = b.get(stem);
    if (other !== undefined) total += Math.min(weight, other);
  }
  return total;
}

/** Jaccard similarity (0-1) of two trigram sets; 0 when either is empty. */
export function trigramSimilarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  // Jaccard is at most small/large: sets of very different sizes cannot be near-duplicates.
  if (Math.min(a.size, b.size) / Math.max(a.size, b.size) < 0.5) return Math.min(a.size, b.size) / Math.max(a.size, b.size);
  let shared = 0;
  for (const trigram of a) if (b.has(trigram)) shared += 1;
  return shared / (a.size + b.size - shared);
}
