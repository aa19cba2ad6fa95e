import Link from "next/link";
import { cookies } from "next/headers";
import { AppHeader } from "@/components/app-header";
import { isAppError } from "@/core/errors";
import { guideSearchEntries, type GuideSection } from "@/lib/guide";
import { LAST_WORKSPACE_COOKIE, workspacePaths } from "@/lib/workspace-paths";
import { cn } from "@/lib/utils";
import { requireUser } from "@/server/auth";
import { redirectIfSignedOut } from "@/server/page-auth";
import { getDatabase } from "@/server/db/instance";
import { listWorkspaceChoices, type WorkspaceChoice } from "@/server/workspaces";
import { TourAgainButton } from "@/components/tour/tour-again-button";
import { GuideSearch } from "./guide-search";

/**
 * The guide's page frame: the app header (on the workspace used last, so its links stay one
 * click away), the sections as a side list with the current one marked, the search box, and the
 * page. Printing keeps only the page.
 */
export async function GuideFrame({ sections, current, children }: { sections: GuideSection[]; current: string | null; children: React.ReactNode }) {
  let workspaces: WorkspaceChoice[] = [];
  let user;
  try {
    user = await requireUser("read");
  } catch (error) {
    redirectIfSignedOut(error, "/guide");
    throw error;
  }
  try {
    workspaces = await listWorkspaceChoices((await getDatabase()).db, user);
  } catch (error) {
    // The guide is read when the database is down too (Troubleshooting says what to do then).
    if (!isAppError(error)) throw error;
  }
  const last = (await cookies()).get(LAST_WORKSPACE_COOKIE)?.value;
  const active = workspaces.filter((w) => !w.archived);
  const workspace = active.find((w) => w.slug === last) ?? active[0] ?? null;
  return (
    <>
      <AppHeader current={workspace} workspaces={workspaces} />
      <main id="main-content" tabIndex={-1} className="mx-auto flex max-w-6xl gap-8 p-6 outline-none print:block print:max-w-none print:p-0">
        <aside className="w-56 shrink-0 space-y-4 print:hidden">
          <nav aria-label="Guide" className="space-y-1">
            <Link href="/guide" className="block px-2 text-sm font-semibold tracking-tight">
              User guide
            </Link>
            <ol className="space-y-0.5">
              {sections.map((s) => (
                <li key={s.slug}>
                  <Link
                    href={`/guide/${s.slug}`}
                    aria-current={current === s.slug ? "page" : undefined}
                    className={cn(
                      "block rounded-md px-2 py-1 text-sm hover:bg-accent hover:text-accent-foreground",
                      current === s.slug ? "bg-accent font-medium text-accent-foreground" : "text-muted-foreground",
                    )}
                  >
                    {s.title}
                  </Link>
                </li>
              ))}
            </ol>
          </nav>
          <Link href="/guide/print" className="block px-2 text-sm text-primary underline-offset-4 hover:underline">
            Print or save as PDF
          </Link>
          {workspace && <TourAgainButton conversationsHref={workspacePaths(workspace.slug).conversations()} />}
        </aside>
        <div className="min-w-0 flex-1 space-y-6">
          <GuideSearch entries={guideSearchEntries(sections)} />
          {children}
        </div>
      </main>
    </>
  );
}
