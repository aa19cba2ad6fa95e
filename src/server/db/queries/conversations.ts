import "server-only";
/** Conversations and their turns: plan slots, generation state, review, export reads. */
import { and, asc, eq, gte, ilike, inArray, lte, or, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn, SelectedFields } from "drizzle-orm/pg-core";
import type { ConversationStatus, ReviewAction, Tier } from "../../../lib/constants";
import type { ConversationFilter } from "../../../lib/conversation-filter";
import { AppError } from "../../../core/errors";
import type { Turn } from "../../../core/types";
import type { DbOrTx } from "../client";
import {
  chunks,
  conversations,
  conversationTurns,
  documents,
  edgeCaseCategories,
  emotionalArcs,
  intents,
  outcomes,
  personas,
  reviewLogs,
  scenarios,
  tones,
  topics,
  workspaces,
  type ConversationRow,
  type NewConversationRow,
  type PreviousReview,
} from "../schema";

/**
 * SQL conditions for a filter (AND across dimensions, OR within one), always inside one workspace:
 * the first condition is the workspace, so no caller can read across businesses by forgetting it.
 */
export function conversationFilterConditions(workspaceId: string, filter: ConversationFilter): SQL[] {
  const conditions: SQL[] = [eq(conversations.workspaceId, workspaceId)];
  if (filter.ids?.length) conditions.push(inArray(conversations.conversationId, filter.ids));
  if (filter.status?.length) conditions.push(inArray(conversations.status, filter.status));
  if (filter.tier?.length) conditions.push(inArray(conversations.tier, filter.tier));
  if (filter.persona?.length) conditions.push(inArray(conversations.persona, filter.persona));
  if (filter.emotion?.length) conditions.push(inArray(conversations.emotion, filter.emotion));
  if (filter.topic?.length) conditions.push(inArray(conversations.topic, filter.topic));
  if (filter.intent?.length) conditions.push(inArray(conversations.intent, filter.intent));
  if (filter.tone?.length) conditions.push(inArray(conversations.tone, filter.tone));
  if (filter.outcome?.length) conditions.push(inArray(conversations.outcome, filter.outcome));
  if (filter.sourceCategory?.length) conditions.push(inArray(conversations.sourceCategory, filter.sourceCategory));
  if (filter.document?.length) conditions.push(sql`${conversations.documentId} in (select ${documents.id} from ${documents} where ${documents.workspaceId} = ${workspaceId} and ${inArray(documents.key, filter.document)})`);
  const chunkCondition = chunkDimensionCondition(filter.chunkDimension);
  if (chunkCondition) conditions.push(chunkCondition);
  if (filter.minQuality !== undefined) conditions.push(gte(conversations.qualityScore, filter.minQuality));
  if (filter.maxQuality !== undefined) conditions.push(lte(conversations.qualityScore, filter.maxQuality));
  if (filter.isSeed !== undefined) conditions.push(eq(conversations.isSeed, filter.isSeed));
  if (filter.belowBar) conditions.push(belowApprovalBarCondition(workspaceId));
  if (filter.metadata && Object.keys(filter.metadata).length) {
    conditions.push(sql`${conversations.metadata} @> ${JSON.stringify(filter.metadata)}::jsonb`);
  }
  return conditions;
}

/**
 * Conversations scoring below their tier's approval bar: the workspace's edge-case bar for edge
 * cases, its minimum approval score otherwise (tier rules, src/core/review/review-rules.ts —
 * isBelowApprovalBar is the same rule for one conversation). Unscored conversations never match.
 * Each bar is read once per query (uncorrelated subqueries).
 */
function belowApprovalBarCondition(workspaceId: string): SQL {
  return sql`${conversations.qualityScore} < case when ${conversations.tier} = 'edge_case'
    then (select ${workspaces.edgeCaseMinScore} from ${workspaces} where ${workspaces.id} = ${workspaceId})
    else (select ${workspaces.minApprovalScore} from ${workspaces} where ${workspaces.id} = ${workspaceId}) end`;
}

