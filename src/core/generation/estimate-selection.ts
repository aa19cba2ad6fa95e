/**
 * The estimate shown before a run starts (US1.3.1, US13.1.1): sizes each selected conversation's
 * prompt by rendering it with the real renderer (so the size is that of what a call sends), and
 * prices it from this model's history when there is enough.
 *
 * Set-based (issue 8, item 7): one query reads which conversations the selection names and the
 * keys of what each one's prompt is made from (listGenerationSizingByFilter); the taxonomy, the
 * referenced chunks and scenarios, the templates, the workspace and the model's history are each
 * loaded once; each template is parsed once (compileTemplate) and conversations with identical
 * parameters share one render. A fixed number of queries, whatever the selection's size.
 */
import type { Tier } from "../../lib/constants";
import type { DbOrTx } from "../../server/db/client";
import { getGenerationInputsById, listGenerationSizingByFilter, listTurnsByConversationId, readSizingKey, type GenerationSizingKey, type GenerationSizingRow } from "../../server/db/queries/conversations";
import { listChunksWithDocumentByIds, type ChunkWithDocument } from "../../server/db/queries/documents";
import { getGenerationHistoryByModel, getJudgeHistoryByModel, type GenerationHistory, type JudgeHistory } from "../../server/db/queries/run-reports";
import { listScenariosByIds } from "../../server/db/queries/scenarios";
import { listTaxonomy } from "../../server/db/queries/taxonomy";
import { listTemplatesWithCurrentVersion } from "../../server/db/queries/templates";
import { getWorkspace } from "../../server/db/queries/workspace";
import type { PromptTemplateRow, TemplateVersionRow } from "../../server/db/schema";
import { estimateRun, HISTORY_MIN_CONVERSATIONS, type EstimateSlot, type JudgeEstimateInput, type RunEstimate } from "../cost/estimate";
import { buildJudgePrompt } from "../quality/judge/judge-prompt";
import { JUDGE_MAX_TOKENS } from "../quality/judge/rubric";
import { judgePromptTokens } from "./judge-conversation";
import type { PriceOverrides } from "../cost/prices";
import { NO_RATE_LIMITS, type RateLimits } from "../llm/rate-limiter";
import type { LlmProvider } from "../llm/types";
import { buildTemplateParameters, compileTemplate, type RenderedTemplate } from "../templates";
import { pickConversationTemplate } from "../templates/template-applicability";
import { buildGenerationContext } from "./build-context";
import { chooseGeneratable, resolveJudgeSelection, selectionFilter, type GenerationSelection, type SkippedConversation } from "./resolve-selection";

/** A conversation whose tier has no template is sized at this many prompt tokens (generation will fail it fast). */
const FALLBACK_PROMPT_TOKENS = 1_500;
/** …and at this reply cap (tokens). */
const FALLBACK_MAX_OUTPUT_TOKENS = 4_096;

/** What to estimate: the provider and model, the concurrency, and price overrides (BRIGHTRUN_PRICES). */
export interface EstimateOptions {
  db: DbOrTx;
  /** The workspace whose conversations, templates and history are read. */
  workspaceId: string;
  provider: LlmProvider;
  model: string;
  /** Requests in flight at the same time (a whole number ≥ 1). */
  concurrency: number;
  /** Rate limits known for this provider and model (the user's settings); none by default: the run is then paced by its concurrency. */
  limits?: RateLimits;
  priceOverrides?: PriceOverrides;
  /**
   * The run's judge model, when it has one: one judge call per conversation is added, its prompt
   * sized from the judge's real prompt (rubric + context + source chunk) plus the expected
   * conversation, its reply at the judge model's past mean (3+ verdicts) or its max_tokens.
   */
  judgeModel?: string | null;
}

/**
 * Estimates generating `selection` with `provider`/`model` at `concurrency`.
 * @returns the estimate, and the selected conversations that will be skipped with why
 * @throws AppError "selection_invalid" like resolveSelection; "invalid_estimate_input" like estimateRun.
 */
