import "server-only";
/**
 * SQL of the template preview and "Test Template" (issue 11 items 3 and 5): the conversations a
 * preview can be resolved for, what sample parameters are drawn from, the test's generation_logs
 * row, the version's last test, and the active version's recent quality to compare with.
 */
import { and, asc, desc, eq, ilike, inArray, isNull, or, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Tier } from "../../../lib/constants";
import type { DbOrTx } from "../client";
import {
  chunks,
  conversations,
  documents,
  edgeCaseCategories,
  emotionalArcs,
  generationLogs,
  intents,
  outcomes,
  personas,
  promptTemplates,
  scenarios,
  templateVersions,
  tones,
  topics,
} from "../schema";
import { taxonomyJoin } from "./conversations";
import { payloadsForLog } from "./runs";

/** One conversation the preview's "a planned conversation" list offers. */
export interface PreviewConversationOption {
  /** conversations.id (uuid). */
  id: string;
  /** Human id ("tmpl-001"). */
  conversationId: string;
  status: string;
  persona: string;
  arc: string;
  topic: string;
}

/**
 * Conversations of one tier to resolve a preview for: planned (not generated) first, then the rest,
 * each in plan order; `search` matches the human id, persona, arc or topic name (case-insensitive).
 * Seeds are left out (they are not generated from a template).
 * @param limit at most this many rows (the list is a searchable picker, not a table)
 */
export async function listPreviewConversations({
  db,
  workspaceId,
  tier,
  search,
  limit = 50,
}: {
  db: DbOrTx;
  workspaceId: string;
  tier: Tier;
  search?: string;
  limit?: number;
}): Promise<PreviewConversationOption[]> {
  const term = search?.trim() ? `%${search.trim().replace(/[%_\\]/g, (c) => `\\${c}`)}%` : null;
  return db
    .select({
      id: conversations.id,
      conversationId: conversations.conversationId,
      status: conversations.status,
      persona: personas.name,
      arc: emotionalArcs.name,
      topic: topics.name,
    })
    .from(conversations)
    .innerJoin(personas, taxonomyJoin(personas, conversations.persona))
    .innerJoin(emotionalArcs, taxonomyJoin(emotionalArcs, conversations.emotion))
    .innerJoin(topics, taxonomyJoin(topics, conversations.topic))
    .where(
      and(
        eq(conversations.workspaceId, workspaceId),
        eq(conversations.tier, tier),
        eq(conversations.isSeed, false),
        term
          ? or(ilike(conversations.conversationId, term), ilike(personas.name, term), ilike(emotionalArcs.name, term), ilike(topics.name, term))
          : undefined,
      ),
    )
    .orderBy(sql`case when ${conversations.status} = 'not_generated' then 0 else 1 end`, asc(conversations.planSlot), asc(conversations.conversationId))
    .limit(limit);
}

/** True when the conversation (uuid) belongs to the workspace. */
export async function conversationBelongsToWorkspace({ db, workspaceId, id }: { db: DbOrTx; workspaceId: string; id: string }): Promise<boolean> {
  const [row] = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.id, id), eq(conversations.workspaceId, workspaceId)));
  return Boolean(row);
}

/** How many chunks sample parameters choose from (the first ones, in document and chunk order). */
export const SAMPLE_CHUNK_LIMIT = 200;

/**
 * What sample parameters are drawn from: the workspace's taxonomy entries that are not archived,
 * up to SAMPLE_CHUNK_LIMIT chunks with their documents, and the scenarios that are not archived.
 * Every list is in key order, so the same seed picks the same combination.
 */
export async function listSampleParameterInputs({ db, workspaceId }: { db: DbOrTx; workspaceId: string }) {
  const live = (t: { workspaceId: AnyPgColumn; archivedAt: AnyPgColumn }) => and(eq(t.workspaceId, workspaceId), isNull(t.archivedAt));
  const [p, a, t, i, to, e, o, c, s] = await Promise.all([
    db.select().from(personas).where(live(personas)).orderBy(personas.key),
    db.select().from(emotionalArcs).where(live(emotionalArcs)).orderBy(emotionalArcs.key),
    db.select().from(topics).where(live(topics)).orderBy(topics.key),
    db.select().from(intents).where(live(intents)).orderBy(intents.key),
    db.select().from(tones).where(live(tones)).orderBy(tones.key),
    db.select().from(edgeCaseCategories).where(live(edgeCaseCategories)).orderBy(edgeCaseCategories.key),
    db.select().from(outcomes).where(live(outcomes)).orderBy(outcomes.key),
    db
      .select({ chunk: chunks, document: { key: documents.key, title: documents.title, category: documents.category } })
      .from(chunks)
      .innerJoin(documents, eq(documents.id, chunks.documentId))
      .where(eq(chunks.workspaceId, workspaceId))
      .orderBy(asc(documents.key), asc(chunks.ordinal))
      .limit(SAMPLE_CHUNK_LIMIT),
    db
      .select()
      .from(scenarios)
      .where(and(eq(scenarios.workspaceId, workspaceId), isNull(scenarios.archivedAt)))
      .orderBy(scenarios.key),
  ]);
  return { personas: p, arcs: a, topics: t, intents: i, tones: to, edgeCases: e, outcomes: o, chunks: c, scenarios: s };
}