/**
 * `conversations.chunk_id in (select id from chunks where …)` for a chunk-dimension filter: per
 * dimension name with values, `(dimensions ->> name) in (values)` (text comparison; AND across
 * names, OR within one). Undefined when no name has a value. Conversations without a chunk never match.
 * The subquery reads the chunks table once (small next to conversations) and becomes a hash semi-join.
 */
export function chunkDimensionCondition(chunkDimension: Record<string, string[]> | undefined): SQL | undefined {
  const tests = Object.entries(chunkDimension ?? {})
    .filter(([, values]) => values.length > 0)
    .map(([name, values]) => sql`(${chunks.dimensions} ->> ${name}::text) in (select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`);
  if (!tests.length) return undefined;
  return sql`${conversations.chunkId} in (select ${chunks.id} from ${chunks} where ${and(...tests)})`;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The search condition: case-insensitive substring of conversation id, title, or the display name
 * of the persona, emotional arc, topic, intent or tone. Names are matched in the (small) taxonomy
 * tables and turned into key lists, so the conversations table itself needs no join to be searched.
 * Not index-assisted (leading-wildcard ILIKE); see docs/benchmarks.md.
 */
export function searchCondition(workspaceId: string, search: string | undefined): SQL | undefined {
  const text = search?.trim();
  if (!text) return undefined;
  const pattern = likePattern(text);
  const keysNamed = (table: typeof personas | typeof emotionalArcs | typeof topics | typeof intents | typeof tones) =>
    sql`(select ${table.key} from ${table} where ${table.workspaceId} = ${workspaceId} and ${table.name} ilike ${pattern})`;
  return or(
    ilike(conversations.conversationId, pattern),
    ilike(conversations.title, pattern),
    sql`${conversations.persona} in ${keysNamed(personas)}`,
    sql`${conversations.emotion} in ${keysNamed(emotionalArcs)}`,
    sql`${conversations.topic} in ${keysNamed(topics)}`,
    sql`${conversations.intent} in ${keysNamed(intents)}`,
    sql`${conversations.tone} in ${keysNamed(tones)}`,
  );
}

/**
 * `select { conversation, personaName, emotionName, topicName, intentName, toneName, ...extra }
 * from conversations` inner-joined to the conversation's persona, emotional arc, topic, intent and
 * tone (display names). The caller adds further joins, the where clause and the order.
 */
export function selectConversationsWithTaxonomyNames<TExtra extends SelectedFields>({ db, extra }: { db: DbOrTx; extra: TExtra }) {
  return db
    .select({
      conversation: conversations,
      personaName: personas.name,
      emotionName: emotionalArcs.name,
      topicName: topics.name,
      intentName: intents.name,
      toneName: tones.name,
      ...extra,
    })
    .from(conversations)
    .innerJoin(personas, taxonomyJoin(personas, conversations.persona))
    .innerJoin(emotionalArcs, taxonomyJoin(emotionalArcs, conversations.emotion))
    .innerJoin(topics, taxonomyJoin(topics, conversations.topic))
    .innerJoin(intents, taxonomyJoin(intents, conversations.intent))
    .innerJoin(tones, taxonomyJoin(tones, conversations.tone));
}

/** The join of a conversation to the taxonomy entry its column names: same workspace, same key. */
export function taxonomyJoin(
  table: typeof personas | typeof emotionalArcs | typeof topics | typeof intents | typeof tones | typeof edgeCaseCategories | typeof outcomes,
  column: AnyPgColumn,
): SQL {
  return and(eq(table.workspaceId, conversations.workspaceId), eq(table.key, column))!;
}

/** Inserts conversations, skipping any whose conversation_id exists in their workspace. Returns how many were new. */
export async function insertConversations({ db, values }: { db: DbOrTx; values: NewConversationRow[] }): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < values.length; i += 200) {
    const rows = await db
      .insert(conversations)
      .values(values.slice(i, i + 200))
      .onConflictDoNothing({ target: [conversations.workspaceId, conversations.conversationId] })
      .returning({ id: conversations.id });
    inserted += rows.length;
  }
  return inserted;
}

