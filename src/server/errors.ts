/**
 * Re-export of the one typed error for server code. The class itself lives in core so the CLI
 * and the worker use the same one.
 */
export { AppError, isAppError, toPlainError } from "../core/errors";
