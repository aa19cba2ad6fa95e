/**
 * The parameters a prompt template can use (US7.2.1 "Automatic Parameter Injection"), built
 * from a conversation's resolved slot. docs/templates.md lists them for people.
 */
import { TIER_LABELS } from "../../lib/constants";
import type { GenerationContext } from "../types";

/**
 * Every parameter name a template may reference, in the order docs/templates.md lists them.
 * A placeholder whose name is not here is rejected when the template is imported.
 */
export const TEMPLATE_PARAMETER_NAMES = [
  "business_name",
  "persona",
  "persona_description",
  "persona_traits",
  "communication_style",
  "emotion",
  "emotion_start",
  "emotion_end",
  "arc_structure",
  "topic",
  "topic_description",
  "intent",
  "intent_description",
  "tone",
  "tone_description",
  "outcome",
  "tier",
  "chunk_content",
  "chunk_summary",
  "key_terms",
  "audience_level",
  "document_title",
  "source_category",
  "scenario",
  "scenario_problem",
  "scenario_solution",
  "scenario_outcome",
  "edge_case",
  "edge_case_condition",
  "training_system_prompt",
] as const;

export type TemplateParameterName = (typeof TEMPLATE_PARAMETER_NAMES)[number];

/** Where a parameter's value comes from; used to explain an empty value in plain English. */
export type TemplateParameterSource = "workspace" | "persona" | "emotional_arc" | "topic" | "intent" | "tone" | "outcome" | "tier" | "chunk" | "scenario" | "edge_case";

/** Which part of the conversation's slot fills each parameter. */
export const TEMPLATE_PARAMETER_SOURCES: Record<TemplateParameterName, TemplateParameterSource> = {
  business_name: "workspace",
  persona: "persona",
  persona_description: "persona",
  persona_traits: "persona",
  communication_style: "persona",
  emotion: "emotional_arc",
  emotion_start: "emotional_arc",
  emotion_end: "emotional_arc",
  arc_structure: "emotional_arc",
  topic: "topic",
  topic_description: "topic",
  intent: "intent",
  intent_description: "intent",
  tone: "tone",
  tone_description: "tone",
  outcome: "outcome",
  tier: "tier",
  chunk_content: "chunk",
  chunk_summary: "chunk",
  key_terms: "chunk",
  audience_level: "chunk",
  document_title: "chunk",
  source_category: "chunk",
  scenario: "scenario",
  scenario_problem: "scenario",
  scenario_solution: "scenario",
  scenario_outcome: "scenario",
  edge_case: "edge_case",
  edge_case_condition: "edge_case",
  training_system_prompt: "workspace",
};

/** Whether `name` is one of {@link TEMPLATE_PARAMETER_NAMES}. */
export function isTemplateParameterName(name: string): name is TemplateParameterName {
  return (TEMPLATE_PARAMETER_NAMES as readonly string[]).includes(name);
}

/**
 * Resolves every template parameter from a conversation's slot.
 *
 * Shape: one string per name of {@link TEMPLATE_PARAMETER_NAMES}, never `undefined`.
 * - `persona_traits`: `persona.attributes.traits` (string items) joined with ", ".
 * - `communication_style`: `persona.attributes.communication_style` when it is a string.
 * - `emotion` is the arc's name; `emotion_start` / `emotion_end` its starting and ending emotion.
 * - `outcome`: how the conversation should end, "<name>: <description>" of the slot's outcome, or
 *   NO_OUTCOME_TEXT when the slot has none (never empty, so a template can always use it).
 * - `tier` is the human label ("Template", "Scenario", "Edge case").
 * - `key_terms`: the chunk's key terms joined with ", ", or the topic's when the chunk has none.
 * - `audience_level`: `chunk.dimensions.audience_level` as text, "" when absent.
 * - A slot without a chunk, scenario or edge case yields "" for those parameters; rendering
 *   then reports the gap by name when the template needs the value (see `renderTemplate`).
 *
 * Values are returned as stored; control characters are stripped when a value is rendered.
 * Throws nothing.
 */
export function buildTemplateParameters(context: GenerationContext): Record<TemplateParameterName, string> {
  const { persona, emotionalArc, topic, intent, tone, chunk, scenario, edgeCase, outcome } = context;
  const chunkTerms = chunk ? cleanList(chunk.keyTerms) : [];
  const keyTerms = chunkTerms.length > 0 ? chunkTerms : cleanList(topic.keyTerms);
  return {
    business_name: context.businessName,
    persona: persona.name,
    persona_description: persona.description,
    persona_traits: cleanList(persona.attributes.traits).join(", "),
    communication_style: typeof persona.attributes.communication_style === "string" ? persona.attributes.communication_style : "",
    emotion: emotionalArc.name,
    emotion_start: emotionalArc.startingEmotion,
    emotion_end: emotionalArc.endingEmotion,
    arc_structure: emotionalArc.turnStructure,
    topic: topic.name,
    topic_description: topic.description,
    intent: intent.name,
    intent_description: intent.description,
    tone: tone.name,
    tone_description: tone.description,
    outcome: outcomeText(outcome),
    tier: TIER_LABELS[context.tier],
    chunk_content: chunk?.content ?? "",
    chunk_summary: chunk?.summary ?? "",
    key_terms: keyTerms.join(", "),
    audience_level: chunk ? scalarText(chunk.dimensions.audience_level) : "",
    document_title: chunk?.documentTitle ?? "",
    source_category: chunk?.category ?? "",
    scenario: scenario?.title ?? "",
    scenario_problem: scenario?.problem ?? "",
    scenario_solution: scenario?.solution ?? "",
    scenario_outcome: scenario?.outcome ?? "",
    edge_case: edgeCase?.name ?? "",
    edge_case_condition: edgeCase?.testCondition ?? "",
    training_system_prompt: context.trainingSystemPrompt,
  };
}

/**
 * What `{outcome}` says when a conversation has no outcome planned: neutral, so the model neither
 * pushes for a booking nor invents one.
 */
export const NO_OUTCOME_TEXT = "No particular outcome: let the conversation end wherever it naturally resolves, without pushing the customer towards any action.";

/** `{outcome}`: "<name>: <description>" (the description's end punctuation kept), or NO_OUTCOME_TEXT for none. */
export function outcomeText(outcome: { name: string; description: string } | null | undefined): string {
  if (!outcome) return NO_OUTCOME_TEXT;
  const name = outcome.name.trim();
  const description = outcome.description.trim();
  return description ? `${name}: ${description}` : name;
}

/** Non-empty trimmed strings of an unknown list (attributes come from free-form import files). */
function cleanList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === "string").map((item) => item.trim()).filter((item) => item.length > 0);
}

function scalarText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return "";
}
