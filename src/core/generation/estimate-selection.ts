/**
 * The estimate shown before a run starts (US1.3.1, US13.1.1): sizes each selected conversation's
 * prompt by rendering it with the real renderer (so the size is that of what a call sends), and
 * prices it from this model's history when there is enough.
 *
 * Set-based (issue 8, item 7): one query reads the keys of what every selected conversation's
 * prompt is made from (listGenerationSizingByIds); the taxonomy, the referenced chunks and
 * scenarios, the templates, the workspace and the model's history are each loaded once; each
 * template is parsed once (compileTemplate) and conversations with identical parameters share
 * one render. A fixed number of queries, whatever the selection's size.
 */
import type { Tier } from "../../lib/constants";
import type { DbOrTx } from "../../server/db/client";
import { listGenerationSizingByIds, type GenerationSizingRow } from "../../server/db/queries/conversations";
import { listChunksWithDocumentByIds, type ChunkWithDocument } from "../../server/db/queries/documents";
import { getGenerationHistoryByModel } from "../../server/db/queries/run-reports";
import { listScenariosByIds } from "../../server/db/queries/scenarios";
import { listTaxonomy } from "../../server/db/queries/taxonomy";
import { listTemplatesWithCurrentVersion } from "../../server/db/queries/templates";
import { getWorkspace } from "../../server/db/queries/workspace";
import type { PromptTemplateRow, TemplateVersionRow, WorkspaceRow } from "../../server/db/schema";
import { estimateRun, type EstimateSlot, type RunEstimate } from "../cost/estimate";
import type { PriceOverrides } from "../cost/prices";
import { DEFAULT_RATE_LIMITS } from "../llm/rate-limiter";
import type { LlmProvider } from "../llm/types";
import { buildTemplateParameters, compileTemplate, type RenderedTemplate } from "../templates";
import { buildGenerationContext, type GenerationContextInputs } from "./build-context";
import { resolveSelection, type GenerationSelection, type SkippedConversation } from "./resolve-selection";

/** A conversation whose tier has no template is sized at this many prompt tokens (generation will fail it fast). */
const FALLBACK_PROMPT_TOKENS = 1_500;
/** …and at this reply cap (tokens). */
const FALLBACK_MAX_OUTPUT_TOKENS = 4_096;

/** What to estimate: the provider and model, the concurrency, and price overrides (BRIGHTRUN_PRICES). */
export interface EstimateOptions {
  db: DbOrTx;
  provider: LlmProvider;
  model: string;
  /** Conversations generated at the same time (a whole number ≥ 1). */
  concurrency: number;
  priceOverrides?: PriceOverrides;
}

/**
 * Estimates generating `selection` with `provider`/`model` at `concurrency`.
 * @returns the estimate, and the selected conversations that will be skipped with why
 * @throws AppError "selection_invalid" like resolveSelection; "invalid_estimate_input" like estimateRun.
 */
export async function estimateSelection(
  options: EstimateOptions & { selection: GenerationSelection },
): Promise<{ estimate: RunEstimate; skipped: SkippedConversation[] }> {
  const { chosen, skipped } = await resolveSelection({ db: options.db, selection: options.selection });
  const estimate = await estimateConversations({ ...options, ids: chosen.map((c) => c.id) });
  return { estimate, skipped };
}

/**
 * Estimates generating exactly the conversations `ids` (uuids, as resolveSelection chose them;
 * the order is kept). Ids that no longer exist are left out of the count.
 * @throws AppError "invalid_estimate_input" like estimateRun (e.g. concurrency below 1).
 */
export async function estimateConversations(options: EstimateOptions & { ids: readonly string[] }): Promise<RunEstimate> {
  const { slots } = await sizeConversationPrompts({ db: options.db, ids: options.ids });
  const history = await getGenerationHistoryByModel({ db: options.db, model: options.model });
  return estimateRun({
    provider: options.provider.name,
    model: options.model,
    slots,
    history,
    limits: DEFAULT_RATE_LIMITS[options.provider.name],
    concurrency: options.concurrency,
    priceOverrides: options.priceOverrides,
  });
}

/** How a sizing went: slots in the order of the ids, and how many prompts were really rendered. */
export interface PromptSizing {
  slots: EstimateSlot[];
  /** Conversations sized (ids that exist with every taxonomy row they name). */
  conversations: number;
  /** Distinct renders: conversations with identical parameters and template share one. */
  renders: number;
}

type TemplateWithVersion = { template: PromptTemplateRow; version: TemplateVersionRow };

/**
 * Sizes the prompt of each conversation of `ids` (uuids) as a generation call would send it:
 * its template (its own, else its tier's active default — as resolveConversationPrompt picks it),
 * rendered with its parameters (buildTemplateParameters), `promptTokens` = ⌈(system prompt
 * characters + rendered characters) / 4⌉ and `maxOutputTokens` = the template's max_tokens. A
 * template that does not render for the conversation (a missing parameter, a syntax error) is
 * sized from its unrendered text; a tier without any template at 1,500 / 4,096 tokens.
 * Conversations that no longer exist, or name a taxonomy value that does not, are left out.
 * @returns slots in the order of `ids`; throws only database errors.
 */
