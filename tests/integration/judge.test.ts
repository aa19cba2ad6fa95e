/**
 * The judge (issue 12, item 3) through the real engine and the real Anthropic SDK against the fake
 * LLM server: generation runs that judge what they generate, judge runs over conversations already
 * generated, the judge's cost in the run's cost and spending limit, and a judge that fails.
 */
import path from "node:path";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_MODELS } from "../../src/core/cost/prices";
import { importPath } from "../../src/core/import/import-workspace";
import { createAnthropicProvider } from "../../src/core/llm/anthropic-provider";
import { createPlan } from "../../src/core/planning/create-plan";
import { JUDGE_PROMPT_MARKER } from "../../src/core/quality/judge/judge-prompt";
import { JUDGE_CRITERIA, JUDGE_MAX_TOKENS, JUDGE_RUBRIC_VERSION, readStoredJudge } from "../../src/core/quality/judge/rubric";
import type { DatabaseHandle } from "../../src/server/db/client";
import { conversations, conversationTurns, generationLogs, generationRuns } from "../../src/server/db/schema";
import { fake, isJudgeRequest, startFakeLlmServer, type FakeLlmServer } from "../support/fake-llm-server";
import { getConversationDetail } from "../../src/server/conversation-detail";
import { startJudging } from "../../src/server/operations/generation";
import { createSimulatedProvider } from "../../src/core/llm/simulated-provider";
import { driveRuns } from "../../src/server/runs/run-generation";
import { cancelGenerationRun, resumeGenerationRun } from "../../src/server/runs/run-control";
import { startRun } from "../../src/server/runs/run-machine";
import { generateNow, testEngineSettings } from "../support/generate-now";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const FAST_RETRIES = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, jitter: 0 };
const MODEL = DEFAULT_MODELS.anthropic;
/** A judge model with a price of its own (USD per million tokens), so its cost is visible apart from generation's. */
const JUDGE_MODEL = "judge-model-test";
const JUDGE_PRICES = { [JUDGE_MODEL]: { input: 1, output: 50 } };
let handle: DatabaseHandle;
let workspaceId: string;
let server: FakeLlmServer;

const provider = () => createAnthropicProvider({ apiKey: "sk-ant-test", baseURL: server.anthropicBaseUrl, timeoutMs: 5_000 });

async function conversation(humanId: string) {
  const [row] = await handle.db.select().from(conversations).where(eq(conversations.conversationId, humanId));
  return row;
}
async function logsOf(id: string, kind?: "generate" | "judge") {
  return handle.db
    .select()
    .from(generationLogs)
    .where(kind ? and(eq(generationLogs.conversationId, id), eq(generationLogs.kind, kind)) : eq(generationLogs.conversationId, id))
    .orderBy(asc(generationLogs.createdAt));
}
async function runRow(id: string) {
  const [run] = await handle.db.select().from(generationRuns).where(eq(generationRuns.id, id));
  return run;
}
async function runLogs(runId: string) {
  return handle.db.select().from(generationLogs).where(eq(generationLogs.runId, runId));
}

