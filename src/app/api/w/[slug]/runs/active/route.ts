import { isAppError } from "@/core/errors";
import { toActionError } from "@/server/actions/action-result";
import { listActiveRunProgress } from "@/server/dashboard";
import { openWorkspace } from "@/server/workspace-context";
import { httpStatusFor } from "@/server/errors";

export const dynamic = "force-dynamic";

const ROUTE = "/api/w/:slug/runs/active";

/** GET /api/w/:slug/runs/active — `{ runs: RunProgress[] }`: every unfinished run (running or paused) of the workspace, newest first. */
export async function GET(_request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  try {
    const { db, workspace } = await openWorkspace(slug, "read");
    return Response.json({ runs: await listActiveRunProgress({ db, workspaceId: workspace.id }) });
  } catch (error) {
    if (isAppError(error)) return Response.json({ error: { code: error.code, message: error.message } }, { status: httpStatusFor(error) });
    const { code, message } = toActionError(error, "GET " + ROUTE);
    return Response.json({ error: { code, message } }, { status: 500 });
  }
}
