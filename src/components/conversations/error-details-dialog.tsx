"use client";
/**
 * Why a conversation's generation failed and what to do (US2.2.2, US11.3.1): the plain-English
 * message, when, the API's HTTP status, the error code, temporary vs permanent with its category
 * colour (user / system / API error), the conversation's metadata, expandable technical details
 * (the error's detail JSON and the raw reply, as text), Retry and Copy details.
 */
import { useState } from "react";
import { ChevronDown, Copy, Loader2, RotateCcw } from "lucide-react";
import { toast } from "sonner";
import { formatCostUsd } from "@/core/cost/estimate";
import { STATUS_LABELS, TIER_LABELS } from "@/lib/constants";
import type { ConversationDetail } from "@/lib/dashboard-contract";
import {
  ERROR_CATEGORY_LABELS,
  errorCategoryFor,
  errorRecoverySuggestion,
  type ErrorCategory,
} from "@/lib/error-log-params";
import { formatDateTime, formatRelativeTime } from "@/lib/format";
import { cn } from "@/lib/utils";
import { Button } from "@/components/ui/button";
import { Collapsible, CollapsibleContent, CollapsibleTrigger } from "@/components/ui/collapsible";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { ConversationDetailError, ConversationDetailLoading } from "./conversation-detail-states";
import { useConversationDetail } from "./use-conversation-detail";
import { useGenerateConversation } from "./use-generate-conversation";

/** US11.3.1 colours: user error red, system error orange, API error yellow. */
export const ERROR_CATEGORY_CLASSES: Record<ErrorCategory, string> = {
  user: "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100",
  system: "border-orange-300 bg-orange-50 text-orange-900 dark:border-orange-800 dark:bg-orange-950 dark:text-orange-100",
  api: "border-yellow-300 bg-yellow-50 text-yellow-900 dark:border-yellow-700 dark:bg-yellow-950 dark:text-yellow-100",
};

/** The HTTP status the provider answered with, when the error carries one (core/llm/errors.ts puts it in `detail.status`). */
export function httpStatusOf(detail: Record<string, unknown> | undefined | null): number | null {
  const status = detail?.status;
  return typeof status === "number" && Number.isFinite(status) ? status : null;
}

function stringify(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? "";
  } catch {
    return String(value);
  }
}

/** A plain-text report of the failure for a support ticket (what "Copy details" puts on the clipboard). */
export function errorReportText(detail: ConversationDetail): string {
  const error = detail.lastError;
  const lines = [
    "Bright Run — generation error",
    `Conversation: ${detail.conversationId}${detail.title ? ` (${detail.title})` : ""}`,
    `Status: ${STATUS_LABELS[detail.status]}`,
    `Tier: ${TIER_LABELS[detail.tier]}`,
    `Persona: ${detail.persona.name}`,
    `Emotion: ${detail.emotion.name}`,
    `Topic: ${detail.topic.name}`,
    `Provider / model: ${detail.provider ?? "none"} / ${detail.model ?? "none"}`,
    `Attempts: ${detail.generationAttempts}`,
  ];
  if (error) {
    const status = httpStatusOf(error.detail);
    lines.push(
      `Error code: ${error.code}`,
      `Category: ${ERROR_CATEGORY_LABELS[errorCategoryFor(error.code)]}, ${error.retryable ? "temporary (retryable)" : "permanent"}`,
      `Message: ${error.message}`,
      `When: ${error.at ?? "unknown"}`,
      `HTTP status: ${status ?? "none"}`,
      "Detail:",
      stringify(error.detail),
    );
  } else {
    lines.push("Error: none recorded");
  }
  if (detail.rawReply) lines.push("Raw reply:", detail.rawReply);
  return lines.join("\n");
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </>
  );
}

