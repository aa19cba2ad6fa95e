/**
 * Browser tests (tests/e2e, docs/browser-tests.md): Playwright driving Debian's Chromium
 * (/usr/bin/chromium; Playwright's own browser downloads are not used). One app server for the
 * whole suite, started by tests/e2e/support/global-setup.ts on a fresh database with a fake LLM.
 *
 * The specs share that server's data and run in file order, one at a time (workers: 1): the
 * numbered file names are the order of the story (filter → generate → review → … → export).
 *
 * Reporters: list on the terminal, HTML into playwright-report/, and JSON into
 * $BRIGHTRUN_E2E_JSON_REPORT when set (scripts/test.mjs counts passes and failures from it).
 */
import { defineConfig, type ReporterDescription } from "@playwright/test";

const reporter: ReporterDescription[] = [["list"], ["html", { outputFolder: "playwright-report", open: "never" }]];
if (process.env.BRIGHTRUN_E2E_JSON_REPORT) reporter.push(["json", { outputFile: process.env.BRIGHTRUN_E2E_JSON_REPORT }]);

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
  outputDir: "test-results",
  globalSetup: "./tests/e2e/support/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  /** Per test, ms: generation runs against the fake LLM take seconds, page loads on 2 cores can be slow. */
  timeout: 120_000,
  expect: { timeout: 15_000 },
  /** The whole run, server start included (a stale build makes start.mjs rebuild first). */
  globalTimeout: 30 * 60_000,
  reporter,
  use: {
    // Signed in as the installation owner (written by global-setup.ts; specs of other roles open contexts of their own).
    storageState: "test-results/.auth/owner.json",
    // The base URL is only known once global-setup has started the server: fixtures.ts sets it.
    viewport: { width: 1366, height: 768 },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    video: "off",
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
});