export async function sizeConversationPrompts({ db, ids }: { db: DbOrTx; ids: readonly string[] }): Promise<PromptSizing> {
  if (ids.length === 0) return { slots: [], conversations: 0, renders: 0 };
  const rows = await listGenerationSizingByIds({ db, ids });
  const chunkIds = distinct(rows.map((r) => r.chunkId));
  const scenarioIds = distinct(rows.map((r) => r.scenarioId));
  const [workspace, taxonomy, templates, chunkRows, scenarioRows] = await Promise.all([
    getWorkspace({ db }),
    listTaxonomy({ db }),
    listTemplatesWithCurrentVersion({ db }),
    listChunksWithDocumentByIds({ db, ids: chunkIds }),
    listScenariosByIds({ db, ids: scenarioIds }),
  ]);

  const byKey = <T extends { key: string }>(list: T[]) => new Map(list.map((item) => [item.key, item]));
  const personas = byKey(taxonomy.personas);
  const arcs = byKey(taxonomy.emotionalArcs);
  const topics = byKey(taxonomy.topics);
  const intents = byKey(taxonomy.intents);
  const tones = byKey(taxonomy.tones);
  const edgeCases = byKey(taxonomy.edgeCaseCategories);
  const chunks = new Map<string, ChunkWithDocument>(chunkRows.map((c) => [c.id, c]));
  const scenarios = new Map(scenarioRows.map((s) => [s.id, s]));
  const templateById = new Map<string, TemplateWithVersion>(templates.map((t) => [t.template.id, t]));
  const defaultByTier = new Map<Tier, TemplateWithVersion>();
  for (const t of templates) if (t.template.isDefault && t.template.active && !defaultByTier.has(t.template.tier)) defaultByTier.set(t.template.tier, t);
  const renderers = new Map<string, ((parameters: Record<string, string>) => RenderedTemplate) | null>();
  const rendererFor = (t: TemplateWithVersion) => {
    if (!renderers.has(t.template.id)) {
      let compiled: ((parameters: Record<string, string>) => RenderedTemplate) | null = null;
      try {
        compiled = compileTemplate(t.version.templateText);
      } catch {
        compiled = null; // a syntax error: sized from the template's text, as when a render fails
      }
      renderers.set(t.template.id, compiled);
    }
    return renderers.get(t.template.id) ?? null;
  };

  const rowById = new Map(rows.map((r) => [r.id, r]));
  const promptIds = new Map<string, number>();
  const sizeByParameters = new Map<string, EstimateSlot>();
  const slots: EstimateSlot[] = [];
  for (const id of ids) {
    const row = rowById.get(id);
    if (!row) continue;
    const persona = personas.get(row.persona);
    const arc = arcs.get(row.emotion);
    const topic = topics.get(row.topic);
    const intent = intents.get(row.intent);
    const tone = tones.get(row.tone);
    if (!persona || !arc || !topic || !intent || !tone) continue;
    const template = (row.templateId ? templateById.get(row.templateId) : undefined) ?? defaultByTier.get(row.tier) ?? null;
    if (!template) {
      slots.push({ tier: row.tier, promptTokens: FALLBACK_PROMPT_TOKENS, maxOutputTokens: FALLBACK_MAX_OUTPUT_TOKENS });
      continue;
    }
    // Everything the parameters are built from, so identical keys mean an identical prompt.
    let promptId = promptIds.get(row.systemPrompt ?? "");
    if (promptId === undefined) promptIds.set(row.systemPrompt ?? "", (promptId = promptIds.size));
    const key = [template.template.id, row.tier, row.persona, row.emotion, row.topic, row.intent, row.tone, row.chunkId, row.scenarioId, row.edgeCaseCategory, promptId].join("\u0000");
    let slot = sizeByParameters.get(key);
    if (!slot) {
      slot = sizeOne({ row, template, render: rendererFor(template), workspace, persona, arc, topic, intent, tone, chunks, scenarios, edgeCases });
      sizeByParameters.set(key, slot);
    }
    slots.push(slot); // shared, never changed: estimateRun only reads slots
  }
  return { slots, conversations: slots.length, renders: sizeByParameters.size };
}

function sizeOne(input: {
  row: GenerationSizingRow;
  template: TemplateWithVersion;
  render: ((parameters: Record<string, string>) => RenderedTemplate) | null;
  workspace: WorkspaceRow | null;
  persona: GenerationContextInputs["persona"];
  arc: GenerationContextInputs["arc"];
  topic: GenerationContextInputs["topic"];
  intent: GenerationContextInputs["intent"];
  tone: GenerationContextInputs["tone"];
  chunks: Map<string, ChunkWithDocument>;
  scenarios: Map<string, NonNullable<GenerationContextInputs["scenario"]>>;
  edgeCases: Map<string, NonNullable<GenerationContextInputs["edgeCase"]>>;
}): EstimateSlot {
  const { row, template } = input;
  const { systemPrompt, templateText, maxTokens } = template.version;
  const chunk = row.chunkId ? (input.chunks.get(row.chunkId) ?? null) : null;
  const context = buildGenerationContext(
    {
      conversation: { conversationId: row.conversationId, tier: row.tier, systemPrompt: row.systemPrompt ?? "" },
      persona: input.persona,
      arc: input.arc,
      topic: input.topic,
      intent: input.intent,
      tone: input.tone,
      chunk,
      document: chunk ? { key: chunk.documentKey, title: chunk.documentTitle, category: chunk.category } : null,
      scenario: row.scenarioId ? (input.scenarios.get(row.scenarioId) ?? null) : null,
      edgeCase: row.edgeCaseCategory ? (input.edgeCases.get(row.edgeCaseCategory) ?? null) : null,
    },
    input.workspace,
  );
  let characters = systemPrompt.length + templateText.length;
  if (input.render) {
    try {
      characters = systemPrompt.length + input.render(buildTemplateParameters(context)).text.length;
    } catch {
      // A parameter the template needs is missing: generation fails the conversation fast; sized from the template's text.
    }
  }
  return { tier: row.tier, promptTokens: Math.ceil(characters / 4), maxOutputTokens: maxTokens };
}

function distinct(values: Array<string | null>): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))];
}
