/**
 * Every URL of a workspace, in one place (issue 9 item 1: the workspace is in the URL, so every
 * view stays bookmarkable). Pages live under `/w/<slug>/…`, route handlers under `/api/w/<slug>/…`.
 * Safe for client code.
 */

const seg = (value: string) => encodeURIComponent(value);

/** The cookie that remembers the last workspace opened, so `/` goes back to it. */
export const LAST_WORKSPACE_COOKIE = "brightrun-workspace";

/** The pages and API routes of workspace `slug`. `query` is a query string without "?" ("" for none). */
export function workspacePaths(slug: string) {
  const base = `/w/${seg(slug)}`;
  const api = `/api/w/${seg(slug)}`;
  const withQuery = (path: string, query = "") => (query ? `${path}?${query}` : path);
  return {
    /** The conversations table (the workspace's home). */
    conversations: (query = "") => withQuery(base, query),
    documents: `${base}/documents`,
    document: (key: string) => `${base}/documents/${seg(key)}`,
    errors: (query = "") => withQuery(`${base}/errors`, query),
    /** The first-run checklist (issue 10 item 7). */
    getStarted: `${base}/get-started`,
    /** The taxonomy: one page per kind (TAXONOMY_KINDS' url segments: personas, emotional-arcs, …). */
    taxonomy: (kindSegment = "personas") => `${base}/taxonomy/${seg(kindSegment)}`,
    scenarios: (query = "") => withQuery(`${base}/scenarios`, query),
    seeds: `${base}/seeds`,
    /** The planning page: tier split, tier sections, arc configuration, Generate All Tier N. */
    plan: `${base}/plan`,
    settings: `${base}/settings`,
    /** Prompt templates (issue 11): the list, one template's editor (versions, preview, test), analytics. */
    templates: (query = "") => withQuery(`${base}/templates`, query),
    newTemplate: (query = "") => withQuery(`${base}/templates/new`, query),
    template: (key: string, query = "") => withQuery(`${base}/templates/${seg(key)}`, query),
    templateAnalytics: (query = "") => withQuery(`${base}/templates/analytics`, query),
    /** Coverage (issue 13 item 1): charts and the persona × arc heatmap; `query` is `status=…` or "". */
    coverage: (query = "") => withQuery(`${base}/dataset-coverage`, query),
    /** The audit trail (issue 13 item 5): `tab=generation|reviews|exports` and each tab's filters (src/lib/audit-params.ts). */
    audit: (query = "") => withQuery(`${base}/audit`, query),
    /** Database health (issue 13 item 7): query timings, slow queries, table sizes, index usage; `query` is `window=24h|7d|30d` or "". */
    health: `${base}/health`,
    /** The cost page (issue 13 item 4): spend trend, breakdowns, budget, runs; `query` is `period=day|week|month&run=<id>` or "". */
    cost: (query = "") => withQuery(`${base}/cost`, query),
    api: {
      conversation: (conversationId: string) => `${api}/conversations/${seg(conversationId)}`,
      run: (runId: string) => `${api}/runs/${seg(runId)}`,
      runEvents: (runId: string) => `${api}/runs/${seg(runId)}/events`,
      activeRuns: `${api}/runs/active`,
      /** A run's cost summary as JSON (the report of `brightrun runs show`). */
      runSummary: (runId: string) => `${api}/runs/${seg(runId)}/summary`,
      /** A run's cost report as CSV, one row per conversation (a download; `brightrun runs show --csv`). */
      runSummaryCsv: (runId: string) => `${api}/runs/${seg(runId)}/summary.csv`,
      /** Every provider call as CSV for accounting (a download); `query` is `from=YYYY-MM-DD&to=YYYY-MM-DD`. */
      costCsv: (query = "") => withQuery(`${api}/cost.csv`, query),
      documentPreview: `${api}/documents/preview`,
      documentImport: `${api}/documents/import`,
      traceability: (key: string) => `${api}/documents/${seg(key)}/traceability`,
      /** The workspace's taxonomy as the JSON file `brightrun import` reads (a download). */
      taxonomyExport: `${api}/taxonomy/export`,
      /** Template analytics as CSV (a download); `query` as on the analytics page. */
      templateAnalyticsCsv: (query = "") => withQuery(`${api}/templates/analytics.csv`, query),
      /** The coverage report as CSV (a download); `query` as on the coverage page. */
      coverageCsv: (query = "") => withQuery(`${api}/coverage.csv`, query),
      /** The edge-case coverage report as CSV (a download): every edge-case category × persona × arc. */
      edgeCaseCoverageCsv: `${api}/edge-case-coverage.csv`,
      /** The generation log as CSV (a download); `query` as on the audit page. */
      auditGenerationCsv: (query = "") => withQuery(`${api}/audit/generation.csv`, query),
      /** The review log (every approve, reject, undo) as CSV; `query` as on the audit page (`from`, `to`, `conversation`). */
      auditReviewsCsv: (query = "") => withQuery(`${api}/audit/reviews.csv`, query),
      /** The export history as CSV (a download); `query` as on the audit page. */
      auditExportsCsv: (query = "") => withQuery(`${api}/audit/exports.csv`, query),
      exportDownload: (exportId: string, fileName?: string) =>
        withQuery(`${api}/export-downloads/${seg(exportId)}`, fileName ? `file=${seg(fileName)}` : ""),
    },
  };
}
