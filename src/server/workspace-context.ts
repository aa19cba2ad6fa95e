import "server-only";
/**
 * The one way a page, server action or route handler opens a workspace named in its URL
 * (`/w/<slug>/…`, `/api/w/<slug>/…`): the permission check through the one guard, the database,
 * and the workspace row.
 */
import { currentPrincipal, requireUser, type Permission, type User } from "./auth";
import type { Database, DatabaseHandle } from "./db/client";
import { getDatabase } from "./db/instance";
import { AppError } from "./errors";
import { getWorkspaceOrThrow, type WorkspaceRow } from "./workspaces";

export interface OpenWorkspace {
  user: User;
  handle: DatabaseHandle;
  db: Database;
  workspace: WorkspaceRow;
}

/**
 * Checks `permission`, opens the database and finds the workspace `slug`. An archived workspace
 * can be read but not changed.
 * @param options.changesData whether the caller changes the workspace's data (default: any
 *   permission but "read"); false for a download that needs the "export" permission but writes nothing
 * @throws AppError "unauthenticated" (nobody signed in), "forbidden" (the role does not allow it), "workspace_not_found", "workspace_archived" (a change to
 *   an archived workspace), and the database's errors
 */
export async function openWorkspace(slug: string, permission: Permission, options: { changesData?: boolean } = {}): Promise<OpenWorkspace> {
  // Signed out is said before anything about the workspace (its existence included).
  if (!(await currentPrincipal())) throw new AppError("unauthenticated", "You are signed out. Sign in to continue.");
  const handle = await getDatabase();
  const workspace = await getWorkspaceOrThrow(handle.db, slug);
  const user = await requireUser(permission, { workspaceId: workspace.id, db: handle.db });
  if (workspace.archivedAt && (options.changesData ?? permission !== "read")) {
    throw new AppError("workspace_archived", `"${workspace.name}" is archived, so nothing in it can be changed. Restore it from the workspace menu first.`);
  }
  return { user, handle, db: handle.db, workspace };
}
