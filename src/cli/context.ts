/**
 * What every CLI command shares: opening the database (and migrating it), the current user,
 * and printing. `process.exit` is only called in `src/cli/index.ts`.
 *
 * A command may run in its own process (the usual case) or inside the server that holds the
 * embedded database, forwarded there by the CLI (src/cli/forward-to-server.ts). The seams that
 * make the difference: `withDatabase` (the server's handle instead of opening one) and the
 * printing, exit code, interrupt and path helpers of ./output.
 */
import type { ArgsDef } from "citty";
import { AppError, isAppError } from "../core/errors";
import { lockedMessage, openDatabase, resolveDataDir, type DatabaseHandle } from "../server/db/client";
import { migrateDatabase } from "../server/db/migrate";
import { readEngineSettings, readEnv, type EngineSettings, type Env } from "../server/env";
import { localOwner, requireUser, runAsPrincipal, type Permission, type Principal, type User } from "../server/auth";
import { installationOwnerId, needsSetup, userForToken } from "../server/accounts/accounts";
import { resolveCommandWorkspace, WORKSPACE_ENV, type WorkspaceRow } from "../server/workspaces";
import type { NewWorkspaceInput } from "../lib/workspace-slug";
import { removeLocalApiFile } from "../server/local-api/api-file";
import { getCliSession } from "../server/local-api/cli-session";
import type { StartedWorker } from "../server/runs/start-worker";
import { findRunningServer, findServerHoldingDatabase, ForwardToServer } from "./forward-to-server";
import { readCliVariable } from "./output";

export { note, onInterrupt, readCliVariable, resolveUserPath, say, setExitCode, stderrIsTerminal, writeStderr, writeStdout } from "./output";

/** Arguments every command accepts. */
export const commonArgs = {
  "data-dir": {
    type: "string",
    description: "Folder of the embedded database (default: $BRIGHTRUN_DATA_DIR or ./.brightrun). Ignored when DATABASE_URL is set.",
    valueHint: "DIR",
  },
  workspace: {
    type: "string",
    description: `The workspace (its short name, as in the web address /w/SLUG) to work in. Default: $${WORKSPACE_ENV}, else the only one there is.`,
    valueHint: "SLUG",
  },
} as const satisfies ArgsDef;

export interface CommandEnvironment {
  handle: DatabaseHandle;
  user: User;
  env: Env;
  /** The generation engine's settings from the environment (validated before the database opens). */
  settings: EngineSettings;
  /**
   * The server's running generation worker when this command runs inside the server (forwarded by
   * the CLI), else null. Generating commands hand their runs to it instead of starting a second
   * worker on the same embedded database.
   */
  worker: StartedWorker | null;
}

/**
 * Opens the database named by the environment (DATABASE_URL, else the data directory), brings its
 * schema up to date, checks `permission`, runs `work`, and always closes the database.
 *
 * Inside the server (a forwarded command) it uses the server's open handle, already migrated, and
 * leaves it open. With the embedded database held by a running server that has a local API, it
 * throws ForwardToServer and `runCli` sends the command there.
 * @throws AppError "forbidden" from requireUser; "database_locked" when another process holds the
 *   embedded database and no server answers for it; ForwardToServer (see above)
 */
