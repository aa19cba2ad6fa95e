/**
 * The conversations table's URL state as nuqs parsers (client side). The wire format is the one
 * `parseConversationTableParams` (conversation-table-params.ts) reads on the server, which stays
 * the authority: it whitelists sort columns and drops invalid values, so a hand-edited URL
 * still loads. Comma-separated lists, `quality=8-10`, `sort=quality_score.desc`, `page`, `perPage`.
 */
import { parseAsArrayOf, parseAsInteger, parseAsString, parseAsStringLiteral } from "nuqs";
import { CONVERSATION_STATUSES, TIERS } from "./constants";
import { DEFAULT_CONVERSATION_SORT, DEFAULT_PER_PAGE } from "./conversation-table-params";

export const conversationTableSearchParams = {
  q: parseAsString.withDefault(""),
  persona: parseAsArrayOf(parseAsString).withDefault([]),
  emotion: parseAsArrayOf(parseAsString).withDefault([]),
  topic: parseAsArrayOf(parseAsString).withDefault([]),
  intent: parseAsArrayOf(parseAsString).withDefault([]),
  tone: parseAsArrayOf(parseAsString).withDefault([]),
  outcome: parseAsArrayOf(parseAsString).withDefault([]),
  source: parseAsArrayOf(parseAsString).withDefault([]),
  document: parseAsArrayOf(parseAsString).withDefault([]),
  /** Chunk dimensions as `name:value` items (chunk-dimensions.ts), e.g. `chunk=audience_level:advanced`. */
  chunk: parseAsArrayOf(parseAsString).withDefault([]),
  tier: parseAsArrayOf(parseAsStringLiteral(TIERS)).withDefault([]),
  status: parseAsArrayOf(parseAsStringLiteral(CONVERSATION_STATUSES)).withDefault([]),
  quality: parseAsString.withDefault(""),
  /** "1": only conversations below their tier's approval bar (the Needs Review quick filter sets it). */
  flagged: parseAsString.withDefault(""),
  /** "yes": seeds only (the Seeds quick filter), "no": no seeds; "" for all. */
  seed: parseAsString.withDefault(""),
  sort: parseAsString.withDefault(`${DEFAULT_CONVERSATION_SORT.column}.${DEFAULT_CONVERSATION_SORT.direction}`),
  page: parseAsInteger.withDefault(1),
  /** "off": the user's default filters (Preferences) do not apply to this view (src/lib/preferences.ts). */
  defaults: parseAsString.withDefault(""),
  perPage: parseAsInteger.withDefault(DEFAULT_PER_PAGE),
};

/** The list params that filter (each one a faceted multi-select), in toolbar order. */
export const FACET_PARAMS = ["persona", "emotion", "topic", "intent", "tone", "outcome", "tier", "status", "source", "document"] as const;
export type FacetParam = (typeof FACET_PARAMS)[number];

/** Every list param that filters: the facets above and `chunk` (one faceted multi-select per chunk dimension). */
export const FILTER_LIST_PARAMS = [...FACET_PARAMS, "chunk"] as const;

/** Quality ranges the Quality filter offers (US3.1.2: High 8–10, Medium 6–7, Low under 6), as `quality` values. */
export const QUALITY_RANGES = [
  { value: "8-10", label: "High (8–10)", band: "high" },
  { value: "6-7.9", label: "Medium (6–7.9)", band: "medium" },
  { value: "1-5.9", label: "Low (under 6)", band: "low" },
] as const;
