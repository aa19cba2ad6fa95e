import "server-only";
/** Seed conversations (US10.3.1): the Seeds page's list and its seed-vs-generated comparison. */
import { and, asc, eq, inArray, like, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { conversations, emotionalArcs, personas, topics } from "../schema";

/** The workspace's seed conversation ids that look like "seed-<number>" (for the next free one). */
export async function listSeedConversationIds({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<string[]> {
  const rows = await db
    .select({ id: conversations.conversationId })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), like(conversations.conversationId, "seed-%")));
  return rows.map((r) => r.id);
}

/** One seed as the Seeds page lists it. `qualityScore` is 1–10 or null. */
export interface SeedListItem {
  id: string;
  conversationId: string;
  title: string | null;
  persona: string;
  emotion: string;
  topic: string;
  turnCount: number;
  qualityScore: number | null;
  createdAt: Date;
}

/** The workspace's seed conversations with persona/arc/topic names, by conversation id. */
export async function listSeeds({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<SeedListItem[]> {
  const rows = await db
    .select({
      id: conversations.id,
      conversationId: conversations.conversationId,
      title: conversations.title,
      persona: sql<string>`coalesce(${personas.name}, ${conversations.persona})`,
      emotion: sql<string>`coalesce(${emotionalArcs.name}, ${conversations.emotion})`,
      topic: sql<string>`coalesce(${topics.name}, ${conversations.topic})`,
      turnCount: conversations.turnCount,
      qualityScore: conversations.qualityScore,
      createdAt: conversations.createdAt,
    })
    .from(conversations)
    .leftJoin(personas, and(eq(personas.workspaceId, conversations.workspaceId), eq(personas.key, conversations.persona)))
    .leftJoin(emotionalArcs, and(eq(emotionalArcs.workspaceId, conversations.workspaceId), eq(emotionalArcs.key, conversations.emotion)))
    .leftJoin(topics, and(eq(topics.workspaceId, conversations.workspaceId), eq(topics.key, conversations.topic)))
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.isSeed, true)))
    .orderBy(asc(conversations.conversationId));
  return rows.map((r) => ({ ...r, turnCount: Number(r.turnCount ?? 0) }));
}

/** Averages of one group of conversations (seeds, or generated ones). Null averages when the group is empty. */
export interface ConversationGroupStats {
  conversations: number;
  /** Mean quality score, 1–10, over the conversations that have one. */
  averageQuality: number | null;
  /** Mean of each quality criterion's score (1–10), by criterion id, from quality_breakdown. */
  criteria: Record<string, number>;
  /** Mean turns per conversation. */
  averageTurns: number | null;
  /** Mean characters per turn (all turns of the group, user and assistant). */
  averageTurnCharacters: number | null;
  /** Mean characters per assistant turn. */
  averageAssistantTurnCharacters: number | null;
}

/** Seeds vs generated conversations, overall and per persona / emotional arc (key → name and stats). */
export interface SeedComparison {
  seeds: ConversationGroupStats;
  generated: ConversationGroupStats;
  byPersona: Array<{ key: string; name: string; seeds: ConversationGroupStats; generated: ConversationGroupStats }>;
  byArc: Array<{ key: string; name: string; seeds: ConversationGroupStats; generated: ConversationGroupStats }>;
}

/** Statuses of conversations that have text: generated, approved or rejected. */
const WITH_TEXT = ["generated", "approved", "rejected"] as const;

type GroupColumn = "persona" | "emotion" | null;

