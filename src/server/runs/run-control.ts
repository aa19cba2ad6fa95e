import "server-only";
/**
 * Cancel, pause and resume as the web and the CLI call them: the run machine's transitions, with
 * the live workers looked up for cancel (items held by a worker that is gone close at once).
 */
import type { DatabaseHandle } from "../db/client";
import type { GenerationRunRow } from "../db/schema";
import { cancelRun, pauseRun, resumeRun } from "./run-machine";
import { listLiveWorkerIds } from "./worker-health";

/**
 * Cancels a run midway: queued conversations will not start; in-flight calls are aborted by their
 * workers and their conversations go back to not generated. Finished conversations stay.
 * @throws AppError "run_not_found", "run_finished"
 */
export async function cancelGenerationRun({ handle, runId }: { handle: DatabaseHandle; runId: string }): Promise<GenerationRunRow> {
  return cancelRun({ db: handle.db, runId, liveWorkerIds: await listLiveWorkerIds({ handle }) });
}

/** Pauses a run: nothing new starts; in-flight conversations finish. @throws AppError "run_not_found", "run_not_running" */
export async function pauseGenerationRun({ handle, runId }: { handle: DatabaseHandle; runId: string }): Promise<GenerationRunRow> {
  return pauseRun({ db: handle.db, runId, reason: "user" });
}

/**
 * Resumes a paused run (budgetUsd: a new spending limit, null = none, undefined = keep); its
 * waiting conversations get jobs again. @throws AppError "run_not_found", "run_finished"
 */
export async function resumeGenerationRun({ handle, runId, budgetUsd }: { handle: DatabaseHandle; runId: string; budgetUsd?: number | null }): Promise<GenerationRunRow> {
  return resumeRun({ db: handle.db, runId, budgetUsd });
}
