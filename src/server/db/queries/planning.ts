import "server-only";
/**
 * The planning page's reads and writes (issue 10 items 2 and 5): the workspace's conversations as
 * the planner counts them, the arc configuration (arcs' enabled flags and the workspace's
 * percentages), the arc presets and the plan settings.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import type { ConversationStatus, Tier } from "../../../lib/constants";
import type { DbOrTx } from "../client";
import { arcDistributionPresets, chunks, conversations, emotionalArcs, scenarios, workspaces, type ArcDistributionPresetRow } from "../schema";

/** A conversation as the planner and the planning page see it. */
export interface PlanConversation {
  /** uuid */
  id: string;
  /** Human id: "tmpl-001", "seed-003". */
  conversationId: string;
  tier: Tier;
  status: ConversationStatus;
  isSeed: boolean;
  /** Position in its tier's plan (1-based); null for seeds and imported conversations. */
  planSlot: number | null;
  persona: string;
  emotion: string;
  topic: string;
  intent: string;
  tone: string;
  outcome: string | null;
  edgeCaseKey: string | null;
  scenarioKey: string | null;
  scenarioTitle: string | null;
  chunkKey: string | null;
  sourceCategory: string | null;
  /** How many times generation was tried (0 = never). */
  generationAttempts: number;
}

/** Every conversation of the workspace with its chunk and scenario keys, by tier, plan slot, human id. */
export async function listPlanConversations({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<PlanConversation[]> {
  return db
    .select({
      id: conversations.id,
      conversationId: conversations.conversationId,
      tier: conversations.tier,
      status: conversations.status,
      isSeed: conversations.isSeed,
      planSlot: conversations.planSlot,
      persona: conversations.persona,
      emotion: conversations.emotion,
      topic: conversations.topic,
      intent: conversations.intent,
      tone: conversations.tone,
      outcome: conversations.outcome,
      edgeCaseKey: conversations.edgeCaseCategory,
      scenarioKey: scenarios.key,
      scenarioTitle: scenarios.title,
      chunkKey: chunks.key,
      sourceCategory: conversations.sourceCategory,
      generationAttempts: conversations.generationAttempts,
    })
    .from(conversations)
    .leftJoin(chunks, eq(chunks.id, conversations.chunkId))
    .leftJoin(scenarios, eq(scenarios.id, conversations.scenarioId))
    .where(eq(conversations.workspaceId, workspaceId))
    .orderBy(asc(conversations.tier), asc(conversations.planSlot), asc(conversations.conversationId));
}

/**
 * Saves the arc configuration in one transaction: each arc of `enabled` gets its flag, and the
 * workspace its percentages (null = an even split over the enabled arcs). Arcs not named keep theirs.
 */
export async function updateArcConfiguration({
  db,
  workspaceId,
  enabled,
  distribution,
}: {
  db: DbOrTx;
  workspaceId: string;
  enabled: Record<string, boolean>;
  distribution: Record<string, number> | null;
}): Promise<void> {
  await db.transaction(async (tx) => {
    for (const [key, value] of Object.entries(enabled)) {
      await tx
        .update(emotionalArcs)
        .set({ enabled: value })
        .where(and(eq(emotionalArcs.workspaceId, workspaceId), eq(emotionalArcs.key, key)));
    }
    await tx.update(workspaces).set({ arcDistribution: distribution, updatedAt: sql`now()` }).where(eq(workspaces.id, workspaceId));
  });
}

/** The planning page's settings (category weights, Complete Systems only); null = none. */
export async function updateWorkspacePlanSettings({ db, workspaceId, planSettings }: { db: DbOrTx; workspaceId: string; planSettings: Record<string, unknown> | null }): Promise<void> {
  await db.update(workspaces).set({ planSettings, updatedAt: sql`now()` }).where(eq(workspaces.id, workspaceId));
}

/** Saves the tier split (conversations per tier) the workspace plans with. */
export async function updateWorkspaceTierSplit({ db, workspaceId, tierSplit }: { db: DbOrTx; workspaceId: string; tierSplit: Record<Tier, number> }): Promise<void> {
  await db.update(workspaces).set({ tierSplit, updatedAt: sql`now()` }).where(eq(workspaces.id, workspaceId));
}

/** The workspace's arc presets, by name. */
export async function listArcDistributionPresets({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<ArcDistributionPresetRow[]> {
  return db.select().from(arcDistributionPresets).where(eq(arcDistributionPresets.workspaceId, workspaceId)).orderBy(asc(arcDistributionPresets.name));
}

/** Saves a preset by name: a new one, or the same name's distribution replaced. Returns the row. */
export async function upsertArcDistributionPreset({
  db,
  workspaceId,
  name,
  distribution,
}: {
  db: DbOrTx;
  workspaceId: string;
  name: string;
  distribution: Record<string, number>;
}): Promise<ArcDistributionPresetRow> {
  const [row] = await db
    .insert(arcDistributionPresets)
    .values({ workspaceId, name, distribution })
    .onConflictDoUpdate({ target: [arcDistributionPresets.workspaceId, arcDistributionPresets.name], set: { distribution } })
    .returning();
  return row;
}

/** The preset with this id in the workspace, or null. */
export async function getArcDistributionPresetById({ db, workspaceId, id }: { db: DbOrTx; workspaceId: string; id: string }): Promise<ArcDistributionPresetRow | null> {
  const rows = await db
    .select()
    .from(arcDistributionPresets)
    .where(and(eq(arcDistributionPresets.workspaceId, workspaceId), eq(arcDistributionPresets.id, id)));
  return rows[0] ?? null;
}
