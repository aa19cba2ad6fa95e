/**
 * The Cost page's daily rollup (generation_cost_daily, migration 0017) on a real database, PGlite and
 * PostgreSQL: calls seeded through the real insert paths (insertGenerationLog, which the live worker,
 * batch ingest and judge use; insertTemplateTestLog) over several days, weeks and months, kinds,
 * models, users, with a failed call, a simulated call, a model without a price and a finished run. The page's data
 * function (loadCostOverview) must show exactly what the calls themselves add up to — computed here
 * from the seeded calls, by the rules the page had when it read generation_logs directly — for the
 * day, week and month views; the retention job deleting old calls must leave every figure unchanged;
 * the migration's backfill (the same function run over existing calls) must rebuild the same rollup.
 */
import fs from "node:fs";
import path from "node:path";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { periodStart, recentPeriods, type CostPeriod } from "../../src/core/cost/cost-analytics";
import { importPath } from "../../src/core/import/import-workspace";
import { createPlan } from "../../src/core/planning/create-plan";
import { enforceWorkspaceRetention } from "../../src/core/retention/enforce-retention";
import { costCsv, loadCostOverview, type CostOverview } from "../../src/server/cost";
import type { DatabaseHandle } from "../../src/server/db/client";
import { insertGenerationLog } from "../../src/server/db/queries/runs";
import { insertTemplateTestLog } from "../../src/server/db/queries/template-tests";
import { conversations, generationCostDaily, generationCostMarks, generationCostRuns, generationRuns, promptTemplates } from "../../src/server/db/schema";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
/** A Thursday, so "2 days ago" is in the same ISO week and month and "35 days ago" in the month before. */
const NOW = new Date("2026-11-26T12:00:00.000Z");
const DAY_MS = 86_400_000;
const UNPRICED = "acme-mystery-1";

/** One seeded call, as the test knows it (the independent side of the comparison). */
interface SeededCall {
  conversation: string | null;
  tier: string;
  templateId: string | null;
  kind: "generate" | "judge" | "template_test";
  provider: "openai" | "anthropic" | "simulated";
  model: string;
  userId: string;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  failed: boolean;
  createdAt: Date;
  runId: string | null;
}

let handle: DatabaseHandle;
let workspaceId: string;
let runId: string;
const seeded: SeededCall[] = [];
const templateNames = new Map<string, string>();

const round = (n: number) => Math.round(n * 1e6) / 1e6;
const day = (at: Date) => at.toISOString().slice(0, 10);

