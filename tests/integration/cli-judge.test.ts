/**
 * `brightrun generate --judge` and `brightrun judge` (issue 12, item 3) as a user runs them: the
 * real binary with raw arguments, the Anthropic SDK against the fake LLM server in this process
 * (so the CLI runs asynchronously: the server must answer while it runs).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fake, isJudgeRequest, startFakeLlmServer, type FakeLlmServer } from "../support/fake-llm-server";
import { createTestDatabaseUrl, testDatabaseKind } from "../support/test-database";

const ROOT = path.resolve(__dirname, "../..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-judge-"));
const JUDGE_MODEL = "judge-model-cli";
let database: Awaited<ReturnType<typeof createTestDatabaseUrl>> = null;
let server: FakeLlmServer;

function brightrun(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BRIGHTRUN_DATA_DIR: path.join(work, "data"),
    DATABASE_URL: database?.url ?? "",
    ANTHROPIC_API_KEY: "sk-ant-test",
    ANTHROPIC_BASE_URL: server.anthropicBaseUrl,
    BRIGHTRUN_PRICES: JSON.stringify({ [JUDGE_MODEL]: { input: 1, output: 50 } }),
    BRIGHTRUN_RETRY_POLICY: JSON.stringify({ maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20, jitter: 0 }),
    ...extraEnv,
  };
  for (const key of ["OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIGHTRUN_PROVIDER", "BRIGHTRUN_MODEL", "BRIGHTRUN_JUDGE"]) if (!(key in extraEnv)) delete env[key];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, "bin/brightrun.mjs"), ...args], { cwd: work, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe(`brightrun generate --judge and brightrun judge (${testDatabaseKind()})`, { timeout: 180_000 }, () => {
  beforeAll(async () => {
    database = await createTestDatabaseUrl();
    server = await startFakeLlmServer({ rateLimitHeaders: false });
    const init = await brightrun(["init", "--sample", "financial-planning"]);
    expect(init.code, init.stderr).toBe(0);
    const plan = await brightrun(["plan", "--template", "4", "--scenario", "0", "--edge-case", "0"]);
    expect(plan.code, plan.stderr).toBe(0);
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(work, { recursive: true, force: true });
    await database?.drop();
  });

  it("generate --estimate with BRIGHTRUN_JUDGE includes the judge's calls and cost; --no-judge leaves them out", async () => {
    const withJudge = await brightrun(["generate", "tmpl-001", "tmpl-002", "--estimate"], { BRIGHTRUN_JUDGE: JUDGE_MODEL });
    expect(withJudge.code, withJudge.stderr).toBe(0);
    expect(withJudge.stderr).toMatch(new RegExp(`judge: ${JUDGE_MODEL}, from BRIGHTRUN_JUDGE`));
    expect(withJudge.stdout).toMatch(new RegExp(`Judge ${JUDGE_MODEL}: 2 calls · \\$[\\d.]+ included above \\(verdicts sized at the judge's max_tokens\\)`));
    const without = await brightrun(["generate", "tmpl-001", "tmpl-002", "--estimate", "--no-judge"], { BRIGHTRUN_JUDGE: JUDGE_MODEL });
    expect(without.code, without.stderr).toBe(0);
    expect(without.stdout).not.toMatch(/Judge /);
    const total = (out: string) => Number(/about \$([\d.]+)/.exec(out)?.[1] ?? /· \$([\d.]+) ·/.exec(out)?.[1]);
    expect(total(withJudge.stdout)).toBeGreaterThan(total(without.stdout));
    expect(server.requests).toHaveLength(0);
  });

  it("generate --judge MODEL generates and judges; brightrun judge judges again what is generated, with the same engine", async () => {
    const generated = await brightrun(["generate", "tmpl-001", "tmpl-002", "--judge", JUDGE_MODEL, "--concurrency", "1"]);
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stdout).toMatch(/2 generated, 0 failed of 2/);
    expect(server.requests.filter((r) => isJudgeRequest(r.body))).toHaveLength(2);

    server.reset();
    server.enqueueJudge(fake.verdict({ safe: 3 }, "Promises a guaranteed return."), fake.malformed(), fake.malformed());
    const judged = await brightrun(["judge", "--model", JUDGE_MODEL, "--concurrency", "1"]);
    expect(judged.code, judged.stderr).toBe(2); // one conversation could not be judged
    expect(judged.stdout).toMatch(/1 judged, 1 not judged of 2 by judge-model-cli \(finished with failures\)/);
    expect(judged.stdout).toMatch(/Judge scores: average 3\.0; lowest tmpl-00\d 3/);
    expect(judged.stdout).toMatch(/✗ tmpl-00\d: The judge's reply is not valid JSON/);
    expect(server.requests.every((r) => isJudgeRequest(r.body))).toBe(true);

    const status = JSON.parse((await brightrun(["status", "--json"])).stdout);
    expect(status.by_status.generated).toBe(2);
  });

  it("judge --estimate sizes the real judge prompts; the simulated provider is refused plainly", async () => {
    const estimate = await brightrun(["judge", "tmpl-001", "tmpl-003", "--model", JUDGE_MODEL, "--estimate"]);
    expect(estimate.code, estimate.stderr).toBe(0);
    expect(estimate.stdout).toMatch(/^1 conversation · about \$/);
    expect(estimate.stdout).toMatch(new RegExp(`Judge ${JUDGE_MODEL}: 1 call`));
    const simulated = await brightrun(["judge", "--provider", "simulated"]);
    expect(simulated.code).toBe(1);
    expect(simulated.stderr).toMatch(/simulated provider is not a language model, so it cannot judge/);
  });
});
