"use server";
/**
 * The signed-in user's preferences (US14.1.1): read, save, reset. Each checks the one guard
 * ("read": every user may keep their own preferences) and works on that user's row only
 * (src/server/preferences.ts).
 */
import type { ActionResult } from "@/lib/dashboard-contract";
import type { Preferences } from "@/lib/preferences";
import { runAction } from "@/server/actions/action-result";
import { requireUser } from "@/server/auth";
import { getDatabase } from "@/server/db/instance";
import { loadPreferences, resetPreferences, savePreferences } from "@/server/preferences";

/** The user's preferences (defaults for what they never set). */
export async function getPreferencesAction(): Promise<ActionResult<Preferences>> {
  return runAction("getPreferencesAction", async () => {
    const user = await requireUser("read");
    const { db } = await getDatabase();
    return loadPreferences(db, user.id);
  });
}

/** Validates and saves the whole preferences object; "invalid_input" with a plain message when a value cannot be used. */
export async function savePreferencesAction(input: Preferences): Promise<ActionResult<Preferences>> {
  return runAction("savePreferencesAction", async () => {
    const user = await requireUser("read");
    const { db } = await getDatabase();
    return savePreferences(db, user.id, input);
  });
}

/** Back to the defaults; returns them. */
export async function resetPreferencesAction(): Promise<ActionResult<Preferences>> {
  return runAction("resetPreferencesAction", async () => {
    const user = await requireUser("read");
    const { db } = await getDatabase();
    return resetPreferences(db, user.id);
  });
}
