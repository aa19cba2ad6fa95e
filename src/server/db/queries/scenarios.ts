import "server-only";
/** The scenario library (US8.2.1, US8.2.2). */
import { and, asc, desc, eq, ilike, isNotNull, isNull, ne, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { chunks, conversations, documents, scenarios, type ScenarioRow } from "../schema";
import { uuidSetFromJson } from "./conversations";

/** A scenario as the importer writes it; the library's own fields (description, tags, favourite, archived) keep their value unless given. */
export type ScenarioInsert = Omit<ScenarioRow, "id" | "createdAt" | "updatedAt" | "workspaceId" | "description" | "tags" | "favourite" | "archivedAt"> &
  Partial<Pick<ScenarioRow, "description" | "tags" | "favourite" | "archivedAt">>;

/** Upserts scenarios of the workspace by key. */
export async function upsertScenarios({ db, workspaceId, values }: { db: DbOrTx; workspaceId: string; values: ScenarioInsert[] }): Promise<void> {
  for (const value of values) {
    await db
      .insert(scenarios)
      .values({ ...value, workspaceId })
      .onConflictDoUpdate({ target: [scenarios.workspaceId, scenarios.key], set: { ...value, updatedAt: sql`now()` } });
  }
}

/**
 * The workspace's scenarios with the key of their linked chunk, ordered by key. Archived scenarios
 * are left out unless `includeArchived` (they are not planned any more: planning calls this without
 * it); the importer includes them, so a file naming one still finds it.
 */
export async function listScenarios({
  db,
  workspaceId,
  includeArchived = false,
}: {
  db: DbOrTx;
  workspaceId: string;
  includeArchived?: boolean;
}): Promise<Array<ScenarioRow & { chunkKey: string | null }>> {
  const rows = await db
    .select({ scenario: scenarios, chunkKey: chunks.key })
    .from(scenarios)
    .leftJoin(chunks, eq(scenarios.chunkId, chunks.id))
    .where(and(eq(scenarios.workspaceId, workspaceId), includeArchived ? undefined : isNull(scenarios.archivedAt)))
    .orderBy(asc(scenarios.key));
  return rows.map((r) => ({ ...r.scenario, chunkKey: r.chunkKey }));
}

/** The scenarios of `ids` (uuids), in one query (the ids travel as one JSON parameter). Unknown ids are left out. */
export async function listScenariosByIds({ db, ids }: { db: DbOrTx; ids: readonly string[] }): Promise<ScenarioRow[]> {
  if (!ids.length) return [];
  return db.select().from(scenarios).where(sql`${scenarios.id} in ${uuidSetFromJson(ids)}`);
}

/** One scenario as the library page shows it: its row, its source chunk (with the chunk's text) and how many conversations use it. */
export type ScenarioLibraryItem = ScenarioRow & {
  chunk: { id: string; key: string; heading: string | null; content: string; documentKey: string; documentTitle: string } | null;
  /** Conversations whose scenario_id is this scenario (any status, seeds included). */
  usageCount: number;
};

/** Which scenarios the library lists: active ones (default), archived ones, or favourites (active). */
export type ScenarioLibraryView = "active" | "archived" | "favourites";

/**
 * The scenario library (US8.2.2): favourites first, then by title. `search` (case-insensitive)
 * matches the title, key, description, problem, solution, outcome, category or a tag.
 */
export async function listScenarioLibrary({
  db,
  workspaceId,
  search = "",
  view = "active",
}: {
  db: DbOrTx;
  workspaceId: string;
  search?: string;
  view?: ScenarioLibraryView;
}): Promise<ScenarioLibraryItem[]> {
  const pattern = `%${search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const usage = db
    .select({ scenarioId: conversations.scenarioId, n: sql<number>`count(*)::int`.as("n") })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), isNotNull(conversations.scenarioId)))
    .groupBy(conversations.scenarioId)
    .as("usage");
  const rows = await db
    .select({
      scenario: scenarios,
      chunkId: chunks.id,
      chunkKey: chunks.key,
      chunkHeading: chunks.heading,
      chunkContent: chunks.content,
      documentKey: documents.key,
      documentTitle: documents.title,
      usageCount: sql<number>`coalesce(${usage.n}, 0)::int`,
    })
    .from(scenarios)
    .leftJoin(chunks, eq(scenarios.chunkId, chunks.id))
    .leftJoin(documents, eq(chunks.documentId, documents.id))
    .leftJoin(usage, eq(usage.scenarioId, scenarios.id))
    .where(
      and(
        eq(scenarios.workspaceId, workspaceId),
        view === "archived" ? isNotNull(scenarios.archivedAt) : isNull(scenarios.archivedAt),
        view === "favourites" ? eq(scenarios.favourite, true) : undefined,
        search.trim()
          ? or(
              ilike(scenarios.title, pattern),
              ilike(scenarios.key, pattern),
              ilike(scenarios.description, pattern),
              ilike(scenarios.problem, pattern),
              ilike(scenarios.solution, pattern),
              ilike(scenarios.outcome, pattern),
              ilike(scenarios.category, pattern),
              sql`${scenarios.tags}::text ilike ${pattern}`,
            )
          : undefined,
      ),
    )
    .orderBy(desc(scenarios.favourite), asc(sql`lower(${scenarios.title})`), asc(scenarios.key));
  return rows.map((r) => ({
    ...r.scenario,
    chunk:
      r.chunkId && r.chunkKey !== null && r.documentKey !== null
        ? { id: r.chunkId, key: r.chunkKey, heading: r.chunkHeading, content: r.chunkContent ?? "", documentKey: r.documentKey, documentTitle: r.documentTitle ?? r.documentKey }
        : null,
    usageCount: Number(r.usageCount),
  }));
}

/** Active and archived scenario counts of the workspace. */
export async function countScenariosByState({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<{ active: number; archived: number; favourites: number }> {
  const [row] = await db
    .select({
      active: sql<number>`count(*) filter (where ${scenarios.archivedAt} is null)::int`,
      archived: sql<number>`count(*) filter (where ${scenarios.archivedAt} is not null)::int`,
      favourites: sql<number>`count(*) filter (where ${scenarios.archivedAt} is null and ${scenarios.favourite})::int`,
    })
    .from(scenarios)
    .where(eq(scenarios.workspaceId, workspaceId));
  return { active: Number(row?.active ?? 0), archived: Number(row?.archived ?? 0), favourites: Number(row?.favourites ?? 0) };
}

/** One scenario of the workspace by id, or null. */
export async function getScenarioById({ db, workspaceId, id }: { db: DbOrTx; workspaceId: string; id: string }): Promise<ScenarioRow | null> {
  const [row] = await db.select().from(scenarios).where(and(eq(scenarios.workspaceId, workspaceId), eq(scenarios.id, id)));
  return row ?? null;
}

/** One scenario of the workspace by key, or null. */
export async function getScenarioByKey({ db, workspaceId, key }: { db: DbOrTx; workspaceId: string; key: string }): Promise<ScenarioRow | null> {
  const [row] = await db.select().from(scenarios).where(and(eq(scenarios.workspaceId, workspaceId), eq(scenarios.key, key)));
  return row ?? null;
}

/** Every scenario key of the workspace (archived included), for making a new key unique. */
export async function listScenarioKeys({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<string[]> {
  const rows = await db.select({ key: scenarios.key }).from(scenarios).where(eq(scenarios.workspaceId, workspaceId));
  return rows.map((r) => r.key);
}

/** The library's editable fields of a scenario. */
export type ScenarioFields = Pick<ScenarioRow, "title" | "description" | "category" | "tags" | "problem" | "solution" | "outcome" | "chunkId" | "personaKey" | "emotionalArcKey" | "topicKey">;

/** Inserts a scenario with `key` and returns its row. */
export async function insertScenario({ db, workspaceId, key, values }: { db: DbOrTx; workspaceId: string; key: string; values: ScenarioFields & { favourite?: boolean } }): Promise<ScenarioRow> {
  const [row] = await db.insert(scenarios).values({ ...values, key, workspaceId }).returning();
  return row;
}

/** Updates a scenario's fields (any subset, plus favourite and archived_at); null when no such scenario. */
export async function updateScenarioById({
  db,
  workspaceId,
  id,
  values,
}: {
  db: DbOrTx;
  workspaceId: string;
  id: string;
  values: Partial<ScenarioFields & { favourite: boolean; archivedAt: Date | null }>;
}): Promise<ScenarioRow | null> {
  const [row] = await db
    .update(scenarios)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(scenarios.workspaceId, workspaceId), eq(scenarios.id, id)))
    .returning();
  return row ?? null;
}

/** How many conversations use the scenario (scenario_id), by status group: planned (not generated / failed) and the rest. */
export async function countConversationsOfScenario({ db, workspaceId, id }: { db: DbOrTx; workspaceId: string; id: string }): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.scenarioId, id)));
  return Number(row?.n ?? 0);
}

/** Deletes a scenario (callers check first that no conversation uses it); false when there was none. */
export async function deleteScenarioById({ db, workspaceId, id }: { db: DbOrTx; workspaceId: string; id: string }): Promise<boolean> {
  const rows = await db.delete(scenarios).where(and(eq(scenarios.workspaceId, workspaceId), eq(scenarios.id, id))).returning({ id: scenarios.id });
  return rows.length > 0;
}

/** A conversation as the re-point rule reads it, with its scenario's title. */
export interface ConversationScenarioRef {
  id: string;
  conversationId: string;
  title: string | null;
  status: (typeof conversations.$inferSelect)["status"];
  isSeed: boolean;
  tier: (typeof conversations.$inferSelect)["tier"];
  scenarioId: string | null;
  scenarioTitle: string | null;
}

/** Conversations with the scenario they use (ConversationScenarioRef), for a where clause to narrow. */
function selectConversationScenarioRefs(db: DbOrTx) {
  return db
    .select({
      id: conversations.id,
      conversationId: conversations.conversationId,
      title: conversations.title,
      status: conversations.status,
      isSeed: conversations.isSeed,
      tier: conversations.tier,
      scenarioId: conversations.scenarioId,
      scenarioTitle: scenarios.title,
    })
    .from(conversations)
    .leftJoin(scenarios, eq(scenarios.id, conversations.scenarioId));
}

/** The conversations that use scenario `id`, by conversation id. */
export async function listConversationsOfScenario({ db, workspaceId, id }: { db: DbOrTx; workspaceId: string; id: string }): Promise<ConversationScenarioRef[]> {
  return selectConversationScenarioRefs(db)
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.scenarioId, id)))
    .orderBy(asc(conversations.conversationId));
}

/** One conversation of the workspace by its human id ("scen-007"), as the re-point rule reads it; null when unknown. */
export async function getConversationScenarioRef({ db, workspaceId, conversationId }: { db: DbOrTx; workspaceId: string; conversationId: string }): Promise<ConversationScenarioRef | null> {
  const [row] = await selectConversationScenarioRefs(db).where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.conversationId, conversationId)));
  return row ?? null;
}

/**
 * Points a conversation at another scenario, and at that scenario's source chunk when it has one
 * (document, chunk and source category follow), only while its status is one of `statuses` (the
 * re-point rule's, checked again here so a generation that started meanwhile wins).
 * @returns whether a row changed
 */
export async function updateConversationScenario({
  db,
  workspaceId,
  id,
  scenarioId,
  chunk,
  statuses,
}: {
  db: DbOrTx;
  workspaceId: string;
  id: string;
  scenarioId: string;
  chunk: { id: string; documentId: string; category: string } | null;
  statuses: readonly (typeof conversations.$inferSelect)["status"][];
}): Promise<boolean> {
  const rows = await db
    .update(conversations)
    .set({ scenarioId, ...(chunk ? { chunkId: chunk.id, documentId: chunk.documentId, sourceCategory: chunk.category } : {}), updatedAt: sql`now()` })
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, id), sql`${conversations.status} in ${sql.raw(`(${statuses.map((s) => `'${s}'`).join(", ")})`)}`, ne(conversations.isSeed, true)))
    .returning({ id: conversations.id });
  return rows.length > 0;
}

/** A chunk of the workspace with its document's key, title and category; null when unknown. */
export async function getChunkWithDocumentById({ db, workspaceId, id }: { db: DbOrTx; workspaceId: string; id: string }) {
  const [row] = await db
    .select({ id: chunks.id, key: chunks.key, heading: chunks.heading, content: chunks.content, documentId: chunks.documentId, documentKey: documents.key, documentTitle: documents.title, category: documents.category })
    .from(chunks)
    .innerJoin(documents, eq(chunks.documentId, documents.id))
    .where(and(eq(chunks.workspaceId, workspaceId), eq(chunks.id, id)));
  return row ?? null;
}
