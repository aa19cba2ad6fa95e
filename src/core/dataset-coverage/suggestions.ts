/**
 * Coverage suggestions (issue 13 items 2 and 3): which persona + emotional arc + topic combinations
 * to generate next (US3.2.2), which persona × arc combinations are not yet tested against each
 * edge-case category (US8.3.2), and the warnings about under-represented document categories
 * (US10.1.2) and low-confidence source chunks (US10.2.2). Pure functions: the server reads the
 * counts (src/server/db/queries/coverage.ts) and the user's dismissed / done states.
 *
 * Every figure comes from a stated rule:
 * - a combination is thin below COVERAGE_GAP_THRESHOLD (3) conversations (US3.2.1's gap rule);
 * - the recommended range is RECOMMENDED_RANGE, 3–5 conversations (US3.2.2's "Recommended: 3-5
 *   conversations"; its lower end is the gap threshold), and "Generate Recommended" plans up to
 *   the lower end;
 * - at most MAX_RECOMMENDATIONS (5) are shown at a time (US3.2.2's "top 5 missing combinations");
 * - a document category is under-represented when its share of conversations is below
 *   UNDER_REPRESENTED_RATIO (half) of its expected share;
 * - a chunk is high-confidence when its `confidence` dimension is above HIGH_CONFIDENCE_ABOVE (8),
 *   US10.2.2's "Generate from chunks with confidence > 8".
 */
import type { ConversationStatus } from "../../lib/constants";
import { COVERAGE_GAP_THRESHOLD } from "./coverage";

/** Conversations per combination the recommendations aim for: from the gap threshold (3) to 5 (US3.2.2). */
export const RECOMMENDED_RANGE = { min: COVERAGE_GAP_THRESHOLD, max: 5 } as const;

/** Recommendations shown at a time (US3.2.2: "top 5 missing combinations"). */
export const MAX_RECOMMENDATIONS = 5;

/**
 * The statuses a suggestion counts: every conversation of the plan except rejected ones (a planned
 * conversation is on its way; a rejected one will not be in the dataset). Seeds are never counted.
 */
export const SUGGESTION_COUNTED_STATUSES: readonly ConversationStatus[] = ["not_generated", "generating", "generated", "approved", "failed"];

/**
 * A document category's share of conversations below this fraction of its expected share is
 * under-represented. The stories ask for a warning when a category is under-represented without a
 * figure; half is this project's choice (docs/coverage.md).
 */
export const UNDER_REPRESENTED_RATIO = 0.5;

/** A chunk whose `confidence` dimension is above this is high-confidence (US10.2.2: "chunks with confidence > 8", a 1–10 scale). */
export const HIGH_CONFIDENCE_ABOVE = 8;

/** What the user did with a suggestion; absent = open. */
export type SuggestionState = "dismissed" | "done";

/** The stored key of a suggestion: "persona|arc|topic" or "persona|arc|edge_case". */
export function suggestionKey(persona: string, arc: string, third: string): string {
  return `${persona}|${arc}|${third}`;
}

/** Splits a suggestion key into its three parts, or null when it is not one. */
export function parseSuggestionKey(key: string): [string, string, string] | null {
  const parts = key.split("|");
  return parts.length === 3 && parts.every((p) => p.length > 0) ? (parts as [string, string, string]) : null;
}

/** A taxonomy entry a suggestion names. */
export interface SuggestionEntry {
  key: string;
  name: string;
}

/** Conversations (counted statuses) per persona × arc × topic, as the query returns them. */
export interface TripleCount {
  persona: string;
  emotion: string;
  topic: string;
  count: number;
}

/** One recommended combination. */
export interface Recommendation {
  key: string;
  persona: SuggestionEntry;
  arc: SuggestionEntry;
  topic: SuggestionEntry;
  /** Conversations of this persona + arc + topic now (planned, generated or approved). */
  count: number;
  /** Conversations of this persona × arc (any topic): the heatmap cell it fills. */
  cellCount: number;
  recommended: { min: number; max: number };
  /** Conversations "Generate Recommended" plans for it: up to the range's lower end. */
  toPlan: number;
}

export interface RecommendationList {
  /** The top open recommendations (at most MAX_RECOMMENDATIONS), best first. */
  open: Recommendation[];
  /** Dismissed combinations that are still under the range, by name. */
  dismissed: Recommendation[];
  /** Combinations allowed by the taxonomy with fewer than RECOMMENDED_RANGE.min conversations (open or dismissed). */
  thin: number;
  /** Combinations the taxonomy allows (active personas × enabled arcs × active topics). */
  combinations: number;
}

