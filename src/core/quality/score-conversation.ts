/**
 * Automatic quality score of a generated conversation (US4.3.1 "Automated Quality Scoring",
 * US4.3.2 "Quality Criteria Details"). Pure and fast: no model, no network. The rules, targets
 * and weights are described in docs/quality.md.
 */
import { OPTIMAL_TURNS, QUALITY_REVIEW_THRESHOLD } from "../../lib/constants";
import {
  QUALITY_BLOCKING_CAP,
  QUALITY_CRITERION_LABELS,
  QUALITY_SCORER_VERSION,
  QUALITY_WEAKEST_LINK_MARGIN,
  QUALITY_WEIGHTS,
  TURN_LENGTH_TARGETS,
  type QualityBand,
  type QualityCriterion,
  type QualityCriterionId,
  type QualityInput,
  type QualityResult,
} from "./quality-types";

type CheckedTurn = { role: string; content: string };

/**
 * Scores one conversation 1-10 against six criteria: turn count, length, structure,
 * alternation, persona/topic consistency and confidence.
 *
 * @param input the turns plus what they should be about (persona, topic), the tier and, when the
 *   conversation came from a provider, its stop reason and truncation flag
 * @returns a JSON-serialisable {@link QualityResult}: `score` (one decimal), `flagged` when below
 *   QUALITY_REVIEW_THRESHOLD (6), the colour `band`, and one `breakdown` row per criterion with
 *   actual value, target, score, weight, pass/fail, a plain-English explanation and, when failed,
 *   a recommendation. Blocking problems (broken alternation, unknown roles, empty turns, fewer than
 *   two turns) cap the score at QUALITY_BLOCKING_CAP (5), and the score is never more than
 *   QUALITY_WEAKEST_LINK_MARGIN (3) above the lowest criterion; `cap` says which rule applied.
 * Throws nothing.
 */
export function scoreConversation(input: QualityInput): QualityResult {
  const turns: CheckedTurn[] = input.turns.map((turn) => ({
    role: typeof turn?.role === "string" ? turn.role : String(turn?.role),
    content: typeof turn?.content === "string" ? turn.content : "",
  }));

  const structure = scoreStructure(turns);
  const alternation = scoreAlternation(turns);
  const breakdown: QualityCriterion[] = [
    scoreTurnCount(turns),
    scoreLength(turns),
    structure.criterion,
    alternation.criterion,
    scoreConsistency(turns, input),
    scoreConfidence(turns, input),
  ];

  const totalWeight = breakdown.reduce((sum, criterion) => sum + criterion.weight, 0);
  const weightedScore = round1(breakdown.reduce((sum, criterion) => sum + criterion.weight * criterion.score, 0) / totalWeight);

  const blocking: string[] = [];
  if (turns.length < 2) blocking.push(turns.length === 0 ? "the conversation has no turns" : "the conversation has only one turn");
  if (alternation.breaks > 0) blocking.push("user and assistant turns do not alternate");
  if (structure.invalidRoles > 0) blocking.push("a turn has a role other than user or assistant");
  if (structure.emptyTurns > 0) blocking.push("a turn is empty");
  const weakest = breakdown.reduce((lowest, criterion) => (criterion.score < lowest.score ? criterion : lowest));
  const weakestCap = round1(weakest.score + QUALITY_WEAKEST_LINK_MARGIN);
  let cap: QualityResult["cap"] = null;
  if (blocking.length > 0 && weightedScore > QUALITY_BLOCKING_CAP) {
    cap = { maxScore: QUALITY_BLOCKING_CAP, reason: `Capped at ${QUALITY_BLOCKING_CAP} because ${joinList(blocking)}; it cannot be used for training as it is.` };
  }
  if (weightedScore > weakestCap && (cap === null || weakestCap < cap.maxScore)) {
    cap = {
      maxScore: weakestCap,
      reason: `Capped at ${formatScore(weakestCap)} because ${weakest.label.toLowerCase()} scored only ${formatScore(weakest.score)}; the overall score is at most ${QUALITY_WEAKEST_LINK_MARGIN} points above the weakest criterion.`,
    };
  }
  const score = clampScore(cap ? Math.min(weightedScore, cap.maxScore) : weightedScore);

  return {
    version: QUALITY_SCORER_VERSION,
    score,
    flagged: score < QUALITY_REVIEW_THRESHOLD,
    band: qualityBand(score),
    threshold: QUALITY_REVIEW_THRESHOLD,
    weightedScore,
    cap,
    summary: breakdown.map((criterion) => `${criterion.label} ${formatScore(criterion.score)}/10`).join(" · "),
    tier: input.tier,
    breakdown,
  };
}

