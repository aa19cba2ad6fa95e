import { isAppError } from "@/core/errors";
import { toActionError } from "@/server/actions/action-result";
import { loadConversationDetail } from "@/server/conversation-detail";
import { httpStatusFor } from "@/server/errors";

export const dynamic = "force-dynamic";

const ROUTE = "/api/conversations/:conversationId";

/** GET /api/conversations/:conversationId — ConversationDetail as JSON; errors as `{ error: { code, message } }` (404 unknown id). */
export async function GET(_request: Request, { params }: { params: Promise<{ conversationId: string }> }) {
  const { conversationId } = await params;
  try {
    return Response.json(await loadConversationDetail(conversationId));
  } catch (error) {
    if (isAppError(error)) return Response.json({ error: { code: error.code, message: error.message } }, { status: httpStatusFor(error) });
    const { code, message } = toActionError(error, "GET " + ROUTE);
    return Response.json({ error: { code, message } }, { status: 500 });
  }
}
