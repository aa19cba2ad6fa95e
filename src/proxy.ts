/**
 * Sends a browser without a session cookie to the sign-in page before a page renders (docs/accounts.md).
 * A first pass only: the cookie's session is checked by the guard (`requireUser`) on every page,
 * action and route, which is what actually refuses a request.
 */
import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";
import { AUTH_COOKIE_PREFIX, isPublicPage, signInPath } from "./lib/auth-paths";

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (isPublicPage(pathname)) return NextResponse.next();
  if (getSessionCookie(request, { cookiePrefix: AUTH_COOKIE_PREFIX })) return NextResponse.next();
  return NextResponse.redirect(new URL(signInPath(pathname + search), request.url));
}

export const config = {
  // Pages only: API routes answer 401 themselves; Next's assets and the icon are public.
  matcher: ["/((?!api/|_next/|icon.svg|favicon.ico).*)"],
};
