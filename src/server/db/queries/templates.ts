import "server-only";
/** Prompt templates and their versions (US7.1.1). */
import { and, desc, eq, sql } from "drizzle-orm";
import type { Tier } from "../../../lib/constants";
import type { DbOrTx } from "../client";
import { promptTemplates, templateVersions, type PromptTemplateRow, type TemplateVersionRow } from "../schema";

export interface TemplateInput {
  key: string;
  name: string;
  tier: Tier;
  description: string;
  isDefault: boolean;
  systemPrompt: string;
  templateText: string;
  maxTokens: number;
  temperature: number;
  /** Who saves it (template_versions.author); "import" when omitted (templates.json, starter templates). */
  author?: string;
}

/**
 * Creates a template at version 1, or adds a new version when the prompt or settings changed.
 * Marking a template default clears the flag on the tier's other templates.
 * @returns the template's current version number and whether anything changed.
 */
export async function upsertTemplate({
  db,
  workspaceId,
  input,
}: {
  db: DbOrTx;
  workspaceId: string;
  input: TemplateInput;
}): Promise<{ version: number; changed: boolean }> {
  const existing = (await db.select().from(promptTemplates).where(and(eq(promptTemplates.workspaceId, workspaceId), eq(promptTemplates.key, input.key))))[0];
  if (input.isDefault) {
    await db
      .update(promptTemplates)
      .set({ isDefault: false })
      .where(and(eq(promptTemplates.workspaceId, workspaceId), eq(promptTemplates.tier, input.tier), sql`${promptTemplates.key} <> ${input.key}`));
  }
  const versionValues = {
    systemPrompt: input.systemPrompt,
    templateText: input.templateText,
    maxTokens: input.maxTokens,
    temperature: input.temperature,
    author: input.author ?? "import",
  };
  if (!existing) {
    const [template] = await db
      .insert(promptTemplates)
      .values({ workspaceId, key: input.key, name: input.name, tier: input.tier, description: input.description, isDefault: input.isDefault, currentVersion: 1 })
      .returning({ id: promptTemplates.id });
    await db.insert(templateVersions).values({ templateId: template.id, version: 1, ...versionValues });
    return { version: 1, changed: true };
  }
  const current = (
    await db
      .select()
      .from(templateVersions)
      .where(eq(templateVersions.templateId, existing.id))
      .orderBy(desc(templateVersions.version))
      .limit(1)
  )[0];
  const sameVersion =
    current &&
    current.systemPrompt === versionValues.systemPrompt &&
    current.templateText === versionValues.templateText &&
    current.maxTokens === versionValues.maxTokens &&
    current.temperature === versionValues.temperature;
  const sameMeta =
    existing.name === input.name && existing.tier === input.tier && existing.description === input.description && existing.isDefault === input.isDefault;
  if (sameVersion && sameMeta) return { version: existing.currentVersion, changed: false };
  const version = sameVersion ? existing.currentVersion : existing.currentVersion + 1;
  if (!sameVersion) await db.insert(templateVersions).values({ templateId: existing.id, version, ...versionValues });
  await db
    .update(promptTemplates)
    .set({ name: input.name, tier: input.tier, description: input.description, isDefault: input.isDefault, currentVersion: version, updatedAt: sql`now()` })
    .where(eq(promptTemplates.id, existing.id));
  return { version, changed: true };
}

/** The workspace's active default template of each tier (at most one per tier). */
export async function listDefaultTemplates({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<PromptTemplateRow[]> {
  return db
    .select()
    .from(promptTemplates)
    .where(and(eq(promptTemplates.workspaceId, workspaceId), eq(promptTemplates.isDefault, true), eq(promptTemplates.status, "active")));
}

/** A template with its current version. Null when the id is unknown. */
export async function getTemplateWithCurrentVersionById({
  db,
  id,
}: {
  db: DbOrTx;
  id: string;
}): Promise<{ template: PromptTemplateRow; version: TemplateVersionRow } | null> {
  const rows = await db
    .select({ template: promptTemplates, version: templateVersions })
    .from(promptTemplates)
    .innerJoin(
      templateVersions,
      and(eq(templateVersions.templateId, promptTemplates.id), eq(templateVersions.version, promptTemplates.currentVersion)),
    )
    .where(eq(promptTemplates.id, id));
  return rows[0] ?? null;
}

/** Every template of the workspace with its current version, in one query (there are a handful per workspace). */
export async function listTemplatesWithCurrentVersion({
  db,
  workspaceId,
}: {
  db: DbOrTx;
  workspaceId: string;
}): Promise<Array<{ template: PromptTemplateRow; version: TemplateVersionRow }>> {
  return db
    .select({ template: promptTemplates, version: templateVersions })
    .from(promptTemplates)
    .innerJoin(
      templateVersions,
      and(eq(templateVersions.templateId, promptTemplates.id), eq(templateVersions.version, promptTemplates.currentVersion)),
    )
    .where(eq(promptTemplates.workspaceId, workspaceId));
}
