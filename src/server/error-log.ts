import "server-only";
/** What the error log page (/errors, US2.2.2) shows: one page of failed generation calls and the codes seen. */
import type { ErrorLogState } from "../lib/error-log-params";
import { sinceToDate } from "../lib/error-log-params";
import { openWorkspace } from "./workspace-context";
import { listGenerationErrorCodes, listGenerationErrors, type GenerationErrorCodeCount, type GenerationErrorRow } from "./db/queries/error-log";

/** One failed call as the page renders it (dates as ISO 8601 strings: plain JSON for client components). */
export type ErrorLogRow = Omit<GenerationErrorRow, "createdAt"> & { createdAt: string };

export interface ErrorLog {
  rows: ErrorLogRow[];
  /** Failed calls matching the filters. */
  total: number;
  page: number;
  perPage: number;
  /** Every error code in the log with its count (all time), for the Code filter. */
  codes: GenerationErrorCodeCount[];
}

/**
 * Loads the error log for the current user (permission "read").
 * @param state the parsed URL state (parseErrorLogParams); `since` is counted back from now
 * @throws AppError "forbidden" without permission, and the database's errors ("database_locked"
 *   when the CLI holds the embedded database).
 */
export async function loadErrorLog(workspaceSlug: string, state: ErrorLogState): Promise<ErrorLog> {
  const { db, workspace } = await openWorkspace(workspaceSlug, "read");
  const workspaceId = workspace.id;
  const since = sinceToDate(state.since);
  const [page, codes] = await Promise.all([
    listGenerationErrors({
      db,
      workspaceId,
      filter: {
        code: state.code.length ? state.code : undefined,
        tier: state.tier.length ? state.tier : undefined,
        retryable: state.retryable ?? undefined,
        since: since ?? undefined,
      },
      page: state.page,
      perPage: state.perPage,
    }),
    listGenerationErrorCodes({ db, workspaceId }),
  ]);
  return {
    rows: page.rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })),
    total: page.total,
    page: page.page,
    perPage: page.perPage,
    codes,
  };
}
