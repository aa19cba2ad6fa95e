/**
 * The template preview (issue 11 item 3, US7.2.1's debug preview): an unsaved template draft
 * resolved for a chosen planned conversation or for sample parameters, through the same
 * buildGenerationContext → buildTemplateParameters → renderTemplate path generation uses, into
 * exactly the request one generation call would send, with its token count and the cost of one call.
 */
import type { ProviderName, Tier } from "../../lib/constants";
import type { TemplateDraft } from "../../lib/template-draft";
import type { Database } from "../../server/db/client";
import { conversationBelongsToWorkspace, listSampleParameterInputs } from "../../server/db/queries/template-tests";
import { getWorkspace } from "../../server/db/queries/workspace";
import { priceFor, type PriceOverrides } from "../cost/prices";
import { AppError, toPlainError } from "../errors";
import { buildGenerationContext, type GenerationContextInputs } from "../generation/build-context";
import { resolveConversationParameters } from "../generation/generate-conversation";
import type { GenerationContext } from "../types";
import { renderTemplate, sharedTemplatePrefix } from "./render-template";
import { buildTemplateParameters, TEMPLATE_PARAMETER_SOURCES } from "./template-parameters";

/** Where a preview's parameters come from: a conversation of the workspace (uuid), or sample parameters drawn with `seed`. */
export type TemplateParameterSourceChoice = { kind: "conversation"; id: string } | { kind: "sample"; seed: number };

/** What the parameters were resolved from, for people: "tmpl-004" or "sample #3: Anxious First-Timer · …". */
export interface ResolvedParameterSource {
  kind: "conversation" | "sample";
  label: string;
  /** The conversation's human id, for kind "conversation". */
  conversationId: string | null;
}

/** The request one call would send, as the provider receives it (before provider-specific framing). */
export interface PreviewRequest {
  model: string;
  system: string;
  messages: { role: "user"; content: string }[];
  max_tokens: number;
  temperature: number;
}

/** How the prompt's tokens were counted. */
export type TokenCountMethod = "o200k_base" | "estimate";

/** A draft resolved for one set of parameters. Money in USD, tokens as counted (see `tokenMethod`). */
export type TemplatePreview =
  | {
      ok: true;
      source: ResolvedParameterSource;
      provider: ProviderName;
      request: PreviewRequest;
      /** The start of the user message every conversation shares (sent as a cached block by Anthropic); "" when none. */
      cachePrefix: string;
      /** Every parameter's value ("" when empty) and the names the template used. */
      parameters: Record<string, string>;
      used: string[];
      inputTokens: number;
      tokenMethod: TokenCountMethod;
      /** Cost of one call: input tokens + the full max_tokens reply at the model's price; null when the model has no price. */
      maxCostUsd: number | null;
      priceKnown: boolean;
      context: GenerationContext;
    }
  | {
      ok: false;
      source: ResolvedParameterSource | null;
      provider: ProviderName;
      model: string;
      /** Plain-English reason (missing parameter, unknown placeholder, brace problem), with its code. */
      error: { code: string; message: string };
    };

/** The first characters-per-token rule of the run estimate (src/core/generation/estimate-selection.ts): ⌈characters / 4⌉. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * Counts the prompt tokens of one request. OpenAI GPT models (ids starting "gpt-") are counted
 * with the o200k_base encoding (gpt-tokenizer), which GPT-4o and later use, plus OpenAI's message
 * framing (3 tokens per message and its role, 3 to prime the reply: OpenAI cookbook "How to count
 * tokens with tiktoken"). Every other model (Claude, local models, the simulated composer) has no
 * tokenizer here, so the count is an estimate of ⌈characters / 4⌉, the rule the run estimate uses.
 */
