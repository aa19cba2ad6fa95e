import "server-only";
/**
 * Review history beyond single decisions: the dashboard's review actions as batches (one undo
 * token each) and their undo (US4.2.2, US6.2.2). Decisions themselves are written by
 * updateConversationReviews (queries/conversations.ts).
 */
import { sql } from "drizzle-orm";
import type { ConversationStatus } from "../../../lib/constants";
import type { DbOrTx } from "../client";

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

export interface ReviewBatchSummary {
  /** Review rows of the batch (approve / reject). */
  reviews: number;
  /** Undo rows already written for it. */
  undos: number;
  reviewerId: string | null;
  /** Whether the batch was written less than `acceptMs` ago, by the database's clock. */
  withinWindow: boolean;
}

/** What is known about a review batch (see tagReviewLogsBatch); `reviews` is 0 for an unknown id. */
export async function getReviewBatchById({
  db,
  workspaceId,
  batchId,
  acceptMs,
}: {
  db: DbOrTx;
  workspaceId: string;
  batchId: string;
  acceptMs: number;
}): Promise<ReviewBatchSummary> {
  const result = await db.execute(sql`
    select count(*) filter (where action <> 'undo')::int as reviews,
           count(*) filter (where action = 'undo')::int as undos,
           min(reviewer_id) filter (where action <> 'undo') as reviewer_id,
           coalesce(min(timestamp) filter (where action <> 'undo') >= now() - make_interval(secs => ${acceptMs / 1000}), false) as within_window
      from review_logs
     where batch_id = ${batchId}::uuid and workspace_id = ${workspaceId}`);
  const [row] = rowsOf<{ reviews: number; undos: number; reviewer_id: string | null; within_window: boolean }>(result);
  return { reviews: Number(row?.reviews ?? 0), undos: Number(row?.undos ?? 0), reviewerId: row?.reviewer_id ?? null, withinWindow: Boolean(row?.within_window) };
}

/**
 * Undoes review batch `batchId`: every conversation that still has the status the batch gave it
 * and has not been reviewed since (its `reviewed_at` is still the batch's time) gets back its
 * previous status and reviewer fields; one "undo" review_logs row is written for each, by
 * `reviewerId`, with the same batch id. Run inside a transaction. Returns what was restored and
 * what was not, with each one's current status (null when the conversation was deleted).
 */
export async function restoreReviewBatch({
  db,
  workspaceId,
  batchId,
  reviewerId,
}: {
  db: DbOrTx;
  workspaceId: string;
  batchId: string;
  reviewerId: string;
}): Promise<{
  restored: Array<{ conversationId: string; status: ConversationStatus }>;
  notRestored: Array<{ conversationId: string | null; status: ConversationStatus | null }>;
}> {
  const updated = rowsOf<{ id: string; conversation_id: string; status: ConversationStatus; undone_status: ConversationStatus }>(
    await db.execute(sql`
      update conversations c
         set status = rl.previous_status,
             reviewer_id = rl.previous_review ->> 'reviewerId',
             reviewer_notes = rl.previous_review ->> 'reviewerNotes',
             reviewed_at = (rl.previous_review ->> 'reviewedAt')::timestamptz,
             updated_at = now()
        from review_logs rl
       where rl.batch_id = ${batchId}::uuid
         and rl.workspace_id = ${workspaceId}
         and rl.action in ('approve', 'reject')
         and rl.conversation_id = c.id
         and c.status = case rl.action when 'approve' then 'approved' else 'rejected' end
         and c.reviewed_at = rl.timestamp
      returning c.id, c.conversation_id, c.status, case rl.action when 'approve' then 'approved' else 'rejected' end as undone_status`),
  );
  for (let i = 0; i < updated.length; i += 5_000) {
    const chunk = updated.slice(i, i + 5_000).map((u) => ({ id: u.id, previous_status: u.undone_status }));
    await db.execute(sql`
      insert into review_logs (workspace_id, conversation_id, action, previous_status, reviewer_id, batch_id)
      select ${workspaceId}::uuid, p.id, 'undo', p.previous_status, ${reviewerId}, ${batchId}::uuid
        from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as p(id uuid, previous_status text)`);
  }
  const restoredIds = new Set(updated.map((u) => u.id));
  const others = rowsOf<{ id: string | null; conversation_id: string | null; status: ConversationStatus | null }>(
    await db.execute(sql`
      select c.id, c.conversation_id, c.status
        from review_logs rl
        left join conversations c on c.id = rl.conversation_id
       where rl.batch_id = ${batchId}::uuid and rl.workspace_id = ${workspaceId} and rl.action in ('approve', 'reject')
       order by c.conversation_id`),
  );
  return {
    restored: updated.map((u) => ({ conversationId: u.conversation_id, status: u.status })).sort((a, b) => a.conversationId.localeCompare(b.conversationId)),
    notRestored: others.filter((o) => !o.id || !restoredIds.has(o.id)).map((o) => ({ conversationId: o.conversation_id, status: o.status })),
  };
}