/** Colour band of a score (US4.3.1): "low" (red) below 6, "medium" (yellow) below 8, "high" (green) from 8. */
export function qualityBand(score: number): QualityBand {
  if (score < QUALITY_REVIEW_THRESHOLD) return "low";
  if (score < 8) return "medium";
  return "high";
}

/** Words in a text: whitespace-separated pieces containing a letter or digit. */
export function countWords(text: string): number {
  return text.split(/\s+/).filter((piece) => /[\p{L}\p{N}]/u.test(piece)).length;
}

// ---------------------------------------------------------------------------------------------
// Turn count: 8-16 optimal (US4.3.1); two points off per missing turn below, half a point per
// extra turn above (long conversations hurt less than thin ones).

function scoreTurnCount(turns: CheckedTurn[]): QualityCriterion {
  const count = turns.length;
  const { min, max } = OPTIMAL_TURNS;
  const range = `${min}-${max}`;
  if (count >= min && count <= max) {
    return criterion("turn_count", count, `${range} turns`, 10, true, `${count} turns, within the optimal range of ${range}.`);
  }
  if (count < min) {
    const score = 10 - 2 * (min - count);
    return criterion(
      "turn_count",
      count,
      `${range} turns`,
      score,
      false,
      `Only ${count} ${count === 1 ? "turn" : "turns"} detected, optimal range is ${range}.`,
      `Regenerate, or ask the template for ${min / 2}-${max / 2} exchanges (${range} turns) so the conversation has room to develop.`,
    );
  }
  return criterion(
    "turn_count",
    count,
    `${range} turns`,
    10 - 0.5 * (count - max),
    false,
    `${count} turns detected, above the optimal range of ${range}.`,
    `Regenerate, or ask the template for at most ${max} turns; very long conversations repeat themselves and cost more to train on.`,
  );
}

// ---------------------------------------------------------------------------------------------
// Length: share of turns whose word count is inside its role's range.

function scoreLength(turns: CheckedTurn[]): QualityCriterion {
  const target = `assistant ${TURN_LENGTH_TARGETS.assistant.min}-${TURN_LENGTH_TARGETS.assistant.max} words, user ${TURN_LENGTH_TARGETS.user.min}-${TURN_LENGTH_TARGETS.user.max} words`;
  if (turns.length === 0) return criterion("length", "no turns", target, 1, false, "There are no turns to measure.", "Regenerate the conversation.");

  const outside: { turn: number; role: string; words: number; range: string; short: boolean }[] = [];
  turns.forEach((turn, index) => {
    const words = countWords(turn.content);
    const range = turn.role === "assistant" ? TURN_LENGTH_TARGETS.assistant : turn.role === "user" ? TURN_LENGTH_TARGETS.user : null;
    if (range === null) outside.push({ turn: index + 1, role: turn.role, words, range: "a user or assistant role", short: false });
    else if (words < range.min || words > range.max) outside.push({ turn: index + 1, role: turn.role, words, range: `${range.min}-${range.max}`, short: words < range.min });
  });
  const compliant = turns.length - outside.length;
  const share = compliant / turns.length;
  const actual = `${compliant} of ${turns.length} turns in range`;
  if (outside.length === 0) return criterion("length", actual, target, 10, true, `All ${turns.length} turns are within the expected length (${target}).`);

  const examples = outside
    .slice(0, 3)
    .map((item) => `turn ${item.turn} (${item.role}) has ${item.words} ${item.words === 1 ? "word" : "words"}, expected ${item.range}`)
    .join("; ");
  const more = outside.length > 3 ? `; and ${outside.length - 3} more` : "";
  const shortAssistant = outside.some((item) => item.role === "assistant" && item.short);
  const recommendation = shortAssistant
    ? "Assistant replies are too short to teach much; ask the template for fuller answers and regenerate."
    : "Regenerate, or adjust the template's guidance on reply length.";
  return criterion(
    "length",
    actual,
    target,
    1 + 9 * share,
    share >= 0.8,
    `${outside.length} of ${turns.length} turns are outside the expected length: ${examples}${more}.`,
    recommendation,
  );
}

