import "server-only";
/**
 * Who may hear about a workspace by e-mail (docs/email.md): the workspaces a user can read, by the
 * guard's rules (src/server/auth.ts `requireUser`): the installation owner reads every workspace,
 * any other account the workspaces it is a member of (`workspace_members`, any role: each role may
 * read). The list itself is `listWorkspaceChoices` (src/server/workspaces.ts), the one home of that
 * rule for lists; these helpers ask it for a user other than the one signed in (a job has no request).
 */
import { installationOwnerId, workspaceRole } from "../accounts/accounts";
import type { DbOrTx } from "../db/client";
import { listWorkspaces } from "../db/queries/workspace";
import type { WorkspaceRow } from "../db/schema";
import { listWorkspaceChoices } from "../workspaces";

/**
 * The workspaces `userId` (users.id) can read, archived ones too, in listWorkspaceChoices' order.
 * @returns the workspace rows (id, slug, name…)
 */
export async function workspacesReadableBy(db: DbOrTx, userId: string): Promise<WorkspaceRow[]> {
  const ownerId = await installationOwnerId(db);
  const [choices, rows] = await Promise.all([listWorkspaceChoices(db, { id: userId, isInstallationOwner: userId === ownerId }), listWorkspaces({ db })]);
  const bySlug = new Map(rows.map((row) => [row.slug, row]));
  return choices.map((choice) => bySlug.get(choice.slug)).filter((row): row is WorkspaceRow => row !== undefined);
}

/** Whether `userId` (users.id) can read the workspace: the installation owner, or a member with any role. */
export async function userReadsWorkspace(db: DbOrTx, userId: string, workspaceId: string): Promise<boolean> {
  if ((await installationOwnerId(db)) === userId) return true;
  return (await workspaceRole(db, workspaceId, userId)) !== null;
}
