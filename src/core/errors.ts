/**
 * The one typed error of the project (ARCHITECTURE.md, "Errors are typed").
 *
 * - `code`: a stable machine code ("import_invalid", "rate_limited", …)
 * - `message`: plain English for people: what happened and what to do next
 * - `retryable`: whether trying the same thing again may succeed
 * - `detail`: technical facts for logs (HTTP status, raw body, JSON path…)
 */
export class AppError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly detail: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    options: { retryable?: boolean; detail?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.detail = options.detail ?? {};
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** A JSON-safe summary of any thrown value, as stored in `conversations.last_error`. */
export function toPlainError(error: unknown): {
  code: string;
  message: string;
  retryable: boolean;
  detail: Record<string, unknown>;
} {
  if (isAppError(error)) {
    return { code: error.code, message: error.message, retryable: error.retryable, detail: error.detail };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: "internal_error", message, retryable: false, detail: {} };
}
