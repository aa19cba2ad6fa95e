import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_MODELS } from "../../src/core/cost/prices";
import { cancelGenerationRun, resumeGenerationRun } from "../../src/server/runs/run-control";
import { driveRuns } from "../../src/server/runs/run-generation";
import { describeProgress, getRunProgress } from "../../src/server/runs/run-progress";
import { estimateSelection } from "../../src/core/generation/estimate-selection";
import { importPath } from "../../src/core/import/import-workspace";
import { createAnthropicProvider } from "../../src/core/llm/anthropic-provider";
import { createPlan } from "../../src/core/planning/create-plan";
import { openDatabase, type DatabaseHandle } from "../../src/server/db/client";
import { conversations, conversationTurns, generationLogs, generationRuns } from "../../src/server/db/schema";
import { fake, startFakeLlmServer, type FakeLlmServer } from "../support/fake-llm-server";
import { generateNow as runGeneration, testEngineSettings } from "../support/generate-now";
import { createTestDatabase, createTestDatabaseUrl, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const ROOT = path.resolve(__dirname, "../..");
const SAMPLE = path.join(ROOT, "examples/financial-planning");
const FAST_RETRIES = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, jitter: 0 };
const MODEL = DEFAULT_MODELS.anthropic;
/** Generous provider limits, reported in the fake server's rate-limit headers, so tests are not throttled. */
const ROOMY_LIMITS = { requestsPerMinute: 100_000, inputTokensPerMinute: 100_000_000, outputTokensPerMinute: 100_000_000 };
let handle: DatabaseHandle;
let workspaceId: string;
let server: FakeLlmServer;

const provider = (timeoutMs = 5_000) => createAnthropicProvider({ apiKey: "sk-ant-test", baseURL: server.anthropicBaseUrl, timeoutMs });

async function statusOf(ids: string[]) {
  const rows = await handle.db.select({ id: conversations.conversationId, status: conversations.status }).from(conversations);
  return Object.fromEntries(rows.filter((r) => ids.includes(r.id)).map((r) => [r.id, r.status]));
}

async function runCostMatchesLogs(runId: string) {
  const [run] = await handle.db.select().from(generationRuns).where(eq(generationRuns.id, runId));
  const [logs] = await handle.db.select({ sum: sql<string>`coalesce(sum(${generationLogs.costUsd}), 0)` }).from(generationLogs).where(eq(generationLogs.runId, runId));
  return { run: run.costUsd, logs: Number(logs.sum) };
}