const byName = (a: SuggestionEntry, b: SuggestionEntry) => a.name.localeCompare(b.name) || a.key.localeCompare(b.key);

/**
 * The recommendations: among the combinations of the given (active) personas, arcs and topics with
 * fewer than RECOMMENDED_RANGE.min counted conversations and not dismissed, the top
 * MAX_RECOMMENDATIONS chosen one by one, each time the combination whose persona × arc cell has the
 * fewest conversations, then the fewest of its own, then the least-covered persona, arc and topic
 * (in that order), then by name — counting what the recommendations already chosen will add. So
 * the first recommendations fill the emptiest heatmap cells, one cell each and spread over
 * personas, arcs and topics, before a cell gets a second one.
 * Counts of combinations outside the taxonomy (archived entries) are ignored.
 */
export function rankRecommendations({
  personas,
  emotionalArcs,
  topics,
  counts,
  states,
  limit = MAX_RECOMMENDATIONS,
}: {
  personas: readonly SuggestionEntry[];
  emotionalArcs: readonly SuggestionEntry[];
  topics: readonly SuggestionEntry[];
  counts: readonly TripleCount[];
  states: ReadonlyMap<string, SuggestionState>;
  limit?: number;
}): RecommendationList {
  const triple = new Map<string, number>();
  const cell = new Map<string, number>();
  // Totals per persona, arc and topic: what the chosen recommendations add is counted in as they are chosen.
  const totals = { persona: new Map<string, number>(), arc: new Map<string, number>(), topic: new Map<string, number>() };
  const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);
  for (const c of counts) {
    add(triple, suggestionKey(c.persona, c.emotion, c.topic), c.count);
    add(cell, `${c.persona}|${c.emotion}`, c.count);
    add(totals.persona, c.persona, c.count);
    add(totals.arc, c.emotion, c.count);
    add(totals.topic, c.topic, c.count);
  }
  const [ps, as, ts] = [[...personas].sort(byName), [...emotionalArcs].sort(byName), [...topics].sort(byName)];
  const candidates: Recommendation[] = [];
  const dismissed: Recommendation[] = [];
  let thin = 0;
  for (const persona of ps)
    for (const arc of as)
      for (const topic of ts) {
        const key = suggestionKey(persona.key, arc.key, topic.key);
        const count = triple.get(key) ?? 0;
        if (count >= RECOMMENDED_RANGE.min) continue;
        thin += 1;
        const rec: Recommendation = {
          key,
          persona,
          arc,
          topic,
          count,
          cellCount: cell.get(`${persona.key}|${arc.key}`) ?? 0,
          recommended: { ...RECOMMENDED_RANGE },
          toPlan: RECOMMENDED_RANGE.min - count,
        };
        if (states.get(key) === "dismissed") dismissed.push(rec);
        else if (states.get(key) !== "done") candidates.push(rec);
      }
  // Greedy: what the chosen recommendations add counts for the next choice.
  const addedToCell = new Map<string, number>();
  const open: Recommendation[] = [];
  const remaining = [...candidates];
  const score = (r: Recommendation) => [
    r.cellCount + (addedToCell.get(`${r.persona.key}|${r.arc.key}`) ?? 0),
    r.count,
    totals.persona.get(r.persona.key) ?? 0,
    totals.arc.get(r.arc.key) ?? 0,
    totals.topic.get(r.topic.key) ?? 0,
  ];
  while (open.length < limit && remaining.length) {
    let best = 0;
    let bestScore = score(remaining[0]);
    for (let i = 1; i < remaining.length; i++) {
      const candidate = score(remaining[i]);
      const d = candidate.findIndex((v, k) => v !== bestScore[k]);
      // Ties keep the earlier one: persona, arc, topic by name.
      if (d >= 0 && candidate[d] < bestScore[d]) [best, bestScore] = [i, candidate];
    }
    const [chosen] = remaining.splice(best, 1);
    open.push(chosen);
    add(addedToCell, `${chosen.persona.key}|${chosen.arc.key}`, chosen.toPlan);
    add(totals.persona, chosen.persona.key, chosen.toPlan);
    add(totals.arc, chosen.arc.key, chosen.toPlan);
    add(totals.topic, chosen.topic.key, chosen.toPlan);
  }
  return { open, dismissed, thin, combinations: ps.length * as.length * ts.length };
}

