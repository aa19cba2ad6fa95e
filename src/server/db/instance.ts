import "server-only";
/**
 * The web server's database: opened once per process (embedded PGlite holds its lockfile for the
 * process's lifetime; ARCHITECTURE.md "One process owns the embedded database") and migrated on
 * first use.
 */
import { readEnv } from "../env";
import { openDatabase, type DatabaseHandle } from "./client";
import { migrateDatabase } from "./migrate";

let opening: Promise<DatabaseHandle> | null = null;

/**
 * The shared handle. Throws AppError "database_locked" when the CLI (or another server) holds the
 * embedded database; the error says what to do.
 */
export function getDatabase(): Promise<DatabaseHandle> {
  if (!opening) {
    opening = (async () => {
      const env = readEnv();
      const handle = await openDatabase({ url: env.DATABASE_URL, dataDir: env.BRIGHTRUN_DATA_DIR });
      await migrateDatabase(handle);
      // Close the embedded database cleanly (and release its lock), then exit as the signal asks.
      const closeAndExit = () => {
        void handle.close().finally(() => process.exit(0));
      };
      process.once("SIGINT", closeAndExit);
      process.once("SIGTERM", closeAndExit);
      return handle;
    })().catch((error) => {
      opening = null;
      throw error;
    });
  }
  return opening;
}
