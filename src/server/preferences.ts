import "server-only";
/**
 * Reading and writing a user's preferences (US14.1.1) in `user_preferences` (one row per user,
 * keyed by the guard's user id; src/lib/preferences.ts has the shape, defaults and rules). No row
 * means the defaults. The guard is the caller's (the server actions and pages call requireUser).
 */
import { eq } from "drizzle-orm";
import { isAppError } from "../core/errors";
import { DEFAULT_PREFERENCES, parsePreferences, preferencesFromStored, type Preferences } from "../lib/preferences";
import { requireUser } from "./auth";
import type { DbOrTx } from "./db/client";
import { getDatabase } from "./db/instance";
import { userPreferences } from "./db/schema";

/**
 * The user's preferences, every field valid (a missing or outdated stored field takes its default).
 * @param userId the guard's `User.id`
 */
export async function loadPreferences(db: DbOrTx, userId: string): Promise<Preferences> {
  const [row] = await db.select({ preferences: userPreferences.preferences }).from(userPreferences).where(eq(userPreferences.userId, userId)).limit(1);
  return row ? preferencesFromStored(row.preferences) : structuredClone(DEFAULT_PREFERENCES);
}

/**
 * Validates and stores the user's preferences (the whole object replaces the stored one).
 * @returns what was stored
 * @throws ZodError with a plain-English message (e.g. a shortcut on a key another one uses); nothing is stored then
 */
export async function savePreferences(db: DbOrTx, userId: string, input: unknown): Promise<Preferences> {
  const preferences = parsePreferences(input);
  await db
    .insert(userPreferences)
    .values({ userId, preferences })
    .onConflictDoUpdate({ target: userPreferences.userId, set: { preferences, updatedAt: new Date() } });
  return preferences;
}

/** Forgets the user's preferences: the defaults apply from now on. Returns the defaults. */
export async function resetPreferences(db: DbOrTx, userId: string): Promise<Preferences> {
  await db.delete(userPreferences).where(eq(userPreferences.userId, userId));
  return structuredClone(DEFAULT_PREFERENCES);
}

/**
 * The preferences of the user the guard names, for a page (permission "read"). When the database
 * cannot be read (an AppError such as "database_locked") the defaults are used, so the page can
 * still say what is wrong itself.
 * @throws the guard's AppError ("forbidden") and anything that is not an AppError
 */
export async function loadPreferencesForPage(): Promise<Preferences> {
  const user = await requireUser("read");
  try {
    const { db } = await getDatabase();
    return await loadPreferences(db, user.id);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return structuredClone(DEFAULT_PREFERENCES);
  }
}
