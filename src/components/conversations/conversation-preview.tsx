"use client";
/**
 * The conversation preview panel (US4.1.1 formatted preview, US4.1.2 navigation, US4.2.1
 * approve / reject with notes; US11.1.1 a side panel that does not block the table): the turns, the metadata, reviewer notes,
 * Approve / Reject, Previous / Next within the table's filtered view, Jump to, and Auto-advance.
 *
 * Model output is untrusted text: it is only ever rendered as React text children (escaped), never
 * as HTML or markdown.
 */
import { useUserName } from "@/components/accounts/user-names";
import { usePermission } from "@/components/accounts/viewer-context";
import { useCallback, useEffect, useId, useOptimistic, useRef, useState, useSyncExternalStore } from "react";
import Link from "next/link";
import { AlertTriangle, Check, ChevronLeft, ChevronRight, Loader2, Lock, Sparkles, X } from "lucide-react";
import { toast } from "sonner";
import { formatCostUsd } from "@/core/cost/estimate";
import { STATUS_LABELS, TIER_LABELS, type ConversationStatus } from "@/lib/constants";
import type { ConversationFilter } from "@/lib/conversation-filter";
import type { ConversationSort } from "@/lib/conversation-table-params";
import { REVIEW_NOTES_MAX, UNDO_WINDOW_MS, type ConversationDetail, type PreviewPositionInput, type ReviewInput } from "@/lib/dashboard-contract";
import { chunkHref, describeDimensions, documentHref } from "@/lib/chunk-dimensions";
import { formatDateTime } from "@/lib/format";
import {
  ariaKeyShortcuts,
  comboKeys,
  isTypingTarget,
  matchesShortcut,
  shortcut,
  shortcutOverridesVersion,
  subscribeShortcutOverrides,
  type ShortcutId,
} from "@/lib/keyboard-shortcuts";
import { workspacePaths } from "@/lib/workspace-paths";
import { cn } from "@/lib/utils";
import { getPreviewPositionAction } from "@/server/actions/conversations";
import { reviewConversationsAction, undoReviewAction } from "@/server/actions/review";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Sheet, SheetContent, SheetDescription, SheetFooter, SheetHeader, SheetTitle } from "@/components/ui/sheet";
import { Switch } from "@/components/ui/switch";
import { Textarea } from "@/components/ui/textarea";
import { ErrorDetailsDialog } from "./error-details-dialog";
import { QualityBadge } from "./quality-badge";
import { QualityDetailsDialog } from "./quality-details-dialog";
import { StatusBadge } from "./status-badge";
import { ConversationDetailError, ConversationDetailLoading } from "./conversation-detail-states";
import { useConversationDetail } from "./use-conversation-detail";
import { useGenerateConversation } from "./use-generate-conversation";
import { useTierRules, useWorkspace } from "@/components/workspaces/workspace-provider";
import { belowBarText, isBelowApprovalBar, REVIEWABLE_STATUSES } from "@/core/review/review-rules";
import { repointRefusal } from "@/core/scenarios/scenario-rules";
import type { OptimisticReview } from "./optimistic-review";
import { RepointScenario } from "./repoint-scenario";
import { ReviewHistory } from "./review-history";

/** The table's current filtered, searched, sorted view: Previous / Next move within it. */
export interface PreviewQuery {
  filter: ConversationFilter;
  search: string;
  sort: ConversationSort;
}

/**
 * Runs one approve / reject with instant feedback: `change` shows in the table at once, `work`
 * talks to the server and calls `accept()` when the server agreed; if it does not, the table rolls
 * back when `work` ends (the conversations dashboard's runOptimisticReview).
 */
export type ReviewRunner = (change: OptimisticReview, work: (accept: () => void) => Promise<void>) => void;

export interface ConversationPreviewProps {
  /**
   * "panel": a non-modal side panel the page lays out beside the table (wide screens; the table
   * stays usable); "sheet": a modal sheet over the page (narrow screens).
   */
  layout: "panel" | "sheet";
  open: boolean;
  /** Human id ("tmpl-004") of the conversation shown; null shows nothing. */
  conversationId: string | null;
  /** 1-based position in the filtered view; null when the conversation is not in it. */
  position: number | null;
  /** Conversations in the filtered view. */
  total: number;
  query: PreviewQuery;
  /** Move to another conversation (the table moves its highlight / page to it). */
  onNavigate: (next: { position: number; conversationId: string }) => void;
  onClose: () => void;
  /** After approve / reject / generate: the table refreshes (router.refresh()). */
  onChanged: () => void;
  /** Approve / reject go through it, so the table shows the change before the server answers. */
  onReview: ReviewRunner;
}

// ---------------------------------------------------------------------------------------------
// Auto-advance, remembered in localStorage (read through useSyncExternalStore: no hydration mismatch).

