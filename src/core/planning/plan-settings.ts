/**
 * The planning page's saved choices (`workspaces.plan_settings`): a weight per document category
 * and "Generate from Complete Systems only" (US10.1.2). Pure; safe for client code.
 */
import { z } from "zod";

/** Largest weight a category can get (10 = ten times as many conversations as a category of weight 1). */
export const MAX_CATEGORY_WEIGHT = 10;

export const planSettingsSchema = z.strictObject({
  /** Weight per document category, 0 to MAX_CATEGORY_WEIGHT (absent = 1; 0 = never chosen). */
  categoryWeights: z.record(
    z.string().trim().min(1, "A category needs a name.").max(200),
    z.number().min(0, "A category weight cannot be negative.").max(MAX_CATEGORY_WEIGHT, `A category weight can be at most ${MAX_CATEGORY_WEIGHT}.`),
  ),
  /** Only chunks of "Complete Systems" documents. */
  completeSystemsOnly: z.boolean(),
});

export type PlanSettings = z.output<typeof planSettingsSchema>;

/** What a workspace plans with when it saved nothing: every category weight 1, every category. */
export const DEFAULT_PLAN_SETTINGS: PlanSettings = { categoryWeights: {}, completeSystemsOnly: false };

/**
 * The stored plan settings, read leniently: null, or anything that does not parse (an older
 * shape), is the default; weights of 1 are dropped (1 is the default).
 */
export function readPlanSettings(stored: unknown): PlanSettings {
  const parsed = planSettingsSchema.safeParse(stored);
  if (!parsed.success) return DEFAULT_PLAN_SETTINGS;
  return {
    completeSystemsOnly: parsed.data.completeSystemsOnly,
    categoryWeights: Object.fromEntries(Object.entries(parsed.data.categoryWeights).filter(([, w]) => w !== 1)),
  };
}
