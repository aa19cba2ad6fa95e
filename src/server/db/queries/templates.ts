import "server-only";
/** Prompt templates and their versions (US7.1.1). */
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Tier } from "../../../lib/constants";
import type { DbOrTx } from "../client";
import { conversations, emotionalArcs, personas, promptTemplates, templateVersions, workspaces, type PromptTemplateRow, type TemplateVersionRow } from "../schema";

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

/** The template with this key in the workspace, or null. */
export async function getTemplateByKey({ db, workspaceId, key }: { db: DbOrTx; workspaceId: string; key: string }): Promise<PromptTemplateRow | null> {
  const rows = await db.select().from(promptTemplates).where(and(eq(promptTemplates.workspaceId, workspaceId), eq(promptTemplates.key, key)));
  return rows[0] ?? null;
}

/** Every template key of the workspace (to make a new key unique). */
export async function listTemplateKeys({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<string[]> {
  const rows = await db.select({ key: promptTemplates.key }).from(promptTemplates).where(eq(promptTemplates.workspaceId, workspaceId));
  return rows.map((r) => r.key);
}

/** Every version of a template, newest first. */
export async function listTemplateVersions({ db, templateId }: { db: DbOrTx; templateId: string }): Promise<TemplateVersionRow[]> {
  return db.select().from(templateVersions).where(eq(templateVersions.templateId, templateId)).orderBy(desc(templateVersions.version));
}

/** One version of a template, or null. */
export async function getTemplateVersion({ db, templateId, version }: { db: DbOrTx; templateId: string; version: number }): Promise<TemplateVersionRow | null> {
  const rows = await db.select().from(templateVersions).where(and(eq(templateVersions.templateId, templateId), eq(templateVersions.version, version)));
  return rows[0] ?? null;
}

/** Inserts a template row (the caller inserts its version 1 in the same transaction). */
export async function insertTemplate({
  db,
  workspaceId,
  values,
}: {
  db: DbOrTx;
  workspaceId: string;
  values: Pick<PromptTemplateRow, "key" | "name" | "tier" | "description" | "status" | "applicablePersonas" | "applicableArcs"> & { currentVersion?: number };
}): Promise<PromptTemplateRow> {
  const [row] = await db.insert(promptTemplates).values({ workspaceId, isDefault: false, currentVersion: 1, ...values }).returning();
  return row;
}

/** Inserts version `version` of a template. */
export async function insertTemplateVersion({
  db,
  templateId,
  values,
}: {
  db: DbOrTx;
  templateId: string;
  values: Pick<TemplateVersionRow, "version" | "systemPrompt" | "templateText" | "maxTokens" | "temperature" | "author" | "changeNote">;
}): Promise<TemplateVersionRow> {
  const [row] = await db.insert(templateVersions).values({ templateId, ...values }).returning();
  return row;
}

/** Changes a template row's fields (and its updated_at); returns the row, null when it is not in the workspace. */
export async function updateTemplateById({
  db,
  workspaceId,
  id,
  values,
}: {
  db: DbOrTx;
  workspaceId: string;
  id: string;
  values: Partial<Pick<PromptTemplateRow, "name" | "tier" | "description" | "status" | "currentVersion" | "applicablePersonas" | "applicableArcs" | "isDefault">>;
}): Promise<PromptTemplateRow | null> {
  const [row] = await db
    .update(promptTemplates)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(promptTemplates.workspaceId, workspaceId), eq(promptTemplates.id, id)))
    .returning();
  return row ?? null;
}

/** Makes template `id` the default of `tier`, clearing the flag on the tier's other templates. */
export async function setTemplateDefault({ db, workspaceId, id, tier }: { db: DbOrTx; workspaceId: string; id: string; tier: Tier }): Promise<void> {
  await db
    .update(promptTemplates)
    .set({ isDefault: false })
    .where(and(eq(promptTemplates.workspaceId, workspaceId), eq(promptTemplates.tier, tier), sql`${promptTemplates.id} <> ${id}`));
  await db
    .update(promptTemplates)
    .set({ isDefault: true, updatedAt: sql`now()` })
    .where(and(eq(promptTemplates.workspaceId, workspaceId), eq(promptTemplates.id, id)));
}

/** Deletes a template and its versions (conversations keep their rows; their template_id becomes null). */
export async function deleteTemplateById({ db, workspaceId, id }: { db: DbOrTx; workspaceId: string; id: string }): Promise<boolean> {
  const rows = await db
    .delete(promptTemplates)
    .where(and(eq(promptTemplates.workspaceId, workspaceId), eq(promptTemplates.id, id)))
    .returning({ id: promptTemplates.id });
  return rows.length > 0;
}

/**
 * What deleting template `id` of `tier` would leave: the tier's active templates other than it, and
 * the tier's planned conversations (status not_generated or failed, seeds excluded). One query.
 */
