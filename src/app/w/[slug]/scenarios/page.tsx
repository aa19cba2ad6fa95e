import { isAppError } from "@/core/errors";
import { RoleNotice } from "@/components/accounts/role-notice";
import { ScenarioLibrary } from "@/components/scenarios/scenario-library";
import { loadScenarioLibrary, parseScenarioLibraryParams, type ScenarioLibraryPage } from "@/server/scenario-library";
import { PageProblem } from "@/components/page-problem";

// Reads the live database on every request.
export const dynamic = "force-dynamic";

export const metadata = { title: "Scenarios · Bright Run" };

/** /scenarios — the scenario library (issue 10 item 3; US8.2.1, US8.2.2). `?q=` searches, `?view=favourites|archived`. */
export default async function ScenariosPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { slug } = await params;
  const { search, view } = parseScenarioLibraryParams(await searchParams);
  let data: ScenarioLibraryPage | null = null;
  let problem: string | null = null;
  try {
    data = await loadScenarioLibrary(slug, { search, view });
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <div className="mx-auto max-w-7xl space-y-6 p-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Scenarios</h1>
        <p className="text-muted-foreground">
          Real-world customer situations the scenario tier is planned from: the problem, what your business helps them do, and the outcome, each traced to the chunk of your documents it draws on. Archived scenarios are not planned.
        </p>
      </header>
      <RoleNotice permission="import" />
      {problem ? (
        <PageProblem>{problem}</PageProblem>
      ) : (
        data && <ScenarioLibrary key={`${view}:${search}`} data={data} search={search} view={view} />
      )}
    </div>
  );
}
