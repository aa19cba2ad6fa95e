/**
 * `brightrun plan` as a user runs it (issue 10 item 5): the real binary with raw arguments on a
 * fresh data directory with the sample business: `--split`, its checks, `--remove-unplanned`
 * (only with --yes) and `--fill-missing`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanAppEnv, runBrightrunAsync } from "../support/app-process";
import { createTestDatabaseUrl, testDatabaseKind } from "../support/test-database";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-cli-plan-"));
let database: Awaited<ReturnType<typeof createTestDatabaseUrl>> = null;

function brightrun(...args: string[]) {
  return runBrightrunAsync(args, { cwd: work, env: cleanAppEnv({ BRIGHTRUN_DATA_DIR: path.join(work, "data"), DATABASE_URL: database?.url ?? "", BRIGHTRUN_USER: "planner" }) });
}

describe(`brightrun plan (${testDatabaseKind()})`, { timeout: 180_000 }, () => {
  beforeAll(async () => {
    database = await createTestDatabaseUrl();
    const init = await brightrun("init", "--sample", "financial-planning");
    expect(init.code, init.stderr).toBe(0);
  });

  afterAll(async () => {
    await database?.drop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("plans a custom split, refuses one that disagrees with --total, and adds only what is missing when run again", async () => {
    const bad = await brightrun("plan", "--split", "10/6/3", "--total", "20");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("The tiers add up to 19, not 20: change --split or --total so they match.");
    const malformed = await brightrun("plan", "--split", "10-6-4");
    expect(malformed.stderr).toContain('--split takes three whole numbers, template/scenario/edge-case, e.g. --split 20/15/5 (got "10-6-4").');

    const plan = await brightrun("plan", "--split", "10/6/4");
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("Plan: Template 10 / Scenario 6 / Edge case 4 = 20 conversations.");
    expect(plan.stdout).toContain("20 new slots created, 0 already planned.");
    // Without flags it plans the saved split again: nothing to add.
    const again = await brightrun("plan");
    expect(again.stdout).toContain("0 new slots created, 20 already planned.");
  });

  it("removes the slots never generated only with --yes, and fills the missing combinations", async () => {
    const refused = await brightrun("plan", "--remove-unplanned");
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("add --yes to confirm");
    const removed = await brightrun("plan", "--remove-unplanned", "--yes");
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain("Removed 20 slots not generated yet.");
    expect(removed.stdout).not.toContain("new slots created");

    const filled = await brightrun("plan", "--fill-missing");
    expect(filled.code, filled.stderr).toBe(0);
    expect(filled.stdout).toMatch(/Filled missing combinations: 100 template slots added for \d+ missing; \d+ still missing, run --fill-missing again\./);
  });
});
