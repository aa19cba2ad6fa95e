/**
 * Gives a workspace the project's starter template for each tier (STARTER_TEMPLATES), as its
 * default templates, through the same template store the importer writes to.
 */
import type { DbOrTx } from "../../server/db/client";
import { upsertTemplate } from "../../server/db/queries/templates";
import { templatesFileSchema } from "../import/schemas";
import { STARTER_TEMPLATES } from "./starter-templates";
import { validateTemplateText } from "./validate-template";

/**
 * Installs the three starter templates (template, scenario and edge-case tiers) into the workspace
 * and marks each its tier's default. Run it inside the transaction that creates the workspace.
 * Installing twice changes nothing (same text = same version).
 * @returns how many templates were written (3)
 * @throws Error when a starter template fails the importer's own checks (a bug in the shipped text)
 */
export async function installStarterTemplates({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<number> {
  const { templates } = templatesFileSchema.parse({ templates: STARTER_TEMPLATES });
  for (const t of templates) {
    const errors = validateTemplateText(t.template_text, t.tier, { templateName: t.name }).filter((p) => p.severity === "error");
    if (errors.length) throw new Error(`The starter template "${t.key}" is not valid: ${errors.map((e) => e.message).join("; ")}`);
    await upsertTemplate({
      db,
      workspaceId,
      input: {
        key: t.key,
        name: t.name,
        tier: t.tier,
        description: t.description,
        isDefault: true,
        systemPrompt: t.system_prompt,
        templateText: t.template_text,
        maxTokens: t.max_tokens,
        temperature: t.temperature,
      },
    });
  }
  return templates.length;
}
