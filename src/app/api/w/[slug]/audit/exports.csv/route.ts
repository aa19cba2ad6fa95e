import { parseAuditParams } from "@/lib/audit-params";
import { exportHistoryCsv } from "@/server/audit";
import { workspaceCsvDownload } from "@/server/route-response";

export const dynamic = "force-dynamic";

/**
 * GET /api/w/:slug/audit/exports.csv?from=&to=&user= — the export history matching the audit
 * page's filters as `<slug>-export-history.csv` (permission "read"). Errors as `{ error: { code, message } }`.
 */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return workspaceCsvDownload(slug, "GET /api/w/:slug/audit/exports.csv", async ({ db, workspace }) => {
    const { state } = parseAuditParams(new URL(request.url).searchParams);
    return { csv: await exportHistoryCsv({ db, workspaceId: workspace.id, state }), fileName: `${workspace.slug}-export-history.csv` };
  });
}