/** Edge-case conversations (counted statuses) per persona × arc × edge-case category. */
export interface EdgeCaseCount {
  persona: string;
  emotion: string;
  edgeCase: string;
  count: number;
}

/** An edge-case category as the suggestions name it. */
export interface EdgeCaseEntry extends SuggestionEntry {
  description: string;
  testCondition: string;
}

/** A persona × arc combination suggested for an edge-case category. */
export interface EdgeCaseSuggestion {
  key: string;
  persona: SuggestionEntry;
  arc: SuggestionEntry;
  edgeCase: SuggestionEntry;
}

/** One edge-case category's coverage and its next suggested test. */
export interface EdgeCaseCoverage {
  edgeCase: EdgeCaseEntry;
  /** Persona × arc combinations with at least one edge-case conversation of this category. */
  tested: number;
  /** Combinations marked done by hand (tested outside Bright Run, or judged enough). */
  done: number;
  /** Combinations dismissed (not worth testing). */
  dismissed: number;
  /** Persona × arc combinations the taxonomy allows. */
  combinations: number;
  /** Keys of the untested combinations marked done or dismissed (what "Restore" reopens). */
  closedKeys: string[];
  /** The next untested, open combination to test, or null when none is left. */
  next: EdgeCaseSuggestion | null;
}

/** One row of the edge-case coverage report: a category × persona × arc with its conversations and state. */
export interface EdgeCaseReportRow extends EdgeCaseSuggestion {
  count: number;
  /** "tested" (has conversations), "done" or "dismissed" (by a user), else "open". */
  state: "tested" | "done" | "dismissed" | "open";
}

/**
 * Edge-case coverage per category (US8.3.2): for each active edge-case category, how many of the
 * persona × arc combinations (active personas, enabled arcs) have an edge-case conversation of it,
 * and the next one to test: among the untested combinations not dismissed or done, the persona ×
 * arc whose persona and arc have been tested least across all edge cases (the suggestions of the
 * categories before it, by name, counted as tests), then by name. Also every
 * category × persona × arc as report rows (categories, personas and arcs by name).
 */
export function edgeCaseCoverage({
  personas,
  emotionalArcs,
  edgeCases,
  counts,
  states,
}: {
  personas: readonly SuggestionEntry[];
  emotionalArcs: readonly SuggestionEntry[];
  edgeCases: readonly EdgeCaseEntry[];
  counts: readonly EdgeCaseCount[];
  states: ReadonlyMap<string, SuggestionState>;
}): { categories: EdgeCaseCoverage[]; rows: EdgeCaseReportRow[] } {
  const tested = new Map<string, number>();
  const personaTests = new Map<string, number>();
  const arcTests = new Map<string, number>();
  for (const c of counts) {
    const key = suggestionKey(c.persona, c.emotion, c.edgeCase);
    tested.set(key, (tested.get(key) ?? 0) + c.count);
    personaTests.set(c.persona, (personaTests.get(c.persona) ?? 0) + c.count);
    arcTests.set(c.emotion, (arcTests.get(c.emotion) ?? 0) + c.count);
  }
  const [ps, as, es] = [[...personas].sort(byName), [...emotionalArcs].sort(byName), [...edgeCases].sort(byName)];
  const rows: EdgeCaseReportRow[] = [];
  const categories = es.map((edgeCase): EdgeCaseCoverage => {
    let next: (EdgeCaseSuggestion & { weight: number }) | null = null;
    const summary = { tested: 0, done: 0, dismissed: 0 };
    const closedKeys: string[] = [];
    for (const persona of ps)
      for (const arc of as) {
        const key = suggestionKey(persona.key, arc.key, edgeCase.key);
        const count = tested.get(key) ?? 0;
        const stored = states.get(key);
        const state = count > 0 ? "tested" : (stored ?? "open");
        if (state !== "open") summary[state] += 1;
        if (state === "done" || state === "dismissed") closedKeys.push(key);
        const entry = { key, persona, arc, edgeCase: { key: edgeCase.key, name: edgeCase.name } };
        rows.push({ ...entry, count, state });
        if (state !== "open") continue;
        const weight = (personaTests.get(persona.key) ?? 0) + (arcTests.get(arc.key) ?? 0);
        if (!next || weight < next.weight) next = { ...entry, weight };
      }
    const suggestion = next ? { key: next.key, persona: next.persona, arc: next.arc, edgeCase: next.edgeCase } : null;
    // The next category's suggestion counts this one as a test, so the suggestions spread over personas and arcs.
    if (suggestion) {
      personaTests.set(suggestion.persona.key, (personaTests.get(suggestion.persona.key) ?? 0) + 1);
      arcTests.set(suggestion.arc.key, (arcTests.get(suggestion.arc.key) ?? 0) + 1);
    }
    return { edgeCase, ...summary, combinations: ps.length * as.length, closedKeys, next: suggestion };
  });
  return { categories, rows };
}

