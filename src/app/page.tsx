import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { AppHeader } from "@/components/app-header";
import { NewWorkspaceForm } from "@/components/workspaces/new-workspace-form";
import { isAppError } from "@/core/errors";
import { LAST_WORKSPACE_COOKIE, workspacePaths } from "@/lib/workspace-paths";
import { requireUser } from "@/server/auth";
import { redirectIfSignedOut } from "@/server/page-auth";
import { getDatabase } from "@/server/db/instance";
import { listWorkspaceChoices, type WorkspaceChoice } from "@/server/workspaces";

export const metadata: Metadata = { title: "Bright Run" };
// Reads the live database on every request.
export const dynamic = "force-dynamic";

/**
 * `/`: opens the workspace used last (a cookie), else the first active one; with none, asks for the
 * first workspace (the business's name, what it does, its voice).
 */
export default async function StartPage() {
  let workspaces: WorkspaceChoice[] = [];
  let problem: string | null = null;
  let canCreate = false;
  try {
    const user = await requireUser("read");
    canCreate = user.isInstallationOwner;
    workspaces = await listWorkspaceChoices((await getDatabase()).db, user);
  } catch (error) {
    redirectIfSignedOut(error);
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  const active = workspaces.filter((w) => !w.archived);
  if (!problem && active.length) {
    const last = (await cookies()).get(LAST_WORKSPACE_COOKIE)?.value;
    const target = active.find((w) => w.slug === last) ?? active.find((w) => !w.isSample) ?? active[0];
    redirect(workspacePaths(target.slug).conversations());
  }
  return (
    <>
      <AppHeader workspaces={workspaces} />
      <main id="main-content" tabIndex={-1} className="mx-auto max-w-xl space-y-6 p-6 outline-none">
        {problem ? (
          <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-4 text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-100">
            {problem}
          </div>
        ) : !canCreate ? (
          <header className="space-y-1">
            <h1 className="text-2xl font-bold">No workspace yet</h1>
            <p className="text-muted-foreground">
              You are not a member of any workspace. Ask a workspace owner for an invitation link; only the installation owner creates workspaces.
            </p>
          </header>
        ) : (
          <>
            <header className="space-y-1">
              <h1 className="text-2xl font-bold">Create your first workspace</h1>
              <p className="text-muted-foreground">
                A workspace holds one business: its documents, its customers and the conversations generated from them.
                {workspaces.length > 0 && " Your other workspaces are archived: open them from the menu above."}
              </p>
            </header>
            <NewWorkspaceForm />
          </>
        )}
      </main>
    </>
  );
}
