import "server-only";
import { isAppError } from "../core/errors";
import type { WorkspaceRow } from "./db/schema";
import { toActionError } from "./actions/action-result";
import type { DbOrTx } from "./db/client";
import { httpStatusFor } from "./errors";
import { openWorkspace } from "./workspace-context";

/**
 * The JSON error of a route handler: `{ error: { code, message } }` with the AppError's HTTP status
 * (server/errors.ts), or 500 and a logged, plain-English message for anything else.
 * @param route what is logged for an unexpected error ("GET /api/w/:slug/coverage.csv")
 */
export function routeErrorResponse(error: unknown, route: string): Response {
  const { code, message } = isAppError(error) ? { code: error.code, message: error.message } : toActionError(error, route);
  return Response.json({ error: { code, message } }, { status: isAppError(error) ? httpStatusFor(error) : 500 });
}

/**
 * A CSV download of one workspace (permission "read": it writes nothing): opens the workspace,
 * asks `make` for the file's text and name, and answers it as an attachment (text/csv, no-store);
 * any error as routeErrorResponse.
 * @param make builds the CSV; its errors (an unknown workspace, a bad parameter) become the JSON error
 */
export async function workspaceCsvDownload(
  slug: string,
  route: string,
  make: (opened: { db: DbOrTx; workspace: WorkspaceRow }) => Promise<{ csv: string; fileName: string }>,
): Promise<Response> {
  try {
    const { db, workspace } = await openWorkspace(slug, "read");
    const { csv, fileName } = await make({ db, workspace });
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${fileName}"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    return routeErrorResponse(error, route);
  }
}
