"use client";
/**
 * The bulk toolbar shown while conversations are selected (US1.2.1, US6.2.1, US6.2.2): the count
 * ("23 conversations selected"), "Select all N" across pages, Clear selection, and Generate /
 * Judge / Approve / Reject / Delete Selected with the count in each button.
 */
import { usePermission } from "@/components/accounts/viewer-context";
import { Check, Gavel, Sparkles, Trash2, X } from "lucide-react";
import { pluralize } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";

export function BulkActionsBar({
  count,
  matchingTotal,
  allMatchingSelected,
  busy,
  onSelectAllMatching,
  onClear,
  onGenerate,
  onJudge,
  onApprove,
  onReject,
  onDelete,
}: {
  count: number;
  /** Conversations matching the filters (for "Select all N conversations"). */
  matchingTotal: number;
  allMatchingSelected: boolean;
  busy: boolean;
  onSelectAllMatching: () => void;
  onClear: () => void;
  onGenerate: () => void;
  /** Starts a judge run over the selection (generated, approved or rejected ones). */
  onJudge: () => void;
  onApprove: () => void;
  onReject: () => void;
  onDelete: () => void;
}) {
  const generate = usePermission("generate");
  const review = usePermission("review");
  const plan = usePermission("plan");
  if (count === 0) return null;
  return (
    <div role="toolbar" aria-label="Bulk actions" className="flex flex-wrap items-center gap-2 rounded-md border border-primary/30 bg-primary/5 px-3 py-2 text-sm">
      <Badge className="tabular-nums" aria-hidden>
        {count.toLocaleString("en-US")}
      </Badge>
      <span className="font-medium" aria-live="polite">
        {pluralize(count, "conversation")} selected
      </span>
      {!allMatchingSelected && count < matchingTotal && (
        <Button variant="link" size="sm" className="h-auto px-1" onClick={onSelectAllMatching}>
          Select all {pluralize(matchingTotal, "conversation")}
        </Button>
      )}
      <Button variant="ghost" size="sm" onClick={onClear}>
        <X aria-hidden className="size-4" />
        Clear selection
      </Button>
      <div className="ml-auto flex flex-wrap items-center gap-2">
        <Button size="sm" variant="outline" disabled={busy || !generate.allowed} title={generate.reason ?? undefined} onClick={onGenerate}>
          <Sparkles aria-hidden className="size-4" />
          Generate Selected ({count.toLocaleString("en-US")})
        </Button>
        <Button size="sm" variant="outline" disabled={busy || !generate.allowed} title={generate.reason ?? undefined} onClick={onJudge}>
          <Gavel aria-hidden className="size-4" />
          Judge Selected ({count.toLocaleString("en-US")})
        </Button>
        <Button size="sm" variant="outline" disabled={busy || !review.allowed} title={review.reason ?? undefined} onClick={onApprove} className="text-emerald-700 dark:text-emerald-400">
          <Check aria-hidden className="size-4" />
          Approve Selected ({count.toLocaleString("en-US")})
        </Button>
        <Button size="sm" variant="outline" disabled={busy || !review.allowed} title={review.reason ?? undefined} onClick={onReject} className="text-red-700 dark:text-red-400">
          <X aria-hidden className="size-4" />
          Reject Selected ({count.toLocaleString("en-US")})
        </Button>
        <Button size="sm" variant="destructive" disabled={busy || !plan.allowed} title={plan.reason ?? undefined} onClick={onDelete}>
          <Trash2 aria-hidden className="size-4" />
          Delete Selected ({count.toLocaleString("en-US")})
        </Button>
      </div>
    </div>
  );
}
