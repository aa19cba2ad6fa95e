import { cookies } from "next/headers";
import { AppHeader } from "@/components/app-header";
import { isAppError } from "@/core/errors";
import { LAST_WORKSPACE_COOKIE } from "@/lib/workspace-paths";
import { getDatabase } from "@/server/db/instance";
import { listWorkspaceChoices, type WorkspaceChoice } from "@/server/workspaces";

/**
 * The frame of the installation's settings pages (/settings/…, e.g. E-mail): the app header on the
 * workspace used last (as the user guide's frame does), so its links stay one click away, and the
 * page's <main>. The pages check their own permission.
 */
export default async function InstallationSettingsLayout({ children }: { children: React.ReactNode }) {
  let workspaces: WorkspaceChoice[] = [];
  try {
    workspaces = await listWorkspaceChoices((await getDatabase()).db);
  } catch (error) {
    // The page itself says what is wrong with the database.
    if (!isAppError(error)) throw error;
  }
  const last = (await cookies()).get(LAST_WORKSPACE_COOKIE)?.value;
  const active = workspaces.filter((w) => !w.archived);
  const workspace = active.find((w) => w.slug === last) ?? active[0] ?? null;
  return (
    <>
      <AppHeader current={workspace} workspaces={workspaces} />
      <main id="main-content" tabIndex={-1} className="outline-none">
        {children}
      </main>
    </>
  );
}
