/**
 * One line per template parameter, for the editor's completion list (issue 11 item 2). The same
 * facts as docs/templates.md "Parameters"; safe for client code.
 */
import type { TemplateParameterName } from "./template-parameters";

export const TEMPLATE_PARAMETER_DESCRIPTIONS: Record<TemplateParameterName, string> = {
  business_name: "The workspace's business name.",
  persona: "The persona's name.",
  persona_description: "The persona's description.",
  persona_traits: "The persona's traits, joined with \", \" (empty when it has none).",
  communication_style: "The persona's communication style (empty when not set).",
  emotion: "The emotional arc's name.",
  emotion_start: "The arc's starting emotion.",
  emotion_end: "The arc's ending emotion.",
  arc_structure: "The arc's turn structure.",
  topic: "The topic's name.",
  topic_description: "The topic's description.",
  intent: "The intent's name.",
  intent_description: "The intent's description.",
  tone: "The tone's name.",
  tone_description: "The tone's description.",
  outcome: "How the conversation should end (never empty).",
  tier: "The tier label: Template, Scenario or Edge case.",
  chunk_content: "The source chunk's text (empty without a chunk).",
  chunk_summary: "The chunk's summary (empty without one).",
  key_terms: "The chunk's key terms, else the topic's.",
  audience_level: "The chunk's audience_level dimension.",
  document_title: "The title of the chunk's document.",
  source_category: "The document's category.",
  scenario: "The scenario's title (Scenario tier).",
  scenario_problem: "The scenario's problem (Scenario tier).",
  scenario_solution: "The scenario's solution (Scenario tier).",
  scenario_outcome: "The scenario's outcome (Scenario tier).",
  edge_case: "The edge-case category (Edge case tier).",
  edge_case_condition: "The edge case's test condition (Edge case tier).",
  training_system_prompt: "The workspace's training system prompt.",
};