export async function estimateSelection(
  options: EstimateOptions & { selection: GenerationSelection },
): Promise<{ estimate: RunEstimate; skipped: SkippedConversation[] }> {
  // The model's history does not depend on the selection: read it while the selection is read
  // (on PostgreSQL on another connection; PGlite runs them one after the other).
  const [{ chosen, skipped }, history] = await Promise.all([
    loadSelectionSizing({ db: options.db, workspaceId: options.workspaceId, selection: options.selection }),
    getGenerationHistoryByModel({ db: options.db, workspaceId: options.workspaceId, model: options.model }),
  ]);
  const estimate = await estimateChosen({ ...options, chosen, history });
  return { estimate, skipped };
}

/**
 * The conversations a selection generates, with what sizing their prompts needs, in one query:
 * the same choice as resolveSelection (chooseGeneratable, in the same order), from
 * listGenerationSizingByFilter.
 * @returns `chosen` (with each row's `version` for the estimate cache) and `skipped` with why
 * @throws AppError "selection_invalid" like resolveSelection.
 */
export async function loadSelectionSizing({
  db,
  workspaceId,
  selection,
}: {
  db: DbOrTx;
  workspaceId: string;
  selection: GenerationSelection;
}): Promise<{ chosen: GenerationSizingRow[]; skipped: SkippedConversation[] }> {
  const rows = await listGenerationSizingByFilter({ db, workspaceId, filter: selectionFilter(selection) });
  return chooseGeneratable({ selection, refs: rows });
}

/**
 * Estimates generating exactly the `chosen` conversations (from loadSelectionSizing; order kept).
 * @param history the model's per-tier averages when already read (getGenerationHistoryByModel);
 *   read alongside the sizing otherwise
 * @throws AppError "invalid_estimate_input" like estimateRun (e.g. concurrency below 1).
 */
export async function estimateChosen(options: EstimateOptions & { chosen: readonly GenerationSizingRow[]; history?: GenerationHistory }): Promise<RunEstimate> {
  const [{ slots }, history, judgeHistory] = await Promise.all([
    sizeConversationPrompts({ db: options.db, workspaceId: options.workspaceId, rows: options.chosen, judge: Boolean(options.judgeModel) }),
    options.history ?? getGenerationHistoryByModel({ db: options.db, workspaceId: options.workspaceId, model: options.model }),
    options.judgeModel ? getJudgeHistoryByModel({ db: options.db, workspaceId: options.workspaceId, model: options.judgeModel }) : null,
  ]);
  return estimateRun({
    judge: options.judgeModel ? judgeEstimateInput(options.judgeModel, judgeHistory) : undefined,
    provider: options.provider.name,
    model: options.model,
    slots,
    history,
    limits: options.limits ?? NO_RATE_LIMITS,
    concurrency: options.concurrency,
    priceOverrides: options.priceOverrides,
  });
}

/**
 * The judge's part of an estimate: its model, its max_tokens (JUDGE_MAX_TOKENS), and — when this
 * judge model has at least HISTORY_MIN_CONVERSATIONS (3) successful verdicts — their mean reply
 * tokens and call duration; otherwise replies are sized at max_tokens (never an invented length).
 */
export function judgeEstimateInput(model: string, history: JudgeHistory | null): JudgeEstimateInput {
  const known = history && history.calls >= HISTORY_MIN_CONVERSATIONS;
  return {
    model,
    maxOutputTokens: JUDGE_MAX_TOKENS,
    expectedOutputTokens: known ? history.avgOutputTokens : undefined,
    typicalDurationMs: known && history.avgDurationMs > 0 ? history.avgDurationMs : undefined,
  };
}

/** How a sizing went: slots in the order of the rows, and how many prompts were really rendered. */
export interface PromptSizing {
  slots: EstimateSlot[];
  /** Conversations sized (those whose every taxonomy row exists). */
  conversations: number;
  /** Prompts really rendered: conversations with identical keys and system prompt share one. */
  renders: number;
}

type TemplateWithVersion = { template: PromptTemplateRow; version: TemplateVersionRow };

