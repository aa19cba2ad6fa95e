"use client";

import * as React from "react";
import { useRouter } from "next/navigation";
import { BugIcon, RefreshCwIcon, TriangleAlertIcon } from "lucide-react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { buildErrorReport, copyText, errorIdOf, type ReportableError } from "@/lib/error-report";

/** An error as React and Next.js hand it over: server errors carry a `digest` that matches the server log. */
export type RenderError = ReportableError;

/**
 * "Report issue": copies the issue report (src/lib/error-report.ts: error id, time, page, what
 * failed, message, browser) and toasts "Report copied". Resolves the report's text when the
 * browser refused the clipboard (the caller shows it to copy by hand), otherwise null.
 */
export async function reportIssue({ section, error, occurredAt }: { section: string; error: RenderError; occurredAt: Date }): Promise<string | null> {
  const text = buildErrorReport({
    errorId: errorIdOf(error),
    error,
    occurredAt,
    section,
    page: typeof window === "undefined" ? undefined : window.location.href,
    userAgent: typeof navigator === "undefined" ? undefined : navigator.userAgent,
  });
  if (await copyText(text)) {
    toast.success("Report copied", { description: "Paste it into your issue or e-mail to whoever runs Bright Run, and add what you were doing." });
    return null;
  }
  toast.error("Could not copy the report", { description: "Your browser blocked the clipboard. The report is shown below the message: select it and copy it by hand." });
  return text;
}

/**
 * The plain-English "this part failed" panel shared by SectionErrorBoundary and the route-level
 * error page: what failed, that the rest still works (when `scope="section"`), the error message
 * and its error id (the digest for server errors), a "Try again" button (`onRetry`) and a
 * "Report issue" button (copies the report: error id, time, page; US11.3.2).
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
  const errorId = errorIdOf(error);
  // The report, shown only when the clipboard refused it.
  const [manualReport, setManualReport] = React.useState<string | null>(null);
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
              ? "The rest of the page still works. Try again; if it keeps failing, use Report issue and send the report to whoever runs Bright Run."
              : "Something went wrong while loading it. Try again; if it keeps failing, use Report issue and send the report to whoever runs Bright Run."}
          </p>
          <p className="font-mono text-xs break-words text-foreground">
            {error.message || "No error message was given."}
          </p>
          <p className="text-xs text-muted-foreground">
            Error id <code className="font-mono text-foreground">{errorId}</code> · {occurredAt.toLocaleString()}
          </p>
        </div>
      </div>
      <div className="flex flex-wrap gap-2 pl-8">
        <Button size="sm" onClick={onRetry}>
          <RefreshCwIcon aria-hidden="true" />
          Try again
        </Button>
        <Button size="sm" variant="outline" onClick={() => void reportIssue({ section, error, occurredAt }).then(setManualReport)}>
          <BugIcon aria-hidden="true" />
          Report issue
        </Button>
      </div>
      {manualReport && (
        <pre aria-label="Issue report" className="ml-8 overflow-x-auto rounded border bg-background p-2 font-mono text-xs whitespace-pre-wrap select-all">
          {manualReport}
        </pre>
      )}
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
 * works", the message and error id, Try again, Report issue). "Try again" refreshes the server data and
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