const AUTO_ADVANCE_KEY = "brightrun.preview.autoAdvance";
const AUTO_ADVANCE_EVENT = "brightrun:auto-advance";

function subscribeAutoAdvance(onChange: () => void): () => void {
  window.addEventListener("storage", onChange);
  window.addEventListener(AUTO_ADVANCE_EVENT, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(AUTO_ADVANCE_EVENT, onChange);
  };
}

function readAutoAdvance(): boolean {
  try {
    return window.localStorage.getItem(AUTO_ADVANCE_KEY) === "true";
  } catch {
    return false;
  }
}

function writeAutoAdvance(value: boolean): void {
  try {
    window.localStorage.setItem(AUTO_ADVANCE_KEY, String(value));
  } catch {
    // Storage refused (private mode, quota): the choice lasts until the page reloads.
  }
  window.dispatchEvent(new Event(AUTO_ADVANCE_EVENT));
}

function useAutoAdvance(): [boolean, (value: boolean) => void] {
  const value = useSyncExternalStore(subscribeAutoAdvance, readAutoAdvance, () => false);
  return [value, writeAutoAdvance];
}

// ---------------------------------------------------------------------------------------------

/** Statuses a reviewer can approve or reject (a decision can be changed). */
const REVIEWABLE = REVIEWABLE_STATUSES;

/** Why Approve / Reject are disabled for this conversation, null when they are not. */
function reviewBlockedReason(detail: ConversationDetail): string | null {
  if (detail.isSeed) return "Seed conversations are locked: they are always included in exports and cannot be approved or rejected.";
  if (!REVIEWABLE.includes(detail.status)) return `Nothing to review: this conversation is ${STATUS_LABELS[detail.status].toLowerCase()}.`;
  return null;
}

/** A shortcut's key as the user has it now (their Preferences may remap it), for the footer's hint. */
function KeyHint({ id }: { id: ShortcutId }) {
  useSyncExternalStore(subscribeShortcutOverrides, shortcutOverridesVersion, () => 0);
  return <kbd className="font-sans">{comboKeys(shortcut(id).combos[0], "Ctrl").join("+")}</kbd>;
}

/** The preview's own keys (src/lib/keyboard-shortcuts.ts), in the order they are tried. */
const PREVIEW_KEYS = ["previousConversation", "nextConversation", "approve", "reject"] as const;

function Turns({ turns }: { turns: ConversationDetail["turns"] }) {
  if (turns.length === 0) return <p className="text-sm text-muted-foreground">This conversation has no turns.</p>;
  return (
    <ol className="space-y-4" aria-label="Conversation turns">
      {turns.map((turn) => {
        const user = turn.role === "user";
        return (
          <li
            key={turn.turnNumber}
            className={cn(
              "rounded-lg border p-4",
              user ? "border-sky-200 bg-sky-50/70 dark:border-sky-900 dark:bg-sky-950/40" : "bg-background",
            )}
          >
            <div className="mb-2 flex items-baseline justify-between gap-2">
              <span className={cn("text-xs font-bold tracking-wider", user ? "text-sky-800 dark:text-sky-300" : "text-violet-800 dark:text-violet-300")}>
                {user ? "USER:" : "ASSISTANT:"}
              </span>
              <span className="text-xs text-muted-foreground tabular-nums">Turn {turn.turnNumber}</span>
            </div>
            {/* Untrusted model output: a text child, escaped by React. */}
            <p className="max-w-[70ch] text-[15px] leading-7 break-words whitespace-pre-wrap">{turn.content}</p>
          </li>
        );
      })}
    </ol>
  );
}

function MetaItem({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="break-words">{children}</dd>
    </div>
  );
}

/** The source document and chunk, linked, with the chunk's dimensions; or why the link is gone or stale. */
function SourceItem({ source }: { source: NonNullable<ConversationDetail["source"]> }) {
  const { slug: workspaceSlug } = useWorkspace();
  return (
    <div className="col-span-2 min-w-0 sm:col-span-3">
      <dt className="text-xs text-muted-foreground">Source document and chunk</dt>
      {source.state === "removed" ? (
        <dd className="text-muted-foreground">Its source document was deleted; the conversation keeps its text.</dd>
      ) : (
        <dd className="space-y-1">
          <Link
            href={source.chunk ? chunkHref(workspaceSlug, source.documentKey, source.chunk.ordinal) : documentHref(workspaceSlug, source.documentKey)}
            className="font-medium text-primary underline-offset-4 hover:underline"
          >
            {source.documentTitle} › {source.chunk ? (source.chunk.heading ?? `Chunk ${source.chunk.ordinal + 1}`) : "the document"}
          </Link>
          {source.state === "changed" && (
            <p className="text-xs text-amber-800 dark:text-amber-300">
              Source changed: the document was imported again on {formatDateTime(source.documentUpdatedAt)}, after this conversation was planned.
            </p>
          )}
          {source.chunk && (
            <p className="text-xs text-muted-foreground">
              {describeDimensions(source.chunk.dimensions)
                .map(([label, value]) => `${label}: ${value}`)
                .join(" · ")}
            </p>
          )}
        </dd>
      )}
    </div>
  );
}

