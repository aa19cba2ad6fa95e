/**
 * What a test or benchmark needs to start a Bright Run process (the web server, the CLI): a clean
 * environment — the caller's without anything that would change which database, provider, port or
 * mode the child uses — and a free port. Shared by the browser tests, the web-start test and
 * bench:table --render.
 */
import { execFile, spawnSync } from "node:child_process";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/** The `brightrun` binary of this checkout. */
export const BRIGHTRUN_BIN = fileURLToPath(new URL("../../bin/brightrun.mjs", import.meta.url));

/** What a `brightrun` run printed and how it ended (code null when it was killed, -1 when it did not start). */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `brightrun` binary with `args` and waits for it; this process is blocked meanwhile. */
export function runBrightrun(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): CliResult {
  const result = spawnSync(process.execPath, [BRIGHTRUN_BIN, ...args], { cwd: options.cwd, env: options.env, encoding: "utf8", timeout: options.timeoutMs ?? 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the real `brightrun` binary without blocking this process (which may be serving the command: a server, a local API). */
export async function runBrightrunAsync(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BRIGHTRUN_BIN, ...args], { cwd: options.cwd, env: options.env, timeout: options.timeoutMs ?? 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout: string; stderr: string };
    return { code: typeof failed.code === "number" ? failed.code : -1, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Variables removed: database, provider and price settings, worker / sample switches, Node mode flags, port. */
export const APP_ENV_VARIABLES = [
  "DATABASE_URL",
  "TEST_DATABASE_URL",
  "BRIGHTRUN_TEST_DB",
  "ANTHROPIC_API_KEY",
  "ANTHROPIC_BASE_URL",
  "OPENAI_API_KEY",
  "OPENAI_BASE_URL",
  "BRIGHTRUN_PROVIDER",
  "BRIGHTRUN_MODEL",
  "BRIGHTRUN_PRICES",
  "BRIGHTRUN_WORKER",
  "BRIGHTRUN_NO_SAMPLE",
  "BRIGHTRUN_LLM_TIMEOUT_MS",
  "NODE_ENV",
  "NODE_OPTIONS",
  "PORT",
] as const;

/** `process.env` without APP_ENV_VARIABLES, then `extra` on top. */
export function cleanAppEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of APP_ENV_VARIABLES) delete env[key];
  return { ...env, ...extra };
}

/** A TCP port nobody listens on right now (127.0.0.1). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
