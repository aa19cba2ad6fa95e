import { isAppError } from "@/core/errors";
import { parseTemplateAnalyticsFilter } from "@/lib/template-analytics-filter";
import { toActionError } from "@/server/actions/action-result";
import { httpStatusFor } from "@/server/errors";
import { loadTemplateAnalytics, templateAnalyticsCsv } from "@/server/template-analytics";
import { openWorkspace } from "@/server/workspace-context";

export const dynamic = "force-dynamic";

/**
 * GET /api/w/:slug/templates/analytics.csv?tier=&period= — the template analytics table as
 * `<slug>-template-analytics.csv`, with the same filter as the page (permission "read": it writes
 * nothing). Errors as `{ error: { code, message } }`.
 */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  try {
    const { db, workspace } = await openWorkspace(slug, "read");
    const filter = parseTemplateAnalyticsFilter(new URL(request.url).searchParams);
    const csv = templateAnalyticsCsv(await loadTemplateAnalytics({ db, workspaceId: workspace.id, filter }));
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${workspace.slug}-template-analytics.csv"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    const { code, message } = isAppError(error) ? { code: error.code, message: error.message } : toActionError(error, "GET /api/w/:slug/templates/analytics.csv");
    return Response.json({ error: { code, message } }, { status: isAppError(error) ? httpStatusFor(error) : 500 });
  }
}
