/**
 * The coverage page's URL state and its links into the conversations table (issue 13 item 1).
 * `?status=all|planned|generated|approved` (default all); an unknown value falls back to all, so an
 * old or hand-edited bookmark still opens. Safe for client code.
 */
import { BUCKET_STATUSES, COVERAGE_STATUS_FILTERS, FILTER_STATUSES, type CoverageBucket, type CoverageStatusFilter } from "../core/dataset-coverage/coverage";
import type { Tier } from "./constants";
import { serializeConversationTableParams } from "./conversation-table-params";

/** Parses `?status=` from a URLSearchParams or Next.js's searchParams record; anything unknown is "all". */
export function parseCoverageStatus(params: Record<string, string | string[] | undefined> | URLSearchParams): CoverageStatusFilter {
  const raw = params instanceof URLSearchParams ? params.get("status") : params.status;
  const value = Array.isArray(raw) ? raw[0] : raw;
  return (COVERAGE_STATUS_FILTERS as readonly string[]).includes(value ?? "") ? (value as CoverageStatusFilter) : "all";
}

/** The coverage page's query string (without "?"), "" for the default (all). */
export function coverageQuery(status: CoverageStatusFilter): string {
  return status === "all" ? "" : new URLSearchParams({ status }).toString();
}

/** What a bar, slice or cell narrows the table to. Category is a document category (the table's `source`). */
export interface CoverageSelection {
  persona?: string;
  emotion?: string;
  tier?: Tier;
  sourceCategory?: string;
  /** One stack of the tier chart: that bucket's statuses instead of the status filter's. */
  bucket?: CoverageBucket;
}

/**
 * The conversations table's query string (its own params: persona, emotion, tier, source, status,
 * seed) for the conversations a bar, slice or cell counts: that selection, the status filter's
 * statuses (none for "all"; a bucket's own statuses when `bucket` is set) and `seed=no`, because coverage counts planned and generated
 * conversations, not seed examples. Returns "" never: `seed=no` is always there.
 */
export function coverageTableQuery(selection: CoverageSelection, status: CoverageStatusFilter): string {
  return serializeConversationTableParams({
    filter: {
      persona: selection.persona ? [selection.persona] : undefined,
      emotion: selection.emotion ? [selection.emotion] : undefined,
      tier: selection.tier ? [selection.tier] : undefined,
      sourceCategory: selection.sourceCategory ? [selection.sourceCategory] : undefined,
      status: selection.bucket ? [...BUCKET_STATUSES[selection.bucket]] : status === "all" ? undefined : [...FILTER_STATUSES[status]],
      isSeed: false,
    },
  }).toString();
}
