import { isAppError } from "@/core/errors";
import { runReportToCsv } from "@/core/generation/run-report";
import { toActionError } from "@/server/actions/action-result";
import { loadRunSummary } from "@/server/cost";
import { httpStatusFor } from "@/server/errors";
import { openWorkspace } from "@/server/workspace-context";

export const dynamic = "force-dynamic";

/**
 * GET /api/w/:slug/runs/:id/summary.csv — a run's cost report as `<slug>-run-<first 8 of id>-cost.csv`,
 * one row per conversation (the same CSV as `brightrun runs show <id> --csv`). Permission "read".
 * Errors as `{ error: { code, message } }`.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  try {
    const { db, workspace } = await openWorkspace(slug, "read");
    const csv = runReportToCsv(await loadRunSummary({ db, workspaceId: workspace.id, runId: id }));
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${workspace.slug}-run-${id.slice(0, 8)}-cost.csv"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    const { code, message } = isAppError(error) ? { code: error.code, message: error.message } : toActionError(error, "GET /api/w/:slug/runs/:id/summary.csv");
    return Response.json({ error: { code, message } }, { status: isAppError(error) ? httpStatusFor(error) : 500 });
  }
}
