/**
 * "Suggest scenarios from this document/chunk" (issue 10 item 3, US8.2.1 "Scenarios derived from
 * chunked document content"): drafts for a person to accept or edit, never stored here.
 *
 * With a language model, one request asks for JSON `{"scenarios":[{title, description, category,
 * tags, problem, solution, outcome}]}` built from the chunk's text. The `simulated` provider is not
 * a language model: it composes drafts from the chunk's own sentences, deterministically and with
 * no network, each titled "Draft (simulated, not a language model): …".
 */
import { z } from "zod";
import { AppError } from "../errors";
import { stripFence } from "../llm/parse-reply";
import type { LlmProvider } from "../llm/types";

/** A suggested scenario: the library's fields, not yet stored. */
export interface ScenarioDraft {
  title: string;
  description: string;
  category: string;
  tags: string[];
  problem: string;
  solution: string;
  outcome: string;
}

/** The chunk (and its document) the drafts are drawn from. */
export interface SuggestionSource {
  documentTitle: string;
  category: string;
  heading: string | null;
  content: string;
}

/** Title prefix of every draft the simulated provider composes. */
export const SIMULATED_DRAFT_PREFIX = "Draft (simulated, not a language model): ";

/** Drafts asked for per request (and composed by the simulated provider at most). */
export const DEFAULT_DRAFT_COUNT = 3;

/** Reply tokens allowed for a suggestion request. */
export const SUGGESTION_MAX_TOKENS = 2000;

const draftSchema = z.object({
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).default(""),
  category: z.string().trim().min(1).max(100),
  tags: z.array(z.string().trim().min(1).max(50)).max(20).default([]),
  problem: z.string().trim().min(1).max(4000),
  solution: z.string().trim().min(1).max(4000),
  outcome: z.string().trim().min(1).max(4000),
});
const replySchema = z.object({ scenarios: z.array(draftSchema).min(1) });

/** The system prompt of a suggestion request. */
export const SUGGESTION_SYSTEM_PROMPT =
  "You help a business build a library of realistic customer scenarios for training a customer-facing assistant. " +
  'Reply with JSON only: {"scenarios":[{"title":"…","description":"…","category":"…","tags":["…"],"problem":"…","solution":"…","outcome":"…"}]}. ' +
  "Each scenario is one customer's situation drawn from the source text: the problem context they bring, the action the business helps them take, and the outcome.";

/** The user prompt of a suggestion request for `source`, asking for `count` scenarios. */
export function buildSuggestionPrompt(source: SuggestionSource, count: number): string {
  return [
    `Suggest ${count} distinct customer scenarios drawn from this source.`,
    `Document: ${source.documentTitle} (category: ${source.category})`,
    source.heading ? `Section: ${source.heading}` : null,
    "Source text:",
    source.content,
  ]
    .filter((line) => line !== null)
    .join("\n");
}

/**
 * Drafts of scenarios drawn from `source`.
 * @param provider the workspace's configured provider (selectProviderWithSettings); the simulated one composes locally
 * @param model the model to ask (ignored by the simulated provider)
 * @returns 1 to `count` drafts
 * @throws AppError "malformed_response" when the model's reply is not the JSON asked for, and the
 *   provider's own errors (rate_limited, authentication_failed, timeout…, see LLM_ERROR_CODES)
 */
export async function suggestScenarioDrafts({
  provider,
  model,
  source,
  count = DEFAULT_DRAFT_COUNT,
  signal,
}: {
  provider: LlmProvider;
  model: string;
  source: SuggestionSource;
  count?: number;
  signal?: AbortSignal;
}): Promise<ScenarioDraft[]> {
  if (!provider.isLanguageModel) return composeSimulatedScenarioDrafts(source, count);
  const response = await provider.generate({
    model,
    system: SUGGESTION_SYSTEM_PROMPT,
    prompt: buildSuggestionPrompt(source, count),
    maxTokens: SUGGESTION_MAX_TOKENS,
    temperature: 0.7,
    signal,
    // Real providers ignore the generation context (LlmProvider); only the simulated composer reads it, and it is not called here.
    context: undefined as never,
  });
  let value: unknown;
  try {
    value = JSON.parse(stripFence(response.text));
  } catch {
    throw new AppError("malformed_response", "The model did not answer with the scenario JSON it was asked for. Try again, or write the scenario yourself.", {
      retryable: true,
      detail: { reply: response.text.slice(0, 2000) },
    });
  }
  const parsed = replySchema.safeParse(value);
  if (!parsed.success) {
    throw new AppError("malformed_response", `The model's scenarios were incomplete (${parsed.error.issues[0]?.path.join(".") || "reply"}: ${parsed.error.issues[0]?.message}). Try again, or write the scenario yourself.`, {
      retryable: true,
      detail: { reply: response.text.slice(0, 2000), issues: parsed.error.issues },
    });
  }
  return parsed.data.scenarios.slice(0, count);
}

/** The source's sentences (at least 20 characters each), markdown marks removed. */
function sentencesOf(content: string): string[] {
  const plain = content
    .replace(/^#+\s*/gm, "")
    .replace(/[*_`>]/g, "")
    .replace(/^\s*[-+]\s+/gm, "")
    .replace(/\s+/g, " ")
    .trim();
  return (plain.match(/[^.!?]+[.!?]+/g) ?? [plain]).map((s) => s.trim()).filter((s) => s.length >= 20);
}

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[,.;:!?-]+$/, "")}…`;
}

/**
 * The simulated provider's drafts: deterministic (the same source gives the same drafts), composed
 * from the source's own sentences with no model and no network, each plainly labelled
 * SIMULATED_DRAFT_PREFIX so nobody mistakes it for a model's work. At most `count` drafts, at least 1.
 */
export function composeSimulatedScenarioDrafts(source: SuggestionSource, count = DEFAULT_DRAFT_COUNT): ScenarioDraft[] {
  const sentences = sentencesOf(source.content);
  const section = source.heading?.split(" > ").pop()?.trim() || source.documentTitle;
  const pool = sentences.length ? sentences : [`${section} comes up`];
  const drafts: ScenarioDraft[] = [];
  const n = Math.max(1, Math.min(count, pool.length));
  for (let i = 0; i < n; i++) {
    const point = pool[i % pool.length].replace(/[.!?]+$/, "");
    const next = pool[(i + 1) % pool.length].replace(/[.!?]+$/, "");
    drafts.push({
      title: `${SIMULATED_DRAFT_PREFIX}${shorten(section, 60)}${n > 1 ? ` (${i + 1})` : ""}`,
      description: `A customer asks about ${section.toLowerCase()}. Composed from the source text, not written by a language model: edit it before saving.`,
      category: source.category,
      tags: ["simulated draft", shorten(section.toLowerCase(), 40)],
      problem: `The customer is unsure what this means for them: “${shorten(point, 300)}.”`,
      solution: `Walk them through it using the source: “${shorten(next, 300)}.”`,
      outcome: "The customer understands their options and knows the next step to take.",
    });
  }
  return drafts;
}