export async function countPromptTokens({ provider, model, system, prompt }: { provider: ProviderName; model: string; system: string; prompt: string }): Promise<{ tokens: number; method: TokenCountMethod }> {
  if (provider === "openai" && model.startsWith("gpt-")) {
    const { encode } = await import("gpt-tokenizer/model/gpt-4o-mini-2024-07-18");
    const plain = { disallowedSpecial: new Set<string>() };
    const count = (text: string) => encode(text, plain).length;
    return { tokens: 3 + (3 + count("system") + count(system)) + (3 + count("user") + count(prompt)), method: "o200k_base" };
  }
  return { tokens: estimateTokens(system) + estimateTokens(prompt), method: "estimate" };
}

/**
 * The most one call costs: `inputTokens` at the input price plus a full `maxTokens` reply at the
 * output price (USD; prices per million tokens from the price table or the user's overrides).
 * @returns costUsd null and known false when the model has no price
 */
export function oneCallMaxCost(model: string, inputTokens: number, maxTokens: number, overrides: PriceOverrides = {}): { costUsd: number | null; known: boolean } {
  const price = priceFor(model, overrides);
  if (!price.known) return { costUsd: null, known: false };
  return { costUsd: (inputTokens * price.input + maxTokens * price.output) / 1_000_000, known: true };
}

/** A small deterministic generator (mulberry32): the same seed draws the same numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type SampleInputs = Awaited<ReturnType<typeof listSampleParameterInputs>>;

/**
 * Draws one sample slot for a tier from the workspace's taxonomy, chunks and scenarios, with
 * `seed` (the same seed, the same combination). Personas and arcs are limited to the draft's
 * applicable ones when it names any that exist. A Scenario-tier sample takes a scenario, an Edge
 * case sample an edge-case category; a chunk is taken when the workspace has any.
 * @throws AppError `sample_parameters_unavailable` naming what the workspace lacks (e.g. no personas)
 */
export function drawSampleInputs(
  inputs: SampleInputs,
  { tier, seed, applicablePersonas, applicableArcs }: { tier: Tier; seed: number; applicablePersonas: string[]; applicableArcs: string[] },
): { contextInputs: GenerationContextInputs; label: string } {
  const random = seededRandom(seed);
  const restrict = <T extends { key: string }>(rows: T[], keys: string[]) => {
    const kept = keys.length > 0 ? rows.filter((r) => keys.includes(r.key)) : rows;
    return kept.length > 0 ? kept : rows;
  };
  const pick = <T,>(rows: T[]): T | null => (rows.length === 0 ? null : rows[Math.floor(random() * rows.length)]);
  const required = <T,>(rows: T[], what: string): T => {
    const row = pick(rows);
    if (!row) throw new AppError("sample_parameters_unavailable", `Sample parameters need at least one ${what}, and this workspace has none. Add one on the Customers page, or choose a planned conversation.`);
    return row;
  };
  const persona = required(restrict(inputs.personas, applicablePersonas), "persona");
  const arc = required(restrict(inputs.arcs, applicableArcs), "emotional arc");
  const topic = required(inputs.topics, "topic");
  const intent = required(inputs.intents, "intent");
  const tone = required(inputs.tones, "tone");
  const outcome = pick(inputs.outcomes);
  const chunkRow = pick(inputs.chunks);
  const scenario = tier === "scenario" ? pick(inputs.scenarios) : null;
  const edgeCase = tier === "edge_case" ? pick(inputs.edgeCases) : null;
  const label = [persona.name, arc.name, topic.name, chunkRow ? `chunk ${chunkRow.chunk.key}` : "no chunk", scenario ? `scenario "${scenario.title}"` : null, edgeCase ? `edge case ${edgeCase.name}` : null]
    .filter(Boolean)
    .join(" · ");
  return {
    label: `Sample #${seed}: ${label}`,
    contextInputs: {
      conversation: { conversationId: `sample-${seed}`, tier, systemPrompt: "" },
      persona,
      arc,
      topic,
      intent,
      tone,
      chunk: chunkRow?.chunk ?? null,
      document: chunkRow?.document ?? null,
      scenario,
      edgeCase,
      outcome,
    },
  };
}

