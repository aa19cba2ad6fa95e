/**
 * The conversations table's state in the URL (US3.1.1, US3.1.2, US6.1.1: bookmarkable, shareable
 * filtered views). Client-safe: plain zod, no server imports.
 *
 * Query parameters (all optional; defaults are left out when serialising):
 *
 * | param | example | meaning |
 * |---|---|---|
 * | `q` | `q=retire` | text search (conversation id, title, persona / emotion / topic / intent / tone names) |
 * | `persona`, `emotion`, `topic`, `intent`, `tone`, `outcome` | `persona=young_pro,pre_retiree` | taxonomy keys, OR within one param |
 * | `tier` | `tier=template,scenario` | `template`, `scenario`, `edge_case` |
 * | `status` | `status=generated` | conversation statuses |
 * | `source` | `source=Client Stories` | source (document) categories |
 * | `document` | `document=harbor-method` | keys of the documents the conversations were planned from |
 * | `chunk` | `chunk=audience_level:advanced,content_type:narrative` | dimensions of the chunk the conversations were planned from, as `name:value`; OR within one name, AND across names |
 * | `quality` | `quality=6-10`, `quality=8-`, `quality=-5.5` | inclusive score bounds, 1–10 |
 * | `flagged` | `flagged=1` | only conversations scoring below their tier's approval bar (the workspace's tier rules) |
 * | `seed` | `seed=yes` | `yes`: seed conversations only (the Seeds quick filter); `no`: generated / planned ones only |
 * | `sort` | `sort=quality_score.desc` | one whitelisted column id + `asc` / `desc` |
 * | `page` | `page=3` | 1-based |
 * | `perPage` | `perPage=50` | 25, 50 or 100 (none: the user's rows per page, Preferences) |
 * | `defaults` | `defaults=off` | the user's default filters (Preferences) do not apply: set when they change the filters |
 *
 * Different parameters combine with AND, values within one comma list with OR. A value that is
 * not valid (unknown status, a sort column not on the whitelist, `perPage=30`, `page=abc`) falls
 * back to its default and is reported in `issues`, so an old or hand-edited bookmark still loads.
 * List values cannot contain a comma (they are split on commas).
 */
import { z } from "zod";
import { CONVERSATION_STATUSES, TIERS, type ConversationStatus, type Tier } from "./constants";
import { chunkDimensionFromItems, chunkDimensionItems, parseChunkDimensionItem } from "./chunk-dimensions";
import { CHUNK_DIMENSION_NAME, type ConversationFilter } from "./conversation-filter";
import { parseListParam, parseSingleParam, readSearchParam, type SearchParamIssue, type SearchParamSource } from "./search-param-parsing";

/** Column ids the table may be sorted by (the whitelist; anything else falls back to the default sort). */
export const CONVERSATION_SORT_COLUMNS = [
  "conversation_id",
  "persona",
  "emotion",
  "topic",
  "tier",
  "status",
  "quality_score",
  "turn_count",
  "generated_at",
  "created_at",
  "updated_at",
] as const;
export type ConversationSortColumn = (typeof CONVERSATION_SORT_COLUMNS)[number];

export const SORT_DIRECTIONS = ["asc", "desc"] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];

/** Rows per page the table offers (US6.1.1). */
export const PER_PAGE_OPTIONS = [25, 50, 100] as const;
export type PerPage = (typeof PER_PAGE_OPTIONS)[number];

export interface ConversationSort {
  column: ConversationSortColumn;
  direction: SortDirection;
}

/** Everything the table shows, as plain data. `filter` uses only the URL-backed fields of ConversationFilter. */
export interface ConversationTableState {
  filter: ConversationFilter;
  /** Trimmed search text, "" for none. */
  search: string;
  sort: ConversationSort;
  /** 1-based. */
  page: number;
  perPage: PerPage;
}

/** One parameter that could not be used and was replaced by its default. */
export type TableParamIssue = SearchParamIssue;

/** Conversation id ascending: planned conversations share a creation time, and ids read in plan order (edge-001 … tmpl-040). */
export const DEFAULT_CONVERSATION_SORT: ConversationSort = { column: "conversation_id", direction: "asc" };
export const DEFAULT_PER_PAGE: PerPage = 25;
/** Longest search text kept (longer text is cut and reported). */
export const MAX_SEARCH_LENGTH = 200;
/** Most values kept per list parameter. */
export const MAX_LIST_VALUES = 100;
/** Highest page number accepted (100 rows × 100,000 pages is far past any real workspace). */
export const MAX_PAGE = 100_000;

export function defaultConversationTableState(): ConversationTableState {
  return { filter: {}, search: "", sort: { ...DEFAULT_CONVERSATION_SORT }, page: 1, perPage: DEFAULT_PER_PAGE };
}

