/**
 * What the template editor holds before it is saved: the one shape the editor, the preview pane,
 * "Test Template" and the save action exchange (issue 11). Safe for client code.
 */
import { z } from "zod";
import { TIERS } from "./constants";

/**
 * Limits as the importer checks them (src/core/import/schemas.ts templateSchema): max_tokens 256–64000
 * (Anthropic's Messages API takes up to 64000 output tokens for current Sonnet models), temperature
 * 0–2 (OpenAI's Chat Completions range; Anthropic accepts 0–1 and the provider clamps).
 */
export const TEMPLATE_MAX_TOKENS = { min: 256, max: 64000 } as const;
export const TEMPLATE_TEMPERATURE = { min: 0, max: 2 } as const;

export const templateDraftSchema = z.object({
  name: z.string().trim().min(1, "Give the template a name.").max(200, "Keep the name under 200 characters."),
  description: z.string().max(2000, "Keep the description under 2000 characters."),
  tier: z.enum(TIERS),
  /** Persona keys; empty = every persona. */
  applicablePersonas: z.array(z.string().min(1)),
  /** Emotional arc keys; empty = every arc. */
  applicableArcs: z.array(z.string().min(1)),
  /** Instructions to the generator model. */
  systemPrompt: z.string().trim().min(1, "Write the system prompt: the instructions the generator model gets."),
  /** The prompt body with {placeholders} (docs/templates.md). */
  templateText: z.string().trim().min(1, "Write the template text."),
  maxTokens: z
    .number()
    .int("max_tokens is a whole number of tokens.")
    .min(TEMPLATE_MAX_TOKENS.min, `max_tokens is at least ${TEMPLATE_MAX_TOKENS.min}.`)
    .max(TEMPLATE_MAX_TOKENS.max, `max_tokens is at most ${TEMPLATE_MAX_TOKENS.max}.`),
  temperature: z
    .number()
    .min(TEMPLATE_TEMPERATURE.min, `Temperature is at least ${TEMPLATE_TEMPERATURE.min}.`)
    .max(TEMPLATE_TEMPERATURE.max, `Temperature is at most ${TEMPLATE_TEMPERATURE.max}.`),
});

/** A template as the editor holds it (see templateDraftSchema for each field's rule). */
export type TemplateDraft = z.infer<typeof templateDraftSchema>;

/**
 * The last "Test Template" of a saved version, as stored in template_versions.last_test and read by
 * "require a successful test before activation": `ok` is true when the reply was valid conversation
 * JSON. Money in USD, time in ms; `qualityScore` 1–10 (null when the reply could not be scored).
 */
export interface TemplateTestSummary {
  ok: boolean;
  qualityScore: number | null;
  costUsd: number | null;
  latencyMs: number;
  provider: string;
  model: string;
  /** generation_logs.id of the test call (kind "template_test"). */
  logId: string | null;
  /** Plain-English reason when `ok` is false. */
  error?: string;
  /** ISO time of the test. */
  testedAt: string;
}
