/**
 * `brightrun coverage recommendations` (issue 13 item 2): the real binary on a fresh data directory
 * with the sample business and a small plan prints the Coverage page's recommendations (the same
 * server function), as text and as JSON.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanAppEnv, runBrightrunAsync } from "../support/app-process";
import { createTestDatabaseUrl, testDatabaseKind } from "../support/test-database";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-cli-coverage-"));
let database: Awaited<ReturnType<typeof createTestDatabaseUrl>> = null;

function brightrun(...args: string[]) {
  return runBrightrunAsync(args, { cwd: work, env: cleanAppEnv({ BRIGHTRUN_DATA_DIR: path.join(work, "data"), DATABASE_URL: database?.url ?? "", BRIGHTRUN_USER: "planner" }) });
}

describe(`brightrun coverage recommendations (${testDatabaseKind()})`, { timeout: 180_000 }, () => {
  beforeAll(async () => {
    database = await createTestDatabaseUrl();
    const init = await brightrun("init", "--sample", "financial-planning");
    expect(init.code, init.stderr).toBe(0);
  });

  afterAll(async () => {
    await database?.drop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("prints the top 5 thin combinations with their count and the recommended range, and the same as JSON", async () => {
    const text = await brightrun("coverage", "recommendations");
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^\d+ of 350 persona \+ emotional arc \+ topic combinations have fewer than 3 conversations/m);
    const lines = text.stdout.split("\n").filter((l) => l.startsWith("  "));
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).toMatch(/^ {2}.+ \+ .+ \+ .+: \d+ conversations? · recommended 3–5 \(plans [123]\)$/);

    const json = await brightrun("coverage", "recommendations", "--json", "--dismissed");
    expect(json.code, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as { combinations: number; open: Array<{ key: string; count: number; to_plan: number; recommended_min: number; recommended_max: number }>; dismissed: unknown[] };
    expect(parsed.combinations).toBe(350);
    expect(parsed.open).toHaveLength(5);
    expect(parsed.open.every((r) => r.recommended_min === 3 && r.recommended_max === 5 && r.to_plan === 3 - r.count)).toBe(true);
    expect(parsed.dismissed).toEqual([]);
  });
});
