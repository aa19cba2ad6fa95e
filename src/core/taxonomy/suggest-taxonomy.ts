/**
 * "Suggest personas and topics from my documents": the workspace's document headings, summaries
 * and key terms go to the configured model, which answers with personas and topics as JSON,
 * validated with the importer's schemas. The `simulated` provider composes plainly labelled drafts
 * from the same headings and key terms, deterministically, with no model. Suggestions are returned
 * for the user to accept one by one; nothing here saves anything.
 */
import { z } from "zod";
import { keyFromName } from "../../lib/taxonomy-kinds";
import { parseJson, PLAIN_ERRORS, zodProblems } from "../import/json-problems";
import { personaSchema, topicSchema } from "../import/schemas";
import { stripFence } from "../llm/parse-reply";
import type { LlmProvider } from "../llm/types";
import type { TaxonomyFileEntry } from "./taxonomy-file";

/** One stored document as the suggestion prompt describes it. */
export interface SuggestionDocument {
  title: string;
  category: string;
  /** Its chunks' headings ("Guide > Year 1"), in order, without empty ones. */
  headings: string[];
  /** Its chunks' summaries, in order. */
  summaries: string[];
  /** Its chunks' key terms, most frequent first. */
  keyTerms: string[];
}

/** What the model is asked to answer: the importer's persona and topic schemas. */
export const taxonomySuggestionsSchema = z.strictObject({
  personas: z.array(personaSchema).max(12),
  topics: z.array(topicSchema).max(20),
});

/** The label every simulated draft carries (the UI shows it beside the suggestions). */
export const SIMULATED_SUGGESTIONS_LABEL = "simulated — not a language model";

/** Largest prompt sent, in characters (about 6,000 tokens): documents past it are summarised by title only. */
export const SUGGESTION_PROMPT_MAX_CHARS = 24_000;

/** Largest reply asked for, in tokens. */
export const SUGGESTION_MAX_TOKENS = 4096;

export type TaxonomySuggestionResult =
  | {
      ok: true;
      personas: Array<TaxonomyFileEntry<"personas">>;
      topics: Array<TaxonomyFileEntry<"topics">>;
      /** Who drafted them: the provider and model, or the simulated composer. */
      provider: string;
      model: string;
      /** True for the simulated composer's drafts (labelled SIMULATED_SUGGESTIONS_LABEL). */
      simulated: boolean;
    }
  | {
      ok: false;
      /** Plain English: what is wrong with the reply and what to do. */
      message: string;
      /** The model's reply as it came, kept for the user to read. */
      raw: string;
      provider: string;
      model: string;
    };

/** The system prompt of a suggestion request. */
export const SUGGESTION_SYSTEM_PROMPT =
  "You help a small business describe its customers for training a customer-facing assistant. You answer with one JSON object and nothing else.";

/**
 * The prompt: the business, then each document's title, category, headings and summaries (cut to
 * SUGGESTION_PROMPT_MAX_CHARS), then the exact JSON shape wanted.
 */
export function buildSuggestionPrompt({ businessName, description, documents }: { businessName: string; description: string; documents: SuggestionDocument[] }): string {
  const head = [`Business: ${businessName || "(unnamed)"}`, description ? `About it: ${description}` : "", "", "Its documents:"].filter((l, i) => l || i === 2).join("\n");
  const shape = [
    "",
    "From these documents, suggest 3 to 6 customer personas and 4 to 10 topics customers ask about.",
    'Answer with JSON only, exactly this shape (keys: lower-case letters, digits and "-"):',
    '{"personas":[{"key":"…","name":"…","description":"who they are and what they need","traits":["…"],"communication_style":"…","goals":["…"]}],',
    ' "topics":[{"key":"…","name":"…","description":"…","key_terms":["…"]}]}',
  ].join("\n");
  let body = "";
  for (const doc of documents) {
    const full = [`- ${doc.title} (${doc.category})`, ...doc.headings.slice(0, 30).map((h) => `  heading: ${h}`), ...doc.summaries.slice(0, 10).map((s) => `  summary: ${s}`)].join("\n");
    const part = body.length + full.length + head.length + shape.length < SUGGESTION_PROMPT_MAX_CHARS ? full : `- ${doc.title} (${doc.category})`;
    body += `${part}\n`;
  }
  return `${head}\n${body}${shape}`;
}

/**
 * Parses a model's reply (one ```json fence tolerated) with taxonomySuggestionsSchema.
 * @returns the lists, or a plain message naming the first problems (JSON path and line)
 */
export function parseSuggestionReply(text: string): { ok: true; data: z.infer<typeof taxonomySuggestionsSchema> } | { ok: false; message: string } {
  const body = stripFence(text.trim());
  const parsed = parseJson(body);
  if (!parsed.ok) return { ok: false, message: `The model's reply is not the JSON asked for (${parsed.where}: ${parsed.message}). Try again, or try another model.` };
  const result = taxonomySuggestionsSchema.safeParse(parsed.value, PLAIN_ERRORS);
  if (!result.success) {
    const problems = zodProblems("reply", result.error, body, parsed.tree)
      .slice(0, 3)
      .map((p) => `${p.where}: ${p.message}`)
      .join("; ");
    return { ok: false, message: `The model's reply does not have the personas and topics asked for (${problems}). Try again, or try another model.` };
  }
  return { ok: true, data: result.data };
}