/** The taxonomy / free-text list params and the ConversationFilter field each fills. */
const KEY_LIST_PARAMS = [
  ["persona", "persona"],
  ["emotion", "emotion"],
  ["topic", "topic"],
  ["intent", "intent"],
  ["tone", "tone"],
  ["outcome", "outcome"],
  ["source", "sourceCategory"],
  ["document", "document"],
] as const satisfies ReadonlyArray<readonly [string, keyof ConversationFilter]>;

/** Every URL parameter that filters or searches the table (any of them present: the view has filters of its own). */
export const TABLE_FILTER_PARAM_NAMES: readonly string[] = [...KEY_LIST_PARAMS.map(([param]) => param), "chunk", "tier", "status", "quality", "flagged", "seed", "q"];

const listValueSchema = z.string().trim().min(1).max(200);
const sortSchema = z
  .string()
  .regex(/^[a-z_]+\.(asc|desc)$/)
  .transform((s) => {
    const [column, direction] = s.split(".") as [string, SortDirection];
    return { column, direction };
  })
  .pipe(z.object({ column: z.enum(CONVERSATION_SORT_COLUMNS), direction: z.enum(SORT_DIRECTIONS) }));
const pageSchema = z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(1).max(MAX_PAGE));
const perPageSchema = z
  .string()
  .regex(/^\d+$/)
  .transform(Number)
  .pipe(z.union(PER_PAGE_OPTIONS.map((n) => z.literal(n)) as [z.ZodLiteral<25>, z.ZodLiteral<50>, z.ZodLiteral<100>]));
const scoreSchema = z.coerce.number().min(1).max(10);

/**
 * Parses the table state from URL search params (a `URLSearchParams` or Next.js's
 * `searchParams` record). Never throws: unusable values fall back to defaults and are listed in
 * `issues` (param, offending value, plain-English reason).
 */
export function parseConversationTableParams(source: SearchParamSource): { state: ConversationTableState; issues: TableParamIssue[] } {
  const state = defaultConversationTableState();
  const issues: TableParamIssue[] = [];
  const filter: ConversationFilter = {};

  for (const [param, field] of KEY_LIST_PARAMS) {
    const values = parseListParam({
      source,
      param,
      issues,
      isValid: (value) => listValueSchema.safeParse(value).success,
      invalidMessage: () => `"${param}" values are at most 200 characters; ignored.`,
      limit: { max: MAX_LIST_VALUES, message: `Only the first ${MAX_LIST_VALUES} "${param}" values are used.` },
    });
    if (values?.length) filter[field] = values;
  }

  const chunkItems = parseListParam({
    source,
    param: "chunk",
    issues,
    isValid: (item) => {
      const parsed = parseChunkDimensionItem(item);
      return parsed !== null && CHUNK_DIMENSION_NAME.test(parsed.name) && listValueSchema.safeParse(parsed.value).success;
    },
    invalidMessage: () =>
      `"chunk" values are written dimension:value (e.g. audience_level:advanced): a name of letters, digits, "_" or "-" (at most 64), a value of at most 200 characters; ignored.`,
    limit: { max: MAX_LIST_VALUES, message: `Only the first ${MAX_LIST_VALUES} "chunk" values are used.` },
  });
  if (chunkItems?.length) filter.chunkDimension = chunkDimensionFromItems(chunkItems.map((item) => parseChunkDimensionItem(item)!));

  const enumLists: Array<[param: "tier" | "status", allowed: readonly string[]]> = [
    ["tier", TIERS],
    ["status", CONVERSATION_STATUSES],
  ];
  for (const [param, allowed] of enumLists) {
    const values = parseListParam({
      source,
      param,
      issues,
      isValid: (value) => allowed.includes(value),
      invalidMessage: (value) => `Unknown ${param} "${value}" (expected one of ${allowed.join(", ")}); ignored.`,
    });
    if (values?.length && param === "tier") filter.tier = values as Tier[];
    if (values?.length && param === "status") filter.status = values as ConversationStatus[];
  }

  const bounds = parseSingleParam({
    source,
    param: "quality",
    issues,
    trim: true,
    parse: (value) => parseQualityRange(value) ?? undefined,
    message: 'Quality must be a range of scores from 1 to 10 such as "6-10", "8-" or "-5"; ignored.',
  });
  if (bounds?.min !== undefined) filter.minQuality = bounds.min;
  if (bounds?.max !== undefined) filter.maxQuality = bounds.max;
  const flagged = parseSingleParam({
    source,
    param: "flagged",
    issues,
    trim: true,
    parse: (value) => (value === "1" || value === "true" ? true : value === "0" || value === "false" || value === "" ? false : undefined),
    message: 'flagged must be "1" (only conversations below their approval bar); ignored.',
  });
  if (flagged) filter.belowBar = true;
  const seed = parseSingleParam({
    source,
    param: "seed",
    issues,
    trim: true,
    parse: (value) => (value === "yes" ? true : value === "no" ? false : undefined),
    message: 'Seed must be "yes" (seed conversations only) or "no" (no seeds); ignored.',
  });
  if (seed !== undefined) filter.isSeed = seed;
  state.filter = filter;

  const q = readSearchParam(source, "q");
  if (q !== undefined) {
    const trimmed = q.trim();
    if (trimmed.length > MAX_SEARCH_LENGTH) {
      issues.push({ param: "q", value: q, message: `Search text is cut to ${MAX_SEARCH_LENGTH} characters.` });
    }
    state.search = trimmed.slice(0, MAX_SEARCH_LENGTH);
  }

  // Single values are parsed as written (no trimming: `page= 2` is not a page number); an unusable one keeps the default.
  const single = <T,>(param: string, parse: (value: string) => T | undefined, message: string) => parseSingleParam({ source, param, issues, parse, message });
  state.sort =
    single(
      "sort",
      (v) => sortSchema.safeParse(v).data,
      `Sort must be one of ${CONVERSATION_SORT_COLUMNS.join(", ")} followed by ".asc" or ".desc"; using ${formatSort(DEFAULT_CONVERSATION_SORT)}.`,
    ) ?? state.sort;
  state.page = single("page", (v) => pageSchema.safeParse(v).data, `Page must be a whole number from 1 to ${MAX_PAGE}; showing page 1.`) ?? state.page;
  state.perPage =
    single("perPage", (v) => perPageSchema.safeParse(v).data, `Rows per page must be ${PER_PAGE_OPTIONS.join(", ")}; showing ${DEFAULT_PER_PAGE}.`) ?? state.perPage;

  return { state, issues };
}

