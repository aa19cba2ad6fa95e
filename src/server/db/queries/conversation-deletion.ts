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
