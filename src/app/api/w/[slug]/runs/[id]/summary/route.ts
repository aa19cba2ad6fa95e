import { loadRunSummary } from "@/server/cost";
import { openWorkspace } from "@/server/workspace-context";
import { routeErrorResponse } from "@/server/route-response";

export const dynamic = "force-dynamic";

/**
 * GET /api/w/:slug/runs/:id/summary — a run's cost summary as JSON (RunReport of
 * src/core/generation/run-report.ts, the report `brightrun runs show` prints; dates as ISO 8601).
 * Permission "read". Errors as `{ error: { code, message } }` (404 for a run of another workspace).
 */
export async function GET(_request: Request, { params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  try {
    const { db, workspace } = await openWorkspace(slug, "read");
    return Response.json(await loadRunSummary({ db, workspaceId: workspace.id, runId: id }), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return routeErrorResponse(error, "GET /api/w/:slug/runs/:id/summary");
  }
}
