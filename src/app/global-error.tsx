"use client";

import { useEffect } from "react";

import "./globals.css";

/**
 * Last-resort error page (Next.js `global-error.tsx`): replaces the root layout when the layout
 * itself fails, so it renders its own <html> and <body> and depends on nothing but React.
 */
export default function GlobalError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  useEffect(() => {
    console.error("Bright Run failed to render", error);
  }, [error]);

  return (
    <html lang="en">
      <body className="bg-background font-sans text-foreground antialiased">
        <main className="mx-auto flex min-h-screen max-w-xl flex-col justify-center gap-4 p-6" role="alert">
          <h1 className="text-xl font-semibold">Bright Run could not load</h1>
          <p className="text-sm text-muted-foreground">
            Something went wrong before the page could be shown. Try again; if it keeps happening, restart the app
            and check its log.
          </p>
          <p className="font-mono text-xs break-words">
            {error.message || "No error message was given."}
            {error.digest ? ` (digest ${error.digest})` : null}
          </p>
          <div className="flex gap-2">
            <button
              type="button"
              onClick={reset}
              className="inline-flex h-9 items-center rounded-md bg-primary px-4 text-sm font-medium text-primary-foreground outline-none hover:bg-primary/90 focus-visible:ring-[3px] focus-visible:ring-ring/50"
            >
              Try again
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
        </main>
      </body>
    </html>
  );
}
