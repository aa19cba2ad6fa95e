"use server";
/**
 * Settings server actions (issue 9, item 4): save the model settings, and Test connection. Both
 * check the one permission guard ("generate": choosing the model and key is part of generating).
 */
import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/dashboard-contract";
import { runAction } from "@/server/actions/action-result";
import { requireUser } from "@/server/auth";
import { getDatabase } from "@/server/db/instance";
import { loadModelSettingsView, saveModelSettings, testModelConnection, type ConnectionTestResult, type ModelSettingsInput, type ModelSettingsView } from "@/server/settings/model-settings";

/**
 * Validates and saves the model settings (the API key encrypted; never returned) and returns the
 * page's new view. Errors: `invalid_input` naming the field, `settings_incomplete`, `invalid_rate_limits`.
 */
export async function saveModelSettingsAction(input: ModelSettingsInput): Promise<ActionResult<ModelSettingsView>> {
  return runAction("saveModelSettingsAction", async () => {
    const user = await requireUser("generate");
    const { db } = await getDatabase();
    await saveModelSettings(db, input, user.id);
    revalidatePath("/", "layout");
    return loadModelSettingsView(db);
  });
}

/** Sends one small request with the settings in effect; the answer, latency and rate-limit headers, or the error in plain English. */
export async function testConnectionAction(): Promise<ActionResult<ConnectionTestResult>> {
  return runAction("testConnectionAction", async () => {
    await requireUser("generate");
    const { db } = await getDatabase();
    return testModelConnection(db);
  });
}
