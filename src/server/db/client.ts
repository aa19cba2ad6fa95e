import "server-only";
/**
 * Opens the database: PostgreSQL when a URL is given, otherwise the embedded PGlite database in a
 * data directory guarded by a lockfile (ARCHITECTURE.md, "One process owns the embedded database").
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import pg from "pg";
import lockfile from "proper-lockfile";
import { AppError } from "../../core/errors";
import * as schema from "./schema";

/** The Drizzle database type both drivers share. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle, usable wherever a `Database` is. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either; query functions accept both so they compose inside one transaction. */
export type DbOrTx = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  kind: "pglite" | "postgres";
  /** Data directory (pglite) or the URL without password (postgres). */
  location: string;
  /**
   * Raw SQL on the same connection(s), in the shape pg-boss's `db` option expects. On PGlite a
   * statement without parameters may hold several commands (pg-boss's migrations do).
   */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  close(): Promise<void>;
}

function pgliteExecuteSql(client: PGlite) {
  return async (text: string, values?: unknown[]) => {
    if (!values || values.length === 0) {
      const results = await client.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    }
    const result = await client.query(text, values);
    return { rows: result.rows };
  };
}

export const DEFAULT_DATA_DIR = ".brightrun";

/** Resolves the data directory: `BRIGHTRUN_DATA_DIR` or `./.brightrun`, absolute. */
export function resolveDataDir(dataDir?: string): string {
  return path.resolve(/*turbopackIgnore: true*/ dataDir ?? process.env.BRIGHTRUN_DATA_DIR ?? DEFAULT_DATA_DIR);
}

/**
 * Opens a database.
 * - `{ url }`: PostgreSQL through node-postgres (any number of processes).
 * - `{ dataDir }`: PGlite in `<dataDir>/db`, holding `<dataDir>/brightrun.lock` until `close()`.
 * - `{ memory: true }`: throw-away in-memory PGlite (tests).
 * @throws AppError "database_locked" when another process holds the data directory.
 * @throws AppError "database_unreachable" when PostgreSQL does not answer.
 */
export async function openDatabase(options: { url?: string; dataDir?: string; memory?: boolean }): Promise<DatabaseHandle> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: 10 });
    // An idle connection closed by the server (restart, admin termination) must not crash the
    // process; the pool replaces it on the next query (node-postgres: "handle idle client errors").
    pool.on("error", (error: Error & { code?: string }) => {
      if (error.code !== "57P01") console.error(`PostgreSQL connection lost: ${error.message}`);
    });
    try {
      const client = await pool.connect();
      client.release();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new AppError(
        "database_unreachable",
        `Could not connect to the PostgreSQL database in DATABASE_URL (${redactUrl(options.url)}): ${(error as Error).message}. Check that the server is running and the URL is right, or unset DATABASE_URL to use the embedded database.`,
        { cause: error },
      );
    }
    const db = drizzlePg(pool, { schema }) as unknown as Database;
    return {
      db,
      kind: "postgres",
      location: redactUrl(options.url),
      executeSql: async (text, values) => ({ rows: (await pool.query(text, values as unknown[] | undefined)).rows }),
      close: () => pool.end(),
    };
  }

  if (options.memory) {
    const client = new PGlite();
    const db = drizzlePglite(client, { schema }) as unknown as Database;
    return { db, kind: "pglite", location: "memory", executeSql: pgliteExecuteSql(client), close: () => client.close() };
  }

  const dataDir = resolveDataDir(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, "brightrun.lock");
  let release: () => Promise<void>;
  const ownerPath = path.join(dataDir, "brightrun.lock.owner.json");
  const takeLock = () =>
    lockfile.lock(dataDir, {
      lockfilePath: lockPath,
      stale: 15_000,
      update: 5_000,
      realpath: false,
      onCompromised: (error) => {
        console.error(`The lock on ${dataDir} was lost (${error.message}); stopping to protect the embedded database.`);
        process.exit(70);
      },
    });
  try {
    try {
      release = await takeLock();
    } catch (error) {
      // A lock left by a process of this machine that no longer exists (killed, crashed) is taken
      // over at once instead of after the 15 s staleness window.
      if ((error as NodeJS.ErrnoException).code !== "ELOCKED" || !lockOwnerIsGone(ownerPath)) throw error;
      fs.rmSync(lockPath, { recursive: true, force: true });
      release = await takeLock();
    }
    fs.writeFileSync(ownerPath, JSON.stringify({ pid: process.pid, hostname: os.hostname(), since: new Date().toISOString() }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOCKED") {
      throw new AppError("database_locked", lockedMessage(dataDir), { detail: { dataDir } });
    }
    throw error;
  }
  const client = new PGlite(path.join(dataDir, "db"));
  try {
    await client.waitReady;
  } catch (error) {
    await release();
    throw new AppError("database_unreadable", `The embedded database in ${dataDir} could not be opened: ${(error as Error).message}.`, {
      cause: error,
    });
  }
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    db,
    kind: "pglite",
    location: dataDir,
    executeSql: pgliteExecuteSql(client),
    close: async () => {
      await client.close();
      await release();
    },
  };
}

/** The plain-English refusal when another process holds the embedded database in `dataDir`. */
export function lockedMessage(dataDir: string): string {
  return `Another Bright Run process is using the embedded database in ${dataDir} (one process at a time can open it). Wait for it to finish or stop it; to run several processes at once, set DATABASE_URL to a PostgreSQL server.`;
}

/** True when the lock's recorded owner is a process of this host that no longer runs. */
function lockOwnerIsGone(ownerPath: string): boolean {
  try {
    const owner = JSON.parse(fs.readFileSync(ownerPath, "utf8")) as { pid: number; hostname: string };
    if (owner.hostname !== os.hostname() || owner.pid === process.pid) return false;
    process.kill(owner.pid, 0);
    // A killed process nobody has reaped yet (a zombie) still answers signal 0 (Linux /proc).
    const stat = fs.readFileSync(`/proc/${owner.pid}/stat`, "utf8");
    return /^\d+ \(.*\) Z /.test(stat);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "****";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
