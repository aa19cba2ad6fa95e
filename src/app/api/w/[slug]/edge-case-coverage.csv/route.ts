import { edgeCaseCoverageCsv } from "@/server/coverage-suggestions";
import { workspaceCsvDownload } from "@/server/route-response";

export const dynamic = "force-dynamic";

/**
 * GET /api/w/:slug/edge-case-coverage.csv — the edge-case coverage report (issue 13 item 3,
 * US8.3.2) as `<slug>-edge-case-coverage.csv`: every edge-case category × persona × emotional arc
 * with its conversations and state (permission "read"). Errors as `{ error: { code, message } }`.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return workspaceCsvDownload(slug, "GET /api/w/:slug/edge-case-coverage.csv", async ({ db, workspace }) => {
    return { csv: await edgeCaseCoverageCsv({ db, workspaceId: workspace.id }), fileName: `${workspace.slug}-edge-case-coverage.csv` };
  });
}
