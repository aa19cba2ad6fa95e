import { parseCoverageStatus } from "@/lib/coverage-filter";
import { coverageCsv, loadCoverage } from "@/server/coverage";
import { workspaceCsvDownload } from "@/server/route-response";

export const dynamic = "force-dynamic";

/**
 * GET /api/w/:slug/coverage.csv?status= — the coverage report as `<slug>-coverage.csv`, with the
 * same status filter as the page (permission "read": it writes nothing). Errors as
 * `{ error: { code, message } }`.
 */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return workspaceCsvDownload(slug, "GET /api/w/:slug/coverage.csv", async ({ db, workspace }) => {
    const status = parseCoverageStatus(new URL(request.url).searchParams);
    return { csv: coverageCsv(await loadCoverage({ db, workspaceId: workspace.id, status })), fileName: `${workspace.slug}-coverage.csv` };
  });
}
