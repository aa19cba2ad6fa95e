import "server-only";
/**
 * Coverage aggregates (issue 13 item 1, US3.2.1): one GROUP BY over the workspace's conversations
 * (seed examples left out) and the names of the personas, emotional arcs and scenarios they use.
 */
import { and, count, eq, inArray, sql } from "drizzle-orm";
import type { CoverageCountRow, CoverageLabels } from "../../../core/dataset-coverage/coverage";
import { SUGGESTION_COUNTED_STATUSES, type ConfidenceCount, type EdgeCaseCount, type SuggestionState, type TripleCount } from "../../../core/dataset-coverage/suggestions";
import type { DbOrTx } from "../client";
import { chunks, conversations, coverageSuggestionStates, documents, emotionalArcs, personas, scenarios, type CoverageSuggestionKind } from "../schema";

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

/** Conversations that suggestions count: not seeds, not rejected (SUGGESTION_COUNTED_STATUSES). */
const counted = (workspaceId: string) =>
  and(eq(conversations.workspaceId, workspaceId), eq(conversations.isSeed, false), inArray(conversations.status, [...SUGGESTION_COUNTED_STATUSES]));

/**
 * Counted conversations per persona × emotional arc × topic and, for edge-case-tier conversations,
 * their edge-case category (null for the other tiers): one aggregate for both the recommendations
 * and the edge-case coverage (only combinations that occur).
 */
export async function listSuggestionCounts({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<Array<TripleCount & { edgeCase: string | null }>> {
  const edgeCase = sql<string | null>`case when ${conversations.tier} = 'edge_case' then ${conversations.edgeCaseCategory} end`;
  return db
    .select({ persona: conversations.persona, emotion: conversations.emotion, topic: conversations.topic, edgeCase, count: count() })
    .from(conversations)
    .where(counted(workspaceId))
    .groupBy(conversations.persona, conversations.emotion, conversations.topic, edgeCase);
}

/** The recommendations' counts (per persona × arc × topic) and the edge-case coverage's (per persona × arc × edge-case category) from listSuggestionCounts rows. */
export function splitSuggestionCounts(rows: ReadonlyArray<TripleCount & { edgeCase: string | null }>): { triples: TripleCount[]; edgeCases: EdgeCaseCount[] } {
  return {
    triples: rows.map(({ persona, emotion, topic, count }) => ({ persona, emotion, topic, count })),
    edgeCases: rows.flatMap(({ persona, emotion, edgeCase, count }) => (edgeCase === null ? [] : [{ persona, emotion, edgeCase, count }])),
  };
}

/** Counted conversations per document category of their source chunk (null without one). */
export async function listSourceCategoryCounts({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<Array<{ category: string | null; count: number }>> {
  return db.select({ category: conversations.sourceCategory, count: count() }).from(conversations).where(counted(workspaceId)).groupBy(conversations.sourceCategory);
}

/** Chunks per document category of the workspace. */
export async function listChunkCategoryCounts({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<Array<{ category: string; count: number }>> {
  return db
    .select({ category: documents.category, count: count() })
    .from(chunks)
    .innerJoin(documents, eq(documents.id, chunks.documentId))
    .where(eq(chunks.workspaceId, workspaceId))
    .groupBy(documents.category);
}

/**
 * Counted conversations per raw value of their source chunk's `confidence` dimension
 * (`chunks.dimensions->'confidence'`, as JSON; null when the conversation has no chunk or the
 * chunk no such dimension).
 */
export async function listSourceConfidenceCounts({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<ConfidenceCount[]> {
  const confidence = sql<unknown>`${chunks.dimensions}->'confidence'`;
  return db
    .select({ confidence, count: count() })
    .from(conversations)
    .leftJoin(chunks, eq(chunks.id, conversations.chunkId))
    .where(counted(workspaceId))
    .groupBy(confidence);
}

/** The workspace's stored suggestion states, by kind and key. */
export async function listCoverageSuggestionStates({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<Record<CoverageSuggestionKind, Map<string, SuggestionState>>> {
  const rows = await db
    .select({ kind: coverageSuggestionStates.kind, key: coverageSuggestionStates.key, state: coverageSuggestionStates.state })
    .from(coverageSuggestionStates)
    .where(eq(coverageSuggestionStates.workspaceId, workspaceId));
  const out: Record<CoverageSuggestionKind, Map<string, SuggestionState>> = { recommendation: new Map(), edge_case: new Map() };
  for (const r of rows) out[r.kind].set(r.key, r.state);
  return out;
}

/**
 * Sets suggestions' state (dismissed or done), or clears it (`state` null = open again), for the
 * given keys of one kind, recording who did it.
 * @returns how many keys were written
 */
export async function setCoverageSuggestionStates({
  db,
  workspaceId,
  kind,
  keys,
  state,
  userId,
}: {
  db: DbOrTx;
  workspaceId: string;
  kind: CoverageSuggestionKind;
  keys: readonly string[];
  state: SuggestionState | null;
  userId: string;
}): Promise<number> {
  if (keys.length === 0) return 0;
  const where = and(eq(coverageSuggestionStates.workspaceId, workspaceId), eq(coverageSuggestionStates.kind, kind), inArray(coverageSuggestionStates.key, [...keys]));
  if (state === null) {
    await db.delete(coverageSuggestionStates).where(where);
    return keys.length;
  }
  await db
    .insert(coverageSuggestionStates)
    .values(keys.map((key) => ({ workspaceId, kind, key, state, updatedBy: userId })))
    .onConflictDoUpdate({
      target: [coverageSuggestionStates.workspaceId, coverageSuggestionStates.kind, coverageSuggestionStates.key],
      set: { state, updatedBy: userId, updatedAt: sql`now()` },
    });
  return keys.length;
}