/**
 * The template and version a conversation used, or will use while planned (issue 11 item 4):
 * "Warm expert v2", "v2 of 3" when newer (draft) versions exist, "draft" for a draft template;
 * a link to the template's editor.
 */
function TemplateUsed({ template }: { template: ConversationDetail["template"] }) {
  const { slug } = useWorkspace();
  if (!template) return <span className="text-muted-foreground">None</span>;
  const version = template.latestVersion > template.version ? `v${template.version} of ${template.latestVersion}` : `v${template.version}`;
  return (
    <Link href={workspacePaths(slug).template(template.key)} className="underline-offset-2 hover:underline">
      {template.name} <span className="tabular-nums text-muted-foreground">{version}</span>
      {template.status !== "active" && (
        <>
          {" "}
          <span className="rounded border px-1 text-xs text-muted-foreground">{template.status}</span>
        </>
      )}
    </Link>
  );
}

function Metadata({ detail, onRepointed }: { detail: ConversationDetail; onRepointed: () => void }) {
  const userName = useUserName();
  const repointable = repointRefusal(detail) === null;
  return (
    <section aria-label="Conversation details" className="rounded-lg border bg-muted/30 p-4">
      <dl className="grid grid-cols-2 gap-x-4 gap-y-3 text-sm sm:grid-cols-3">
        <MetaItem label="Persona">{detail.persona.name}</MetaItem>
        <MetaItem label="Emotion">{detail.emotion.name}</MetaItem>
        <MetaItem label="Topic">{detail.topic.name}</MetaItem>
        <MetaItem label="Intent">{detail.intent.name}</MetaItem>
        <MetaItem label="Tone">{detail.tone.name}</MetaItem>
        <MetaItem label="Outcome">{detail.outcome?.name ?? "None"}</MetaItem>
        <MetaItem label="Tier">{TIER_LABELS[detail.tier]}</MetaItem>
        {(detail.scenario || detail.tier === "scenario") && (
          <MetaItem label="Scenario">
            <span className="flex flex-col items-start gap-0.5">
              <span>{detail.scenario?.title ?? "None"}</span>
              {repointable && <RepointScenario detail={detail} onRepointed={onRepointed} />}
            </span>
          </MetaItem>
        )}
        <MetaItem label="Source category">{detail.sourceCategory ?? "—"}</MetaItem>
        {detail.source && <SourceItem source={detail.source} />}
        <MetaItem label="Quality score">
          {detail.qualityScore === null ? (
            "Not scored"
          ) : (
            // Not clickable here: the header's badge opens the details (one "show details" button).
            <QualityBadge score={detail.qualityScore} tier={detail.tier} summary={detail.quality?.summary} />
          )}
        </MetaItem>
        {detail.judge && (
          <MetaItem label="Judge score">
            {detail.judgeScore !== null ? (
              <span className="tabular-nums" title={detail.judge.summary}>
                {detail.judgeScore.toFixed(1)} / 10 ({detail.judge.model})
              </span>
            ) : (
              <span title={detail.judge.error?.message}>Not judged: {detail.judge.error?.code.replaceAll("_", " ") ?? "no verdict"}</span>
            )}
          </MetaItem>
        )}
        <MetaItem label={detail.template?.planned ? "Template (will use)" : "Template"}>
          <TemplateUsed template={detail.template} />
        </MetaItem>
        <MetaItem label="Generated">{detail.generatedAt ? formatDateTime(detail.generatedAt) : "Not yet"}</MetaItem>
        <MetaItem label="Provider / model">{detail.provider ? `${detail.provider} / ${detail.model ?? "unknown"}` : "—"}</MetaItem>
        <MetaItem label="Tokens (in / out)">
          <span className="tabular-nums">
            {detail.inputTokens.toLocaleString("en-US")} / {detail.outputTokens.toLocaleString("en-US")}
          </span>
        </MetaItem>
        <MetaItem label="Cost">
          <span className="tabular-nums">{formatCostUsd(detail.costUsd)}</span>
        </MetaItem>
        <MetaItem label="Turns">{detail.turnCount}</MetaItem>
        <MetaItem label="Reviewed">
          {detail.reviewedAt ? `${userName(detail.reviewerId)}, ${formatDateTime(detail.reviewedAt)}` : "Not yet"}
        </MetaItem>
      </dl>
      {detail.reviewerNotes && (
        <div className="mt-3 text-sm">
          <div className="text-xs text-muted-foreground">Reviewer notes</div>
          <p className="break-words whitespace-pre-wrap">{detail.reviewerNotes}</p>
        </div>
      )}
    </section>
  );
}

