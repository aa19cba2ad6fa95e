"use client";
/**
 * A sortable column header: a button that cycles ascending / descending, with ↑ / ↓ showing the
 * current sort (US6.1.1). Sorting is server-side: the table's onSortingChange writes the URL.
 */
import type { Column } from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ChevronsUpDown } from "lucide-react";
import { cn } from "@/lib/utils";

export function DataTableColumnHeader<TData, TValue>({ column, title, className }: { column: Column<TData, TValue>; title: string; className?: string }) {
  if (!column.getCanSort()) return <div className={cn("whitespace-nowrap", className)}>{title}</div>;
  const sorted = column.getIsSorted();
  const next = sorted === "asc" ? "descending" : "ascending";
  return (
    <button
      type="button"
      onClick={() => column.toggleSorting(sorted === "asc")}
      className={cn(
        "-ml-2 inline-flex h-8 items-center gap-1 whitespace-nowrap rounded-md px-2 text-left font-medium hover:bg-accent hover:text-accent-foreground focus-visible:ring-ring/50 focus-visible:outline-none focus-visible:ring-[3px]",
        sorted && "text-foreground",
        className,
      )}
      aria-label={`${title}: sort ${next}`}
    >
      {title}
      {sorted === "desc" ? (
        <ArrowDown aria-hidden className="size-3.5" />
      ) : sorted === "asc" ? (
        <ArrowUp aria-hidden className="size-3.5" />
      ) : (
        <ChevronsUpDown aria-hidden className="size-3.5 opacity-50" />
      )}
    </button>
  );
}
