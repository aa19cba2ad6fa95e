import { isAppError } from "@/core/errors";
import { parseCoverageStatus } from "@/lib/coverage-filter";
import { toActionError } from "@/server/actions/action-result";
import { coverageCsv, loadCoverage } from "@/server/coverage";
import { httpStatusFor } from "@/server/errors";
import { openWorkspace } from "@/server/workspace-context";

export const dynamic = "force-dynamic";

/**
 * GET /api/w/:slug/coverage.csv?status= — the coverage report as `<slug>-coverage.csv`, with the
 * same status filter as the page (permission "read": it writes nothing). Errors as
 * `{ error: { code, message } }`.
 */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  try {
    const { db, workspace } = await openWorkspace(slug, "read");
    const status = parseCoverageStatus(new URL(request.url).searchParams);
    const csv = coverageCsv(await loadCoverage({ db, workspaceId: workspace.id, status }));
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${workspace.slug}-coverage.csv"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    const { code, message } = isAppError(error) ? { code: error.code, message: error.message } : toActionError(error, "GET /api/w/:slug/coverage.csv");
    return Response.json({ error: { code, message } }, { status: isAppError(error) ? httpStatusFor(error) : 500 });
  }
}