/** Writes a conversation's turns (numbered from 1), replacing any it had. */
export async function replaceConversationTurns({ db, conversationId, turns }: { db: DbOrTx; conversationId: string; turns: Turn[] }): Promise<void> {
  await db.delete(conversationTurns).where(eq(conversationTurns.conversationId, conversationId));
  if (turns.length) {
    await db
      .insert(conversationTurns)
      .values(turns.map((t, i) => ({ conversationId, turnNumber: i + 1, role: t.role, content: t.content })));
  }
}

/** The workspace's plan slots already present: the highest slot number per tier and the total. */
export async function listPlannedSlots({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<Array<{ tier: Tier; planSlot: number }>> {
  const rows = await db
    .select({ tier: conversations.tier, planSlot: conversations.planSlot })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), sql`${conversations.planSlot} is not null`));
  return rows.map((r) => ({ tier: r.tier, planSlot: r.planSlot as number }));
}

/** Conversations (id, human id, status, tier, seed flag) matching a filter, in plan order. */
export async function listConversationRefs({
  db,
  workspaceId,
  filter,
}: {
  db: DbOrTx;
  workspaceId: string;
  filter: ConversationFilter;
}): Promise<Array<Pick<ConversationRow, "id" | "conversationId" | "status" | "tier" | "isSeed" | "qualityScore" | "reviewerId" | "reviewerNotes" | "reviewedAt">>> {
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
    .where(and(...conversationFilterConditions(workspaceId, filter)))
    .orderBy(asc(conversations.isSeed), asc(conversations.planSlot), asc(conversations.conversationId));
}

/** Everything generation needs for one conversation, joined. Null when the id is unknown. */
export async function getGenerationInputsById({ db, id }: { db: DbOrTx; id: string }) {
  const rows = await db
    .select({
      conversation: conversations,
      persona: personas,
      arc: emotionalArcs,
      topic: topics,
      intent: intents,
      tone: tones,
      chunk: chunks,
      document: documents,
      scenario: scenarios,
      edgeCase: edgeCaseCategories,
      outcome: outcomes,
    })
    .from(conversations)
    .innerJoin(personas, taxonomyJoin(personas, conversations.persona))
    .innerJoin(emotionalArcs, taxonomyJoin(emotionalArcs, conversations.emotion))
    .innerJoin(topics, taxonomyJoin(topics, conversations.topic))
    .innerJoin(intents, taxonomyJoin(intents, conversations.intent))
    .innerJoin(tones, taxonomyJoin(tones, conversations.tone))
    .leftJoin(chunks, eq(chunks.id, conversations.chunkId))
    .leftJoin(documents, eq(documents.id, chunks.documentId))
    .leftJoin(scenarios, eq(scenarios.id, conversations.scenarioId))
    .leftJoin(edgeCaseCategories, taxonomyJoin(edgeCaseCategories, conversations.edgeCaseCategory))
    .leftJoin(outcomes, taxonomyJoin(outcomes, conversations.outcome))
    .where(eq(conversations.id, id));
  return rows[0] ?? null;
}

/**
 * `(select uuid …)`: a set of uuids passed as ONE parameter (a JSON array), so a selection of
 * 100,000 conversations stays one statement under PostgreSQL's 65,535-parameter limit.
 */
export function uuidSetFromJson(ids: readonly string[]): SQL {
  return sql`(select (jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))::uuid)`;
}

/** What choosing and sizing one conversation for the run estimate needs (see listGenerationSizingByFilter). */
export interface GenerationSizingRow {
  /** conversations.id (uuid). */
  id: string;
  /** Human id ("tmpl-001"). */
  conversationId: string;
  status: ConversationStatus;
  isSeed: boolean;
  /** The row's `updated_at` as seconds since the epoch ("1763719200.123456", a float8 fine enough to tell every microsecond apart): changes whenever the row does. */
  version: string;
  /**
   * The keys its prompt is rendered from, packed (read them with readSizingKey): conversations
   * with equal `sizing` and `systemPrompt` get the same prompt, so the string is also the key of
   * a render cache.
   */
  sizing: string;
  /**
   * The conversation's own training system prompt, or null when it is empty or the same as the
   * workspace's (then the workspace's applies, exactly as buildGenerationContext decides), so
   * the one prompt copied onto every planned conversation is not read 100,000 times.
   */
  systemPrompt: string | null;
}

