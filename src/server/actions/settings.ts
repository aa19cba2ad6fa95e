"use server";
/**
 * Settings server actions (issue 9, item 4): save the model settings, Test connection, and Load
 * models. Each checks the one permission guard ("generate": choosing the model and key is part of generating).
 */
import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/dashboard-contract";
import { runAction } from "@/server/actions/action-result";
import { openWorkspace } from "@/server/workspace-context";
import {
  listModelsWithSettings,
  loadModelSettingsView,
  saveModelSettings,
  testModelConnection,
  type ConnectionTestResult,
  type ModelListInput,
  type ModelListResult,
  type ModelSettingsInput,
  type ModelSettingsView,
} from "@/server/settings/model-settings";

/**
 * Validates and saves the model settings (the API key encrypted; never returned) and returns the
 * page's new view. Errors: `invalid_input` naming the field, `settings_incomplete`, `invalid_rate_limits`.
 */
export async function saveModelSettingsAction(workspace: string, input: ModelSettingsInput): Promise<ActionResult<ModelSettingsView>> {
  return runAction("saveModelSettingsAction", async () => {
    const { user, db, workspace: ws } = await openWorkspace(workspace, "generate");
    await saveModelSettings(db, ws.id, input, user);
    revalidatePath("/", "layout");
    return loadModelSettingsView(db, ws.id);
  });
}

/** Sends one small request with the settings in effect; the answer, latency and rate-limit headers, or the error in plain English. */
export async function testConnectionAction(workspace: string): Promise<ActionResult<ConnectionTestResult>> {
  return runAction("testConnectionAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "generate");
    return testModelConnection(db, ws.id);
  });
}

/**
 * Lists the models of the provider in the form (its models endpoint) with the base URL in the form
 * and the key being typed, else the saved one; the key is never returned. Errors from the provider
 * come back as `ok: false` in plain English with the HTTP status ("401: …").
 */
export async function listModelsAction(workspace: string, input: ModelListInput): Promise<ActionResult<ModelListResult>> {
  return runAction("listModelsAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "generate");
    return listModelsWithSettings(db, ws.id, input);
  });
}
