import "server-only";
/**
 * Seeds as templates (issue 11 item 7, US10.3.2): the seed a template is made from, the draft
 * template it becomes, and the variations planned from it (conversations whose template's
 * source_seed_id is the seed).
 */
import { and, asc, eq, inArray, isNotNull, like, or } from "drizzle-orm";
import type { Tier } from "../../../lib/constants";
import type { DbOrTx } from "../client";
import { conversations, conversationTurns, emotionalArcs, personas, promptTemplates, templateVersions, topics, type ConversationRow, type EmotionalArcRow } from "../schema";

/** A seed with what "Use as template" reads: its row, turns in order, arc, persona and topic names. */
export interface SeedForTemplate {
  conversation: ConversationRow;
  turns: Array<{ role: "user" | "assistant"; content: string }>;
  arc: EmotionalArcRow | null;
  personaName: string;
  topicName: string;
}

/**
 * A seed conversation of the workspace by its human id ("seed-001") or its uuid; null when there is
 * no such conversation or it is not a seed.
 */
export async function getSeedForTemplate({ db, workspaceId, seedId }: { db: DbOrTx; workspaceId: string; seedId: string }): Promise<SeedForTemplate | null> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(seedId);
  const [row] = await db
    .select({ conversation: conversations, arc: emotionalArcs, personaName: personas.name, topicName: topics.name })
    .from(conversations)
    .leftJoin(emotionalArcs, and(eq(emotionalArcs.workspaceId, conversations.workspaceId), eq(emotionalArcs.key, conversations.emotion)))
    .leftJoin(personas, and(eq(personas.workspaceId, conversations.workspaceId), eq(personas.key, conversations.persona)))
    .leftJoin(topics, and(eq(topics.workspaceId, conversations.workspaceId), eq(topics.key, conversations.topic)))
    .where(
      and(
        eq(conversations.workspaceId, workspaceId),
        eq(conversations.isSeed, true),
        isUuid ? or(eq(conversations.id, seedId), eq(conversations.conversationId, seedId)) : eq(conversations.conversationId, seedId),
      ),
    );
  if (!row) return null;
  const turns = await db
    .select({ role: conversationTurns.role, content: conversationTurns.content })
    .from(conversationTurns)
    .where(eq(conversationTurns.conversationId, row.conversation.id))
    .orderBy(asc(conversationTurns.turnNumber));
  return {
    conversation: row.conversation,
    turns: turns.map((t) => ({ role: t.role === "user" ? "user" : "assistant", content: t.content })),
    arc: row.arc,
    personaName: row.personaName ?? row.conversation.persona,
    topicName: row.topicName ?? row.conversation.topic,
  };
}

/** The workspace's template keys that start with `prefix`. */
export async function listTemplateKeysByPrefix({ db, workspaceId, prefix }: { db: DbOrTx; workspaceId: string; prefix: string }): Promise<string[]> {
  const rows = await db
    .select({ key: promptTemplates.key })
    .from(promptTemplates)
    .where(and(eq(promptTemplates.workspaceId, workspaceId), like(promptTemplates.key, `${prefix.replace(/[%_\\]/g, (c) => `\\${c}`)}%`)));
  return rows.map((r) => r.key);
}

/** What a seed template is made of. */
export interface SeedTemplateInput {
  key: string;
  name: string;
  tier: Tier;
  description: string;
  sourceSeedId: string;
  seedStructure: Record<string, unknown>;
  systemPrompt: string;
  templateText: string;
  maxTokens: number;
  temperature: number;
  /** The user id of the guard (template_versions.author). */
  author: string;
}

/**
 * Inserts a seed's template as a DRAFT, not default, at version 1 (with its first version), in one
 * transaction when `db` is one.
 * @returns the new template's id
 */
export async function insertSeedTemplate({ db, workspaceId, input }: { db: DbOrTx; workspaceId: string; input: SeedTemplateInput }): Promise<{ id: string }> {
  const [template] = await db
    .insert(promptTemplates)
    .values({
      workspaceId,
      key: input.key,
      name: input.name,
      tier: input.tier,
      description: input.description,
      isDefault: false,
      status: "draft",
      currentVersion: 1,
      sourceSeedId: input.sourceSeedId,
      seedStructure: input.seedStructure,
    })
    .returning({ id: promptTemplates.id });
  await db.insert(templateVersions).values({
    templateId: template.id,
    version: 1,
    systemPrompt: input.systemPrompt,
    templateText: input.templateText,
    maxTokens: input.maxTokens,
    temperature: input.temperature,
    author: input.author,
    changeNote: "Made from a seed conversation (Use as template).",
  });
  return { id: template.id };
}

/** The workspace's templates made from seeds: id, key, name, status and the seed's uuid. */
export async function listSeedTemplates({ db, workspaceId, seedId }: { db: DbOrTx; workspaceId: string; seedId?: string }) {
  return db
    .select({ id: promptTemplates.id, key: promptTemplates.key, name: promptTemplates.name, status: promptTemplates.status, tier: promptTemplates.tier, sourceSeedId: promptTemplates.sourceSeedId, createdAt: promptTemplates.createdAt })
    .from(promptTemplates)
    .where(and(eq(promptTemplates.workspaceId, workspaceId), seedId ? eq(promptTemplates.sourceSeedId, seedId) : isNotNull(promptTemplates.sourceSeedId)))
    .orderBy(asc(promptTemplates.createdAt), asc(promptTemplates.key));
}

/** One variation of a seed: a conversation whose template was made from the seed. */
export interface SeedVariationRow {
  seedId: string;
  conversationId: string;
  status: string;
  qualityScore: number | null;
}

/** Every variation of the workspace's seeds (optionally of some seeds only), by conversation id. */
export async function listSeedVariations({ db, workspaceId, seedIds }: { db: DbOrTx; workspaceId: string; seedIds?: string[] }): Promise<SeedVariationRow[]> {
  if (seedIds && !seedIds.length) return [];
  const rows = await db
    .select({ seedId: promptTemplates.sourceSeedId, conversationId: conversations.conversationId, status: conversations.status, qualityScore: conversations.qualityScore })
    .from(conversations)
    .innerJoin(promptTemplates, eq(promptTemplates.id, conversations.templateId))
    .where(
      and(
        eq(conversations.workspaceId, workspaceId),
        eq(conversations.isSeed, false),
        seedIds ? inArray(promptTemplates.sourceSeedId, seedIds) : isNotNull(promptTemplates.sourceSeedId),
      ),
    )
    .orderBy(asc(conversations.conversationId));
  return rows.map((r) => ({ seedId: r.seedId as string, conversationId: r.conversationId, status: r.status, qualityScore: r.qualityScore === null ? null : Number(r.qualityScore) }));
}
