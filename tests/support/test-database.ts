/**
 * A freshly migrated database for one test file (ARCHITECTURE.md: "integration tests run on a
 * freshly migrated database per file"): in-memory PGlite by default, or, when
 * BRIGHTRUN_TEST_DB=postgres and TEST_DATABASE_URL are set, a new PostgreSQL database created
 * for the file and dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type DatabaseHandle } from "../../src/server/db/client";
import { migrateDatabase } from "../../src/server/db/migrate";

/** Which database the integration suite is running on in this process. */
export function testDatabaseKind(): "pglite" | "postgres" {
  return process.env.BRIGHTRUN_TEST_DB === "postgres" && process.env.TEST_DATABASE_URL ? "postgres" : "pglite";
}

/**
 * A new, empty PostgreSQL database for a child process (the CLI), as a URL, and a function that
 * drops it. Only when the suite runs on PostgreSQL; null on PGlite.
 */
export async function createTestDatabaseUrl(): Promise<{ url: string; drop: () => Promise<void> } | null> {
  if (testDatabaseKind() === "pglite") return null;
  return createScratchPostgresDatabase(process.env.TEST_DATABASE_URL as string, "brightrun_test");
}

/**
 * Creates an empty database `<prefix>_<random>` on the server of `adminUrl` (tests, benchmarks)
 * and returns its URL and a function that drops it (forcing connections closed).
 */
export async function createScratchPostgresDatabase(adminUrl: string, prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

/** Opens and migrates a new, empty database. Call `close()` in afterAll. */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  if (testDatabaseKind() === "pglite") {
    const handle = await openDatabase({ memory: true });
    await migrateDatabase(handle);
    return handle;
  }
  const database = (await createTestDatabaseUrl()) as { url: string; drop: () => Promise<void> };
  const handle = await openDatabase({ url: database.url });
  await migrateDatabase(handle);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await database.drop();
    },
  };
}
