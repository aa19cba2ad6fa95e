import "server-only";
/** Personas, emotional arcs, topics, intents, tones, edge-case categories and outcomes. Upserts by key. */
import { and, eq, sql } from "drizzle-orm";
import { MAX_CHUNK_DIMENSION_VALUES, sortDimensionValues } from "../../../lib/chunk-dimensions";
import type { TaxonomyUsage } from "../../../core/taxonomy/taxonomy-usage";
import type { TaxonomyKind } from "../../../lib/taxonomy-kinds";
import type { DbOrTx } from "../client";
import {
  chunks,
  conversations,
  documents,
  edgeCaseCategories,
  emotionalArcs,
  intents,
  outcomes,
  personas,
  scenarios,
  tones,
  topics,
  type EdgeCaseCategoryRow,
  type OutcomeRow,
  type EmotionalArcRow,
  type IntentRow,
  type PersonaRow,
  type ToneRow,
  type TopicRow,
} from "../schema";

export interface TaxonomyRows {
  personas: PersonaRow[];
  emotionalArcs: EmotionalArcRow[];
  topics: TopicRow[];
  intents: IntentRow[];
  tones: ToneRow[];
  edgeCaseCategories: EdgeCaseCategoryRow[];
  outcomes: OutcomeRow[];
}

/** A taxonomy row as the importer writes it: archived_at is left as it is unless given. */
type Insert<T> = Omit<T, "createdAt" | "workspaceId" | "archivedAt"> & { archivedAt?: Date | null };

/** Upserts each given list by key into the workspace (lists left undefined are untouched). */
export async function upsertTaxonomy({
  db,
  workspaceId,
  values,
}: {
  db: DbOrTx;
  workspaceId: string;
  values: {
    personas?: Insert<PersonaRow>[];
    emotionalArcs?: Insert<EmotionalArcRow>[];
    topics?: Insert<TopicRow>[];
    intents?: Insert<IntentRow>[];
    tones?: Insert<ToneRow>[];
    edgeCaseCategories?: Insert<EdgeCaseCategoryRow>[];
    outcomes?: Insert<OutcomeRow>[];
  };
}): Promise<void> {
  const excluded = (column: string) => sql.raw(`excluded.${column}`);
  const inWorkspace = <T>(rows: T[]) => rows.map((row) => ({ ...row, workspaceId }));
  if (values.personas?.length)
    await db
      .insert(personas)
      .values(inWorkspace(values.personas))
      .onConflictDoUpdate({
        target: [personas.workspaceId, personas.key],
        set: { name: excluded("name"), description: excluded("description"), attributes: excluded("attributes"), enabled: excluded("enabled") },
      });
  if (values.emotionalArcs?.length)
    await db
      .insert(emotionalArcs)
      .values(inWorkspace(values.emotionalArcs))
      .onConflictDoUpdate({
        target: [emotionalArcs.workspaceId, emotionalArcs.key],
        set: {
          name: excluded("name"),
          startingEmotion: excluded("starting_emotion"),
          endingEmotion: excluded("ending_emotion"),
          description: excluded("description"),
          turnStructure: excluded("turn_structure"),
          enabled: excluded("enabled"),
        },
      });
  if (values.topics?.length)
    await db
      .insert(topics)
      .values(inWorkspace(values.topics))
      .onConflictDoUpdate({
        target: [topics.workspaceId, topics.key],
        set: { name: excluded("name"), description: excluded("description"), keyTerms: excluded("key_terms") },
      });
  if (values.intents?.length)
    await db
      .insert(intents)
      .values(inWorkspace(values.intents))
      .onConflictDoUpdate({ target: [intents.workspaceId, intents.key], set: { name: excluded("name"), description: excluded("description") } });
  if (values.tones?.length)
    await db
      .insert(tones)
      .values(inWorkspace(values.tones))
      .onConflictDoUpdate({ target: [tones.workspaceId, tones.key], set: { name: excluded("name"), description: excluded("description") } });
  if (values.edgeCaseCategories?.length)
    await db
      .insert(edgeCaseCategories)
      .values(inWorkspace(values.edgeCaseCategories))
      .onConflictDoUpdate({
        target: [edgeCaseCategories.workspaceId, edgeCaseCategories.key],
        set: { name: excluded("name"), description: excluded("description"), testCondition: excluded("test_condition") },
      });
  if (values.outcomes?.length)
    await db
      .insert(outcomes)
      .values(inWorkspace(values.outcomes))
      .onConflictDoUpdate({ target: [outcomes.workspaceId, outcomes.key], set: { name: excluded("name"), description: excluded("description") } });
}

