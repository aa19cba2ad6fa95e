import { parseAuditParams } from "@/lib/audit-params";
import { reviewLogCsv } from "@/server/audit";
import { workspaceCsvDownload } from "@/server/route-response";

export const dynamic = "force-dynamic";

/**
 * GET /api/w/:slug/audit/reviews.csv?from=&to=&conversation= — every review event (approve, reject, undo) in the audit
 * page's days as `<slug>-review-log.csv` (permission "read"). Errors as `{ error: { code, message } }`.
 */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return workspaceCsvDownload(slug, "GET /api/w/:slug/audit/reviews.csv", async ({ db, workspace }) => {
    const { state } = parseAuditParams(new URL(request.url).searchParams);
    return { csv: await reviewLogCsv({ db, workspaceId: workspace.id, state }), fileName: `${workspace.slug}-review-log.csv` };
  });
}
