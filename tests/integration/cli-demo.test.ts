import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateExportContent } from "../../src/core/export/validate";
import { createTestDatabaseUrl, testDatabaseKind } from "../support/test-database";
import { runBrightrun } from "../support/app-process";

const ROOT = path.resolve(__dirname, "../..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-demo-"));
let database: Awaited<ReturnType<typeof createTestDatabaseUrl>> = null;

/** Runs the real `brightrun` binary on the embedded database in a temp folder. */
function brightrun(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, BRIGHTRUN_DATA_DIR: path.join(work, "data"), DATABASE_URL: database?.url ?? "" };
  for (const key of ["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIGHTRUN_PROVIDER", "BRIGHTRUN_MODEL"]) delete env[key];
  return runBrightrun(args, { cwd: work, env, timeoutMs: 300_000 });
}

// Each test starts the real CLI several times (a process each): on a busy 2-core machine that alone can take a minute.
describe(`the brightrun CLI, end to end on a temp folder (${testDatabaseKind()})`, { timeout: 180_000 }, () => {
  beforeAll(async () => {
    database = await createTestDatabaseUrl();
  });
  afterAll(async () => {
    fs.rmSync(work, { recursive: true, force: true });
    await database?.drop();
  });

  it("runs the demo: 90 planned, at least 85 generated, an export whose last printed line is a valid OpenAI file", () => {
    const demo = brightrun("demo");
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout + demo.stderr).toMatch(/simulated \(NOT a language model/);
    const exportPath = demo.stdout.trim().split("\n").at(-1) as string;
    expect(fs.existsSync(exportPath)).toBe(true);
    expect(validateExportContent("openai", fs.readFileSync(exportPath, "utf8"))).toEqual([]);

    const status = JSON.parse(brightrun("status", "--json").stdout);
    expect(status.total).toBe(100); // 90 planned + 10 seeds
    const generatedOrReviewed = status.by_status.generated + status.by_status.approved + status.by_status.rejected - status.seeds;
    expect(generatedOrReviewed).toBeGreaterThanOrEqual(85);
    expect(status.by_tier).toEqual({ template: 40 + 10 - countNonTemplateSeeds(), scenario: 35 + countSeedsOfTier("scenario"), edge_case: 15 + countSeedsOfTier("edge_case") });
  });

  it("runs the demo again without duplicating anything", () => {
    const before = JSON.parse(brightrun("status", "--json").stdout);
    const again = brightrun("demo");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/0 new slots, 90 already planned/);
    const after = JSON.parse(brightrun("status", "--json").stdout);
    expect(after).toEqual(before);
  });

  it("answers --help for every command and fails plainly on bad input", () => {
    for (const command of ["init", "import", "plan", "generate", "review", "delete", "export", "status", "demo"]) {
      const help = brightrun(command, "--help");
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toMatch(/USAGE/);
    }
    const bad = brightrun("export", "--format", "csv");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--format must be one of openai, anthropic, sharegpt, hf, json/);
    const missing = brightrun("import", path.join(work, "does-not-exist"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no such file or folder/);
  });
});

function seedTiers(): string[] {
  const seeds = JSON.parse(fs.readFileSync(path.join(ROOT, "examples/financial-planning/seed-conversations.json"), "utf8"));
  return seeds.conversations.map((c: { tier?: string }) => c.tier ?? "template");
}
function countSeedsOfTier(tier: string): number {
  return seedTiers().filter((t) => t === tier).length;
}
function countNonTemplateSeeds(): number {
  return seedTiers().filter((t) => t !== "template").length;
}
