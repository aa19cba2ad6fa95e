import { parseAuditParams } from "@/lib/audit-params";
import { generationLogCsv, generationLogFilterOf } from "@/server/audit";
import { workspaceCsvDownload } from "@/server/route-response";

export const dynamic = "force-dynamic";

/**
 * GET /api/w/:slug/audit/generation.csv?from=&to=&user=&conversation=&run=&template=&kind=&error=
 * — every generation log call matching the audit page's filters as `<slug>-generation-log.csv`
 * (permission "read": it writes nothing). Unusable params are ignored as on the page. Errors as
 * `{ error: { code, message } }`.
 */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return workspaceCsvDownload(slug, "GET /api/w/:slug/audit/generation.csv", async ({ db, workspace }) => {
    const { state } = parseAuditParams(new URL(request.url).searchParams);
    return { csv: await generationLogCsv({ db, workspaceId: workspace.id, filter: generationLogFilterOf(state) }), fileName: `${workspace.slug}-generation-log.csv` };
  });
}
