/** Turns the joined database rows of one conversation into the framework-free `GenerationContext`. */
import type {
  ChunkRow,
  ConversationRow,
  DocumentRow,
  EdgeCaseCategoryRow,
  EmotionalArcRow,
  IntentRow,
  OutcomeRow,
  PersonaRow,
  ScenarioRow,
  ToneRow,
  TopicRow,
  WorkspaceRow,
} from "../../server/db/schema";
import type { GenerationContext } from "../types";

/**
 * The rows one conversation's context is built from (the columns read, so one joined row —
 * getGenerationInputsById — and rows loaded once for a whole selection — the estimate — both fit).
 */
export interface GenerationContextInputs {
  conversation: Pick<ConversationRow, "conversationId" | "tier" | "systemPrompt">;
  persona: Pick<PersonaRow, "key" | "name" | "description" | "attributes">;
  arc: Pick<EmotionalArcRow, "key" | "name" | "description" | "startingEmotion" | "endingEmotion" | "turnStructure">;
  topic: Pick<TopicRow, "key" | "name" | "description" | "keyTerms">;
  intent: Pick<IntentRow, "key" | "name" | "description">;
  tone: Pick<ToneRow, "key" | "name" | "description">;
  chunk: Pick<ChunkRow, "key" | "heading" | "content" | "summary" | "keyTerms" | "dimensions"> | null;
  document: Pick<DocumentRow, "key" | "title" | "category"> | null;
  scenario: Pick<ScenarioRow, "key" | "title" | "category" | "problem" | "solution" | "outcome"> | null;
  edgeCase: Pick<EdgeCaseCategoryRow, "key" | "name" | "description" | "testCondition"> | null;
  /** The slot's outcome; absent or null when it has none. */
  outcome?: Pick<OutcomeRow, "key" | "name" | "description"> | null;
}

/**
 * Builds the context; `workspace` may be null (then business name and system prompt are empty).
 * The training system prompt is the conversation's own, else the workspace's. Throws nothing.
 */
export function buildGenerationContext(inputs: GenerationContextInputs, workspace: Pick<WorkspaceRow, "businessName" | "trainingSystemPrompt"> | null): GenerationContext {
  const { conversation, persona, arc, topic, intent, tone, chunk, document, scenario, edgeCase, outcome } = inputs;
  return {
    conversationId: conversation.conversationId,
    tier: conversation.tier,
    persona: { key: persona.key, name: persona.name, description: persona.description, attributes: persona.attributes },
    emotionalArc: {
      key: arc.key,
      name: arc.name,
      description: arc.description,
      startingEmotion: arc.startingEmotion,
      endingEmotion: arc.endingEmotion,
      turnStructure: arc.turnStructure,
    },
    topic: { key: topic.key, name: topic.name, description: topic.description, keyTerms: topic.keyTerms },
    intent: { key: intent.key, name: intent.name, description: intent.description },
    tone: { key: tone.key, name: tone.name, description: tone.description },
    chunk:
      chunk && document
        ? {
            key: chunk.key,
            documentKey: document.key,
            documentTitle: document.title,
            category: document.category,
            heading: chunk.heading,
            content: chunk.content,
            summary: chunk.summary,
            keyTerms: chunk.keyTerms,
            dimensions: chunk.dimensions,
          }
        : null,
    scenario: scenario
      ? { key: scenario.key, title: scenario.title, category: scenario.category, problem: scenario.problem, solution: scenario.solution, outcome: scenario.outcome }
      : null,
    edgeCase: edgeCase ? { key: edgeCase.key, name: edgeCase.name, description: edgeCase.description, testCondition: edgeCase.testCondition } : null,
    outcome: outcome ? { key: outcome.key, name: outcome.name, description: outcome.description } : null,
    businessName: workspace?.businessName ?? "",
    trainingSystemPrompt: conversation.systemPrompt || workspace?.trainingSystemPrompt || "",
  };
}
