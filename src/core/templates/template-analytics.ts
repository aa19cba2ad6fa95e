/**
 * Template analytics rules (issue 11 item 6, US7.1.2): approval rate, the words reviewers use most
 * when they reject, and which template version to recommend per tier. Pure functions over the
 * aggregates of src/server/db/queries/template-analytics.ts; used by the analytics page and its CSV.
 */
import { TIER_LABELS, type Tier } from "../../lib/constants";
import { approvalRate } from "./template-lifecycle";

export { approvalRate };

/**
 * A version needs at least this many reviewed conversations (approved + rejected) generated with a
 * real model before it can be recommended: below it one or two reviews swing the rate by 10 %+.
 */
export const RECOMMENDATION_MIN_REVIEWED = 10;

/** How many of the most frequent rejection-note words are shown per version. */
export const TOP_NOTE_WORDS = 5;


/**
 * Words that say nothing about why a conversation was rejected: English function words, and words
 * every note about a conversation uses. Compared lower-case.
 */
export const NOTE_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "a about above after again against all also am an and any are as at be because been before being below between both but by can could did do does doing " +
    "don down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most " +
    "my myself no nor not now of off on once only or other our ours ourselves out over own same she should so some such than that the their theirs them " +
    "themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you " +
    "your yours yourself yourselves it's isn't doesn't don't didn't wasn't aren't can't won't too much many really quite bit lot one two get got make made " +
    "conversation conversations turn turns reply response assistant user customer needs need feels felt seems seem like"
  ).split(/\s+/),
);

/**
 * Counts the words of reviewer notes: lower-cased, split on anything that is not a letter, digit or
 * apostrophe, stop words (NOTE_STOP_WORDS) and words shorter than 3 characters dropped. A word counts
 * once per note (ten notes saying "robotic" outweigh one note saying it ten times).
 * @returns the `limit` most frequent words with their counts, most frequent first, ties alphabetical
 */
export function topNoteWords(notes: readonly string[], limit = TOP_NOTE_WORDS): { word: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const note of notes) {
    const words = new Set(
      note
        .toLowerCase()
        .split(/[^\p{L}\p{N}']+/u)
        .map((w) => w.replace(/^'+|'+$/g, ""))
        .filter((w) => w.length >= 3 && !NOTE_STOP_WORDS.has(w)),
    );
    for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([word, count]) => ({ word, count }))
    .sort((a, b) => b.count - a.count || a.word.localeCompare(b.word))
    .slice(0, limit);
}

/** The figures of one template version the recommendation is chosen from (real-model conversations only). */
export interface VersionOutcome {
  templateId: string;
  templateName: string;
  tier: Tier;
  version: number;
  approved: number;
  rejected: number;
  averageQuality: number | null;
}

/** One tier's recommendation, or why there is none. */
export interface TierRecommendation {
  tier: Tier;
  /** The recommended version; null when no version has RECOMMENDATION_MIN_REVIEWED reviewed conversations. */
  pick: (VersionOutcome & { approvalRate: number; reviewed: number }) | null;
  /** The sentence the page shows. */
  line: string;
}

/**
 * Recommends one template version per tier: among versions with at least `minReviewed` reviewed
 * (approved + rejected) conversations generated with a real model, the highest approval rate; ties go
 * to more reviewed conversations, then to the higher average quality. The caller passes only
 * real-model figures: simulated conversations never count. Every tier gets a line.
 */
export function recommendTemplates(outcomes: readonly VersionOutcome[], tiers: readonly Tier[], minReviewed = RECOMMENDATION_MIN_REVIEWED): TierRecommendation[] {
  return tiers.map((tier) => {
    const candidates = outcomes
      .filter((o) => o.tier === tier)
      .map((o) => ({ ...o, reviewed: o.approved + o.rejected, approvalRate: approvalRate({ approved: o.approved, rejected: o.rejected }) ?? 0 }));
    const eligible = candidates
      .filter((c) => c.reviewed >= minReviewed)
      .sort((a, b) => b.approvalRate - a.approvalRate || b.reviewed - a.reviewed || (b.averageQuality ?? 0) - (a.averageQuality ?? 0));
    const label = `${TIER_LABELS[tier]} tier`;
    const pick = eligible[0] ?? null;
    if (!pick) {
      const most = candidates.reduce((m, c) => Math.max(m, c.reviewed), 0);
      return {
        tier,
        pick: null,
        line: `${label}: not enough reviewed conversations from a real model yet (a recommendation needs at least ${minReviewed} reviewed conversations of one version; the most any version has is ${most}).`,
      };
    }
    return {
      tier,
      pick,
      line: `Use '${pick.templateName}' v${pick.version} for ${label}: highest approval rate, ${Math.round(pick.approvalRate * 100)} %, over ${pick.reviewed} reviewed conversations.`,
    };
  });
}