function ErrorBody({ detail }: { detail: ConversationDetail }) {
  const error = detail.lastError;
  if (!error) {
    return (
      <p className="text-sm text-muted-foreground">
        {detail.status === "failed" ? "This conversation failed but no error was recorded." : `No error recorded: this conversation is ${STATUS_LABELS[detail.status].toLowerCase()}.`}
      </p>
    );
  }
  const category = errorCategoryFor(error.code);
  const status = httpStatusOf(error.detail);
  return (
    <div className="space-y-4">
      {detail.status !== "failed" && (
        <p role="status" className="rounded-lg border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100">
          This conversation is now {STATUS_LABELS[detail.status].toLowerCase()}. The error below is from an earlier attempt.
        </p>
      )}
      <div className={cn("space-y-2 rounded-lg border p-4", ERROR_CATEGORY_CLASSES[category])}>
        <div className="flex flex-wrap items-center gap-2 text-xs font-semibold tracking-wide uppercase">
          <span>{ERROR_CATEGORY_LABELS[category]}</span>
          <span aria-hidden>·</span>
          <span>{error.retryable ? "Temporary problem — retrying usually works" : "Permanent problem — fix the cause first"}</span>
        </div>
        <p className="leading-relaxed">{error.message}</p>
        <p className="text-sm leading-relaxed opacity-90">{errorRecoverySuggestion(error.code)}</p>
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <Fact label="When">{error.at ? `${formatDateTime(error.at)} (${formatRelativeTime(error.at)})` : "Not recorded"}</Fact>
        <Fact label="API status code">{status !== null ? `HTTP ${status}` : "None (no HTTP response)"}</Fact>
        <Fact label="Error code">
          <code className="font-mono text-xs">{error.code}</code>
        </Fact>
        <Fact label="Attempts">{detail.generationAttempts}</Fact>
        <Fact label="Provider / model">{detail.provider ? `${detail.provider} / ${detail.model ?? "unknown"}` : "None yet"}</Fact>
        <Fact label="Cost so far">{formatCostUsd(detail.costUsd)}</Fact>
      </dl>
      <section aria-labelledby="error-conversation-heading" className="space-y-1">
        <h3 id="error-conversation-heading" className="text-sm font-semibold">
          Conversation
        </h3>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <Fact label="Persona">{detail.persona.name}</Fact>
          <Fact label="Emotion">{detail.emotion.name}</Fact>
          <Fact label="Topic">{detail.topic.name}</Fact>
          <Fact label="Intent">{detail.intent.name}</Fact>
          <Fact label="Tier">{TIER_LABELS[detail.tier]}</Fact>
          <Fact label="Status">{STATUS_LABELS[detail.status]}</Fact>
        </dl>
      </section>
      <Collapsible>
        <CollapsibleTrigger asChild>
          <Button variant="ghost" size="sm" className="group -ml-2">
            <ChevronDown aria-hidden className="transition-transform group-data-[state=open]:rotate-180" />
            Technical details
          </Button>
        </CollapsibleTrigger>
        <CollapsibleContent className="space-y-3 pt-2">
          <div>
            <div className="mb-1 text-xs font-medium text-muted-foreground">Error detail (JSON)</div>
            <pre className="max-h-64 overflow-auto rounded-md border bg-muted p-3 font-mono text-xs whitespace-pre-wrap break-words">{stringify(error.detail)}</pre>
          </div>
          {detail.rawReply && (
            <div>
              <div className="mb-1 text-xs font-medium text-muted-foreground">The model&apos;s raw reply</div>
              <pre className="max-h-64 overflow-auto rounded-md border bg-muted p-3 font-mono text-xs whitespace-pre-wrap break-words">{detail.rawReply}</pre>
            </div>
          )}
        </CollapsibleContent>
      </Collapsible>
    </div>
  );
}

/**
 * The error details dialog (US2.2.2): opened from a failed status badge or the error log.
 * Fetches the conversation's detail while open.
 * @param conversationId human id ("tmpl-004"); null shows nothing.
 * @param onRetried called when a Retry has started and again when it has finished (refresh the table).
 */
export function ErrorDetailsDialog({
  open,
  onOpenChange,
  conversationId,
  onRetried,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  conversationId: string | null;
  onRetried?: () => void;
}) {
  const { detail, loading, error, reload } = useConversationDetail(conversationId, open);
  const { generate, generatingId } = useGenerateConversation({
    onChange: () => {
      reload();
      onRetried?.();
    },
  });
  const [copying, setCopying] = useState(false);
  const retrying = generatingId !== null && generatingId === conversationId;
  const retryable = detail?.lastError?.retryable ?? false;
  const canRetry = detail !== null && !detail.isSeed && (detail.status === "failed" || detail.status === "not_generated");

  const copy = async () => {
    if (!detail) return;
    setCopying(true);
    try {
      await navigator.clipboard.writeText(errorReportText(detail));
      toast.success("Error details copied");
    } catch {
      toast.error("Could not copy to the clipboard", { description: "The browser refused. Open Technical details and copy the text by hand." });
    } finally {
      setCopying(false);
    }
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent showCloseButton={false} className="flex max-h-[90vh] flex-col sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>Error details — {conversationId ?? ""}</DialogTitle>
          <DialogDescription>What went wrong when generating this conversation, and what to do next.</DialogDescription>
        </DialogHeader>
        <div className="-mx-6 min-h-0 flex-1 overflow-y-auto px-6">
          {loading ? (
            <ConversationDetailLoading label="Loading error details" skeletons={["h-24 w-full", "h-32 w-full"]} />
          ) : error ? (
            <ConversationDetailError message={error} onRetry={reload} />
          ) : detail ? (
            <ErrorBody detail={detail} />
          ) : null}
        </div>
        <DialogFooter className="sm:justify-between">
          <Button variant="outline" onClick={() => void copy()} disabled={!detail || copying}>
            <Copy aria-hidden />
            Copy details
          </Button>
          <div className="flex flex-col-reverse gap-2 sm:flex-row">
            <DialogClose asChild>
              <Button variant="outline">Close</Button>
            </DialogClose>
            {canRetry && (
              <Button variant={retryable ? "default" : "secondary"} onClick={() => void generate(detail.conversationId)} disabled={retrying}>
                {retrying ? <Loader2 aria-hidden className="animate-spin" /> : <RotateCcw aria-hidden />}
                {retrying ? "Retrying… (~30 seconds)" : "Retry"}
              </Button>
            )}
          </div>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