/** The keys a conversation's prompt is rendered from (a GenerationSizingRow's `sizing`, read). */
export interface GenerationSizingKey {
  tier: Tier;
  templateId: string | null;
  persona: string;
  emotion: string;
  topic: string;
  intent: string;
  tone: string;
  chunkId: string | null;
  scenarioId: string | null;
  edgeCaseCategory: string | null;
  outcome: string | null;
}

/**
 * Separates packed fields: U+001F (unit separator), which uuids, statuses, numbers and keys
 * (lower-case letters, digits, "-" and "_"; src/core/import/schemas.ts) never hold.
 */
const PACKED_SEPARATOR = "\u001f";
/** Separates a packed row from the conversation's own system prompt (any text) that may follow it: U+001E. */
const PACKED_PROMPT_SEPARATOR = "\u001e";
/** Fields before the sizing keys in a packed row: id, conversation id, status, seed flag, version. */
const PACKED_HEAD_FIELDS = 5;
const SIZING_KEY_FIELDS = 11;

/**
 * The run estimate's one read of the conversations (issue 8, item 7): for every conversation
 * matching `filter`, in plan order (as listConversationRefs), what the selection rule looks at
 * (status, seed flag), what the estimate cache keys on (`version`), and the keys of everything its
 * prompt is rendered from — template, tier, taxonomy keys, chunk, scenario, edge case — plus its
 * own system prompt when it differs from the workspace's. The rows those keys name are loaded once
 * by the caller (listTaxonomy, listChunksWithDocumentByIds, listScenariosByIds,
 * listTemplatesWithCurrentVersion).
 *
 * Each row comes back packed into one text value (U+001F between fields, "" for null; U+001E and
 * the system prompt at the end when there is one), read without Drizzle's row mapping: the
 * embedded database decodes every value of a result on its own and both drivers build one string
 * per value, so for 100,000 conversations 16 columns took 3–4× as long as one, and the objects
 * and garbage collection behind each value most of the rest (bench/estimate.ts).
 * @throws AppError "estimate_keys_unreadable" when a packed row does not have its fields (a key
 *   holding U+001F), and database errors.
 */
export async function listGenerationSizingByFilter({
  db,
  workspaceId,
  filter,
}: {
  db: DbOrTx;
  workspaceId: string;
  filter: ConversationFilter;
}): Promise<GenerationSizingRow[]> {
  const where = and(...conversationFilterConditions(workspaceId, filter)) ?? sql`true`;
  // One text value per row: the packed fields, then — only when the conversation has a system
  // prompt of its own — U+001E and that prompt (concat_ws leaves a null out).
  const result = await db.execute(sql`
    select concat_ws(chr(30),
             concat_ws(chr(31), ${conversations.id}, ${conversations.conversationId}, ${conversations.status},
               case when ${conversations.isSeed} then '1' else '0' end, date_part('epoch', ${conversations.updatedAt}), ${conversations.tier},
               coalesce(${conversations.templateId}::text, ''), ${conversations.persona}, ${conversations.emotion}, ${conversations.topic},
               ${conversations.intent}, ${conversations.tone}, coalesce(${conversations.chunkId}::text, ''), coalesce(${conversations.scenarioId}::text, ''),
               coalesce(${conversations.edgeCaseCategory}, ''), coalesce(${conversations.outcome}, '')),
             nullif(nullif(${conversations.systemPrompt}, ''), (select ${workspaces.trainingSystemPrompt} from ${workspaces} where ${workspaces.id} = ${workspaceId}))) as packed
      from ${conversations}
     where ${where}
     order by ${conversations.isSeed}, ${conversations.planSlot}, ${conversations.conversationId}`);
  const rows = (result as unknown as { rows: Array<{ packed: string }> }).rows;
  return rows.map(({ packed: whole }) => {
    const promptAt = whole.indexOf(PACKED_PROMPT_SEPARATOR);
    const packed = promptAt < 0 ? whole : whole.slice(0, promptAt);
    const ends: number[] = [];
    let at = -1;
    for (let field = 0; field < PACKED_HEAD_FIELDS; field++) {
      at = packed.indexOf(PACKED_SEPARATOR, at + 1);
      if (at < 0) throw unreadableKeys(packed);
      ends.push(at);
    }
    return {
      id: packed.slice(0, ends[0]),
      conversationId: packed.slice(ends[0] + 1, ends[1]),
      status: packed.slice(ends[1] + 1, ends[2]) as ConversationStatus,
      isSeed: packed.slice(ends[2] + 1, ends[3]) === "1",
      version: packed.slice(ends[3] + 1, ends[4]),
      sizing: packed.slice(ends[4] + 1),
      systemPrompt: promptAt < 0 ? null : whole.slice(promptAt + 1),
    };
  });
}