/** What the page showed when it summed generation_logs itself (the pre-rollup queries' rules). */
function expectedFromCalls(calls: readonly SeededCall[], period: CostPeriod) {
  const { starts, from, to } = recentPeriods(period, NOW);
  const inRange = calls.filter((c) => c.createdAt >= from && c.createdAt < to);
  const models = inRange.filter((c) => c.provider !== "simulated");
  const series = starts.map((start) => {
    const inPeriod = models.filter((c) => day(periodStart(period, c.createdAt)) === start);
    const simulated = inRange.filter((c) => c.provider === "simulated" && day(periodStart(period, c.createdAt)) === start);
    const costUsd = round(inPeriod.reduce((n, c) => n + c.costUsd, 0));
    const generated = new Set(inPeriod.filter((c) => c.kind === "generate" && c.conversation).map((c) => c.conversation)).size;
    return { periodStart: start, costUsd, calls: inPeriod.length, simulatedCalls: simulated.length, conversations: generated, perConversationUsd: generated ? round(costUsd / generated) : null };
  });
  type Row = { dimension: string; key: string; label: string; provider: string | null; costUsd: number; calls: number; inputTokens: number; outputTokens: number; conversations: number };
  const breakdown: Row[] = [];
  const group = (dimension: string, rows: readonly SeededCall[], keyOf: (c: SeededCall) => string, labelOf: (c: SeededCall) => string, providerOf: (c: SeededCall) => string | null) => {
    const keys = [...new Set(rows.map((c) => `${providerOf(c)}|${keyOf(c)}`))];
    for (const k of keys) {
      const of = rows.filter((c) => `${providerOf(c)}|${keyOf(c)}` === k);
      breakdown.push({
        dimension,
        key: keyOf(of[0]),
        label: labelOf(of[0]),
        provider: providerOf(of[0]),
        costUsd: round(of.reduce((n, c) => n + c.costUsd, 0)),
        calls: of.length,
        inputTokens: of.reduce((n, c) => n + c.inputTokens, 0),
        outputTokens: of.reduce((n, c) => n + c.outputTokens, 0),
        conversations: new Set(of.filter((c) => c.conversation).map((c) => c.conversation)).size,
      });
    }
  };
  group("tier", models, (c) => c.tier, (c) => c.tier, () => null);
  group("template", models, (c) => c.templateId ?? "", (c) => (c.templateId ? (templateNames.get(c.templateId) ?? "") : ""), () => null);
  group("model", inRange, (c) => c.model, (c) => c.model, (c) => c.provider);
  group("user", models, (c) => c.userId, (c) => c.userId, () => null);
  group("kind", models, (c) => c.kind, (c) => c.kind, () => null);
  const monthStart = periodStart("month", NOW);
  const ofRun = calls.filter((c) => c.runId === runId);
  return {
    runs: [{ id: runId, costUsd: round(ofRun.reduce((n, c) => n + c.costUsd, 0)), inputTokens: ofRun.reduce((n, c) => n + c.inputTokens, 0), outputTokens: ofRun.reduce((n, c) => n + c.outputTokens, 0), conversations: new Set(ofRun.map((c) => c.conversation)).size }],
    series,
    rangeUsd: round(models.reduce((n, c) => n + c.costUsd, 0)),
    simulatedCalls: inRange.filter((c) => c.provider === "simulated").length,
    simulatedUsd: round(inRange.filter((c) => c.provider === "simulated").reduce((n, c) => n + c.costUsd, 0)),
    breakdown: sortRows(breakdown),
    unpricedModels: [...new Set(models.filter((c) => c.model === UNPRICED).map((c) => c.model))],
    monthSpentUsd: round(calls.filter((c) => c.provider !== "simulated" && c.createdAt >= monthStart && c.createdAt < NOW).reduce((n, c) => n + c.costUsd, 0)),
  };
}

function sortRows<T extends { dimension: string; key: string; provider: string | null }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => `${a.dimension}|${a.provider}|${a.key}`.localeCompare(`${b.dimension}|${b.provider}|${b.key}`));
}

/** The figures of a CostOverview that the calls make, rounded to the micro-dollar like the database keeps them. */
function shownFigures(o: CostOverview) {
  return {
    runs: o.runs.map((r) => ({ id: r.id, costUsd: round(r.costUsd), inputTokens: r.inputTokens, outputTokens: r.outputTokens, conversations: r.conversations })),
    series: o.series.map((p) => ({ ...p, costUsd: round(p.costUsd), perConversationUsd: p.perConversationUsd === null ? null : round(p.perConversationUsd) })),
    rangeUsd: round(o.rangeUsd),
    simulatedCalls: o.simulatedCalls,
    simulatedUsd: round(o.simulatedUsd),
    breakdown: sortRows(o.breakdown.map((r) => ({ dimension: r.dimension, key: r.key, label: r.label, provider: r.dimension === "model" ? r.provider : null, costUsd: round(r.costUsd), calls: r.calls, inputTokens: r.inputTokens, outputTokens: r.outputTokens, conversations: r.conversations }))),
    unpricedModels: o.unpricedModels,
    monthSpentUsd: round(o.month.spentUsd),
  };
}