/** The saved content of one template version of the workspace; null when there is no such version. */
export async function getTemplateVersionContent({ db, workspaceId, templateId, version }: { db: DbOrTx; workspaceId: string; templateId: string; version: number }) {
  const [row] = await db
    .select({
      templateName: promptTemplates.name,
      tier: promptTemplates.tier,
      currentVersion: promptTemplates.currentVersion,
      systemPrompt: templateVersions.systemPrompt,
      templateText: templateVersions.templateText,
      maxTokens: templateVersions.maxTokens,
      temperature: templateVersions.temperature,
    })
    .from(templateVersions)
    .innerJoin(promptTemplates, eq(promptTemplates.id, templateVersions.templateId))
    .where(and(eq(promptTemplates.workspaceId, workspaceId), eq(templateVersions.templateId, templateId), eq(templateVersions.version, version)));
  return row ?? null;
}

/** The template a test of an unsaved template compares with: the tier's active default, else its first active template. */
export async function getActiveTemplateOfTier({ db, workspaceId, tier }: { db: DbOrTx; workspaceId: string; tier: Tier }) {
  const [row] = await db
    .select({ id: promptTemplates.id, name: promptTemplates.name, currentVersion: promptTemplates.currentVersion })
    .from(promptTemplates)
    .where(and(eq(promptTemplates.workspaceId, workspaceId), eq(promptTemplates.tier, tier), eq(promptTemplates.status, "active")))
    .orderBy(desc(promptTemplates.isDefault), asc(promptTemplates.key))
    .limit(1);
  return row ?? null;
}

/** Recent quality of one template version: mean quality_score (1–10) of its last `limit` generated conversations. */
export async function getRecentVersionQuality({
  db,
  workspaceId,
  templateId,
  version,
  simulated,
  limit = 50,
}: {
  db: DbOrTx;
  workspaceId: string;
  templateId: string;
  version: number;
  /** True: only conversations the simulated composer made; false: only those from a language model. */
  simulated: boolean;
  limit?: number;
}): Promise<{ count: number; averageQuality: number | null }> {
  const recent = db
    .select({ quality: conversations.qualityScore })
    .from(conversations)
    .where(
      and(
        eq(conversations.workspaceId, workspaceId),
        eq(conversations.templateId, templateId),
        eq(conversations.templateVersion, version),
        inArray(conversations.status, ["generated", "approved", "rejected"]),
        sql`${conversations.qualityScore} is not null`,
        simulated ? sql`${conversations.provider} = 'simulated'` : sql`${conversations.provider} is distinct from 'simulated'`,
      ),
    )
    .orderBy(desc(conversations.generatedAt))
    .limit(limit)
    .as("recent");
  const [row] = await db.select({ count: sql<number>`count(*)::int`, averageQuality: sql<number | null>`avg(${recent.quality})::float8` }).from(recent);
  return { count: row?.count ?? 0, averageQuality: row?.averageQuality ?? null };
}

export type TemplateTestLogInsert = Omit<typeof generationLogs.$inferInsert, "workspaceId" | "conversationId" | "kind" | "runId">;

/**
 * Writes the generation_logs row of one "Test Template" call (kind "template_test", no conversation,
 * no run), its payloads redacted first when the workspace asks for it (payloadsForLog). @returns its id
 */
export async function insertTemplateTestLog({ db, workspaceId, values }: { db: DbOrTx; workspaceId: string; values: TemplateTestLogInsert }): Promise<string> {
  const written = await payloadsForLog(db, { workspaceId }, values);
  const [row] = await db
    .insert(generationLogs)
    .values({ ...written, workspaceId, conversationId: null, runId: null, kind: "template_test" })
    .returning({ id: generationLogs.id });
  return row.id;
}

/** Stores a test's summary as the version's last test (template_versions.last_test / tested_at). */
export async function saveTemplateVersionTest({
  db,
  templateId,
  version,
  summary,
  testedAt,
}: {
  db: DbOrTx;
  templateId: string;
  version: number;
  summary: Record<string, unknown>;
  testedAt: Date;
}): Promise<void> {
  await db
    .update(templateVersions)
    .set({ lastTest: summary, testedAt })
    .where(and(eq(templateVersions.templateId, templateId), eq(templateVersions.version, version)));
}

/** A template of the workspace by key with one of its versions (its current one when `version` is undefined); null when either is missing. */
export async function getTemplateVersionByKey({ db, workspaceId, key, version }: { db: DbOrTx; workspaceId: string; key: string; version?: number }) {
  const [row] = await db
    .select({ template: promptTemplates, version: templateVersions })
    .from(promptTemplates)
    .innerJoin(
      templateVersions,
      and(eq(templateVersions.templateId, promptTemplates.id), version === undefined ? eq(templateVersions.version, promptTemplates.currentVersion) : eq(templateVersions.version, version)),
    )
    .where(and(eq(promptTemplates.workspaceId, workspaceId), eq(promptTemplates.key, key)));
  return row ?? null;
}

/** conversations.id (uuid) of a human conversation id ("tmpl-001") in the workspace; null when there is none. */
export async function getConversationUuidByHumanId({ db, workspaceId, conversationId }: { db: DbOrTx; workspaceId: string; conversationId: string }): Promise<string | null> {
  const [row] = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.conversationId, conversationId)));
  return row?.id ?? null;
}
