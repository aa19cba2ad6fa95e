import { isAppError } from "@/core/errors";
import { parseCostCsvRange } from "@/lib/cost-params";
import { toActionError } from "@/server/actions/action-result";
import { costCsv } from "@/server/cost";
import { httpStatusFor } from "@/server/errors";
import { openWorkspace } from "@/server/workspace-context";

export const dynamic = "force-dynamic";

/**
 * GET /api/w/:slug/cost.csv?from=YYYY-MM-DD&to=YYYY-MM-DD — every provider call of the range (UTC,
 * both days included; default this month so far) as `<slug>-cost-<from>-<to>.csv` for accounting
 * (columns COST_CSV_COLUMNS). Permission "read". Errors as `{ error: { code, message } }`.
 */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  try {
    const { db, workspace } = await openWorkspace(slug, "read");
    const { from, to } = parseCostCsvRange(new URL(request.url).searchParams);
    const csv = await costCsv({ db, workspaceId: workspace.id, from, to });
    const last = new Date(to.getTime() - 86_400_000).toISOString().slice(0, 10);
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${workspace.slug}-cost-${from.toISOString().slice(0, 10)}-${last}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    const { code, message } = isAppError(error) ? { code: error.code, message: error.message } : toActionError(error, "GET /api/w/:slug/cost.csv");
    return Response.json({ error: { code, message } }, { status: isAppError(error) ? httpStatusFor(error) : 500 });
  }
}
