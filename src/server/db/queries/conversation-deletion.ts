import "server-only";
/**
 * Deleting conversations (US11.4.2). What goes with a conversation (foreign keys on delete):
 * its turns and its generation_run_items rows are deleted (cascade); generation_logs and
 * review_logs rows stay, their conversation_id set to null (the audit trail outlives it).
 * A trigger (drizzle/0001) refuses to delete a seed conversation.
 */
import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/**
 * Which of the given conversations (uuids) are waiting or being generated in an unfinished run
 * (item queued or running, run running or paused): conversation uuid → run id.
 */
export async function listPendingRunItemsByConversationIds({ db, ids }: { db: DbOrTx; ids: string[] }): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 10_000) {
    const rows = rowsOf<{ conversation_id: string; run_id: string }>(
      await db.execute(sql`
        select i.conversation_id, i.run_id
          from generation_run_items i
          join generation_runs r on r.id = i.run_id
         where i.state in ('queued', 'running')
           and r.status in ('running', 'paused')
           and i.conversation_id in (select (jsonb_array_elements_text(${JSON.stringify(ids.slice(i, i + 10_000))}::jsonb))::uuid)`),
    );
    for (const r of rows) out.set(r.conversation_id, r.run_id);
  }
  return out;
}

/**
 * Deletes conversations by uuid with their turns (see the module comment for what else goes).
 * Run inside a transaction when it must be all or nothing.
 * @returns the human ids deleted.
 * @throws the database's error (SQLSTATE 23514, hint "seed_locked") when one is a seed.
 */
export async function deleteConversationsByIds({ db, ids }: { db: DbOrTx; ids: string[] }): Promise<string[]> {
  const deleted: string[] = [];
  for (let i = 0; i < ids.length; i += 10_000) {
    const rows = rowsOf<{ conversation_id: string }>(
      await db.execute(sql`
        delete from conversations
         where id in (select (jsonb_array_elements_text(${JSON.stringify(ids.slice(i, i + 10_000))}::jsonb))::uuid)
        returning conversation_id`),
    );
    deleted.push(...rows.map((r) => r.conversation_id));
  }
  return deleted.sort();
}