/**
 * Drafts personas and topics from the documents, deterministically (same documents, same drafts):
 * one topic per document (up to 10), named after it, its key terms the document's most frequent
 * ones; one persona per document category (up to 6), described from that category's headings.
 * Every description starts with "Draft (simulated — not a language model)". Throws nothing.
 */
export function composeSimulatedSuggestions(documents: SuggestionDocument[]): { personas: Array<TaxonomyFileEntry<"personas">>; topics: Array<TaxonomyFileEntry<"topics">> } {
  const label = `Draft (${SIMULATED_SUGGESTIONS_LABEL})`;
  const topics: Array<TaxonomyFileEntry<"topics">> = [];
  const usedKeys = new Set<string>();
  const unique = (key: string) => {
    let candidate = key || "entry";
    for (let n = 2; usedKeys.has(candidate); n++) candidate = `${key}-${n}`;
    usedKeys.add(candidate);
    return candidate;
  };
  for (const doc of documents.slice(0, 10)) {
    const sections = doc.headings.map((h) => h.split(" > ").pop() as string).filter((h, i, all) => h && all.indexOf(h) === i);
    topics.push({
      key: unique(keyFromName(doc.title)),
      name: doc.title,
      description: `${label}: questions about ${doc.title}${sections.length ? `, such as ${sections.slice(0, 3).join("; ")}` : ""}.`,
      key_terms: doc.keyTerms.slice(0, 6),
    });
  }
  const byCategory = new Map<string, SuggestionDocument[]>();
  for (const doc of documents) byCategory.set(doc.category, [...(byCategory.get(doc.category) ?? []), doc]);
  const personas: Array<TaxonomyFileEntry<"personas">> = [];
  for (const [category, docs] of [...byCategory].slice(0, 6)) {
    const titles = docs.map((d) => d.title);
    const terms = [...new Set(docs.flatMap((d) => d.keyTerms))].slice(0, 3);
    const name = `Customer Reading ${category}`;
    personas.push({
      key: unique(keyFromName(name)),
      name,
      description: `${label}: a customer who comes with questions covered by ${titles.slice(0, 3).join(", ")}. Edit this into a real person: age, situation, what worries them.`,
      traits: terms.length ? terms.map((t) => `asks about ${t}`) : ["wants clear answers"],
      communication_style: "Direct questions; wants practical next steps.",
      goals: [`understand ${titles[0]}`],
    });
  }
  return { personas, topics };
}

/**
 * Asks `provider` for personas and topics from the documents, or composes simulated drafts when
 * the provider is not a language model.
 * @returns the suggestions, or `{ ok: false, message, raw }` for a reply that is not the JSON asked for
 * @throws the provider's AppError for a failed call (authentication_failed, rate_limited, timeout, …)
 */
export async function suggestPersonasAndTopics({
  provider,
  model,
  businessName,
  description,
  documents,
  signal,
}: {
  provider: LlmProvider;
  model: string;
  businessName: string;
  description: string;
  documents: SuggestionDocument[];
  signal?: AbortSignal;
}): Promise<TaxonomySuggestionResult> {
  if (!provider.isLanguageModel) {
    return { ok: true, ...composeSimulatedSuggestions(documents), provider: provider.name, model, simulated: true };
  }
  const reply = await provider.generate({
    model,
    system: SUGGESTION_SYSTEM_PROMPT,
    prompt: buildSuggestionPrompt({ businessName, description, documents }),
    maxTokens: SUGGESTION_MAX_TOKENS,
    temperature: 0.7,
    signal,
    // Real providers ignore the generation context (LlmProvider); this is not a conversation slot.
    context: undefined as never,
  });
  const parsed = parseSuggestionReply(reply.text);
  if (!parsed.ok) return { ok: false, message: reply.truncated ? `The model's reply was cut off at ${SUGGESTION_MAX_TOKENS} tokens. Try again.` : parsed.message, raw: reply.text, provider: provider.name, model: reply.model || model };
  return { ok: true, ...parsed.data, provider: provider.name, model: reply.model || model, simulated: false };
}

/**
 * The documents as the suggestion prompt describes them, from stored chunks (ordered by document,
 * then position): headings and summaries in order, key terms by frequency.
 */
export function suggestionDocumentsFromChunks(
  chunks: Array<{ documentKey: string; documentTitle: string; category: string; heading: string | null; summary: string; keyTerms: string[] }>,
): SuggestionDocument[] {
  const byKey = new Map<string, { doc: SuggestionDocument; counts: Map<string, number> }>();
  for (const c of chunks) {
    let entry = byKey.get(c.documentKey);
    if (!entry) {
      entry = { doc: { title: c.documentTitle, category: c.category, headings: [], summaries: [], keyTerms: [] }, counts: new Map() };
      byKey.set(c.documentKey, entry);
    }
    if (c.heading?.trim()) entry.doc.headings.push(c.heading.trim());
    if (c.summary.trim()) entry.doc.summaries.push(c.summary.trim());
    for (const term of c.keyTerms) entry.counts.set(term, (entry.counts.get(term) ?? 0) + 1);
  }
  return [...byKey.values()].map(({ doc, counts }) => ({
    ...doc,
    keyTerms: [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([term]) => term),
  }));
}
