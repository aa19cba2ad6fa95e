/**
 * Automatic quality score of a conversation (US4.3.1 "Automated Quality Scoring", US4.3.2
 * "Quality Criteria Details"; version 2 from issue 12). Pure and fast: no model, no network; the
 * language work is wink-nlp's (./turn-language.ts). The rules, targets, weights and their sources
 * are described in docs/quality.md.
 */
import { HIGH_QUALITY_THRESHOLD, OPTIMAL_TURNS, QUALITY_REVIEW_THRESHOLD } from "../../lib/constants";
import {
  MIN_USABLE_TURNS,
  QUALITY_BLOCKING_CAP,
  QUALITY_CRITERION_LABELS,
  QUALITY_SCORER_VERSION,
  QUALITY_WEAKEST_LINK_MARGIN,
  QUALITY_WEIGHTS,
  TERSE_ANSWER_MAX_WORDS,
  TURN_LENGTH_TARGETS,
  type QualityBand,
  type QualityCriterion,
  type QualityCriterionId,
  type QualityInput,
  type QualityResult,
} from "./quality-types";
import {
  AI_DISCLAIMER,
  CONTRACT_KEYS,
  FIELD_LABEL,
  JSON_OBJECT,
  LABEL_PHRASE,
  PLACEHOLDER,
  REFUSAL,
  countCodeFences,
  mentionsLabel,
  pastedLabels,
  withoutCodeBlocks,
} from "./text-artifacts";
import { analyzeTurnLanguage, ngramKey, readsAsWordSalad, sharedContent, trigramSimilarity, type TurnLanguage, type Vocabulary } from "./turn-language";

interface CheckedTurn {
  role: string;
  content: string;
  /** Words as countWords counts them. */
  words: number;
  language: TurnLanguage;
}

/** What each criterion returns: its breakdown row and the blocking problems it found (plain English, no final period). */
interface Judgement {
  criterion: QualityCriterion;
  blocking: string[];
}

/** Overall share of word-order anomalies from which the conversation as a whole reads as scrambled. */
const CONVERSATION_ANOMALY_RATE = 0.03;
/** Two turns whose word trigrams overlap this much (Jaccard) say the same thing. */
const NEAR_DUPLICATE_SIMILARITY = 0.6;
/** An answer is related to its question when they share this much content (see sharedContent)… */
const RELATED_TO_QUESTION = 1;
/** …or when the customer's next message picks up this much of it. */
const PICKED_UP_BY_NEXT = 1.5;
/** A question with less content than this (e.g. "What would you do?") cannot be compared with its answer. */
const MIN_QUESTION_CONTENT = 1.5;
/** Template fingerprints alone never flag a conversation: naturalness stays at or above this. */
const NATURALNESS_FLOOR = 4;

/**
 * Scores one conversation 1-10 (version QUALITY_SCORER_VERSION) against nine criteria: turn
 * count, length, structure, fluency, relevance, repetition, naturalness, persona/topic
 * consistency and confidence.
 *
 * @param input the turns, plus optional context: persona, topic (with key terms), emotion,
 *   intent, tone, tier, and, when the conversation came from a provider, its stop reason and
 *   truncation flag
 * @returns a JSON-serialisable {@link QualityResult}: `score` (one decimal), `flagged` when below
 *   QUALITY_REVIEW_THRESHOLD (6), the colour `band`, `reasons` (the problems in plain English:
 *   blocking ones first, then the other failed criteria) and one `breakdown` row per criterion with actual value, target,
 *   score, weight, pass/fail, an explanation and, when failed, a recommendation. A blocking problem
 *   (docs/quality.md lists them: word salad, truncation, broken roles, repeats, non-answers,
 *   disclaimers, placeholders, template labels, JSON fragments, unrelated answers…) caps the
 *   score at QUALITY_BLOCKING_CAP (5); the score is never more than QUALITY_WEAKEST_LINK_MARGIN (3)
 *   above the lowest criterion; `cap` says which rule applied.
 * Throws nothing. CPU time is a few milliseconds per conversation once the language model is
 * loaded, which takes a few hundred ms on first use (figures: `npm run bench:quality`,
 * docs/benchmarks.md).
 */
