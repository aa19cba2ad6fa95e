import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { costUsd } from "../../src/core/cost/prices";
import { importPath } from "../../src/core/import/import-workspace";
import { createAnthropicProvider } from "../../src/core/llm/anthropic-provider";
import { createOpenAIProvider } from "../../src/core/llm/openai-provider";
import { createPlan } from "../../src/core/planning/create-plan";
import type { DatabaseHandle } from "../../src/server/db/client";
import { conversations, generationLogs, generationRunItems, generationRuns } from "../../src/server/db/schema";
import { createBatchRun, runBatchGeneration } from "../../src/server/jobs/batch-runner";
import { startFakeBatchServer, type FakeBatchServer } from "../support/fake-llm-batch";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const MODELS = { anthropic: "claude-sonnet-4-6", openai: "gpt-4.1-mini" } as const;
let handle: DatabaseHandle;
let server: FakeBatchServer;

function providerFor(wire: "anthropic" | "openai") {
  return wire === "anthropic"
    ? createAnthropicProvider({ apiKey: "sk-ant-test", baseURL: server.anthropicBaseUrl })
    : createOpenAIProvider({ apiKey: "sk-test", baseURL: server.openaiBaseUrl });
}

async function newBatchRun(wire: "anthropic" | "openai", ids: string[]) {
  const created = await createBatchRun({ db: handle.db, selection: { ids }, provider: providerFor(wire), model: MODELS[wire], userId: "local:test", concurrency: 1 });
  if (!created.run) throw new Error("no run created");
  return created;
}

function batchGenerate(wire: "anthropic" | "openai", runId: string, maxRounds = 3) {
  return runBatchGeneration({
    handle,
    runId,
    provider: wire,
    apiKey: wire === "anthropic" ? "sk-ant-test" : "sk-test",
    baseURL: wire === "anthropic" ? server.anthropicBaseUrl : server.openaiBaseUrl,
    model: MODELS[wire],
    pollIntervalMs: 5,
    maxRounds,
  });
}

async function logsOfRun(runId: string) {
  return handle.db.select().from(generationLogs).where(eq(generationLogs.runId, runId)).orderBy(asc(generationLogs.createdAt));
}

describe(`batch mode through the real SDKs' batch APIs against the fake batch server (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    server = await startFakeBatchServer({ pollsUntilEnded: 2 });
    await importPath({ db: handle.db, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, split: { template: 6, scenario: 3, edge_case: 2 } });
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
      const { run, items } = await newBatchRun(wire, ids);
      const batchesBefore = server.batches.length;
      server.enqueueOutcomes("errored", "expired");
      const result = await batchGenerate(wire, run?.id as string);

      // Two batches: all four items, then the two that errored / expired.
      const batches = server.batches.slice(batchesBefore);
      expect(batches.map((b) => b.wire)).toEqual([wire, wire]);
      expect(new Set(batches[0].customIds)).toEqual(new Set(items.map((i) => i.id)));
      expect(batches[1].customIds).toEqual(batches[0].customIds.slice(0, 2));
      expect(batches[0].polls).toBeGreaterThanOrEqual(3); // in progress twice, then ended
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
    const { run } = await newBatchRun("anthropic", ["scen-003", "edge-001"]);
    const batchesBefore = server.batches.length;
    // Round 1: malformed + errored; round 2 (last): the malformed one succeeds, the other errors again.
    server.enqueueOutcomes("malformed", "errored", "succeeded", "errored");
    const result = await batchGenerate("anthropic", run?.id as string, 2);
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

  it("refuses a run that was not created in batch mode", async () => {
    const { createRun } = await import("../../src/core/generation/run-generation");
    const created = await createRun({ db: handle.db, selection: { ids: ["scen-003"] }, provider: providerFor("anthropic"), model: MODELS.anthropic, userId: "local:test", concurrency: 1 });
    await expect(batchGenerate("anthropic", created.run?.id as string)).rejects.toMatchObject({ code: "run_not_batch" });
  });
});
