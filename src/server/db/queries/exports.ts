import "server-only";
/** Export history (FR1.2.3). */
import { desc } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { exportLogs, type ExportLogRow } from "../schema";

/** Records one export. */
export async function insertExportLog({ db, values }: { db: DbOrTx; values: typeof exportLogs.$inferInsert }): Promise<void> {
  await db.insert(exportLogs).values(values);
}

/** Exports, newest first. */
export async function listExportLogs({ db, limit = 50 }: { db: DbOrTx; limit?: number }): Promise<ExportLogRow[]> {
  return db.select().from(exportLogs).orderBy(desc(exportLogs.exportedAt)).limit(limit);
}
