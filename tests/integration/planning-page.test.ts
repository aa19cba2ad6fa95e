/**
 * The planning page's server actions and queries on a real database (PGlite, or PostgreSQL with
 * BRIGHTRUN_TEST_DB=postgres), run as the web server runs them: parse, guard, operation, queries.
 * The sample business is imported into a fresh workspace; each test builds on the one before.
 */
import path from "node:path";
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localOwner, setProcessPrincipal } from "../../src/server/auth";
import { importPath } from "../../src/core/import/import-workspace";
import { createSimulatedProvider } from "../../src/core/llm/simulated-provider";
import { cancelRunAction, startGenerationAction } from "../../src/server/actions/generation";
import {
  fillMissingCombinationsAction,
  planWithSplitAction,
  removeUngeneratedSlotsAction,
  saveArcConfigurationAction,
  saveArcPresetAction,
  savePlanSettingsAction,
} from "../../src/server/actions/planning";
import type { DatabaseHandle } from "../../src/server/db/client";
import { listArcDistributionPresets } from "../../src/server/db/queries/planning";
import { conversations, emotionalArcs, generationRuns, personas, scenarios, workspaces } from "../../src/server/db/schema";
import { loadPlanningView } from "../../src/server/operations/planning";
import { getRunProgress } from "../../src/server/runs/run-progress";
import { generateNow } from "../support/generate-now";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const DATABASE_KEY = Symbol.for("brightrun.database");
const SLUG = "test-business";
const PROVIDER_ENV = ["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIGHTRUN_PROVIDER", "BRIGHTRUN_MODEL"];
const savedEnv: Record<string, string | undefined> = {};

let handle: DatabaseHandle;
let workspaceId: string;

function unwrap<T>(result: { ok: true; data: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`action failed: ${result.error.code}: ${result.error.message}`);
  return result.data;
}

const arcsOf = async () => (await handle.db.select().from(emotionalArcs).where(eq(emotionalArcs.workspaceId, workspaceId)).orderBy(emotionalArcs.key)).map((a) => a.key);

async function planned(where?: ReturnType<typeof and>) {
  return handle.db
    .select()
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), isNotNull(conversations.planSlot), where))
    .orderBy(conversations.tier, conversations.planSlot);
}

