/**
 * The "Report issue" report of the error boundaries (US11.3.2): a plain-text report with the
 * error id, the time and the page, which the user pastes into an issue or an e-mail. Used by
 * src/components/section-error-boundary.tsx (sections and route pages) and src/app/global-error.tsx
 * (which must depend on nothing but React and this file).
 */

/** An error as React and Next.js hand it over: server errors carry a `digest` that matches the server log. */
export type ReportableError = Error & { digest?: string };

const browserIds = new WeakMap<object, string>();

/**
 * The error's id: Next.js's `digest` for an error thrown on the server (the same id is in the
 * server's log), otherwise an id made in the browser ("c-" and 8 hex digits) so every report can
 * still be told apart. The same error object always gets the same id.
 */
export function errorIdOf(error: ReportableError): string {
  if (error.digest) return error.digest;
  let id = browserIds.get(error);
  if (!id) {
    const bytes = new Uint8Array(4);
    globalThis.crypto.getRandomValues(bytes);
    id = `c-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
    browserIds.set(error, id);
  }
  return id;
}

/**
 * The report's text, one "Label: value" per line: error id, time (ISO 8601, UTC), page (URL), the
 * part of the page that failed, the message, whether the id is the server's, and the browser.
 * @param page the page's address (window.location.href); "(unknown)" when not given
 */
export function buildErrorReport({
  errorId,
  error,
  occurredAt,
  section,
  page,
  userAgent,
}: {
  errorId: string;
  error: ReportableError;
  occurredAt: Date;
  section: string;
  page?: string;
  userAgent?: string;
}): string {
  return [
    "Bright Run issue report",
    `Error id: ${errorId}${error.digest ? " (the server's log has the same id)" : " (made in the browser; the server did not see this error)"}`,
    `Time: ${occurredAt.toISOString()}`,
    `Page: ${page ?? "(unknown)"}`,
    `What failed: ${section}`,
    `Message: ${error.message || "(no message)"}`,
    `Browser: ${userAgent ?? "(unknown)"}`,
    "",
    "What I was doing:",
  ].join("\n");
}

/**
 * Puts `text` on the clipboard: the async Clipboard API first, then a hidden textarea +
 * execCommand (plain HTTP on a LAN address is not a secure context, where navigator.clipboard is
 * missing). Resolves true when copied, false when the browser refused (the caller shows the text
 * to copy by hand). Throws nothing.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  } catch (cause) {
    console.error("Could not copy to the clipboard", cause);
    return false;
  }
}
