import { isAppError } from "@/core/errors";
import { httpStatusFor } from "@/server/errors";
import { loadRunProgress } from "@/server/run-events";

export const dynamic = "force-dynamic";

/** GET /api/w/:slug/runs/:id — a generation run's progress as JSON (the fields of RunProgress). */
export async function GET(_request: Request, { params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  try {
    return Response.json(await loadRunProgress(slug, id));
  } catch (error) {
    if (!isAppError(error)) throw error;
    return Response.json({ error: { code: error.code, message: error.message } }, { status: httpStatusFor(error) });
  }
}
