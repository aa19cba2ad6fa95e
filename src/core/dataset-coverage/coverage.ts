/**
 * Coverage rules (issue 13 item 1, US3.2.1): which statuses each coverage bucket holds, what the
 * page's status filter counts, when a persona × emotional-arc combination is a gap, and the shaping
 * of the aggregate counts (src/server/db/queries/coverage.ts) into the charts, the heatmap and the
 * CSV. Pure functions, no framework, no database.
 */
import { CONVERSATION_STATUSES, TIER_LABELS, TIERS, type ConversationStatus, type Tier } from "../../lib/constants";

/**
 * A persona × emotional-arc combination with fewer than this many conversations is a gap
 * (US3.2.1: "Gap identification highlighting underrepresented combinations (count < 3)").
 */
export const COVERAGE_GAP_THRESHOLD = 3;

/** True when `count` conversations leave a combination underrepresented (count < COVERAGE_GAP_THRESHOLD). */
export function isCoverageGap(count: number): boolean {
  return count < COVERAGE_GAP_THRESHOLD;
}

/** The buckets a conversation's status falls in, as the tier chart stacks them. */
export const COVERAGE_BUCKETS = ["planned", "generated", "approved", "rejected"] as const;
export type CoverageBucket = (typeof COVERAGE_BUCKETS)[number];

export const COVERAGE_BUCKET_LABELS: Record<CoverageBucket, string> = {
  planned: "Planned",
  generated: "Generated",
  approved: "Approved",
  rejected: "Rejected",
};

/**
 * Statuses per bucket: "planned" is a conversation without usable turns yet (not generated, being
 * generated, or failed: it is still to be made); the others are their status.
 */
export const BUCKET_STATUSES: Record<CoverageBucket, readonly ConversationStatus[]> = {
  planned: ["not_generated", "generating", "failed"],
  generated: ["generated"],
  approved: ["approved"],
  rejected: ["rejected"],
};

/** The bucket of one status (every status is in exactly one bucket). */
export function bucketOfStatus(status: ConversationStatus): CoverageBucket {
  return COVERAGE_BUCKETS.find((b) => BUCKET_STATUSES[b].includes(status))!;
}

/** The page's status filter (kept in the URL as `?status=`). */
export const COVERAGE_STATUS_FILTERS = ["all", "planned", "generated", "approved"] as const;
export type CoverageStatusFilter = (typeof COVERAGE_STATUS_FILTERS)[number];

export const COVERAGE_STATUS_FILTER_LABELS: Record<CoverageStatusFilter, string> = {
  all: "All conversations",
  planned: "Planned (not generated yet)",
  generated: "Generated (has turns)",
  approved: "Approved",
};

/**
 * The conversation statuses a filter counts: every status for "all"; the planned bucket; for
 * "generated" every conversation that has turns (generated, approved or rejected); "approved" only.
 */
export const FILTER_STATUSES: Record<CoverageStatusFilter, readonly ConversationStatus[]> = {
  all: CONVERSATION_STATUSES,
  planned: BUCKET_STATUSES.planned,
  generated: ["generated", "approved", "rejected"],
  approved: ["approved"],
};

/** Counts per bucket of one bar, slice or cell, with their total and the count the status filter keeps. */
export interface CoverageCounts extends Record<CoverageBucket, number> {
  total: number;
  /** Conversations counted by the page's status filter (equals `total` for "all"). */
  inView: number;
}

/** One aggregate row: conversations with this combination of dimensions and status. */
export interface CoverageCountRow {
  persona: string;
  emotion: string;
  tier: Tier;
  /** The document category of the chunk the conversation was planned from; null without one. */
  sourceCategory: string | null;
  scenarioId: string | null;
  status: ConversationStatus;
  count: number;
}

/** A taxonomy entry as coverage names it. */
export interface CoverageLabel {
  key: string;
  name: string;
  /** Archived in the taxonomy (kept because conversations use it). */
  archived: boolean;
  /** Switched off for planning (personas and arcs have an on/off switch). */
  disabled?: boolean;
}

/** The workspace's names for the keys the aggregates use. Scenarios are keyed by id. */
export interface CoverageLabels {
  personas: CoverageLabel[];
  emotionalArcs: CoverageLabel[];
  scenarios: CoverageLabel[];
}

