import "server-only";
/** Saved export presets (US5.2.1): list, save (insert or replace by name), delete. */
import { asc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { exportPresets, type ExportPresetRow } from "../schema";

/** Every saved preset, by name. */
export async function listExportPresets({ db }: { db: DbOrTx }): Promise<ExportPresetRow[]> {
  return db.select().from(exportPresets).orderBy(asc(exportPresets.name));
}

/** Saves a preset under `name`: a new row, or the settings of the preset of that name replaced. Returns the row. */
export async function upsertExportPresetByName({
  db,
  values,
}: {
  db: DbOrTx;
  values: { name: string; settings: Record<string, unknown>; createdBy: string };
}): Promise<ExportPresetRow> {
  const rows = await db
    .insert(exportPresets)
    .values(values)
    .onConflictDoUpdate({ target: exportPresets.name, set: { settings: values.settings, updatedAt: sql`now()` } })
    .returning();
  return rows[0];
}

/** Deletes one preset by id; true when a row was deleted. */
export async function deleteExportPresetById({ db, id }: { db: DbOrTx; id: string }): Promise<boolean> {
  const rows = await db.delete(exportPresets).where(eq(exportPresets.id, id)).returning({ id: exportPresets.id });
  return rows.length > 0;
}