export function scoreConversation(input: QualityInput): QualityResult {
  const vocabulary: Vocabulary = new Map();
  const turns: CheckedTurn[] = input.turns.map((turn) => {
    const content = typeof turn?.content === "string" ? turn.content : "";
    return {
      role: typeof turn?.role === "string" ? turn.role : String(turn?.role),
      content,
      words: countWords(content),
      language: analyzeTurnLanguage(content, vocabulary),
    };
  });

  const judgements: Judgement[] = [
    judgeTurnCount(turns),
    judgeLength(turns),
    judgeStructure(turns),
    judgeFluency(turns),
    judgeRelevance(turns),
    judgeRepetition(turns, vocabulary),
    judgeNaturalness(turns, input, vocabulary),
    judgeConsistency(turns, input),
    judgeConfidence(turns, input),
  ];
  const breakdown = judgements.map((judgement) => judgement.criterion);
  const blocking = judgements.flatMap((judgement) => judgement.blocking);

  const totalWeight = breakdown.reduce((sum, criterion) => sum + criterion.weight, 0);
  const weightedScore = round1(breakdown.reduce((sum, criterion) => sum + criterion.weight * criterion.score, 0) / totalWeight);

  const weakest = breakdown.reduce((lowest, criterion) => (criterion.score < lowest.score ? criterion : lowest));
  const weakestCap = round1(weakest.score + QUALITY_WEAKEST_LINK_MARGIN);
  const weakestReason = `${weakest.label.toLowerCase()} scored only ${formatScore(weakest.score)}; the overall score is at most ${QUALITY_WEAKEST_LINK_MARGIN} points above the weakest criterion`;
  let cap: QualityResult["cap"] = null;
  if (blocking.length > 0 && weightedScore > Math.min(QUALITY_BLOCKING_CAP, weakestCap)) {
    const maxScore = Math.min(QUALITY_BLOCKING_CAP, weakestCap);
    const problems = `${joinList(blocking.slice(0, 3))}${blocking.length > 3 ? `, and ${blocking.length - 3} more problems` : ""}`;
    cap = { maxScore, reason: `Capped at ${formatScore(maxScore)} because ${problems}; it cannot be used for training as it is.${weakestCap < QUALITY_BLOCKING_CAP ? ` Also, ${weakestReason}.` : ""}` };
  } else if (weightedScore > weakestCap) {
    cap = { maxScore: weakestCap, reason: `Capped at ${formatScore(weakestCap)} because ${weakestReason}.` };
  }
  const score = clampScore(cap ? Math.min(weightedScore, cap.maxScore) : weightedScore);
  // Failed criteria without a blocking problem explain themselves; blocking ones are already listed.
  const failedExplanations = judgements.filter((judgement) => !judgement.criterion.passed && judgement.blocking.length === 0).map(({ criterion }) => `${criterion.label}: ${criterion.explanation}`);

  return {
    version: QUALITY_SCORER_VERSION,
    score,
    flagged: score < QUALITY_REVIEW_THRESHOLD,
    band: qualityBand(score),
    threshold: QUALITY_REVIEW_THRESHOLD,
    weightedScore,
    cap,
    reasons: [...blocking.map((problem) => `${capitalize(problem)}.`), ...failedExplanations],
    summary: breakdown.map((criterion) => `${criterion.label} ${formatScore(criterion.score)}/10`).join(" · "),
    tier: input.tier ?? null,
    breakdown,
  };
}

/** Colour band of a score (US4.3.1): "low" (red) below 6, "medium" (yellow) below 8, "high" (green) from 8. */
export function qualityBand(score: number): QualityBand {
  if (score < QUALITY_REVIEW_THRESHOLD) return "low";
  if (score < HIGH_QUALITY_THRESHOLD) return "medium";
  return "high";
}

/** Words in a text: whitespace-separated pieces containing a letter or digit. */
export function countWords(text: string): number {
  // A character loop rather than split + filter: it runs on every turn and allocates nothing.
  let count = 0;
  let inPiece = false;
  let counted = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || (code > 127 && /\s/.test(text[index]))) {
      inPiece = false;
      continue;
    }
    if (!inPiece) {
      inPiece = true;
      counted = false;
    }
    if (counted) continue;
    const isAlphanumeric = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code > 127 && /[\p{L}\p{N}]/u.test(text[index]));
    if (isAlphanumeric) {
      count += 1;
      counted = true;
    }
  }
  return count;
}

// ---------------------------------------------------------------------------------------------
// Turn count: 8-16 optimal (US4.3.1); two points off per missing turn below, half a point per
// extra turn above (long conversations hurt less than thin ones). Fewer than 4 is truncated.