export async function withDatabase<T>(
  options: { dataDir?: string; permission: Permission },
  work: (ctx: CommandEnvironment) => Promise<T>,
): Promise<T> {
  const env = readEnv();
  const settings = readEngineSettings();
  const session = getCliSession();
  if (session) {
    const user = await requireUser(options.permission);
    return work({ handle: session.handle, user, env, settings, worker: session.worker });
  }
  let handle: DatabaseHandle;
  const dataDir = resolveDataDir(options.dataDir ?? env.BRIGHTRUN_DATA_DIR);
  if (!env.DATABASE_URL) {
    // A running server first, without touching its lock (see findRunningServer).
    const server = await findRunningServer(dataDir);
    if (server) {
      const refusal = new AppError("database_locked", lockedMessage(dataDir), { detail: { dataDir } });
      throw new ForwardToServer(server, dataDir, refusal);
    }
  }
  try {
    handle = await openDatabase({ url: env.DATABASE_URL, dataDir });
  } catch (error) {
    if (!env.DATABASE_URL && isAppError(error) && error.code === "database_locked") {
      const server = findServerHoldingDatabase(dataDir);
      if (server) throw new ForwardToServer(server, dataDir, error);
    }
    throw error;
  }
  // Holding the lock, any local API file here was left by a server that is gone.
  if (handle.kind === "pglite") removeLocalApiFile(handle.location);
  try {
    await migrateDatabase(handle);
    const principal = await cliPrincipal(handle, process.env.BRIGHTRUN_TOKEN);
    return await runAsPrincipal(principal, async () => {
      const user = await requireUser(options.permission);
      return work({ handle, user, env, settings, worker: null });
    });
  } finally {
    await handle.close();
  }
}

/**
 * Who a CLI command runs as (docs/accounts.md): the account of `BRIGHTRUN_TOKEN` when set; else,
 * on the embedded database, the local owner (whoever can read the data directory owns it); on
 * PostgreSQL, the local owner only while no account exists yet (a fresh install).
 * @throws AppError "token_invalid" for a bad token; "unauthenticated" on PostgreSQL with accounts and no token
 */
export async function cliPrincipal(handle: DatabaseHandle, token: string | undefined): Promise<Principal> {
  if (token?.trim()) {
    const account = await userForToken(handle.db, token);
    const ownerId = await installationOwnerId(handle.db);
    return { id: account.id, displayName: account.name, email: account.email, isInstallationOwner: account.id === ownerId, kind: "account" };
  }
  if (handle.kind === "pglite" || (await needsSetup(handle.db))) return localOwner();
  throw new AppError(
    "unauthenticated",
    "This database has accounts, so the CLI needs to know who you are: create a personal access token on your Account page in the web app and set BRIGHTRUN_TOKEN to it.",
  );
}

/** Parses a comma- or space-separated list flag ("template,scenario"). */
export function listArg(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

/** Positional arguments after the command's own (citty puts them in `args._`). */
export function positionals(args: { _: string[] }, skip = 0): string[] {
  return args._.slice(skip).filter((a) => a.trim() !== "");
}

/** "1,234" */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** "$0.0123" for small amounts, "$12.34" otherwise. */
export function formatUsd(usd: number): string {
  return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** What a command working inside one workspace gets. */
export interface WorkspaceCommandEnvironment extends CommandEnvironment {
  workspace: WorkspaceRow;
}

/**
 * withDatabase, then the workspace the command works in (resolveCommandWorkspace: `--workspace`,
 * else $BRIGHTRUN_WORKSPACE, else the only one). Commands that only read may use an archived
 * workspace; the others are refused in it. With `createIfNone`, a fresh database gets that workspace.
 * @throws AppError "workspace_not_found", "workspace_ambiguous", "workspace_archived", and withDatabase's errors
 */
export async function withWorkspace<T>(
  options: { dataDir?: string; workspace?: string; permission: Permission; createIfNone?: NewWorkspaceInput & { isSample?: boolean } },
  work: (ctx: WorkspaceCommandEnvironment) => Promise<T>,
): Promise<T> {
  return withDatabase({ ...options, permission: "read" }, async (ctx) => {
    const workspace = await resolveCommandWorkspace(ctx.handle.db, {
      slug: options.workspace,
      // The user's own value when the command was forwarded to the server (src/cli/output.ts).
      env: { [WORKSPACE_ENV]: readCliVariable(WORKSPACE_ENV) },
      createIfNone: options.createIfNone,
      allowArchived: options.permission === "read",
    });
    // The role in this workspace (withDatabase checked only that someone is signed in).
    const user = await requireUser(options.permission, { workspaceId: workspace.id, db: ctx.handle.db });
    return work({ ...ctx, user, workspace });
  });
}
