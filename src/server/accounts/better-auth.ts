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
import { isEmailConfigured, queueEmail } from "../jobs/email-job";
import { clearFailedSignIns, lockedUntil, recordFailedSignIn, retryMessage } from "./login-lockout";

/** Shortest password accepted (NIST SP 800-63B §5.1.1.2 asks for at least 8; we ask 10). */
export const MIN_PASSWORD_LENGTH = 10;
/** How long a session lasts without use, seconds (better-auth's default, 7 days). */
export const SESSION_EXPIRES_IN_S = 7 * 24 * 60 * 60;

function buildAuth(handle: DatabaseHandle) {
  // The key that seals API keys, from the same data directory (or BRIGHTRUN_SECRET_KEY), stretched into the session-signing secret.
  const dataDir = handle.kind === "pglite" && handle.location !== "memory" ? handle.location : undefined;
  const secret = Buffer.from(hkdfSync("sha256", loadSecretKey({ dataDir }).key, Buffer.alloc(0), "brightrun-auth-v1", 32)).toString("hex");
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
        // The endpoint answers the same whatever happens (so nobody learns which addresses have
        // accounts); the forgot-password page says beforehand when no mail server is set up.
        if (!(await isEmailConfigured(db))) {
          console.warn(`[brightrun] A password reset was asked for ${user.email}, but e-mail is not set up: nothing was sent. A workspace owner can make a reset link on the Members page.`);
          return;
        }
        await queueEmail(db, {
          kind: "password_reset",
          to: user.email,
          userId: user.id,
          subject: "Reset your Bright Run password",
          text: `Hello ${user.name},\n\nSomeone (hopefully you) asked to reset the password of your Bright Run account. Open this link within one hour to choose a new one:\n\n${url}\n\nIf it was not you, ignore this message: your password stays as it is.\n`,
        });
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
