/** A workspace for a test file: what every query of a business's data is scoped to. */
import type { DbOrTx } from "../../src/server/db/client";
import { createWorkspace, type WorkspaceRow } from "../../src/server/workspaces";

/** Creates an empty workspace named `name` (slug made from it) and returns its row. */
export async function createTestWorkspace(db: DbOrTx, name = "Test business"): Promise<WorkspaceRow> {
  return createWorkspace(db, { name });
}
