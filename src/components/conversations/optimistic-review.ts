/**
 * Instant feedback for approve / reject (US11.2.1 "optimistic UI updates, revert on error"): what
 * the conversations page shows while the server is still deciding, computed from the rows on
 * screen with the server's own review rules (core/review decideReviews), so a row the server will
 * skip (a seed, an edge case in a bulk approve, a low score without a note) is not shown as changed.
 *
 * The page applies a change at once, keeps it until the server's answer arrives and then either
 * keeps it until the refreshed rows replace it (accepted) or drops it (refused: the rows roll back
 * and a toast says why). Nothing here talks to the server.
 */
import type { ConversationStatus } from "@/lib/constants";
import { decideReviews, isBulkReview, type TierRules } from "@/core/review/review-rules";
import type { ConversationsDashboardData } from "./types";

/** One approve / reject as the page shows it before the server answers. */
export interface OptimisticReview {
  action: "approve" | "reject";
  /** Which rows of the page it names: ids, or every row except `except` ("Select all N" matching the view). */
  target: { ids: readonly string[] } | { allExcept: ReadonlySet<string> };
  /** The notes sent with it (trimmed; "" = none): an approve below the tier's bar needs one. */
  notes: string;
  /** When the user acted (the status badge's time). */
  at: Date;
}

const STATUS_OF: Record<OptimisticReview["action"], ConversationStatus> = { approve: "approved", reject: "rejected" };

/**
 * The page's data with `changes` applied in order: matching rows get the new status and review
 * time, and the status facet counts (the filter's "Approved (12)") move with them. Rows the review
 * rules would skip stay as they are. Returns `data` itself when nothing changes.
 * @param rules the workspace's tier rules (the approval bar)
 */
export function applyOptimisticReviews(data: ConversationsDashboardData, changes: readonly OptimisticReview[], rules: TierRules): ConversationsDashboardData {
  if (changes.length === 0) return data;
  let rows = data.page.rows;
  const statusFacet: Partial<Record<string, number>> = { ...(data.facets.status as Partial<Record<string, number>>) };
  let changed = false;
  for (const change of changes) {
    const named = "ids" in change.target ? rows.filter((r) => (change.target as { ids: readonly string[] }).ids.includes(r.conversationId)) : rows.filter((r) => !(change.target as { allExcept: ReadonlySet<string> }).allExcept.has(r.conversationId));
    const bulk = "ids" in change.target ? isBulkReview({ ids: change.target.ids, byFilter: false }) : true;
    const { targets } = decideReviews({ action: change.action, candidates: named, bulk, rules, notes: change.notes.trim() || null });
    if (targets.length === 0) continue;
    const next = STATUS_OF[change.action];
    const ids = new Set(targets.map((t) => t.conversationId));
    rows = rows.map((row) => {
      if (!ids.has(row.conversationId) || row.status === next) return row;
      statusFacet[row.status] = Math.max(0, (statusFacet[row.status] ?? 0) - 1);
      statusFacet[next] = (statusFacet[next] ?? 0) + 1;
      changed = true;
      return { ...row, status: next, reviewedAt: change.at };
    });
  }
  if (!changed) return data;
  return { ...data, page: { ...data.page, rows }, facets: { ...data.facets, status: statusFacet as ConversationsDashboardData["facets"]["status"] } };
}
