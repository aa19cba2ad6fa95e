"use client";
/**
 * A conversation's status as a coloured badge with an icon and a tooltip ("Generated 2 hours ago")
 * (US2.2.1). A failed badge is a button that opens the error dialog (US2.2.2).
 */
import { cn } from "@/lib/utils";
import { formatRelativeTime } from "@/lib/format";
import type { ConversationStatus } from "@/lib/constants";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import { statusOption } from "./status-options";

function tooltipFor(status: ConversationStatus, at: Date | string | null | undefined, errorCode?: string | null): string {
  const when = at ? ` ${formatRelativeTime(at)}` : "";
  switch (status) {
    case "not_generated":
      return "Not generated yet. Use Generate to create it.";
    case "generating":
      return `Generating now${at ? ` (started${when})` : ""}.`;
    case "generated":
      return `Generated${when}. Open it to review.`;
    case "approved":
      return `Approved${when}. Included in exports.`;
    case "rejected":
      return `Rejected${when}. Kept, but left out of exports.`;
    case "failed":
      return `Failed${when}${errorCode ? ` (${errorCode.replace(/_/g, " ")})` : ""}. Click for details and Retry.`;
  }
}

/**
 * @param at when the status was reached (generated / reviewed / failed time), for the tooltip.
 * @param onShowError when given and the status is failed, the badge is a button that calls it.
 */
export function StatusBadge({
  status,
  at,
  errorCode,
  onShowError,
  className,
}: {
  status: ConversationStatus;
  at?: Date | string | null;
  errorCode?: string | null;
  onShowError?: () => void;
  className?: string;
}) {
  const option = statusOption(status);
  const Icon = option.icon;
  const body = (
    <>
      <Icon aria-hidden className={cn("size-3.5 shrink-0", status === "generating" && "animate-spin")} />
      {option.label}
    </>
  );
  const classes = cn(
    "inline-flex h-6 items-center gap-1 whitespace-nowrap rounded-md border px-2 text-xs font-medium",
    option.className,
    className,
  );
  const clickable = status === "failed" && onShowError;
  return (
    <Tooltip>
      <TooltipTrigger asChild>
        {clickable ? (
          <button
            type="button"
            aria-label={`${option.label}: show error details`}
            onClick={(event) => {
              event.stopPropagation();
              onShowError();
            }}
            className={cn(classes, "cursor-pointer hover:opacity-90 focus-visible:ring-ring/50 focus-visible:outline-none focus-visible:ring-[3px]")}
          >
            {body}
          </button>
        ) : (
          <span className={classes} tabIndex={-1}>
            {body}
          </span>
        )}
      </TooltipTrigger>
      <TooltipContent>{tooltipFor(status, at, errorCode)}</TooltipContent>
    </Tooltip>
  );
}