/** A packed row that does not split into its fields: a key holding U+001E or U+001F (the importer's key rule forbids it). */
function unreadableKeys(packed: string): AppError {
  return new AppError(
    "estimate_keys_unreadable",
    "A conversation's taxonomy keys could not be read for the estimate: a key holds a control character. Keys are lower-case letters, digits, \"-\" and \"_\"; fix the key in the taxonomy and import it again.",
    { detail: { packed: packed.slice(0, 300) } },
  );
}

/**
 * Reads the packed `sizing` of a GenerationSizingRow into its keys ("" fields are null).
 * @throws AppError "estimate_keys_unreadable" when it does not have its 11 fields.
 */
export function readSizingKey(sizing: string): GenerationSizingKey {
  const f = sizing.split(PACKED_SEPARATOR);
  if (f.length !== SIZING_KEY_FIELDS) throw unreadableKeys(sizing);
  return {
    tier: f[0] as Tier,
    templateId: f[1] || null,
    persona: f[2],
    emotion: f[3],
    topic: f[4],
    intent: f[5],
    tone: f[6],
    chunkId: f[7] || null,
    scenarioId: f[8] || null,
    edgeCaseCategory: f[9] || null,
    outcome: f[10] || null,
  };
}

export interface GeneratedConversationValues {
  turns: Turn[];
  qualityScore: number;
  qualityBreakdown: Record<string, unknown>;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  provider: ConversationRow["provider"];
  model: string;
  templateVersion: number | null;
  /** The judge's overall score and verdict (StoredJudgeResult) when the run judged it; absent = not judged (any earlier verdict is cleared). */
  judgeScore?: number | null;
  judgeBreakdown?: Record<string, unknown> | null;
}

/**
 * Stores a judge's verdict (or its failure) on a conversation, beside its structural score; the
 * turns, status and generation usage are not touched (the judge's usage is on its log rows and run).
 * @param judgeScore the overall judge score (1–10), null when the judge failed
 * @param judgeBreakdown a StoredJudgeResult (src/core/quality/judge/rubric.ts)
 */
export async function saveConversationJudgeResult({
  db,
  id,
  judgeScore,
  judgeBreakdown,
}: {
  db: DbOrTx;
  id: string;
  judgeScore: number | null;
  judgeBreakdown: Record<string, unknown>;
}): Promise<void> {
  await db.update(conversations).set({ judgeScore, judgeBreakdown, updatedAt: sql`now()` }).where(eq(conversations.id, id));
}

