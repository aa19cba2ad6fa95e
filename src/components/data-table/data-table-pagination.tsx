"use client";
/**
 * Pagination under the table (US6.1.1): rows per page 25 / 50 / 100, "Page 2 of 7", and
 * Previous, 1, 2, 3, …, Next buttons. Server-side: `onPageChange` / `onPerPageChange` write the URL.
 */
import { ChevronLeft, ChevronRight, ChevronsLeft, ChevronsRight } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";

/** Page numbers to show around `page` of `pageCount`, with "…" gaps: [1, "…", 4, 5, 6, "…", 12]. */
export function pageWindow(page: number, pageCount: number): Array<number | "…"> {
  if (pageCount <= 7) return Array.from({ length: pageCount }, (_, i) => i + 1);
  const pages = new Set([1, pageCount, page - 1, page, page + 1].filter((p) => p >= 1 && p <= pageCount));
  const sorted = [...pages].sort((a, b) => a - b);
  const out: Array<number | "…"> = [];
  for (const [i, p] of sorted.entries()) {
    if (i > 0 && p - sorted[i - 1] > 1) out.push("…");
    out.push(p);
  }
  return out;
}

export function DataTablePagination({
  page,
  perPage,
  total,
  perPageOptions,
  onPageChange,
  onPerPageChange,
}: {
  page: number;
  perPage: number;
  total: number;
  perPageOptions: readonly number[];
  onPageChange: (page: number) => void;
  onPerPageChange: (perPage: number) => void;
}) {
  const pageCount = Math.max(1, Math.ceil(total / perPage));
  const first = total === 0 ? 0 : (page - 1) * perPage + 1;
  const last = Math.min(total, page * perPage);
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 px-1 py-2 text-sm">
      <div className="text-muted-foreground tabular-nums">
        {total === 0 ? "No rows" : `Rows ${first.toLocaleString("en-US")}–${last.toLocaleString("en-US")} of ${total.toLocaleString("en-US")}`}
      </div>
      <div className="flex flex-wrap items-center gap-4">
        <div className="flex items-center gap-2">
          <span id="rows-per-page-label" className="whitespace-nowrap">
            Rows per page
          </span>
          <Select value={String(perPage)} onValueChange={(value) => onPerPageChange(Number(value))}>
            <SelectTrigger size="sm" className="h-8 w-[84px]" aria-labelledby="rows-per-page-label">
              <SelectValue />
            </SelectTrigger>
            <SelectContent side="top">
              {perPageOptions.map((n) => (
                <SelectItem key={n} value={String(n)}>
                  {n}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <div className="whitespace-nowrap tabular-nums">
          Page {Math.min(page, pageCount)} of {pageCount}
        </div>
        <div className="flex items-center gap-1">
          <Button variant="outline" size="icon" className="size-8" onClick={() => onPageChange(1)} disabled={page <= 1} aria-label="Go to first page">
            <ChevronsLeft aria-hidden className="size-4" />
          </Button>
          <Button variant="outline" size="sm" className="h-8" onClick={() => onPageChange(page - 1)} disabled={page <= 1} aria-label="Go to previous page">
            <ChevronLeft aria-hidden className="size-4" />
            <span className="hidden sm:inline">Previous</span>
          </Button>
          {pageWindow(Math.min(page, pageCount), pageCount).map((p, i) =>
            p === "…" ? (
              <span key={`gap-${i}`} className="px-1 text-muted-foreground" aria-hidden>
                …
              </span>
            ) : (
              <Button
                key={p}
                variant={p === page ? "default" : "ghost"}
                size="sm"
                className="h-8 min-w-8 px-2 tabular-nums"
                onClick={() => onPageChange(p)}
                aria-label={`Page ${p}`}
                aria-current={p === page ? "page" : undefined}
              >
                {p}
              </Button>
            ),
          )}
          <Button variant="outline" size="sm" className="h-8" onClick={() => onPageChange(page + 1)} disabled={page >= pageCount} aria-label="Go to next page">
            <span className="hidden sm:inline">Next</span>
            <ChevronRight aria-hidden className="size-4" />
          </Button>
          <Button variant="outline" size="icon" className="size-8" onClick={() => onPageChange(pageCount)} disabled={page >= pageCount} aria-label="Go to last page">
            <ChevronsRight aria-hidden className="size-4" />
          </Button>
        </div>
      </div>
    </nav>
  );
}
