/**
 * The judge's prompt (rubric version JUDGE_RUBRIC_VERSION): a system prompt with the rubric and
 * the reply format, and a user message with what the conversation was asked to be (persona,
 * emotional arc, topic, intent, tone, tier, scenario or edge case), the source chunk it must be
 * grounded in, and the conversation turn by turn. Pure.
 */
import type { GenerationContext, Turn } from "../../types";
import { JUDGE_CRITERIA, JUDGE_CRITERION_TEXT } from "./rubric";

/** The first line of every judge system prompt; the fake LLM server recognises judge calls by it. */
export const JUDGE_PROMPT_MARKER = "You are a strict judge of training conversations";

/**
 * The judge's system prompt: the rubric (each criterion's question), the scale and the exact JSON
 * reply format. The same for every conversation of a rubric version.
 */
export function judgeSystemPrompt(): string {
  const criteria = JUDGE_CRITERIA.map((id) => `- ${id} (${JUDGE_CRITERION_TEXT[id].label}): ${JUDGE_CRITERION_TEXT[id].question}`).join("\n");
  const example = `{"criteria":{${JUDGE_CRITERIA.map((id) => `"${id}":{"score":7,"reason":"…"}`).join(",")}},"summary":"…"}`;
  return [
    `${JUDGE_PROMPT_MARKER} for fine-tuning an assistant. You score one conversation against a rubric.`,
    "",
    "Score each criterion from 1 (fails completely) to 10 (exemplary), as a whole number, with a one- or two-sentence reason that names the turn(s) concerned:",
    criteria,
    "",
    "Judge only what is in the conversation. The source chunk is the only source of facts about the business; if there is no source chunk, score `grounded` on whether the assistant avoids specific claims about the business it could not know.",
    "",
    "Reply with JSON only, no prose before or after, exactly in this shape (all six criteria, nothing else):",
    example,
  ].join("\n");
}

/**
 * The user message of a judge call for one conversation.
 *
 * @param context what the conversation was asked to be (its generation context)
 * @param turns the conversation's turns, in order
 * @returns the text sent as the judge call's user message
 */
export function buildJudgePrompt(context: GenerationContext, turns: readonly Turn[]): string {
  const arc = context.emotionalArc;
  const lines = [
    `Conversation ${context.conversationId} (${context.tier.replace("_", " ")} tier) for ${context.businessName || "the business"}.`,
    "",
    "What it was asked to be:",
    `- Persona (the user): ${context.persona.name} — ${context.persona.description}`,
    `- Emotional arc: ${arc.name} — from ${arc.startingEmotion} to ${arc.endingEmotion}${arc.turnStructure ? `. Turn structure: ${arc.turnStructure}` : ""}`,
    `- Topic: ${context.topic.name}${context.topic.keyTerms.length ? ` (key terms: ${context.topic.keyTerms.join(", ")})` : ""}`,
    `- Intent: ${context.intent.name} — ${context.intent.description}`,
    `- Tone (the assistant): ${context.tone.name} — ${context.tone.description}`,
  ];
  if (context.scenario) lines.push(`- Scenario: ${context.scenario.title} — problem: ${context.scenario.problem}; solution: ${context.scenario.solution}`);
  if (context.edgeCase) lines.push(`- Edge case: ${context.edgeCase.name} — it must test: ${context.edgeCase.testCondition}`);
  lines.push("");
  if (context.chunk) {
    lines.push(`Source chunk (${context.chunk.documentTitle}${context.chunk.heading ? ` › ${context.chunk.heading}` : ""}):`, '"""', context.chunk.content.trim(), '"""');
  } else {
    lines.push("Source chunk: none.");
  }
  lines.push("", "The conversation:");
  turns.forEach((turn, index) => lines.push(`Turn ${index + 1} (${turn.role}): ${turn.content}`));
  lines.push("", "Score it against the rubric and reply with the JSON only.");
  return lines.join("\n");
}
