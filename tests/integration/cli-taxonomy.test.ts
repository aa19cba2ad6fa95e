/**
 * `brightrun taxonomy export [--out FILE]` (issue 10, item 1), run as a user runs it: the real
 * binary on a fresh database. The file it writes is the one `brightrun import` reads: imported into
 * another fresh database and exported again, it comes back the same.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBrightrun } from "../support/app-process";
import { createTestDatabaseUrl, testDatabaseKind } from "../support/test-database";

const SAMPLE_TAXONOMY = path.resolve(__dirname, "../../examples/financial-planning/taxonomy.json");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-cli-taxonomy-"));
let first: Awaited<ReturnType<typeof createTestDatabaseUrl>> = null;
let second: Awaited<ReturnType<typeof createTestDatabaseUrl>> = null;

function brightrun(database: "first" | "second", ...args: string[]) {
  const url = (database === "first" ? first : second)?.url ?? "";
  const env: NodeJS.ProcessEnv = { ...process.env, BRIGHTRUN_DATA_DIR: path.join(work, database), DATABASE_URL: url };
  return runBrightrun(args, { cwd: work, env });
}

describe(`brightrun taxonomy export (${testDatabaseKind()})`, { timeout: 300_000 }, () => {
  beforeAll(async () => {
    first = await createTestDatabaseUrl();
    second = await createTestDatabaseUrl();
  });
  afterAll(async () => {
    await first?.drop();
    await second?.drop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("writes the workspace's taxonomy as the file brightrun import reads, and says so", () => {
    const empty = brightrun("first", "workspaces", "create", "Round trip");
    expect(empty.code, empty.stderr).toBe(0);
    const nothing = brightrun("first", "taxonomy", "export");
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain("This workspace has no taxonomy to export yet.");

    expect(brightrun("first", "import", SAMPLE_TAXONOMY).code).toBe(0);
    const written = brightrun("first", "taxonomy", "export", "--out", "exported.json");
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout + written.stderr).toMatch(/Wrote exported\.json: 7 personas, 5 emotional arcs, 10 topics, .*4 outcomes/);
    const exported = JSON.parse(fs.readFileSync(path.join(work, "exported.json"), "utf8"));
    const original = JSON.parse(fs.readFileSync(SAMPLE_TAXONOMY, "utf8"));
    expect(exported.personas.map((p: { key: string }) => p.key).sort()).toEqual(original.personas.map((p: { key: string }) => p.key).sort());
    expect(exported.outcomes).toEqual([...original.outcomes].sort((a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key)));

    // A fresh database: import creates its workspace, as it does for a new user.
    const imported = brightrun("second", "import", "exported.json");
    expect(imported.code, imported.stderr).toBe(0);
    const again = brightrun("second", "taxonomy", "export");
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(exported);
  });
});
