/**
 * The Generate dialog's estimate is reused by the Generate click when the selection is unchanged,
 * and recomputed when it changed (issue 8, item 7), through the web's own operations
 * (estimateGeneration for the dialog, startGeneration for the click) on a real database.
 */
import path from "node:path";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPath } from "../../src/core/import/import-workspace";
import { selectProvider } from "../../src/core/llm/select-provider";
import { createPlan } from "../../src/core/planning/create-plan";
import type { DatabaseHandle } from "../../src/server/db/client";
import { markConversationFailed } from "../../src/server/db/queries/conversations";
import { conversations, generationRuns } from "../../src/server/db/schema";
import { sharedEstimateCache } from "../../src/server/operations/estimate-cache";
import { estimateGeneration, startGeneration } from "../../src/server/operations/generation";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const provider = selectProvider({ env: {} });
let handle: DatabaseHandle;
let workspaceId: string;

async function storedEstimate(runId: string | null): Promise<Record<string, unknown>> {
  const [run] = await handle.db.select().from(generationRuns).where(eq(generationRuns.id, runId as string));
  return run.estimate as Record<string, unknown>;
}

describe(`the Generate click reuses the dialog's estimate (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 6, scenario: 4, edge_case: 2 } });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("reuses the estimate when nothing changed between the dialog and the click, and stores it on the run", async () => {
    const cache = sharedEstimateCache();
    const scope = { kind: "target" as const, target: { ids: ["tmpl-001", "tmpl-002", "scen-001"] } };
    const before = cache.stats();
    const dialog = await estimateGeneration({ db: handle.db, workspaceId, scope, provider });
    expect(dialog.count).toBe(3);
    expect(cache.stats()).toMatchObject({ hits: before.hits, misses: before.misses + 1 });

    const started = await startGeneration({ handle, workspaceId, scope, budgetUsd: null, userId: "local:test", provider });
    expect(started.total).toBe(3);
    expect(cache.stats()).toMatchObject({ hits: before.hits + 1, misses: before.misses + 1 });
    const stored = await storedEstimate(started.runId);
    expect(stored).toMatchObject({ conversations: 3, costUsd: dialog.estimatedUsd, timeMs: dialog.estimatedMs, maxCostUsd: dialog.maxUsd });
  });

  it("recomputes when a selected conversation changed, or the selection is another one", async () => {
    const cache = sharedEstimateCache();
    const scope = { kind: "all_failed" as const };
    const fail = async (conversationId: string) => {
      const [row] = await handle.db.select().from(conversations).where(eq(conversations.conversationId, conversationId));
      await markConversationFailed({
        db: handle.db,
        id: row.id,
        error: { code: "malformed_response", message: "The model's reply was not the JSON conversation asked for.", retryable: true, detail: {} },
        rawReply: null,
        usage: { inputTokens: 0, outputTokens: 0, costUsd: 0, provider: "simulated", model: "simulated-composer-1" },
      });
    };
    await fail("tmpl-004");
    const before = cache.stats();
    const dialog = await estimateGeneration({ db: handle.db, workspaceId, scope, provider });
    expect(dialog.count).toBe(1);

    // Between the dialog and the click, another conversation fails: "all failed" now means two.
    await fail("edge-001");
    const started = await startGeneration({ handle, workspaceId, scope, budgetUsd: null, userId: "local:test", provider });
    expect(cache.stats()).toMatchObject({ hits: before.hits, misses: before.misses + 2 });
    expect(started.total).toBe(2);
    expect(await storedEstimate(started.runId)).toMatchObject({ conversations: 2, perTier: { template: { conversations: 1 }, edge_case: { conversations: 1 } } });

    // The same selection whose conversation was changed since (its row updated): recomputed too.
    const other = { kind: "target" as const, target: { ids: ["tmpl-005"] } };
    await estimateGeneration({ db: handle.db, workspaceId, scope: other, provider });
    await handle.db.update(conversations).set({ updatedAt: new Date(Date.now() + 1_000) }).where(inArray(conversations.conversationId, ["tmpl-005"]));
    const misses = cache.stats().misses;
    await estimateGeneration({ db: handle.db, workspaceId, scope: other, provider });
    expect(cache.stats().misses).toBe(misses + 1);
  });
});
