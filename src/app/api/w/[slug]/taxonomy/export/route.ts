import { isAppError } from "@/core/errors";
import { taxonomyFileText } from "@/core/taxonomy/taxonomy-file";
import { toActionError } from "@/server/actions/action-result";
import { httpStatusFor } from "@/server/errors";
import { taxonomyForDownload } from "@/server/taxonomy";
import { openWorkspace } from "@/server/workspace-context";

export const dynamic = "force-dynamic";

/**
 * GET /api/w/:slug/taxonomy/export — the workspace's whole taxonomy as `<slug>-taxonomy.json`, the
 * same file `brightrun import` and the taxonomy page's Import read (permission "export").
 * 404 `taxonomy_empty` when there is nothing to export; errors as `{ error: { code, message } }`.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  try {
    const { db, workspace } = await openWorkspace(slug, "export", { changesData: false });
    const text = taxonomyFileText(await taxonomyForDownload(db, workspace.id));
    return new Response(text, {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="${workspace.slug}-taxonomy.json"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    const { code, message } = isAppError(error) ? { code: error.code, message: error.message } : toActionError(error, "GET /api/w/:slug/taxonomy/export");
    return Response.json({ error: { code, message } }, { status: isAppError(error) ? (code === "taxonomy_empty" ? 404 : httpStatusFor(error)) : 500 });
  }
}
