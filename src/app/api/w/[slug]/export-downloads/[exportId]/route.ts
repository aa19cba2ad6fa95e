import fs from "node:fs";
import { Readable } from "node:stream";
import { openWorkspace } from "@/server/workspace-context";
import { findExportDownload } from "@/server/operations/export";
import { routeErrorResponse } from "@/server/route-response";

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
    return routeErrorResponse(error, "GET /api/w/:slug/export-downloads/:exportId");
  }
}
