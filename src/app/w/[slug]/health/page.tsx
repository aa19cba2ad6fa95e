import Link from "next/link";
import { isAppError } from "@/core/errors";
import { DatabaseHealthContent } from "@/components/database-health/database-health-view";
import { PageProblem } from "@/components/page-problem";
import { parseHealthWindow } from "@/lib/database-health";
import { workspacePaths } from "@/lib/workspace-paths";
import { loadDatabaseHealth, type DatabaseHealthView } from "@/server/database-health";
import { openWorkspace } from "@/server/workspace-context";

// Reads the live database on every request.
export const dynamic = "force-dynamic";

export const metadata = { title: "Database health · Bright Run" };

/**
 * /w/:slug/health — database health (issue 13 item 7; US9.1.2, US12.2.2): this workspace's query
 * timings (`?window=24h|7d|30d`), slow queries, the list-query alert, and the installation's table
 * sizes and index usage. Linked from Settings (docs/database-health.md).
 */
export default async function DatabaseHealthPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { slug } = await params;
  const window = parseHealthWindow((await searchParams).window);
  let view: DatabaseHealthView | null = null;
  let problem: string | null = null;
  try {
    const { handle, workspace } = await openWorkspace(slug, "read");
    view = await loadDatabaseHealth({ handle, workspaceId: workspace.id, window });
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <div className="mx-auto max-w-5xl space-y-6 p-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Database health</h1>
        <p className="text-muted-foreground">
          How fast this workspace&apos;s pages query the database, which queries are slow, and how big the tables are.{" "}
          <Link href={workspacePaths(slug).settings} className="underline underline-offset-4">
            Back to Settings
          </Link>
        </p>
      </header>
      {problem ? <PageProblem>{problem}</PageProblem> : view && <DatabaseHealthContent slug={slug} view={view} />}
    </div>
  );
}
