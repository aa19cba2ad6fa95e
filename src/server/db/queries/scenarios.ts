import "server-only";
/** The scenario library (US8.2.1, US8.2.2). */
import { and, asc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { chunks, scenarios, type ScenarioRow } from "../schema";
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

/** Every scenario of the workspace with the key of its linked chunk, ordered by key. */
export async function listScenarios({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<Array<ScenarioRow & { chunkKey: string | null }>> {
  const rows = await db
    .select({ scenario: scenarios, chunkKey: chunks.key })
    .from(scenarios)
    .leftJoin(chunks, eq(scenarios.chunkId, chunks.id))
    .where(and(eq(scenarios.workspaceId, workspaceId)))
    .orderBy(asc(scenarios.key));
  return rows.map((r) => ({ ...r.scenario, chunkKey: r.chunkKey }));
}

/** The scenarios of `ids` (uuids), in one query (the ids travel as one JSON parameter). Unknown ids are left out. */
export async function listScenariosByIds({ db, ids }: { db: DbOrTx; ids: readonly string[] }): Promise<ScenarioRow[]> {
  if (!ids.length) return [];
  return db.select().from(scenarios).where(sql`${scenarios.id} in ${uuidSetFromJson(ids)}`);
}
