/**
 * `brightrun seeds use-as-template | variations | list` (issue 11 item 7) as a user runs them: the
 * real binary on a fresh database with the sample business; variations generated with the simulated
 * composer (no key configured), then compared with their seed in `seeds list --json`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBrightrun } from "../support/app-process";
import { createTestDatabaseUrl, testDatabaseKind } from "../support/test-database";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-cli-seed-templates-"));
let database: Awaited<ReturnType<typeof createTestDatabaseUrl>> = null;

function brightrun(...args: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BRIGHTRUN_DATA_DIR: path.join(work, "data"),
    DATABASE_URL: database?.url ?? "",
    BRIGHTRUN_WORKSPACE: "",
    ANTHROPIC_API_KEY: "",
    OPENAI_API_KEY: "",
  };
  return runBrightrun(args, { cwd: work, env });
}

describe(`brightrun seeds use-as-template and variations (${testDatabaseKind()})`, { timeout: 420_000 }, () => {
  beforeAll(async () => {
    database = await createTestDatabaseUrl();
    const imported = brightrun("import", SAMPLE);
    expect(imported.code, imported.stderr).toBe(0);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("makes a draft template from a seed, plans variations from it, generates them and compares them with the seed", () => {
    const made = brightrun("seeds", "use-as-template", "seed-001", "--name", "Like the 401(k) seed", "--json");
    expect(made.code, made.stderr).toBe(0);
    const template = JSON.parse(made.stdout) as { key: string; name: string; status: string; structure: { turnCount: number }; editor_url: string };
    expect(template).toMatchObject({ key: "seed-001-variation", name: "Like the 401(k) seed", status: "draft" });
    expect(template.structure.turnCount).toBeGreaterThanOrEqual(2);
    expect(template.editor_url).toMatch(/\/templates\/seed-001-variation$/);

    const before = JSON.parse(brightrun("seeds", "list", "--json").stdout) as Array<{ conversation_id: string; variations: unknown }>;
    expect(before.find((s) => s.conversation_id === "seed-001")?.variations).toMatchObject({ template: "seed-001-variation", planned: 0, generated: 0, flagged: [] });
    expect(before.find((s) => s.conversation_id === "seed-002")?.variations).toBeNull();

    const tooMany = brightrun("seeds", "variations", "seed-001", "--count", "51");
    expect(tooMany.code).not.toBe(0);
    expect(tooMany.stderr).toMatch(/--count must be a whole number from 1 to 50/);
    const noTemplate = brightrun("seeds", "variations", "seed-002");
    expect(noTemplate.code).not.toBe(0);
    expect(noTemplate.stderr).toMatch(/Use it as a template first/);

    const planned = brightrun("seeds", "variations", "seed-001", "--count", "2", "--json");
    expect(planned.code, planned.stderr).toBe(0);
    const { conversation_ids: ids } = JSON.parse(planned.stdout) as { template: string; conversation_ids: string[] };
    expect(ids).toHaveLength(2);

    const generated = brightrun("generate", ...ids);
    expect(generated.code, generated.stderr).toBe(0);

    const after = JSON.parse(brightrun("seeds", "list", "--json").stdout) as Array<{
      conversation_id: string;
      quality_score: number | null;
      variations: { planned: number; generated: number; average_quality: number | null; seed_quality: number | null; flagged: Array<{ conversation_id: string; quality_score: number }> };
    }>;
    const seed = after.find((s) => s.conversation_id === "seed-001");
    expect(seed?.variations).toMatchObject({ planned: 2, generated: 2, seed_quality: seed?.quality_score });
    expect(seed?.variations.average_quality).not.toBeNull();
    for (const f of seed?.variations.flagged ?? []) expect(f.quality_score).toBeLessThan((seed?.quality_score ?? 0) - 1);

    const text = brightrun("seeds", "list");
    expect(text.stdout).toMatch(/variations \(seed-001-variation\): 2 of 2 generated, average \d+\.\d vs seed \d+\.\d/);
  });
});
