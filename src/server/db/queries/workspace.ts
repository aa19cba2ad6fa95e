import "server-only";
/** Workspaces: one business each (issue 9 item 1). */
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { OPEN_RUN_STATUSES } from "../../../lib/run-states";
import type { DbOrTx } from "../client";
import { conversations, documents, generationRuns, workspaces, type WorkspaceRow } from "../schema";

/** What a workspace is created with. */
export type NewWorkspace = Pick<WorkspaceRow, "slug" | "name" | "businessName" | "description" | "trainingSystemPrompt"> &
  Partial<Pick<WorkspaceRow, "tierSplit" | "isSample">>;

/**
 * Inserts a workspace.
 * @returns the new row
 * @throws the driver's unique violation (code 23505) when the slug is taken; callers check first
 */
export async function insertWorkspace({ db, values }: { db: DbOrTx; values: NewWorkspace }): Promise<WorkspaceRow> {
  const [row] = await db.insert(workspaces).values(values).returning();
  return row;
}

/** Updates the business description fields an import or the settings page carries (the document category list, null = the built-in list; the tier rules; the retention settings). */
export async function updateWorkspace({
  db,
  id,
  values,
}: {
  db: DbOrTx;
  id: string;
  values: Partial<Pick<WorkspaceRow, "slug" | "name" | "businessName" | "description" | "trainingSystemPrompt" | "tierSplit" | "archivedAt" | "documentCategories" | "minApprovalScore" | "edgeCaseMinScore" | "generationLogRetentionDays" | "exportRetentionDays" | "payloadRetentionDays" | "redactPii">>;
}): Promise<void> {
  await db
    .update(workspaces)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(workspaces.id, id));
}

/** The workspace with this id, or null. */
export async function getWorkspace({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<WorkspaceRow | null> {
  const rows = await db.select().from(workspaces).where(eq(workspaces.id, workspaceId));
  return rows[0] ?? null;
}

/** The workspace with this slug, or null. */
export async function getWorkspaceBySlug({ db, slug }: { db: DbOrTx; slug: string }): Promise<WorkspaceRow | null> {
  const rows = await db.select().from(workspaces).where(eq(workspaces.slug, slug));
  return rows[0] ?? null;
}

/** Every workspace (archived ones too unless `activeOnly`), sample last, then by name. */
export async function listWorkspaces({ db, activeOnly = false }: { db: DbOrTx; activeOnly?: boolean }): Promise<WorkspaceRow[]> {
  return db
    .select()
    .from(workspaces)
    .where(activeOnly ? isNull(workspaces.archivedAt) : undefined)
    .orderBy(asc(workspaces.isSample), asc(workspaces.name), asc(workspaces.slug));
}

/** What a workspace holds, for the workspace list and the delete confirmation. */
export interface WorkspaceCounts {
  documents: number;
  conversations: number;
  /** Generation runs not yet finished (running or paused). */
  openRuns: number;
}

/**
 * Counts of what each workspace holds, by workspace id (workspaces holding nothing are absent);
 * only `workspaceId`'s when given.
 */
export async function countWorkspaceContents({ db, workspaceId }: { db: DbOrTx; workspaceId?: string }): Promise<Map<string, WorkspaceCounts>> {
  const only = (column: typeof documents.workspaceId | typeof conversations.workspaceId | typeof generationRuns.workspaceId) =>
    workspaceId === undefined ? undefined : eq(column, workspaceId);
  const [docs, convs, runs] = await Promise.all([
    db.select({ id: documents.workspaceId, n: sql<number>`count(*)::int` }).from(documents).where(only(documents.workspaceId)).groupBy(documents.workspaceId),
    db
      .select({ id: conversations.workspaceId, n: sql<number>`count(*)::int` })
      .from(conversations)
      .where(only(conversations.workspaceId))
      .groupBy(conversations.workspaceId),
    db
      .select({ id: generationRuns.workspaceId, n: sql<number>`count(*)::int` })
      .from(generationRuns)
      .where(and(inArray(generationRuns.status, OPEN_RUN_STATUSES), only(generationRuns.workspaceId)))
      .groupBy(generationRuns.workspaceId),
  ]);
  const out = new Map<string, WorkspaceCounts>();
  const at = (id: string) => out.get(id) ?? (out.set(id, { documents: 0, conversations: 0, openRuns: 0 }), out.get(id)!);
  for (const r of docs) at(r.id).documents = r.n;
  for (const r of convs) at(r.id).conversations = r.n;
  for (const r of runs) at(r.id).openRuns = r.n;
  return out;
}

/**
 * Deletes the workspace and, through ON DELETE CASCADE, every row that belongs to it, in the
 * caller's transaction (run it in one: the seed lock is lifted for this workspace only until the
 * transaction ends, drizzle/0009). Returns false when it did not exist.
 */
export async function deleteWorkspaceById({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<boolean> {
  await db.execute(sql`select set_config('brightrun.deleting_workspace', ${workspaceId}, true)`);
  const rows = await db.delete(workspaces).where(and(eq(workspaces.id, workspaceId))).returning({ id: workspaces.id });
  return rows.length > 0;
}