/** Rows of (group key, is_seed, stats) for one grouping. */
async function groupStats({ db, workspaceId, by }: { db: DbOrTx; workspaceId: string; by: GroupColumn }) {
  const group = by === "persona" ? sql`c.persona` : by === "emotion" ? sql`c.emotion` : sql`''`;
  const result = await db.execute(sql`
    with c as (
      select id, persona, emotion, is_seed, quality_score, quality_breakdown, turn_count
      from conversations
      where workspace_id = ${workspaceId} and status in ${sql.raw(`(${WITH_TEXT.map((s) => `'${s}'`).join(", ")})`)}
    ),
    turns as (
      select c.id, avg(length(t.content))::float8 as avg_len,
             avg(length(t.content)) filter (where t.role = 'assistant')::float8 as avg_assistant_len,
             count(t.id)::int as n, sum(length(t.content))::float8 as total_len,
             sum(length(t.content)) filter (where t.role = 'assistant')::float8 as total_assistant_len,
             count(t.id) filter (where t.role = 'assistant')::int as n_assistant
      from c join conversation_turns t on t.conversation_id = c.id group by c.id
    ),
    criteria as (
      select ${group} as g, c.is_seed, e->>'id' as criterion, avg((e->>'score')::float8)::float8 as score
      from c, jsonb_array_elements(case when jsonb_typeof(c.quality_breakdown->'breakdown') = 'array' then c.quality_breakdown->'breakdown' else '[]'::jsonb end) e
      group by 1, 2, 3
    )
    select ${group} as g, c.is_seed as is_seed, count(*)::int as conversations,
           avg(c.quality_score)::float8 as avg_quality,
           avg(c.turn_count)::float8 as avg_turns,
           (sum(turns.total_len) / nullif(sum(turns.n), 0))::float8 as avg_turn_chars,
           (sum(turns.total_assistant_len) / nullif(sum(turns.n_assistant), 0))::float8 as avg_assistant_chars,
           (select coalesce(jsonb_object_agg(criteria.criterion, criteria.score), '{}'::jsonb) from criteria where criteria.g = ${group} and criteria.is_seed = c.is_seed) as criteria
    from c left join turns on turns.id = c.id
    group by 1, 2
  `);
  const rows = (result as unknown as { rows: Array<Record<string, unknown>> }).rows;
  return rows.map((r) => ({
    group: String(r.g ?? ""),
    isSeed: Boolean(r.is_seed),
    stats: {
      conversations: Number(r.conversations),
      averageQuality: r.avg_quality === null ? null : Number(r.avg_quality),
      criteria: Object.fromEntries(Object.entries((typeof r.criteria === "string" ? JSON.parse(r.criteria) : (r.criteria ?? {})) as Record<string, unknown>).map(([k, v]) => [k, Number(v)])),
      averageTurns: r.avg_turns === null ? null : Number(r.avg_turns),
      averageTurnCharacters: r.avg_turn_chars === null ? null : Number(r.avg_turn_chars),
      averageAssistantTurnCharacters: r.avg_assistant_chars === null ? null : Number(r.avg_assistant_chars),
    } satisfies ConversationGroupStats,
  }));
}

const EMPTY: ConversationGroupStats = {
  conversations: 0,
  averageQuality: null,
  criteria: {},
  averageTurns: null,
  averageTurnCharacters: null,
  averageAssistantTurnCharacters: null,
};

/**
 * Seed conversations beside generated ones (US10.3.1 "Quality comparison: seed vs. generated
 * conversation metrics"): conversation count, mean quality score and mean per quality criterion,
 * mean turns, mean characters per turn (and per assistant turn). Only conversations with text count
 * (generated, approved, rejected); the per-persona and per-arc lists hold the keys with at least
 * one seed.
 */
export async function compareSeedsWithGenerated({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<SeedComparison> {
  const [overall, persona, arc] = await Promise.all([
    groupStats({ db, workspaceId, by: null }),
    groupStats({ db, workspaceId, by: "persona" }),
    groupStats({ db, workspaceId, by: "emotion" }),
  ]);
  const pick = (rows: typeof overall, group: string, isSeed: boolean) => rows.find((r) => r.group === group && r.isSeed === isSeed)?.stats ?? EMPTY;
  const seededKeys = (rows: typeof overall) => [...new Set(rows.filter((r) => r.isSeed).map((r) => r.group))].sort();
  const personaKeys = seededKeys(persona);
  const arcKeys = seededKeys(arc);
  const [personaNames, arcNames] = await Promise.all([
    personaKeys.length
      ? db.select({ key: personas.key, name: personas.name }).from(personas).where(and(eq(personas.workspaceId, workspaceId), inArray(personas.key, personaKeys)))
      : Promise.resolve([]),
    arcKeys.length
      ? db.select({ key: emotionalArcs.key, name: emotionalArcs.name }).from(emotionalArcs).where(and(eq(emotionalArcs.workspaceId, workspaceId), inArray(emotionalArcs.key, arcKeys)))
      : Promise.resolve([]),
  ]);
  const nameOf = (names: Array<{ key: string; name: string }>, key: string) => names.find((n) => n.key === key)?.name ?? key;
  return {
    seeds: pick(overall, "", true),
    generated: pick(overall, "", false),
    byPersona: personaKeys.map((key) => ({ key, name: nameOf(personaNames, key), seeds: pick(persona, key, true), generated: pick(persona, key, false) })),
    byArc: arcKeys.map((key) => ({ key, name: nameOf(arcNames, key), seeds: pick(arc, key, true), generated: pick(arc, key, false) })),
  };
}
