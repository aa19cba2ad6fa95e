import "server-only";
/** Run progress for the web: the same figures as the CLI, from the database. */
import { z } from "zod";
import { AppError } from "../core/errors";
import { getRunProgress, type RunProgress } from "./runs/run-progress";
import { requireUser } from "./auth";
import { getDatabase } from "./db/instance";

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
 * A run's progress for the current user (permission "read").
 * @throws AppError "run_not_found", "run_id_invalid", or the database's errors.
 */
export async function loadRunProgress(runId: string): Promise<RunProgress> {
  await requireUser("read");
  const { db } = await getDatabase();
  return getRunProgress({ db, runId: parseRunId(runId) });
}