/** Every taxonomy list of the workspace, ordered by key, archived entries included (each row has `archivedAt`). */
export async function listTaxonomy({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<TaxonomyRows> {
  const [p, a, t, i, to, e, o] = await Promise.all([
    db.select().from(personas).where(eq(personas.workspaceId, workspaceId)).orderBy(personas.key),
    db.select().from(emotionalArcs).where(eq(emotionalArcs.workspaceId, workspaceId)).orderBy(emotionalArcs.key),
    db.select().from(topics).where(eq(topics.workspaceId, workspaceId)).orderBy(topics.key),
    db.select().from(intents).where(eq(intents.workspaceId, workspaceId)).orderBy(intents.key),
    db.select().from(tones).where(eq(tones.workspaceId, workspaceId)).orderBy(tones.key),
    db.select().from(edgeCaseCategories).where(eq(edgeCaseCategories.workspaceId, workspaceId)).orderBy(edgeCaseCategories.key),
    db.select().from(outcomes).where(eq(outcomes.workspaceId, workspaceId)).orderBy(outcomes.key),
  ]);
  return { personas: p, emotionalArcs: a, topics: t, intents: i, tones: to, edgeCaseCategories: e, outcomes: o };
}

/** A taxonomy value as the filter menus list it. */
export interface TaxonomyOption {
  key: string;
  name: string;
}

/** What the table's filter menus offer (listTaxonomyOptions). */
export interface TaxonomyOptions {
  personas: TaxonomyOption[];
  emotions: TaxonomyOption[];
  topics: TaxonomyOption[];
  intents: TaxonomyOption[];
  tones: TaxonomyOption[];
  /** Outcomes (how conversations should end), archived included (conversations keep theirs). */
  outcomes: TaxonomyOption[];
  sourceCategories: string[];
  /** Documents by title: the Document filter's options. */
  documents: Array<{ key: string; title: string }>;
  /**
   * The chunk-dimension filters' options: each dimension of string or flag values that some chunk
   * has, by name (A–Z), with its values as text ("advanced", "true") in menu order
   * (sortDimensionValues). A dimension of more than MAX_CHUNK_DIMENSION_VALUES values is left out.
   */
  chunkDimensions: Array<{ name: string; values: string[] }>;
}

/**
 * What the table's filter menus offer: every persona, emotional arc, topic, intent, tone and outcome (key
 * and display name, ordered by name), the source categories conversations have (sorted), the
 * documents, and the chunks' string and flag dimensions with their values.
 */
export async function listTaxonomyOptions({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<TaxonomyOptions> {
  const options = (table: typeof personas | typeof emotionalArcs | typeof topics | typeof intents | typeof tones | typeof outcomes) =>
    db.select({ key: table.key, name: table.name }).from(table).where(eq(table.workspaceId, workspaceId)).orderBy(table.name, table.key);
  const [p, e, t, i, to, o, sources, docs, dimensionRows] = await Promise.all([
    options(personas),
    options(emotionalArcs),
    options(topics),
    options(intents),
    options(tones),
    options(outcomes),
    db.execute(
      sql`select distinct source_category from conversations where workspace_id = ${workspaceId} and source_category is not null order by source_category`,
    ),
    db.select({ key: documents.key, title: documents.title }).from(documents).where(eq(documents.workspaceId, workspaceId)).orderBy(documents.title, documents.key),
    db.execute(
      sql`select d.key as name, d.value #>> '{}' as value from ${chunks} cross join lateral jsonb_each(${chunks.dimensions}) d where ${chunks.workspaceId} = ${workspaceId} and jsonb_typeof(d.value) in ('string', 'boolean') group by 1, 2`,
    ),
  ]);
  const sourceCategories = (sources as unknown as { rows: Array<{ source_category: string }> }).rows.map((r) => r.source_category);
  const valuesByName = new Map<string, string[]>();
  for (const row of (dimensionRows as unknown as { rows: Array<{ name: string; value: string }> }).rows) {
    valuesByName.set(row.name, [...(valuesByName.get(row.name) ?? []), row.value]);
  }
  const chunkDimensions = [...valuesByName]
    .filter(([, values]) => values.length <= MAX_CHUNK_DIMENSION_VALUES)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, values]) => ({ name, values: sortDimensionValues(name, values) }));
  return { personas: p, emotions: e, topics: t, intents: i, tones: to, outcomes: o, sourceCategories, documents: docs, chunkDimensions };
}

/** The table of each kind. */
const TABLES = {
  personas,
  emotional_arcs: emotionalArcs,
  topics,
  intents,
  tones,
  edge_case_categories: edgeCaseCategories,
  outcomes,
} as const;

/** Every taxonomy table has these columns; the generic queries below read and write only them. */
const tableOf = (kind: TaxonomyKind) => TABLES[kind] as unknown as typeof intents;

/** The conversations column that names an entry of each kind, and the scenarios column (kinds a scenario can name). */
const USED_BY = {
  personas: { conversation: "persona", scenario: "persona_key" },
  emotional_arcs: { conversation: "emotion", scenario: "emotional_arc_key" },
  topics: { conversation: "topic", scenario: "topic_key" },
  intents: { conversation: "intent", scenario: null },
  tones: { conversation: "tone", scenario: null },
  edge_case_categories: { conversation: "edge_case_category", scenario: null },
  outcomes: { conversation: "outcome", scenario: null },
} as const satisfies Record<TaxonomyKind, { conversation: string; scenario: string | null }>;


/**
 * Conversations (any status, seeds included) and scenarios (archived included) per key of `kind`
 * in the workspace; keys nothing uses are absent. Two grouped scans.
 */
export async function countTaxonomyUsageByKey({ db, workspaceId, kind }: { db: DbOrTx; workspaceId: string; kind: TaxonomyKind }): Promise<Map<string, TaxonomyUsage>> {
  const { conversation, scenario } = USED_BY[kind];
  const usage = new Map<string, TaxonomyUsage>();
  const entry = (key: string) => usage.get(key) ?? usage.set(key, { conversations: 0, scenarios: 0 }).get(key)!;
  const conversationRows = await db.execute(
    sql`select ${sql.identifier(conversation)} as key, count(*)::int as count from ${conversations} where ${conversations.workspaceId} = ${workspaceId} and ${sql.identifier(conversation)} is not null group by 1`,
  );
  for (const row of (conversationRows as unknown as { rows: Array<{ key: string; count: number | string }> }).rows) entry(row.key).conversations = Number(row.count);
  if (scenario) {
    const scenarioRows = await db.execute(
      sql`select ${sql.identifier(scenario)} as key, count(*)::int as count from ${scenarios} where ${scenarios.workspaceId} = ${workspaceId} and ${sql.identifier(scenario)} is not null group by 1`,
    );
    for (const row of (scenarioRows as unknown as { rows: Array<{ key: string; count: number | string }> }).rows) entry(row.key).scenarios = Number(row.count);
  }
  return usage;
}

/** Whether the workspace has an entry of `kind` with `key` (archived or not), and when it was archived (null: active). */
export async function getTaxonomyEntryState({
  db,
  workspaceId,
  kind,
  key,
}: {
  db: DbOrTx;
  workspaceId: string;
  kind: TaxonomyKind;
  key: string;
}): Promise<{ archivedAt: Date | null } | null> {
  const table = tableOf(kind);
  const [row] = await db.select({ archivedAt: table.archivedAt }).from(table).where(and(eq(table.workspaceId, workspaceId), eq(table.key, key)));
  return row ?? null;
}

/** Sets (a date) or clears (null) an entry's archived_at. @returns whether the entry exists */
export async function setTaxonomyEntryArchivedAt({
  db,
  workspaceId,
  kind,
  key,
  archivedAt,
}: {
  db: DbOrTx;
  workspaceId: string;
  kind: TaxonomyKind;
  key: string;
  archivedAt: Date | null;
}): Promise<boolean> {
  const table = tableOf(kind);
  const rows = await db.update(table).set({ archivedAt }).where(and(eq(table.workspaceId, workspaceId), eq(table.key, key))).returning({ key: table.key });
  return rows.length > 0;
}

/**
 * Deletes one entry. The database refuses (foreign key) while a conversation or scenario names it;
 * callers check countTaxonomyUsageByKey first to say so plainly.
 * @returns whether a row was deleted
 */
export async function deleteTaxonomyEntryByKey({ db, workspaceId, kind, key }: { db: DbOrTx; workspaceId: string; kind: TaxonomyKind; key: string }): Promise<boolean> {
  const table = tableOf(kind);
  const rows = await db.delete(table).where(and(eq(table.workspaceId, workspaceId), eq(table.key, key))).returning({ key: table.key });
  return rows.length > 0;
}
