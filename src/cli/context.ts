/**
 * What every CLI command shares: opening the database (and migrating it), the current user,
 * and printing. `process.exit` is only called in `src/cli/index.ts`.
 */
import type { ArgsDef } from "citty";
import { openDatabase, type DatabaseHandle } from "../server/db/client";
import { migrateDatabase } from "../server/db/migrate";
import { readEngineSettings, readEnv, type EngineSettings, type Env } from "../server/env";
import { requireUser, type Permission, type User } from "../server/auth";
import { resolveCommandWorkspace, WORKSPACE_ENV, type WorkspaceRow } from "../server/workspaces";
import type { NewWorkspaceInput } from "../lib/workspace-slug";

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
}

/**
 * Opens the database named by the environment (DATABASE_URL, else the data directory), brings its
 * schema up to date, checks `permission`, runs `work`, and always closes the database.
 */
export async function withDatabase<T>(
  options: { dataDir?: string; permission: Permission },
  work: (ctx: CommandEnvironment) => Promise<T>,
): Promise<T> {
  const env = readEnv();
  const settings = readEngineSettings();
  const user = await requireUser(options.permission);
  const handle = await openDatabase({ url: env.DATABASE_URL, dataDir: options.dataDir ?? env.BRIGHTRUN_DATA_DIR });
  try {
    await migrateDatabase(handle);
    return await work({ handle, user, env, settings });
  } finally {
    await handle.close();
  }
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

/** Prints to stdout. */
export function say(line = ""): void {
  process.stdout.write(`${line}\n`);
}

/** Prints to stderr (progress, notes), keeping stdout for results. */
export function note(line = ""): void {
  process.stderr.write(`${line}\n`);
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
  return withDatabase(options, async (ctx) => {
    const workspace = await resolveCommandWorkspace(ctx.handle.db, {
      slug: options.workspace,
      env: process.env,
      createIfNone: options.createIfNone,
      allowArchived: options.permission === "read",
    });
    return work({ ...ctx, workspace });
  });
}
