/**
 * The database health page's rules (issue 13 item 7; US9.1.2, US12.2.2), safe for client code.
 */

/** A query slower than this is a slow query, and the list query's p95 above it raises the banner (ms; US9.1.2 "Slow query identification (> 500ms)", US12.2.2 "alerts when queries exceed 500ms"). */
export const SLOW_QUERY_MS = 500;

/** The kinds of query the app times (the `kind` column of query_timings). */
export const QUERY_KINDS = {
  conversationsList: "conversations.list",
  conversationsFacets: "conversations.facets",
  conversationsStatusCounts: "conversations.status_counts",
  coverageReport: "coverage.report",
  auditGenerationLog: "audit.generation_log",
  auditReviews: "audit.reviews",
  auditExports: "audit.exports",
  healthPage: "health.page",
} as const;

export type QueryKind = (typeof QUERY_KINDS)[keyof typeof QUERY_KINDS];

/** What each kind times, in words, for the page. */
export const QUERY_KIND_LABELS: Record<QueryKind, string> = {
  "conversations.list": "Conversations table: one page of rows and the total",
  "conversations.facets": "Conversations table: filter counts",
  "conversations.status_counts": "Conversations table: counts by status",
  "coverage.report": "Coverage report",
  "audit.generation_log": "Audit: generation log page",
  "audit.reviews": "Audit: review activity and compliance",
  "audit.exports": "Audit: export history page",
  "health.page": "This page's own queries",
};

/** Windows the page looks back over; the longest is the retention of query timings (30 days). */
export const HEALTH_WINDOWS = { "24h": 24, "7d": 24 * 7, "30d": 24 * 30 } as const;
export type HealthWindow = keyof typeof HEALTH_WINDOWS;

/** The window named in the URL (`?window=`), "24h" for anything else. */
export function parseHealthWindow(value: string | string[] | undefined): HealthWindow {
  const v = Array.isArray(value) ? value[0] : value;
  return v && Object.hasOwn(HEALTH_WINDOWS, v) ? (v as HealthWindow) : "24h";
}
