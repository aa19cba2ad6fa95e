import "server-only";
/**
 * The one wrapper every server action runs its body in (src/lib/dashboard-contract.ts): expected
 * failures come back as `{ ok: false, error }` with a plain-English message, because Next.js
 * hides thrown error messages in production builds. Not a "use server" module: it exports plain
 * functions for the action modules.
 */
import { ZodError } from "zod";
import { isAppError } from "../../core/errors";
import type { ActionError, ActionResult } from "../../lib/dashboard-contract";

/** Shown for errors that are not AppErrors (bugs, lost connections); the stack goes to the server log. */
export const UNEXPECTED_ERROR_MESSAGE = "Something went wrong on the server. Try again; if it keeps happening, check the server log.";

/** "target.ids[2]" style path of a zod issue, without the wrapping object names people never see. */
function fieldName(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join("");
}

/**
 * Turns any thrown value into an ActionError:
 * - AppError → its code, message and retryable;
 * - ZodError → code "invalid_input", retryable false, the first issue's message naming its field
 *   ("target.ids: Too small…", or the message alone when it already names the field: "Notes can be
 *   at most 500 characters.");
 * - anything else → code "internal_error", retryable true, a generic message; logs the stack.
 */
export function toActionError(error: unknown, actionName = "action"): ActionError {
  if (isAppError(error)) return { code: error.code, message: error.message, retryable: error.retryable };
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const field = issue ? fieldName(issue.path) : "";
    const message = issue?.message ?? "The request was not valid.";
    const lastKey = issue ? [...issue.path].reverse().find((p) => typeof p === "string") : undefined;
    const named = !field || (typeof lastKey === "string" && message.toLowerCase().includes(lastKey.toLowerCase()));
    return { code: "invalid_input", message: named ? message : `${field}: ${message}`, retryable: false };
  }
  console.error(`[brightrun] ${actionName} failed:`, error instanceof Error ? (error.stack ?? error.message) : error);
  return { code: "internal_error", message: UNEXPECTED_ERROR_MESSAGE, retryable: true };
}

/**
 * Runs an action's body and wraps the outcome: `{ ok: true, data }`, or `{ ok: false, error }`
 * as toActionError describes. Never throws.
 */
export async function runAction<T>(actionName: string, body: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await body() };
  } catch (error) {
    return { ok: false, error: toActionError(error, actionName) };
  }
}
