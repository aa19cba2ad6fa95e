/**
 * The estimate shown before a run starts (US1.3.1, US13.1.1): renders each selected
 * conversation's prompt to size it, and prices it from this model's history when there is enough.
 */
import type { Database } from "../../server/db/client";
import { getGenerationInputsById } from "../../server/db/queries/conversations";
import { getGenerationHistoryByModel } from "../../server/db/queries/run-reports";
import { getTemplateWithCurrentVersionById, listDefaultTemplates } from "../../server/db/queries/templates";
import { getWorkspace } from "../../server/db/queries/workspace";
import { estimateRun, type EstimateSlot, type RunEstimate } from "../cost/estimate";
import type { PriceOverrides } from "../cost/prices";
import { NO_RATE_LIMITS, type RateLimits } from "../llm/rate-limiter";
import type { LlmProvider } from "../llm/types";
import { buildTemplateParameters, renderTemplate } from "../templates";
import { buildGenerationContext } from "./build-context";
import { resolveSelection, type GenerationSelection } from "./resolve-selection";

/** A conversation whose prompt cannot be rendered is sized from its template text alone (generation will fail it fast). */
const FALLBACK_PROMPT_TOKENS = 1_500;

/**
 * Estimates generating `selection` with `provider`/`model` at `concurrency`.
 * @throws AppError "selection_invalid" like resolveSelection.
 */
export async function estimateSelection(options: {
  db: Database;
  selection: GenerationSelection;
  provider: LlmProvider;
  model: string;
  concurrency: number;
  /** Rate limits known for this provider and model (the user's settings); none by default: the run is then paced by its concurrency. */
  limits?: RateLimits;
  priceOverrides?: PriceOverrides;
}): Promise<{ estimate: RunEstimate; skipped: Array<{ conversationId: string; reason: string }> }> {
  const { db } = options;
  const { chosen, skipped } = await resolveSelection({ db, selection: options.selection });
  const workspace = await getWorkspace({ db });
  const defaults = await listDefaultTemplates({ db });
  const templates = new Map<string, Awaited<ReturnType<typeof getTemplateWithCurrentVersionById>>>();
  const templateFor = async (id: string | null, tier: string) => {
    const templateId = id ?? defaults.find((t) => t.tier === tier)?.id ?? null;
    if (!templateId) return null;
    if (!templates.has(templateId)) templates.set(templateId, await getTemplateWithCurrentVersionById({ db, id: templateId }));
    return templates.get(templateId) ?? null;
  };
  const slots: EstimateSlot[] = [];
  for (const ref of chosen) {
    const inputs = await getGenerationInputsById({ db, id: ref.id });
    if (!inputs) continue;
    const template = await templateFor(inputs.conversation.templateId, inputs.conversation.tier);
    let promptTokens = FALLBACK_PROMPT_TOKENS;
    if (template) {
      try {
        const text = renderTemplate(template.version.templateText, buildTemplateParameters(buildGenerationContext(inputs, workspace))).text;
        promptTokens = Math.ceil((template.version.systemPrompt.length + text.length) / 4);
      } catch {
        promptTokens = Math.ceil((template.version.systemPrompt.length + template.version.templateText.length) / 4);
      }
    }
    slots.push({ tier: inputs.conversation.tier, promptTokens, maxOutputTokens: template?.version.maxTokens ?? 4096 });
  }
  const history = await getGenerationHistoryByModel({ db, model: options.model });
  const estimate = estimateRun({
    provider: options.provider.name,
    model: options.model,
    slots,
    history,
    limits: options.limits ?? NO_RATE_LIMITS,
    concurrency: options.concurrency,
    priceOverrides: options.priceOverrides,
  });
  return { estimate, skipped };
}
