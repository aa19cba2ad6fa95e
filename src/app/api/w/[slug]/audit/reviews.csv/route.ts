import { isAppError } from "@/core/errors";
import { parseAuditParams } from "@/lib/audit-params";
import { toActionError } from "@/server/actions/action-result";
import { reviewLogCsv } from "@/server/audit";
import { httpStatusFor } from "@/server/errors";
import { openWorkspace } from "@/server/workspace-context";

export const dynamic = "force-dynamic";

/**
 * GET /api/w/:slug/audit/reviews.csv?from=&to=&conversation= — every review event (approve, reject, undo) in the audit
 * page's days as `<slug>-review-log.csv` (permission "read"). Errors as `{ error: { code, message } }`.
 */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  try {
    const { db, workspace } = await openWorkspace(slug, "read");
    const { state } = parseAuditParams(new URL(request.url).searchParams);
    const csv = await reviewLogCsv({ db, workspaceId: workspace.id, state });
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${workspace.slug}-review-log.csv"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    const { code, message } = isAppError(error) ? { code: error.code, message: error.message } : toActionError(error, "GET /api/w/:slug/audit/reviews.csv");
    return Response.json({ error: { code, message } }, { status: isAppError(error) ? httpStatusFor(error) : 500 });
  }
}