/** Not generated / failed / generating: what happened and the Generate button instead of turns. */
function NotGeneratedBody({
  detail,
  generating,
  onGenerate,
  onShowError,
  onRefresh,
}: {
  detail: ConversationDetail;
  generating: boolean;
  onGenerate: () => void;
  onShowError: () => void;
  onRefresh: () => void;
}) {
  const generateRight = usePermission("generate");
  if (detail.status === "generating" && !generating) {
    return (
      <div className="space-y-3 rounded-lg border border-dashed p-6 text-center">
        <Loader2 aria-hidden className="mx-auto size-6 animate-spin text-blue-600" />
        <p>This conversation is being generated now. It appears here when it is done.</p>
        <Button variant="outline" size="sm" onClick={onRefresh}>
          Refresh
        </Button>
      </div>
    );
  }
  const failed = detail.status === "failed";
  return (
    <div className="space-y-4">
      {failed && detail.lastError && (
        <div role="alert" className="space-y-2 rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
          <p className="font-semibold">Generation failed ({detail.lastError.code.replace(/_/g, " ")})</p>
          <p className="leading-relaxed">{detail.lastError.message}</p>
          <Button variant="link" className="h-auto p-0 text-red-900 dark:text-red-100" onClick={onShowError}>
            Show error details
          </Button>
        </div>
      )}
      <div className="space-y-3 rounded-lg border border-dashed p-6 text-center">
        <p className="text-muted-foreground">
          {failed ? "Try generating it again." : "This conversation has not been generated yet."}
        </p>
        {detail.isSeed ? (
          <p className="text-sm text-muted-foreground">Seed conversations are imported, not generated.</p>
        ) : (
          <div className="flex flex-col items-center gap-2">
            <Button onClick={onGenerate} disabled={generating || !generateRight.allowed} title={generateRight.reason ?? undefined}>
              {generating ? <Loader2 aria-hidden className="animate-spin" /> : <Sparkles aria-hidden />}
              {generating ? "Generating…" : "Generate"}
            </Button>
            {!generateRight.allowed && <p className="text-sm text-muted-foreground">{generateRight.reason}</p>}
            {generating && (
              <p role="status" className="text-sm text-muted-foreground">
                Generating {detail.conversationId}: usually ~30 seconds.
              </p>
            )}
          </div>
        )}
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// The two layouts: a modal Sheet (narrow screens) or a non-modal panel beside the table.

/** The sheet's Radix root, or (panel) nothing while closed. */
function PreviewRoot({ layout, open, onClose, children }: { layout: ConversationPreviewProps["layout"]; open: boolean; onClose: () => void; children: React.ReactNode }) {
  if (layout === "panel") return open ? <>{children}</> : null;
  return (
    <Sheet open={open} onOpenChange={(next) => (next ? undefined : onClose())}>
      {children}
    </Sheet>
  );
}

/**
 * The frame around the header, body and footer. The panel is a non-modal dialog (role "dialog",
 * aria-modal false) filling the side panel the page gives it, with its own Close button; it takes
 * focus when it opens so the keys work at once, and the table beside it stays usable.
 */
function PreviewFrame({
  layout,
  titleId,
  descriptionId,
  onClose,
  children,
}: {
  layout: ConversationPreviewProps["layout"];
  titleId: string;
  descriptionId: string;
  onClose: () => void;
  children: React.ReactNode;
}) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (layout === "panel") ref.current?.focus({ preventScroll: true });
  }, [layout]);
  if (layout === "sheet") {
    return (
      <SheetContent
        side="right"
        className="w-full gap-0 p-0 sm:max-w-[720px]"
        // A toast's Undo is part of this review, not a click away from the panel: keep the panel open.
        onInteractOutside={(event) => {
          if (event.target instanceof Element && event.target.closest("[data-sonner-toaster]")) event.preventDefault();
        }}
      >
        {children}
      </SheetContent>
    );
  }
  return (
    <section
      ref={ref}
      role="dialog"
      aria-modal="false"
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      tabIndex={-1}
      data-testid="conversation-preview-panel"
      className="relative flex h-full min-h-0 flex-col bg-background outline-none"
    >
      {children}
      <Button variant="ghost" size="icon" className="absolute top-3 right-3 size-8" onClick={onClose} title="Close the preview (Esc)">
        <X aria-hidden className="size-4" />
        <span className="sr-only">Close</span>
      </Button>
    </section>
  );
}

