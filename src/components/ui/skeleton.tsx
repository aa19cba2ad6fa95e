import * as React from "react";

import { cn } from "@/lib/utils";

/**
 * A grey placeholder block shown while content loads, with a moving shimmer (a still block when
 * the user prefers reduced motion). Size it with classes: `<Skeleton className="h-4 w-32" />`.
 * Hidden from screen readers; announce loading on the surrounding region (`aria-busy`) instead.
 */
function Skeleton({ className, ...props }: React.ComponentProps<"div">) {
  return (
    <div
      data-slot="skeleton"
      aria-hidden="true"
      className={cn(
        "skeleton-shimmer rounded-md bg-muted",
        className,
      )}
      {...props}
    />
  );
}

export { Skeleton };
