import { isAppError } from "@/core/errors";
import { CoverageView } from "@/components/dataset-coverage/coverage-view";
import { PageProblem } from "@/components/page-problem";
import type { CoverageReport } from "@/core/dataset-coverage/coverage";
import { parseCoverageStatus } from "@/lib/coverage-filter";
import { loadCoverage } from "@/server/coverage";
import { loadCoverageSuggestions, type CoverageSuggestions } from "@/server/coverage-suggestions";
import { getWorkerHealth } from "@/server/runs/worker-health";
import { openWorkspace } from "@/server/workspace-context";

// Reads the live database on every request.
export const dynamic = "force-dynamic";

export const metadata = { title: "Coverage · Bright Run" };

/**
 * /coverage — how the workspace's conversations spread over personas, emotional arcs, tiers,
 * document categories and scenarios, and which persona × arc combinations are thin (issue 13 item 1,
 * US3.2.1), with recommendations, edge-case suggestions and warnings (items 2 and 3, US3.2.2,
 * US8.3.2, US10.1.2, US10.2.2). `?status=all|planned|generated|approved`.
 */
export default async function CoveragePage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { slug } = await params;
  const status = parseCoverageStatus(await searchParams);
  let report: CoverageReport | null = null;
  let suggestions: CoverageSuggestions | null = null;
  let workerProblem: string | null = null;
  let problem: string | null = null;
  try {
    const { db, handle, workspace } = await openWorkspace(slug, "read");
    const [loaded, loadedSuggestions, workerHealth] = await Promise.all([
      loadCoverage({ db, workspaceId: workspace.id, status }),
      loadCoverageSuggestions({ db, workspace }),
      getWorkerHealth({ handle }),
    ]);
    report = loaded;
    suggestions = loadedSuggestions;
    workerProblem = workerHealth.ok ? null : workerHealth.problem;
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <div className="mx-auto max-w-7xl space-y-6 p-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Coverage</h1>
        <p className="text-muted-foreground">
          Is the dataset balanced? How the conversations spread over personas, emotional arcs, tiers, document categories and scenarios, and which persona × emotional arc combinations have too few.
        </p>
      </header>
      {problem ? <PageProblem>{problem}</PageProblem> : report && suggestions && <CoverageView slug={slug} report={report} suggestions={suggestions} workerProblem={workerProblem} />}
    </div>
  );
}