function PreviewTitle({ layout, id, className, children }: { layout: ConversationPreviewProps["layout"]; id: string; className?: string; children: React.ReactNode }) {
  if (layout === "sheet") return <SheetTitle className={className}>{children}</SheetTitle>;
  return (
    <h2 id={id} className={cn("font-semibold text-foreground", className)}>
      {children}
    </h2>
  );
}

function PreviewDescription({ layout, id, children }: { layout: ConversationPreviewProps["layout"]; id: string; children: React.ReactNode }) {
  if (layout === "sheet") return <SheetDescription>{children}</SheetDescription>;
  return (
    <p id={id} className="text-sm text-muted-foreground">
      {children}
    </p>
  );
}

/** Whether another layer (a modal dialog, a menu, a popover, a list box) is open: its Esc is its own. */
function anotherLayerOpen(): boolean {
  return document.querySelector("[role='dialog'][aria-modal='true'], [role='alertdialog'], [role='menu'], [role='listbox'], [data-radix-popper-content-wrapper]") !== null;
}

/**
 * The conversation preview, as a side panel beside the table or a sheet over it (`layout`).
 * Keyboard while open and focus is not in a text field: ArrowLeft previous, ArrowRight next,
 * A approve, R reject (the keys of src/lib/keyboard-shortcuts.ts); Esc closes.
 */
