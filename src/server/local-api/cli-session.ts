import "server-only";
/**
 * The CLI session: what a `brightrun` command forwarded to the running server (the local API,
 * docs/cli-beside-the-server.md) sees instead of its own process. A command normally prints to
 * process.stdout, opens the database, takes the user from the environment and sets the exit code
 * of its process; run inside the server it must do none of these to the server's process. The
 * seams (src/cli/output.ts, `withDatabase` in src/cli/context.ts, `requireUser` in
 * src/server/auth.ts) ask `getCliSession()` first.
 *
 * The store is an AsyncLocalStorage kept on globalThis under a registered symbol: Next.js bundles a
 * module once per entry (instrumentation, route handlers), and every copy must find the same store.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { DatabaseHandle } from "../db/client";
import type { StartedWorker } from "../runs/start-worker";

/**
 * Variables of the CLI user's shell that a forwarded command sees (the server's own never leak in).
 * BRIGHTRUN_OWNER_PASSWORD is `users create-owner`'s password; it travels over the loopback local
 * API with the command's arguments, never to a log.
 */
export const FORWARDED_VARIABLES = ["BRIGHTRUN_WORKSPACE", "BRIGHTRUN_OWNER_PASSWORD"] as const;
export type ForwardedVariable = (typeof FORWARDED_VARIABLES)[number];

export interface CliSession {
  /** The server's open database handle (never closed by the command). */
  handle: DatabaseHandle;
  /** The server's running generation worker, or null when it runs none (BRIGHTRUN_WORKER=0, failed to start). */
  worker: StartedWorker | null;
  /** The CLI user's name; `requireUser` takes it instead of the server process's user. */
  userName: string;
  /** The CLI's working directory (absolute): relative paths in the command are resolved against it. */
  cwd: string;
  /** The forwarded variables the CLI's shell had set (absent = unset there). */
  env: Partial<Record<ForwardedVariable, string>>;
  /** Aborted when the CLI goes away (Ctrl-C, closed connection) or the server stops. */
  signal: AbortSignal;
  /** Sends text (newlines included) to the CLI's stdout or stderr. Never throws. */
  write(stream: "stdout" | "stderr", text: string): void;
  /** The command's exit code so far (set through `setExitCode` in src/cli/output.ts). */
  exitCode?: number;
}

const KEY = Symbol.for("brightrun.cliSession");

function store(): AsyncLocalStorage<CliSession> {
  const holder = globalThis as unknown as Record<symbol, AsyncLocalStorage<CliSession> | undefined>;
  holder[KEY] ??= new AsyncLocalStorage<CliSession>();
  return holder[KEY];
}

/** The session of the forwarded command running in this async context, or undefined in a plain CLI process (and in web requests). */
export function getCliSession(): CliSession | undefined {
  return store().getStore();
}

/** Runs `fn` with `session` as the CLI session of everything it awaits or schedules. */
export function runInCliSession<T>(session: CliSession, fn: () => Promise<T>): Promise<T> {
  return store().run(session, fn);
}
