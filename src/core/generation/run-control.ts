/**
 * Cancel, pause and resume a generation run. Every state is in the database, so these work from
 * any process: the workers read the run's flags (pg-boss's cancel does not stop a running handler).
 */
import type { DatabaseHandle } from "../../server/db/client";
import { cancelQueuedRunItems, countRunItemsByState, finishRunItem, listOrphanedRunItems, listQueuedRunItems, requeueRunItem } from "../../server/db/queries/run-items";
import {
  getGenerationRunById,
  requestGenerationRunCancel,
  updateGenerationRunBudget,
  updateGenerationRunStatus,
} from "../../server/db/queries/runs";
import type { GenerationRunRow } from "../../server/db/schema";
import { enqueueRunItemsNow } from "../../server/jobs/boss";
import { WORKER_STALE_MS } from "../../server/jobs/generation-worker";
import { AppError } from "../errors";

const TERMINAL = ["completed", "completed_with_failures", "failed", "cancelled"];

async function requireRun(handle: DatabaseHandle, runId: string): Promise<GenerationRunRow> {
  const run = await getGenerationRunById({ db: handle.db, id: runId });
  if (!run) throw new AppError("run_not_found", `There is no generation run ${runId}. List runs with \`brightrun runs\`.`);
  return run;
}

/**
 * Cancels a run midway: queued conversations will not start; in-flight calls are aborted by their
 * workers and their conversations go back to not generated. Finished conversations stay.
 * @returns the run after the request.
 * @throws AppError "run_not_found", "run_finished".
 */
export async function cancelRun({ handle, runId }: { handle: DatabaseHandle; runId: string }): Promise<GenerationRunRow> {
  const run = await requireRun(handle, runId);
  if (TERMINAL.includes(run.status)) throw new AppError("run_finished", `Run ${runId} has already ${run.status === "cancelled" ? "been cancelled" : "finished"}.`);
  const db = handle.db;
  await requestGenerationRunCancel({ db, id: runId });
  await cancelQueuedRunItems({ db, runId });
  // Items held by a worker that is gone will never be aborted by it: close them here.
  const orphans = (await listOrphanedRunItems({ db, staleMs: WORKER_STALE_MS, exceptWorkerId: "" })).filter((o) => o.runId === runId);
  for (const item of orphans) {
    await requeueRunItem({ db, id: item.id });
    await finishRunItem({ db, id: item.id, state: "cancelled" });
  }
  const counts = await countRunItemsByState({ db, runId });
  if (counts.running === 0) await updateGenerationRunStatus({ db, id: runId, status: "cancelled" });
  return requireRun(handle, runId);
}

/**
 * Pauses a run: no new conversation starts; the ones in flight finish.
 * @throws AppError "run_not_found", "run_not_running".
 */
export async function pauseRun({ handle, runId }: { handle: DatabaseHandle; runId: string }): Promise<GenerationRunRow> {
  const run = await requireRun(handle, runId);
  if (run.status !== "running") throw new AppError("run_not_running", `Run ${runId} is ${run.status.replace(/_/g, " ")}, not running.`);
  return (await updateGenerationRunStatus({ db: handle.db, id: runId, status: "paused", pausedReason: "user" })) as GenerationRunRow;
}

/**
 * Resumes a paused run (optionally with a new spending limit), or a running one whose process
 * stopped (a crash), and enqueues its waiting conversations again. Idempotent.
 * @throws AppError "run_not_found", "run_finished".
 */
export async function resumeRun({ handle, runId, budgetUsd }: { handle: DatabaseHandle; runId: string; budgetUsd?: number | null }): Promise<GenerationRunRow> {
  const run = await requireRun(handle, runId);
  if (TERMINAL.includes(run.status)) throw new AppError("run_finished", `Run ${runId} has ${run.status === "cancelled" ? "been cancelled" : "finished"}; start a new one with \`brightrun generate\`.`);
  if (budgetUsd !== undefined) await updateGenerationRunBudget({ db: handle.db, id: runId, budgetUsd });
  const updated = run.status === "running" ? run : ((await updateGenerationRunStatus({ db: handle.db, id: runId, status: "running" })) as GenerationRunRow);
  await enqueueRunItemsNow(handle, await listQueuedRunItems({ db: handle.db, runIds: [runId] }));
  return updated;
}
