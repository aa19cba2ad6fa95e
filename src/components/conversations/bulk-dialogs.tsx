"use client";
/**
 * Confirmation dialogs of the bulk actions (US4.2.2, US6.2.2, US11.4.2): each lists the first 10
 * conversations affected ("and 13 more…"). Approve / reject take optional notes for all of them;
 * delete warns that it cannot be undone and needs the "I understand" checkbox.
 */
import { useId, useState } from "react";
import { Loader2 } from "lucide-react";
import { REVIEW_NOTES_MAX } from "@/lib/dashboard-contract";
import { pluralize } from "@/lib/format";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";

/** A conversation named in a confirmation list. */
export interface AffectedConversation {
  conversationId: string;
  /** "Anxious First-Time Investor · Anxiety-to-Relief · Portfolio setup"; absent for rows never loaded. */
  summary?: string;
}

/** The first 10 of `count` affected conversations, then "and N more…". */
export function AffectedList({ items, count }: { items: AffectedConversation[]; count: number }) {
  const shown = items.slice(0, 10);
  return (
    <ul className="max-h-56 space-y-0.5 overflow-auto rounded-md border p-2 text-sm" aria-label="Conversations affected">
      {shown.map((item) => (
        <li key={item.conversationId} className="truncate">
          <span className="font-mono text-xs">{item.conversationId}</span>
          {item.summary ? <span className="text-muted-foreground"> — {item.summary}</span> : null}
        </li>
      ))}
      {count > shown.length && <li className="text-muted-foreground">and {(count - shown.length).toLocaleString("en-US")} more…</li>}
    </ul>
  );
}

export function BulkReviewDialog({
  action,
  count,
  items,
  busy,
  onCancel,
  onConfirm,
}: {
  /** null = closed. */
  action: "approve" | "reject" | null;
  count: number;
  items: AffectedConversation[];
  busy: boolean;
  onCancel: () => void;
  onConfirm: (notes: string) => void;
}) {
  const [notes, setNotes] = useState("");
  const notesId = useId();
  const verb = action === "approve" ? "Approve" : "Reject";
  return (
    <AlertDialog
      open={action !== null}
      onOpenChange={(open) => {
        if (!open && !busy) {
          setNotes("");
          onCancel();
        }
      }}
    >
      <AlertDialogContent className="sm:max-w-lg">
        <AlertDialogHeader>
          <AlertDialogTitle>
            {verb} {pluralize(count, "conversation")}?
          </AlertDialogTitle>
          <AlertDialogDescription>
            {action === "approve"
              ? "Approved conversations go into your training exports. Seeds stay locked, and edge cases must be approved one at a time."
              : "Rejected conversations stay in the database but are left out of exports. You can undo for 10 seconds afterwards."}
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AffectedList items={items} count={count} />
        <div className="space-y-1">
          <Label htmlFor={notesId}>Notes for all (optional)</Label>
          <Textarea
            id={notesId}
            value={notes}
            maxLength={REVIEW_NOTES_MAX}
            onChange={(event) => setNotes(event.target.value)}
            placeholder={action === "reject" ? "Why are you rejecting these conversations?" : "Anything to remember about this batch?"}
            rows={3}
          />
          <p className="text-right text-xs text-muted-foreground tabular-nums">
            {notes.length}/{REVIEW_NOTES_MAX}
          </p>
        </div>
        <AlertDialogFooter>
          <AlertDialogCancel disabled={busy}>Cancel</AlertDialogCancel>
          <Button variant={action === "reject" ? "destructive" : "default"} disabled={busy} onClick={() => onConfirm(notes)}>
            {busy && <Loader2 aria-hidden className="size-4 animate-spin" />}
            {busy ? `${action === "approve" ? "Approving" : "Rejecting"} ${pluralize(count, "conversation")}…` : `${verb} ${pluralize(count, "conversation")}`}
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

export function BulkDeleteDialog({
  open,
  count,
  items,
  busy,
  onCancel,
  onConfirm,
}: {
  open: boolean;
  count: number;
  items: AffectedConversation[];
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const [understood, setUnderstood] = useState(false);
  const checkId = useId();
  return (
    <AlertDialog
      open={open}
      onOpenChange={(next) => {
        if (!next && !busy) {
          setUnderstood(false);
          onCancel();
        }
      }}
    >
      <AlertDialogContent className="sm:max-w-lg">
        <AlertDialogHeader>
          <AlertDialogTitle>Delete {pluralize(count, "conversation")}?</AlertDialogTitle>
          <AlertDialogDescription>
            <strong className="text-destructive">This action cannot be undone.</strong> The conversations, their turns and their review history are removed. Seed
            conversations are locked and will be kept.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AffectedList items={items} count={count} />
        <div className="flex items-start gap-2">
          <Checkbox id={checkId} checked={understood} onCheckedChange={(value) => setUnderstood(value === true)} className="mt-0.5" />
          <Label htmlFor={checkId} className="leading-snug">
            I understand this will permanently delete {pluralize(count, "conversation")}
          </Label>
        </div>
        <AlertDialogFooter>
          <AlertDialogCancel disabled={busy}>Cancel</AlertDialogCancel>
          <Button
            variant="destructive"
            disabled={!understood || busy}
            onClick={() => {
              onConfirm();
              setUnderstood(false);
            }}
          >
            {busy && <Loader2 aria-hidden className="size-4 animate-spin" />}
            Delete {pluralize(count, "conversation")}
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
