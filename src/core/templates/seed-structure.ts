/**
 * "Use as template" (issue 11 item 7, US10.3.2): reads a seed conversation's structure and writes
 * the draft template that asks for a variation of it. Pure and framework-free; the caller
 * (src/server/seed-templates.ts) reads the seed and stores the template.
 *
 * The structure: turn count; the turn-length pattern (words per turn, and the range of user and
 * assistant turns); the arc's progression (the seed's emotional arc: starting → ending emotion and
 * the arc's turn structure from the taxonomy); the opening move (what the first user turn does) and
 * the closing move (what the last assistant turn does). The moves come from a simple keyword
 * heuristic (openingMoveOf, closingMoveOf), labelled as such wherever it is shown.
 */
import type { Tier } from "../../lib/constants";

/** One turn of a seed. */
export interface SeedTurn {
  role: "user" | "assistant";
  content: string;
}

/** What the first user turn does (heuristic: openingMoveOf). */
export const OPENING_MOVES = ["complaint", "story", "question", "statement"] as const;
export type OpeningMove = (typeof OPENING_MOVES)[number];
/** What the last assistant turn does (heuristic: closingMoveOf). */
export const CLOSING_MOVES = ["next_step", "question", "reassurance", "summary", "answer"] as const;
export type ClosingMove = (typeof CLOSING_MOVES)[number];

/** How each move is written into the template, completing "The first user turn …" / "The last assistant turn …". */
export const OPENING_MOVE_TEXT: Record<OpeningMove, string> = {
  complaint: "opens with a complaint: the client says what went wrong and how it feels",
  story: "opens with a personal story: the client describes their situation in some detail before asking for help",
  question: "opens with a direct question",
  statement: "opens with a short statement of the situation, without a direct question",
};
export const CLOSING_MOVE_TEXT: Record<ClosingMove, string> = {
  next_step: "closes by offering a concrete next step (a call, a meeting, an action to take)",
  question: "closes with a question back to the client",
  reassurance: "closes with reassurance about how the client is doing",
  summary: "closes by summing up what was covered",
  answer: "closes with a final answer, without a next step or a question",
};

/** Words per turn, min–max–average, of one role. */
export interface TurnLengthRange {
  min: number;
  max: number;
  average: number;
}

/** The seed's emotional arc as the taxonomy describes it. */
export interface SeedArc {
  key: string;
  name: string;
  startingEmotion: string;
  endingEmotion: string;
  turnStructure: string;
}

/** A seed's structure, as stored in prompt_templates.seed_structure. */
export interface SeedStructure {
  turnCount: number;
  /** Words per turn in order (words = whitespace-separated tokens). */
  turnWords: Array<{ role: "user" | "assistant"; words: number }>;
  userWords: TurnLengthRange | null;
  assistantWords: TurnLengthRange | null;
  /** Null when the seed's arc is no longer in the taxonomy. */
  arc: SeedArc | null;
  openingMove: OpeningMove;
  closingMove: ClosingMove;
  /** Always "keyword heuristic": the moves are guesses from words, not a model's reading. */
  movesFrom: "keyword heuristic";
}

/** Number of whitespace-separated words in `text`. */
export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed ? trimmed.split(/\s+/).length : 0;
}

