import "server-only";
/**
 * The web server's database: opened once per process (embedded PGlite holds its lockfile for the
 * process's lifetime; ARCHITECTURE.md "One process owns the embedded database") and migrated on
 * first use.
 */
import { readEnv } from "../env";
import { openDatabase, type DatabaseHandle } from "./client";
import { migrateDatabase } from "./migrate";

/**
 * Next.js bundles this module separately for the instrumentation hook, route handlers and pages,
 * so a module variable would give one process several handles (and, on PGlite, a refused lock).
 * The promise lives on globalThis under a registered symbol: one per process.
 */
const KEY = Symbol.for("brightrun.database");
type Holder = { [KEY]?: Promise<DatabaseHandle> | null };
const holder = globalThis as unknown as Holder;

/**
 * The shared handle. Throws AppError "database_locked" when the CLI (or another server) holds the
 * embedded database; the error says what to do.
 */
export function getDatabase(): Promise<DatabaseHandle> {
  if (!holder[KEY]) {
    holder[KEY] = (async () => {
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
      holder[KEY] = null;
      throw error;
    });
  }
  return holder[KEY] as Promise<DatabaseHandle>;
}
