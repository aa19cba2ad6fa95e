/**
 * A conversation's review history in the preview (US9.3.2 "Audit trail visible per conversation
 * showing all review events"): every approve, reject and undo from review_logs, newest first,
 * with who, when, the status before and the note given.
 */
import { UserName } from "@/components/accounts/user-names";
import { Check, Undo2, X } from "lucide-react";
import { STATUS_LABELS } from "@/lib/constants";
import type { ReviewEvent } from "@/lib/dashboard-contract";
import { formatDateTime } from "@/lib/format";

const ACTION_LABELS: Record<ReviewEvent["action"], string> = { approve: "Approved", reject: "Rejected", undo: "Review undone" };

function ActionIcon({ action }: { action: ReviewEvent["action"] }) {
  if (action === "approve") return <Check aria-hidden className="size-4 text-emerald-600 dark:text-emerald-400" />;
  if (action === "reject") return <X aria-hidden className="size-4 text-destructive" />;
  return <Undo2 aria-hidden className="size-4 text-muted-foreground" />;
}

/** The list, or a plain sentence when the conversation has never been reviewed. */
export function ReviewHistory({ events }: { events: ReviewEvent[] }) {
  return (
    <section aria-labelledby="review-history-heading" className="rounded-lg border p-4">
      <h3 id="review-history-heading" className="mb-2 text-sm font-semibold">
        Review history
      </h3>
      {events.length === 0 ? (
        <p className="text-sm text-muted-foreground">Not reviewed yet: no one has approved, rejected or undone a review of this conversation.</p>
      ) : (
        <ol aria-label="Review events, newest first" className="space-y-2">
          {events.map((event) => (
            <li key={event.id} className="flex gap-2 text-sm">
              <span className="mt-0.5">
                <ActionIcon action={event.action} />
              </span>
              <div className="min-w-0">
                <p>
                  <span className="font-medium">{ACTION_LABELS[event.action]}</span> by <span className="font-medium"><UserName id={event.reviewerId} /></span>
                  <span className="text-muted-foreground">
                    {" "}
                    · <time dateTime={event.at}>{formatDateTime(event.at)}</time> · was {STATUS_LABELS[event.previousStatus] ?? event.previousStatus}
                  </span>
                </p>
                {event.reviewerNotes && <p className="break-words whitespace-pre-wrap text-muted-foreground">Note: {event.reviewerNotes}</p>}
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
