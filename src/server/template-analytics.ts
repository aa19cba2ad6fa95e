import "server-only";
/**
 * What the template analytics page and its CSV show (issue 11 item 6, US7.1.2): per template and
 * version, real-model and simulated conversations apart, with approval rate, rejection-note words,
 * the quality trend, a two-version comparison and one recommendation line per tier.
 */
import { stringify } from "csv-stringify/sync";
import { approvalRate, recommendTemplates, topNoteWords, type TierRecommendation } from "../core/templates/template-analytics";
import { TIERS, type Tier } from "../lib/constants";
import { periodDays, type TemplateAnalyticsFilter } from "../lib/template-analytics-filter";
import type { DbOrTx } from "./db/client";
import { listRejectionNotes, listTemplateQualityTrend, listTemplateVersionStats, type TemplateAnalyticsScope, type TemplateQualityPoint } from "./db/queries/template-analytics";

/** One row of the page's table and the CSV: one template version, real-model or simulated. Quality 1–10, rate 0–1. */
export interface TemplateAnalyticsRow {
  /** "<template id>:<version>", the comparison picker's value. */
  ref: string;
  templateId: string;
  templateKey: string;
  templateName: string;
  tier: Tier;
  version: number;
  /** True when this version is the template's current (active) one. */
  current: boolean;
  simulated: boolean;
  generated: number;
  averageQuality: number | null;
  approved: number;
  rejected: number;
  approvalRate: number | null;
  /** The most frequent words of the reviewers' rejection notes, with how many notes use each. */
  rejectionWords: { word: string; count: number }[];
  lastGeneratedAt: string | null;
}

export interface TemplateAnalytics {
  /** Versions with conversations from a real model (count toward recommendations). */
  real: TemplateAnalyticsRow[];
  /** Versions with simulated conversations (never recommended). */
  simulated: TemplateAnalyticsRow[];
  recommendations: TierRecommendation[];
  trend: TemplateQualityPoint[];
}

/** The scope of the filter in a workspace. */
export function analyticsScope(workspaceId: string, filter: TemplateAnalyticsFilter): TemplateAnalyticsScope {
  return { workspaceId, tier: filter.tier, sinceDays: periodDays(filter.period) };
}

/**
 * Loads everything the page shows for the filter: three queries (version figures, rejection notes,
 * trend), run in parallel. Recommendations come from the real-model rows only.
 */
export async function loadTemplateAnalytics({ db, workspaceId, filter }: { db: DbOrTx; workspaceId: string; filter: TemplateAnalyticsFilter }): Promise<TemplateAnalytics> {
  const scope = analyticsScope(workspaceId, filter);
  const [stats, notes, trend] = await Promise.all([listTemplateVersionStats({ db, scope }), listRejectionNotes({ db, scope }), listTemplateQualityTrend({ db, scope })]);
  const notesByRow = new Map<string, string[]>();
  for (const n of notes) {
    const key = `${n.templateId}:${n.version}:${n.simulated}`;
    notesByRow.set(key, [...(notesByRow.get(key) ?? []), n.note]);
  }
  const rows: TemplateAnalyticsRow[] = stats.map((s) => ({
    ref: `${s.templateId}:${s.version}`,
    templateId: s.templateId,
    templateKey: s.templateKey,
    templateName: s.templateName,
    tier: s.tier,
    version: s.version,
    current: s.version === s.currentVersion,
    simulated: s.simulated,
    generated: s.generated,
    averageQuality: s.averageQuality,
    approved: s.approved,
    rejected: s.rejected,
    approvalRate: approvalRate({ approved: s.approved, rejected: s.rejected }),
    rejectionWords: topNoteWords(notesByRow.get(`${s.templateId}:${s.version}:${s.simulated}`) ?? []),
    lastGeneratedAt: s.lastGeneratedAt,
  }));
  const real = rows.filter((r) => !r.simulated);
  const tiers = filter.tier ? [filter.tier] : [...TIERS];
  const recommendations = recommendTemplates(
    real.map((r) => ({ templateId: r.templateId, templateName: r.templateName, tier: r.tier, version: r.version, approved: r.approved, rejected: r.rejected, averageQuality: r.averageQuality })),
    tiers,
  );
  return { real, simulated: rows.filter((r) => r.simulated), recommendations, trend };
}

/** The CSV's columns, in order. */
export const TEMPLATE_ANALYTICS_CSV_COLUMNS = [
  "template_key",
  "template_name",
  "tier",
  "version",
  "current_version",
  "model_kind",
  "conversations_generated",
  "average_quality",
  "approved",
  "rejected",
  "approval_rate",
  "top_rejection_words",
  "last_generated_at",
] as const;

/**
 * The analytics as CSV (RFC 4180 quoting by csv-stringify): a header of TEMPLATE_ANALYTICS_CSV_COLUMNS,
 * then the real-model rows and the simulated rows (`model_kind` "real" / "simulated"). Quality with
 * 2 decimals, approval rate 0–1 with 4 decimals, empty when unknown; words as "word (n); …".
 */
export function templateAnalyticsCsv(analytics: Pick<TemplateAnalytics, "real" | "simulated">): string {
  const records = [...analytics.real, ...analytics.simulated].map((r) => [
    r.templateKey,
    r.templateName,
    r.tier,
    r.version,
    r.current ? "yes" : "no",
    r.simulated ? "simulated" : "real",
    r.generated,
    r.averageQuality === null ? "" : r.averageQuality.toFixed(2),
    r.approved,
    r.rejected,
    r.approvalRate === null ? "" : r.approvalRate.toFixed(4),
    r.rejectionWords.map((w) => `${w.word} (${w.count})`).join("; "),
    r.lastGeneratedAt ?? "",
  ]);
  return stringify([[...TEMPLATE_ANALYTICS_CSV_COLUMNS], ...records]);
}
