import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { costUsd } from "../../src/core/cost/prices";
import { importPath } from "../../src/core/import/import-workspace";
import { createAnthropicBatchClient } from "../../src/core/llm/batch/anthropic-batch";
import { createOpenAIBatchClient } from "../../src/core/llm/batch/openai-batch";
import { createAnthropicProvider } from "../../src/core/llm/anthropic-provider";
import { createOpenAIProvider } from "../../src/core/llm/openai-provider";
import { createPlan } from "../../src/core/planning/create-plan";
import type { DatabaseHandle } from "../../src/server/db/client";
import { conversations, generationLogs, generationRunItems, generationRuns } from "../../src/server/db/schema";
import type { BatchRound, BatchState } from "../../src/server/runs/batch-driver";
import { cancelGenerationRun } from "../../src/server/runs/run-control";
import { startFakeBatchServer, type FakeBatchServer } from "../support/fake-llm-batch";
import { generateNow } from "../support/generate-now";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const MODELS = { anthropic: "claude-sonnet-4-6", openai: "gpt-4.1-mini" } as const;
let handle: DatabaseHandle;
let workspaceId: string;
let server: FakeBatchServer;

function providerFor(wire: "anthropic" | "openai", on = server) {
  return wire === "anthropic"
    ? createAnthropicProvider({ apiKey: "sk-ant-test", baseURL: on.anthropicBaseUrl })
    : createOpenAIProvider({ apiKey: "sk-test", baseURL: on.openaiBaseUrl });
}

function clientFor(wire: "anthropic" | "openai", on = server) {
  return wire === "anthropic"
    ? createAnthropicBatchClient({ apiKey: "sk-ant-test", baseURL: on.anthropicBaseUrl, model: MODELS.anthropic })
    : createOpenAIBatchClient({ apiKey: "sk-test", baseURL: on.openaiBaseUrl, model: MODELS.openai });
}

/** A batch-mode run of `ids` through the real engine (run machine, pg-boss, batch driver) against the fake batch server. */
async function batchGenerate(
  wire: "anthropic" | "openai",
  ids: string[],
  options: { maxRounds?: number; budgetUsd?: number; on?: FakeBatchServer; onStart?: (info: { runId: string }) => void } = {},
) {
  const result = await generateNow({
    handle,
    kind: "batch",
    selection: { ids },
    provider: providerFor(wire, options.on),
    model: MODELS[wire],
    concurrency: 1,
    budgetUsd: options.budgetUsd ?? null,
    batch: { pollIntervalMs: 5, maxRounds: options.maxRounds ?? 3, clientFor: () => clientFor(wire, options.on) },
    onStart: options.onStart,
  });
  if (!result.run) throw new Error("no run created");
  const rounds = ((result.run.batchState ?? {}) as BatchState).rounds ?? ([] as BatchRound[]);
  const items = await handle.db.select().from(generationRunItems).where(eq(generationRunItems.runId, result.run.id));
  return { ...result, run: result.run, rounds, items };
}

async function logsOfRun(runId: string) {
  return handle.db.select().from(generationLogs).where(eq(generationLogs.runId, runId)).orderBy(asc(generationLogs.createdAt));
}

