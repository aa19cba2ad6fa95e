import "server-only";
/**
 * The conversations table's reads (issue 4; US3.1.1, US3.1.2, US6.1.1, US12.2.1): one page of
 * rows with the matching total, and per-dimension value counts for the filter UI.
 */
import { and, eq, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { MAX_CHUNK_DIMENSION_VALUES } from "../../../lib/chunk-dimensions";
import { activeChunkDimensions, type ConversationFilter } from "../../../lib/conversation-filter";
import type { ConversationSort, ConversationSortColumn } from "../../../lib/conversation-table-params";
import { CONVERSATION_STATUSES, type ConversationStatus, type ProviderName, type Tier } from "../../../lib/constants";
import type { DbOrTx } from "../client";
import { chunks, conversations, documents, emotionalArcs, intents, outcomes, personas, tones, topics } from "../schema";
import { conversationFilterConditions, searchCondition } from "./conversations";

/** One row of the conversations table. Names are the taxonomy's display names. */
export interface ConversationListRow {
  id: string;
  conversationId: string;
  title: string | null;
  persona: string;
  personaName: string;
  emotion: string;
  emotionName: string;
  topic: string;
  topicName: string;
  intent: string;
  intentName: string;
  tone: string;
  toneName: string;
  /** Outcome key and name (how the conversation should end); null when it has none. */
  outcome: string | null;
  outcomeName: string | null;
  tier: Tier;
  status: ConversationStatus;
  /** 1–10, null until generated. */
  qualityScore: number | null;
  turnCount: number;
  isSeed: boolean;
  sourceCategory: string | null;
  createdAt: Date;
  updatedAt: Date;
  generatedAt: Date | null;
  reviewedAt: Date | null;
  /** The quality breakdown's one-line summary for the tooltip ("Turn count 10/10 · Length 9.1/10 · …"), null until scored. */
  qualitySummary: string | null;
  /** `lastError.code` of the last failure (e.g. "malformed_response"), null when none. */
  lastErrorCode: string | null;
  /** USD recorded for every attempt at generating it (conversations.cost_usd). */
  costUsd: number;
  /** The provider and model that generated it; null until generated. */
  provider: ProviderName | null;
  model: string | null;
}

export interface ConversationListPage {
  rows: ConversationListRow[];
  /** Conversations matching filter + search (the "of N" in "Showing 23 of N"). */
  total: number;
  page: number;
  perPage: number;
}

/**
 * How the total is computed: "subquery" = an uncorrelated `(select count(*) …)` beside the page
 * (one statement, the page can still use a top-N sort or an ordered index scan); "window" =
 * `count(*) over ()` (one statement, but every matching row is sorted before the limit).
 * bench/table.ts measures both; "subquery" is the default because it was faster there.
 */
export type ListCountMode = "subquery" | "window";

/** Sort keys on the conversations table itself, by whitelisted column id. */
const SORT_COLUMNS = {
  conversation_id: conversations.conversationId,
  tier: conversations.tier,
  status: conversations.status,
  quality_score: conversations.qualityScore,
  turn_count: conversations.turnCount,
  generated_at: conversations.generatedAt,
  created_at: conversations.createdAt,
  updated_at: conversations.updatedAt,
} satisfies Partial<Record<ConversationSortColumn, AnyPgColumn>>;

/** The same keys as fields of the page subquery. */
const PAGE_FIELDS = {
  conversation_id: "conversationId",
  tier: "tier",
  status: "status",
  quality_score: "qualityScore",
  turn_count: "turnCount",
  generated_at: "generatedAt",
  created_at: "createdAt",
  updated_at: "updatedAt",
} as const satisfies Record<keyof typeof SORT_COLUMNS, string>;

/** Taxonomy columns sort by display name, which needs their table joined before the limit. */
const NAME_SORT_TABLES: Partial<Record<ConversationSortColumn, { table: typeof personas | typeof emotionalArcs | typeof topics; key: AnyPgColumn }>> = {
  persona: { table: personas, key: conversations.persona },
  emotion: { table: emotionalArcs, key: conversations.emotion },
  topic: { table: topics, key: conversations.topic },
};

/** `%text%` for ILIKE with `\`, `%` and `_` in the text matched literally. */
function whereFor(workspaceId: string, filter: ConversationFilter, search: string | undefined): SQL | undefined {
  const conditions = conversationFilterConditions(workspaceId, filter);
  const searching = searchCondition(workspaceId, search);
  if (searching) conditions.push(searching);
  return conditions.length ? and(...conditions) : undefined;
}

export interface ListConversationsInput {
  db: DbOrTx;
  /** Only this workspace's conversations. */
  workspaceId: string;
  filter: ConversationFilter;
  search?: string;
  sort: ConversationSort;
  page: number;
  perPage: number;
  countMode?: ListCountMode;
}

/**
 * One page of the conversations table and the number of conversations matching.
 *
 * - `filter`: AND across dimensions, OR within one (ConversationFilter).
 * - `search`: see searchCondition (id, title, taxonomy names); "" or undefined = none.
 * - `sort`: a whitelisted column and direction; ties are broken by `id` in the same direction,
 *   so pages never overlap or skip rows. Unscored (quality null) and not generated (generated_at
 *   null) conversations sort last both ways.
 * - `page` (1-based) and `perPage` (rows, 25 / 50 / 100 in the UI; 1–500 accepted here).
 *
 * One statement returns the rows and the total; when the page is past the end (no rows) a count
 * is run on its own so the total is still right.
 * @throws RangeError when page or perPage is not a positive integer (callers pass parsed URL state).
 */
export async function listConversations(input: ListConversationsInput): Promise<ConversationListPage> {
  const { db, workspaceId, filter, search, page, perPage } = input;
  const result = await buildListQuery(input);
  let count: number;
  if (result.length) count = Number(result[0].total);
  else if (page === 1) count = 0;
  else count = await countConversations({ db, workspaceId, filter, search });
  const rows = result.map(({ total: _total, ...row }) => row);
  return { rows, total: count, page, perPage };
}

/**
 * The page query of listConversations, unexecuted (also used by explainListConversations).
 * The inner query filters, sorts and limits the conversations table alone (joining only the
 * taxonomy table a name sort needs); the display names are joined to the ≤ perPage rows after.
 */
function buildListQuery({ db, workspaceId, filter, search, sort, page, perPage, countMode = "subquery" }: ListConversationsInput) {
  if (!Number.isInteger(page) || page < 1) throw new RangeError(`page must be a positive integer, got ${page}`);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 500) throw new RangeError(`perPage must be 1–500, got ${perPage}`);
  const where = whereFor(workspaceId, filter, search);
  const total =
    countMode === "window"
      ? sql<number>`(count(*) over ())::int`.as("total")
      : sql<number>`(select count(*)::int from ${conversations} where ${where ?? sql`true`})`.as("total");
  const nameTable = NAME_SORT_TABLES[sort.column];
  const inner = db
    .select({
      id: conversations.id,
      conversationId: conversations.conversationId,
      title: conversations.title,
      persona: conversations.persona,
      emotion: conversations.emotion,
      topic: conversations.topic,
      intent: conversations.intent,
      tone: conversations.tone,
      outcome: conversations.outcome,
      tier: conversations.tier,
      status: conversations.status,
      qualityScore: conversations.qualityScore,
      turnCount: conversations.turnCount,
      isSeed: conversations.isSeed,
      sourceCategory: conversations.sourceCategory,
      createdAt: conversations.createdAt,
      updatedAt: conversations.updatedAt,
      generatedAt: conversations.generatedAt,
      reviewedAt: conversations.reviewedAt,
      qualitySummary: sql<string | null>`${conversations.qualityBreakdown} ->> 'summary'`.as("quality_summary"),
      lastErrorCode: sql<string | null>`${conversations.lastError} ->> 'code'`.as("last_error_code"),
      costUsd: conversations.costUsd,
      provider: conversations.provider,
      model: conversations.model,
      total,
    })
    .from(conversations);
  const innerJoined = nameTable ? inner.innerJoin(nameTable.table, and(eq(nameTable.table.workspaceId, conversations.workspaceId), eq(nameTable.table.key, nameTable.key))) : inner;
  const pageRows = innerJoined
    .where(where)
    .orderBy(...orderBy(sort, nameTable ? nameTable.table.name : SORT_COLUMNS[sort.column as keyof typeof SORT_COLUMNS], conversations.qualityScore, conversations.id))
    .limit(perPage)
    .offset((page - 1) * perPage)
    .as("page_rows");

  const outerKey =
    sort.column === "persona"
      ? personas.name
      : sort.column === "emotion"
        ? emotionalArcs.name
        : sort.column === "topic"
          ? topics.name
          : pageRows[PAGE_FIELDS[sort.column as keyof typeof PAGE_FIELDS]];
  return db
    .select({
      id: pageRows.id,
      conversationId: pageRows.conversationId,
      title: pageRows.title,
      persona: pageRows.persona,
      personaName: personas.name,
      emotion: pageRows.emotion,
      emotionName: emotionalArcs.name,
      topic: pageRows.topic,
      topicName: topics.name,
      intent: pageRows.intent,
      intentName: intents.name,
      tone: pageRows.tone,
      toneName: tones.name,
      outcome: pageRows.outcome,
      outcomeName: outcomes.name,
      tier: pageRows.tier,
      status: pageRows.status,
      qualityScore: pageRows.qualityScore,
      turnCount: pageRows.turnCount,
      isSeed: pageRows.isSeed,
      sourceCategory: pageRows.sourceCategory,
      createdAt: pageRows.createdAt,
      updatedAt: pageRows.updatedAt,
      generatedAt: pageRows.generatedAt,
      reviewedAt: pageRows.reviewedAt,
      qualitySummary: pageRows.qualitySummary,
      lastErrorCode: pageRows.lastErrorCode,
      costUsd: pageRows.costUsd,
      provider: pageRows.provider,
      model: pageRows.model,
      total: pageRows.total,
    })
    .from(pageRows)
    .innerJoin(personas, and(eq(personas.workspaceId, workspaceId), eq(personas.key, pageRows.persona)))
    .innerJoin(emotionalArcs, and(eq(emotionalArcs.workspaceId, workspaceId), eq(emotionalArcs.key, pageRows.emotion)))
    .innerJoin(topics, and(eq(topics.workspaceId, workspaceId), eq(topics.key, pageRows.topic)))
    .innerJoin(intents, and(eq(intents.workspaceId, workspaceId), eq(intents.key, pageRows.intent)))
    .innerJoin(tones, and(eq(tones.workspaceId, workspaceId), eq(tones.key, pageRows.tone)))
    .leftJoin(outcomes, and(eq(outcomes.workspaceId, workspaceId), eq(outcomes.key, pageRows.outcome)))
    .orderBy(...orderBy(sort, outerKey, pageRows.qualityScore, pageRows.id));
}