/**
 * Sizes the prompt of each conversation of `rows` as a generation call would send it:
 * its template (pickConversationTemplate: its own unless inactive, else its tier's active default,
 * as resolveConversationPrompt picks it),
 * rendered with its parameters (buildTemplateParameters), `promptTokens` = ⌈(system prompt
 * characters + rendered characters) / 4⌉ and `maxOutputTokens` = the template's max_tokens. A
 * template that does not render for the conversation (a missing parameter, a syntax error) is
 * sized from its unrendered text; a tier without any template at 1,500 / 4,096 tokens.
 * Conversations that name a taxonomy value that does not exist are left out. With `judge`, each
 * slot also gets `judgePromptTokens`: the judge prompt built for it without turns, ⌈characters / 4⌉.
 * @returns slots in the order of `rows`; throws only database errors.
 */
export async function sizeConversationPrompts({
  db,
  workspaceId,
  rows,
  judge = false,
}: {
  db: DbOrTx;
  workspaceId: string;
  rows: readonly GenerationSizingRow[];
  judge?: boolean;
}): Promise<PromptSizing> {
  if (rows.length === 0) return { slots: [], conversations: 0, renders: 0 };
  // Conversations with the same keys and system prompt get the same prompt: group them first.
  type Group = { key: GenerationSizingKey; row: GenerationSizingRow; slot: EstimateSlot | null };
  const groups = new Map<string, Group>();
  const groupOf: Group[] = new Array(rows.length);
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index];
    const id = row.systemPrompt === null ? row.sizing : `${row.sizing}\u001e${row.systemPrompt}`;
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { key: readSizingKey(row.sizing), row, slot: null }));
    groupOf[index] = group;
  }
  const keys = [...groups.values()].map((g) => g.key);
  const [workspace, taxonomy, templates, chunkRows, scenarioRows] = await Promise.all([
    getWorkspace({ db, workspaceId }),
    listTaxonomy({ db, workspaceId }),
    listTemplatesWithCurrentVersion({ db, workspaceId }),
    listChunksWithDocumentByIds({ db, ids: distinct(keys.map((k) => k.chunkId)) }),
    listScenariosByIds({ db, ids: distinct(keys.map((k) => k.scenarioId)) }),
  ]);

  const byKey = <T extends { key: string }>(list: T[]) => new Map(list.map((item) => [item.key, item]));
  const personas = byKey(taxonomy.personas);
  const arcs = byKey(taxonomy.emotionalArcs);
  const topics = byKey(taxonomy.topics);
  const intents = byKey(taxonomy.intents);
  const tones = byKey(taxonomy.tones);
  const edgeCases = byKey(taxonomy.edgeCaseCategories);
  const outcomes = byKey(taxonomy.outcomes);
  const chunks = new Map<string, ChunkWithDocument>(chunkRows.map((c) => [c.id, c]));
  const scenarios = new Map(scenarioRows.map((s) => [s.id, s]));
  const templateById = new Map<string, TemplateWithVersion>(templates.map((t) => [t.template.id, t]));
  const templateRows = templates.map((t) => t.template);
  const renderers = new Map<string, Renderer | null>();
  const rendererFor = (t: TemplateWithVersion): Renderer | null => {
    if (!renderers.has(t.template.id)) {
      let compiled: Renderer | null = null;
      try {
        compiled = compileTemplate(t.version.templateText);
      } catch {
        compiled = null; // a syntax error: sized from the template's text, as when a render fails
      }
      renderers.set(t.template.id, compiled);
    }
    return renderers.get(t.template.id) ?? null;
  };

  let renders = 0;
  for (const group of groups.values()) {
    const { key, row } = group;
    const persona = personas.get(key.persona);
    const arc = arcs.get(key.emotion);
    const topic = topics.get(key.topic);
    const intent = intents.get(key.intent);
    const tone = tones.get(key.tone);
    if (!persona || !arc || !topic || !intent || !tone) continue; // as a joined read finds nothing: left out
    const picked = pickConversationTemplate(templateRows, { templateId: key.templateId, tier: key.tier });
    const template = picked ? (templateById.get(picked.id) ?? null) : null;
    if (!template) {
      group.slot = { tier: key.tier, promptTokens: FALLBACK_PROMPT_TOKENS, maxOutputTokens: FALLBACK_MAX_OUTPUT_TOKENS };
      continue;
    }
    const chunk = key.chunkId ? (chunks.get(key.chunkId) ?? null) : null;
    const context = buildGenerationContext(
      {
        conversation: { conversationId: row.conversationId, tier: key.tier, systemPrompt: row.systemPrompt ?? "" },
        persona,
        arc,
        topic,
        intent,
        tone,
        chunk,
        document: chunk ? { key: chunk.documentKey, title: chunk.documentTitle, category: chunk.category } : null,
        scenario: key.scenarioId ? (scenarios.get(key.scenarioId) ?? null) : null,
        edgeCase: key.edgeCaseCategory ? (edgeCases.get(key.edgeCaseCategory) ?? null) : null,
        outcome: key.outcome ? (outcomes.get(key.outcome) ?? null) : null,
      },
      workspace,
    );
    group.slot = sizeSlot(key.tier, template, rendererFor(template), buildTemplateParameters(context));
    // The judge's prompt without the turns (the turns are the reply the estimate expects).
    if (judge) group.slot = { ...group.slot, judgePromptTokens: judgePromptTokens(buildJudgePrompt(context, [])) };
    renders += 1;
  }

  const slots: EstimateSlot[] = [];
  for (const group of groupOf) if (group.slot) slots.push(group.slot); // shared between conversations, never changed: estimateRun only reads slots
  return { slots, conversations: slots.length, renders };
}