const COMPLAINT_WORDS = /\b(frustrat\w*|annoy\w*|angry|furious|ridiculous|unacceptable|disappoint\w*|fed up|sick of|tired of|terrible|awful|still (?:haven't|hasn't|not)|nobody|no one (?:has|will)|complain\w*|upset)\b/i;
const STORY_MARKERS = /\b(i|my|me|we|our|us)\b/gi;
const NEXT_STEP_WORDS = /\b(next step|book|schedul\w*|appointment|meeting|call (?:us|me)|give us a call|set up|sign up|reach out|get in touch|come in|visit|let's|we can start|first step|start by)\b/i;
const REASSURANCE_WORDS = /\b(you're not alone|not alone|completely normal|very normal|it's okay|it's ok|that's okay|proud|you've got this|don't worry|no need to worry|you're doing|good position|on the right track|makes sense to feel|reassur\w*)\b/i;
const SUMMARY_WORDS = /\b(to recap|in summary|to sum up|summing up|so to summari[sz]e|quick recap|here's what we covered)\b/i;

/**
 * What the first user turn does, by a documented keyword heuristic, first match wins:
 * 1. `complaint`: it uses a complaint word (frustrated, annoyed, unacceptable, fed up, "still haven't"…);
 * 2. `story`: at least 40 words with at least 3 first-person words (I, my, me, we, our, us);
 * 3. `question`: it contains a "?";
 * 4. `statement`: anything else.
 */
export function openingMoveOf(text: string): OpeningMove {
  if (COMPLAINT_WORDS.test(text)) return "complaint";
  if (countWords(text) >= 40 && (text.match(STORY_MARKERS)?.length ?? 0) >= 3) return "story";
  if (text.includes("?")) return "question";
  return "statement";
}

/**
 * What the last assistant turn does, by a documented keyword heuristic, first match wins:
 * 1. `next_step`: it offers a concrete step (book, schedule, appointment, meeting, "let's", "reach out", "first step"…);
 * 2. `question`: its last sentence ends with "?";
 * 3. `reassurance`: reassuring words ("you're not alone", "don't worry", "proud", "on the right track"…);
 * 4. `summary`: a recap phrase ("to recap", "in summary", "to sum up"…);
 * 5. `answer`: anything else.
 */
export function closingMoveOf(text: string): ClosingMove {
  if (NEXT_STEP_WORDS.test(text)) return "next_step";
  if (text.trim().endsWith("?")) return "question";
  if (REASSURANCE_WORDS.test(text)) return "reassurance";
  if (SUMMARY_WORDS.test(text)) return "summary";
  return "answer";
}

function range(values: number[]): TurnLengthRange | null {
  if (!values.length) return null;
  return { min: Math.min(...values), max: Math.max(...values), average: Math.round(values.reduce((s, v) => s + v, 0) / values.length) };
}

/**
 * Extracts a seed's structure from its turns (in order) and its arc from the taxonomy.
 * The opening move is read from the first user turn, the closing move from the last assistant turn
 * ("statement" / "answer" when the seed has no such turn).
 */
export function extractSeedStructure({ turns, arc }: { turns: readonly SeedTurn[]; arc: SeedArc | null }): SeedStructure {
  const turnWords = turns.map((t) => ({ role: t.role, words: countWords(t.content) }));
  const firstUser = turns.find((t) => t.role === "user");
  const lastAssistant = [...turns].reverse().find((t) => t.role === "assistant");
  return {
    turnCount: turns.length,
    turnWords,
    userWords: range(turnWords.filter((t) => t.role === "user").map((t) => t.words)),
    assistantWords: range(turnWords.filter((t) => t.role === "assistant").map((t) => t.words)),
    arc,
    openingMove: firstUser ? openingMoveOf(firstUser.content) : "statement",
    closingMove: lastAssistant ? closingMoveOf(lastAssistant.content) : "answer",
    movesFrom: "keyword heuristic",
  };
}

/**
 * The words-per-turn range a variation is asked for: the seed's min–max rounded outwards to
 * multiples of 5 (at least 5 words), e.g. 23–38 → "20–40".
 */
export function wordRangeText(r: TurnLengthRange): string {
  const low = Math.max(5, Math.floor(r.min / 5) * 5);
  const high = Math.max(low + 5, Math.ceil(r.max / 5) * 5);
  return `${low}–${high}`;
}

/** The structure as one line of constraints: "6 turns, user turns 20–40 words, assistant 60–120, open with a personal story, close with a concrete next step". */
export function describeSeedStructure(s: SeedStructure): string {
  const parts = [`${s.turnCount} turns`];
  if (s.userWords) parts.push(`user turns ${wordRangeText(s.userWords)} words`);
  if (s.assistantWords) parts.push(`assistant ${wordRangeText(s.assistantWords)}`);
  parts.push(OPENING_MOVE_TEXT[s.openingMove].replace(/^opens/, "open").replace(/:.*$/, ""));
  parts.push(CLOSING_MOVE_TEXT[s.closingMove].replace(/^closes/, "close").replace(/ \(.*\)$/, ""));
  return parts.join(", ");
}

/** A literal text inside a template: `{` and `}` doubled (docs/templates.md). */
export function escapeTemplateText(text: string): string {
  return text.replace(/[{}]/g, (brace) => brace + brace);
}

/**
 * The system prompt of seed templates: the starter templates' (src/core/templates/starter-templates.ts)
 * with the turn count left to the brief, since a variation keeps its seed's turn count.
 */
export const SEED_TEMPLATE_SYSTEM_PROMPT =
  'You write realistic multi-turn training conversations for fine-tuning a business\'s client assistant. Each conversation is between a client (role user) and the business\'s assistant (role assistant). Follow the brief in the user message exactly: the persona, emotional arc, topic, intent, tone, source material and the structure of the example are requirements, not suggestions. Reply ONLY with JSON text of this exact shape and nothing else: {"turns":[{"role":"user","content":"..."},{"role":"assistant","content":"..."}]} The first turn is from the user, roles strictly alternate, the last turn is from the assistant, and the number of turns is the one the brief asks for. No markdown fence, no commentary before or after the JSON, no system turns, no names of real people and no real ticker symbols.';

/** Max tokens and temperature of seed templates (as the starter templates). */
export const SEED_TEMPLATE_SETTINGS = { maxTokens: 6000, temperature: 0.8 } as const;

/**
 * The text of the draft template made from a seed: asks for a VARIATION of the seed for the slot's
 * parameters, with the seed's turns as the (escaped) example and its structure as constraints, and
 * the usual placeholders ({persona}, {emotion}, {topic}, {intent}, {tone}, {chunk_content?…}…).
 * Scenario and edge-case seeds also get their tier's scenario / edge-case block.
 * validateTemplateText finds no error in it.
 */
export function buildSeedTemplateText({ seed, turns, structure, tier }: { seed: { conversationId: string; title: string | null; personaName: string; topicName: string }; turns: readonly SeedTurn[]; structure: SeedStructure; tier: Tier }): string {
  const example = turns.map((t) => `${t.role === "user" ? "Client" : "Assistant"}: ${escapeTemplateText(t.content.trim())}`).join("\n\n");
  const label = escapeTemplateText(seed.title ? `"${seed.title}" (${seed.conversationId})` : seed.conversationId);
  const constraints: string[] = [
    `- Exactly ${structure.turnCount} turns in total: the client first, roles alternating, the assistant last.`,
  ];
  if (structure.userWords) constraints.push(`- Client turns ${wordRangeText(structure.userWords)} words each (the example's: ${structure.userWords.min}–${structure.userWords.max}, about ${structure.userWords.average}).`);
  if (structure.assistantWords) constraints.push(`- Assistant turns ${wordRangeText(structure.assistantWords)} words each (the example's: ${structure.assistantWords.min}–${structure.assistantWords.max}, about ${structure.assistantWords.average}).`);
  constraints.push(`- Turn-length pattern of the example, in words: ${structure.turnWords.map((t) => `${t.role === "user" ? "C" : "A"}${t.words}`).join(" · ")}. Keep the same rhythm of short and long turns.`);
  constraints.push(`- Opening move: the first client turn ${OPENING_MOVE_TEXT[structure.openingMove]}.`);
  constraints.push(`- Closing move: the last assistant turn ${CLOSING_MOVE_TEXT[structure.closingMove]}.`);
  if (structure.arc) {
    constraints.push(
      `- Emotional progression: the example moves from ${escapeTemplateText(structure.arc.startingEmotion)} to ${escapeTemplateText(structure.arc.endingEmotion)} (${escapeTemplateText(structure.arc.name)}). The variation follows its own arc below in the same number of turns, shifting at the same points.`,
    );
  }
  const tierBlock =
    tier === "scenario"
      ? "\n## The scenario\nScenario: {scenario}\nThe client's problem: {scenario_problem}\nHow {business_name} approaches it: {scenario_solution}\nWhere it should end up: {scenario_outcome}\n"
      : tier === "edge_case"
        ? "\n## The edge case to test\nCategory: {edge_case}\nWhat must happen: {edge_case_condition}\nThe assistant holds the line kindly every time the client presses on this boundary.\n"
        : "";
  return `Write one training conversation for {business_name}: a VARIATION of the example conversation below, the seed ${label} that the business wrote by hand. Keep the example's structure, quality and way of helping; change the client, the subject and every detail to fit the brief below. Do not copy its sentences.

## The example (${escapeTemplateText(seed.personaName)} on ${escapeTemplateText(seed.topicName)})
${example}

## Structure to keep (from the example)
${constraints.join("\n")}
${tierBlock}
## The assistant being trained
Every assistant turn must sound like it follows this system prompt (do not quote it or mention it):
{training_system_prompt}

## The client
Persona: {persona}. {persona_description}
Traits: {persona_traits}
How they write: {communication_style}
Write every client turn in this voice.

## Emotional arc
Arc: {emotion}. The client starts feeling {emotion_start} and ends feeling {emotion_end}.
How the turns progress: {arc_structure}

## Subject
Topic: {topic}. {topic_description}
Terms to use naturally where they fit: {key_terms}
What the client wants from this conversation: {intent}. {intent_description}
Assistant's tone: {tone}. {tone_description}
How it should end: {outcome}

## Source material
{chunk_content?The assistant's facts, method names and worked numbers must come from this excerpt of the business's own material and never contradict it.}
From: {document_title} ({source_category}); written for a {audience_level} audience.
Summary: {chunk_summary}
Excerpt:
{chunk_content}

Reply only with the JSON object described in your instructions.
`;
}
