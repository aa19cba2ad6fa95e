/**
 * `brightrun export` with the dataset checks (issue 12 item 4), run as a user runs it: the real
 * binary on a temp folder (embedded database, or a fresh PostgreSQL database with
 * BRIGHTRUN_TEST_DB=postgres): a ShareGPT export split 25 % for validation, deduplicated and
 * checked against Llama 3, as one ZIP whose path is the last line; and plain refusals of bad options.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonExportDocument } from "../../src/core/export/format-json";
import type { ExportManifest } from "../../src/core/export/manifest";
import { openDatabase } from "../../src/server/db/client";
import { chunks } from "../../src/server/db/schema";
import { readZipEntries } from "../support/read-zip";
import { createTestDatabaseUrl, testDatabaseKind } from "../support/test-database";
import { runBrightrun } from "../support/app-process";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-cli-export-"));
let database: Awaited<ReturnType<typeof createTestDatabaseUrl>> = null;

/** Runs the real `brightrun` binary in the temp folder. */
function brightrun(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, BRIGHTRUN_DATA_DIR: path.join(work, "data"), DATABASE_URL: database?.url ?? "" };
  for (const key of ["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIGHTRUN_PROVIDER", "BRIGHTRUN_MODEL"]) delete env[key];
  return runBrightrun(args, { cwd: work, env, timeoutMs: 300_000 });
}

describe(`brightrun export with dataset checks (${testDatabaseKind()})`, { timeout: 300_000 }, () => {
  beforeAll(async () => {
    database = await createTestDatabaseUrl();
    for (const args of [
      ["init", "--sample", "financial-planning"],
      ["plan", "--total", "12"],
      ["generate", "--all"],
      ["review", "approve", "--min-score", "1"],
    ]) {
      const run = brightrun(...args);
      expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(0);
    }
  }, 300_000);
  afterAll(async () => {
    fs.rmSync(work, { recursive: true, force: true });
    await database?.drop();
  });

  it("writes a split, deduplicated ShareGPT export checked against Llama 3 as one ZIP, printed last", async () => {
    const run = brightrun("export", "--format", "sharegpt", "--tier", "template,scenario", "--split", "25", "--seed", "cli", "--dedup", "--target", "llama3", "--name", "cli-set", "--zip");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Exported \d+ approved conversations as sharegpt/);
    expect(run.stdout).toMatch(/Chat-template render \(llama-3\): (\d+) of \1 records rendered, 0 failed\./);
    const zipPath = run.stdout.trim().split("\n").at(-1) as string;
    expect(path.basename(zipPath)).toBe("cli-set.zip");
    const zip = await readZipEntries(zipPath);
    expect([...zip.keys()]).toEqual(["cli-set-train.jsonl", "cli-set-validation.jsonl", "dataset_info.json", "cli-set-manifest.json"]);
    const manifest = JSON.parse(zip.get("cli-set-manifest.json") ?? "{}") as ExportManifest;
    expect(manifest.filter_state).toEqual({ status: ["approved"], tier: ["template", "scenario"] });
    expect(manifest.dataset_checks?.split).toMatchObject({ validation_percent: 25, seed: "cli" });
    expect(manifest.dataset_checks?.duplicates).not.toBeNull();
    expect(manifest.dataset_checks?.template_render).toMatchObject({ family: "llama-3", available: true, failed: 0 });
    const count = (name: string) => (zip.get(name) ?? "").split("\n").filter(Boolean).length;
    expect(count("cli-set-train.jsonl") + count("cli-set-validation.jsonl")).toBe(manifest.conversation_count);
    expect(Object.keys(JSON.parse(zip.get("dataset_info.json") ?? "{}") as object)).toEqual(["cli-set", "cli-set_validation"]);
  });

  it("exports only conversations planned from chunks with the dimensions asked for (--chunk-dimension), recorded in the manifest", async () => {
    const lastLine = (stdout: string) => stdout.trim().split("\n").at(-1) as string;
    const everything = brightrun("export", "--format", "json", "--name", "all-approved");
    expect(everything.code, everything.stderr).toBe(0);
    const all = (JSON.parse(fs.readFileSync(lastLine(everything.stdout), "utf8")) as JsonExportDocument).conversations;
    // The chunks' dimensions, read from the database the CLI wrote (no CLI process holds it now).
    const handle = await openDatabase(database ? { url: database.url } : { dataDir: path.join(work, "data") });
    const dimensionsOf = new Map((await handle.db.select({ key: chunks.key, dimensions: chunks.dimensions }).from(chunks)).map((c) => [c.key, c.dimensions]));
    await handle.close();
    const level = String(dimensionsOf.get(all.find((c) => c.chunk_key)?.chunk_key ?? "")?.audience_level);
    const expected = all.filter((c) => c.chunk_key && dimensionsOf.get(c.chunk_key)?.audience_level === level).map((c) => c.conversation_id);
    expect(expected.length).toBeGreaterThan(0);

    const run = brightrun("export", "--format", "json", "--chunk-dimension", `audience_level:${level}`, "--name", "by-chunk");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Exported ${expected.length} approved conversations as json`);
    const exported = JSON.parse(fs.readFileSync(lastLine(run.stdout), "utf8")) as JsonExportDocument;
    expect(exported.conversations.map((c) => c.conversation_id)).toEqual(expected);
    expect(exported.manifest.filter_state).toEqual({ status: ["approved"], chunkDimension: { audience_level: [level] } });

    // With a document as well: AND across the two.
    const documentKey = (exported.conversations[0].chunk_key as string).split("#")[0];
    const both = brightrun("export", "--format", "json", "--chunk-dimension", `audience_level:${level}`, "--document", documentKey, "--name", "by-chunk-and-document");
    expect(both.code, both.stderr).toBe(0);
    const narrowed = (JSON.parse(fs.readFileSync(lastLine(both.stdout), "utf8")) as JsonExportDocument).conversations.map((c) => c.conversation_id);
    expect(narrowed).toEqual(exported.conversations.filter((c) => c.chunk_key?.startsWith(`${documentKey}#`)).map((c) => c.conversation_id));
  });

  it("refuses bad options in plain English", () => {
    const cases: Array<[string[], RegExp]> = [
      [["--split", "80"], /--split must be a percentage from 1 to 50/],
      [["--near-dup-threshold", "2"], /--near-dup-threshold must be a similarity from 0.3 to 1/],
      [["--target", "mistral"], /--target must be one of llama-3, qwen-3, gemma-3/],
      [["--name", "../x"], /only letters, digits, dots, dashes and underscores/],
      [["--seed", "x"], /--seed needs --split/],
      [["--chunk-dimension", "advanced"], /--chunk-dimension takes dimension:value pairs such as audience_level:advanced .*not "advanced"/],
    ];
    for (const [args, message] of cases) {
      const run = brightrun("export", "--format", "openai", ...args);
      expect(run.code, args.join(" ")).toBe(1);
      expect(run.stderr, args.join(" ")).toMatch(message);
    }
  });
});