describe(`planning page actions (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    for (const key of [...PROVIDER_ENV, "BRIGHTRUN_USER"]) savedEnv[key] = process.env[key];
    for (const key of PROVIDER_ENV) delete process.env[key];
    process.env.BRIGHTRUN_USER = "planner";
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    (globalThis as Record<symbol, unknown>)[DATABASE_KEY] = Promise.resolve(handle);
    // Server actions and routes run as the local owner (the guard's seam for code outside a web request).
    setProcessPrincipal(localOwner());
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
  });

  afterAll(async () => {
    (globalThis as Record<symbol, unknown>)[DATABASE_KEY] = undefined;
    setProcessPrincipal(null);
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await handle?.close();
  });

  it("refuses a split that does not add up to the total, and an arc configuration that does not add up to 100", async () => {
    expect(await planWithSplitAction(SLUG, { total: 20, split: { template: 10, scenario: 6, edge_case: 3 } })).toMatchObject({
      ok: false,
      error: { code: "plan_invalid", message: "The tiers add up to 19, not 20: change a tier or the total so they match." },
    });
    const keys = await arcsOf();
    const arcs = keys.map((key, i) => ({ key, enabled: i < 3, percent: [50, 30, 10, 0, 0][i] }));
    expect(await saveArcConfigurationAction(SLUG, { arcs, even: false })).toMatchObject({ ok: false, error: { code: "arc_configuration_invalid", message: expect.stringMatching(/add up to 90 %.*10 % left to give/) } });
    expect(await saveArcConfigurationAction(SLUG, { arcs: arcs.map((a) => ({ ...a, enabled: false })), even: true })).toMatchObject({
      ok: false,
      error: { message: "Enable at least one emotional arc: every template conversation follows one." },
    });
    expect(await planned()).toHaveLength(0);
  });

  it("plans 20 with a custom split: tier 1 follows the arc percentages 50/30/20/0/0, every slot gets an outcome, the split is saved", async () => {
    const keys = await arcsOf();
    const arcs = keys.map((key, i) => ({ key, enabled: i < 3, percent: [50, 30, 20, 0, 0][i] }));
    unwrap(await saveArcConfigurationAction(SLUG, { arcs, even: false }));
    const outcome = unwrap(await planWithSplitAction(SLUG, { total: 20, split: { template: 10, scenario: 6, edge_case: 4 } }));
    expect(outcome).toEqual({ perTier: { template: 10, scenario: 6, edge_case: 4 }, created: 20, existing: 0 });
    const rows = await planned();
    const tier1 = rows.filter((r) => r.tier === "template");
    const perArc = Object.fromEntries(keys.map((k) => [k, tier1.filter((r) => r.emotion === k).length]));
    expect(perArc).toEqual({ [keys[0]]: 5, [keys[1]]: 3, [keys[2]]: 2, [keys[3]]: 0, [keys[4]]: 0 });
    expect(rows.every((r) => r.outcome !== null)).toBe(true);
    expect(new Set(rows.map((r) => r.outcome)).size).toBe(4);
    const [ws] = await handle.db.select().from(workspaces).where(eq(workspaces.id, workspaceId));
    expect(ws.tierSplit).toEqual({ template: 10, scenario: 6, edge_case: 4 });
    expect(ws.arcDistribution).toEqual({ [keys[0]]: 50, [keys[1]]: 30, [keys[2]]: 20 });
    const disabled = await handle.db.select().from(emotionalArcs).where(and(eq(emotionalArcs.workspaceId, workspaceId), eq(emotionalArcs.enabled, false)));
    expect(disabled.map((a) => a.key).sort()).toEqual([keys[3], keys[4]].sort());
  });

  it("saves presets by name (the same name replaces), and the page shows the configuration and each tier", async () => {
    const keys = await arcsOf();
    const arcs = keys.map((key, i) => ({ key, enabled: i < 2, percent: [60, 40, 0, 0, 0][i] }));
    unwrap(await saveArcPresetAction(SLUG, { name: "Mostly triumph", arcs }));
    unwrap(await saveArcPresetAction(SLUG, { name: "Mostly triumph", arcs: arcs.map((a, i) => ({ ...a, percent: [70, 30, 0, 0, 0][i] })) }));
    const presets = await listArcDistributionPresets({ db: handle.db, workspaceId });
    expect(presets.map((p) => [p.name, p.distribution])).toEqual([["Mostly triumph", { [keys[0]]: 70, [keys[1]]: 30 }]]);
    const view = await loadPlanningView({ handle, workspaceId });
    expect(view.split).toEqual({ template: 10, scenario: 6, edge_case: 4 });
    expect(view.arcs.filter((a) => a.enabled).map((a) => a.percent)).toEqual([50, 30, 20]);
    expect(view.tiers.map((t) => [t.tier, t.planned, t.ungenerated])).toEqual([
      ["template", 10, 10],
      ["scenario", 6, 6],
      ["edge_case", 4, 4],
    ]);
    expect(view.tiers[1].slots.every((s) => s.detail)).toBe(true);
    expect(view.hasCompleteSystems).toBe(true);
    expect(view.planProblem).toBeNull();
  });

  it("Generate All Tier 1 starts a run over tier 1 only, and its progress names the tier", async () => {
    const started = unwrap(await startGenerationAction(SLUG, { scope: { kind: "tier", tier: "template" } }));
    expect(started.total).toBe(10);
    const [run] = await handle.db.select().from(generationRuns).where(eq(generationRuns.id, started.runId as string));
    expect(run.selection).toMatchObject({ tier: ["template"], scope: "tier" });
    const progress = await getRunProgress({ db: handle.db, runId: started.runId as string });
    expect(progress.tier).toBe("template");
    expect(progress.total).toBe(10);
    // No worker runs in this file: cancel it, the conversations go back to not generated.
    expect(unwrap(await cancelRunAction(SLUG, { runId: started.runId as string })).status).toBe("cancelled");
  });

  it("re-planning and removing slots never touch generated, approved or rejected conversations (nor seeds)", async () => {
    const tier1 = await planned(eq(conversations.tier, "template"));
    const ids = tier1.slice(0, 4).map((r) => r.conversationId);
    await generateNow({ handle, workspaceId, selection: { ids }, provider: createSimulatedProvider(), model: "simulated-composer-1", userId: "local:test", concurrency: 2 });
    await handle.db.update(conversations).set({ status: "approved" }).where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.conversationId, ids[1])));
    await handle.db.update(conversations).set({ status: "rejected" }).where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.conversationId, ids[2])));
    const kept = await handle.db.select().from(conversations).where(and(eq(conversations.workspaceId, workspaceId), inArray(conversations.conversationId, ids)));
    expect(kept.map((k) => k.status).sort()).toEqual(["approved", "generated", "generated", "rejected"]);
    const [seedsBefore] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(conversations).where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.isSeed, true)));

    // A new arc configuration and a bigger plan: the four keep everything they had.
    const keys = await arcsOf();
    unwrap(await saveArcConfigurationAction(SLUG, { arcs: keys.map((key) => ({ key, enabled: true, percent: 20 })), even: true }));
    const again = unwrap(await planWithSplitAction(SLUG, { total: 30, split: { template: 20, scenario: 6, edge_case: 4 } }));
    expect(again).toMatchObject({ created: 10, existing: 20 });
    const after = await handle.db.select().from(conversations).where(and(eq(conversations.workspaceId, workspaceId), inArray(conversations.conversationId, ids)));
    expect(after.map(({ updatedAt: _u, ...rest }) => rest).sort((a, b) => a.conversationId.localeCompare(b.conversationId))).toEqual(
      kept.map(({ updatedAt: _u, ...rest }) => rest).sort((a, b) => a.conversationId.localeCompare(b.conversationId)),
    );

    const removed = unwrap(await removeUngeneratedSlotsAction(SLUG, { confirmed: true }));
    expect(removed.removed).toBe(26);
    const left = await planned();
    expect(left.map((r) => r.conversationId).sort()).toEqual([...ids].sort());
    const [seedsAfter] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(conversations).where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.isSeed, true)));
    expect(Number(seedsAfter.n)).toBe(Number(seedsBefore.n));
    expect(Number(seedsAfter.n)).toBeGreaterThan(0);
    expect(await removeUngeneratedSlotsAction(SLUG, {} as never)).toMatchObject({ ok: false, error: { code: "invalid_input" } });
  });

  it("never plans an archived persona, an archived scenario or a disabled arc", async () => {
    const [persona] = await handle.db.select().from(personas).where(eq(personas.workspaceId, workspaceId)).orderBy(personas.key).limit(1);
    await handle.db.update(personas).set({ archivedAt: new Date() }).where(and(eq(personas.workspaceId, workspaceId), eq(personas.key, persona.key)));
    const [scenario] = await handle.db.select().from(scenarios).where(eq(scenarios.workspaceId, workspaceId)).orderBy(scenarios.key).limit(1);
    await handle.db.update(scenarios).set({ archivedAt: new Date() }).where(eq(scenarios.id, scenario.id));
    const keys = await arcsOf();
    unwrap(await saveArcConfigurationAction(SLUG, { arcs: keys.map((key, i) => ({ key, enabled: i !== 0, percent: i === 0 ? 0 : 25 })), even: false }));
    const before = new Set((await planned()).map((r) => r.conversationId));
    unwrap(await planWithSplitAction(SLUG, { total: 60, split: { template: 30, scenario: 20, edge_case: 10 } }));
    const fresh = (await planned()).filter((r) => !before.has(r.conversationId));
    expect(fresh).toHaveLength(56);
    expect(fresh.some((r) => r.persona === persona.key)).toBe(false);
    expect(fresh.some((r) => r.scenarioId === scenario.id)).toBe(false);
    expect(fresh.some((r) => r.emotion === keys[0])).toBe(false);
  });

  it("Complete Systems only and category weights shape where new slots come from", async () => {
    unwrap(await removeUngeneratedSlotsAction(SLUG, { confirmed: true }));
    unwrap(await savePlanSettingsAction(SLUG, { categoryWeights: {}, completeSystemsOnly: true }));
    unwrap(await planWithSplitAction(SLUG, { total: 16, split: { template: 16, scenario: 0, edge_case: 0 } }));
    const systems = (await planned()).filter((r) => r.status === "not_generated");
    expect(systems).toHaveLength(12);
    expect(new Set(systems.map((r) => r.sourceCategory))).toEqual(new Set(["Complete Systems"]));

    unwrap(await removeUngeneratedSlotsAction(SLUG, { confirmed: true }));
    unwrap(await savePlanSettingsAction(SLUG, { categoryWeights: { "Client Stories": 4, "Complete Systems": 0, "Proprietary Strategies": 0, "Practice Guide": 0 }, completeSystemsOnly: false }));
    unwrap(await planWithSplitAction(SLUG, { total: 16, split: { template: 16, scenario: 0, edge_case: 0 } }));
    const stories = (await planned()).filter((r) => r.status === "not_generated");
    expect(new Set(stories.map((r) => r.sourceCategory))).toEqual(new Set(["Client Stories"]));
  });

  it("fills exactly the persona × arc × topic combinations not covered yet", async () => {
    const before = await loadPlanningView({ handle, workspaceId });
    expect(before.missingCombinations).toBeGreaterThan(0);
    const result = unwrap(await fillMissingCombinationsAction(SLUG));
    expect(result.created).toBe(Math.min(before.missingCombinations, before.maxFillSlots));
    expect(result.capped).toBe(before.missingCombinations > before.maxFillSlots);
    const after = await loadPlanningView({ handle, workspaceId });
    expect(after.missingCombinations).toBe(before.missingCombinations - result.created);
  });
});