describe(`cost rollup (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 4, scenario: 2, edge_case: 2 } });
    const rows = await handle.db
      .select({ id: conversations.id, humanId: conversations.conversationId, tier: conversations.tier, templateId: conversations.templateId })
      .from(conversations)
      .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.isSeed, false)))
      .orderBy(asc(conversations.conversationId));
    const pick = (tier: string, n: number) => rows.filter((r) => r.tier === tier)[n];
    const [t1, t2, s1, e1] = [pick("template", 0), pick("template", 1), pick("scenario", 0), pick("edge_case", 0)];
    for (const t of await handle.db.select({ id: promptTemplates.id, name: promptTemplates.name }).from(promptTemplates).where(eq(promptTemplates.workspaceId, workspaceId))) templateNames.set(t.id, t.name);

    const [run] = await handle.db
      .insert(generationRuns)
      .values({ workspaceId, kind: "live", status: "completed", provider: "openai", model: "gpt-5.6-luna", concurrency: 2, total: 3, succeeded: 3, estimate: { costUsd: 0.4, timeMs: 60_000 }, createdBy: "alice", startedAt: new Date(NOW.getTime() - 11 * DAY_MS), finishedAt: NOW })
      .returning();
    runId = run.id;
    const call = async (c: { conv: typeof t1 | null; run?: boolean; kind?: SeededCall["kind"]; provider: SeededCall["provider"]; model: string; user: string; usd: number; daysAgo: number; failed?: boolean; tokens?: [number, number] }) => {
      const createdAt = new Date(NOW.getTime() - c.daysAgo * DAY_MS - 5 * 60_000);
      const [inputTokens, outputTokens] = c.failed ? [0, 0] : (c.tokens ?? [1_000, 600]);
      const values = {
        templateId: c.conv?.templateId ?? t1.templateId,
        templateVersion: 1,
        provider: c.provider,
        model: c.model,
        requestPayload: { prompt: "…" },
        costUsd: c.usd,
        inputTokens,
        outputTokens,
        durationMs: 900,
        errorCode: c.failed ? "rate_limited" : null,
        errorMessage: c.failed ? "The provider is rate limiting this key." : null,
        userId: c.user,
        createdAt,
        runId: c.run ? runId : null,
      };
      if (c.conv) await insertGenerationLog({ db: handle.db, values: { ...values, conversationId: c.conv.id, kind: c.kind ?? "generate" } });
      else {
        const { runId: _none, ...testValues } = values;
        await insertTemplateTestLog({ db: handle.db, workspaceId, values: testValues });
      }
      seeded.push({ conversation: c.conv?.id ?? null, tier: c.conv?.tier ?? "", templateId: values.templateId, kind: c.conv ? (c.kind ?? "generate") : "template_test", provider: c.provider, model: c.model, userId: c.user, costUsd: c.usd, inputTokens, outputTokens, failed: Boolean(c.failed), createdAt, runId: values.runId });
    };
    // Out of time order on purpose: markers must not depend on the order calls arrive in.
    await call({ conv: t1, run: true, provider: "openai", model: "gpt-5.6-luna", user: "alice", usd: 0.1, daysAgo: 0 });
    await call({ conv: t1, provider: "openai", model: "gpt-5.6-luna", user: "alice", usd: 0.05, daysAgo: 2 });
    await call({ conv: t1, kind: "judge", provider: "anthropic", model: "claude-sonnet-5-5", user: "alice", usd: 0.01, daysAgo: 0 });
    await call({ conv: t1, provider: "openai", model: "gpt-5.6-luna", user: "alice", usd: 0.03, daysAgo: 100 });
    await call({ conv: t2, run: true, provider: "anthropic", model: "claude-sonnet-5-5", user: "bob", usd: 0, daysAgo: 1, failed: true });
    await call({ conv: t2, run: true, provider: "anthropic", model: "claude-sonnet-5-5", user: "bob", usd: 0.2, daysAgo: 1 });
    await call({ conv: t2, kind: "judge", provider: "openai", model: "gpt-5.6-luna", user: "bob", usd: 0.015, daysAgo: 8 });
    await call({ conv: s1, provider: "openai", model: UNPRICED, user: "carol", usd: 0, daysAgo: 3, tokens: [800, 400] });
    await call({ conv: s1, run: true, provider: "openai", model: "gpt-5.6-luna", user: "carol", usd: 0.07, daysAgo: 10 });
    await call({ conv: s1, provider: "openai", model: "gpt-5.6-luna", user: "carol", usd: 0.04, daysAgo: 35 });
    await call({ conv: e1, provider: "simulated", model: "simulated-composer-1", user: "alice", usd: 0, daysAgo: 0 });
    await call({ conv: e1, provider: "openai", model: "gpt-5.6-luna", user: "bob", usd: 0.12, daysAgo: 40 });
    await call({ conv: null, provider: "openai", model: "gpt-5.6-luna", user: "alice", usd: 0.02, daysAgo: 0 });
  });
  afterAll(async () => {
    await handle.close();
  });

  it.each(["day", "week", "month"] as const)("shows, per %s, the same spend, conversations, breakdowns and month total the calls add up to", async (period) => {
    const shown = shownFigures(await loadCostOverview({ db: handle.db, workspaceId, period, now: NOW }));
    const expected = expectedFromCalls(seeded, period);
    expect(shown).toEqual(expected);
    // The seeds do reach what they are meant to test in this view.
    expect(shown.unpricedModels).toEqual([UNPRICED]);
    expect(shown.simulatedCalls).toBe(1);
    // This ISO week: t1 on two days, t2 twice on one day, s1 once, e1 only by the simulated provider.
    if (period === "week") expect(shown.series.at(-1)?.conversations).toBe(3);
  });

  it("rebuilds the same rollup when the migration's backfill runs over the existing calls", async () => {
    const snapshot = async () =>
      (await handle.db.select().from(generationCostDaily).where(eq(generationCostDaily.workspaceId, workspaceId)))
        // Which of a conversation's same-day rows carries its marker depends on the order calls arrive in; the sums do not.
        .map((r) => ({ day: r.day, kind: r.kind, tier: r.tier, templateId: r.templateId, provider: r.provider, model: r.model, userId: r.userId, calls: r.calls, failedCalls: r.failedCalls, inputTokens: r.inputTokens, outputTokens: r.outputTokens, costUsd: round(r.costUsd) }))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const kept = await snapshot();
    expect(kept.reduce((n, r) => n + r.calls, 0)).toBe(seeded.length);
    expect(kept.reduce((n, r) => n + r.failedCalls, 0)).toBe(1);
    // Empty this workspace's rollups (the markers go with the daily rows), then run the backfill's statement.
    await handle.db.delete(generationCostDaily).where(eq(generationCostDaily.workspaceId, workspaceId));
    await handle.db.delete(generationCostRuns).where(eq(generationCostRuns.workspaceId, workspaceId));
    expect(await handle.db.select().from(generationCostMarks).where(eq(generationCostMarks.workspaceId, workspaceId))).toEqual([]);
    // The migration's own back-fill statement (its last one), as it runs on an upgraded database.
    const migration = fs.readFileSync(path.resolve(__dirname, "../../drizzle/0017_cost_rollup.sql"), "utf8");
    const backfill = migration.split("--> statement-breakpoint").at(-1) ?? "";
    expect(backfill).toContain('PERFORM "generation_cost_record"(r)');
    await handle.db.execute(sql.raw(backfill));
    expect(await snapshot()).toEqual(kept);
    for (const period of ["day", "week", "month"] as const) {
      expect(shownFigures(await loadCostOverview({ db: handle.db, workspaceId, period, now: NOW }))).toEqual(expectedFromCalls(seeded, period));
    }
  });

  it("keeps every figure when the retention job deletes old calls, while the accounting CSV (per call) loses them", async () => {
    const before = await Promise.all((["day", "week", "month"] as const).map((period) => loadCostOverview({ db: handle.db, workspaceId, period, now: NOW })));
    const csvBefore = await costCsv({ db: handle.db, workspaceId, from: new Date(NOW.getTime() - 200 * DAY_MS), to: NOW });
    // 80 days on, the default 90-day window reaches back to 10 days before NOW.
    const outcome = await enforceWorkspaceRetention({ db: handle.db, workspaceId, now: new Date(NOW.getTime() + 80 * DAY_MS) });
    expect(outcome.generationLogsDeleted).toBe(seeded.filter((c) => c.createdAt < new Date(NOW.getTime() - 10 * DAY_MS)).length);
    expect(outcome.generationLogsDeleted).toBeGreaterThanOrEqual(4);
    const after = await Promise.all((["day", "week", "month"] as const).map((period) => loadCostOverview({ db: handle.db, workspaceId, period, now: NOW })));
    expect(after.map(shownFigures)).toEqual(before.map(shownFigures));
    expect(after.map(shownFigures)).toEqual((["day", "week", "month"] as const).map((period) => expectedFromCalls(seeded, period)));
    const csvAfter = await costCsv({ db: handle.db, workspaceId, from: new Date(NOW.getTime() - 200 * DAY_MS), to: NOW });
    expect(csvBefore.trim().split("\n").length - csvAfter.trim().split("\n").length).toBe(outcome.generationLogsDeleted);
  });
});