// ---------------------------------------------------------------------------------------------
// Structure: the shape a training example needs.

function scoreStructure(turns: CheckedTurn[]): { criterion: QualityCriterion; invalidRoles: number; emptyTurns: number } {
  const target = "valid roles, no empty turns, starts with user, ends with assistant, no repeated turns";
  if (turns.length === 0) {
    return { criterion: criterion("structure", "no turns", target, 1, false, "The conversation has no turns.", "Regenerate the conversation."), invalidRoles: 0, emptyTurns: 0 };
  }
  const problems: { text: string; penalty: number }[] = [];
  const invalid = turns.map((turn, index) => ({ turn, index })).filter(({ turn }) => turn.role !== "user" && turn.role !== "assistant");
  if (invalid.length > 0) problems.push({ penalty: 4, text: `${listTurns(invalid.map(({ index }) => index))} ${invalid.length === 1 ? "has a role" : "have roles"} other than user or assistant ("${invalid[0].turn.role}")` });
  const empty = turns.map((turn, index) => ({ turn, index })).filter(({ turn }) => turn.content.trim().length === 0);
  if (empty.length > 0) problems.push({ penalty: 3, text: `${listTurns(empty.map(({ index }) => index))} ${empty.length === 1 ? "is" : "are"} empty` });
  if (turns[0].role !== "user") problems.push({ penalty: 2, text: `it starts with ${describeRole(turns[0].role)} turn instead of the user` });
  const last = turns[turns.length - 1];
  if (last.role !== "assistant") problems.push({ penalty: 2, text: `it ends with ${describeRole(last.role)} turn, so the last message gets no reply` });
  const repeats: string[] = [];
  turns.forEach((turn, index) => {
    const normalized = normalize(turn.content);
    if (normalized.length === 0) return;
    for (const back of [1, 2]) {
      if (index - back >= 0 && normalize(turns[index - back].content) === normalized) {
        repeats.push(`turn ${index + 1} repeats turn ${index - back + 1}`);
        break;
      }
    }
  });
  if (repeats.length > 0) problems.push({ penalty: 2, text: repeats.slice(0, 3).join(", ") });

  const checks = 5;
  const passedChecks = checks - problems.length;
  const actual = `${passedChecks} of ${checks} checks passed`;
  const result = {
    invalidRoles: invalid.length,
    emptyTurns: empty.length,
  };
  if (problems.length === 0) {
    return { ...result, criterion: criterion("structure", actual, target, 10, true, "Roles are valid, no turn is empty, it starts with the user, ends with the assistant and repeats nothing.") };
  }
  const score = 10 - problems.reduce((sum, problem) => sum + problem.penalty, 0);
  return {
    ...result,
    criterion: criterion("structure", actual, target, score, false, asSentences(problems.map((problem) => problem.text)), "Regenerate the conversation; fixing structure by hand is error-prone."),
  };
}

// ---------------------------------------------------------------------------------------------
// Alternation: user, assistant, user, assistant…

