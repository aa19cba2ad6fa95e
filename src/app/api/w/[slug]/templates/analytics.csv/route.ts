import { parseTemplateAnalyticsFilter } from "@/lib/template-analytics-filter";
import { loadTemplateAnalytics, templateAnalyticsCsv } from "@/server/template-analytics";
import { workspaceCsvDownload } from "@/server/route-response";

export const dynamic = "force-dynamic";

/**
 * GET /api/w/:slug/templates/analytics.csv?tier=&period= — the template analytics table as
 * `<slug>-template-analytics.csv`, with the same filter as the page (permission "read": it writes
 * nothing). Errors as `{ error: { code, message } }`.
 */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return workspaceCsvDownload(slug, "GET /api/w/:slug/templates/analytics.csv", async ({ db, workspace }) => {
    const filter = parseTemplateAnalyticsFilter(new URL(request.url).searchParams);
    return { csv: templateAnalyticsCsv(await loadTemplateAnalytics({ db, workspaceId: workspace.id, filter })), fileName: `${workspace.slug}-template-analytics.csv` };
  });
}