/** The dimensions of the report, as the CSV names them. */
export const COVERAGE_DIMENSIONS = ["persona", "emotional_arc", "tier", "document_category", "scenario", "persona_emotional_arc"] as const;
export type CoverageDimension = (typeof COVERAGE_DIMENSIONS)[number];

/** One bar or slice: a value of a dimension (null for "none", e.g. a conversation without a scenario). */
export interface CoverageEntry {
  value: string | null;
  label: string;
  archived: boolean;
  counts: CoverageCounts;
}

/** One heatmap cell: a persona × emotional-arc combination. */
export interface CoverageCell {
  persona: string;
  emotion: string;
  counts: CoverageCounts;
  /** Fewer than COVERAGE_GAP_THRESHOLD conversations in view. */
  gap: boolean;
}

/** Everything the coverage page, its charts and its CSV show. */
export interface CoverageReport {
  status: CoverageStatusFilter;
  /** Conversations in the report (all statuses) and in view (the status filter's). */
  totals: CoverageCounts;
  personas: CoverageEntry[];
  emotionalArcs: CoverageEntry[];
  tiers: CoverageEntry[];
  documentCategories: CoverageEntry[];
  scenarios: CoverageEntry[];
  heatmap: { personas: CoverageEntry[]; emotionalArcs: CoverageEntry[]; cells: CoverageCell[]; gaps: number };
}

const emptyCounts = (): CoverageCounts => ({ planned: 0, generated: 0, approved: 0, rejected: 0, total: 0, inView: 0 });

function addTo(counts: CoverageCounts, status: ConversationStatus, count: number, inView: ReadonlySet<ConversationStatus>): void {
  counts[bucketOfStatus(status)] += count;
  counts.total += count;
  if (inView.has(status)) counts.inView += count;
}

/** Label of a value that has no taxonomy entry (a key since deleted, or none at all). */
const NO_SCENARIO = "No scenario";
const NO_CATEGORY = "No document category";

/**
 * Shapes the aggregate rows into the report for a status filter.
 *
 * - Personas and emotional arcs: every entry that is active and switched on (even with no
 *   conversations: an empty bar and a row of gaps are what a user needs to see), plus any archived
 *   or switched-off entry that still has conversations (marked `archived`); in the taxonomy's order.
 * - Tiers: the three tiers in plan order. Document categories and scenarios: those with
 *   conversations, most conversations first, "none" last.
 * - The heatmap: every shown persona × every shown arc; a cell is a gap when its in-view count is
 *   under COVERAGE_GAP_THRESHOLD.
 * Bars are listed whatever the filter; their `inView` says what the filter counts.
 */
