import { cookies } from "next/headers";
import { AppHeader } from "@/components/app-header";
import { isAppError } from "@/core/errors";
import { LAST_WORKSPACE_COOKIE } from "@/lib/workspace-paths";
import { getDatabase } from "@/server/db/instance";
import { listWorkspaceChoices, type WorkspaceChoice } from "@/server/workspaces";

/** The workspace an installation-level page (guide, preferences, account) shows in the header: of the workspaces `viewer` may see, the one used last, else the first active one. */
export async function currentWorkspaceForInstallationPage(viewer: { id: string; isInstallationOwner: boolean }): Promise<{ workspace: WorkspaceChoice | null; workspaces: WorkspaceChoice[] }> {
  let workspaces: WorkspaceChoice[] = [];
  try {
    workspaces = await listWorkspaceChoices((await getDatabase()).db, viewer);
  } catch (error) {
    // These pages are read when the database is down too (the guide's Troubleshooting says what to do then).
    if (!isAppError(error)) throw error;
  }
  const last = (await cookies()).get(LAST_WORKSPACE_COOKIE)?.value;
  const active = workspaces.filter((w) => !w.archived);
  return { workspace: active.find((w) => w.slug === last) ?? active[0] ?? null, workspaces };
}

/**
 * The app header on a page outside any workspace (the user guide, Preferences): on the workspace
 * used last, so its links stay one click away. The caller checks the guard first.
 */
export async function InstallationHeader({ viewer }: { viewer: { id: string; isInstallationOwner: boolean } }) {
  const { workspace, workspaces } = await currentWorkspaceForInstallationPage(viewer);
  return <AppHeader current={workspace} workspaces={workspaces} />;
}
