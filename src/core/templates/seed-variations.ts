/**
 * Variations of a seed compared with the seed (issue 11 item 7, US10.3.2): a variation is a
 * conversation planned from a template made from the seed ("Use as template", prompt_templates.
 * source_seed_id = the seed). Pure; the Seeds page, `brightrun seeds list` and the tests share it.
 */

/** How far below the seed's quality score a variation may score before it is flagged (issue 11 item 7: "those scoring below the seed's score minus 1 are flagged"). */
export const SEED_BAR_MARGIN = 1;

/**
 * True when a variation's quality score (1–10) is below the seed's score minus 1 (SEED_BAR_MARGIN),
 * the rule of issue 11 item 7. False when either score is unknown (null): nothing to compare.
 */
export function isBelowSeedBar(variationScore: number | null, seedScore: number | null): boolean {
  if (variationScore === null || seedScore === null) return false;
  return variationScore < seedScore - SEED_BAR_MARGIN;
}

/** A variation as the comparison reads it. */
export interface VariationScore {
  conversationId: string;
  status: string;
  qualityScore: number | null;
}

/** A seed's variations summed up. */
export interface SeedVariationSummary {
  /** Every conversation planned from the seed's templates. */
  planned: number;
  /** Those with a quality score (generated, approved or rejected). */
  generated: number;
  /** Mean quality score (1–10) of the generated ones; null when none. */
  averageQuality: number | null;
  seedQuality: number | null;
  /** The generated variations below the seed's bar (isBelowSeedBar), by conversation id. */
  flagged: Array<{ conversationId: string; qualityScore: number }>;
}

/** Sums up a seed's variations against the seed's quality score (1–10 or null). */
export function summarizeSeedVariations(variations: readonly VariationScore[], seedQuality: number | null): SeedVariationSummary {
  const scored = variations.filter((v): v is VariationScore & { qualityScore: number } => v.qualityScore !== null);
  return {
    planned: variations.length,
    generated: scored.length,
    averageQuality: scored.length ? scored.reduce((s, v) => s + v.qualityScore, 0) / scored.length : null,
    seedQuality,
    flagged: scored.filter((v) => isBelowSeedBar(v.qualityScore, seedQuality)).map((v) => ({ conversationId: v.conversationId, qualityScore: v.qualityScore })),
  };
}
