import "server-only";
/** Generation runs and their per-call logs (FR1.2.1). */
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { generationLogs, generationRuns, type GenerationRunRow } from "../schema";

/** Starts a run row in status `running`. */
export async function createGenerationRun({
  db,
  values,
}: {
  db: DbOrTx;
  values: Pick<GenerationRunRow, "kind" | "provider" | "model" | "concurrency" | "total" | "selection" | "createdBy">;
}): Promise<GenerationRunRow> {
  const [row] = await db.insert(generationRuns).values(values).returning();
  return row;
}

/** Adds one finished conversation to a run's counters (usage in tokens and USD). */
export async function incrementRunCounters({
  db,
  id,
  succeeded,
  usage,
}: {
  db: DbOrTx;
  id: string;
  succeeded: boolean;
  usage: { inputTokens: number; outputTokens: number; costUsd: number };
}): Promise<void> {
  await db
    .update(generationRuns)
    .set({
      succeeded: succeeded ? sql`${generationRuns.succeeded} + 1` : generationRuns.succeeded,
      failed: succeeded ? generationRuns.failed : sql`${generationRuns.failed} + 1`,
      inputTokens: sql`${generationRuns.inputTokens} + ${usage.inputTokens}`,
      outputTokens: sql`${generationRuns.outputTokens} + ${usage.outputTokens}`,
      costUsd: sql`${generationRuns.costUsd} + ${usage.costUsd}`,
    })
    .where(eq(generationRuns.id, id));
}

/** Closes a run with its final status. */
export async function finishGenerationRun({ db, id, status }: { db: DbOrTx; id: string; status: string }): Promise<GenerationRunRow> {
  const [row] = await db
    .update(generationRuns)
    .set({ status, finishedAt: sql`now()` })
    .where(eq(generationRuns.id, id))
    .returning();
  return row;
}

export type GenerationLogInsert = typeof generationLogs.$inferInsert;

/** One row per LLM call, success or failure. */
export async function insertGenerationLog({ db, values }: { db: DbOrTx; values: GenerationLogInsert }): Promise<void> {
  await db.insert(generationLogs).values(values);
}

/** Sum of cost_usd over a run's generation_logs (must equal the run's cost). */
export async function sumGenerationLogCostByRunId({ db, runId }: { db: DbOrTx; runId: string }): Promise<{ costUsd: number; calls: number }> {
  const [row] = await db
    .select({ costUsd: sql<string>`coalesce(sum(${generationLogs.costUsd}), 0)`, calls: sql<number>`count(*)::int` })
    .from(generationLogs)
    .where(eq(generationLogs.runId, runId));
  return { costUsd: Number(row.costUsd), calls: row.calls };
}
