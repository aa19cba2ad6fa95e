/** Turns the joined database rows of one conversation into the framework-free `GenerationContext`. */
import type { getGenerationInputsById } from "../../server/db/queries/conversations";
import type { WorkspaceRow } from "../../server/db/schema";
import type { GenerationContext } from "../types";

type Inputs = NonNullable<Awaited<ReturnType<typeof getGenerationInputsById>>>;

/** Builds the context; `workspace` may be null (then business name and system prompt are empty). */
export function buildGenerationContext(inputs: Inputs, workspace: WorkspaceRow | null): GenerationContext {
  const { conversation, persona, arc, topic, intent, tone, chunk, document, scenario, edgeCase } = inputs;
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
    businessName: workspace?.businessName ?? "",
    trainingSystemPrompt: conversation.systemPrompt || workspace?.trainingSystemPrompt || "",
  };
}
