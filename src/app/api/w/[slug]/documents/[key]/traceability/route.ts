import { isAppError } from "@/core/errors";
import { httpStatusFor } from "@/server/errors";
import { loadDocumentTraceabilityCsv } from "@/server/traceability";

export const dynamic = "force-dynamic";

/** GET /api/w/:slug/documents/:key/traceability — the document's chunks and the conversations planned from each, as a CSV download. 404 for an unknown key. */
export async function GET(_request: Request, { params }: { params: Promise<{ slug: string; key: string }> }) {
  const { slug, key } = await params;
  try {
    const csv = await loadDocumentTraceabilityCsv(slug, decodeURIComponent(key));
    if (csv === null) return Response.json({ error: { code: "document_not_found", message: `No document has the key "${key}".` } }, { status: 404 });
    const file = `${key.replace(/[^a-z0-9_-]+/gi, "-")}-traceability.csv`;
    return new Response(csv, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${file}"` } });
  } catch (error) {
    if (!isAppError(error)) throw error;
    return Response.json({ error: { code: error.code, message: error.message } }, { status: httpStatusFor(error) });
  }
}
