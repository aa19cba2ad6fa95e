"use client";

import { useEffect, useState } from "react";

import { buildErrorReport, copyText, errorIdOf } from "@/lib/error-report";
import "./globals.css";

/**
 * Last-resort error page (Next.js `global-error.tsx`): replaces the root layout when the layout
 * itself fails, so it renders its own <html> and <body> and depends on nothing but React and
 * src/lib/error-report.ts. "Report issue" copies the report (error id, time, page; US11.3.2) and
 * says so on the page (the toaster lives in the layout that failed).
 */
export default function GlobalError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const [occurredAt] = useState(() => new Date());
  const [copied, setCopied] = useState<"copied" | string | null>(null);
  const errorId = errorIdOf(error);
  useEffect(() => {
    console.error("Bright Run failed to render", error);
  }, [error]);
  const report = async () => {
    const text = buildErrorReport({ errorId, error, occurredAt, section: "The whole app (its layout)", page: window.location.href, userAgent: navigator.userAgent });
    setCopied((await copyText(text)) ? "copied" : text);
  };

  return (
    <html lang="en">
      <body className="bg-background font-sans text-foreground antialiased">
        <main className="mx-auto flex min-h-screen max-w-xl flex-col justify-center gap-4 p-6" role="alert">
          <h1 className="text-xl font-semibold">Bright Run could not load</h1>
          <p className="text-sm text-muted-foreground">
            Something went wrong before the page could be shown. Try again; if it keeps happening, restart the app
            and check its log.
          </p>
          <p className="font-mono text-xs break-words">{error.message || "No error message was given."}</p>
          <p className="text-xs text-muted-foreground">
            Error id <code className="font-mono text-foreground">{errorId}</code> · {occurredAt.toLocaleString()}
          </p>
          <div className="flex gap-2">
            <button
              type="button"
              onClick={reset}
              className="inline-flex h-9 items-center rounded-md bg-primary px-4 text-sm font-medium text-primary-foreground outline-none hover:bg-primary/90 focus-visible:ring-[3px] focus-visible:ring-ring/50"
            >
              Try again
            </button>
            <button
              type="button"
              onClick={() => void report()}
              className="inline-flex h-9 items-center rounded-md border px-4 text-sm font-medium outline-none hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring/50"
            >
              Report issue
            </button>
            {/* A full reload on purpose: the client router may be what broke. */}
            {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
            <a
              href="/"
              className="inline-flex h-9 items-center rounded-md border px-4 text-sm font-medium outline-none hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring/50"
            >
              Go to Conversations
            </a>
          </div>
          <p role="status" className="text-sm">
            {copied === "copied" ? "Report copied: paste it into your issue or e-mail to whoever runs Bright Run, and add what you were doing." : null}
          </p>
          {copied && copied !== "copied" ? (
            <pre aria-label="Issue report" className="overflow-x-auto rounded border p-2 font-mono text-xs whitespace-pre-wrap select-all">
              {copied}
            </pre>
          ) : null}
        </main>
      </body>
    </html>
  );
}
