/**
 * Small server-rendered pieces the audit tabs share: a labelled filter field, the native select
 * and input styles, a UTC time, a "Showing 1–50 of 120" pager built from links, and the empty state.
 */
import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { cn } from "@/lib/utils";

/** Classes of a native select / input in a filter form (matches the Input primitive). */
export const fieldClass =
  "h-9 w-full min-w-0 rounded-md border border-input bg-transparent px-3 py-1 text-sm shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 dark:bg-input/30";

/** A filter's label above its control. */
export function FilterField({ id, label, children, className }: { id: string; label: string; children: React.ReactNode; className?: string }) {
  return (
    <div className={cn("flex min-w-0 flex-col gap-1", className)}>
      <label htmlFor={id} className="text-xs font-medium text-muted-foreground">
        {label}
      </label>
      {children}
    </div>
  );
}

/** "2026-11-29 13:47 UTC": audit times are shown in UTC, as the CSVs hold them. */
export function UtcTime({ iso, seconds = false }: { iso: string; seconds?: boolean }) {
  const text = `${iso.slice(0, 10)} ${iso.slice(11, seconds ? 19 : 16)} UTC`;
  return <time dateTime={iso}>{text}</time>;
}

/** Previous / Next links and the rows shown, or nothing when everything fits on one page. */
export function Pager({ page, perPage, total, hrefFor, label }: { page: number; perPage: number; total: number; hrefFor: (page: number) => string; label: string }) {
  const first = total === 0 ? 0 : (page - 1) * perPage + 1;
  const last = Math.min(total, page * perPage);
  const pages = Math.max(1, Math.ceil(total / perPage));
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-2 text-sm">
      <p className="text-muted-foreground tabular-nums">
        {total === 0 ? "Nothing to show" : `Showing ${first.toLocaleString("en-US")}–${last.toLocaleString("en-US")} of ${total.toLocaleString("en-US")}`}
      </p>
      {pages > 1 && (
        <div className="flex items-center gap-2">
          {page > 1 ? (
            <Link href={hrefFor(page - 1)} className={buttonVariants({ variant: "outline", size: "sm" })}>
              Previous
            </Link>
          ) : (
            <span aria-disabled className={cn(buttonVariants({ variant: "outline", size: "sm" }), "pointer-events-none opacity-50")}>
              Previous
            </span>
          )}
          <span className="tabular-nums text-muted-foreground">
            Page {page} of {pages}
          </span>
          {page < pages ? (
            <Link href={hrefFor(page + 1)} className={buttonVariants({ variant: "outline", size: "sm" })}>
              Next
            </Link>
          ) : (
            <span aria-disabled className={cn(buttonVariants({ variant: "outline", size: "sm" }), "pointer-events-none opacity-50")}>
              Next
            </span>
          )}
        </div>
      )}
    </nav>
  );
}

/** A dashed box with a plain sentence (and an optional link to clear the filters). */
export function EmptyState({ children, clearHref }: { children: React.ReactNode; clearHref?: string }) {
  return (
    <div className="rounded-lg border border-dashed p-8 text-center text-sm">
      <p className="text-muted-foreground">{children}</p>
      {clearHref && (
        <p className="mt-2">
          <Link href={clearHref} className="font-medium underline underline-offset-4">
            Clear the filters
          </Link>
        </p>
      )}
    </div>
  );
}
