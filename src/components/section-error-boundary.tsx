"use client";

import * as React from "react";
import { useRouter } from "next/navigation";
import { CopyIcon, RefreshCwIcon, TriangleAlertIcon } from "lucide-react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";

/** An error as React and Next.js hand it over: server errors carry a `digest` that matches the server log. */
export type RenderError = Error & { digest?: string };

/**
 * Copies a plain-text error report (section, message, digest, time, URL) for a bug report.
 * Tries the async Clipboard API first, then a hidden textarea + execCommand (plain HTTP on a
 * LAN address is not a secure context, where navigator.clipboard is missing).
 * Toasts "Details copied", or an error toast telling the user to select the text by hand.
 */
export async function copyErrorDetails({
  section,
  error,
  occurredAt,
}: {
  section: string;
  error: RenderError;
  occurredAt: Date;
}): Promise<void> {
  const text = [
    `Section: ${section}`,
    `Message: ${error.message || "(no message)"}`,
    `Digest: ${error.digest ?? "(none)"}`,
    `Time: ${occurredAt.toISOString()}`,
    `URL: ${typeof window === "undefined" ? "(unknown)" : window.location.href}`,
  ].join("\n");
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
    } else {
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      const ok = document.execCommand("copy");
      area.remove();
      if (!ok) throw new Error("execCommand('copy') returned false");
    }
    toast.success("Details copied");
  } catch (cause) {
    console.error("Could not copy error details", cause);
    toast.error("Could not copy the details", {
      description: "Your browser blocked the clipboard. Select the message on the page and copy it by hand.",
    });
  }
}

/**
 * The plain-English "this part failed" panel shared by SectionErrorBoundary and the route-level
 * error page: what failed, that the rest still works (when `scope="section"`), the error message
 * and digest, a "Try again" button (`onRetry`) and a "Copy details" button.
 */
export function ErrorFallback({
  section,
  error,
  occurredAt,
  onRetry,
  scope = "section",
}: {
  /** What failed, in the user's words: "Conversation table", "This page". */
  section: string;
  error: RenderError;
  occurredAt: Date;
  onRetry: () => void;
  /** "section": one part of a page (the rest still works); "page": the whole route. */
  scope?: "section" | "page";
}) {
  const titleId = React.useId();
  return (
    <div
      role="alert"
      aria-labelledby={titleId}
      data-slot="error-fallback"
      className="flex flex-col gap-3 rounded-lg border border-destructive/40 bg-destructive/5 p-4 text-sm"
    >
      <div className="flex items-start gap-3">
        <TriangleAlertIcon className="mt-0.5 size-5 shrink-0 text-destructive" aria-hidden="true" />
        <div className="flex min-w-0 flex-col gap-1">
          <h2 id={titleId} className="font-semibold text-foreground">
            {scope === "section" ? `${section} failed to load` : `${section} could not be shown`}
          </h2>
          <p className="text-muted-foreground">
            {scope === "section"
              ? "The rest of the page still works. Try again; if it keeps failing, copy the details for a bug report."
              : "Something went wrong while loading it. Try again; if it keeps failing, copy the details for a bug report."}
          </p>
          <p className="font-mono text-xs break-words text-foreground">
            {error.message || "No error message was given."}
            {error.digest ? <span className="text-muted-foreground"> (digest {error.digest})</span> : null}
          </p>
        </div>
      </div>
      <div className="flex flex-wrap gap-2 pl-8">
        <Button size="sm" onClick={onRetry}>
          <RefreshCwIcon aria-hidden="true" />
          Try again
        </Button>
        <Button size="sm" variant="outline" onClick={() => void copyErrorDetails({ section, error, occurredAt })}>
          <CopyIcon aria-hidden="true" />
          Copy details
        </Button>
      </div>
    </div>
  );
}

/** The section fallback's retry: re-fetch the server data (router.refresh) and re-render the section. */
function SectionRetryFallback({
  section,
  error,
  occurredAt,
  reset,
}: {
  section: string;
  error: RenderError;
  occurredAt: Date;
  reset: () => void;
}) {
  const router = useRouter();
  const onRetry = () => {
    React.startTransition(() => {
      router.refresh();
      reset();
    });
  };
  return <ErrorFallback section={section} error={error} occurredAt={occurredAt} onRetry={onRetry} />;
}

type SectionErrorBoundaryProps = {
  /** The section's name as a user would say it, e.g. "Conversation table". */
  section: string;
  children: React.ReactNode;
};

type SectionErrorBoundaryState = { error: RenderError | null; occurredAt: Date | null };

/**
 * Contains a render error to one section of a page: instead of the whole page failing, the
 * section shows ErrorFallback ("Conversation table failed to load… the rest of the page still
 * works", the message, Try again, Copy details). "Try again" refreshes the server data and
 * re-renders the section. The error is logged with console.error.
 *
 * @example <SectionErrorBoundary section="Conversation table"><ConversationTable … /></SectionErrorBoundary>
 */
export class SectionErrorBoundary extends React.Component<SectionErrorBoundaryProps, SectionErrorBoundaryState> {
  state: SectionErrorBoundaryState = { error: null, occurredAt: null };

  static getDerivedStateFromError(error: unknown): SectionErrorBoundaryState {
    const normalized: RenderError = error instanceof Error ? error : new Error(String(error));
    return { error: normalized, occurredAt: new Date() };
  }

  componentDidCatch(error: unknown, info: React.ErrorInfo): void {
    console.error(`[${this.props.section}] failed to render`, error, info.componentStack);
  }

  reset = (): void => {
    this.setState({ error: null, occurredAt: null });
  };

  render(): React.ReactNode {
    const { error, occurredAt } = this.state;
    if (error && occurredAt) {
      return (
        <SectionRetryFallback section={this.props.section} error={error} occurredAt={occurredAt} reset={this.reset} />
      );
    }
    return this.props.children;
  }
}
