import { isAppError } from "@/core/errors";
import { httpStatusFor } from "@/server/errors";
import { openWorkspace } from "@/server/workspace-context";
import { previewUploadedDocuments, readUploadForm } from "@/server/documents";

export const dynamic = "force-dynamic";

/**
 * POST /api/w/:slug/documents/preview — multipart form with `file` entries (and optional `category` entries
 * at the same positions). Reads and chunks each file, stores nothing.
 * 200: `{ previews: UploadPreview[] }`, one per file in order (a bad file is an entry with its
 * plain-English `message`); 400/403/503: `{ error: { code, message } }`.
 */
export async function POST(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  try {
    // The guard before the upload is read: a signed-out or read-only caller's files are never parsed.
    await openWorkspace(slug, "import");
    const files = await readUploadForm(request);
    return Response.json({ previews: await previewUploadedDocuments(slug, files) });
  } catch (error) {
    if (!isAppError(error)) throw error;
    return Response.json({ error: { code: error.code, message: error.message } }, { status: httpStatusFor(error) });
  }
}
