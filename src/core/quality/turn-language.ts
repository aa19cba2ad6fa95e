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
  /** Lower-cased word trigrams ("we can make") as numeric keys (ngramKey), for near-duplicate detection. */
  trigrams: Set<number>;
  /** The words as ids in the conversation's vocabulary, in order (for 4-word phrases across turns). */
  wordIds: number[];
  /** Sentences ending in a question mark. */
  questions: number;
  /** Sentences of 8 words or more: their key (ngramKey of all their words) and where they are in `wordIds`. */
  longSentences: { key: number; start: number; length: number }[];
}

/**
 * Lower-cased words → small integer ids, shared by the turns of one conversation so that their
 * n-grams can be compared as numbers instead of strings (the scorer's main allocation otherwise).
 */
export type Vocabulary = Map<string, number>;

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
// Two joining words in a row ("and or", "because and", "if is", "not and", "is and"), as
// first tag → the tags that cannot follow it:
const IMPOSSIBLE_PAIRS = new Map<string, Set<string>>([
  ["CCONJ", new Set(["CCONJ"])],
  ["SCONJ", new Set(["CCONJ", "AUX"])],
  ["PART", new Set(["CCONJ"])],
  ["AUX", new Set(["CCONJ"])],
]);
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

/** Porter2 stem of a lower-cased word, from the cache when it was seen before. */
function stemOf(lower: string, porter2: (word: string) => string): string {
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
 * @param vocabulary the conversation's word ids (one Map for all its turns); a new one by default
 * @returns the turn's {@link TurnLanguage}. Throws nothing.
 */
export function analyzeTurnLanguage(text: string, vocabulary: Vocabulary = new Map()): TurnLanguage {
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

  const sentenceStarts = new Uint8Array(values.length);
  let questions = 0;
  const sentenceSpans: [number, number][] = [];
  const endings: string[] = [];
  doc.sentences().each((sentence: ItemSentence) => {
    const [first, last] = sentence.out(its.span) as unknown as [number, number];
    sentenceSpans.push([first, last]);
    for (let index = first; index <= last; index += 1) {
      if (types[index] === "word") {
        sentenceStarts[index] = 1;
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
  const wordIds: number[] = [];
  /** Token index → position in wordIds, for the sentences' word ranges. */
  const wordAt = new Int32Array(values.length).fill(-1);
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
      const tag = tags[index];
      const article = tag === "DET" && ARTICLES.has(values[index].toLowerCase());
      if ((article && AFTER_ARTICLE_IMPOSSIBLE.has(tags[next])) || IMPOSSIBLE_PAIRS.get(tag)?.has(tags[next])) {
        note(`"${values[index]} ${values[next]}"`);
      }
    }
    if (type === "word") {
      words += 1;
      const value = values[index];
      const lower = value.toLowerCase();
      let id = vocabulary.get(lower);
      if (id === undefined) {
        id = vocabulary.size;
        vocabulary.set(lower, id);
      }
      wordAt[index] = wordIds.length;
      wordIds.push(id);
      // After a full stop the sentence splitter missed ("$62k. Which …") a capital is normal too.
      const isStart = afterBreak || sentenceStarts[index] === 1 || (index > 0 && endsSentence(values[index - 1]));
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
        const stem = stemOf(lower, porter2);
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

  const trigrams = new Set<number>();
  for (let index = 0; index + 2 < wordIds.length; index += 1) trigrams.add(ngramKey(wordIds, index, 3));
  const longSentences: TurnLanguage["longSentences"] = [];
  for (const [first, last] of sentenceSpans) {
    let from = -1;
    let to = -1;
    for (let index = first; index <= last; index += 1) {
      if (wordAt[index] < 0) continue;
      if (from < 0) from = wordAt[index];
      to = wordAt[index];
    }
    if (from >= 0 && to - from + 1 >= 8) longSentences.push({ key: ngramKey(wordIds, from, to - from + 1), start: from, length: to - from + 1 });
  }

  return { words, anomalies, anomalyExamples: examples, contentStems, trigrams, wordIds, questions, longSentences };
}

/** Whether a token ends in sentence-final punctuation ("k.", "?", "now!"). */
function endsSentence(token: string): boolean {
  const last = token.charCodeAt(token.length - 1);
  return last === 46 || last === 33 || last === 63;
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

/**
 * A number standing for the `length` word ids from `start`: two 26-bit multiplicative hashes side
 * by side (52 bits, exact in a double). Different sequences collide with odds of about 1 in 2^52,
 * which the statistics built on these keys can live with.
 */
export function ngramKey(ids: ReadonlyArray<number>, start: number, length: number): number {
  let high = 0x811c9dc5;
  let low = 0x01000193;
  for (let index = start; index < start + length; index += 1) {
    high = Math.imul(high ^ ids[index], 0x01000193);
    low = Math.imul(low ^ (ids[index] + 0x9e3779b9), 0x85ebca6b);
  }
  return (high >>> 6) * 0x4000000 + (low >>> 6);
}

/** Jaccard similarity (0-1) of two trigram sets; 0 when either is empty. */
export function trigramSimilarity(a: Set<number>, b: Set<number>): number {
  if (a.size === 0 || b.size === 0) return 0;
  // Jaccard is at most small/large: sets of very different sizes cannot be near-duplicates.
  if (Math.min(a.size, b.size) / Math.max(a.size, b.size) < 0.5) return Math.min(a.size, b.size) / Math.max(a.size, b.size);
  let shared = 0;
  for (const trigram of a) if (b.has(trigram)) shared += 1;
  return shared / (a.size + b.size - shared);
}
