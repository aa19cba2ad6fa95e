/**
 * The run estimate's prompt sizing as it was made before issue 8 (item 7): one conversation at a
 * time — one joined read (getGenerationInputsById), its template, one render each. Kept as the
 * reference the set-based sizing (sizeConversationPrompts) is checked against
 * (tests/integration/estimate-selection.test.ts) and measured against (bench/estimate.ts).
 */
import type { EstimateSlot } from "../../src/core/cost/estimate";
import { buildGenerationContext } from "../../src/core/generation/build-context";
import { buildTemplateParameters, renderTemplate } from "../../src/core/templates";
import type { DbOrTx } from "../../src/server/db/client";
import { getGenerationInputsById } from "../../src/server/db/queries/conversations";
import { getTemplateWithCurrentVersionById, listDefaultTemplates } from "../../src/server/db/queries/templates";
import { getWorkspace } from "../../src/server/db/queries/workspace";

/**
 * Slots of the conversations `ids` (uuids), in order, each read and rendered on its own; `onRendered`
 * sees each conversation's rendered prompt (the test compares it with what a call sends).
 */
export async function sizePromptsOneByOne({
  db,
  ids,
  onRendered,
}: {
  db: DbOrTx;
  ids: readonly string[];
  onRendered?: (id: string, prompt: string) => Promise<void> | void;
}): Promise<EstimateSlot[]> {
  const slots: EstimateSlot[] = [];
  for (const id of ids) {
    const inputs = await getGenerationInputsById({ db, id });
    if (!inputs) continue;
    const workspaceId = inputs.conversation.workspaceId;
    const workspace = await getWorkspace({ db, workspaceId });
    const defaults = await listDefaultTemplates({ db, workspaceId });
    const templateId = inputs.conversation.templateId ?? defaults.find((t) => t.tier === inputs.conversation.tier)?.id;
    const template = templateId ? await getTemplateWithCurrentVersionById({ db, id: templateId }) : null;
    if (!template) {
      slots.push({ tier: inputs.conversation.tier, promptTokens: 1_500, maxOutputTokens: 4_096 });
      continue;
    }
    let characters = template.version.systemPrompt.length + template.version.templateText.length;
    try {
      const text = renderTemplate(template.version.templateText, buildTemplateParameters(buildGenerationContext(inputs, workspace))).text;
      characters = template.version.systemPrompt.length + text.length;
      await onRendered?.(id, text);
    } catch (error) {
      if ((error as { code?: string }).code !== "template_parameter_missing") throw error;
    }
    slots.push({ tier: inputs.conversation.tier, promptTokens: Math.ceil(characters / 4), maxOutputTokens: template.version.maxTokens });
  }
  return slots;
}
