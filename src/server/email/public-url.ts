import "server-only";
/**
 * The address people open Bright Run at, for links in e-mails (docs/email.md):
 * BRIGHTRUN_PUBLIC_URL when set, else the web server's own address when this process runs it
 * (rememberServerUrl, called by src/server/background.ts), else unknown (the e-mail then says where
 * to look instead of linking).
 */

const GLOBAL_KEY = Symbol.for("brightrun.serverUrl");

/** Remembers this process's web server address (e.g. http://localhost:3000). */
export function rememberServerUrl(url: string): void {
  (globalThis as unknown as Record<symbol, string | undefined>)[GLOBAL_KEY] = url;
}

/** The public base URL without a trailing slash, or null when it is not known. */
export function publicBaseUrl(env: Record<string, string | undefined> = process.env): string | null {
  const fromEnv = env.BRIGHTRUN_PUBLIC_URL?.trim();
  const url = fromEnv || (globalThis as unknown as Record<symbol, string | undefined>)[GLOBAL_KEY] || null;
  return url ? url.replace(/\/+$/, "") : null;
}
