import "server-only";
/**
 * Coverage aggregates (issue 13 item 1, US3.2.1): one GROUP BY over the workspace's conversations
 * (seed examples left out) and the names of the personas, emotional arcs and scenarios they use.
 */
import { and, count, eq } from "drizzle-orm";
import type { CoverageCountRow, CoverageLabels } from "../../../core/dataset-coverage/coverage";
import type { DbOrTx } from "../client";
import { conversations, emotionalArcs, personas, scenarios } from "../schema";

/**
 * Conversations (not seeds) of the workspace counted per persona, emotional arc, tier, document
 * category (`source_category`), scenario and status: one aggregate query, at most one row per
 * combination that occurs. Every chart and the heatmap are sums of these rows.
 */
export async function listCoverageCounts({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<CoverageCountRow[]> {
  return db
    .select({
      persona: conversations.persona,
      emotion: conversations.emotion,
      tier: conversations.tier,
      sourceCategory: conversations.sourceCategory,
      scenarioId: conversations.scenarioId,
      status: conversations.status,
      count: count(),
    })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.isSeed, false)))
    .groupBy(conversations.persona, conversations.emotion, conversations.tier, conversations.sourceCategory, conversations.scenarioId, conversations.status);
}

/**
 * The workspace's personas and emotional arcs (key, name, archived, switched off; archived ones
 * included, ordered by name) and scenarios (id as key, title, archived), for coverage's labels.
 */
export async function listCoverageLabels({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<CoverageLabels> {
  const [p, a, s] = await Promise.all([
    db
      .select({ key: personas.key, name: personas.name, archivedAt: personas.archivedAt, enabled: personas.enabled })
      .from(personas)
      .where(eq(personas.workspaceId, workspaceId))
      .orderBy(personas.name, personas.key),
    db
      .select({ key: emotionalArcs.key, name: emotionalArcs.name, archivedAt: emotionalArcs.archivedAt, enabled: emotionalArcs.enabled })
      .from(emotionalArcs)
      .where(eq(emotionalArcs.workspaceId, workspaceId))
      .orderBy(emotionalArcs.name, emotionalArcs.key),
    db.select({ key: scenarios.id, name: scenarios.title, archivedAt: scenarios.archivedAt }).from(scenarios).where(eq(scenarios.workspaceId, workspaceId)),
  ]);
  const label = (r: { key: string; name: string; archivedAt: Date | null; enabled?: boolean }) => ({
    key: r.key,
    name: r.name,
    archived: r.archivedAt !== null,
    ...(r.enabled === undefined ? {} : { disabled: !r.enabled }),
  });
  return { personas: p.map(label), emotionalArcs: a.map(label), scenarios: s.map(label) };
}