/** Stores a successful generation: turns, status `generated`, score, usage. Run inside a transaction. */
export async function saveGeneratedConversation({ db, id, values }: { db: DbOrTx; id: string; values: GeneratedConversationValues }): Promise<void> {
  await replaceConversationTurns({ db, conversationId: id, turns: values.turns });
  await db
    .update(conversations)
    .set({
      status: "generated",
      turnCount: values.turns.length,
      qualityScore: values.qualityScore,
      qualityBreakdown: values.qualityBreakdown,
      judgeScore: values.judgeScore ?? null,
      judgeBreakdown: values.judgeBreakdown ?? null,
      inputTokens: sql`${conversations.inputTokens} + ${values.inputTokens}`,
      outputTokens: sql`${conversations.outputTokens} + ${values.outputTokens}`,
      costUsd: sql`${conversations.costUsd} + ${values.costUsd}`,
      provider: values.provider,
      model: values.model,
      templateVersion: values.templateVersion,
      lastError: null,
      rawReply: null,
      generatedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(eq(conversations.id, id));
}

/** Marks a conversation failed, keeping the error and the raw reply (if any). Usage of the failed call is still counted. */
export async function markConversationFailed({
  db,
  id,
  error,
  rawReply,
  usage,
}: {
  db: DbOrTx;
  id: string;
  error: NonNullable<ConversationRow["lastError"]>;
  rawReply: string | null;
  usage: { inputTokens: number; outputTokens: number; costUsd: number; provider: ConversationRow["provider"]; model: string };
}): Promise<void> {
  await db
    .update(conversations)
    .set({
      status: "failed",
      lastError: error,
      rawReply,
      inputTokens: sql`${conversations.inputTokens} + ${usage.inputTokens}`,
      outputTokens: sql`${conversations.outputTokens} + ${usage.outputTokens}`,
      costUsd: sql`${conversations.costUsd} + ${usage.costUsd}`,
      provider: usage.provider,
      model: usage.model,
      updatedAt: sql`now()`,
    })
    .where(eq(conversations.id, id));
}

export interface ConversationTotals {
  total: number;
  byStatus: Record<ConversationStatus, number>;
  byTier: Record<Tier, number>;
  seeds: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  averageQuality: number | null;
}

/** The workspace's counts by status and tier, token and cost sums, average quality of scored conversations. */
export async function getConversationTotals({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<ConversationTotals> {
  const grouped = await db
    .select({
      status: conversations.status,
      tier: conversations.tier,
      count: sql<number>`count(*)::int`,
      seeds: sql<number>`count(*) filter (where ${conversations.isSeed})::int`,
      inputTokens: sql<number>`coalesce(sum(${conversations.inputTokens}), 0)::bigint`,
      outputTokens: sql<number>`coalesce(sum(${conversations.outputTokens}), 0)::bigint`,
      costUsd: sql<string>`coalesce(sum(${conversations.costUsd}), 0)`,
      qualitySum: sql<number>`coalesce(sum(${conversations.qualityScore}), 0)::float8`,
      qualityCount: sql<number>`count(${conversations.qualityScore})::int`,
    })
    .from(conversations)
    .where(eq(conversations.workspaceId, workspaceId))
    .groupBy(conversations.status, conversations.tier);
  const totals: ConversationTotals = {
    total: 0,
    byStatus: { not_generated: 0, generating: 0, generated: 0, approved: 0, rejected: 0, failed: 0 },
    byTier: { template: 0, scenario: 0, edge_case: 0 },
    seeds: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    averageQuality: null,
  };
  let qualitySum = 0;
  let qualityCount = 0;
  for (const row of grouped) {
    totals.total += row.count;
    totals.byStatus[row.status] += row.count;
    totals.byTier[row.tier] += row.count;
    totals.seeds += row.seeds;
    totals.inputTokens += Number(row.inputTokens);
    totals.outputTokens += Number(row.outputTokens);
    totals.costUsd += Number(row.costUsd);
    qualitySum += Number(row.qualitySum);
    qualityCount += row.qualityCount;
  }
  totals.costUsd = Math.round(totals.costUsd * 1e6) / 1e6;
  totals.averageQuality = qualityCount ? Math.round((qualitySum / qualityCount) * 10) / 10 : null;
  return totals;
}

/**
 * Conversations matching a filter (and the table's search text, when given: see searchCondition)
 * with display names and turns, for export. Ordered by conversation id so an export is reproducible.
 */
export async function listConversationsWithTurns({
  db,
  workspaceId,
  filter,
  search,
}: {
  db: DbOrTx;
  workspaceId: string;
  filter: ConversationFilter;
  search?: string;
}) {
  const conditions = conversationFilterConditions(workspaceId, filter);
  const searching = searchCondition(workspaceId, search);
  if (searching) conditions.push(searching);
  const rows = await selectConversationsWithTaxonomyNames({ db, extra: { documentKey: documents.key, chunkKey: chunks.key, outcomeName: outcomes.name } })
    .leftJoin(outcomes, taxonomyJoin(outcomes, conversations.outcome))
    .leftJoin(documents, eq(documents.id, conversations.documentId))
    .leftJoin(chunks, eq(chunks.id, conversations.chunkId))
    .where(and(...conditions))
    .orderBy(asc(conversations.conversationId));
  const ids = rows.map((r) => r.conversation.id);
  const turnsById = new Map<string, Turn[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const turnRows = await db
      .select({ conversationId: conversationTurns.conversationId, role: conversationTurns.role, content: conversationTurns.content })
      .from(conversationTurns)
      .where(inArray(conversationTurns.conversationId, ids.slice(i, i + 500)))
      .orderBy(asc(conversationTurns.conversationId), asc(conversationTurns.turnNumber));
    for (const t of turnRows) {
      const list = turnsById.get(t.conversationId) ?? [];
      list.push({ role: t.role, content: t.content });
      turnsById.set(t.conversationId, list);
    }
  }
  return rows.map((r) => ({ ...r, turns: turnsById.get(r.conversation.id) ?? [] }));
}

/** Turns of one conversation, in order. */
export async function listTurnsByConversationId({ db, conversationId }: { db: DbOrTx; conversationId: string }): Promise<Turn[]> {
  return db
    .select({ role: conversationTurns.role, content: conversationTurns.content })
    .from(conversationTurns)
    .where(eq(conversationTurns.conversationId, conversationId))
    .orderBy(asc(conversationTurns.turnNumber));
}

/**
 * Sets the review outcome of the given conversations and writes one review_logs row each, in
 * the caller's transaction. Each row keeps the reviewer fields the conversation had before
 * (`previous`), and `batchId` when given (the dashboard's undo token for this action).
 */
export async function updateConversationReviews({
  db,
  workspaceId,
  reviews,
  action,
  reviewerId,
  notes,
  batchId = null,
}: {
  db: DbOrTx;
  workspaceId: string;
  reviews: Array<{ id: string; previousStatus: ConversationStatus; previous: PreviousReview }>;
  action: ReviewAction;
  reviewerId: string;
  notes: string | null;
  batchId?: string | null;
}): Promise<void> {
  const status: ConversationStatus = action === "approve" ? "approved" : "rejected";
  // In slices, so a bulk review of 100,000 stays under PostgreSQL's 65,535 parameters per statement.
  for (let i = 0; i < reviews.length; i += REVIEW_WRITE_SLICE) {
    const slice = reviews.slice(i, i + REVIEW_WRITE_SLICE);
    await db
      .update(conversations)
      .set({ status, reviewerId, reviewerNotes: notes, reviewedAt: sql`now()`, updatedAt: sql`now()` })
      .where(
        inArray(
          conversations.id,
          slice.map((r) => r.id),
        ),
      );
    await db
      .insert(reviewLogs)
      .values(slice.map((r) => ({ workspaceId, conversationId: r.id, action, previousStatus: r.previousStatus, reviewerId, reviewerNotes: notes, batchId, previousReview: r.previous })));
  }
}

/** Conversations one review statement writes at most (the review_logs insert takes 7 parameters each). */
const REVIEW_WRITE_SLICE = 5_000;

/** The workspace's conversation ids (uuid) by human id, for resolving seeds and CLI arguments. */
export async function listConversationIdsByHumanIds({ db, workspaceId, ids }: { db: DbOrTx; workspaceId: string; ids: string[] }): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: conversations.id, conversationId: conversations.conversationId })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), inArray(conversations.conversationId, ids)));
  return new Map(rows.map((r) => [r.conversationId, r.id]));
}
