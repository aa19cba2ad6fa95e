import "server-only";
/**
 * What a page does with the guard's refusals (docs/accounts.md): signed out → the sign-in page
 * (coming back afterwards when the page's path is known); the proxy catches most of these before
 * the page renders, this catches an expired or revoked session.
 */
import { redirect } from "next/navigation";
import { isAppError } from "../core/errors";
import { signInPath } from "../lib/auth-paths";

/** Redirects to sign-in when `error` is the guard's "unauthenticated"; returns otherwise. */
export function redirectIfSignedOut(error: unknown, next?: string): void {
  if (isAppError(error) && error.code === "unauthenticated") redirect(signInPath(next));
}
