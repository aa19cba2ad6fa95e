import "server-only";
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { workspace, type WorkspaceRow } from "../schema";

/** Creates or replaces the single workspace row. */
export async function upsertWorkspace({
  db,
  values,
}: {
  db: DbOrTx;
  values: Pick<WorkspaceRow, "name" | "businessName" | "description" | "trainingSystemPrompt" | "tierSplit">;
}): Promise<void> {
  await db
    .insert(workspace)
    .values({ id: 1, ...values })
    .onConflictDoUpdate({ target: workspace.id, set: { ...values, updatedAt: sql`now()` } });
}

/** The workspace row, or null before anything was imported. */
export async function getWorkspace({ db }: { db: DbOrTx }): Promise<WorkspaceRow | null> {
  const rows = await db.select().from(workspace).where(eq(workspace.id, 1));
  return rows[0] ?? null;
}
