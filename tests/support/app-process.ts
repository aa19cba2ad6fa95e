/**
 * What a test or benchmark needs to start a Bright Run process (the web server, the CLI): a clean
 * environment — the caller's without anything that would change which database, provider, port or
 * mode the child uses — and a free port. Shared by the browser tests, the web-start test and
 * bench:table --render.
 */
import net from "node:net";

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
