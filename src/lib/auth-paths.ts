/**
 * Where signing in happens (docs/accounts.md): the pages anyone may open, the session cookie's
 * prefix, and the safe "next" target after signing in. Client-safe; the proxy, the pages and the
 * better-auth instance read these.
 */

/** The prefix of every auth cookie: `brightrun.session_token`. */
export const AUTH_COOKIE_PREFIX = "brightrun";

/** Pages anyone may open: signing in, the set-up, invitations and password resets. */
export const PUBLIC_PAGES = ["/sign-in", "/setup", "/invite", "/forgot-password", "/reset-password"] as const;

/** Whether `pathname` is one of PUBLIC_PAGES (or below one). */
export function isPublicPage(pathname: string): boolean {
  return PUBLIC_PAGES.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

/** The sign-in page, coming back to `next` afterwards. */
export function signInPath(next?: string | null): string {
  const target = safeNext(next);
  return target === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(target)}`;
}

/** `next` if it is a path on this site (never another origin, never sign-in or set-up again), else "/". */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  const path = next.split("?")[0]!;
  return path === "/sign-in" || path === "/setup" ? "/" : next;
}
