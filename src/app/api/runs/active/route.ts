import { isAppError } from "@/core/errors";
import { toActionError } from "@/server/actions/action-result";
import { requireUser } from "@/server/auth";
import { listActiveRunProgress } from "@/server/dashboard";
import { getDatabase } from "@/server/db/instance";
import { httpStatusFor } from "@/server/errors";

export const dynamic = "force-dynamic";

const ROUTE = "/api/runs/active";

/** GET /api/runs/active — `{ runs: RunProgress[] }`: every unfinished run (running or paused), newest first. */
export async function GET() {
  try {
    await requireUser("read");
    const { db } = await getDatabase();
    return Response.json({ runs: await listActiveRunProgress({ db }) });
  } catch (error) {
    if (isAppError(error)) return Response.json({ error: { code: error.code, message: error.message } }, { status: httpStatusFor(error) });
    const { code, message } = toActionError(error, "GET " + ROUTE);
    return Response.json({ error: { code, message } }, { status: 500 });
  }
}
