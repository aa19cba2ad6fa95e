import "server-only";
/** Run progress for the web: the same figures as the CLI, from the database. */
import { z } from "zod";
import { AppError } from "../core/errors";
import { getRunProgress, type RunProgress } from "./runs/run-progress";
import { getGenerationRunById } from "./db/queries/runs";
import { openWorkspace } from "./workspace-context";

const runIdSchema = z.uuid();

/**
 * Validates a run id from a URL.
 * @throws AppError "run_id_invalid" (HTTP 400) when it is not a UUID.
 */
export function parseRunId(value: string): string {
  const parsed = runIdSchema.safeParse(value);
  if (!parsed.success) throw new AppError("run_id_invalid", `"${value}" is not a run id. Run ids look like 3f1c…-…; list runs with \`brightrun runs\`.`);
  return parsed.data;
}

/**
 * A run of the workspace and its progress, for the current user (permission "read").
 * @throws AppError "run_not_found" (also for a run of another workspace), "run_id_invalid",
 *   "workspace_not_found", or the database's errors.
 */
export async function loadRunProgress(workspaceSlug: string, runId: string): Promise<RunProgress> {
  const { db, workspace } = await openWorkspace(workspaceSlug, "read");
  const id = parseRunId(runId);
  const run = await getGenerationRunById({ db, id });
  if (!run || run.workspaceId !== workspace.id) throw new AppError("run_not_found", `There is no generation run ${id} in this workspace. List its runs with \`brightrun runs\`.`);
  return getRunProgress({ db, runId: id });
}

