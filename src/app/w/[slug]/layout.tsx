import { notFound } from "next/navigation";
import { AppHeader } from "@/components/app-header";
import { WorkspaceProvider } from "@/components/workspaces/workspace-provider";
import { isAppError } from "@/core/errors";
import { workspaceView } from "@/server/dashboard";
import { listWorkspaceChoices } from "@/server/workspaces";
import { openWorkspace } from "@/server/workspace-context";
import { redirectIfSignedOut } from "@/server/page-auth";
import { NoAccess } from "@/components/accounts/no-access";
import { ViewerProvider } from "@/components/accounts/viewer-context";
import { viewerOf } from "@/server/viewer";

// Reads the live database on every request.
export const dynamic = "force-dynamic";

/**
 * Every page of a workspace (`/w/<slug>/…`): the header with the workspace switcher and this
 * workspace's navigation, the workspace for client components (WorkspaceProvider), and the page in
 * <main id="main-content">. An unknown slug is a 404; an archived workspace says so above its pages.
 */
export default async function WorkspaceLayout({ children, params }: { children: React.ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  let opened;
  try {
    opened = await openWorkspace(slug, "read");
  } catch (error) {
    redirectIfSignedOut(error, `/w/${slug}`);
    if (isAppError(error) && error.code === "workspace_not_found") notFound();
    if (isAppError(error) && error.code === "forbidden") return <NoAccess message={error.message} />;
    throw error;
  }
  const current = workspaceView(opened.workspace);
  const all = await listWorkspaceChoices(opened.db, opened.user);
  return (
    <ViewerProvider viewer={viewerOf(opened.user)}>
    <WorkspaceProvider workspace={current}>
      <AppHeader current={current} workspaces={all} />
      <main id="main-content" tabIndex={-1} className="outline-none">
        {current.archived && (
          <div role="note" className="border-b bg-amber-50 px-4 py-2 text-sm text-amber-900 lg:px-6 dark:bg-amber-950 dark:text-amber-100">
            This workspace is archived: you can read it, but nothing in it can change. Restore it on its Settings page.
          </div>
        )}
        {children}
      </main>
    </WorkspaceProvider>
    </ViewerProvider>
  );
}
