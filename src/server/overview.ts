import "server-only";
/** What the overview page shows: dataset totals, recent exports, the provider in effect. */
import { selectProvider } from "../core/llm/select-provider";
import { requireUser } from "./auth";
import { getDatabase } from "./db/instance";
import { getConversationTotals, type ConversationTotals } from "./db/queries/conversations";
import { listExportLogs } from "./db/queries/exports";
import { getWorkspace } from "./db/queries/workspace";

export interface DatasetOverview {
  workspaceName: string | null;
  businessName: string | null;
  totals: ConversationTotals;
  exports: Array<{ exportId: string; format: string; conversationCount: number; filePath: string; exportedAt: string; userId: string }>;
  provider: { name: string; model: string; isLanguageModel: boolean; reason: string };
}

/**
 * Loads the overview for the current user (permission "read").
 * @throws AppError from the database ("database_locked" when the CLI holds the embedded database).
 */
export async function loadDatasetOverview(): Promise<DatasetOverview> {
  await requireUser("read");
  const { db } = await getDatabase();
  const [workspace, totals, exports] = await Promise.all([getWorkspace({ db }), getConversationTotals({ db }), listExportLogs({ db, limit: 10 })]);
  const selection = selectProvider({ env: process.env });
  return {
    workspaceName: workspace?.name ?? null,
    businessName: workspace?.businessName ?? null,
    totals,
    exports: exports.map((e) => ({
      exportId: e.exportId,
      format: e.format,
      conversationCount: e.conversationCount,
      filePath: e.filePath,
      exportedAt: e.exportedAt.toISOString(),
      userId: e.userId,
    })),
    provider: { name: selection.provider.name, model: selection.model, isLanguageModel: selection.provider.isLanguageModel, reason: selection.reason },
  };
}
