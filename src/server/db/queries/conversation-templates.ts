import "server-only";
/** Which template and version a conversation used or will use (issue 11 item 4: the preview names it). */
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { promptTemplates, templateVersions } from "../schema";

/** A template with its newest version number (`latestVersion` ≥ `currentVersion`: later versions are drafts). */
export interface TemplateWithLatestVersion {
  id: string;
  key: string;
  name: string;
  tier: (typeof promptTemplates.$inferSelect)["tier"];
  status: (typeof promptTemplates.$inferSelect)["status"];
  isDefault: boolean;
  currentVersion: number;
  latestVersion: number;
}

/** Every template of the workspace with its newest version number, in one query. */
export async function listTemplatesWithLatestVersion({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<TemplateWithLatestVersion[]> {
  const rows = await db
    .select({
      id: promptTemplates.id,
      key: promptTemplates.key,
      name: promptTemplates.name,
      tier: promptTemplates.tier,
      status: promptTemplates.status,
      isDefault: promptTemplates.isDefault,
      currentVersion: promptTemplates.currentVersion,
      latestVersion: sql<number>`coalesce((select max(${templateVersions.version}) from ${templateVersions} where ${templateVersions.templateId} = ${promptTemplates.id}), ${promptTemplates.currentVersion})`,
    })
    .from(promptTemplates)
    .where(eq(promptTemplates.workspaceId, workspaceId));
  return rows.map((r) => ({ ...r, latestVersion: Number(r.latestVersion) }));
}
