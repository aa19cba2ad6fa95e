import type { Metadata } from "next";
import { Suspense } from "react";
import { redirect } from "next/navigation";
import { ConversationsDashboard } from "@/components/conversations/conversations-dashboard";
import { DataTableSkeleton } from "@/components/data-table/data-table-skeleton";
import { isAppError } from "@/core/errors";
import { parseConversationTableParams } from "@/lib/conversation-table-params";
import { paramsWithRowsPerPage, queryWithDefaultFilters, type Preferences } from "@/lib/preferences";
import { FirstRunBanner } from "@/components/workspaces/first-run-checklist";
import { workspacePaths } from "@/lib/workspace-paths";
import { loadConversationsDashboard } from "@/server/dashboard";
import { loadFirstRunChecklist } from "@/server/first-run-checklist";
import { loadPreferencesForPage } from "@/server/preferences";
import { openWorkspace } from "@/server/workspace-context";

export const metadata: Metadata = { title: "Conversations · Bright Run" };
// Reads the live database on every request.
export const dynamic = "force-dynamic";

type RawSearchParams = Record<string, string | string[] | undefined>;
type SearchParams = Promise<RawSearchParams>;
type Params = Promise<{ slug: string }>;

/**
 * Loads the table's state from the URL (the user's rows per page when it names none) and renders
 * the dashboard (errors become a plain-English panel, never empty data).
 */
async function Dashboard({ slug, searchParams, preferences }: { slug: string; searchParams: RawSearchParams; preferences: Preferences }) {
  const { state, issues } = parseConversationTableParams(paramsWithRowsPerPage(searchParams, preferences));
  let data;
  try {
    data = await loadConversationsDashboard(slug, state);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return (
      <div role="alert" className="mx-auto mt-6 max-w-2xl space-y-2 rounded-lg border border-destructive/40 bg-destructive/5 p-4 text-sm">
        <h1 className="text-base font-semibold">The conversations could not be loaded</h1>
        <p>{error.message}</p>
        <p className="text-muted-foreground">
          Fix the cause, then reload this page. (Error code: <code>{error.code}</code>)
        </p>
      </div>
    );
  }
  return (
    <>
      {issues.length > 0 && (
        <div role="note" className="mx-auto w-full max-w-[1800px] px-4 pt-3 text-sm text-amber-800 lg:px-6 dark:text-amber-300">
          Some of the link&apos;s settings could not be used: {issues.map((i) => i.message).join(" ")}
        </div>
      )}
      <ConversationsDashboard data={data} state={state} density={preferences.density} hasDefaultFilters={preferences.defaultFilters.status.length + preferences.defaultFilters.tier.length > 0} />
    </>
  );
}

/** The first-run checklist's one-line reminder until every step is done (not for the sample, which comes complete). */
async function FirstRunReminder({ params }: { params: Params }) {
  const { slug } = await params;
  const { db, workspace } = await openWorkspace(slug, "read");
  if (workspace.isSample || workspace.archivedAt) return null;
  const checklist = await loadFirstRunChecklist(db, workspace);
  return <FirstRunBanner checklist={checklist} href={workspacePaths(slug).getStarted} />;
}

/**
 * /w/:slug — the workspace's conversations dashboard (issue 4), with the first-run reminder above
 * it. A URL without filters of its own gets the user's default filters (Preferences) by redirect,
 * so they show in the URL and on the filter buttons.
 */
export default async function Page({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { slug } = await params;
  const raw = await searchParams;
  const preferences = await loadPreferencesForPage();
  const withDefaults = queryWithDefaultFilters(raw, preferences);
  if (withDefaults) redirect(workspacePaths(slug).conversations(withDefaults.toString()));
  return (
    <>
      <Suspense fallback={null}>
        <FirstRunReminder params={params} />
      </Suspense>
      <Suspense
        fallback={
          <div className="mx-auto w-full max-w-[1800px] px-4 py-4 lg:px-6">
            <DataTableSkeleton />
          </div>
        }
      >
        <Dashboard slug={slug} searchParams={raw} preferences={preferences} />
      </Suspense>
    </>
  );
}
