import { isAppError } from "@/core/errors";
import { toActionError } from "@/server/actions/action-result";
import { edgeCaseCoverageCsv } from "@/server/coverage-suggestions";
import { httpStatusFor } from "@/server/errors";
import { openWorkspace } from "@/server/workspace-context";

export const dynamic = "force-dynamic";

/**
 * GET /api/w/:slug/edge-case-coverage.csv — the edge-case coverage report (issue 13 item 3,
 * US8.3.2) as `<slug>-edge-case-coverage.csv`: every edge-case category × persona × emotional arc
 * with its conversations and state (permission "read"). Errors as `{ error: { code, message } }`.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  try {
    const { db, workspace } = await openWorkspace(slug, "read");
    const csv = await edgeCaseCoverageCsv({ db, workspaceId: workspace.id });
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${workspace.slug}-edge-case-coverage.csv"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    const { code, message } = isAppError(error) ? { code: error.code, message: error.message } : toActionError(error, "GET /api/w/:slug/edge-case-coverage.csv");
    return Response.json({ error: { code, message } }, { status: isAppError(error) ? httpStatusFor(error) : 500 });
  }
}