export async function countTemplateDeletionFacts({
  db,
  workspaceId,
  id,
  tier,
}: {
  db: DbOrTx;
  workspaceId: string;
  id: string;
  tier: Tier;
}): Promise<{ otherActiveOfTier: number; plannedOfTier: number }> {
  const result = await db.execute(sql`
    select
      (select count(*)::int from prompt_templates where workspace_id = ${workspaceId} and tier = ${tier} and status = 'active' and id <> ${id}) as other_active,
      (select count(*)::int from conversations where workspace_id = ${workspaceId} and tier = ${tier} and is_seed = false and status in ('not_generated', 'failed')) as planned`);
  const row = (result as unknown as { rows: Array<{ other_active: number; planned: number }> }).rows[0];
  return { otherActiveOfTier: Number(row?.other_active ?? 0), plannedOfTier: Number(row?.planned ?? 0) };
}

/** One row of the Templates page: the template, its current version's settings, its newest version number and its conversations' figures. */
export interface TemplateOverviewRow {
  template: PromptTemplateRow;
  /** The highest version number (> currentVersion when a draft version exists). */
  latestVersion: number;
  /** Conversations whose template_id is this template (any status, seeds included). */
  usageCount: number;
  /** Conversations generated with it that have a quality score. */
  scoredCount: number;
  /** Mean quality_score (1–10) of those; null when none. */
  averageQuality: number | null;
  approvedCount: number;
  rejectedCount: number;
}

/**
 * Every template of the workspace with the Templates page's columns, in one query (two grouped
 * sub-selects joined to the templates): newest version number, usage count, mean quality score of
 * its scored conversations, approved and rejected counts. Ordered by tier then name.
 */
export async function listTemplateOverview({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<TemplateOverviewRow[]> {
  const versions = db
    .select({ templateId: templateVersions.templateId, latest: sql<number>`max(${templateVersions.version})`.as("latest") })
    .from(templateVersions)
    .groupBy(templateVersions.templateId)
    .as("v");
  const usage = db
    .select({
      templateId: conversations.templateId,
      usage: sql<number>`count(*)::int`.as("usage"),
      scored: sql<number>`count(${conversations.qualityScore})::int`.as("scored"),
      quality: sql<number | null>`avg(${conversations.qualityScore})`.as("quality"),
      approved: sql<number>`count(*) filter (where ${conversations.status} = 'approved')::int`.as("approved"),
      rejected: sql<number>`count(*) filter (where ${conversations.status} = 'rejected')::int`.as("rejected"),
    })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), sql`${conversations.templateId} is not null`))
    .groupBy(conversations.templateId)
    .as("u");
  const rows = await db
    .select({
      template: promptTemplates,
      latest: versions.latest,
      usage: usage.usage,
      scored: usage.scored,
      quality: usage.quality,
      approved: usage.approved,
      rejected: usage.rejected,
    })
    .from(promptTemplates)
    .leftJoin(versions, eq(versions.templateId, promptTemplates.id))
    .leftJoin(usage, eq(usage.templateId, promptTemplates.id))
    .where(eq(promptTemplates.workspaceId, workspaceId))
    .orderBy(promptTemplates.tier, promptTemplates.name);
  return rows.map((r) => ({
    template: r.template,
    latestVersion: Math.max(Number(r.latest ?? r.template.currentVersion), r.template.currentVersion),
    usageCount: Number(r.usage ?? 0),
    scoredCount: Number(r.scored ?? 0),
    averageQuality: r.quality === null || r.quality === undefined || Number(r.scored ?? 0) === 0 ? null : Number(r.quality),
    approvedCount: Number(r.approved ?? 0),
    rejectedCount: Number(r.rejected ?? 0),
  }));
}

/** Sets the workspace option "require a successful test before activation". */
export async function setWorkspaceRequireTemplateTest({ db, workspaceId, requireTemplateTest }: { db: DbOrTx; workspaceId: string; requireTemplateTest: boolean }): Promise<void> {
  await db.update(workspaces).set({ requireTemplateTest, updatedAt: sql`now()` }).where(eq(workspaces.id, workspaceId));
}

/** The workspace's personas and emotional arcs that are not archived (key and name, by name): what a template may be limited to. */
export async function listTemplateApplicabilityOptions({
  db,
  workspaceId,
}: {
  db: DbOrTx;
  workspaceId: string;
}): Promise<{ personas: Array<{ key: string; name: string }>; arcs: Array<{ key: string; name: string }> }> {
  const [p, a] = await Promise.all([
    db
      .select({ key: personas.key, name: personas.name })
      .from(personas)
      .where(and(eq(personas.workspaceId, workspaceId), isNull(personas.archivedAt)))
      .orderBy(personas.name, personas.key),
    db
      .select({ key: emotionalArcs.key, name: emotionalArcs.name })
      .from(emotionalArcs)
      .where(and(eq(emotionalArcs.workspaceId, workspaceId), isNull(emotionalArcs.archivedAt)))
      .orderBy(emotionalArcs.name, emotionalArcs.key),
  ]);
  return { personas: p, arcs: a };
}
