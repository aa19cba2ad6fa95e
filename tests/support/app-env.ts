/**
 * The environment for a Bright Run process a test or benchmark starts (the web server, the CLI):
 * the caller's environment without anything that would change which database, provider, port or
 * mode the child uses, plus `extra`. Shared by the browser tests and bench:table --render.
 */

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
