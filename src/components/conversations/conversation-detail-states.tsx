"use client";
/**
 * The loading and failed states of a panel or dialog that fetches one conversation's detail
 * (useConversationDetail): the preview panel, the error details and quality details dialogs.
 */
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";

/**
 * Grey placeholder blocks while the detail loads, announced as busy.
 * @param label the accessible name ("Loading conversation")
 * @param skeletons one class list (height, width) per placeholder block, top to bottom
 * @param className the container's spacing (default `space-y-3`)
 */
export function ConversationDetailLoading({ label, skeletons, className = "space-y-3" }: { label: string; skeletons: string[]; className?: string }) {
  return (
    <div className={className} aria-busy="true" aria-label={label}>
      {skeletons.map((skeleton, i) => (
        <Skeleton key={i} className={skeleton} />
      ))}
    </div>
  );
}

/**
 * The detail could not be loaded: the plain-English reason (role "alert") and Try again.
 * @param message what went wrong, for people
 * @param onRetry loads the detail again
 */
export function ConversationDetailError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div role="alert" className="space-y-3 rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-100">
      <p>{message}</p>
      <Button variant="outline" size="sm" onClick={onRetry}>
        Try again
      </Button>
    </div>
  );
}
