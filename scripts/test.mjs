#!/usr/bin/env node
// `npm test`: the whole Vitest suite on the embedded database (PGlite), then the integration
// tests again on PostgreSQL when TEST_DATABASE_URL is set (CI sets it), then the browser tests
// (Playwright in Debian's Chromium, docs/browser-tests.md). Ends with one plain
// "N passed, N failed" line summing all runs.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-test-"));
const runs = [{ label: "PGlite", env: { BRIGHTRUN_TEST_DB: "pglite" }, paths: [] }];
if (process.env.TEST_DATABASE_URL) {
  runs.push({ label: "PostgreSQL", env: { BRIGHTRUN_TEST_DB: "postgres" }, paths: ["tests/integration"] });
} else {
  console.log("TEST_DATABASE_URL is not set: integration tests run on PGlite only.");
}

let passed = 0;
let failed = 0;
let ok = true;
for (const [index, run] of runs.entries()) {
  const outputFile = path.join(outDir, `results-${index}.json`);
  console.log(`\n== Vitest on ${run.label} ==`);
  const result = spawnSync(
    process.execPath,
    ["node_modules/vitest/vitest.mjs", "run", ...run.paths, "--reporter=default", "--reporter=json", `--outputFile.json=${outputFile}`],
    { stdio: "inherit", env: { ...process.env, ...run.env } },
  );
  if (result.status !== 0) ok = false;
  try {
    const report = JSON.parse(fs.readFileSync(outputFile, "utf8"));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    if (report.numTotalTests === 0) ok = false;
  } catch {
    ok = false;
    console.error(`No test report from the ${run.label} run.`);
  }
}

// Browser tests: one app server on a fresh database with a fake LLM (playwright.config.ts). They need
// the web build (`npm run build`; scripts/start.mjs builds it when missing) and /usr/bin/chromium.
const CHROMIUM = "/usr/bin/chromium";
if (!fs.existsSync(CHROMIUM) && !process.env.CI) {
  console.log(`\n== Browser tests skipped: ${CHROMIUM} is missing. Install it with \`apt-get install chromium\` (CI installs it and requires it).`);
} else if (!fs.existsSync(CHROMIUM)) {
  ok = false;
  console.error(`\n== Browser tests: ${CHROMIUM} is missing; CI must install it (.ci/run does: apt-get install -y chromium).`);
} else {
  const outputFile = path.join(outDir, "e2e-results.json");
  console.log("\n== Browser tests (Playwright, Chromium) ==");
  const result = spawnSync(process.execPath, ["node_modules/@playwright/test/cli.js", "test"], {
    stdio: "inherit",
    env: { ...process.env, BRIGHTRUN_E2E_JSON_REPORT: outputFile },
  });
  if (result.status !== 0) ok = false;
  try {
    const report = JSON.parse(fs.readFileSync(outputFile, "utf8"));
    // stats.expected: passed; unexpected: failed; flaky: passed on a retry (retries are off).
    passed += report.stats.expected + report.stats.flaky;
    failed += report.stats.unexpected;
    if (report.stats.expected + report.stats.unexpected + report.stats.flaky === 0) ok = false;
    if ((report.errors ?? []).length > 0) ok = false; // e.g. the app server did not start
  } catch {
    ok = false;
    console.error("No test report from the browser tests.");
  }
}

fs.rmSync(outDir, { recursive: true, force: true });
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
