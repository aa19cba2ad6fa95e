import "server-only";
/**
 * The settings audit's SQL (US14.1.2; src/server/settings/settings-audit.ts). settings_audit is
 * append-only (a trigger refuses UPDATE and DELETE), so this module only inserts and reads.
 */
import { count, desc, eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { settingsAudit, type SettingsAuditRow } from "../schema";

/** Inserts settings audit rows (one per changed setting) through `db` (the caller's transaction). */
export async function insertSettingsAuditRows({ db, rows }: { db: DbOrTx; rows: Array<typeof settingsAudit.$inferInsert> }): Promise<void> {
  if (rows.length) await db.insert(settingsAudit).values(rows);
}

/**
 * One page of a workspace's settings history (workspaceId null = the installation's: SMTP), newest
 * first, with the total row count. `page` starts at 1.
 */
export async function listSettingsAuditByWorkspace({
  db,
  workspaceId,
  page,
  perPage,
}: {
  db: DbOrTx;
  workspaceId: string | null;
  page: number;
  perPage: number;
}): Promise<{ rows: SettingsAuditRow[]; total: number }> {
  const where = workspaceId === null ? isNull(settingsAudit.workspaceId) : eq(settingsAudit.workspaceId, workspaceId);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select()
      .from(settingsAudit)
      .where(where)
      .orderBy(desc(settingsAudit.createdAt), desc(settingsAudit.id))
      .limit(perPage)
      .offset((page - 1) * perPage),
    db.select({ total: count() }).from(settingsAudit).where(where),
  ]);
  return { rows, total: Number(total) };
}
