import path from "node:path";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TIERS, type Tier } from "../../src/lib/constants";
import { estimateRun } from "../../src/core/cost/estimate";
import type { RunResult } from "../../src/server/runs/run-generation";
import { generateNow as runGeneration } from "../support/generate-now";
import { buildRunReport, formatRunReport, loadRunReport, RUN_REPORT_CSV_COLUMNS, runReportToCsv, type RunReport } from "../../src/core/generation/run-report";
import { importPath } from "../../src/core/import/import-workspace";
import { createSimulatedProvider } from "../../src/core/llm/simulated-provider";
import { createPlan } from "../../src/core/planning/create-plan";
import type { DatabaseHandle } from "../../src/server/db/client";
import { getGenerationHistoryByModel, getRunReportById, listGenerationRuns } from "../../src/server/db/queries/run-reports";
import { conversations, generationLogs, generationRuns } from "../../src/server/db/schema";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const MODEL = "simulated-composer-1";
// The simulated composer is free; price it so every sum below is of real, non-zero amounts.
const PRICES = { [MODEL]: { input: 3, output: 15 } };
let handle: DatabaseHandle;
let workspaceId: string;
let templateRun: RunResult;
let restRun: RunResult;

/** RFC 4180 reader for the test: quoted fields, doubled quotes, commas and newlines inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    }
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length) rows.push([...row, field]);
  return rows;
}

async function stored(runId: string) {
  const logs = await handle.db.select().from(generationLogs).where(eq(generationLogs.runId, runId));
  const ids = [...new Set(logs.map((l) => l.conversationId as string))];
  const convs = await handle.db.select().from(conversations).where(inArray(conversations.id, ids));
  return { logs, convs };
}

describe(`cost report after a run (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 5, scenario: 4, edge_case: 3 } });
    // `db` and `handle` both: runGeneration is moving from one to the other (durable runs).
    const common = { db: handle.db, handle, provider: createSimulatedProvider(), model: MODEL, userId: "local:test", concurrency: 3, priceOverrides: PRICES };
    templateRun = await runGeneration({ ...common, selection: { tier: ["template"] } });
    restRun = await runGeneration({ ...common, selection: { all: true } });
  });
  afterAll(async () => {
    await handle.close();
  });

  it("adds up to exactly what the conversations and generation_logs of the run hold, tier by tier", async () => {
    const runId = restRun.run?.id as string;
    const report = await loadRunReport({ db: handle.db, runId });
    const { logs, convs } = await stored(runId);

    // Only this run's 4 scenario + 3 edge-case conversations: the template run is not in it.
    expect(report.conversations.map((c) => c.tier).sort()).toEqual(["edge_case", "edge_case", "edge_case", "scenario", "scenario", "scenario", "scenario"]);
    expect(report.run).toMatchObject({ id: runId, status: "completed", provider: "simulated", model: MODEL, total: 7, succeeded: 7, failed: 0 });
    expect(report.calls).toBe(logs.length);
    expect(report.failedCalls).toBe(0);
    expect(report.tokens).toEqual({ input: logs.reduce((s, l) => s + l.inputTokens, 0), output: logs.reduce((s, l) => s + l.outputTokens, 0) });
    expect(report.tokens.input).toBeGreaterThan(0);
    expect(report.actualCostUsd).toBeGreaterThan(0);
    expect(report.actualCostUsd).toBeCloseTo(logs.reduce((s, l) => s + l.costUsd, 0), 6);
    expect(report.actualCostUsd).toBeCloseTo(restRun.run?.costUsd as number, 6);

    for (const tier of TIERS) {
      const rows = convs.filter((c) => c.tier === tier);
      expect(report.byTier[tier].conversations, tier).toBe(rows.length);
      expect(report.byTier[tier].inputTokens, tier).toBe(rows.reduce((s, c) => s + c.inputTokens, 0));
      expect(report.byTier[tier].outputTokens, tier).toBe(rows.reduce((s, c) => s + c.outputTokens, 0));
      expect(report.byTier[tier].costUsd, tier).toBeCloseTo(rows.reduce((s, c) => s + c.costUsd, 0), 6);
    }
    expect(report.byTier.template.conversations).toBe(0);

    const costs = convs.map((c) => c.costUsd);
    expect(report.perConversation.minUsd).toBeCloseTo(Math.min(...costs), 6);
    expect(report.perConversation.maxUsd).toBeCloseTo(Math.max(...costs), 6);
    expect(report.perConversation.avgUsd).toBeCloseTo(costs.reduce((s, c) => s + c, 0) / costs.length, 6);
    expect(report.perConversation.minUsd).toBeLessThan(report.perConversation.maxUsd);
    expect(report.estimatedCostUsd).toBeNull();
    expect(report.differencePercent).toBeNull();
  });

  it("compares the actual cost with the estimate recorded when the run started", async () => {
    const runId = templateRun.run?.id as string;
    const actual = (await loadRunReport({ db: handle.db, runId })).actualCostUsd;
    const [row] = await handle.db.select().from(generationRuns).where(eq(generationRuns.id, runId));
    await handle.db
      .update(generationRuns)
      .set({ selection: { ...row.selection, estimate: { costUsd: actual / 1.25 } } })
      .where(eq(generationRuns.id, runId));
    const report = await loadRunReport({ db: handle.db, runId });
    expect(report.conversations.map((c) => c.conversationId)).toEqual(["tmpl-001", "tmpl-002", "tmpl-003", "tmpl-004", "tmpl-005"]);
    expect(report.estimatedCostUsd).toBeCloseTo(actual / 1.25, 10);
    expect(report.differencePercent).toBe(25);
    const lines = formatRunReport(report);
    expect(lines[0]).toMatch(/^Run [0-9a-f]{8} · completed · simulated simulated-composer-1 · 5 conversations \(5 generated, 0 failed\)/);
    expect(lines[1]).toMatch(/^Actual cost \$\S+ · estimated \$\S+ · 25\.0 % over the estimate$/);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}Template: 5 conversations · \$/));
    expect(lines.some((l) => l.includes("Scenario"))).toBe(false);
    expect(lines).toContain(`Tokens: ${report.tokens.input.toLocaleString("en-US")} input · ${report.tokens.output.toLocaleString("en-US")} output`);
  });

  it("writes a CSV with a header and one row per conversation that reads back to the same numbers", async () => {
    const report = await loadRunReport({ db: handle.db, runId: restRun.run?.id as string });
    const rows = parseCsv(runReportToCsv(report));
    expect(rows[0]).toEqual([...RUN_REPORT_CSV_COLUMNS]);
    expect(rows).toHaveLength(1 + report.conversations.length);
    const { convs } = await stored(report.run.id);
    for (const [id, tier, status, attempts, inputTokens, outputTokens, cost, quality] of rows.slice(1)) {
      const conv = convs.find((c) => c.conversationId === id);
      expect(conv, id).toBeDefined();
      expect({ tier, status, attempts: Number(attempts), inputTokens: Number(inputTokens), outputTokens: Number(outputTokens), quality: Number(quality) }).toEqual({
        tier: conv?.tier,
        status: "generated",
        attempts: 1,
        inputTokens: conv?.inputTokens,
        outputTokens: conv?.outputTokens,
        quality: conv?.qualityScore,
      });
      expect(Number(cost)).toBeCloseTo(conv?.costUsd as number, 6);
    }
  });

  it("quotes awkward values in the CSV instead of breaking its columns", () => {
    const report: RunReport = buildRunReport({
      run: { ...(restRun.run as NonNullable<RunResult["run"]>), selection: {} },
      conversations: [
        { id: "a", conversationId: 'odd, "quoted"\nid', tier: "scenario", status: "failed", qualityScore: null, costUsd: 0.5, inputTokens: 10, outputTokens: 0 },
      ],
      logs: [{ id: "l1", conversationId: "a", model: MODEL, costUsd: 0.5, inputTokens: 10, outputTokens: 0, durationMs: 3, errorCode: "malformed_response", createdAt: new Date() }],
    });
    expect(report.failedCalls).toBe(1);
    const rows = parseCsv(runReportToCsv(report));
    expect(rows).toEqual([[...RUN_REPORT_CSV_COLUMNS], ['odd, "quoted"\nid', "scenario", "failed", "1", "10", "0", "0.500000", ""]]);
  });

  it("gives estimateRun per-tier history that predicts what the same plan cost, and lists runs newest first", async () => {
    const history = await getGenerationHistoryByModel({ db: handle.db, workspaceId, model: MODEL });
    const generated = await handle.db.select().from(conversations).where(eq(conversations.isSeed, false));
    const counts = { template: 5, scenario: 4, edge_case: 3 } satisfies Record<Tier, number>;
    for (const tier of TIERS) {
      const rows = generated.filter((c) => c.tier === tier);
      expect(history[tier]).toMatchObject({ conversations: counts[tier] });
      expect(history[tier]?.avgCostUsd).toBeCloseTo(rows.reduce((s, c) => s + c.costUsd, 0) / rows.length, 6);
      expect(history[tier]?.avgOutputTokens).toBeCloseTo(rows.reduce((s, c) => s + c.outputTokens, 0) / rows.length, 6);
    }
    expect(await getGenerationHistoryByModel({ db: handle.db, workspaceId, model: "claude-sonnet-5-5" })).toEqual({ template: undefined, scenario: undefined, edge_case: undefined });

    const slots = TIERS.flatMap((tier) => Array.from({ length: counts[tier] }, () => ({ tier, promptTokens: 1, maxOutputTokens: 6_000 })));
    const estimate = estimateRun({
      provider: "simulated",
      model: MODEL,
      slots,
      history,
      limits: { requestsPerMinute: Infinity, inputTokensPerMinute: Infinity, outputTokensPerMinute: Infinity },
      concurrency: 3,
      priceOverrides: PRICES,
    });
    expect(estimate.basis).toEqual({ template: "history", scenario: "history", edge_case: "history" });
    const spent = (templateRun.run?.costUsd as number) + (restRun.run?.costUsd as number);
    expect(estimate.costUsd).toBeCloseTo(spent, 6);

    const runs = await listGenerationRuns({ db: handle.db, workspaceId, limit: 5 });
    expect(runs.map((r) => r.id)).toEqual([restRun.run?.id, templateRun.run?.id]);
    expect(await getRunReportById({ db: handle.db, id: "00000000-0000-4000-8000-000000000000" })).toBeNull();
    await expect(loadRunReport({ db: handle.db, runId: "not-a-run" })).rejects.toThrow(/no generation run with the id "not-a-run"/);
  });
});
