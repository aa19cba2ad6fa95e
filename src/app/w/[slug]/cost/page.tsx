import { isAppError } from "@/core/errors";
import { CostView } from "@/components/cost/cost-view";
import { PageProblem } from "@/components/page-problem";
import { parseCostPeriod, parseCostRun } from "@/lib/cost-params";
import { loadCostOverview, type CostOverview } from "@/server/cost";
import { openWorkspace } from "@/server/workspace-context";

// Reads the live database on every request.
export const dynamic = "force-dynamic";

export const metadata = { title: "Cost · Bright Run" };

/**
 * /cost — what generation has cost the workspace (issue 13 item 4, US13.2.2): spend per day / week /
 * month, cost per conversation over time, breakdowns by tier, template, model and user, the monthly
 * budget, recommendations, the accounting CSV and every finished run with its summary.
 * `?period=day|week|month`, `?run=<id>` opens that run's summary.
 */
export default async function CostPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { slug } = await params;
  const query = await searchParams;
  const period = parseCostPeriod(query);
  const openRun = parseCostRun(query);
  let overview: CostOverview | null = null;
  let problem: string | null = null;
  try {
    const { db, workspace } = await openWorkspace(slug, "read");
    overview = await loadCostOverview({ db, workspaceId: workspace.id, period });
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <div className="mx-auto max-w-7xl space-y-6 p-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Cost</h1>
        <p className="text-muted-foreground">
          What generation has cost this workspace: spend over time, per conversation, by tier, template, model and user, against the monthly budget. Every figure is the cost recorded for each call when it was made.
        </p>
      </header>
      {problem ? <PageProblem>{problem}</PageProblem> : overview && <CostView slug={slug} overview={overview} openRunId={openRun} />}
    </div>
  );
}
