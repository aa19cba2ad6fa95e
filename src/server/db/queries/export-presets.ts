import "server-only";
/** Saved export presets (US5.2.1): list, save (insert or replace by name), delete. */
import { and, asc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { exportPresets, type ExportPresetRow } from "../schema";

/** Every preset saved in the workspace, by name. */
export async function listExportPresets({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<ExportPresetRow[]> {
  return db.select().from(exportPresets).where(eq(exportPresets.workspaceId, workspaceId)).orderBy(asc(exportPresets.name));
}

/** Saves a preset under `name`: a new row, or the settings of the preset of that name replaced. Returns the row. */
export async function upsertExportPresetByName({
  db,
  workspaceId,
  values,
}: {
  db: DbOrTx;
  workspaceId: string;
  values: { name: string; settings: Record<string, unknown>; createdBy: string };
}): Promise<ExportPresetRow> {
  const rows = await db
    .insert(exportPresets)
    .values({ ...values, workspaceId })
    .onConflictDoUpdate({ target: [exportPresets.workspaceId, exportPresets.name], set: { settings: values.settings, updatedAt: sql`now()` } })
    .returning();
  return rows[0];
}

/** Deletes one preset of the workspace by id; true when a row was deleted. */
export async function deleteExportPresetById({ db, workspaceId, id }: { db: DbOrTx; workspaceId: string; id: string }): Promise<boolean> {
  const rows = await db
    .delete(exportPresets)
    .where(and(eq(exportPresets.workspaceId, workspaceId), eq(exportPresets.id, id)))
    .returning({ id: exportPresets.id });
  return rows.length > 0;
}
