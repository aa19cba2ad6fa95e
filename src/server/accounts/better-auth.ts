import "server-only";
/**
 * The better-auth instance (issue 14, item 1; docs/accounts.md): e-mail + password accounts
 * (scrypt hashes, better-auth's default), sessions in the database, HttpOnly SameSite=Lax cookies
 * named `brightrun.*`, rate limits in the database, and our per-account lockout
 * (login-lockout.ts). Public sign-up is off: accounts are made by the set-up page (the first
 * owner), by accepting an invitation, or by the CLI (`brightrun users create-owner`), all through
 * `createAccount` in accounts.ts.
 *
 * One instance per database handle (the web server has one; tests open several).
 */
import { hkdfSync } from "node:crypto";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { AUTH_COOKIE_PREFIX } from "../../lib/auth-paths";
import type { DatabaseHandle } from "../db/client";
import { authAccounts, authRateLimits, authSessions, authVerifications, users } from "../db/schema";
import { loadSecretKey } from "../settings/secret-box";
import { clearFailedSignIns, lockedUntil, recordFailedSignIn, retryMessage } from "./login-lockout";

/** Shortest password accepted (NIST SP 800-63B §5.1.1.2 asks for at least 8; we ask 10). */
export const MIN_PASSWORD_LENGTH = 10;
/** How long a session lasts without use, seconds (better-auth's default, 7 days). */
export const SESSION_EXPIRES_IN_S = 7 * 24 * 60 * 60;

/** Who gets the password-reset link: set by the e-mail module when SMTP is configured. */
export type ResetLinkSender = (input: { user: { id: string; email: string; name: string }; url: string }) => Promise<void>;
let resetLinkSender: ResetLinkSender | null = null;
/** Registers how reset links are e-mailed (src/server/accounts/password-reset.ts). */
export function setResetLinkSender(sender: ResetLinkSender | null): void {
  resetLinkSender = sender;
}

function buildAuth(handle: DatabaseHandle) {
  const secret = Buffer.from(hkdfSync("sha256", loadSecretKey().key, Buffer.alloc(0), "brightrun-auth-v1", 32)).toString("hex");
  const db = handle.db;
  return betterAuth({
    appName: "Bright Run",
    secret,
    baseURL: process.env.BRIGHTRUN_PUBLIC_URL || undefined,
    trustedOrigins: process.env.BRIGHTRUN_PUBLIC_URL ? [process.env.BRIGHTRUN_PUBLIC_URL] : undefined,
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: { user: users, session: authSessions, account: authAccounts, verification: authVerifications, rateLimit: authRateLimits },
    }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      revokeSessionsOnPasswordReset: true,
      resetPasswordTokenExpiresIn: 60 * 60,
      sendResetPassword: async ({ user, url }) => {
        if (!resetLinkSender) throw new APIError("BAD_REQUEST", { message: "E-mail is not set up on this installation. Ask the owner to reset your password from the Members page." });
        await resetLinkSender({ user, url });
      },
      onPasswordReset: async ({ user }) => {
        await clearFailedSignIns(db, user.email);
      },
    },
    session: { expiresIn: SESSION_EXPIRES_IN_S },
    rateLimit: {
      enabled: true,
      storage: "database",
      // better-auth's defaults (100 requests per 10 s), and its stricter sign-in rule.
      customRules: { "/sign-in/email": { window: 10, max: 3 }, "/request-password-reset": { window: 60, max: 3 } },
    },
    advanced: { cookiePrefix: AUTH_COOKIE_PREFIX },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const email = typeof ctx.body?.email === "string" ? ctx.body.email : "";
        const until = email ? await lockedUntil(db, email) : null;
        if (until) {
          throw new APIError("TOO_MANY_REQUESTS", { message: retryMessage(until), code: "ACCOUNT_LOCKED" });
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const email = typeof ctx.body?.email === "string" ? ctx.body.email : "";
        if (!email) return;
        const returned = ctx.context.returned;
        if (returned instanceof APIError) {
          if (returned.statusCode === 401) await recordFailedSignIn(db, email);
        } else if (ctx.context.newSession) {
          await clearFailedSignIns(db, email);
        }
      }),
    },
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof buildAuth>;

const instances = new WeakMap<DatabaseHandle, Auth>();

/** The better-auth instance on `handle` (made on first use). */
export function getAuth(handle: DatabaseHandle): Auth {
  let auth = instances.get(handle);
  if (!auth) {
    auth = buildAuth(handle);
    instances.set(handle, auth);
  }
  return auth;
}
