import "server-only";
/** One conversation with everything the dashboard's preview panel and dialogs show. */
import { and, asc, desc, eq, isNotNull } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { conversations, conversationTurns, generationLogs, outcomes } from "../schema";
import { selectConversationsWithTaxonomyNames, taxonomyJoin } from "./conversations";

/** A conversation of the workspace by human id with its taxonomy names and turns; null when there is none. */
export async function getConversationDetailByHumanId({ db, workspaceId, conversationId }: { db: DbOrTx; workspaceId: string; conversationId: string }) {
  const [row] = await selectConversationsWithTaxonomyNames({ db, extra: { outcomeName: outcomes.name } })
    .leftJoin(outcomes, taxonomyJoin(outcomes, conversations.outcome))
    .where(
    and(eq(conversations.workspaceId, workspaceId), eq(conversations.conversationId, conversationId)),
  );
  if (!row) return null;
  const turns = await db
    .select({ turnNumber: conversationTurns.turnNumber, role: conversationTurns.role, content: conversationTurns.content })
    .from(conversationTurns)
    .where(eq(conversationTurns.conversationId, row.conversation.id))
    .orderBy(asc(conversationTurns.turnNumber));
  return { ...row, turns };
}

/** The newest generation_logs row with an error for a conversation (uuid): its code, message and time; null when none. */
export async function getLatestGenerationErrorByConversationId({
  db,
  conversationId,
}: {
  db: DbOrTx;
  conversationId: string;
}): Promise<{ errorCode: string | null; errorMessage: string | null; createdAt: Date } | null> {
  const [row] = await db
    .select({ errorCode: generationLogs.errorCode, errorMessage: generationLogs.errorMessage, createdAt: generationLogs.createdAt })
    .from(generationLogs)
    .where(and(eq(generationLogs.conversationId, conversationId), isNotNull(generationLogs.errorCode)))
    .orderBy(desc(generationLogs.createdAt))
    .limit(1);
  return row ?? null;
}