/**
 * Resolves the generation context and parameters of a parameter source.
 * @throws AppError `conversation_not_found` (not in this workspace), `sample_parameters_unavailable`
 */
export async function resolveParameterSource({
  db,
  workspaceId,
  draft,
  source,
}: {
  db: Database;
  workspaceId: string;
  draft: Pick<TemplateDraft, "tier" | "applicablePersonas" | "applicableArcs">;
  source: TemplateParameterSourceChoice;
}): Promise<{ context: GenerationContext; parameters: Record<string, string>; source: ResolvedParameterSource }> {
  if (source.kind === "conversation") {
    if (!(await conversationBelongsToWorkspace({ db, workspaceId, id: source.id }))) {
      throw new AppError("conversation_not_found", "That conversation is not in this workspace any more. Choose another one from the list.");
    }
    const resolved = await resolveConversationParameters({ db, id: source.id });
    return { context: resolved.context, parameters: resolved.parameters, source: { kind: "conversation", label: resolved.humanId, conversationId: resolved.humanId } };
  }
  const [inputs, workspace] = await Promise.all([listSampleParameterInputs({ db, workspaceId }), getWorkspace({ db, workspaceId })]);
  const { contextInputs, label } = drawSampleInputs(inputs, { tier: draft.tier, seed: source.seed, applicablePersonas: draft.applicablePersonas, applicableArcs: draft.applicableArcs });
  const context = buildGenerationContext(contextInputs, workspace);
  return { context, parameters: buildTemplateParameters(context), source: { kind: "sample", label, conversationId: null } };
}

/**
 * Resolves a draft into the exact request one generation call would send: the system prompt, the
 * user message (the rendered template, as renderTemplate renders it for generation), max_tokens,
 * temperature and the model; the prompt's tokens and the most one call costs. Makes no API call.
 * A rendering problem (missing required parameter, unknown placeholder, brace problem) comes back
 * as `ok: false` with its plain-English message, not as an exception.
 * @throws AppError `conversation_not_found`, `sample_parameters_unavailable`; database errors
 */
export async function previewTemplateDraft({
  db,
  workspaceId,
  draft,
  source,
  provider,
  model,
  priceOverrides,
}: {
  db: Database;
  workspaceId: string;
  draft: TemplateDraft;
  source: TemplateParameterSourceChoice;
  provider: ProviderName;
  model: string;
  priceOverrides?: PriceOverrides;
}): Promise<TemplatePreview> {
  const resolved = await resolveParameterSource({ db, workspaceId, draft, source });
  let prompt: string;
  let used: string[];
  let cachePrefix = "";
  try {
    const rendered = renderTemplate(draft.templateText, resolved.parameters, { templateName: draft.name });
    prompt = rendered.text;
    used = [...rendered.used];
    const prefix = sharedTemplatePrefix(draft.templateText, resolved.parameters, TEMPLATE_PARAMETER_SOURCES);
    cachePrefix = prompt.startsWith(prefix) ? prefix : "";
  } catch (error) {
    const plain = toPlainError(error);
    return { ok: false, source: resolved.source, provider, model, error: { code: plain.code, message: plain.message } };
  }
  const counted = await countPromptTokens({ provider, model, system: draft.systemPrompt, prompt });
  const cost = oneCallMaxCost(model, counted.tokens, draft.maxTokens, priceOverrides);
  return {
    ok: true,
    source: resolved.source,
    provider,
    request: { model, system: draft.systemPrompt, messages: [{ role: "user", content: prompt }], max_tokens: draft.maxTokens, temperature: draft.temperature },
    cachePrefix,
    parameters: resolved.parameters,
    used,
    inputTokens: counted.tokens,
    tokenMethod: counted.method,
    maxCostUsd: cost.costUsd,
    priceKnown: cost.known,
    context: resolved.context,
  };
}
