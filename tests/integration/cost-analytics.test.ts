/**
 * Cost analytics (issue 13 item 4) on a real database: a run of the simulated provider (not a language
 * model) through the engine, plus two finished runs of a language model recorded with known amounts.
 * The cost page's spend per period, breakdowns, month against the budget, estimate accuracy and
 * recommendations add up to the recorded calls; simulated calls are counted apart; the run summary
 * compares a run with the earlier ones of its kind and refuses a run of another workspace; the
 * accounting CSV has one row per call of its range; the conversations table carries each
 * conversation's cost.
 */
import path from "node:path";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { periodStart } from "../../src/core/cost/cost-analytics";
import { formatRunReport, loadRunReport } from "../../src/core/generation/run-report";
import { importPath } from "../../src/core/import/import-workspace";
import { createSimulatedProvider } from "../../src/core/llm/simulated-provider";
import { createPlan } from "../../src/core/planning/create-plan";
import { COST_CSV_COLUMNS, costCsv, loadCostHistoryForEstimate, loadCostOverview, loadRunSummary } from "../../src/server/cost";
import type { DatabaseHandle } from "../../src/server/db/client";
import { listConversations } from "../../src/server/db/queries/conversation-list";
import { listSpendByPeriod, updateMonthlyBudget } from "../../src/server/db/queries/cost-analytics";
import { listFinishedRunCosts } from "../../src/server/db/queries/run-reports";
import { conversations, generationLogs, generationRuns } from "../../src/server/db/schema";
import type { RunResult } from "../../src/server/runs/run-generation";
import { generateNow } from "../support/generate-now";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const MODEL_A = "gpt-5.6-luna";
const MODEL_B = "claude-sonnet-5-5";
let handle: DatabaseHandle;
let workspaceId: string;
let otherWorkspaceId: string;
let simulatedRun: RunResult;
const NOW = new Date();
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const lastMonth = new Date(periodStart("month", NOW).getTime() - 5 * 86_400_000);
let runA: string;
let runB: string;

/** A finished language-model run with its calls, as the engine records them. */
async function recordRun({ model, provider, startedAt, estimateUsd, calls }: { model: string; provider: "openai" | "anthropic"; startedAt: Date; estimateUsd: number; calls: Array<{ conversation: string; costUsd: number; userId: string; at: Date }> }) {
  const [run] = await handle.db
    .insert(generationRuns)
    .values({
      workspaceId,
      kind: "live",
      status: "completed",
      provider,
      model,
      concurrency: 3,
      total: calls.length,
      succeeded: calls.length,
      costUsd: calls.reduce((n, c) => n + c.costUsd, 0),
      estimate: { costUsd: estimateUsd, timeMs: 60_000 },
      createdBy: calls[0].userId,
      startedAt,
      finishedAt: new Date(startedAt.getTime() + 90_000),
    })
    .returning();
  for (const call of calls) {
    const [conv] = await handle.db.select().from(conversations).where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.conversationId, call.conversation)));
    await handle.db.insert(generationLogs).values({
      workspaceId,
      runId: run.id,
      conversationId: conv.id,
      templateId: conv.templateId,
      templateVersion: 1,
      provider,
      model,
      costUsd: call.costUsd,
      inputTokens: 1_000,
      outputTokens: 500,
      durationMs: 1_200,
      userId: call.userId,
      createdAt: call.at,
    });
  }
  return run.id;
}