export function ConversationPreview({ layout, open, conversationId, position, total, query, onNavigate, onClose, onChanged, onReview }: ConversationPreviewProps) {
  const { slug: workspaceSlug } = useWorkspace();
  const ids = useId();
  const notesId = `${ids}-notes`;
  const notesCountId = `${ids}-notes-count`;
  const blockedId = `${ids}-blocked`;
  const belowBarId = `${ids}-below-bar`;
  const jumpId = `${ids}-jump`;
  const autoAdvanceId = `${ids}-auto-advance`;
  const titleId = `${ids}-title`;
  const descriptionId = `${ids}-description`;

  const { detail, loading, error, reload } = useConversationDetail(conversationId, open, { asRead: true });
  const [autoAdvance, setAutoAdvance] = useAutoAdvance();
  const [qualityOpen, setQualityOpen] = useState(false);
  const [errorOpen, setErrorOpen] = useState(false);
  const [busy, setBusy] = useState<"approve" | "reject" | "navigate" | null>(null);
  // The status shown while a review is with the server, and after it accepted until the detail reloads.
  const [optimisticStatus, setOptimisticStatus] = useOptimistic<{ for: string; status: ConversationStatus } | null>(null);
  const [settledStatus, setSettledStatus] = useState<{ for: ConversationDetail; status: ConversationStatus } | null>(null);
  const shownStatus: ConversationStatus | null = detail
    ? optimisticStatus?.for === detail.conversationId
      ? optimisticStatus.status
      : settledStatus?.for === detail
        ? settledStatus.status
        : detail.status
    : null;
  const [jumpText, setJumpText] = useState("");
  // Notes and "left the view" belong to one conversation: keyed by its id, so moving on resets them.
  const [notes, setNotes] = useState<{ for: string | null; text: string }>({ for: null, text: "" });
  const tierRules = useTierRules();
  const notesText = notes.for === conversationId ? notes.text : "";
  /** Set when a review moved the shown conversation out of the filtered view (e.g. "Needs review"). */
  const [leftView, setLeftView] = useState<string | null>(null);
  const outOfView = leftView !== null && leftView === conversationId;

  const { generate, generatingId } = useGenerateConversation({
    onChange: () => {
      reload();
      onChanged();
    },
  });

  // After the conversation left the view, the one that took its place is at `position`.
  const nextPosition = position === null ? null : outOfView ? position : position + 1;
  const previousPosition = position === null ? null : position - 1;
  const hasNext = nextPosition !== null && nextPosition <= total;
  const hasPrevious = previousPosition !== null && previousPosition >= 1;

  const goTo = useCallback(
    async (target: number): Promise<boolean> => {
      if (target < 1 || target > total) return false;
      setBusy("navigate");
      try {
        const result = await getPreviewPositionAction(workspaceSlug, { filter: query.filter, search: query.search, sort: query.sort, position: target } satisfies PreviewPositionInput);
        if (!result.ok) {
          toast.error("Could not move to that conversation", { description: result.error.message });
          return false;
        }
        if (!result.data.conversationId) {
          toast.info(`There is no conversation ${target} in this view any more`, { description: `The view now has ${result.data.total}.` });
          return false;
        }
        setLeftView(null);
        onNavigate({ position: result.data.position, conversationId: result.data.conversationId });
        return true;
      } catch (cause) {
        toast.error("Could not move to that conversation", { description: cause instanceof Error ? cause.message : String(cause) });
        return false;
      } finally {
        setBusy(null);
      }
    },
    [total, query.filter, query.search, query.sort, onNavigate, workspaceSlug],
  );

  const goNext = useCallback(() => {
    if (hasNext && nextPosition !== null && busy === null) void goTo(nextPosition);
  }, [hasNext, nextPosition, busy, goTo]);
  const goPrevious = useCallback(() => {
    if (hasPrevious && previousPosition !== null && busy === null) void goTo(previousPosition);
  }, [hasPrevious, previousPosition, busy, goTo]);

  // Set after render to approve / reject the conversation shown (the A and R keys).
  const reviewByKey = useRef<(action: "approve" | "reject") => void>(() => undefined);

  // While the panel is open, unless typing or a dialog on top is open: ArrowLeft / ArrowRight move,
  // A approves, R rejects (with the notes typed so far).
  useEffect(() => {
    if (!open) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      // The sheet closes itself on Esc; the panel is not modal, so it listens here.
      if (layout === "panel" && event.key === "Escape" && !qualityOpen && !errorOpen && !anotherLayerOpen()) {
        onClose();
        return;
      }
      const id = PREVIEW_KEYS.find((candidate) => matchesShortcut(candidate, event));
      if (!id || qualityOpen || errorOpen || isTypingTarget(event.target)) return;
      event.preventDefault();
      if (id === "previousConversation") goPrevious();
      else if (id === "nextConversation") goNext();
      else reviewByKey.current(id);
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [open, layout, qualityOpen, errorOpen, goNext, goPrevious, onClose]);

  /** After a review: is the conversation still at its position in the filtered view? Moves on when auto-advance is on. */
  const afterReview = async (reviewedId: string) => {
    if (position === null) return;
    let inView = true;
    let replacement: { conversationId: string; position: number } | null = null;
    try {
      const here = await getPreviewPositionAction(workspaceSlug, { filter: query.filter, search: query.search, sort: query.sort, position } satisfies PreviewPositionInput);
      if (here.ok && here.data.conversationId !== reviewedId) {
        inView = false;
        if (here.data.conversationId) replacement = { conversationId: here.data.conversationId, position: here.data.position };
      }
    } catch {
      // Could not tell: assume it is still in the view.
    }
    if (!inView) setLeftView(reviewedId);
    if (!autoAdvance) return;
    if (!inView) {
      if (replacement) onNavigate(replacement);
      else toast.info("That was the last conversation in this view");
    } else if (position < total) {
      await goTo(position + 1);
    } else {
      toast.info("That was the last conversation in this view");
    }
  };

  const review = (action: "approve" | "reject") => {
    if (!detail || busy) return;
    const id = detail.conversationId;
    const text = notesText.trim();
    const change: OptimisticReview = { action, target: { ids: [id] }, notes: text, at: new Date() };
    setBusy(action);
    // The badge here and the table's row change at once; they roll back if the server refuses.
    onReview(change, async (accept) => {
      setOptimisticStatus({ for: id, status: action === "approve" ? "approved" : "rejected" });
      const verb = action === "approve" ? "approved" : "rejected";
      let accepted = false;
      try {
        const result = await reviewConversationsAction(workspaceSlug, { target: { ids: [id] }, action, notes: text ? text : undefined } satisfies ReviewInput);
        if (!result.ok) {
          toast.error(`Could not ${action} ${id}`, { description: `${result.error.message} It is shown as it was.` });
          return;
        }
        if (!result.data.reviewed.includes(id)) {
          const reason = result.data.skipped.find((s) => s.conversationId === id)?.reason;
          toast.error(`${id} was not ${verb}`, { description: `${reason ? `Skipped: ${reason}. ` : ""}It is shown as it was; reload the page to see its current state.` });
          return;
        }
        accepted = true;
        accept();
        setSettledStatus({ for: detail, status: action === "approve" ? "approved" : "rejected" });
        const { undoToken } = result.data;
        toast.success(`${action === "approve" ? "Approved" : "Rejected"} ${id}`, {
          duration: undoToken ? UNDO_WINDOW_MS : undefined,
          action: undoToken
            ? {
                label: "Undo",
                onClick: () => {
                  void undoReviewAction(workspaceSlug, { undoToken }).then(
                    (undo) => {
                      if (!undo.ok) toast.error("Could not undo", { description: undo.error.message });
                      else if (undo.data.restored.length) toast.success(`Undone: ${id} is back as it was`);
                      else toast.warning(`${id} was not put back`, { description: undo.data.skipped[0]?.reason });
                      setSettledStatus(null);
                      onChanged();
                      reload();
                    },
                    () => toast.error("Could not undo", { description: "The server could not be reached. Check that Bright Run is running, then try again." }),
                  );
                },
              }
            : undefined,
        });
        setNotes({ for: id, text: "" });
        onChanged();
        reload();
      } catch {
        toast.error(`Could not ${action} ${id}`, { description: "The server could not be reached. It is shown as it was; check that Bright Run is running, then try again." });
      } finally {
        setBusy(null);
      }
      if (accepted) await afterReview(id);
    });
  };

  const jump = () => {
    const value = Number(jumpText.trim());
    if (!Number.isInteger(value) || value < 1 || value > total) {
      toast.error(total > 0 ? `Enter a number from 1 to ${total}.` : "There are no conversations in this view.");
      return;
    }
    void goTo(value).then((moved) => {
      if (moved) setJumpText("");
    });
  };

  const reviewRight = usePermission("review");
  const blocked = !reviewRight.allowed ? reviewRight.reason : detail ? reviewBlockedReason(detail) : "Loading…";
  const reviewDisabled = blocked !== null || busy !== null;
  // Tier rules: below its tier's bar a conversation is approved only with a note (core/review).
  const belowBar = detail && detail.qualityScore !== null && isBelowApprovalBar(detail.qualityScore, detail.tier, tierRules) ? belowBarText(detail.qualityScore, detail.tier, tierRules) : null;
  const approveNeedsNote = blocked === null && belowBar !== null && notesText.trim() === "";
  useEffect(() => {
    reviewByKey.current = (action) => {
      if (!reviewDisabled) void review(action);
    };
  });
  const generated = detail !== null && REVIEWABLE.includes(detail.status);
  const counter =
    position === null
      ? "Not in the current view"
      : outOfView
        ? "Reviewed — no longer in this view; Next shows the one that took its place"
        : `Conversation ${position} of ${total}`;

  return (
    <PreviewRoot layout={layout} open={open} onClose={onClose}>
      <PreviewFrame layout={layout} titleId={titleId} descriptionId={descriptionId} onClose={onClose}>
        <SheetHeader className="border-b pr-12">
          <PreviewTitle layout={layout} id={titleId} className="flex min-w-0 flex-wrap items-baseline gap-x-2">
            <span className="font-mono">{conversationId ?? "No conversation"}</span>
            {detail?.title && <span className="truncate font-normal text-muted-foreground">{detail.title}</span>}
          </PreviewTitle>
          <PreviewDescription layout={layout} id={descriptionId}>
            {counter}
          </PreviewDescription>
          {detail && (
            <div className="flex flex-wrap items-center gap-2 pt-1">
              <StatusBadge
                status={shownStatus ?? detail.status}
                at={detail.reviewedAt ?? detail.generatedAt ?? detail.lastError?.at ?? null}
                errorCode={detail.lastError?.code ?? null}
                onShowError={() => setErrorOpen(true)}
              />
              <QualityBadge score={detail.qualityScore} tier={detail.tier} summary={detail.quality?.summary} onOpenDetails={() => setQualityOpen(true)} />
              {detail.isSeed && (
                <span className="inline-flex items-center gap-1 text-xs text-muted-foreground">
                  <Lock aria-hidden className="size-3.5" />
                  Seed
                </span>
              )}
            </div>
          )}
        </SheetHeader>

        <div role="region" aria-label="Conversation" className="min-h-0 flex-1 space-y-5 overflow-y-auto px-4 py-5 sm:px-6" tabIndex={0}>
          {!conversationId ? null : loading ? (
            <ConversationDetailLoading
              label="Loading conversation"
              className="space-y-4"
              skeletons={["h-28 w-full", "h-24 w-4/5", "h-24 w-full", "h-24 w-4/5", "h-24 w-full"]}
            />
          ) : error ? (
            <ConversationDetailError message={error} onRetry={reload} />
          ) : detail ? (
            <>
              {generated ? (
                <Turns turns={detail.turns} />
              ) : (
                <NotGeneratedBody
                  detail={detail}
                  generating={generatingId === detail.conversationId}
                  onGenerate={() => void generate(detail.conversationId)}
                  onShowError={() => setErrorOpen(true)}
                  onRefresh={reload}
                />
              )}
              <Metadata
                detail={detail}
                onRepointed={() => {
                  reload();
                  onChanged();
                }}
              />
              <ReviewHistory events={detail.reviewHistory} />
            </>
          ) : null}
        </div>

        <SheetFooter className="gap-3 border-t bg-background">
          <div className="space-y-1.5">
            <div className="flex items-baseline justify-between">
              <Label htmlFor={notesId}>Reviewer notes</Label>
              <span id={notesCountId} className={cn("text-xs tabular-nums text-muted-foreground", notesText.length >= REVIEW_NOTES_MAX && "text-destructive")}>
                {notesText.length}/{REVIEW_NOTES_MAX}
              </span>
            </div>
            <Textarea
              id={notesId}
              value={notesText}
              onChange={(event) => setNotes({ for: conversationId, text: event.target.value.slice(0, REVIEW_NOTES_MAX) })}
              maxLength={REVIEW_NOTES_MAX}
              rows={2}
              placeholder={belowBar ? "Why approve it below the bar? Or why reject it?" : "Why are you rejecting this conversation?"}
              aria-describedby={belowBar ? `${notesCountId} ${belowBarId}` : notesCountId}
              disabled={blocked !== null}
              className="min-h-16 resize-y"
            />
          </div>

          <div className="space-y-1.5">
            <div className="grid grid-cols-2 gap-2">
              <Button
                onClick={() => void review("approve")}
                disabled={reviewDisabled || approveNeedsNote}
                aria-keyshortcuts={ariaKeyShortcuts("approve")}
                aria-describedby={detail && blocked ? blockedId : belowBar ? belowBarId : undefined}
                className="bg-emerald-600 text-white hover:bg-emerald-700 focus-visible:ring-emerald-600/40 dark:bg-emerald-600 dark:hover:bg-emerald-500"
              >
                {busy === "approve" ? <Loader2 aria-hidden className="animate-spin" /> : <Check aria-hidden />}
                Approve
              </Button>
              <Button variant="destructive" onClick={() => void review("reject")} disabled={reviewDisabled} aria-keyshortcuts={ariaKeyShortcuts("reject")} aria-describedby={detail && blocked ? blockedId : undefined}>
                {busy === "reject" ? <Loader2 aria-hidden className="animate-spin" /> : <X aria-hidden />}
                Reject
              </Button>
            </div>
            {belowBar && blocked === null && (
              <p id={belowBarId} role="note" className="flex items-start gap-1.5 text-xs text-amber-800 dark:text-amber-200">
                <AlertTriangle aria-hidden className="mt-px size-3.5 shrink-0" />
                <span>
                  {belowBar.charAt(0).toUpperCase() + belowBar.slice(1)}.{" "}
                  {approveNeedsNote ? "Write a note saying why to approve it." : "Your note will be kept with the approval."}
                </span>
              </p>
            )}
            {detail && blocked && (
              <p id={blockedId} className="flex items-center gap-1.5 text-xs text-muted-foreground">
                {detail.isSeed && <Lock aria-hidden className="size-3.5 shrink-0" />}
                {detail.isSeed ? "Seed conversations are locked" : blocked}
              </p>
            )}
          </div>

          <div className="flex flex-wrap items-center justify-between gap-2">
            <div className="flex items-center gap-2">
              <Button variant="outline" size="sm" onClick={goPrevious} disabled={!hasPrevious || busy !== null} aria-keyshortcuts={ariaKeyShortcuts("previousConversation")}>
                <ChevronLeft aria-hidden />
                Previous
              </Button>
              <Button variant="outline" size="sm" onClick={goNext} disabled={!hasNext || busy !== null} aria-keyshortcuts={ariaKeyShortcuts("nextConversation")}>
                Next
                <ChevronRight aria-hidden />
              </Button>
              {busy === "navigate" && <Loader2 aria-label="Moving" className="size-4 animate-spin text-muted-foreground" />}
            </div>
            <div className="flex items-center gap-2">
              <Label htmlFor={jumpId} className="text-sm font-normal whitespace-nowrap">
                Jump to<span className="sr-only"> conversation</span>
              </Label>
              <Input
                id={jumpId}
                type="number"
                inputMode="numeric"
                min={1}
                max={Math.max(1, total)}
                value={jumpText}
                onChange={(event) => setJumpText(event.target.value)}
                onKeyDown={(event) => {
                  if (event.key === "Enter") {
                    event.preventDefault();
                    jump();
                  }
                }}
                placeholder={`1–${total}`}
                disabled={total === 0 || busy !== null}
                className="h-8 w-20"
              />
            </div>
            <div className="flex items-center gap-2">
              <Switch id={autoAdvanceId} checked={autoAdvance} onCheckedChange={setAutoAdvance} />
              <Label htmlFor={autoAdvanceId} className="text-sm font-normal">
                Auto-advance
              </Label>
            </div>
          </div>
          <p className="text-xs text-muted-foreground">
            Keys: <KeyHint id="previousConversation" /> / <KeyHint id="nextConversation" /> previous / next · <KeyHint id="approve" /> approve ·{" "}
            <KeyHint id="reject" /> reject · <KeyHint id="closePanel" /> close
          </p>
        </SheetFooter>
      </PreviewFrame>

      <QualityDetailsDialog open={qualityOpen} onOpenChange={setQualityOpen} conversationId={conversationId} />
      <ErrorDetailsDialog
        open={errorOpen}
        onOpenChange={setErrorOpen}
        conversationId={conversationId}
        onRetried={() => {
          reload();
          onChanged();
        }}
      />
    </PreviewRoot>
  );
}
