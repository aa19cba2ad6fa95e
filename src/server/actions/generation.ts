"use server";
/**
 * Generation server actions (US1.3.1, US13.1.1, FR4.4.1): estimate, start, cancel, pause,
 * resume. Each takes the workspace's slug first, parses its input with the contract's schema, opens
 * the workspace through the one guard ("generate"), then
 * calls src/server/operations/generation.ts. Expected failures come back as `{ ok: false, error }`.
 */
import type { z } from "zod";
import type { RunProgress } from "@/lib/run-states";
import {
  estimateInputSchema,
  resumeRunInputSchema,
  runIdInputSchema,
  startGenerationInputSchema,
  startJudgingInputSchema,
  type ActionResult,
  type StartedJudging,
  type StartJudgingInput,
  type GenerationEstimateView,
  type StartedRun,
  type StartGenerationInput,
} from "@/lib/dashboard-contract";
import { openWorkspace } from "@/server/workspace-context";
import { runAction } from "@/server/actions/action-result";
import { notifyUserIdFor, runEmailAvailability } from "@/server/email/run-notification";
import { loadPreferences } from "@/server/preferences";
import { cancelGeneration, estimateGeneration, pauseGeneration, resumeGeneration, startGeneration, startJudging } from "@/server/operations/generation";

/**
 * The estimate for a scope (conversations, USD, ms, per tier, warnings, skipped, provider), and
 * whether "E-mail me when it finishes" can be ticked and starts ticked (the user's `email.runFinished`
 * preference). Input: estimateInputSchema.
 */
export async function estimateGenerationAction(workspace: string, input: z.input<typeof estimateInputSchema>): Promise<ActionResult<GenerationEstimateView>> {
  return runAction("estimateGenerationAction", async () => {
    const { user, db, workspace: ws } = await openWorkspace(workspace, "generate");
    const { scope, concurrency } = estimateInputSchema.parse(input);
    const [estimate, availability, preferences] = await Promise.all([
      estimateGeneration({ db, workspaceId: ws.id, scope, concurrency }),
      runEmailAvailability(db, user),
      loadPreferences(db, user.id),
    ]);
    // The box starts ticked when the user's "run finished" preference is on (and it can be ticked).
    return { ...estimate, notifyByEmail: { ...availability, preferred: availability.available && preferences.email.runFinished } };
  });
}

/**
 * Starts generating a scope and returns at once with the run id (null when everything was
 * skipped); follow it with GET /api/runs/:id or its events. Input: startGenerationInputSchema
 * (budgetUsd: spending limit in USD, omitted/null = none; concurrency: 1-64, omitted = the default;
 * notify: e-mail the user about the run, refused with "email_unavailable" and the reason when e-mail is not set up or they have no address).
 */
export async function startGenerationAction(workspace: string, input: StartGenerationInput): Promise<ActionResult<StartedRun>> {
  return runAction("startGenerationAction", async () => {
    const { user, handle, workspace: ws } = await openWorkspace(workspace, "generate");
    const { scope, budgetUsd, concurrency, notify } = startGenerationInputSchema.parse(input);
    const notifyUserId = await notifyUserIdFor(handle.db, user, notify);
    return startGeneration({ handle, workspaceId: ws.id, scope, budgetUsd: budgetUsd ?? null, concurrency, userId: user.id, notifyUserId });
  });
}

/**
 * "Judge Selected": starts a judge run over the selected conversations that are generated,
 * approved or rejected and returns at once (run id null when none can be judged). Input:
 * startJudgingInputSchema (budgetUsd: spending limit in USD, omitted/null = none).
 */
export async function startJudgingAction(workspace: string, input: StartJudgingInput): Promise<ActionResult<StartedJudging>> {
  return runAction("startJudgingAction", async () => {
    const { user, handle, workspace: ws } = await openWorkspace(workspace, "generate");
    const { target, budgetUsd } = startJudgingInputSchema.parse(input);
    return startJudging({ handle, workspaceId: ws.id, target, budgetUsd: budgetUsd ?? null, userId: user.id });
  });
}

/** Cancels a run (queued conversations will not start; in-flight calls are aborted). Input: runIdInputSchema. */
export async function cancelRunAction(workspace: string, input: z.input<typeof runIdInputSchema>): Promise<ActionResult<RunProgress>> {
  return runAction("cancelRunAction", async () => {
    const { handle, workspace: ws } = await openWorkspace(workspace, "generate");
    const { runId } = runIdInputSchema.parse(input);
    return cancelGeneration({ handle, workspaceId: ws.id, runId });
  });
}

/** Pauses a running run (in-flight conversations finish). Input: runIdInputSchema. */
export async function pauseRunAction(workspace: string, input: z.input<typeof runIdInputSchema>): Promise<ActionResult<RunProgress>> {
  return runAction("pauseRunAction", async () => {
    const { handle, workspace: ws } = await openWorkspace(workspace, "generate");
    const { runId } = runIdInputSchema.parse(input);
    return pauseGeneration({ handle, workspaceId: ws.id, runId });
  });
}

/** Resumes a paused run, optionally with a new spending limit (USD; null = none). Input: resumeRunInputSchema. */
export async function resumeRunAction(workspace: string, input: z.input<typeof resumeRunInputSchema>): Promise<ActionResult<RunProgress>> {
  return runAction("resumeRunAction", async () => {
    const { handle, workspace: ws } = await openWorkspace(workspace, "generate");
    const { runId, budgetUsd } = resumeRunInputSchema.parse(input);
    return resumeGeneration({ handle, workspaceId: ws.id, runId, budgetUsd });
  });
}
