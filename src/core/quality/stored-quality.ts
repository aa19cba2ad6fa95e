/**
 * Stored quality results across score versions. Every result carries the `version` of the rules
 * that produced it (QUALITY_SCORER_VERSION), so results stored before a rule change stay readable
 * as they were, and `rescoreConversation` can bring a conversation up to the current rules.
 */
import { z } from "zod";
import { AppError } from "../errors";
import { QUALITY_SCORER_VERSION, type QualityInput, type QualityResult } from "./quality-types";
import { scoreConversation } from "./score-conversation";

const storedCriterion = z.object({
  id: z.string(),
  label: z.string(),
  actual: z.union([z.number(), z.string()]),
  target: z.string(),
  score: z.number(),
  weight: z.number(),
  passed: z.boolean(),
  explanation: z.string(),
  recommendation: z.string().optional(),
});

const storedResult = z.object({
  version: z.number().int().min(1),
  score: z.number(),
  flagged: z.boolean(),
  band: z.enum(["low", "medium", "high"]),
  threshold: z.number(),
  weightedScore: z.number(),
  cap: z.object({ maxScore: z.number(), reason: z.string() }).nullable(),
  reasons: z.array(z.string()).optional(),
  summary: z.string(),
  tier: z.enum(["template", "scenario", "edge_case"]).nullable().optional(),
  breakdown: z.array(storedCriterion),
  previous: z.object({ version: z.number(), score: z.number() }).optional(),
});

/**
 * Reads a stored `quality_breakdown` value of any score version (1 and later) as a QualityResult.
 *
 * @param value the JSON as stored; null or undefined means "not scored yet"
 * @returns the result, or null when there is none
 * @throws AppError `quality_unreadable` when the value is not a quality result of any version
 */
export function readStoredQuality(value: unknown): QualityResult | null {
  if (value === null || value === undefined) return null;
  const parsed = storedResult.safeParse(value);
  if (!parsed.success) {
    throw new AppError("quality_unreadable", "This conversation's stored quality breakdown is damaged or in an unknown format. Re-score the conversation to replace it.", {
      detail: { issues: parsed.error.issues.slice(0, 5) },
    });
  }
  return { ...parsed.data, tier: parsed.data.tier ?? null } as QualityResult;
}

/** Whether a stored result was produced by older scoring rules than the current QUALITY_SCORER_VERSION. */
export function isQualityOutdated(result: Pick<QualityResult, "version">): boolean {
  return result.version < QUALITY_SCORER_VERSION;
}

/**
 * Re-scores a conversation's turns with the current rules. Pure: the caller stores the result.
 *
 * @param input the conversation as `scoreConversation` takes it (turns plus context)
 * @param stored the result stored so far, of any version, or null/undefined
 * @returns the new QualityResult; when a stored result existed, its version and score are kept
 *   in `previous` so a reviewer can see what changed
 * @throws AppError `quality_unreadable` when `stored` is not a quality result of any version
 */
export function rescoreConversation(input: QualityInput, stored?: unknown): QualityResult {
  const before = readStoredQuality(stored);
  const result = scoreConversation(input);
  return before ? { ...result, previous: { version: before.version, score: before.score } } : result;
}
