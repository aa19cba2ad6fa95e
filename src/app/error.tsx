"use client";

import * as React from "react";

import { ErrorFallback, type RenderError } from "@/components/section-error-boundary";

/**
 * Route-level error boundary (Next.js `error.tsx`): a page that failed to render shows what
 * happened in plain English, the message and error id, "Try again" (calls `reset()`,
 * which re-renders the route segment) and "Report issue" (copies the error id, time and page;
 * US11.3.2). The header stays usable.
 */
export default function RouteError({ error, reset }: { error: RenderError; reset: () => void }) {
  const [occurredAt] = React.useState(() => new Date());

  React.useEffect(() => {
    console.error("This page failed to render", error);
  }, [error]);

  return (
    <div className="mx-auto w-full max-w-3xl p-4 lg:p-6">
      <ErrorFallback section="This page" scope="page" error={error} occurredAt={occurredAt} onRetry={reset} />
    </div>
  );
}
