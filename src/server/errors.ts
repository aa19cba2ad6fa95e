/**
 * Re-export of the one typed error for server code. The class itself lives in core so the CLI
 * and the worker use the same one. Also the one mapping of an AppError to an HTTP status, for every
 * route handler.
 */
import type { AppError } from "../core/errors";

export { AppError, isAppError, toPlainError } from "../core/errors";

/**
 * The HTTP status of an AppError in a route's JSON answer (RFC 9110): 401 "unauthenticated"; 403 "forbidden"; 503 when the
 * database is held or unreachable ("database_locked", "database_unreachable"); 404 for a code ending
 * in "_not_found"; 400 for one ending in "_invalid" (the request or its upload); otherwise 500.
 */
export function httpStatusFor(error: Pick<AppError, "code">): number {
  if (error.code === "unauthenticated") return 401;
  if (error.code === "forbidden") return 403;
  if (error.code === "database_locked" || error.code === "database_unreachable") return 503;
  if (error.code.endsWith("_not_found")) return 404;
  if (error.code.endsWith("_invalid")) return 400;
  return 500;
}