describe(`cost analytics (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    otherWorkspaceId = (await createTestWorkspace(handle.db, "Other business")).id;
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 30, scenario: 4, edge_case: 3 } });
    simulatedRun = await generateNow({ handle, workspaceId, provider: createSimulatedProvider(), model: "simulated-composer-1", userId: "local:test", concurrency: 3, selection: { tier: ["edge_case"] } });
    // Last month: model A, 2 conversations, $0.40, estimated $0.50 (20 % under).
    runA = await recordRun({
      model: MODEL_A,
      provider: "openai",
      startedAt: lastMonth,
      estimateUsd: 0.5,
      calls: [
        { conversation: "tmpl-001", costUsd: 0.15, userId: "alice", at: lastMonth },
        { conversation: "tmpl-002", costUsd: 0.25, userId: "alice", at: lastMonth },
      ],
    });
    // This month: model A again, 3 conversations (one retried), $0.90, estimated $0.85.
    runB = await recordRun({
      model: MODEL_A,
      provider: "openai",
      startedAt: minutesAgo(30),
      estimateUsd: 0.85,
      calls: [
        { conversation: "tmpl-003", costUsd: 0.2, userId: "bob", at: minutesAgo(3) },
        { conversation: "tmpl-004", costUsd: 0.3, userId: "bob", at: minutesAgo(2) },
        { conversation: "tmpl-004", costUsd: 0.1, userId: "bob", at: minutesAgo(2) },
        { conversation: "scen-001", costUsd: 0.3, userId: "alice", at: minutesAgo(1) },
      ],
    });
  });
  afterAll(async () => {
    await handle.close();
  });

  it("sums spend per day and per month from the recorded calls, language models apart from the simulated provider", async () => {
    const days = await listSpendByPeriod({ db: handle.db, workspaceId, period: "day" });
    const today = days.find((d) => d.periodStart === NOW.toISOString().slice(0, 10));
    expect(today?.costUsd).toBeCloseTo(0.9, 6);
    expect(today?.calls).toBe(4);
    expect(today?.conversations).toBe(3);
    expect(today?.simulatedCalls).toBeGreaterThanOrEqual(3);
    expect(today?.simulatedCostUsd).toBe(0);
    const months = await listSpendByPeriod({ db: handle.db, workspaceId, period: "month" });
    expect(months.map((m) => [m.periodStart, Number(m.costUsd.toFixed(6))])).toEqual([
      [lastMonth.toISOString().slice(0, 8) + "01", 0.4],
      [NOW.toISOString().slice(0, 8) + "01", 0.9],
    ]);
    // Another workspace sees none of it.
    expect(await listSpendByPeriod({ db: handle.db, workspaceId: otherWorkspaceId, period: "day" })).toEqual([]);
  });

  it("shows the cost page's month, breakdowns, accuracy and budget alert from the same figures", async () => {
    const overview = await loadCostOverview({ db: handle.db, workspaceId, period: "month", now: NOW });
    expect(overview.month.spentUsd).toBeCloseTo(0.9, 6);
    expect(overview.rangeUsd).toBeCloseTo(1.3, 6);
    expect(overview.month.budget.level).toBe("none");
    expect(overview.series.at(-1)?.perConversationUsd).toBeCloseTo(0.3, 6);
    expect(overview.simulatedCalls).toBeGreaterThanOrEqual(3);

    const users = overview.breakdown.filter((r) => r.dimension === "user");
    expect(Object.fromEntries(users.map((u) => [u.key, Number(u.costUsd.toFixed(6))]))).toEqual({ alice: 0.7, bob: 0.6 });
    const tiers = overview.breakdown.filter((r) => r.dimension === "tier");
    expect(Object.fromEntries(tiers.map((t) => [t.key, Number(t.costUsd.toFixed(6))]))).toEqual({ template: 1, scenario: 0.3 });
    expect(overview.breakdown.filter((r) => r.dimension === "kind").map((k) => [k.key, Number(k.costUsd.toFixed(6)), k.calls])).toEqual([["generate", 1.3, 6]]);
    const models = overview.breakdown.filter((r) => r.dimension === "model");
    expect(models.find((m) => m.key === MODEL_A)?.costUsd).toBeCloseTo(1.3, 6);
    expect(models.find((m) => m.simulated)?.key).toBe("simulated-composer-1");
    expect(overview.breakdown.filter((r) => r.dimension === "template").reduce((n, r) => n + r.costUsd, 0)).toBeCloseTo(1.3, 6);

    // Run A: 20 % under; run B: 5.9 % over → 80 % of 2 runs is both: ±20 %.
    expect(overview.accuracy).toEqual({ runs: 2, withinPercent: 20, covered: 2, medianPercent: 12.9 });
    expect(overview.runs.filter((r) => r.provider !== "simulated").map((r) => r.id)).toEqual([runB, runA]);
    expect(overview.runs.find((r) => r.id === runB)).toMatchObject({ conversations: 3, estimatedUsd: 0.85 });

    await updateMonthlyBudget({ db: handle.db, workspaceId, budgetUsd: 0.5 });
    const over = await loadCostOverview({ db: handle.db, workspaceId, period: "day", now: NOW });
    expect(over.month.budget.level).toBe("over");
    expect(over.month.budget.message).toMatch(/has reached the monthly budget of \$0\.50/);
    await updateMonthlyBudget({ db: handle.db, workspaceId, budgetUsd: null });
  });

  it("gives the generate dialog the model's average per conversation and the accuracy of past estimates", async () => {
    const history = await loadCostHistoryForEstimate({ db: handle.db, workspaceId, model: MODEL_A, simulated: false, now: NOW });
    // ($0.40 + $0.90) / (2 + 3) conversations.
    expect(history.avgPerConversationUsd).toBeCloseTo(0.26, 6);
    expect(history.runs).toBe(2);
    expect(history.accuracyText).toBe("Past estimates within ±20 % for 2 of 2 finished runs (median difference 12.9 %).");
    const none = await loadCostHistoryForEstimate({ db: handle.db, workspaceId: otherWorkspaceId, model: MODEL_A, simulated: false });
    expect(none.avgPerConversationUsd).toBeNull();
    expect(none.accuracyText).toMatch(/No finished runs with an estimate yet/);
  });

  it("summarises a run against its estimate and the earlier runs of its kind, and only in its workspace", async () => {
    const b = await loadRunSummary({ db: handle.db, workspaceId, runId: runB });
    expect(b.actualCostUsd).toBeCloseTo(0.9, 6);
    expect(b.differencePercent).toBe(5.9);
    expect(b.perConversation).toEqual({ minUsd: 0.2, avgUsd: 0.3, medianUsd: 0.3, maxUsd: 0.4 });
    expect(b.run.durationMs).toBe(90_000);
    expect(b.estimatedTimeMs).toBe(60_000);
    expect(b.timeDifferencePercent).toBe(50);
    // Run A: $0.40 over 2 conversations = $0.20; run B's $0.30 is 50 % higher. The simulated run is another kind.
    expect(b.comparison).toEqual({ previousRuns: 1, previousAvgPerConversationUsd: 0.2, differencePercent: 50 });
    // `brightrun runs show` prints the same report.
    const lines = formatRunReport(b);
    expect(lines).toContain("Time: 2 min · estimated 1 min · 50.0 % over the estimate");
    expect(lines).toContain("Previous runs: $0.30 per conversation is 50.0 % over the average of $0.20 over 1 earlier run");
    const a = await loadRunReport({ db: handle.db, runId: runA });
    expect(a.comparison.previousRuns).toBe(0);
    const simulated = await loadRunReport({ db: handle.db, runId: simulatedRun.run?.id as string });
    expect(simulated.comparison.previousRuns).toBe(0);
    await expect(loadRunSummary({ db: handle.db, workspaceId: otherWorkspaceId, runId: runB })).rejects.toMatchObject({ code: "run_not_found" });
  });

  it("writes the accounting CSV with one row per call of the range, simulated calls labelled", async () => {
    const from = periodStart("month", NOW);
    const to = new Date(periodStart("day", NOW).getTime() + 86_400_000);
    const lines = (await costCsv({ db: handle.db, workspaceId, from, to })).trim().split("\n");
    expect(lines[0]).toBe(COST_CSV_COLUMNS.join(","));
    const rows = lines.slice(1).map((l) => l.split(","));
    const col = (name: (typeof COST_CSV_COLUMNS)[number]) => COST_CSV_COLUMNS.indexOf(name);
    const model = rows.filter((r) => r[col("simulated")] === "no");
    expect(model).toHaveLength(4);
    expect(model.reduce((n, r) => n + Number(r[col("cost_usd")]), 0)).toBeCloseTo(0.9, 6);
    expect(model.map((r) => r[col("conversation_id")]).sort()).toEqual(["scen-001", "tmpl-003", "tmpl-004", "tmpl-004"]);
    expect(rows.filter((r) => r[col("simulated")] === "yes").length).toBeGreaterThanOrEqual(3);
    expect(model.every((r) => r[col("price_known")] === "yes" && r[col("cost_usd")].match(/^\d+\.\d{6}$/))).toBe(true);
  });

  it("recommends the cheaper model of a tier only once two have enough reviewed conversations", async () => {
    // Only simulated conversations so far: nothing to compare.
    expect((await loadCostOverview({ db: handle.db, workspaceId, period: "day", now: NOW })).recommendations).toEqual([]);

    const templates = await handle.db.select().from(conversations).where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.tier, "template"), eq(conversations.isSeed, false))).orderBy(asc(conversations.conversationId));
    const mark = async (rows: typeof templates, model: string, provider: "openai" | "anthropic", costUsd: number, approved: number) => {
      for (const [i, row] of rows.entries()) {
        await handle.db
          .update(conversations)
          .set({ model, provider, costUsd, generatedAt: NOW, status: i < approved ? "approved" : "rejected" })
          .where(eq(conversations.id, row.id));
      }
    };
    await mark(templates.slice(0, 12), MODEL_A, "openai", 0.06, 10);
    const one = await loadCostOverview({ db: handle.db, workspaceId, period: "day", now: NOW });
    expect(one.recommendations.find((r) => r.dimension === "model" && r.tier === "template")?.reason).toMatch(/not enough data yet to compare models .*\(1 so far\)/);
    await mark(templates.slice(12, 24), MODEL_B, "anthropic", 0.1, 10);
    const after = await loadCostOverview({ db: handle.db, workspaceId, period: "day", now: NOW });
    const rec = after.recommendations.find((r) => r.dimension === "model" && r.tier === "template")?.recommendation;
    expect(rec?.text).toBe(
      `Tier 1 (Template) on model ${MODEL_A} cost 40 % less per conversation than ${MODEL_B} ($0.06 vs $0.10) at the same approval rate (83.3 % vs 83.3 %, 12 and 12 reviewed).`,
    );

    // The conversations table carries each conversation's recorded cost and model.
    const page = await listConversations({ db: handle.db, workspaceId, filter: { tier: ["template"], isSeed: false }, sort: { column: "conversation_id", direction: "asc" }, page: 1, perPage: 2 });
    expect(page.rows[0]).toMatchObject({ conversationId: "tmpl-001", costUsd: 0.06, model: MODEL_A, provider: "openai" });
  });
  it("keeps a run's cost once retention has deleted its calls: the run's own totals stand in", async () => {
    const runC = await recordRun({
      model: MODEL_A,
      provider: "openai",
      startedAt: minutesAgo(20),
      estimateUsd: 0.4,
      calls: [
        { conversation: "tmpl-010", costUsd: 0.15, userId: "bob", at: minutesAgo(19) },
        { conversation: "tmpl-011", costUsd: 0.2, userId: "bob", at: minutesAgo(18) },
      ],
    });
    const before = (await listFinishedRunCosts({ db: handle.db, workspaceId })).find((r) => r.id === runC);
    expect(before).toMatchObject({ conversations: 2, inputTokens: 2_000, outputTokens: 1_000 });
    expect(before?.costUsd).toBeCloseTo(0.35, 6);
    await handle.db.update(generationRuns).set({ inputTokens: 2_000, outputTokens: 1_000 }).where(eq(generationRuns.id, runC));
    await handle.db.delete(generationLogs).where(eq(generationLogs.runId, runC));
    const after = (await listFinishedRunCosts({ db: handle.db, workspaceId })).find((r) => r.id === runC);
    expect(after).toMatchObject({ conversations: 2, inputTokens: 2_000, outputTokens: 1_000, estimatedUsd: 0.4 });
    expect(after?.costUsd).toBeCloseTo(0.35, 6);
  });
});
