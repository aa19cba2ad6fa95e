import "server-only";
/** What the first-run checklist counts in a workspace (src/server/first-run-checklist.ts). */
import { sql } from "drizzle-orm";
import type { Tier } from "../../../lib/constants";
import type { DbOrTx } from "../client";

/** Counts behind each checklist step; taxonomy counts leave archived entries (and disabled arcs) out. */
export interface FirstRunFacts {
  documents: number;
  chunks: number;
  personas: number;
  enabledArcs: number;
  topics: number;
  intents: number;
  tones: number;
  /** Tiers with an active default prompt template. */
  templateTiers: Tier[];
  /** Planned conversations (not seeds), whatever their status. */
  planned: number;
  /** Conversations (not seeds) generated: status generated, approved or rejected. */
  generated: number;
  /** Of those, the ones someone opened in the preview or reviewed. */
  read: number;
}

/** The checklist's counts for one workspace, in one round trip. */
export async function getFirstRunFacts({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<FirstRunFacts> {
  const result = await db.execute(sql`
    select
      (select count(*)::int from documents where workspace_id = ${workspaceId}) as documents,
      (select count(*)::int from chunks where workspace_id = ${workspaceId}) as chunks,
      (select count(*)::int from personas where workspace_id = ${workspaceId} and archived_at is null and enabled) as personas,
      (select count(*)::int from emotional_arcs where workspace_id = ${workspaceId} and archived_at is null and enabled) as enabled_arcs,
      (select count(*)::int from topics where workspace_id = ${workspaceId} and archived_at is null) as topics,
      (select count(*)::int from intents where workspace_id = ${workspaceId} and archived_at is null) as intents,
      (select count(*)::int from tones where workspace_id = ${workspaceId} and archived_at is null) as tones,
      (select coalesce(json_agg(distinct tier), '[]'::json) from prompt_templates where workspace_id = ${workspaceId} and is_default and status = 'active') as template_tiers,
      (select count(*)::int from conversations where workspace_id = ${workspaceId} and not is_seed) as planned,
      (select count(*)::int from conversations where workspace_id = ${workspaceId} and not is_seed and status in ('generated', 'approved', 'rejected')) as generated,
      (select count(*)::int from conversations where workspace_id = ${workspaceId} and not is_seed and status in ('generated', 'approved', 'rejected')
         and (first_viewed_at is not null or reviewed_at is not null)) as read
  `);
  const row = (result as unknown as { rows: Array<Record<string, unknown>> }).rows[0];
  const n = (key: string) => Number(row[key] ?? 0);
  const tiers = typeof row.template_tiers === "string" ? JSON.parse(row.template_tiers) : row.template_tiers;
  return {
    documents: n("documents"),
    chunks: n("chunks"),
    personas: n("personas"),
    enabledArcs: n("enabled_arcs"),
    topics: n("topics"),
    intents: n("intents"),
    tones: n("tones"),
    templateTiers: (tiers ?? []) as Tier[],
    planned: n("planned"),
    generated: n("generated"),
    read: n("read"),
  };
}

/** Marks a conversation as read (opened in the preview) the first time; later calls change nothing. */
export async function markConversationViewed({ db, workspaceId, conversationId }: { db: DbOrTx; workspaceId: string; conversationId: string }): Promise<void> {
  await db.execute(
    sql`update conversations set first_viewed_at = now() where workspace_id = ${workspaceId} and conversation_id = ${conversationId} and first_viewed_at is null`,
  );
}
