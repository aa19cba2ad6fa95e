/**
 * Shapes and constants of the automatic quality score (US4.3.1, US4.3.2). docs/quality.md
 * explains them for people. A `QualityResult` is plain JSON: it is stored as-is in the
 * `quality_breakdown` JSONB column and read back by the table tooltip and the details dialog.
 */
import type { Tier } from "../../lib/constants";

/** Version of the scoring rules; bump when a rule or weight changes so stored results can be told apart. */
export const QUALITY_SCORER_VERSION = 1;

/** The criteria, in display order. */
export const QUALITY_CRITERIA = ["turn_count", "length", "structure", "alternation", "consistency", "confidence"] as const;
export type QualityCriterionId = (typeof QUALITY_CRITERIA)[number];

/**
 * Weight of each criterion in the overall score (they sum to 1). Turn count, length and structure
 * are the structural criteria US4.3.1 names first; consistency and confidence matter as much
 * together; alternation is small here because a break also caps the score (see QUALITY_BLOCKING_CAP).
 */
export const QUALITY_WEIGHTS: Record<QualityCriterionId, number> = {
  turn_count: 0.2,
  length: 0.2,
  structure: 0.2,
  alternation: 0.1,
  consistency: 0.15,
  confidence: 0.15,
};

export const QUALITY_CRITERION_LABELS: Record<QualityCriterionId, string> = {
  turn_count: "Turn count",
  length: "Length",
  structure: "Structure",
  alternation: "Alternation",
  consistency: "Persona & topic consistency",
  confidence: "Confidence",
};

/** Expected words per turn, by role. A turn outside its range counts against the length criterion. */
export const TURN_LENGTH_TARGETS = {
  assistant: { min: 40, max: 250 },
  user: { min: 5, max: 120 },
} as const;

/**
 * Highest overall score a conversation with a blocking problem can get (broken user/assistant
 * alternation, an unknown role, an empty turn, fewer than two turns): below the review threshold,
 * so it is always flagged. Many chat templates refuse conversations whose roles do not alternate
 * (e.g. the Llama 2 and Mistral templates on Hugging Face raise "Conversation roles must alternate").
 */
export const QUALITY_BLOCKING_CAP = 5;

/**
 * Weakest-link rule: the overall score is at most the lowest criterion's score plus this margin,
 * so one very poor criterion (e.g. 2 turns, turn count 1/10) cannot hide behind good averages.
 */
export const QUALITY_WEAKEST_LINK_MARGIN = 3;

/** Colour band of a score (US4.3.1): red below 6, yellow 6 to below 8, green 8-10. */
export type QualityBand = "low" | "medium" | "high";

/** One row of the details dialog (US4.3.2). */
export interface QualityCriterion {
  id: QualityCriterionId;
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
  /** One line for a tooltip: "Turn count 10/10 · Length 9.1/10 · …". */
  summary: string;
  tier: Tier;
  breakdown: QualityCriterion[];
}

/** What `scoreConversation` reads. `turns` may come from an untrusted reply, so roles are checked at run time. */
export interface QualityInput {
  turns: ReadonlyArray<{ role: string; content: string }>;
  persona: { name: string; description?: string };
  topic: { name: string; keyTerms: readonly string[] };
  tier: Tier;
  /** The provider's stop reason ("end_turn", "stop", "max_tokens", "length", …); null when unknown. */
  stopReason?: string | null;
  /** Whether the reply was cut off at the token limit. */
  truncated?: boolean;
}
