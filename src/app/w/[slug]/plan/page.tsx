import { isAppError } from "@/core/errors";
import { PlanningPage } from "@/components/planning/planning-page";
import type { PlanningPageView } from "@/lib/planning-contract";
import { loadPlanningView } from "@/server/operations/planning";
import { openWorkspace } from "@/server/workspace-context";

// Reads the live database on every request.
export const dynamic = "force-dynamic";

export const metadata = { title: "Plan · Bright Run" };

/**
 * /w/:slug/plan — the planning page (issue 10 items 2 and 5; US8.1.1, US8.1.2, US8.2.1, US8.3.1,
 * US10.1.2): size and tier split, arc configuration, sources, coverage, tier sections with
 * Generate All Tier N.
 */
export default async function PlanPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  let view: PlanningPageView | null = null;
  let problem: { message: string; code: string } | null = null;
  try {
    const { handle, workspace } = await openWorkspace(slug, "read");
    view = await loadPlanningView({ handle, workspaceId: workspace.id });
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = { message: error.message, code: error.code };
  }
  if (!view) {
    return (
      <div role="alert" className="mx-auto mt-6 max-w-2xl space-y-2 rounded-lg border border-destructive/40 bg-destructive/5 p-4 text-sm">
        <h1 className="text-base font-semibold">The plan could not be loaded</h1>
        <p>{problem?.message}</p>
        <p className="text-muted-foreground">
          Fix the cause, then reload this page. (Error code: <code>{problem?.code}</code>)
        </p>
      </div>
    );
  }
  return <PlanningPage view={view} />;
}
