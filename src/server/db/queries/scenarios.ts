import "server-only";
/** The scenario library (US8.2.1, US8.2.2). */
import { asc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { chunks, scenarios, type ScenarioRow } from "../schema";
import { uuidSetFromJson } from "./conversations";

export type ScenarioInsert = Omit<ScenarioRow, "id" | "createdAt" | "updatedAt">;

/** Upserts scenarios by key. */
export async function upsertScenarios({ db, values }: { db: DbOrTx; values: ScenarioInsert[] }): Promise<void> {
  for (const value of values) {
    await db
      .insert(scenarios)
      .values(value)
      .onConflictDoUpdate({ target: scenarios.key, set: { ...value, updatedAt: sql`now()` } });
  }
}

/** Every scenario with the key of its linked chunk, ordered by key. */
export async function listScenarios({ db }: { db: DbOrTx }): Promise<Array<ScenarioRow & { chunkKey: string | null }>> {
  const rows = await db
    .select({ scenario: scenarios, chunkKey: chunks.key })
    .from(scenarios)
    .leftJoin(chunks, eq(scenarios.chunkId, chunks.id))
    .orderBy(asc(scenarios.key));
  return rows.map((r) => ({ ...r.scenario, chunkKey: r.chunkKey }));
}

/** The scenarios of `ids` (uuids), in one query (the ids travel as one JSON parameter). Unknown ids are left out. */
export async function listScenariosByIds({ db, ids }: { db: DbOrTx; ids: readonly string[] }): Promise<ScenarioRow[]> {
  if (!ids.length) return [];
  return db.select().from(scenarios).where(sql`${scenarios.id} in ${uuidSetFromJson(ids)}`);
}
