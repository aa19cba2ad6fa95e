import { isAppError } from "@/core/errors";
import { toActionError } from "@/server/actions/action-result";
import { loadConversationDetail } from "@/server/conversation-detail";
import { httpStatusFor } from "@/server/errors";

export const dynamic = "force-dynamic";

const ROUTE = "/api/w/:slug/conversations/:conversationId";

/**
 * GET /api/w/:slug/conversations/:conversationId — ConversationDetail as JSON; errors as
 * `{ error: { code, message } }` (404 unknown id or workspace). `?read=1` (the preview) also records
 * the first time someone read it, for the first-run checklist.
 */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string; conversationId: string }> }) {
  const { slug, conversationId } = await params;
  try {
    const asRead = new URL(request.url).searchParams.get("read") === "1";
    return Response.json(await loadConversationDetail(slug, conversationId, { asRead }));
  } catch (error) {
    if (isAppError(error)) return Response.json({ error: { code: error.code, message: error.message } }, { status: httpStatusFor(error) });
    const { code, message } = toActionError(error, "GET " + ROUTE);
    return Response.json({ error: { code, message } }, { status: 500 });
  }
}
