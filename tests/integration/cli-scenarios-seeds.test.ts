/**
 * The CLI doors of issue 10 items 3 and 4, run as a user runs them (the real binary, a fresh
 * database): `brightrun seeds import` reads OpenAI chat JSONL through the same core parser as the
 * Seeds page (the same line-numbered problems), `brightrun seeds list` shows the new seed, and
 * `brightrun scenarios list|favourite|archive|repoint` use the library's rules (a generated
 * conversation keeps its scenario, with the same reason the web gives).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repointRefusal } from "../../src/core/scenarios/scenario-rules";
import { runBrightrun } from "../support/app-process";
import { createTestDatabaseUrl, testDatabaseKind } from "../support/test-database";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-cli-scenarios-"));
let database: Awaited<ReturnType<typeof createTestDatabaseUrl>> = null;

function brightrun(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, BRIGHTRUN_DATA_DIR: path.join(work, "data"), DATABASE_URL: database?.url ?? "", BRIGHTRUN_WORKSPACE: "" };
  return runBrightrun(args, { cwd: work, env });
}

const MAP = ["--persona", "anxious-first-time-investor", "--arc", "anxiety-to-relief", "--topic", "emergency-fund", "--intent", "get-reassurance", "--tone", "warm-reassuring"];

describe(`brightrun seeds and scenarios (${testDatabaseKind()})`, { timeout: 420_000 }, () => {
  beforeAll(async () => {
    database = await createTestDatabaseUrl();
    const imported = brightrun("import", SAMPLE);
    expect(imported.code, imported.stderr).toBe(0);
    const planned = brightrun("plan", "--template", "0", "--scenario", "4", "--edge-case", "0");
    expect(planned.code, planned.stderr).toBe(0);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("imports OpenAI chat JSONL seeds with the taxonomy given, and refuses a broken file naming the line", () => {
    fs.writeFileSync(
      path.join(work, "seeds.jsonl"),
      `${JSON.stringify({ messages: [{ role: "user", content: "Is it silly to keep cash when markets are up?" }, { role: "assistant", content: "Not at all: an emergency fund is insurance, not an investment." }] })}\n`,
    );
    const ok = brightrun("seeds", "import", "seeds.jsonl", ...MAP);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Imported seeds\.jsonl \(OpenAI chat JSONL\): 1 new seed \(seed-011\)/);
    const listed = brightrun("seeds", "list");
    expect(listed.stdout).toMatch(/11 seeds \(locked\)/);
    expect(listed.stdout).toMatch(/seed-011 .*Is it silly to keep cash when markets are up\?/);

    fs.writeFileSync(path.join(work, "broken.jsonl"), `${JSON.stringify({ messages: [{ role: "user", content: "Hi" }] })}\n`);
    const broken = brightrun("seeds", "import", "broken.jsonl", ...MAP);
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toMatch(/No seed was imported from broken\.jsonl/);
    expect(broken.stderr).toMatch(/line 1: it has only 1 turn/);
    const missing = brightrun("seeds", "import", "seeds.jsonl", "--persona", "anxious-first-time-investor");
    expect(missing.stderr).toMatch(/add --arc KEY --topic KEY --intent KEY --tone KEY/);
  });

  it("lists, stars and archives scenarios, and re-points only a planned conversation", () => {
    const list = brightrun("scenarios", "list", "--json");
    expect(list.code, list.stderr).toBe(0);
    const scenarios = JSON.parse(list.stdout) as Array<{ key: string; used_by: number; favourite: boolean }>;
    expect(scenarios.reduce((sum, s) => sum + s.used_by, 0)).toBeGreaterThanOrEqual(4);
    const unused = scenarios.find((s) => s.used_by === 0) ?? scenarios[scenarios.length - 1];

    expect(brightrun("scenarios", "favourite", unused.key).stdout).toMatch(/^Starred/);
    expect((JSON.parse(brightrun("scenarios", "list", "--json").stdout) as typeof scenarios)[0].key).toBe(unused.key);

    const moved = brightrun("scenarios", "repoint", "scen-001", unused.key);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toMatch(/^scen-001 now uses "/);

    const seed = brightrun("scenarios", "repoint", "seed-001", unused.key);
    expect(seed.code).not.toBe(0);
    expect(seed.stderr).toContain(repointRefusal({ conversationId: "seed-001", status: "approved", isSeed: true }));

    expect(brightrun("scenarios", "archive", unused.key).stdout).toMatch(/no longer planned/);
    expect((JSON.parse(brightrun("scenarios", "list", "--json").stdout) as typeof scenarios).map((s) => s.key)).not.toContain(unused.key);
    expect(brightrun("scenarios", "list", "--archived").stdout).toContain(unused.key);
  });
});