describe(`the judge (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    // No rate-limit headers (a local server's way): pacing is not what this file tests.
    server = await startFakeLlmServer({ rateLimitHeaders: false });
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 12, scenario: 4, edge_case: 2 } });
  });
  afterAll(async () => {
    await server.close();
    await handle.close();
  });
  beforeEach(() => server.reset());

  it("a generation run with the judge on stores the judge's score and reasons beside the structural score, and logs the judge call and its cost on the run", async () => {
    const result = await generateNow({ handle, selection: { ids: ["tmpl-001", "tmpl-002"] }, provider: provider(), model: MODEL, concurrency: 2, retryPolicy: FAST_RETRIES, judgeModel: JUDGE_MODEL, priceOverrides: JUDGE_PRICES });
    expect(result.run?.succeeded).toBe(2);
    expect(result.outcomes.map((o) => o.judgeScore)).toEqual([8, 8]);

    const judgeCalls = server.requests.filter((r) => isJudgeRequest(r.body));
    expect(judgeCalls).toHaveLength(2);
    const sent = judgeCalls[0].body as { model: string; system: string; max_tokens: number; messages: Array<{ content: unknown }> };
    expect(sent.model).toBe(JUDGE_MODEL);
    expect(sent.system.startsWith(JUDGE_PROMPT_MARKER)).toBe(true);
    expect(sent.max_tokens).toBe(JUDGE_MAX_TOKENS);

    const row = await conversation("tmpl-001");
    expect(row.status).toBe("generated");
    expect(row.qualityScore).toBeGreaterThanOrEqual(1);
    expect(row.judgeScore).toBe(8);
    const verdict = readStoredJudge(row.judgeBreakdown);
    expect(verdict).toMatchObject({ status: "judged", score: 8, rubricVersion: JUDGE_RUBRIC_VERSION, model: JUDGE_MODEL, provider: "anthropic", error: null });
    expect(verdict?.criteria.map((c) => c.id)).toEqual([...JUDGE_CRITERIA]);
    expect(verdict?.criteria.every((c) => c.reason.length > 0)).toBe(true);
    // The judge saw the conversation's turns and its source chunk.
    const turns = await handle.db.select().from(conversationTurns).where(eq(conversationTurns.conversationId, row.id)).orderBy(asc(conversationTurns.turnNumber));
    const judgePrompt = JSON.stringify(judgeCalls.find((c) => JSON.stringify(c.body).includes(turns[1].content.slice(0, 40)))?.body ?? {});
    expect(judgePrompt).toContain("Turn 2 (assistant)");
    expect(judgePrompt).toMatch(/Source chunk/);

    const generate = await logsOf(row.id, "generate");
    const judge = await logsOf(row.id, "judge");
    expect(generate).toHaveLength(1);
    expect(judge).toHaveLength(1);
    expect(judge[0]).toMatchObject({ model: JUDGE_MODEL, errorCode: null, templateId: null });
    expect(judge[0].outputTokens).toBeGreaterThan(0);
    expect(judge[0].costUsd).toBeGreaterThan(0);
    expect(verdict?.usage.costUsd).toBeCloseTo(judge[0].costUsd, 8);
    // The conversation's own cost is its generation; the judge's is on its verdict and on the run.
    expect(row.costUsd).toBeCloseTo(generate[0].costUsd, 8);

    const run = await runRow(result.run?.id as string);
    expect(run.judgeModel).toBe(JUDGE_MODEL);
    const logs = await runLogs(run.id);
    expect(logs.filter((l) => l.kind === "judge")).toHaveLength(2);
    expect(run.costUsd).toBeCloseTo(logs.reduce((sum, l) => sum + l.costUsd, 0), 8);
    expect(run.costUsd).toBeGreaterThan(logs.filter((l) => l.kind === "generate").reduce((sum, l) => sum + l.costUsd, 0));
    expect(run.reservedUsd).toBe(0);

    // What the web's quality details show: the structural breakdown and, beside it, the judge's verdict.
    const detail = await getConversationDetail({ db: handle.db, workspaceId, conversationId: "tmpl-001" });
    expect(detail.quality?.breakdown.length).toBeGreaterThan(0);
    expect(detail.judgeScore).toBe(8);
    expect(detail.judge?.criteria.map((c) => [c.label, c.score])).toContainEqual(["Grounded in the source", 8]);
    expect(detail.judge?.summary).toBe("A solid conversation that follows its brief.");
  });

  it("a judge that keeps answering prose never invents a score: the conversation stays generated, the judge's error and raw reply are kept, every judge call is logged", async () => {
    server.enqueueJudge(fake.malformed(), fake.malformed(), fake.malformed());
    const result = await generateNow({ handle, selection: { ids: ["tmpl-003"] }, provider: provider(), model: MODEL, concurrency: 1, retryPolicy: FAST_RETRIES, judgeModel: JUDGE_MODEL, priceOverrides: JUDGE_PRICES });
    expect(result.run).toMatchObject({ status: "completed", succeeded: 1, failed: 0 });
    const row = await conversation("tmpl-003");
    expect(row.status).toBe("generated");
    expect(row.turnCount).toBeGreaterThan(0);
    expect(row.qualityScore).toBeGreaterThanOrEqual(1);
    expect(row.judgeScore).toBeNull();
    const verdict = readStoredJudge(row.judgeBreakdown);
    expect(verdict?.status).toBe("failed");
    expect(verdict?.score).toBeNull();
    expect(verdict?.criteria).toEqual([]);
    expect(verdict?.error?.code).toBe("malformed_response");
    expect(verdict?.error?.message).toMatch(/judge's reply is not valid JSON/);
    expect(verdict?.rawReply).toMatch(/^Sure!/);
    expect(verdict?.usage.calls).toBe(3);
    const detail = await getConversationDetail({ db: handle.db, workspaceId, conversationId: "tmpl-003" });
    expect(detail.judge).toMatchObject({ status: "failed", rawReply: expect.stringMatching(/^Sure!/) });
    expect(detail.judgeScore).toBeNull();
    const judge = await logsOf(row.id, "judge");
    expect(judge.map((l) => l.errorCode)).toEqual(["malformed_response", "malformed_response", "malformed_response"]);
  });

  it("a judge that is refused or unreachable does not lose the generated conversation", async () => {
    server.enqueueJudge(fake.authError());
    await generateNow({ handle, selection: { ids: ["tmpl-004"] }, provider: provider(), model: MODEL, concurrency: 1, retryPolicy: FAST_RETRIES, judgeModel: JUDGE_MODEL, priceOverrides: JUDGE_PRICES });
    const row = await conversation("tmpl-004");
    expect(row.status).toBe("generated");
    expect(readStoredJudge(row.judgeBreakdown)?.error?.code).toBe("authentication_failed");
  });

  it("the spending limit counts the judge's calls and is never exceeded: a judge call that does not fit is not made, and says so", async () => {
    // Generation free, the judge priced by its output only: each judge call reserves exactly
    // JUDGE_MAX_TOKENS of output, and the fake judge's verdict costs far less.
    const prices = { [MODEL]: { input: 0, output: 0 }, [JUDGE_MODEL]: { input: 0, output: 100 } };
    const maxJudgeUsd = (JUDGE_MAX_TOKENS * 100) / 1e6;
    const budgetUsd = maxJudgeUsd * 1.2;
    const ids = ["tmpl-005", "tmpl-006", "tmpl-007", "tmpl-008"];
    const result = await generateNow({ handle, selection: { ids }, provider: provider(), model: MODEL, concurrency: 1, budgetUsd, retryPolicy: FAST_RETRIES, judgeModel: JUDGE_MODEL, priceOverrides: prices });
    const run = await runRow(result.run?.id as string);
    expect(run.succeeded).toBe(4);
    expect(run.costUsd).toBeLessThanOrEqual(budgetUsd);
    expect(run.costUsd).toBeGreaterThan(0);
    const logs = await runLogs(run.id);
    expect(run.costUsd).toBeCloseTo(logs.reduce((sum, l) => sum + l.costUsd, 0), 8);
    const rows = await Promise.all(ids.map(conversation));
    expect(rows.every((r) => r.status === "generated")).toBe(true);
    const verdicts = rows.map((r) => readStoredJudge(r.judgeBreakdown));
    const judged = verdicts.filter((v) => v?.status === "judged");
    const refused = verdicts.filter((v) => v?.error?.code === "spending_limit_reached");
    expect(judged.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(judged.length + refused.length).toBe(4);
    expect(refused[0]?.error?.message).toMatch(/Not judged: the judge call did not fit under the run's spending limit/);
    expect(refused[0]?.error?.message).toMatch(/brightrun judge tmpl-00\d/);
    // A refused judge call is never sent.
    expect(server.requests.filter((r) => isJudgeRequest(r.body))).toHaveLength(judged.length);
  });

  it("a judge run judges already generated conversations through the same engine, without touching their turns or status; its spending limit pauses it and resume finishes it", async () => {
    await generateNow({ handle, selection: { ids: ["tmpl-009", "tmpl-010", "tmpl-011"] }, provider: provider(), model: MODEL, concurrency: 2, retryPolicy: FAST_RETRIES });
    const before = await Promise.all(["tmpl-009", "tmpl-010", "tmpl-011"].map(conversation));
    expect(before.every((r) => r.status === "generated" && r.judgeScore === null)).toBe(true);
    await handle.db.update(conversations).set({ status: "approved" }).where(eq(conversations.conversationId, "tmpl-011"));
    server.reset();

    const prices = { [JUDGE_MODEL]: { input: 0, output: 100 } };
    const maxJudgeUsd = (JUDGE_MAX_TOKENS * 100) / 1e6;
    server.enqueueJudge(fake.verdict({ grounded: 2 }, "Invents a fee the source never mentions."));
    const first = await generateNow({
      handle,
      selection: { ids: ["tmpl-009", "tmpl-010", "tmpl-011", "tmpl-012"] },
      provider: provider(),
      model: JUDGE_MODEL,
      purpose: "judge",
      concurrency: 1,
      budgetUsd: maxJudgeUsd * 1.2,
      retryPolicy: FAST_RETRIES,
      priceOverrides: prices,
    });
    // tmpl-012 was never generated: nothing to judge.
    expect(first.skipped).toEqual([expect.objectContaining({ conversationId: "tmpl-012", reason: expect.stringMatching(/not generated; only generated, approved or rejected/) })]);
    let run = await runRow(first.run?.id as string);
    expect(run).toMatchObject({ purpose: "judge", judgeModel: JUDGE_MODEL, total: 3, status: "paused", pausedReason: "spending_limit" });
    expect(run.costUsd).toBeLessThanOrEqual(maxJudgeUsd * 1.2);
    expect(run.succeeded).toBeGreaterThanOrEqual(1);

    await resumeGenerationRun({ handle, runId: run.id, budgetUsd: 10 });
    await driveRuns({ handle, runIds: [run.id], userId: "local:test", settings: testEngineSettings({ retryPolicy: FAST_RETRIES, priceOverrides: prices }), providerFor: () => ({ provider: provider(), model: JUDGE_MODEL }) });
    run = await runRow(run.id);
    expect(run).toMatchObject({ status: "completed", succeeded: 3, failed: 0 });

    const after = await Promise.all(["tmpl-009", "tmpl-010", "tmpl-011"].map(conversation));
    expect(after.map((r) => r.status)).toEqual(["generated", "generated", "approved"]);
    expect(after.map((r) => r.turnCount)).toEqual(before.map((r) => r.turnCount));
    expect(after.map((r) => r.costUsd)).toEqual(before.map((r) => r.costUsd));
    expect(after.map((r) => r.qualityScore)).toEqual(before.map((r) => r.qualityScore));
    // The first verdict scored `grounded` 2: that conversation's overall score is capped at it.
    expect(after.map((r) => r.judgeScore).sort()).toEqual([2, 8, 8]);
    const capped = after.find((r) => r.judgeScore === 2)!;
    expect(readStoredJudge(capped.judgeBreakdown)?.criteria.find((c) => c.id === "grounded")).toMatchObject({ score: 2 });
    expect(readStoredJudge(capped.judgeBreakdown)?.summary).toBe("Invents a fee the source never mentions.");

    const logs = await runLogs(run.id);
    expect(logs.map((l) => l.kind)).toEqual(["judge", "judge", "judge"]);
    expect(run.costUsd).toBeCloseTo(logs.reduce((sum, l) => sum + l.costUsd, 0), 8);
    expect(server.requests.every((r) => isJudgeRequest(r.body))).toBe(true);
  });

  it("cancelling a judge run aborts its judge calls in flight and leaves the conversations as they were", async () => {
    server.reset();
    const ids = ["tmpl-009", "tmpl-010"];
    const before = await Promise.all(ids.map(conversation));
    server.enqueueJudge(fake.latency(10_000, fake.verdict({ safe: 1 })), fake.latency(10_000, fake.verdict({ safe: 1 })));
    const { run } = await startRun({
      db: handle.db,
      input: { workspaceId, selection: { ids }, kind: "live", purpose: "judge", provider: "anthropic", model: JUDGE_MODEL, judgeModel: JUDGE_MODEL, userId: "local:test", concurrency: 2 },
    });
    const driving = driveRuns({ handle, runIds: [run!.id], userId: "local:test", settings: testEngineSettings({ retryPolicy: FAST_RETRIES }), providerFor: () => ({ provider: provider(), model: JUDGE_MODEL }) });
    const started = Date.now();
    while (server.requests.length < 2 && Date.now() - started < 20_000) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests).toHaveLength(2);
    await cancelGenerationRun({ handle, runId: run!.id });
    await driving;
    expect(Date.now() - started).toBeLessThan(10_000);
    const after = await runRow(run!.id);
    expect(after).toMatchObject({ status: "cancelled", succeeded: 0 });
    const rows = await Promise.all(ids.map(conversation));
    expect(rows.map((r) => [r.status, r.judgeScore, r.turnCount])).toEqual(before.map((r) => [r.status, r.judgeScore, r.turnCount]));
  });

  it("the database refuses a run purpose, a log kind or a judge score outside the one list, and a judge run without a judge model", async () => {
    const values = { workspaceId, kind: "live" as const, provider: "anthropic" as const, model: JUDGE_MODEL, concurrency: 1, total: 0, createdBy: "local:test" };
    await expect(handle.db.insert(generationRuns).values({ ...values, purpose: "rewrite" as never })).rejects.toThrow();
    await expect(handle.db.insert(generationRuns).values({ ...values, purpose: "judge", judgeModel: null })).rejects.toThrow();
    const [ok] = await handle.db.insert(generationRuns).values({ ...values, purpose: "judge", judgeModel: JUDGE_MODEL }).returning();
    expect(ok.purpose).toBe("judge");
    await expect(
      handle.db.insert(generationLogs).values({ workspaceId, runId: ok.id, kind: "review" as never, provider: "anthropic", model: JUDGE_MODEL, requestPayload: {}, durationMs: 0, userId: "local:test" }),
    ).rejects.toThrow();
    await expect(handle.db.update(conversations).set({ judgeScore: 11 }).where(eq(conversations.conversationId, "tmpl-001"))).rejects.toThrow();
    await handle.db.delete(generationRuns).where(eq(generationRuns.id, ok.id));
  });

  it("the web's Judge Selected starts a judge run for the judgeable ones, skipping the others with why; the web's worker judges them; the simulated provider is refused", async () => {
    server.reset();
    const selection = { provider: provider(), model: JUDGE_MODEL, reason: "test" };
    const started = await startJudging({ handle, workspaceId, target: { ids: ["tmpl-001", "tmpl-012"] }, budgetUsd: null, userId: "local:test", provider: selection });
    expect(started).toMatchObject({ total: 1, model: JUDGE_MODEL });
    expect(started.skipped).toEqual([expect.objectContaining({ conversationId: "tmpl-012", reason: expect.stringMatching(/not generated/) })]);
    server.enqueueJudge(fake.verdict({ helpful: 5 }));
    await driveRuns({ handle, runIds: [started.runId as string], userId: "local:test", settings: testEngineSettings({ retryPolicy: FAST_RETRIES }), providerFor: () => ({ provider: provider(), model: JUDGE_MODEL }) });
    const run = await runRow(started.runId as string);
    expect(run).toMatchObject({ purpose: "judge", status: "completed", succeeded: 1 });
    // (8·5 + 5) / 6 = 7.5
    expect((await conversation("tmpl-001")).judgeScore).toBe(7.5);
    await expect(startJudging({ handle, workspaceId, target: { ids: ["tmpl-001"] }, budgetUsd: null, userId: "local:test", provider: { provider: createSimulatedProvider(), model: "simulated", reason: "test" } })).rejects.toMatchObject({
      code: "argument_invalid",
      message: expect.stringMatching(/simulated provider is not a language model, so it cannot judge/),
    });
  });
});
