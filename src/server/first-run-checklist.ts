import "server-only";
/**
 * The first-run checklist (issue 10 item 7): what a new workspace still needs before it makes a
 * dataset — documents uploaded → customers described → prompt templates present → model set and
 * tested → dataset planned → first 5 conversations generated and read. Each step says what is
 * missing and links to its page. It is computed from the workspace's data every time, so it stays
 * until every step is done and never needs to be ticked by hand.
 */
import { TIERS, TIER_LABELS, type Tier } from "../lib/constants";
import { workspacePaths } from "../lib/workspace-paths";
import type { DbOrTx } from "./db/client";
import { getFirstRunFacts, type FirstRunFacts } from "./db/queries/first-run";
import type { WorkspaceRow } from "./db/schema";
import { loadModelReadiness, type ModelReadiness } from "./settings/model-settings";

/** How many conversations the last step asks to generate and read. */
export const FIRST_CONVERSATIONS = 5;

export type ChecklistStepId = "documents" | "customers" | "templates" | "model" | "plan" | "first-conversations";

export interface ChecklistStep {
  id: ChecklistStepId;
  title: string;
  done: boolean;
  /** What is there when done, what is missing otherwise, in plain English. */
  detail: string;
  /** The page where the step is done. */
  href: string;
  /** The link's words ("Upload documents"). */
  action: string;
}

export interface FirstRunChecklist {
  steps: ChecklistStep[];
  doneCount: number;
  /** Every step done: the checklist is no longer shown. */
  complete: boolean;
  /** The first step not done; null when complete. */
  next: ChecklistStep | null;
}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/**
 * The checklist from a workspace's counts and its model readiness. Pure.
 * @param slug the workspace's slug, for the links
 */
export function decideFirstRunChecklist(slug: string, facts: FirstRunFacts, model: ModelReadiness): FirstRunChecklist {
  const paths = workspacePaths(slug);
  const customersMissing = (
    [
      [facts.personas, "personas"],
      [facts.enabledArcs, "an enabled emotional arc"],
      [facts.topics, "topics"],
      [facts.intents, "intents"],
      [facts.tones, "tones"],
    ] as const
  )
    .filter(([count]) => count === 0)
    .map(([, name]) => name);
  const missingTiers = TIERS.filter((tier) => !facts.templateTiers.includes(tier));
  const tierNames = (tiers: readonly Tier[]) => tiers.map((t) => TIER_LABELS[t].toLowerCase()).join(", ");
  const firstDone = facts.generated >= FIRST_CONVERSATIONS && facts.read >= FIRST_CONVERSATIONS;

  const steps: ChecklistStep[] = [
    {
      id: "documents",
      title: "Upload your documents",
      done: facts.documents > 0 && facts.chunks > 0,
      detail:
        facts.documents > 0
          ? `${plural(facts.documents, "document")} in ${plural(facts.chunks, "chunk")}.`
          : "No documents yet. Every conversation is built from a passage of your own material (PDF, Word, Markdown, text or HTML).",
      href: paths.documents,
      action: "Upload documents",
    },
    {
      id: "customers",
      title: "Describe your customers",
      done: customersMissing.length === 0,
      detail: customersMissing.length
        ? `Still needed: ${customersMissing.join(", ")}. Start from the starter taxonomy and add your own personas.`
        : `${plural(facts.personas, "persona")}, ${plural(facts.enabledArcs, "emotional arc")}, ${plural(facts.topics, "topic")}, ${plural(facts.intents, "intent")}, ${plural(facts.tones, "tone")}.`,
      href: paths.taxonomy(),
      action: "Describe customers",
    },
    {
      id: "templates",
      title: "Prompt templates in place",
      done: missingTiers.length === 0,
      detail: missingTiers.length
        ? `No default prompt template for the ${tierNames(missingTiers)} tier${missingTiers.length > 1 ? "s" : ""}. Open Templates, write or pick one and choose "Make default" (or import a templates file with "is_default": true for each).`
        : "A default template for each tier: the project's starter templates, or your own.",
      href: paths.templates(),
      action: "Open templates",
    },
    {
      id: "model",
      title: "Set and test your model",
      done: model.isLanguageModel && model.testedAt !== null,
      detail: model.problem
        ? model.problem
        : !model.isLanguageModel
          ? "Conversations are composed by the simulated composer, which is not a language model. Choose Anthropic or an OpenAI-compatible server (your own vLLM or Ollama included), then Test connection."
          : model.testedAt
            ? `${model.provider} · ${model.model}, tested ${model.testedAt.toISOString().slice(0, 10)}.`
            : `${model.provider} · ${model.model} is set but Test connection has not succeeded for it yet.`,
      href: paths.settings,
      action: "Open model settings",
    },
    {
      id: "plan",
      title: "Plan the dataset",
      done: facts.planned > 0,
      detail: facts.planned > 0 ? `${plural(facts.planned, "conversation")} planned.` : "No conversations planned yet: choose how many, and the split over the three tiers.",
      href: paths.plan,
      action: "Plan the dataset",
    },
    {
      id: "first-conversations",
      title: `Generate and read your first ${FIRST_CONVERSATIONS} conversations`,
      done: firstDone,
      detail: firstDone
        ? `${plural(facts.generated, "conversation")} generated, ${facts.read} read.`
        : `${Math.min(facts.generated, FIRST_CONVERSATIONS)} of ${FIRST_CONVERSATIONS} generated, ${Math.min(facts.read, FIRST_CONVERSATIONS)} of ${FIRST_CONVERSATIONS} read. Open each in the preview to read it.`,
      href: paths.conversations(),
      action: "Go to conversations",
    },
  ];
  const doneCount = steps.filter((s) => s.done).length;
  return { steps, doneCount, complete: doneCount === steps.length, next: steps.find((s) => !s.done) ?? null };
}

/**
 * The workspace's checklist now.
 * @throws the database's errors
 */
export async function loadFirstRunChecklist(db: DbOrTx, workspace: Pick<WorkspaceRow, "id" | "slug">): Promise<FirstRunChecklist> {
  const [facts, model] = await Promise.all([getFirstRunFacts({ db, workspaceId: workspace.id }), loadModelReadiness(db, workspace.id)]);
  return decideFirstRunChecklist(workspace.slug, facts, model);
}
