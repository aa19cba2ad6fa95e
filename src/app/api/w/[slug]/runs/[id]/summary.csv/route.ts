import { runReportToCsv } from "@/core/generation/run-report";
import { loadRunSummary } from "@/server/cost";
import { workspaceCsvDownload } from "@/server/route-response";

export const dynamic = "force-dynamic";

/**
 * GET /api/w/:slug/runs/:id/summary.csv — a run's cost report as `<slug>-run-<first 8 of id>-cost.csv`,
 * one row per conversation (the same CSV as `brightrun runs show <id> --csv`). Permission "read".
 * Errors as `{ error: { code, message } }`.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  return workspaceCsvDownload(slug, "GET /api/w/:slug/runs/:id/summary.csv", async ({ db, workspace }) => {
    return { csv: runReportToCsv(await loadRunSummary({ db, workspaceId: workspace.id, runId: id })), fileName: `${workspace.slug}-run-${id.slice(0, 8)}-cost.csv` };
  });
}
