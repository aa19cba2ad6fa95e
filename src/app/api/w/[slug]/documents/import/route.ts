import { isAppError } from "@/core/errors";
import { httpStatusFor } from "@/server/errors";
import { openWorkspace } from "@/server/workspace-context";
import { importUploadedDocuments, readUploadForm } from "@/server/documents";

export const dynamic = "force-dynamic";

/**
 * POST /api/w/:slug/documents/import — the same multipart form as the preview. Imports every file or none.
 * 200: `{ documents: [{ file, key, title, outcome, chunks, warnings }] }`;
 * 400 `import_invalid`: `{ error: { code, message, problems: [{ file, message }] } }` and nothing stored;
 * 403/503: `{ error: { code, message } }`.
 */
export async function POST(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  try {
    // The guard before the upload is read: a signed-out or read-only caller's files are never parsed.
    await openWorkspace(slug, "import");
    const files = await readUploadForm(request);
    return Response.json(await importUploadedDocuments(slug, files));
  } catch (error) {
    if (!isAppError(error)) throw error;
    const problems = Array.isArray(error.detail.problems) ? error.detail.problems : undefined;
    return Response.json({ error: { code: error.code, message: error.message, problems } }, { status: httpStatusFor(error) });
  }
}