function judgeTurnCount(turns: CheckedTurn[]): Judgement {
  const count = turns.length;
  const { min, max } = OPTIMAL_TURNS;
  const range = `${min}-${max}`;
  const target = `${range} turns`;
  if (count >= min && count <= max) return { blocking: [], criterion: criterion("turn_count", count, target, 10, true, `${count} turns, within the optimal range of ${range}.`) };
  if (count > max) {
    return {
      blocking: [],
      criterion: criterion("turn_count", count, target, 10 - 0.5 * (count - max), false, `${count} turns detected, above the optimal range of ${range}.`, `Regenerate, or ask the template for at most ${max} turns; very long conversations repeat themselves and cost more to train on.`),
    };
  }
  const truncated = count < MIN_USABLE_TURNS;
  return {
    blocking: truncated ? [`it has only ${count} ${count === 1 ? "turn" : "turns"}, so it is cut short (at least ${MIN_USABLE_TURNS} are needed, ${range} is optimal)`] : [],
    criterion: criterion(
      "turn_count",
      count,
      target,
      10 - 2 * (min - count),
      false,
      `Only ${count} ${count === 1 ? "turn" : "turns"} detected, optimal range is ${range}.${truncated ? " The conversation looks truncated." : ""}`,
      `Regenerate, or ask the template for ${min / 2}-${max / 2} exchanges (${range} turns) so the conversation has room to develop.`,
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Length: share of turns whose word count is inside its role's range; answers of one to three
// words are non-answers (blocking), except a last "You're welcome!" to a closing remark.

function judgeLength(turns: CheckedTurn[]): Judgement {
  const target = `assistant ${TURN_LENGTH_TARGETS.assistant.min}-${TURN_LENGTH_TARGETS.assistant.max} words, user ${TURN_LENGTH_TARGETS.user.min}-${TURN_LENGTH_TARGETS.user.max} words`;
  if (turns.length === 0) return { blocking: [], criterion: criterion("length", "no turns", target, 1, false, "There are no turns to measure.", "Regenerate the conversation.") };

  const outside: { turn: number; role: string; words: number; range: string; short: boolean }[] = [];
  const terse: number[] = [];
  turns.forEach((turn, index) => {
    const range = turn.role === "assistant" ? TURN_LENGTH_TARGETS.assistant : turn.role === "user" ? TURN_LENGTH_TARGETS.user : null;
    if (range === null) outside.push({ turn: index + 1, role: turn.role, words: turn.words, range: "a user or assistant role", short: false });
    else if (turn.words < range.min || turn.words > range.max) outside.push({ turn: index + 1, role: turn.role, words: turn.words, range: `${range.min}-${range.max}`, short: turn.words < range.min });
    const closingReply = index === turns.length - 1 && index > 0 && !turns[index - 1].content.includes("?");
    if (turn.role === "assistant" && turn.words > 0 && turn.words <= TERSE_ANSWER_MAX_WORDS && !closingReply) terse.push(index);
  });
  const compliant = turns.length - outside.length;
  const share = compliant / turns.length;
  const actual = `${compliant} of ${turns.length} turns in range`;
  const blocking =
    terse.length > 0
      ? [`${listTurns(terse)} (assistant) ${terse.length === 1 ? "answers" : "answer"} in ${TERSE_ANSWER_MAX_WORDS} words or fewer ("${clip(turns[terse[0]].content, 40)}"), which teaches nothing`]
      : [];
  if (outside.length === 0) return { blocking, criterion: criterion("length", actual, target, 10, true, `All ${turns.length} turns are within the expected length (${target}).`) };

  const examples = outside
    .slice(0, 3)
    .map((item) => `turn ${item.turn} (${item.role}) has ${item.words} ${item.words === 1 ? "word" : "words"}, expected ${item.range}`)
    .join("; ");
  const more = outside.length > 3 ? `; and ${outside.length - 3} more` : "";
  const shortAssistant = outside.some((item) => item.role === "assistant" && item.short);
  return {
    blocking,
    criterion: criterion(
      "length",
      actual,
      target,
      1 + 9 * share,
      share >= 0.8 && terse.length === 0,
      `${outside.length} of ${turns.length} turns are outside the expected length: ${examples}${more}.${terse.length > 0 ? ` ${capitalize(blocking[0])}.` : ""}`,
      shortAssistant ? "Assistant replies are too short to teach much; ask the template for fuller answers and regenerate." : "Regenerate, or adjust the template's guidance on reply length.",
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Structure: valid roles, no empty turns, user first, assistant last, strict alternation. Most
// chat templates refuse anything else: the Llama 2 and Mistral templates on Hugging Face raise
// "Conversation roles must alternate user/assistant/user/assistant/...".

function judgeStructure(turns: CheckedTurn[]): Judgement {
  const target = "user and assistant roles only, alternating, user first, assistant last, no empty turns";
  if (turns.length === 0) return { blocking: ["the conversation has no turns"], criterion: criterion("structure", "no turns", target, 1, false, "The conversation has no turns.", "Regenerate the conversation.") };

  const problems: { text: string; penalty: number; blocking: boolean }[] = [];
  const invalid = indexesWhere(turns, (turn) => turn.role !== "user" && turn.role !== "assistant");
  if (invalid.length > 0) problems.push({ blocking: true, penalty: 4, text: `${listTurns(invalid)} ${invalid.length === 1 ? "has a role" : "have roles"} other than user or assistant ("${turns[invalid[0]].role}")` });
  const empty = indexesWhere(turns, (turn) => turn.content.trim().length === 0);
  if (empty.length > 0) problems.push({ blocking: true, penalty: 4, text: `${listTurns(empty)} ${empty.length === 1 ? "is" : "are"} empty or only whitespace` });
  if (turns[0].role !== "user") problems.push({ blocking: true, penalty: 3, text: `it starts with ${describeRole(turns[0].role)} turn instead of the user's (roles swapped or turns out of order)` });
  const last = turns[turns.length - 1];
  if (last.role !== "assistant") problems.push({ blocking: false, penalty: 2, text: `it ends with ${describeRole(last.role)} turn, so the last message gets no reply` });
  const breaks: string[] = [];
  for (let index = 1; index < turns.length; index += 1) {
    if (turns[index].role === turns[index - 1].role) breaks.push(`turns ${index} and ${index + 1} are both from the ${turns[index].role}`);
  }
  if (breaks.length > 0) {
    problems.push({
      blocking: true,
      penalty: Math.min(6, 2 * breaks.length),
      text: `user and assistant do not alternate (${breaks.slice(0, 3).join("; ")}${breaks.length > 3 ? `; and ${breaks.length - 3} more` : ""}): turns out of order or missing`,
    });
  }

  const checks = 5;
  const actual = `${checks - problems.length} of ${checks} checks passed`;
  const blocking = problems.filter((problem) => problem.blocking).map((problem) => problem.text);
  if (problems.length === 0) return { blocking, criterion: criterion("structure", actual, target, 10, true, "Roles are valid and alternate, it starts with the user and ends with the assistant, and no turn is empty.") };
  return {
    blocking,
    criterion: criterion(
      "structure",
      actual,
      target,
      10 - problems.reduce((sum, problem) => sum + problem.penalty, 0),
      false,
      asSentences(problems.map((problem) => problem.text)),
      "Regenerate: many chat templates reject conversations whose roles do not alternate, and fixing the order by hand changes what was said.",
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Fluency: word salad. Word-order anomalies per turn (turn-language.ts): a turn with at least 3
// making up 4 % of its words reads as scrambled, and so does a conversation whose turns average
// 3 % or more.

function judgeFluency(turns: CheckedTurn[]): Judgement {
  const target = "no turn reads as scrambled (word-order anomalies under 4 % of a turn's words, under 3 % overall)";
  const words = turns.reduce((sum, turn) => sum + turn.language.words, 0);
  if (words === 0) return { blocking: [], criterion: criterion("fluency", "no text", target, 1, false, "There is no text to read.", "Regenerate the conversation.") };
  const anomalies = turns.reduce((sum, turn) => sum + turn.language.anomalies, 0);
  const rate = anomalies / words;
  const salad = indexesWhere(turns, (turn) => readsAsWordSalad(turn.language));
  const scrambled = words >= 30 && rate >= CONVERSATION_ANOMALY_RATE;
  const actual = `${salad.length} of ${turns.length} turns scrambled; anomalies in ${formatPercent(rate)} of words`;

  if (salad.length === 0 && !scrambled) {
    const score = rate <= 0.015 ? 10 : 10 - (rate - 0.015) * 100;
    return {
      blocking: [],
      criterion: criterion("fluency", actual, target, score, true, anomalies === 0 ? "Every turn reads as ordinary English word order." : `Word order reads as ordinary English (${anomalies} minor ${anomalies === 1 ? "anomaly" : "anomalies"} in ${words} words, normal for casual or formatted text).`),
    };
  }
  const worst = salad.length > 0 ? salad : indexesWhere(turns, (turn) => turn.language.anomalies > 0).slice(0, 3);
  const examples = worst.flatMap((index) => turns[index].language.anomalyExamples).slice(0, 3);
  const problem =
    salad.length > 0
      ? `${listTurns(salad)} ${salad.length === 1 ? "reads" : "read"} as word salad: words in an order English does not use (${examples.join(", ")})`
      : `the turns read as scrambled: ${formatPercent(rate)} of the words are out of English word order (${examples.join(", ")})`;
  const score = Math.min(4, 10 - (rate - 0.015) * 100 - 2 * salad.length);
  return {
    blocking: [problem],
    criterion: criterion("fluency", actual, target, score, false, `${capitalize(problem)}.`, "Regenerate; if several conversations read like this, check the model, its temperature and sampling settings, or the provider's reply handling."),
  };
}

// ---------------------------------------------------------------------------------------------
// Relevance: each answer shares content words (wink-nlp stems of nouns, names, numbers, and at
// half weight verbs and adjectives) with the question before it, or the customer's next message
// picks it up. Questions with almost no content words are not checked. Unrelated answers in 40 %
// of the checked exchanges (at least 2) are blocking.

function judgeRelevance(turns: CheckedTurn[]): Judgement {
  const target = "every answer shares content words with the question before it (or the next message builds on it)";
  const unrelated: number[] = [];
  let pairs = 0;
  for (let index = 1; index < turns.length; index += 1) {
    const answer = turns[index];
    const question = turns[index - 1];
    if (answer.role !== "assistant" || question.role !== "user" || answer.language.words === 0) continue;
    // "Then what would you have me do instead?" has no content words to compare: not checkable.
    if (totalWeight(question.language.contentStems) < MIN_QUESTION_CONTENT) continue;
    pairs += 1;
    const next = turns[index + 1];
    const toQuestion = sharedContent(question.language.contentStems, answer.language.contentStems);
    const pickedUp = next && next.role === "user" ? sharedContent(answer.language.contentStems, next.language.contentStems) : 0;
    if (toQuestion < RELATED_TO_QUESTION && pickedUp < PICKED_UP_BY_NEXT) unrelated.push(index);
  }
  if (pairs === 0) {
    const hasPairs = turns.some((turn, index) => index > 0 && turn.role === "assistant" && turns[index - 1].role === "user");
    if (hasPairs) return { blocking: [], criterion: criterion("relevance", "no checkable questions", target, 10, true, "The customer's messages have too few content words to compare with the answers, so relevance was not checked.") };
    return { blocking: [], criterion: criterion("relevance", "no question-answer pairs", target, 1, false, "There is no user turn followed by an assistant answer to compare.", "Regenerate the conversation.") };
  }
  const related = pairs - unrelated.length;
  const share = related / pairs;
  const actual = `${related} of ${pairs} answers related`;
  if (unrelated.length === 0) return { blocking: [], criterion: criterion("relevance", actual, target, 10, true, `All ${pairs} answers pick up the words of the question before them.`) };
  const problem = `${listTurns(unrelated)} (assistant) ${unrelated.length === 1 ? "shares" : "share"} no content words with the question before ${unrelated.length === 1 ? "it" : "them"}, so ${unrelated.length === 1 ? "it looks" : "they look"} unrelated to what was asked`;
  const blocking = unrelated.length >= 2 && unrelated.length / pairs >= 0.4;
  return {
    blocking: blocking ? [problem] : [],
    criterion: criterion(
      "relevance",
      actual,
      target,
      1 + 9 * share,
      unrelated.length / pairs < 0.25,
      `${capitalize(problem)}.${blocking ? "" : " One unrelated answer can be a natural change of subject; read it to be sure."}`,
      "Regenerate; if answers keep missing the question, check that the template sends the whole conversation so far, not only the last message.",
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Repetition: two turns that say the same thing (word-trigram Jaccard similarity ≥ 0.6) are
// blocking: the assistant repeating itself, or the customer sending the same message again.
// Sentences of 8+ words repeated across assistant turns cost a point each.

function judgeRepetition(turns: CheckedTurn[], vocabulary: Vocabulary): Judgement {
  const target = "no turn repeats another (word-trigram similarity under 60 %), no repeated sentences";
  const pairs: { first: number; second: number }[] = [];
  for (let second = 1; second < turns.length; second += 1) {
    if (turns[second].words < 5) continue;
    for (let first = 0; first < second; first += 1) {
      // Identical turns of 5+ words have identical trigrams (similarity 1), so no separate equality test.
      if (turns[first].words < 5) continue;
      if (trigramSimilarity(turns[first].language.trigrams, turns[second].language.trigrams) >= NEAR_DUPLICATE_SIMILARITY) {
        pairs.push({ first, second });
        break;
      }
    }
  }
  const seen = new Map<number, number>();
  const repeatedSentences = new Map<number, number[]>();
  turns.forEach((turn, index) => {
    if (turn.role !== "assistant") return;
    for (const sentence of turn.language.longSentences) {
      const earlier = seen.get(sentence.key);
      if (earlier !== undefined && earlier !== index && !pairs.some((pair) => pair.second === index)) {
        repeatedSentences.set(sentence.key, turn.language.wordIds.slice(sentence.start, sentence.start + sentence.length));
      } else if (earlier === undefined) seen.set(sentence.key, index);
    }
  });

  const actual = `${pairs.length} repeated ${pairs.length === 1 ? "turn" : "turns"}, ${repeatedSentences.size} repeated ${repeatedSentences.size === 1 ? "sentence" : "sentences"}`;
  if (pairs.length === 0 && repeatedSentences.size === 0) return { blocking: [], criterion: criterion("repetition", actual, target, 10, true, "No turn or sentence repeats an earlier one.") };

  const byRole = (role: string) => pairs.filter((pair) => turns[pair.second].role === role);
  const blocking: string[] = [];
  const describe = (list: typeof pairs) => list.slice(0, 3).map((pair) => `turn ${pair.second + 1} repeats turn ${pair.first + 1}`).join(", ") + (list.length > 3 ? `, and ${list.length - 3} more` : "");
  const assistantRepeats = byRole("assistant");
  const userRepeats = byRole("user");
  const otherRepeats = pairs.filter((pair) => turns[pair.second].role !== "assistant" && turns[pair.second].role !== "user");
  if (assistantRepeats.length > 0) blocking.push(`the assistant repeats itself (${describe(assistantRepeats)})`);
  if (userRepeats.length > 0) blocking.push(`the user sends the same message again (${describe(userRepeats)})`);
  if (otherRepeats.length > 0) blocking.push(`turns repeat each other (${describe(otherRepeats)})`);
  const sentences = repeatedSentences.size > 0 ? [`${repeatedSentences.size} ${repeatedSentences.size === 1 ? "sentence appears" : "sentences appear"} in more than one assistant turn ("${clip(wordsOf([...repeatedSentences.values()][0], vocabulary), 60)}")`] : [];
  const score = 10 - 3 * pairs.length - Math.min(3, repeatedSentences.size);
  return {
    blocking,
    criterion: criterion(
      "repetition",
      actual,
      target,
      blocking.length > 0 ? Math.min(4, score) : score,
      blocking.length === 0 && repeatedSentences.size <= 1,
      asSentences([...blocking, ...sentences]),
      "Regenerate; repeated turns teach the model to loop. If it happens often, lower the temperature's repetition or raise a frequency penalty.",
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Naturalness: the fingerprints of a template filling in slots rather than people talking.
// - the persona's or emotion's label said word for word ("I'm a fairly typical ambitious young
//   professional"): 2 points each;
// - the topic's name (two words or more) word for word in 3 or more turns and at least 30 % of
//   them: 1 point per turn beyond 2, at most 4 (people vary how they refer to a subject);
// - the same 4-word phrases coming back across assistant turns: above 1.5 per 100 assistant
//   words, 1.5 points per extra phrase per 100 words, at most 4.
// The score stays at or above NATURALNESS_FLOOR (4): with the weakest-link rule that keeps a
// formulaic but otherwise sound conversation at 7 at most, out of the high band but not flagged.

function judgeNaturalness(turns: CheckedTurn[], input: QualityInput, vocabulary: Vocabulary): Judgement {
  const target = "no taxonomy labels said word for word; the topic's name in under 30% of turns; under 1.5 repeated 4-word phrases per 100 assistant words";
  const problems: { text: string; penalty: number }[] = [];

  const labels: [string, string | undefined][] = [
    ["persona", input.persona?.name],
    ["emotion", input.emotion?.name],
  ];
  for (const [kind, label] of labels) {
    if (!label?.trim()) continue;
    const at = indexesWhere(turns, (turn) => mentionsLabel(turn.content, label));
    if (at.length > 0) problems.push({ penalty: 2, text: `${listTurns(at)} ${at.length === 1 ? "says" : "say"} the ${kind} label "${label.trim()}" word for word, where a real customer would describe themselves` });
  }

  const topicName = input.topic?.name?.trim() ?? "";
  if (topicName.split(/\s+/).length >= 2) {
    const at = indexesWhere(turns, (turn) => mentionsLabel(turn.content, topicName));
    if (at.length >= 3 && at.length / turns.length >= 0.3) {
      problems.push({ penalty: Math.min(4, at.length - 2), text: `the topic's name "${topicName}" is repeated word for word in ${at.length} of ${turns.length} turns, the way a template fills in a slot` });
    }
  }

  const assistantTurns = turns.filter((turn) => turn.role === "assistant");
  const assistantWords = assistantTurns.reduce((sum, turn) => sum + turn.language.words, 0);
  const seenIn = new Map<number, number>();
  /** Repeated phrase → where it occurs again (its words are read back only for the examples). */
  const repeated = new Map<number, { ids: number[]; at: number }>();
  assistantTurns.forEach((turn, index) => {
    const ids = turn.language.wordIds;
    for (let at = 0; at + 3 < ids.length; at += 1) {
      const phrase = ngramKey(ids, at, 4);
      const first = seenIn.get(phrase);
      if (first === undefined) seenIn.set(phrase, index);
      else if (first !== index && !repeated.has(phrase)) repeated.set(phrase, { ids, at });
    }
  });
  const perHundred = assistantWords === 0 ? 0 : (100 * repeated.size) / assistantWords;
  if (perHundred > 1.5) {
    const examples = [...repeated.values()]
      .slice(0, 2)
      .map(({ ids, at }) => `"${wordsOf(ids.slice(at, at + 4), vocabulary)}"`)
      .join(", ");
    problems.push({ penalty: Math.min(4, (perHundred - 1.5) * 1.5), text: `the assistant reuses the same phrases across turns (${repeated.size} four-word phrases in more than one answer, e.g. ${examples})` });
  }

  const actual = problems.length === 0 ? "no template fingerprints" : `${problems.length} template ${problems.length === 1 ? "fingerprint" : "fingerprints"}`;
  if (problems.length === 0) return { blocking: [], criterion: criterion("naturalness", actual, target, 10, true, "Nothing reads as a template filling in slots: no labels said word for word, no stock phrases reused across answers.") };
  const score = Math.max(NATURALNESS_FLOOR, 10 - problems.reduce((sum, problem) => sum + problem.penalty, 0));
  return {
    blocking: [],
    criterion: criterion(
      "naturalness",
      actual,
      target,
      score,
      score >= 7,
      `${asSentences(problems.map((problem) => problem.text))} A model trained on it learns the formula.`,
      "Ask the template for the customer's own words instead of the persona, emotion and topic names, and vary the phrasing; with the simulated provider this is expected, as it is a composer, not a language model.",
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Consistency, a heuristic on words (the explanation says so):
// - topic: the topic's key terms or name words (wink-nlp stems) in ≥ 40 % of turns, in both halves;
// - persona voice: the customer speaks in the first person in ≥ 60 % of its turns;
// - roles: neither side says the other's lines, and the customer's turns are not longer than the
//   assistant's while the assistant does the asking.

const FIRST_PERSON = /\b(i|i'm|i’m|i've|i’ve|i'd|i’d|i'll|i’ll|me|my|mine|myself|we|we're|we’re|we've|we’ve|our|ours|us)\b/i;
const ADVISOR_LINES_IN_USER_TURN = /\b(how (can|may) i (help|assist) you|as (an|your) (ai|assistant|advisor|adviser|planner|consultant)\b|i('d| would) recommend that you|happy to help you with)/i;
const CLIENT_LINES_IN_ASSISTANT_TURN = /\b(can you help me\b|as your client\b|i need your advice\b|what should i do\?)/i;

function judgeConsistency(turns: CheckedTurn[], input: QualityInput): Judgement {
  const target = "topic words in ≥ 40% of turns across both halves; customer in first person in ≥ 60% of its turns; no role swaps";
  if (turns.length === 0) return { blocking: [], criterion: criterion("consistency", "no turns", target, 1, false, "There are no turns to check.", "Regenerate the conversation.") };

  const terms = topicTerms(input.topic ?? null);
  const mentioning = turns.map((turn) => terms.length > 0 && terms.some((term) => term.every((stem) => turn.language.contentStems.has(stem))));
  const topicTurns = mentioning.filter(Boolean).length;
  const half = Math.ceil(turns.length / 2);
  const inBothHalves = mentioning.slice(0, half).some(Boolean) && mentioning.slice(half).some(Boolean);
  const topicShare = topicTurns / turns.length;
  const topicPart = terms.length === 0 ? 1 : Math.min(1, topicShare / 0.4) * (inBothHalves || turns.length < 2 ? 1 : 0.7);

  const userTurns = turns.filter((turn) => turn.role === "user");
  const assistantTurns = turns.filter((turn) => turn.role === "assistant");
  const firstPerson = userTurns.filter((turn) => FIRST_PERSON.test(turn.content)).length;
  const voicePart = userTurns.length === 0 ? 0 : Math.min(1, firstPerson / userTurns.length / 0.6);

  const swaps: string[] = [];
  turns.forEach((turn, index) => {
    if (turn.role === "user" && ADVISOR_LINES_IN_USER_TURN.test(turn.content)) swaps.push(`turn ${index + 1} (user) talks like the advisor`);
    if (turn.role === "assistant" && CLIENT_LINES_IN_ASSISTANT_TURN.test(turn.content)) swaps.push(`turn ${index + 1} (assistant) talks like the client`);
  });
  const mean = (list: CheckedTurn[]) => list.reduce((sum, turn) => sum + turn.words, 0) / Math.max(1, list.length);
  const questionsOf = (list: CheckedTurn[]) => list.reduce((sum, turn) => sum + turn.language.questions, 0);
  if (userTurns.length >= 2 && assistantTurns.length >= 2 && mean(userTurns) > 1.5 * mean(assistantTurns) && questionsOf(assistantTurns) > questionsOf(userTurns)) {
    swaps.push(`the user's turns are longer than the assistant's (${Math.round(mean(userTurns))} against ${Math.round(mean(assistantTurns))} words on average) while the assistant asks the questions, as if the roles were swapped`);
  }
  const rolePart = Math.max(0, 1 - 0.5 * swaps.length);

  const score = 1 + 9 * (0.4 * topicPart + 0.3 * voicePart + 0.3 * rolePart);
  const passed = score >= 7;
  const topicName = input.topic?.name?.trim() ? `"${input.topic.name.trim()}"` : "";
  const findings: string[] = [];
  if (terms.length === 0) findings.push(topicName ? `the topic ${topicName} has no key terms or distinctive words to look for, so topic coverage was not checked` : "no topic was given, so topic coverage was not checked");
  else if (topicTurns === 0) findings.push(`no turn mentions the topic ${topicName} or its key terms`);
  else if (!inBothHalves) findings.push(`the topic ${topicName} appears in ${topicTurns} of ${turns.length} turns, but only in one half of the conversation`);
  else findings.push(`the topic ${topicName} or its key terms appear in ${topicTurns} of ${turns.length} turns`);
  const persona = input.persona?.name?.trim() ? ` (${input.persona.name.trim()})` : "";
  findings.push(userTurns.length === 0 ? "there are no customer turns" : `the customer${persona} speaks in the first person in ${firstPerson} of ${userTurns.length} turns`);
  findings.push(...swaps.slice(0, 3));
  const explanation = `${asSentences(findings)} This is a word-level heuristic: it does not judge facts or whether the persona's traits come through, so a reviewer still reads the conversation.`;

  const actual = terms.length === 0 ? `voice ${firstPerson}/${userTurns.length} user turns` : `topic in ${topicTurns}/${turns.length} turns, voice ${firstPerson}/${userTurns.length} user turns`;
  const recommendation = passed
    ? undefined
    : topicPart < 1
      ? "Check that the template passes the topic and chunk content ({topic}, {key_terms}, {chunk_content}) and regenerate."
      : swaps.length > 0
        ? "Regenerate; the roles got mixed up."
        : "Check the persona description in the template ({persona}, {persona_description}) and regenerate.";
  return { blocking: [], criterion: criterion("consistency", actual, target, score, passed, explanation, recommendation) };
}

/** Topic terms already worked out, by topic (a run scores many conversations of the same few topics). */
const topicTermsCache = new Map<string, string[][]>();

/** The topic's key terms and its name's content words, each as the wink-nlp stems a turn must all contain. */
function topicTerms(topic: QualityInput["topic"]): string[][] {
  if (!topic) return [];
  const key = JSON.stringify([topic.name, topic.keyTerms ?? []]);
  const cached = topicTermsCache.get(key);
  if (cached) return cached;
  if (topicTermsCache.size >= 500) topicTermsCache.clear();
  const terms: string[][] = [];
  topicTermsCache.set(key, terms);
  const add = (stems: string[]): void => {
    if (stems.length > 0 && !terms.some((existing) => existing.join(" ") === stems.join(" "))) terms.push(stems);
  };
  for (const term of topic.keyTerms ?? []) add([...analyzeTurnLanguage(term).contentStems.keys()]);
  for (const [stem, weight] of analyzeTurnLanguage(topic.name).contentStems) if (weight === 1 && stem.length >= 3) add([stem]);
  return terms;
}

// ---------------------------------------------------------------------------------------------
// Confidence: a clean, complete reply. Not cut off; no model disclaimers or refusals, no
// placeholders or template labels, no fragments of the reply's JSON or code fence.

const NORMAL_STOP_REASONS = new Set(["end_turn", "stop", "stop_sequence"]);
const CUT_OFF_STOP_REASONS = new Set(["max_tokens", "length", "model_context_window_exceeded"]);

function judgeConfidence(turns: CheckedTurn[], input: QualityInput): Judgement {
  const target = "complete reply; no AI disclaimers, refusals, placeholders, template labels, JSON or code-fence fragments";
  const issues: { text: string; penalty: number; blocking: boolean }[] = [];
  const stopReason = input.stopReason ?? null;

  if (input.truncated || (stopReason !== null && CUT_OFF_STOP_REASONS.has(stopReason))) {
    issues.push({ blocking: false, penalty: 4, text: `the reply was cut off at the token limit${stopReason ? ` (stop reason "${stopReason}")` : ""}, so the conversation may be unfinished` });
  } else if (stopReason !== null && !NORMAL_STOP_REASONS.has(stopReason)) {
    issues.push({ blocking: false, penalty: 3, text: `the provider stopped for an unusual reason ("${stopReason}")` });
  }

  const find = (test: (turn: CheckedTurn) => boolean, role?: string): number[] => indexesWhere(turns, (turn) => (role === undefined || turn.role === role) && test(turn));
  // Quotes the first match; with `extend`, up to the end of its clause: ("As an AI language model, I can't…").
  const quote = (indexes: number[], pattern: RegExp, extend = false): string => {
    const text = withoutCodeBlocks(turns[indexes[0]].content);
    const match = pattern.exec(text) ?? pattern.exec(turns[indexes[0]].content);
    if (!match) return "";
    if (!extend) return ` (${JSON.stringify(clip(match[0], 50))})`;
    const rest = text.slice(text.indexOf(match[0]));
    const clause = /^[^.,;!?\n]{0,70}/.exec(rest)?.[0] ?? match[0];
    return ` (${JSON.stringify(`${clause.trim()}${clause.length < rest.length ? "…" : ""}`)})`;
  };

  const disclaimers = find((turn) => AI_DISCLAIMER.test(turn.content));
  if (disclaimers.length > 0) {
    issues.push({ blocking: true, penalty: 4, text: `${listTurns(disclaimers)} ${disclaimers.length === 1 ? "contains" : "contain"} an AI disclaimer${quote(disclaimers, AI_DISCLAIMER, true)}, which the trained assistant would learn to repeat` });
  }
  const refusals = input.tier === "edge_case" ? [] : find((turn) => REFUSAL.test(turn.content), "assistant");
  if (refusals.length > 0) issues.push({ blocking: true, penalty: 4, text: `${listTurns(refusals)} ${refusals.length === 1 ? "is" : "are"} a blanket refusal${quote(refusals, REFUSAL, true)}` });
  const placeholders = find((turn) => PLACEHOLDER.test(withoutCodeBlocks(turn.content)));
  if (placeholders.length > 0) {
    issues.push({ blocking: true, penalty: 4, text: `${listTurns(placeholders)} ${placeholders.length === 1 ? "contains" : "contain"} an unfilled template placeholder${quote(placeholders, PLACEHOLDER)}` });
  }
  const taxonomyLabels = [input.persona?.name, input.emotion?.name, input.intent, input.tone].filter((name): name is string => Boolean(name?.trim()));
  const labelTurns = find((turn) => LABEL_PHRASE.test(turn.content) || FIELD_LABEL.test(withoutCodeBlocks(turn.content)) || pastedLabels(turn.content, taxonomyLabels).length > 0);
  if (labelTurns.length > 0) {
    const first = turns[labelTurns[0]].content;
    const shown = pastedLabels(first, taxonomyLabels)[0] ?? LABEL_PHRASE.exec(first)?.[0] ?? FIELD_LABEL.exec(first)?.[0].trim() ?? "";
    issues.push({ blocking: true, penalty: 4, text: `${listTurns(labelTurns)} ${labelTurns.length === 1 ? "has" : "have"} template labels pasted in instead of natural speech ("${clip(shown, 50)}")` });
  }
  const json = find((turn) => CONTRACT_KEYS.test(turn.content) || JSON_OBJECT.test(withoutCodeBlocks(turn.content)));
  if (json.length > 0) issues.push({ blocking: true, penalty: 4, text: `${listTurns(json)} ${json.length === 1 ? "contains" : "contain"} raw JSON from the reply${quote(json, CONTRACT_KEYS.test(turns[json[0]].content) ? CONTRACT_KEYS : JSON_OBJECT)}` });
  const fences = find((turn) => countCodeFences(turn.content) % 2 === 1);
  if (fences.length > 0) issues.push({ blocking: true, penalty: 3, text: `${listTurns(fences)} ${fences.length === 1 ? "has" : "have"} a stray \`\`\` code fence that is never closed (a fragment of the reply's wrapping)` });

  const note = input.tier === "edge_case" ? " Polite refusals are expected in edge-case conversations and are not counted." : "";
  if (issues.length === 0) {
    const stop = stopReason ? `stopped normally ("${stopReason}")` : "was not cut off";
    return { blocking: [], criterion: criterion("confidence", "no warning signs", target, 10, true, `The reply ${stop}, with no AI disclaimers, refusals, placeholders, template labels or JSON fragments.${note}`) };
  }
  const recommendation = issues.some((issue) => issue.text.includes("cut off"))
    ? "Regenerate with a higher max_tokens, or ask the template for fewer or shorter turns."
    : "Regenerate, or edit the flagged turns before approving; if it recurs, check the template for unfilled {placeholders} and the provider's reply handling.";
  return {
    blocking: issues.filter((issue) => issue.blocking).map((issue) => issue.text),
    criterion: criterion("confidence", `${issues.length} warning ${issues.length === 1 ? "sign" : "signs"}`, target, 10 - issues.reduce((sum, issue) => sum + issue.penalty, 0), false, `${asSentences(issues.map((issue) => issue.text))}${note}`, recommendation),
  };
}

// ---------------------------------------------------------------------------------------------

function criterion(id: QualityCriterionId, actual: number | string, target: string, score: number, passed: boolean, explanation: string, recommendation?: string): QualityCriterion {
  const row: QualityCriterion = { id, label: QUALITY_CRITERION_LABELS[id], actual, target, score: clampScore(score), weight: QUALITY_WEIGHTS[id], passed, explanation };
  if (!passed && recommendation) row.recommendation = recommendation;
  return row;
}

/** The lower-cased words of vocabulary ids, joined by spaces (only for the examples in explanations). */
function wordsOf(ids: number[], vocabulary: Vocabulary): string {
  const wanted = new Set(ids);
  const word = new Map<number, string>();
  for (const [text, id] of vocabulary) if (wanted.has(id)) word.set(id, text);
  // wink-nlp splits contractions ("there" "'s", "do" "n't"): join them back for reading.
  return ids.map((id) => word.get(id) ?? "?").join(" ").replace(/ (?=n?['’])/g, "");
}

function totalWeight(stems: Map<string, number>): number {
  let total = 0;
  for (const weight of stems.values()) total += weight;
  return total;
}

function indexesWhere(turns: CheckedTurn[], test: (turn: CheckedTurn) => boolean): number[] {
  return turns.flatMap((turn, index) => (test(turn) ? [index] : []));
}

function clampScore(score: number): number {
  return round1(Math.min(10, Math.max(1, score)));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(1);
}

function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

function describeRole(role: string): string {
  if (role === "assistant") return "an assistant";
  return role === "user" ? "a user" : `a "${role}"`;
}

/** Each item as its own sentence: "Turn 4 is empty. It ends with a user turn." */
function asSentences(items: string[]): string {
  return items.map((item) => `${capitalize(item)}.`).join(" ");
}

function listTurns(indexes: number[]): string {
  const numbers = indexes.map((index) => index + 1);
  if (numbers.length === 1) return `turn ${numbers[0]}`;
  const shown = numbers.slice(0, 5);
  return `turns ${joinList(shown.map(String))}${numbers.length > 5 ? ` (and ${numbers.length - 5} more)` : ""}`;
}

function joinList(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
