import "server-only";
/** Export history (FR1.2.3). */
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { exportLogs, type ExportLogRow } from "../schema";

/** Records one export. */
export async function insertExportLog({ db, values }: { db: DbOrTx; values: typeof exportLogs.$inferInsert }): Promise<void> {
  await db.insert(exportLogs).values(values);
}

/** One export of the workspace by its export id (the id in export_logs.export_id), or null. */
export async function getExportLogByExportId({ db, workspaceId, exportId }: { db: DbOrTx; workspaceId: string; exportId: string }): Promise<ExportLogRow | null> {
  const rows = await db
    .select()
    .from(exportLogs)
    .where(and(eq(exportLogs.workspaceId, workspaceId), eq(exportLogs.exportId, exportId)))
    .limit(1);
  return rows[0] ?? null;
}
