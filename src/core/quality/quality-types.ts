/**
 * Shapes and constants of the automatic quality score (US4.3.1, US4.3.2). docs/quality.md
 * explains them for people. A `QualityResult` is plain JSON: it is stored as-is in the
 * `quality_breakdown` JSONB column and read back by the table tooltip and the details dialog.
 *
 * This file must stay free of runtime dependencies: the browser imports its types.
 */
import type { Tier } from "../../lib/constants";

/**
 * Version of the scoring rules, stored in every result as `version`; bumped whenever a rule or
 * weight changes so stored results can be told apart and re-scored (`rescoreConversation`).
 *
 * - 1: six criteria (turn count, length, structure, alternation, consistency, confidence).
 * - 2: issue 12. Adds fluency (word salad), relevance (answers follow the question), repetition
 *   and naturalness (template-filled text); alternation is part of structure; template labels,
 *   JSON and code-fence fragments, terse answers and truncation below 4 turns are blocking.
 */
export const QUALITY_SCORER_VERSION = 2;

/** The criteria of the current version, in display order. */
export const QUALITY_CRITERIA = ["turn_count", "length", "structure", "fluency", "relevance", "repetition", "naturalness", "consistency", "confidence"] as const;
export type QualityCriterionId = (typeof QUALITY_CRITERIA)[number];

/** Criterion ids that only results of older versions hold (version 1's `alternation`). */
export type LegacyQualityCriterionId = "alternation";

/**
 * Weight of each criterion in the overall score (they sum to 1). Turn count, length and structure
 * are the structural criteria US4.3.1 names; relevance (answers to the question asked) weighs as
 * much as structure. Most criteria also have blocking problems that cap the score below 6
 * whatever the weights say, so the weights mostly rank conversations that have none.
 */
export const QUALITY_WEIGHTS: Record<QualityCriterionId, number> = {
  turn_count: 0.15,
  length: 0.1,
  structure: 0.15,
  fluency: 0.1,
  relevance: 0.15,
  repetition: 0.1,
  naturalness: 0.1,
  consistency: 0.05,
  confidence: 0.1,
};

export const QUALITY_CRITERION_LABELS: Record<QualityCriterionId, string> = {
  turn_count: "Turn count",
  length: "Length",
  structure: "Structure",
  fluency: "Fluency",
  relevance: "Relevance",
  repetition: "Repetition",
  naturalness: "Naturalness",
  consistency: "Persona & topic consistency",
  confidence: "Confidence",
};

/** Expected words per turn, by role. A turn outside its range counts against the length criterion. */
export const TURN_LENGTH_TARGETS = {
  assistant: { min: 40, max: 250 },
  user: { min: 5, max: 120 },
} as const;

/** An assistant answer of this many words or fewer is a non-answer (blocking): "Sure.", "Yes, definitely." */
export const TERSE_ANSWER_MAX_WORDS = 3;

/** Fewer turns than this is a truncated conversation (blocking), whatever else it does well. */
export const MIN_USABLE_TURNS = 4;

/**
 * Highest overall score a conversation with a blocking problem can get: below the review
 * threshold (6), so it is always flagged. The blocking problems are listed in docs/quality.md.
 */
export const QUALITY_BLOCKING_CAP = 5;

/**
 * Weakest-link rule: the overall score is at most the lowest criterion's score plus this margin,
 * so one very poor criterion cannot hide behind good averages.
 */
export const QUALITY_WEAKEST_LINK_MARGIN = 3;

/** Colour band of a score (US4.3.1): red below 6, yellow 6 to below 8, green 8-10. */
export type QualityBand = "low" | "medium" | "high";

/** One row of the details dialog (US4.3.2). */
export interface QualityCriterion {
  id: QualityCriterionId | LegacyQualityCriterionId;
  label: string;
  /** What was measured, e.g. 6 (turns) or "11 of 12 turns in range". */
  actual: number | string;
  /** The target, e.g. "8-16 turns". */
  target: string;
  /** 1-10, one decimal. */
  score: number;
  /** Share of the overall score, 0-1 (QUALITY_WEIGHTS). */
  weight: number;
  passed: boolean;
  /** Plain English, e.g. "Only 6 turns detected, optimal range is 8-16." */
  explanation: string;
  /** What to do about it; present only when the criterion did not pass. */
  recommendation?: string;
}

export interface QualityResult {
  /** QUALITY_SCORER_VERSION of the rules that produced this result (1 for results stored before issue 12). */
  version: number;
  /** Overall score 1-10, one decimal: the weighted average of the criteria, capped when blocking. */
  score: number;
  /** `score < QUALITY_REVIEW_THRESHOLD` (6): flag for review. */
  flagged: boolean;
  band: QualityBand;
  threshold: number;
  /** The weighted average before any cap, one decimal. */
  weightedScore: number;
  /** Set when a blocking problem or the weakest-link rule capped the score. */
  cap: { maxScore: number; reason: string } | null;
  /**
   * Version 2 on: the problems in plain English, blocking ones first ("Turn 4 reads as word
   * salad …"), then the other failed criteria; empty when nothing is wrong. Absent from
   * version-1 results.
   */
  reasons?: string[];
  /** One line for a tooltip: "Turn count 10/10 · Length 9.1/10 · …". */
  summary: string;
  /** The conversation's tier; null when scored without one (`brightrun quality score` without metadata). */
  tier: Tier | null;
  breakdown: QualityCriterion[];
  /** Set by `rescoreConversation`: the stored result this one replaced. */
  previous?: { version: number; score: number };
}

/**
 * What `scoreConversation` reads. `turns` may come from an untrusted reply or file, so roles are
 * checked at run time. Everything but `turns` is optional context that sharpens the consistency
 * and template-label checks; names are free text as the user wrote them.
 */
export interface QualityInput {
  turns: ReadonlyArray<{ role: string; content: string }>;
  persona?: { name: string; description?: string } | null;
  topic?: { name: string; keyTerms?: readonly string[] } | null;
  /** The emotion or emotional arc's name ("Anxiety to Relief"), and its starting/ending emotions when known. */
  emotion?: { name: string; startingEmotion?: string; endingEmotion?: string } | null;
  intent?: string | null;
  tone?: string | null;
  /** Edge-case conversations may decline politely; refusals are not counted there. */
  tier?: Tier | null;
  /** The provider's stop reason ("end_turn", "stop", "max_tokens", "length", …); null when unknown. */
  stopReason?: string | null;
  /** Whether the reply was cut off at the token limit. */
  truncated?: boolean;
}