/** "6-10" → {min 6, max 10}; "8-" → {min 8}; "-5" → {max 5}; "7" → {min 7, max 7}. Null when invalid. */
function parseQualityRange(raw: string): { min?: number; max?: number } | null {
  const match = /^(\d+(?:\.\d+)?)?(?:(-)(\d+(?:\.\d+)?)?)?$/.exec(raw);
  if (!match || (match[1] === undefined && match[3] === undefined)) return null;
  const min = match[1] !== undefined ? scoreSchema.safeParse(match[1]) : undefined;
  const max = match[2] === undefined ? min : match[3] !== undefined ? scoreSchema.safeParse(match[3]) : undefined;
  if ((min && !min.success) || (max && !max.success)) return null;
  const out: { min?: number; max?: number } = {};
  if (min?.success) out.min = min.data;
  if (max?.success) out.max = max.data;
  if (out.min !== undefined && out.max !== undefined && out.min > out.max) return null;
  return out;
}

function formatSort(sort: ConversationSort): string {
  return `${sort.column}.${sort.direction}`;
}

function formatScore(n: number): string {
  return String(n);
}

/**
 * The URL search params for a table state, in a fixed order, leaving out defaults (page 1,
 * 25 per page, the default sort, empty filters) so equal states give equal URLs.
 * Filter fields the URL does not carry (ids, metadata) are left out.
 */
export function serializeConversationTableParams(state: Partial<ConversationTableState>): URLSearchParams {
  const params = new URLSearchParams();
  const filter = state.filter ?? {};
  if (state.search && state.search.trim()) params.set("q", state.search.trim());
  for (const [param, field] of KEY_LIST_PARAMS) {
    const values = filter[field];
    if (values?.length) params.set(param, values.join(","));
  }
  const chunkItems = chunkDimensionItems(filter.chunkDimension);
  if (chunkItems.length) params.set("chunk", chunkItems.join(","));
  if (filter.tier?.length) params.set("tier", filter.tier.join(","));
  if (filter.status?.length) params.set("status", filter.status.join(","));
  const { minQuality: min, maxQuality: max } = filter;
  if (min !== undefined || max !== undefined) {
    params.set("quality", min !== undefined && min === max ? formatScore(min) : `${min !== undefined ? formatScore(min) : ""}-${max !== undefined ? formatScore(max) : ""}`);
  }
  if (filter.belowBar) params.set("flagged", "1");
  if (filter.isSeed !== undefined) params.set("seed", filter.isSeed ? "yes" : "no");
  if (state.sort && formatSort(state.sort) !== formatSort(DEFAULT_CONVERSATION_SORT)) params.set("sort", formatSort(state.sort));
  if (state.page !== undefined && state.page > 1) params.set("page", String(state.page));
  if (state.perPage !== undefined && state.perPage !== DEFAULT_PER_PAGE) params.set("perPage", String(state.perPage));
  return params;
}