describe(`generation runs: faults, spending limit, cancel (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    server = await startFakeLlmServer({ limits: ROOMY_LIMITS });
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 24, scenario: 6, edge_case: 2 } });
  });
  afterAll(async () => {
    await server.close();
    await handle.close();
  });
  beforeEach(() => server.reset());

  it("ends every transient fault generated: 429 with retry-after, 529, 500, 503, dropped connection, hang past the timeout, malformed and truncated replies", async () => {
    server.enqueue(
      fake.rateLimit(1), "ok",
      "overloaded", "ok",
      fake.serverError(500), "ok",
      fake.serverError(503), "ok",
      "reset", "ok",
      "hang", "ok",
      "malformed", "ok",
      "truncated", "ok",
    );
    const ids = ["tmpl-001", "tmpl-002", "tmpl-003", "tmpl-004", "tmpl-005", "tmpl-006", "tmpl-007", "tmpl-008"];
    // Calls are one at a time (concurrency 1), but a conversation backing off lets the next one call, so
    // faults may fall on any conversation: enough attempts that none runs out.
    const result = await runGeneration({ handle, selection: { ids }, provider: provider(1_500), model: MODEL, userId: "local:test", concurrency: 1, retryPolicy: { ...FAST_RETRIES, maxAttempts: 8 } });
    expect(result.run?.status).toBe("completed");
    expect(Object.values(await statusOf(ids))).toEqual(Array(8).fill("generated"));
    // The progress panel's ✓ list: the last 8 closed, newest first, each succeeded with its score.
    const { recent } = await getRunProgress({ db: handle.db, runId: result.run?.id as string });
    expect(recent.map((r) => r.conversationId).sort()).toEqual([...ids].sort());
    expect(recent.every((r) => r.succeeded && r.qualityScore !== null)).toBe(true);
    // The 429 made the conversation wait, without using up one of its attempts.
    // Jobs are taken in queue order, not id order: find the conversation that met the 429.
    const logs = await handle.db
      .select({ code: generationLogs.errorCode, conversationId: conversations.conversationId })
      .from(generationLogs)
      .innerJoin(conversations, eq(conversations.id, generationLogs.conversationId))
      .where(eq(generationLogs.runId, result.run?.id as string));
    expect(logs).toHaveLength(16);
    expect(logs.filter((l) => l.code !== null).map((l) => l.code).sort()).toEqual(
      ["connection_error", "malformed_response", "overloaded", "rate_limited", "server_error", "server_error", "timeout", "truncated_response"].sort(),
    );
    // The 429 made its conversation wait without using up an attempt; every other fault used one:
    // 16 calls = 8 first attempts + 7 retries after a fault + 1 wait after the 429.
    expect(result.outcomes.reduce((n, o) => n + o.attempts, 0)).toBe(15);
    expect(server.stats().maxInFlight).toBeLessThanOrEqual(2); // the hung call may still be open when the next one is sent
    const costs = await runCostMatchesLogs(result.run?.id as string);
    expect(costs.run).toBeCloseTo(costs.logs, 9);
  });

  it("ends permanent faults failed with the reason, retryable or not, and keeps the raw reply", async () => {
    server.enqueue("auth_error", "malformed", "malformed", "malformed");
    const result = await runGeneration({ handle, selection: { ids: ["tmpl-009", "tmpl-010"] }, provider: provider(), model: MODEL, userId: "local:test", concurrency: 1, retryPolicy: FAST_RETRIES });
    expect(result.run?.status).toBe("failed");
    const { recent } = await getRunProgress({ db: handle.db, runId: result.run?.id as string });
    expect(recent.map((r) => [r.conversationId, r.succeeded]).sort()).toEqual([["tmpl-009", false], ["tmpl-010", false]]);
    const rows = await handle.db.select().from(conversations).where(sql`${conversations.conversationId} in ('tmpl-009', 'tmpl-010')`).orderBy(asc(conversations.conversationId));
    const auth = rows.find((r) => r.lastError?.code === "authentication_failed");
    const malformed = rows.find((r) => r.lastError?.code === "malformed_response");
    expect(auth).toMatchObject({ status: "failed", lastError: expect.objectContaining({ retryable: false }) });
    expect(auth?.lastError?.message).toMatch(/ANTHROPIC_API_KEY/);
    expect(malformed).toMatchObject({ status: "failed", lastError: expect.objectContaining({ retryable: true }) });
    expect(malformed?.rawReply).toMatch(/^Sure!/);
    expect(server.requests).toHaveLength(4);
  });

  it("never exceeds the spending limit: pauses before the call that could cross it, then resumes with a higher limit", async () => {
    const ids = ["tmpl-011", "tmpl-012", "tmpl-013", "tmpl-014", "tmpl-015", "tmpl-016"];
    // Room for the first call's maximum cost (its prompt + max_tokens of output) and a little more:
    // a couple of real calls fit, then the next call's maximum no longer does.
    const { estimate } = await estimateSelection({ db: handle.db, workspaceId, selection: { ids }, provider: provider(), model: MODEL, concurrency: 1 });
    const budgetUsd = (estimate.maxCostUsd / ids.length) * 1.15;
    const result = await runGeneration({ handle, selection: { ids }, provider: provider(), model: MODEL, userId: "local:test", concurrency: 1, budgetUsd, retryPolicy: FAST_RETRIES });
    const run = result.run!;
    expect(run.status).toBe("paused");
    expect(run.pausedReason).toBe("spending_limit");
    expect(run.costUsd).toBeLessThanOrEqual(budgetUsd);
    expect(run.succeeded).toBeGreaterThan(0);
    expect(run.succeeded).toBeLessThan(ids.length);
    expect(run.reservedUsd).toBe(0);
    expect(describeProgress(await getRunProgress({ db: handle.db, runId: run.id }))).toMatch(/paused \(the run's spending limit is reached\)/);
    // The 80 % alert (US13.1.2) is computed from the stored run: under 80 % of the limit spent, none.
    await handle.db.update(generationRuns).set({ budgetUsd: run.costUsd / 0.85 }).where(eq(generationRuns.id, run.id));
    const alert = (await getRunProgress({ db: handle.db, runId: run.id })).spendingAlert;
    expect(alert).toMatch(/^\d+ % of the \$[\d.]+ limit spent/);
    expect(Number(alert?.split(" ")[0])).toBeGreaterThanOrEqual(84);
    expect(Number(alert?.split(" ")[0])).toBeLessThanOrEqual(86);
    await handle.db.update(generationRuns).set({ budgetUsd: run.costUsd / 0.5 }).where(eq(generationRuns.id, run.id));
    expect((await getRunProgress({ db: handle.db, runId: run.id })).spendingAlert).toBeNull();
    const statuses = Object.values(await statusOf(ids));
    expect(statuses.filter((s) => s === "generated")).toHaveLength(run.succeeded);
    expect(statuses.filter((s) => s === "not_generated")).toHaveLength(ids.length - run.succeeded);

    await resumeGenerationRun({ handle, runId: run.id, budgetUsd: 10 });
    const end = await driveRuns({ handle, runIds: [run.id], userId: "local:test", settings: testEngineSettings({ retryPolicy: FAST_RETRIES }), providerFor: () => ({ provider: provider(), model: MODEL }) });
    expect(end.status).toBe("completed");
    expect(Object.values(await statusOf(ids))).toEqual(Array(6).fill("generated"));
    const costs = await runCostMatchesLogs(run.id);
    expect(costs.run).toBeCloseTo(costs.logs, 9);
  });

  it("pauses the run, without retrying, when the provider says the account's spend limit is reached", async () => {
    server.enqueue("spend_limit");
    const result = await runGeneration({ handle, selection: { ids: ["tmpl-017"] }, provider: provider(), model: MODEL, userId: "local:test", concurrency: 1, retryPolicy: FAST_RETRIES });
    expect(result.run).toMatchObject({ status: "paused", pausedReason: "provider_spend_limit" });
    expect(server.requests).toHaveLength(1);
    expect((await statusOf(["tmpl-017"]))["tmpl-017"]).toBe("not_generated");
  });

  it("cancels midway: in-flight calls are aborted and their conversations go back to not generated", async () => {
    server.setDefault(fake.latency(300));
    const ids = ["tmpl-018", "tmpl-019", "tmpl-020", "tmpl-021", "tmpl-022", "tmpl-023", "tmpl-024"];
    let runId = "";
    let cancelled = false;
    const running = runGeneration({
      handle,
      selection: { ids },
      provider: provider(),
      model: MODEL,
      userId: "local:test",
      concurrency: 2,
      retryPolicy: FAST_RETRIES,
      onStart: ({ runId: id }) => {
        runId = id;
      },
      onProgress: (p) => {
        if (!cancelled && p.succeeded >= 2) {
          cancelled = true;
          void cancelGenerationRun({ handle, runId });
        }
      },
    });
    const result = await running;
    server.setDefault("ok");
    expect(result.run?.status).toBe("cancelled");
    const statuses = await statusOf(ids);
    expect(Object.values(statuses)).not.toContain("generating");
    const generated = Object.values(statuses).filter((s) => s === "generated").length;
    expect(generated).toBeGreaterThanOrEqual(2);
    expect(generated).toBeLessThan(ids.length);
    expect(Object.values(statuses).filter((s) => s === "not_generated")).toHaveLength(ids.length - generated);
    const progress = await getRunProgress({ db: handle.db, runId });
    expect(progress.succeeded + progress.cancelled).toBe(ids.length);
  });
});

describe(`brightrun generate killed with SIGKILL mid-run, then run again (${testDatabaseKind()})`, () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-kill-"));
  let database: Awaited<ReturnType<typeof createTestDatabaseUrl>> = null;
  let fakeServer: FakeLlmServer;
  const env = (): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...process.env, BRIGHTRUN_DATA_DIR: path.join(work, "data"), DATABASE_URL: database?.url ?? "", OPENAI_BASE_URL: fakeServer.openaiBaseUrl, OPENAI_API_KEY: "sk-test" };
    for (const key of ["ANTHROPIC_API_KEY", "BRIGHTRUN_PROVIDER", "BRIGHTRUN_MODEL"]) delete e[key];
    return e;
  };
  const brightrun = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, "bin/brightrun.mjs"), ...args], { cwd: work, env: env(), encoding: "utf8", timeout: 120_000 });
  /** Like `brightrun`, without blocking this process: the fake LLM server lives here and must keep answering. */
  const brightrunAsync = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [path.join(ROOT, "bin/brightrun.mjs"), ...args], { cwd: work, env: env() });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      child.on("exit", (status) => resolve({ status, stdout, stderr }));
    });

  beforeAll(async () => {
    database = await createTestDatabaseUrl();
    fakeServer = await startFakeLlmServer({ defaultBehaviour: fake.latency(250), limits: ROOMY_LIMITS });
  });
  afterAll(async () => {
    await fakeServer.close();
    await database?.drop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("generates every planned conversation exactly once, leaves none generating, and each run's cost equals its generation_logs", { timeout: 180_000 }, async () => {
    expect(brightrun("init", "--sample", "financial-planning").status).toBe(0);
    expect(brightrun("plan", "--template", "10", "--scenario", "6", "--edge-case", "4").status).toBe(0);

    // First process: generate, and kill it hard once some conversations are done.
    const child = spawn(process.execPath, [path.join(ROOT, "bin/brightrun.mjs"), "generate", "--all", "--concurrency", "2"], { cwd: work, env: env() });
    let stderr = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no progress seen: ${stderr}`)), 60_000);
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/\b([4-9]|1\d) of 20\b/.test(stderr)) {
          clearTimeout(timer);
          child.kill("SIGKILL");
          resolve();
        }
      });
      child.on("exit", () => resolve());
    });
    await new Promise((resolve) => child.on("exit", resolve));
    expect(child.signalCode).toBe("SIGKILL");

    // Restart as a user does: the same command again. The interrupted run's conversations are
    // handed back to the queue and this command finishes them with its own.
    const list = brightrun("runs", "list");
    expect(list.status, list.stderr).toBe(0);
    const runId = list.stdout.trim().split(/\s+/)[0];
    const again = await brightrunAsync("generate", "--all", "--concurrency", "2");
    expect(again.status, again.stderr).toBe(0);

    const db = await openDatabase({ url: database?.url, dataDir: path.join(work, "data") });
    try {
      const planned = await db.db.select().from(conversations).where(eq(conversations.isSeed, false));
      expect(planned).toHaveLength(20);
      for (const c of planned) expect(c.status, c.conversationId).toBe("generated");
      const turnCounts = await db.db
        .select({ id: conversationTurns.conversationId, n: sql<number>`count(*)::int`, distinct: sql<number>`count(distinct ${conversationTurns.turnNumber})::int` })
        .from(conversationTurns)
        .innerJoin(conversations, and(eq(conversations.id, conversationTurns.conversationId), eq(conversations.isSeed, false)))
        .groupBy(conversationTurns.conversationId);
      for (const c of planned) {
        const counted = turnCounts.find((t) => t.id === c.id);
        expect(counted?.n).toBe(c.turnCount);
        expect(counted?.distinct).toBe(c.turnCount);
      }
      // Exactly once: one successful call per conversation, over every run.
      const successes = await db.db
        .select({ id: generationLogs.conversationId, n: sql<number>`count(*)::int` })
        .from(generationLogs)
        .where(sql`${generationLogs.errorCode} is null`)
        .groupBy(generationLogs.conversationId);
      expect(successes).toHaveLength(20);
      for (const s of successes) expect(s.n).toBe(1);
      const runs = await db.db.select().from(generationRuns);
      for (const run of runs) {
        expect(run.status, run.id).toBe("completed");
        const [logs] = await db.db.select({ sum: sql<string>`coalesce(sum(${generationLogs.costUsd}), 0)` }).from(generationLogs).where(eq(generationLogs.runId, run.id));
        expect(run.costUsd).toBeCloseTo(Number(logs.sum), 9);
      }
      expect(runs.map((r) => r.id)).toContain(runId);
    } finally {
      await db.close();
    }
  });
});
