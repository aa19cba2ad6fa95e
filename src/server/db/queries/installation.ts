import "server-only";
/** The installation's one row (id 1): facts about this database rather than one workspace. */
import { eq, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { installation, type InstallationRow } from "../schema";

const ROW_ID = 1;

/** The installation row, or null when there is none yet (the migration writes it; a fresh row reads as never loaded). */
export async function getInstallation({ db }: { db: DbOrTx }): Promise<InstallationRow | null> {
  const rows = await db.select().from(installation).where(eq(installation.id, ROW_ID));
  return rows[0] ?? null;
}

/**
 * Sets `sample_loaded_at` to now unless it is already set, atomically (one statement: of two
 * processes starting at once, one wins).
 * @returns true when this call set it, false when it was set already
 */
export async function claimSampleLoaded({ db }: { db: DbOrTx }): Promise<boolean> {
  const rows = await db
    .insert(installation)
    .values({ id: ROW_ID, sampleLoadedAt: sql`now()` })
    .onConflictDoUpdate({ target: installation.id, set: { sampleLoadedAt: sql`now()` }, setWhere: isNull(installation.sampleLoadedAt) })
    .returning({ id: installation.id });
  return rows.length > 0;
}

/** Clears `sample_loaded_at` again (the sample's load failed, so the next start tries again). */
export async function clearSampleLoaded({ db }: { db: DbOrTx }): Promise<void> {
  await db.update(installation).set({ sampleLoadedAt: null }).where(eq(installation.id, ROW_ID));
}
