/**
 * The set-based estimate (issue 8, item 7) against the per-conversation way it used to be made:
 * for every selected conversation of the sample workspace, one joined read
 * (getGenerationInputsById), its template, and a render — which is also what a generation call
 * sends (resolveConversationPrompt). The figures must be identical.
 */
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { estimateRun, type EstimateSlot } from "../../src/core/cost/estimate";
import { estimateSelection, loadSelectionSizing, sizeConversationPrompts } from "../../src/core/generation/estimate-selection";
import { resolveConversationPrompt } from "../../src/core/generation/generate-conversation";
import { resolveSelection, type GenerationSelection } from "../../src/core/generation/resolve-selection";
import { importPath } from "../../src/core/import/import-workspace";
import { createAnthropicProvider } from "../../src/core/llm/anthropic-provider";
import { NO_RATE_LIMITS } from "../../src/core/llm/rate-limiter";
import { createPlan } from "../../src/core/planning/create-plan";
import type { DatabaseHandle } from "../../src/server/db/client";
import { getGenerationHistoryByModel } from "../../src/server/db/queries/run-reports";
import { conversations } from "../../src/server/db/schema";
import { sizePromptsOneByOne } from "../support/per-conversation-estimate";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const MODEL = "claude-sonnet-4-5";
const provider = createAnthropicProvider({ apiKey: "not-used", baseURL: "http://127.0.0.1:9" });
let handle: DatabaseHandle;
let workspaceId: string;

/** The estimate's slots made one conversation at a time, as before issue 8; each prompt checked against what a call sends. */
async function perConversationSlots(selection: GenerationSelection): Promise<EstimateSlot[]> {
  const { chosen } = await resolveSelection({ db: handle.db, workspaceId, selection });
  return sizePromptsOneByOne({
    db: handle.db,
    ids: chosen.map((c) => c.id),
    onRendered: async (id, prompt) => {
      const sent = await resolveConversationPrompt({ db: handle.db, id });
      expect(sent.ok && sent.prompt).toBe(prompt);
    },
  });
}

describe(`the set-based estimate equals the per-conversation render (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId });
    // One conversation with a training system prompt of its own (it goes into {training_system_prompt}) …
    await handle.db.update(conversations).set({ systemPrompt: "You answer for the Harbor & Pine front desk only." }).where(eq(conversations.conversationId, "tmpl-002"));
    // … and one whose template cannot be rendered (a scenario conversation without its scenario).
    await handle.db.update(conversations).set({ scenarioId: null }).where(eq(conversations.conversationId, "scen-003"));
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("sizes every planned conversation exactly as rendering it alone does, and gives the same estimate", async () => {
    const selection = { all: true };
    const reference = await perConversationSlots(selection);
    expect(reference.length).toBe(90);
    const { chosen, skipped: none } = await loadSelectionSizing({ db: handle.db, workspaceId, selection });
    expect(none).toEqual([]);
    // The one read chooses what resolveSelection chooses, in the same order.
    expect(chosen.map((c) => c.id)).toEqual((await resolveSelection({ db: handle.db, workspaceId, selection })).chosen.map((c) => c.id));
    const sizing = await sizeConversationPrompts({ db: handle.db, workspaceId, rows: chosen });
    expect(sizing.slots).toEqual(reference);
    expect(sizing.renders).toBeLessThanOrEqual(90);
    expect(new Set(reference.map((slot) => slot.promptTokens)).size).toBeGreaterThan(3);

    const { estimate, skipped } = await estimateSelection({ db: handle.db, workspaceId, selection, provider, model: MODEL, concurrency: 3 });
    const expected = estimateRun({
      provider: "anthropic",
      model: MODEL,
      slots: reference,
      history: await getGenerationHistoryByModel({ db: handle.db, workspaceId, model: MODEL }),
      limits: NO_RATE_LIMITS,
      concurrency: 3,
    });
    expect(estimate).toEqual(expected);
    expect(estimate.conversations).toBe(90);
    expect(estimate.costUsd).toBeGreaterThan(0);
    expect(skipped).toEqual([]);
  });

  it("estimates a selection by ids in its order, with seeds skipped and said why", async () => {
    const selection = { ids: ["edge-003", "seed-001", "tmpl-002", "scen-003", "tmpl-001"] };
    const { estimate, skipped } = await estimateSelection({ db: handle.db, workspaceId, selection, provider, model: MODEL, concurrency: 2 });
    expect(skipped).toEqual([{ conversationId: "seed-001", reason: "seed conversations are locked and never generated" }]);
    const reference = await perConversationSlots(selection);
    expect(reference).toHaveLength(4);
    expect(estimate).toEqual(
      estimateRun({ provider: "anthropic", model: MODEL, slots: reference, history: await getGenerationHistoryByModel({ db: handle.db, workspaceId, model: MODEL }), limits: NO_RATE_LIMITS, concurrency: 2 }),
    );
    expect(estimate.perTier).toMatchObject({ template: { conversations: 2 }, scenario: { conversations: 1 }, edge_case: { conversations: 1 } });
  });

  it("makes the same few queries for 5 conversations as for 90", async () => {
    const statements: string[] = [];
    const counting = new Proxy(handle.db, {
      get(target, property, receiver) {
        if (property === "select" || property === "execute") {
          return (...args: unknown[]) => {
            statements.push(String(property));
            return (Reflect.get(target, property, receiver) as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return Reflect.get(target, property, receiver);
      },
    });
    await estimateSelection({ db: counting, workspaceId, selection: { ids: ["tmpl-001", "tmpl-002", "scen-001", "scen-002", "edge-001"] }, provider, model: MODEL, concurrency: 3 });
    const few = statements.length;
    statements.length = 0;
    const { estimate } = await estimateSelection({ db: counting, workspaceId, selection: { all: true }, provider, model: MODEL, concurrency: 3 });
    expect(estimate.conversations).toBe(90);
    expect(statements.length).toBe(few);
    expect(few).toBeLessThanOrEqual(14);
  });
});
