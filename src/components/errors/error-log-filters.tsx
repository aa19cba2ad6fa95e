"use client";
/**
 * The error log's filters (US2.2.2): error code and tier (the data table's faceted multi-select,
 * with counts), temporary / permanent, and a time window. Every change writes the URL
 * (bookmarkable) and goes back to page 1.
 */
import { useTransition } from "react";
import { useRouter } from "next/navigation";
import { Loader2, X } from "lucide-react";
import { TIER_LABELS, TIERS, type Tier } from "@/lib/constants";
import {
  ERROR_LOG_SINCE_LABELS,
  ERROR_LOG_SINCE_OPTIONS,
  errorLogHref,
  type ErrorLogSince,
  type ErrorLogState,
} from "@/lib/error-log-params";
import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { DataTableFacetedFilter, type FacetOption } from "@/components/data-table/data-table-faceted-filter";
import { useWorkspace } from "@/components/workspaces/workspace-provider";

/**
 * The filter bar of /errors.
 * @param state the page's parsed URL state
 * @param codes every error code in the log with its count, for the Code filter
 */
export function ErrorLogFilters({ state, codes }: { state: ErrorLogState; codes: Array<{ code: string; count: number }> }) {
  const { slug: workspaceSlug } = useWorkspace();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const apply = (change: Partial<ErrorLogState>) => {
    startTransition(() => router.push(errorLogHref(workspaceSlug, { ...state, ...change, page: 1 }), { scroll: false }));
  };
  // Codes picked in the URL but not (or no longer) in the log still show, so they can be removed.
  const codeOptions: FacetOption[] = [
    ...codes.map((c) => ({ value: c.code, label: c.code, count: c.count })),
    ...state.code.filter((code) => !codes.some((c) => c.code === code)).map((code) => ({ value: code, label: code, count: 0 })),
  ];
  const tierOptions: FacetOption[] = TIERS.map((tier) => ({ value: tier, label: TIER_LABELS[tier] }));
  const filtered = state.code.length > 0 || state.tier.length > 0 || state.retryable !== null || state.since !== null;

  return (
    <div className="flex flex-wrap items-center gap-2" aria-label="Filters" role="group">
      <DataTableFacetedFilter title="Error code" options={codeOptions} selected={state.code} onChange={(code) => apply({ code })} />
      <DataTableFacetedFilter title="Tier" options={tierOptions} selected={state.tier} onChange={(tier) => apply({ tier: tier as Tier[] })} />
      <Select
        value={state.retryable === null ? "all" : state.retryable ? "yes" : "no"}
        onValueChange={(value) => apply({ retryable: value === "all" ? null : value === "yes" })}
      >
        <SelectTrigger size="sm" className="h-8 w-auto min-w-44" aria-label="Retryable">
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value="all">Temporary and permanent</SelectItem>
          <SelectItem value="yes">Temporary (retryable)</SelectItem>
          <SelectItem value="no">Permanent</SelectItem>
        </SelectContent>
      </Select>
      <Select value={state.since ?? "all"} onValueChange={(value) => apply({ since: value === "all" ? null : (value as ErrorLogSince) })}>
        <SelectTrigger size="sm" className="h-8 w-auto min-w-36" aria-label="Time">
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value="all">All time</SelectItem>
          {(Object.keys(ERROR_LOG_SINCE_OPTIONS) as ErrorLogSince[]).map((since) => (
            <SelectItem key={since} value={since}>
              {ERROR_LOG_SINCE_LABELS[since]}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
      {filtered && (
        <Button variant="ghost" size="sm" className="h-8" onClick={() => apply({ code: [], tier: [], retryable: null, since: null })}>
          <X aria-hidden />
          Clear filters
        </Button>
      )}
      {pending && <Loader2 aria-label="Loading" className="size-4 animate-spin text-muted-foreground" />}
    </div>
  );
}
