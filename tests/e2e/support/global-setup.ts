/**
 * Playwright globalSetup: starts ONE app server (with its fake LLM) for the whole suite and hands
 * its addresses to the test workers through environment variables, which workers inherit:
 * BRIGHTRUN_E2E_BASE_URL and BRIGHTRUN_E2E_FAKE_LLM_CONTROL (read by fixtures.ts), and
 * BRIGHTRUN_E2E_DATA_DIR (the server's data directory, for `brightrun` run beside it).
 * The returned function is the global teardown: it stops the server and the fake LLM.
 *
 * Setting BRIGHTRUN_E2E_BASE_URL before running points the suite at a server already running
 * (then nothing is started, and `fakeLlm` is unavailable unless BRIGHTRUN_E2E_FAKE_LLM_CONTROL is set too).
 */
import type { FullConfig } from "@playwright/test";
import { E2E_OWNER, OWNER_STORAGE_STATE, startAppServer, writeSignedInState } from "./app-server";

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  if (process.env.BRIGHTRUN_E2E_BASE_URL) return async () => undefined;
  const started = Date.now();
  const app = await startAppServer();
  process.env.BRIGHTRUN_E2E_BASE_URL = app.baseURL;
  process.env.BRIGHTRUN_E2E_FAKE_LLM_CONTROL = app.fakeLlmControlUrl;
  // Specs that prepare data with the `brightrun` binary run it beside the server on this directory.
  process.env.BRIGHTRUN_E2E_DATA_DIR = app.dataDir;
  // Every spec's browser starts signed in as the installation owner (playwright.config.ts storageState).
  await writeSignedInState(app.baseURL, E2E_OWNER, OWNER_STORAGE_STATE);
  console.log(`[e2e] app server at ${app.baseURL} (fake LLM ${app.fakeLlmUrl}), ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return async () => {
    await app.stop();
    delete process.env.BRIGHTRUN_E2E_BASE_URL;
    delete process.env.BRIGHTRUN_E2E_FAKE_LLM_CONTROL;
    delete process.env.BRIGHTRUN_E2E_DATA_DIR;
  };
}