describe(`batch mode through the real SDKs' batch APIs against the fake batch server (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    server = await startFakeBatchServer({ pollsUntilEnded: 2 });
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 8, scenario: 6, edge_case: 4 } });
  });
  afterAll(async () => {
    await server.close();
    await handle.close();
  });

  const cases = [
    { wire: "anthropic" as const, ids: ["tmpl-001", "tmpl-002", "tmpl-003", "tmpl-004"] },
    { wire: "openai" as const, ids: ["tmpl-005", "tmpl-006", "scen-001", "scen-002"] },
  ];

  for (const { wire, ids } of cases) {
    it(`${wire}: submits the run's items, polls, ingests by custom_id, re-queues an errored and an expired item, and generates them all at half price`, async () => {
      const batchesBefore = server.batches.length;
      server.enqueueOutcomes("errored", "expired");
      const result = await batchGenerate(wire, ids);
      const { run, items } = result;

      // Two batches: all four items, then the two that errored / expired.
      const batches = server.batches.slice(batchesBefore);
      expect(batches.map((b) => b.wire)).toEqual([wire, wire]);
      expect(new Set(batches[0].customIds)).toEqual(new Set(items.map((i) => i.id)));
      expect(batches[1].customIds).toEqual(batches[0].customIds.slice(0, 2));
      expect(batches[0].polls).toBeGreaterThanOrEqual(3); // in progress twice, then ended
      // Each round records the measured time from submission to the poll that found it ended.
      for (const round of result.rounds) expect(round.durationMs).toBeGreaterThan(0);
      expect(result.rounds.map((r) => [r.submitted, r.succeeded, r.requeued, r.failed])).toEqual([
        [4, 2, 2, 0],
        [2, 2, 0, 0],
      ]);

      expect(result.run?.status).toBe("completed");
      expect(result.run?.succeeded).toBe(4);
      expect(result.run?.failed).toBe(0);
      const itemStates = await handle.db.select({ state: generationRunItems.state }).from(generationRunItems).where(eq(generationRunItems.runId, run?.id as string));
      expect(itemStates.map((i) => i.state)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"]);
      for (const id of ids) {
        const [row] = await handle.db.select().from(conversations).where(eq(conversations.conversationId, id));
        expect(row.status).toBe("generated");
        expect(row.turnCount).toBe(10);
        expect(row.provider).toBe(wire);
      }

      // One log row per result: 4 successes + the errored and the expired one.
      const logs = await logsOfRun(run?.id as string);
      expect(logs).toHaveLength(6);
      const failures = logs.filter((l) => l.errorCode !== null);
      expect(failures.map((l) => l.errorCode).sort()).toEqual(["batch_expired", "server_error"]);
      expect(failures.every((l) => l.costUsd === 0)).toBe(true);
      for (const log of logs) expect(log.durationMs).toBeGreaterThan(0);
      for (const log of logs.filter((l) => l.errorCode === null)) {
        const full = costUsd({ model: log.model, inputTokens: log.inputTokens, outputTokens: log.outputTokens });
        expect(full).toBeGreaterThan(0);
        expect(log.costUsd).toBeCloseTo(full / 2, 6);
        const batch = (log.parameters as { batch: { provider: string; id: string; custom_id: string } }).batch;
        expect(batch.provider).toBe(wire);
        expect(items.map((i) => i.id)).toContain(batch.custom_id);
      }
      const [stored] = await handle.db.select().from(generationRuns).where(eq(generationRuns.id, run?.id as string));
      expect(stored.costUsd).toBeCloseTo(logs.reduce((sum, l) => sum + l.costUsd, 0), 8);
      expect(stored.costUsd).toBeGreaterThan(0);
    });
  }

  it("stops after maxRounds: an item still errored in the last batch is failed, a malformed reply is resubmitted", async () => {
    const batchesBefore = server.batches.length;
    // Round 1: malformed + errored; round 2 (last): the malformed one succeeds, the other errors again.
    server.enqueueOutcomes("malformed", "errored", "succeeded", "errored");
    const result = await batchGenerate("anthropic", ["scen-003", "edge-001"], { maxRounds: 2 });
    const { run } = result;
    expect(server.batches.length - batchesBefore).toBe(2);
    expect(result.run?.status).toBe("completed_with_failures");
    expect(result.run?.succeeded).toBe(1);
    expect(result.run?.failed).toBe(1);
    const logs = await logsOfRun(run?.id as string);
    expect(logs.map((l) => l.errorCode ?? "ok").sort()).toEqual(["malformed_response", "ok", "server_error", "server_error"]);
    // The unusable reply was billed (at the batch price) and counts in the run's cost.
    expect(logs.find((l) => l.errorCode === "malformed_response")?.costUsd).toBeGreaterThan(0);
    const [stored] = await handle.db.select().from(generationRuns).where(eq(generationRuns.id, run?.id as string));
    expect(stored.costUsd).toBeCloseTo(logs.reduce((sum, l) => sum + l.costUsd, 0), 8);
    const failed = (await handle.db.select().from(conversations).where(eq(conversations.lastRunId, run?.id as string))).filter((c) => c.status === "failed");
    expect(failed).toHaveLength(1);
  });

  it("keeps to the spending limit: reserves each batch's maximum cost before submitting, submits only what fits, pauses when nothing does", async () => {
    const ids = ["scen-004", "scen-005", "scen-006", "edge-003"];
    const batchesBefore = server.batches.length;
    // The most one of these requests can cost at batch prices: its prompt plus its whole max_tokens.
    const { estimate } = await (await import("../../src/core/generation/estimate-selection")).estimateSelection({
      db: handle.db,
      workspaceId,
      selection: { ids: [ids[0]] },
      provider: providerFor("anthropic"),
      model: MODELS.anthropic,
      concurrency: 1,
    });
    const oneRequestMaxUsd = estimate.maxCostUsd / 2; // batch prices are half
    const budgetUsd = oneRequestMaxUsd * 1.6;
    const result = await batchGenerate("anthropic", ids, { budgetUsd });
    expect(result.run.status).toBe("paused");
    expect(result.run.pausedReason).toBe("spending_limit");
    expect(result.run.costUsd).toBeLessThanOrEqual(budgetUsd);
    expect(result.run.reservedUsd).toBe(0);
    const batches = server.batches.slice(batchesBefore);
    expect(batches.length).toBeGreaterThan(0);
    for (const batch of batches) expect(batch.customIds).toHaveLength(1); // two requests' maximum never fits the limit
    expect(result.run.succeeded).toBe(batches.length);
    expect(result.run.succeeded).toBeLessThan(ids.length);
    // The ones that did not fit wait, not generating.
    const waiting = result.items.filter((i) => i.state === "queued");
    expect(waiting).toHaveLength(ids.length - result.run.succeeded);
  });

  it("cancelling a batch run cancels its batch at the provider, and its conversations go back to not generated", async () => {
    const slow = await startFakeBatchServer({ pollsUntilEnded: 10_000 });
    try {
      const ids = ["edge-004", "tmpl-007"];
      let runId = "";
      const running = batchGenerate("anthropic", ids, { on: slow, onStart: (info) => (runId = info.runId) });
      for (let i = 0; i < 200 && slow.batches.length === 0; i += 1) await new Promise((r) => setTimeout(r, 50));
      expect(slow.batches).toHaveLength(1);
      await cancelGenerationRun({ handle, runId });
      const result = await running;
      expect(slow.requests.some((r) => r.method === "POST" && r.path === `/v1/messages/batches/${slow.batches[0].id}/cancel`)).toBe(true);
      expect(result.run.status).toBe("cancelled");
      expect(result.items.map((i) => i.state)).toEqual(["cancelled", "cancelled"]);
      const rows = await handle.db.select().from(conversations).where(eq(conversations.lastRunId, result.run.id));
      for (const row of rows) expect(row.status).not.toBe("generating");
    } finally {
      await slow.close();
    }
  });
});