export function shapeCoverage({ rows, labels, status }: { rows: readonly CoverageCountRow[]; labels: CoverageLabels; status: CoverageStatusFilter }): CoverageReport {
  const inView = new Set(FILTER_STATUSES[status]);
  const totals = emptyCounts();
  const by = {
    persona: new Map<string, CoverageCounts>(),
    emotion: new Map<string, CoverageCounts>(),
    tier: new Map<string, CoverageCounts>(),
    category: new Map<string | null, CoverageCounts>(),
    scenario: new Map<string | null, CoverageCounts>(),
    cell: new Map<string, CoverageCounts>(),
  };
  const bump = <K,>(map: Map<K, CoverageCounts>, key: K, row: CoverageCountRow) => {
    const counts = map.get(key) ?? emptyCounts();
    addTo(counts, row.status, row.count, inView);
    map.set(key, counts);
  };
  for (const row of rows) {
    addTo(totals, row.status, row.count, inView);
    bump(by.persona, row.persona, row);
    bump(by.emotion, row.emotion, row);
    bump(by.tier, row.tier, row);
    bump(by.category, row.sourceCategory, row);
    bump(by.scenario, row.scenarioId, row);
    bump(by.cell, cellKey(row.persona, row.emotion), row);
  }

  const taxonomyEntries = (entries: readonly CoverageLabel[], counts: Map<string, CoverageCounts>): CoverageEntry[] => {
    const known = new Set(entries.map((e) => e.key));
    const shown: CoverageEntry[] = entries
      .filter((e) => (!e.archived && e.disabled !== true) || (counts.get(e.key)?.total ?? 0) > 0)
      .map((e) => ({ value: e.key, label: e.name, archived: e.archived || e.disabled === true, counts: counts.get(e.key) ?? emptyCounts() }));
    // Keys without a taxonomy entry cannot happen with the foreign keys in place; shown by key rather than dropped.
    for (const [key, c] of counts) if (!known.has(key)) shown.push({ value: key, label: key, archived: true, counts: c });
    return shown;
  };
  const personas = taxonomyEntries(labels.personas, by.persona);
  const emotionalArcs = taxonomyEntries(labels.emotionalArcs, by.emotion);
  const tiers: CoverageEntry[] = TIERS.map((t) => ({ value: t, label: TIER_LABELS[t], archived: false, counts: by.tier.get(t) ?? emptyCounts() }));
  const byCountThenNoneLast = (a: CoverageEntry, b: CoverageEntry) =>
    Number(a.value === null) - Number(b.value === null) || b.counts.total - a.counts.total || a.label.localeCompare(b.label);
  const documentCategories = [...by.category].map(([value, counts]) => ({ value, label: value ?? NO_CATEGORY, archived: false, counts })).sort(byCountThenNoneLast);
  const scenarioNames = new Map(labels.scenarios.map((s) => [s.key, s]));
  const scenarios = [...by.scenario]
    .map(([value, counts]) => {
      const entry = value === null ? undefined : scenarioNames.get(value);
      return { value, label: value === null ? NO_SCENARIO : (entry?.name ?? value), archived: entry?.archived ?? false, counts };
    })
    .sort(byCountThenNoneLast);

  const cells: CoverageCell[] = [];
  for (const p of personas) {
    for (const a of emotionalArcs) {
      const counts = by.cell.get(cellKey(p.value!, a.value!)) ?? emptyCounts();
      cells.push({ persona: p.value!, emotion: a.value!, counts, gap: isCoverageGap(counts.inView) });
    }
  }
  return {
    status,
    totals,
    personas,
    emotionalArcs,
    tiers,
    documentCategories,
    scenarios,
    heatmap: { personas, emotionalArcs, cells, gaps: cells.filter((c) => c.gap).length },
  };
}

const cellKey = (persona: string, emotion: string) => `${persona}\u0000${emotion}`;

/** The row of the CSV for an entry or a cell: dimension, value, label, archived, counts by bucket, total, in view, gap. */
export interface CoverageCsvRecord {
  dimension: CoverageDimension;
  value: string;
  label: string;
  archived: boolean;
  counts: CoverageCounts;
  /** Only heatmap cells have a gap flag. */
  gap: boolean | null;
}

/** The report flattened for the CSV: each dimension's entries in the page's order, then every heatmap cell ("persona_key+arc_key", "Persona × Arc"). */
export function coverageCsvRecords(report: CoverageReport): CoverageCsvRecord[] {
  const entries = (dimension: CoverageDimension, list: CoverageEntry[]): CoverageCsvRecord[] =>
    list.map((e) => ({ dimension, value: e.value ?? "", label: e.label, archived: e.archived, counts: e.counts, gap: null }));
  const personaNames = new Map(report.heatmap.personas.map((p) => [p.value, p]));
  const arcNames = new Map(report.heatmap.emotionalArcs.map((a) => [a.value, a]));
  return [
    ...entries("persona", report.personas),
    ...entries("emotional_arc", report.emotionalArcs),
    ...entries("tier", report.tiers),
    ...entries("document_category", report.documentCategories),
    ...entries("scenario", report.scenarios),
    ...report.heatmap.cells.map((c) => {
      const p = personaNames.get(c.persona);
      const a = arcNames.get(c.emotion);
      return {
        dimension: "persona_emotional_arc" as const,
        value: `${c.persona}+${c.emotion}`,
        label: `${p?.label ?? c.persona} × ${a?.label ?? c.emotion}`,
        archived: (p?.archived ?? false) || (a?.archived ?? false),
        counts: c.counts,
        gap: c.gap,
      };
    }),
  ];
}