function scoreAlternation(turns: CheckedTurn[]): { criterion: QualityCriterion; breaks: number } {
  const target = "0 breaks (user and assistant take turns)";
  const breaks: string[] = [];
  for (let index = 1; index < turns.length; index += 1) {
    if (turns[index].role === turns[index - 1].role) breaks.push(`turns ${index} and ${index + 1} are both from the ${turns[index].role}`);
  }
  if (breaks.length === 0) {
    const text = turns.length < 2 ? "Fewer than two turns: nothing to alternate." : "User and assistant turns alternate throughout.";
    return { breaks: 0, criterion: criterion("alternation", 0, target, turns.length < 2 ? 1 : 10, turns.length >= 2, text, turns.length < 2 ? "Regenerate the conversation." : undefined) };
  }
  const more = breaks.length > 3 ? `, and ${breaks.length - 3} more` : "";
  return {
    breaks: breaks.length,
    criterion: criterion(
      "alternation",
      breaks.length,
      target,
      10 - 3 * breaks.length,
      false,
      `Alternation broken ${breaks.length} ${breaks.length === 1 ? "time" : "times"}: ${breaks.slice(0, 3).join("; ")}${more}.`,
      "Regenerate: many chat templates reject conversations whose roles do not alternate, and merging turns by hand changes what was said.",
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Consistency: a heuristic, and the explanation says so. Three signals:
// - topic: topic-name words or key terms appear in at least 40% of turns, in both halves;
// - persona voice: the client (user) speaks in the first person in at least 60% of its turns;
// - roles: the client does not talk like the advisor and the advisor does not talk like the client.

const STOP_WORDS = new Set(
  "a an and are as at be but by for from has have how in into is it its of on or our the their them they this to vs was what when where which who why with your you about after before between during over under".split(" "),
);
const FIRST_PERSON = /\b(i|i'm|i’m|i've|i’ve|i'd|i’d|i'll|i’ll|me|my|mine|myself|we|we're|we’re|we've|we’ve|our|ours|us)\b/i;
const ADVISOR_LINES_IN_USER_TURN = /\b(how (can|may) i (help|assist) you|as (an|your) (ai|assistant|advisor|adviser|planner|consultant)\b|i('d| would) recommend that you|happy to help you with)/i;
const CLIENT_LINES_IN_ASSISTANT_TURN = /\b(can you help me\b|as your client\b|i need your advice\b|what should i do\?)/i;

function scoreConsistency(turns: CheckedTurn[], input: QualityInput): QualityCriterion {
  const target = "topic words in ≥ 40% of turns across both halves; client in first person in ≥ 60% of its turns; no role swaps";
  if (turns.length === 0) return criterion("consistency", "no turns", target, 1, false, "There are no turns to check.", "Regenerate the conversation.");

  const terms = topicTerms(input.topic);
  const mentioning = turns.map((turn) => terms.length > 0 && mentionsAny(turn.content, terms));
  const topicTurns = mentioning.filter(Boolean).length;
  const half = Math.ceil(turns.length / 2);
  const inBothHalves = mentioning.slice(0, half).some(Boolean) && mentioning.slice(half).some(Boolean);
  const topicShare = topicTurns / turns.length;
  const topicPart = terms.length === 0 ? 1 : Math.min(1, topicShare / 0.4) * (inBothHalves || turns.length < 2 ? 1 : 0.7);

  const userTurns = turns.filter((turn) => turn.role === "user");
  const firstPerson = userTurns.filter((turn) => FIRST_PERSON.test(turn.content)).length;
  const voicePart = userTurns.length === 0 ? 0 : Math.min(1, firstPerson / userTurns.length / 0.6);

  const swaps: number[] = [];
  turns.forEach((turn, index) => {
    if (turn.role === "user" && ADVISOR_LINES_IN_USER_TURN.test(turn.content)) swaps.push(index);
    if (turn.role === "assistant" && CLIENT_LINES_IN_ASSISTANT_TURN.test(turn.content)) swaps.push(index);
  });
  const rolePart = Math.max(0, 1 - 0.5 * swaps.length);

  const score = 1 + 9 * (0.5 * topicPart + 0.3 * voicePart + 0.2 * rolePart);
  const actual = `topic in ${topicTurns} of ${turns.length} turns; first person in ${firstPerson} of ${userTurns.length} client turns; ${swaps.length} role ${swaps.length === 1 ? "swap" : "swaps"}`;

  const findings: string[] = [];
  if (terms.length === 0) findings.push(`the topic "${input.topic.name}" has no key terms or distinctive words to look for, so topic coverage was not checked`);
  else if (topicTurns === 0) findings.push(`no turn mentions the topic "${input.topic.name}" or its key terms`);
  else if (!inBothHalves) findings.push(`the topic "${input.topic.name}" appears in ${topicTurns} of ${turns.length} turns, but only in one half of the conversation`);
  else findings.push(`the topic "${input.topic.name}" or its key terms appear in ${topicTurns} of ${turns.length} turns`);
  if (userTurns.length === 0) findings.push("there are no client turns");
  else findings.push(`the client (${input.persona.name}) speaks in the first person in ${firstPerson} of ${userTurns.length} turns`);
  if (swaps.length > 0) findings.push(`${listTurns(swaps)} ${swaps.length === 1 ? "sounds" : "sound"} like the other side speaking`);
  const explanation = `${asSentences(findings)} This is a word-level heuristic: it does not judge facts or whether the persona's traits come through, so a reviewer still reads the conversation.`;

  const passed = score >= 7;
  const recommendation = passed
    ? undefined
    : topicPart < 1
      ? "Check that the template passes the topic and chunk content ({topic}, {key_terms}, {chunk_content}) and regenerate."
      : swaps.length > 0
        ? "Regenerate; the roles got mixed up."
        : "Check the persona description in the template ({persona}, {persona_description}) and regenerate.";
  return criterion("consistency", actual, target, score, passed, explanation, recommendation);
}

function topicTerms(topic: QualityInput["topic"]): string[][] {
  const terms: string[][] = [];
  const add = (phrase: string): void => {
    const stems = words(phrase).filter((word) => word.length >= 3 && !STOP_WORDS.has(word)).map(stem);
    if (stems.length > 0 && !terms.some((existing) => existing.join(" ") === stems.join(" "))) terms.push(stems);
  };
  for (const term of topic.keyTerms) add(term);
  for (const word of words(topic.name)) if (word.length >= 4 && !STOP_WORDS.has(word)) add(word);
  return terms;
}

function mentionsAny(text: string, terms: string[][]): boolean {
  const stems = new Set(words(text).map(stem));
  return terms.some((term) => term.every((part) => stems.has(part)));
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];
}

/** Crude English stemming, enough to match "taxes"/"tax" and "retiring"/"retire". */
function stem(word: string): string {
  const base = word.replace(/['’]s$/, "");
  for (const suffix of ["ing", "ies", "es", "ed", "s", "e"]) {
    if (base.endsWith(suffix) && base.length - suffix.length >= 3 && !(suffix === "s" && base.endsWith("ss"))) {
      return suffix === "ies" ? `${base.slice(0, -3)}y` : base.slice(0, -suffix.length);
    }
  }
  return base;
}

// ---------------------------------------------------------------------------------------------
// Confidence: signs that the reply is not a clean, complete conversation.

const AI_DISCLAIMER = /\b(as an ai\b|as a (large )?language model|i('m|’m| am) (just |only )?an ai\b|i('m|’m| am) an ai (language )?model|my (training data|knowledge cutoff))/i;
const REFUSAL = /\b(i('m|’m| am) sorry,? but i (can('|’)?t|cannot|am unable to|won('|’)t) (help|assist|comply)|i (can('|’)?t|cannot) (help|assist) with (that|this) request|i('m|’m| am) unable to (help|assist) with (that|this))/i;
const PLACEHOLDER = /\{[a-z_]+(\?[^}]*)?\}|\{\{|\}\}|\[(insert|your|client|customer|name|company|business)\b[^\]]*\]|<placeholder>|lorem ipsum|\bTODO\b/i;
const JSON_REMNANT = /```|"role"\s*:|"content"\s*:|"turns"\s*:/i;
const NORMAL_STOP_REASONS = new Set(["end_turn", "stop", "stop_sequence"]);
const CUT_OFF_STOP_REASONS = new Set(["max_tokens", "length", "model_context_window_exceeded"]);

function scoreConfidence(turns: CheckedTurn[], input: QualityInput): QualityCriterion {
  const target = "not truncated, normal stop, no AI disclaimers, refusals, placeholders or JSON remnants";
  const issues: { text: string; penalty: number }[] = [];
  const stopReason = input.stopReason ?? null;

  if (input.truncated || (stopReason !== null && CUT_OFF_STOP_REASONS.has(stopReason))) {
    issues.push({ penalty: 4, text: `the reply was cut off at the token limit${stopReason ? ` (stop reason "${stopReason}")` : ""}, so the conversation may be unfinished` });
  } else if (stopReason !== null && !NORMAL_STOP_REASONS.has(stopReason)) {
    issues.push({ penalty: 3, text: `the provider stopped for an unusual reason ("${stopReason}")` });
  }

  const find = (pattern: RegExp, role?: string): number[] =>
    turns.flatMap((turn, index) => ((role === undefined || turn.role === role) && pattern.test(turn.content) ? [index] : []));
  const disclaimers = find(AI_DISCLAIMER);
  if (disclaimers.length > 0) issues.push({ penalty: 3, text: `${listTurns(disclaimers)} ${disclaimers.length === 1 ? "contains" : "contain"} an AI disclaimer ("As an AI…"), which the trained assistant would learn to repeat` });
  const refusals = input.tier === "edge_case" ? [] : find(REFUSAL, "assistant");
  if (refusals.length > 0) issues.push({ penalty: 3, text: `${listTurns(refusals)} ${refusals.length === 1 ? "is" : "are"} a blanket refusal` });
  const placeholders = find(PLACEHOLDER);
  if (placeholders.length > 0) issues.push({ penalty: 3, text: `${listTurns(placeholders)} ${placeholders.length === 1 ? "contains" : "contain"} placeholder leftovers such as "{persona}" or "[insert …]"` });
  const remnants = find(JSON_REMNANT);
  if (remnants.length > 0) issues.push({ penalty: 2, text: `${listTurns(remnants)} ${remnants.length === 1 ? "contains" : "contain"} markdown or JSON remnants (\`\`\` fences, "role": keys)` });

  const note = input.tier === "edge_case" ? " Polite refusals are expected in edge-case conversations and are not counted." : "";
  if (issues.length === 0) {
    const stop = stopReason ? `stopped normally ("${stopReason}")` : "was not cut off";
    return criterion("confidence", "no warning signs", target, 10, true, `The reply ${stop}, with no AI disclaimers, refusals, placeholder leftovers or JSON remnants.${note}`);
  }
  const score = 10 - issues.reduce((sum, issue) => sum + issue.penalty, 0);
  const recommendation = issues.some((issue) => issue.text.includes("cut off"))
    ? "Regenerate with a higher max_tokens, or ask the template for fewer or shorter turns."
    : "Consider regenerating with an adjusted prompt, or edit the flagged turns before approving.";
  return criterion(
    "confidence",
    `${issues.length} warning ${issues.length === 1 ? "sign" : "signs"}`,
    target,
    score,
    false,
    `${asSentences(issues.map((issue) => issue.text))}${note}`,
    recommendation,
  );
}

// ---------------------------------------------------------------------------------------------

function criterion(
  id: QualityCriterionId,
  actual: number | string,
  target: string,
  score: number,
  passed: boolean,
  explanation: string,
  recommendation?: string,
): QualityCriterion {
  const row: QualityCriterion = { id, label: QUALITY_CRITERION_LABELS[id], actual, target, score: clampScore(score), weight: QUALITY_WEIGHTS[id], passed, explanation };
  if (!passed && recommendation) row.recommendation = recommendation;
  return row;
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

function normalize(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
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
