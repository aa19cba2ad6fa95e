import { parseCostCsvRange } from "@/lib/cost-params";
import { costCsv } from "@/server/cost";
import { workspaceCsvDownload } from "@/server/route-response";

export const dynamic = "force-dynamic";

/**
 * GET /api/w/:slug/cost.csv?from=YYYY-MM-DD&to=YYYY-MM-DD — every provider call of the range (UTC,
 * both days included; default this month so far) as `<slug>-cost-<from>-<to>.csv` for accounting
 * (columns COST_CSV_COLUMNS). Permission "read". Errors as `{ error: { code, message } }`.
 */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return workspaceCsvDownload(slug, "GET /api/w/:slug/cost.csv", async ({ db, workspace }) => {
    const { from, to } = parseCostCsvRange(new URL(request.url).searchParams);
    const last = new Date(to.getTime() - 86_400_000).toISOString().slice(0, 10);
    return { csv: await costCsv({ db, workspaceId: workspace.id, from, to }), fileName: `${workspace.slug}-cost-${from.toISOString().slice(0, 10)}-${last}.csv` };
  });
}