/** ORDER BY for a sort: the key (quality: nulls last both ways), then id in the same direction. */
function orderBy(sort: ConversationSort, key: SQLWrapper, quality: SQLWrapper, id: SQLWrapper): SQL[] {
  const dir = sql.raw(sort.direction);
  // `nulls last` on id (never null) matches the index conversations_status_quality_desc_id_idx.
  if (sort.column === "quality_score") return [sql`${quality} ${dir} nulls last`, sql`${id} ${dir} nulls last`];
  // Not generated yet (null) sorts last both ways, like an unscored quality.
  if (sort.column === "generated_at") return [sql`${key} ${dir} nulls last`, sql`${id} ${dir} nulls last`];
  return [sql`${key} ${dir}`, sql`${id} ${dir} nulls last`];
}

/**
 * The query plan of listConversations for the same input (`EXPLAIN (ANALYZE, BUFFERS)`; the query
 * is executed), one line per element: shows which indexes the table's query uses (US12.2.1).
 */
export async function explainListConversations(input: ListConversationsInput): Promise<string[]> {
  const result = await input.db.execute(sql`explain (analyze, buffers) ${buildListQuery(input)}`);
  const rows = (result as unknown as { rows: Array<Record<string, string>> }).rows;
  return rows.map((row) => Object.values(row)[0]);
}