/** Chunks and conversations of one document category. */
export interface CategoryShareInput {
  category: string;
  chunks: number;
  /** Conversations (counted statuses) planned from this category's chunks. */
  conversations: number;
}

/** A document category whose share of conversations is well below its expected share. */
export interface CategoryWarning {
  category: string;
  conversations: number;
  /** Fraction 0–1 of the conversations with a document category. */
  conversationShare: number;
  /** Fraction 0–1 expected: its share of chunks, or of the category weights when weighting is on. */
  expectedShare: number;
}

/**
 * Under-represented document categories (US10.1.2): each category's expected share of the
 * conversations planned from documents is its share of the chunks, or, when the plan settings
 * weight categories (any weight other than 1), its weight over the sum of weights of categories
 * that have chunks (the planner's rule; weight 0 = never planned, so never warned). A category is
 * under-represented when its share of conversations is below UNDER_REPRESENTED_RATIO of that.
 * Nothing is warned before any conversation has a document category.
 * @param weights the plan settings' category weights (absent = 1)
 */
export function underRepresentedCategories(inputs: readonly CategoryShareInput[], weights: Readonly<Record<string, number>> = {}): CategoryWarning[] {
  const withChunks = inputs.filter((c) => c.chunks > 0);
  const totalConversations = inputs.reduce((s, c) => s + c.conversations, 0);
  if (totalConversations === 0 || withChunks.length === 0) return [];
  const weightOf = (category: string) => {
    const entry = Object.entries(weights).find(([name]) => name.trim().toLowerCase() === category.trim().toLowerCase());
    return entry ? Math.max(0, entry[1]) : 1;
  };
  const weighted = withChunks.some((c) => weightOf(c.category) !== 1) && withChunks.some((c) => weightOf(c.category) > 0);
  const basis = (c: CategoryShareInput) => (weighted ? weightOf(c.category) : c.chunks);
  const basisTotal = withChunks.reduce((s, c) => s + basis(c), 0);
  return withChunks
    .map((c) => ({ category: c.category, conversations: c.conversations, conversationShare: c.conversations / totalConversations, expectedShare: basis(c) / basisTotal }))
    .filter((c) => c.expectedShare > 0 && c.conversationShare < UNDER_REPRESENTED_RATIO * c.expectedShare)
    .sort((a, b) => a.conversationShare / a.expectedShare - b.conversationShare / b.expectedShare || a.category.localeCompare(b.category));
}

/** Conversations per value of their source chunk's `confidence` dimension (raw, as stored; null without a chunk or a value). */
export interface ConfidenceCount {
  confidence: unknown;
  count: number;
}

/** How many conversations come from high-, low- and unknown-confidence chunks. */
export interface ConfidenceSummary {
  /** Source chunk's confidence above HIGH_CONFIDENCE_ABOVE. */
  high: number;
  /** Source chunk's confidence at or below HIGH_CONFIDENCE_ABOVE. */
  low: number;
  /** No source chunk, or a chunk without a numeric `confidence` dimension (the chunker gave none). */
  unknown: number;
  total: number;
}

/** Classifies conversations by their source chunk's `confidence` dimension (a number, or a numeric string). */
export function summarizeChunkConfidence(rows: readonly ConfidenceCount[]): ConfidenceSummary {
  const out: ConfidenceSummary = { high: 0, low: 0, unknown: 0, total: 0 };
  for (const r of rows) {
    const value = typeof r.confidence === "number" ? r.confidence : typeof r.confidence === "string" && r.confidence.trim() !== "" ? Number(r.confidence) : NaN;
    if (!Number.isFinite(value)) out.unknown += r.count;
    else if (value > HIGH_CONFIDENCE_ABOVE) out.high += r.count;
    else out.low += r.count;
    out.total += r.count;
  }
  return out;
}
