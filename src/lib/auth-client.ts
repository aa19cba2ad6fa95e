"use client";
/**
 * The browser side of better-auth (docs/accounts.md): sign in, sign out and password reset go
 * through its HTTP endpoints (/api/auth/*), where the rate limits and the account lockout apply.
 */
import { createAuthClient } from "better-auth/react";

export const authClient = createAuthClient();

/** The plain-English message of a better-auth error answer (a 429 says when to retry). */
export function authErrorMessage(error: { status?: number; message?: string; code?: string } | null | undefined): string {
  if (!error) return "";
  if (error.status === 429) return error.message && /locked|try again/i.test(error.message) ? error.message : "Too many attempts from this browser. Wait a few seconds and try again.";
  if (error.status === 401 || error.code === "INVALID_EMAIL_OR_PASSWORD") return "That e-mail and password do not match an account. Check them, or reset your password.";
  return error.message || "The server did not answer. Check that Bright Run is running and try again.";
}