type Renderer = (parameters: Record<string, string>) => RenderedTemplate;

/** ⌈(system prompt + rendered prompt characters) / 4⌉; the unrendered text when the render fails (a missing parameter). */
function sizeSlot(tier: Tier, template: TemplateWithVersion, render: Renderer | null, parameters: Record<string, string>): EstimateSlot {
  const { systemPrompt, templateText, maxTokens } = template.version;
  let characters = systemPrompt.length + templateText.length;
  if (render) {
    try {
      characters = systemPrompt.length + render(parameters).text.length;
    } catch {
      // Generation fails such a conversation fast, before any call; it is sized from the template's text.
    }
  }
  return { tier, promptTokens: Math.ceil(characters / 4), maxOutputTokens: maxTokens };
}

function distinct(values: Array<string | null>): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))];
}

/**
 * The estimate of a judge run (`brightrun judge`): one judge call per conversation the selection
 * can judge (resolveJudgeSelection), each prompt built exactly as the call will send it (rubric,
 * context, source chunk and the stored turns; ⌈characters / 4⌉ tokens), each verdict at the judge
 * model's past mean (3+ verdicts) or JUDGE_MAX_TOKENS, priced at the judge model (an unknown
 * price is $0 with a warning). Reads each conversation's inputs and turns: two queries per
 * conversation.
 * @returns the estimate (its `judge` part is the whole of it) and the skipped conversations with why
 * @throws AppError "selection_invalid" like resolveJudgeSelection; "invalid_estimate_input" like estimateRun
 */
export async function estimateJudgeSelection(
  options: Omit<EstimateOptions, "judgeModel"> & { selection: GenerationSelection },
): Promise<{ estimate: RunEstimate; skipped: SkippedConversation[] }> {
  const { db, workspaceId } = options;
  const [{ chosen, skipped }, workspace, judgeHistory] = await Promise.all([
    resolveJudgeSelection({ db, workspaceId, selection: options.selection }),
    getWorkspace({ db, workspaceId }),
    getJudgeHistoryByModel({ db, workspaceId, model: options.model }),
  ]);
  const slots: EstimateSlot[] = [];
  for (const conversation of chosen) {
    const inputs = await getGenerationInputsById({ db, id: conversation.id });
    if (!inputs) continue;
    const turns = await listTurnsByConversationId({ db, conversationId: conversation.id });
    const prompt = buildJudgePrompt(buildGenerationContext(inputs, workspace), turns);
    slots.push({ tier: conversation.tier, promptTokens: 0, maxOutputTokens: 0, judgePromptTokens: judgePromptTokens(prompt) });
  }
  const estimate = estimateRun({
    provider: options.provider.name,
    model: options.model,
    slots,
    history: {},
    limits: options.limits ?? NO_RATE_LIMITS,
    concurrency: options.concurrency,
    priceOverrides: options.priceOverrides,
    judge: judgeEstimateInput(options.model, judgeHistory),
    judgeOnly: true,
  });
  return { estimate, skipped };
}
