import { isAppError } from "@/core/errors";
import { FirstRunChecklistView } from "@/components/workspaces/first-run-checklist";
import { loadFirstRunChecklist, type FirstRunChecklist } from "@/server/first-run-checklist";
import { openWorkspace } from "@/server/workspace-context";
import { PageProblem } from "@/components/page-problem";

// Reads the live database on every request.
export const dynamic = "force-dynamic";

export const metadata = { title: "Get started · Bright Run" };

/**
 * /w/:slug/get-started — the first-run checklist (issue 10 item 7): documents → customers →
 * templates → model → plan → first conversations, each with what is missing and a link. A new
 * workspace opens here; the conversations page shows a one-line reminder until every step is done.
 */
export default async function GetStartedPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  let checklist: FirstRunChecklist | null = null;
  let name = "";
  let problem: string | null = null;
  try {
    const { db, workspace } = await openWorkspace(slug, "read");
    name = workspace.name;
    checklist = await loadFirstRunChecklist(db, workspace);
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <div className="mx-auto max-w-3xl space-y-6 p-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Get started{name ? ` with ${name}` : ""}</h1>
        <p className="text-muted-foreground">
          Six steps from your own material to your first reviewed conversations. Each one opens the page where it is done; this list updates as you go.
        </p>
      </header>
      {problem ? (
        <PageProblem>{problem}</PageProblem>
      ) : (
        checklist && <FirstRunChecklistView checklist={checklist} />
      )}
    </div>
  );
}