/** The number of conversations matching a filter and search (same rules as listConversations). */
export async function countConversations({
  db,
  workspaceId,
  filter,
  search,
}: {
  db: DbOrTx;
  workspaceId: string;
  filter: ConversationFilter;
  search?: string;
}): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(conversations)
    .where(whereFor(workspaceId, filter, search));
  return Number(row?.count ?? 0);
}

/** Dimensions the filter UI shows counts for. `quality` is banded as in US3.1.2. */
/** Conversations per status in the workspace's whole dataset (every status present, 0 when none). One scan. */
export async function countConversationsByStatus({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<Record<ConversationStatus, number>> {
  const rows = await db
    .select({ status: conversations.status, count: sql<number>`count(*)::int` })
    .from(conversations)
    .where(eq(conversations.workspaceId, workspaceId))
    .groupBy(conversations.status);
  const counts = Object.fromEntries(CONVERSATION_STATUSES.map((s) => [s, 0])) as Record<ConversationStatus, number>;
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}

export const FACET_DIMENSIONS = ["persona", "emotion", "topic", "intent", "tone", "outcome", "tier", "status", "sourceCategory", "document", "quality"] as const;
export type FacetDimension = (typeof FACET_DIMENSIONS)[number];

/** Quality bands (US3.1.2): high 8–10, medium 6 to under 8, low under 6, unscored (null). */
export const QUALITY_BANDS = ["high", "medium", "low", "unscored"] as const;
export type QualityBand = (typeof QUALITY_BANDS)[number];

/**
 * value → number of conversations, per dimension. Values with no conversation are absent.
 * `chunkDimension`: dimension name → value (as text: "advanced", "true") → conversations planned
 * from a chunk with that value; only dimensions whose values are strings or flags (numbers such as
 * word_count are not facets), and at most MAX_CHUNK_DIMENSION_VALUES values a dimension.
 */
export type ConversationFacetCounts = Record<FacetDimension, Record<string, number>> & { chunkDimension: Record<string, Record<string, number>> };

const FACET_FIELDS: Record<Exclude<FacetDimension, "quality">, { column: AnyPgColumn; drop: Array<keyof ConversationFilter> }> = {
  persona: { column: conversations.persona, drop: ["persona"] },
  emotion: { column: conversations.emotion, drop: ["emotion"] },
  topic: { column: conversations.topic, drop: ["topic"] },
  intent: { column: conversations.intent, drop: ["intent"] },
  tone: { column: conversations.tone, drop: ["tone"] },
  outcome: { column: conversations.outcome, drop: ["outcome"] },
  tier: { column: conversations.tier, drop: ["tier"] },
  status: { column: conversations.status, drop: ["status"] },
  sourceCategory: { column: conversations.sourceCategory, drop: ["sourceCategory"] },
  // Counted by document id, reported by document key (the filter's values): see countConversationFacets.
  document: { column: conversations.documentId, drop: ["document"] },
};

function without(filter: ConversationFilter, keys: Array<keyof ConversationFilter>): ConversationFilter {
  const copy = { ...filter };
  for (const key of keys) delete copy[key];
  return copy;
}

/**
 * Value counts per dimension for the filter UI (faceted search): each dimension is counted under
 * every other active filter and the search, but not its own, so the counts show what ticking one
 * more value of that dimension would add (OR within a dimension). Null source categories, documents and outcomes are
 * counted under "".
 *
 * One statement (and, when conversations have documents, one lookup of the documents' keys). The dimensions the active filter does not touch share the same WHERE, so they
 * are counted in a single scan with GROUPING SETS; each filtered dimension gets its own GROUP BY
 * (UNION ALL). With no filter that is one scan of the table instead of nine (bench:table --render).
 *
 * Chunk dimensions ride on the same scan: one more grouping set counts conversations per chunk id,
 * and those (at most one row per chunk) are spread over each chunk's string and flag dimensions.
 * A chunk dimension the filter names gets its own GROUP BY under the filter without that name.
 */
export async function countConversationFacets({
  db,
  workspaceId,
  filter,
  search,
}: {
  db: DbOrTx;
  workspaceId: string;
  filter: ConversationFilter;
  search?: string;
}): Promise<ConversationFacetCounts> {
  const band = sql`case when ${conversations.qualityScore} is null then 'unscored' when ${conversations.qualityScore} >= 8 then 'high' when ${conversations.qualityScore} >= 6 then 'medium' else 'low' end`;
  // Grouping expressions hold no bound parameters, so GROUPING(expr) matches its grouping set.
  // "chunk" is not a facet itself: conversations per chunk id, spread over the chunks' dimensions below.
  const dimensions: Array<{ dimension: FacetDimension | "chunk"; value: SQL; drop: Array<keyof ConversationFilter> }> = [
    ...Object.entries(FACET_FIELDS).map(([dimension, { column, drop }]) => ({
      dimension: dimension as FacetDimension,
      value: dimension === "sourceCategory" || dimension === "document" || dimension === "outcome" ? sql`coalesce(${column}::text, '')` : sql`${column}`,
      drop,
    })),
    { dimension: "quality", value: band, drop: ["minQuality", "maxQuality"] },
    { dimension: "chunk", value: sql`${conversations.chunkId}`, drop: [] },
  ];
  const isActive = (key: keyof ConversationFilter) => {
    const value = filter[key];
    return value !== undefined && !(Array.isArray(value) && value.length === 0);
  };
  const shared = dimensions.filter((d) => !d.drop.some(isActive));
  const own = dimensions.filter((d) => d.drop.some(isActive));

  const chunkFilter = activeChunkDimensions(filter.chunkDimension);
  const chunkNames = Object.keys(chunkFilter);
  // Dimension values a filter can name: strings and flags (`->>` gives "true" / "false").
  const categorical = (value: SQL) => sql`jsonb_typeof(${value}) in ('string', 'boolean')`;

  // `shared` (always present: "chunk" has no filter of its own) is a CTE, read for the plain facets and for the chunk dimensions.
  let sharedCte: SQL | undefined;
  const parts: SQL[] = [];
  if (shared.length) {
    const where = whereFor(workspaceId, filter, search) ?? sql`true`;
    const dimension = sql.join(
      shared.map((d) => sql`when grouping(${d.value}) = 0 then ${sql.raw(`'${d.dimension}'`)}`),
      sql` `,
    );
    const value = sql.join(
      shared.map((d) => sql`when grouping(${d.value}) = 0 then (${d.value})::text`),
      sql` `,
    );
    const sets = sql.join(
      shared.map((d) => sql`(${d.value})`),
      sql`, `,
    );
    sharedCte = sql`with shared as (select case ${dimension} end as dimension, case ${value} end as value, count(*)::int as count from ${conversations} where ${where} group by grouping sets (${sets}))`;
    parts.push(sql`(select dimension, value, count from shared where dimension <> 'chunk')`);
    const skipNames = chunkNames.length ? sql` and not (d.key in (select jsonb_array_elements_text(${JSON.stringify(chunkNames)}::jsonb)))` : sql``;
    parts.push(
      sql`(select 'chunk:' || d.key as dimension, d.value #>> '{}' as value, sum(s.count)::int as count from shared s join ${chunks} ch on ch.id::text = s.value cross join lateral jsonb_each(ch.dimensions) d where s.dimension = 'chunk' and ${categorical(sql`d.value`)}${skipNames} group by 1, 2)`,
    );
  }
  for (const d of own) {
    const where = whereFor(workspaceId, without(filter, d.drop), search) ?? sql`true`;
    parts.push(sql`(select ${d.dimension}::text as dimension, (${d.value})::text as value, count(*)::int as count from ${conversations} where ${where} group by 2)`);
  }
  for (const name of chunkNames) {
    const others = { ...chunkFilter };
    delete others[name];
    const where = whereFor(workspaceId, { ...filter, chunkDimension: others }, search) ?? sql`true`;
    parts.push(
      sql`(select ${`chunk:${name}`}::text as dimension, ch.dimensions ->> ${name}::text as value, count(*)::int as count from ${conversations} join ${chunks} ch on ch.id = ${conversations.chunkId} where ${where} and ${categorical(sql`ch.dimensions -> ${name}::text`)} group by 2)`,
    );
  }

  const union = sql.join(parts, sql` union all `);
  const result = await db.execute(sharedCte ? sql`${sharedCte} ${union}` : union);
  const rows = (result as unknown as { rows: Array<{ dimension: string; value: string; count: number | string }> }).rows;
  const counts = { ...Object.fromEntries(FACET_DIMENSIONS.map((d) => [d, {} as Record<string, number>])), chunkDimension: {} } as ConversationFacetCounts;
  for (const row of rows) {
    if (row.dimension.startsWith("chunk:")) (counts.chunkDimension[row.dimension.slice("chunk:".length)] ??= {})[row.value] = Number(row.count);
    else counts[row.dimension as FacetDimension][row.value] = Number(row.count);
  }
  for (const [name, values] of Object.entries(counts.chunkDimension)) {
    if (Object.keys(values).length > MAX_CHUNK_DIMENSION_VALUES && !chunkNames.includes(name)) delete counts.chunkDimension[name];
  }
  // Document ids → keys (conversations without a document are counted under "").
  if (Object.keys(counts.document).some((id) => id !== "")) {
    const keyOf = new Map((await db.select({ id: documents.id, key: documents.key }).from(documents).where(eq(documents.workspaceId, workspaceId))).map((d) => [d.id, d.key]));
    counts.document = Object.fromEntries(Object.entries(counts.document).map(([id, n]) => [id === "" ? "" : (keyOf.get(id) ?? id), n]));
  }
  return counts;
}

/** What an action needs to know about each conversation it targets. */
export interface ConversationTargetRef {
  id: string;
  conversationId: string;
  status: ConversationStatus;
  tier: Tier;
  isSeed: boolean;
  qualityScore: number | null;
  reviewerId: string | null;
  reviewerNotes: string | null;
  reviewedAt: Date | null;
}

/** `column in (…)` for a list of any length, passed as one JSON parameter (no 65,535-parameter limit). */
function textIn(column: AnyPgColumn, values: string[]): SQL {
  return sql`${column} in (select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;
}

/**
 * The conversations a dashboard action targets, ordered by human id:
 * - `{ ids }`: those human ids (unknown ones are simply absent);
 * - `{ filter, search, exceptIds }`: every conversation matching filter + search (same rules as
 *   listConversations), minus the human ids in `exceptIds` ("select all N", then untick some).
 * Any number of ids (they travel as one JSON parameter).
 */
export async function listConversationTargetRefs({
  db,
  workspaceId,
  target,
}: {
  db: DbOrTx;
  workspaceId: string;
  target: { ids: string[] } | { filter: ConversationFilter; search?: string; exceptIds?: string[] };
}): Promise<ConversationTargetRef[]> {
  let where: SQL | undefined;
  if ("ids" in target) {
    if (!target.ids.length) return [];
    where = and(eq(conversations.workspaceId, workspaceId), textIn(conversations.conversationId, target.ids));
  } else {
    const conditions = [whereFor(workspaceId, target.filter, target.search) ?? sql`true`];
    if (target.exceptIds?.length) conditions.push(sql`not (${textIn(conversations.conversationId, target.exceptIds)})`);
    where = and(...conditions);
  }
  return db
    .select({
      id: conversations.id,
      conversationId: conversations.conversationId,
      status: conversations.status,
      tier: conversations.tier,
      isSeed: conversations.isSeed,
      qualityScore: conversations.qualityScore,
      reviewerId: conversations.reviewerId,
      reviewerNotes: conversations.reviewerNotes,
      reviewedAt: conversations.reviewedAt,
    })
    .from(conversations)
    .where(where)
    .orderBy(conversations.conversationId);
}
