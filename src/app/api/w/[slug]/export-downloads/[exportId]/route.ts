import fs from "node:fs";
import { Readable } from "node:stream";
import { isAppError } from "@/core/errors";
import { toActionError } from "@/server/actions/action-result";
import { openWorkspace } from "@/server/workspace-context";
import { httpStatusFor } from "@/server/errors";
import { findExportDownload } from "@/server/operations/export";

export const dynamic = "force-dynamic";

/** `filename="…"` with an ASCII fallback plus RFC 6266 / RFC 5987 `filename*` for any other character. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * GET /api/w/:slug/export-downloads/:exportId[?file=NAME] — streams one file of an export (permission
 * "export") as an attachment: the data file, or `file`, which must be one of that export's own
 * files (its manifest, dataset_info.json, README.md). Files come only from the export's own
 * folder as export_logs records it; 404 with a plain message when the id is unknown, the name is
 * not one of its files, or the files are gone or were replaced.
 */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string; exportId: string }> }) {
  const { slug, exportId } = await params;
  try {
    const { db, workspace } = await openWorkspace(slug, "export", { changesData: false });
    const fileName = new URL(request.url).searchParams.get("file");
    const download = await findExportDownload({ db, workspaceId: workspace.id, exportId, fileName });
    const stream = Readable.toWeb(fs.createReadStream(download.filePath)) as ReadableStream<Uint8Array>;
    return new Response(stream, {
      headers: {
        "Content-Type": download.contentType,
        "Content-Length": String(download.size),
        "Content-Disposition": contentDisposition(download.fileName),
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    const { code, message } = isAppError(error) ? { code: error.code, message: error.message } : toActionError(error, "GET /api/w/:slug/export-downloads/:exportId");
    return Response.json({ error: { code, message } }, { status: isAppError(error) ? httpStatusFor(error) : 500 });
  }
}
