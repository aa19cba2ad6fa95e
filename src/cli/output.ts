/**
 * Where a command's output, exit code, interruptions and relative paths go. In a `brightrun`
 * process: its own stdout, stderr, exit code, Ctrl-C and working directory. In a command the CLI
 * forwarded to the running server (src/server/local-api/cli-session.ts): the CLI's, carried over
 * the local API; the server's own process is never touched. Light on purpose: src/cli/index.ts
 * imports it before any database driver is loaded.
 */
import path from "node:path";
import { getCliSession, type ForwardedVariable } from "../server/local-api/cli-session";

/** Writes `text` as is to the command's stdout. */
export function writeStdout(text: string): void {
  const session = getCliSession();
  if (session) session.write("stdout", text);
  else process.stdout.write(text);
}

/** Writes `text` as is to the command's stderr. */
export function writeStderr(text: string): void {
  const session = getCliSession();
  if (session) session.write("stderr", text);
  else process.stderr.write(text);
}

/** Prints a line to stdout (results). */
export function say(line = ""): void {
  writeStdout(`${line}\n`);
}

/** Prints a line to stderr (progress, notes), keeping stdout for results. */
export function note(line = ""): void {
  writeStderr(`${line}\n`);
}

/** Sets the command's exit code (e.g. 2: finished with failures) without ending it. */
export function setExitCode(code: number): void {
  const session = getCliSession();
  if (session) session.exitCode = code;
  else process.exitCode = code;
}

/** The exit code set so far (0 when none was set). */
export function exitCodeSoFar(): number {
  const session = getCliSession();
  const code = session ? session.exitCode : process.exitCode;
  return typeof code === "number" ? code : 0;
}

/** True when stderr is a terminal a progress bar can redraw (never for a forwarded command: its output is a stream of lines). */
export function stderrIsTerminal(): boolean {
  return getCliSession() ? false : Boolean(process.stderr.isTTY);
}

/**
 * Calls `handler` once when the user interrupts the command: Ctrl-C in a CLI process, the CLI
 * going away for a forwarded command (its Ctrl-C closes the connection).
 * @returns a function that stops listening
 */
export function onInterrupt(handler: () => void): () => void {
  const session = getCliSession();
  if (session) {
    if (session.signal.aborted) {
      handler();
      return () => undefined;
    }
    session.signal.addEventListener("abort", handler, { once: true });
    return () => session.signal.removeEventListener("abort", handler);
  }
  process.once("SIGINT", handler);
  return () => process.removeListener("SIGINT", handler);
}

/**
 * A path the user typed, made absolute against the directory they typed it in (the CLI's working
 * directory, also for a command run in the server).
 */
export function resolveUserPath(typed: string): string {
  return path.resolve(getCliSession()?.cwd ?? process.cwd(), typed);
}

/** A variable of the CLI user's shell (for a forwarded command: the CLI's value, never the server's). */
export function readCliVariable(name: ForwardedVariable): string | undefined {
  const session = getCliSession();
  return session ? session.env[name] : process.env[name];
}
