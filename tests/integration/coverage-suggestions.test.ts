/**
 * Coverage recommendations and edge-case suggestions (issue 13 items 2 and 3) on the sample
 * workspace with a small plan: "Generate Recommended" plans exactly what the recommendations lack,
 * pinned to their combinations, and they then drop out (the heatmap cells are no longer gaps);
 * generated conversations keep counting and rejected ones stop; dismiss / restore is stored per
 * workspace; edge-case suggestions plan edge-case conversations of their category, persona and arc,
 * are marked done, and the CSV report carries every category × persona × arc; an archived persona
 * is refused.
 */
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPath } from "../../src/core/import/import-workspace";
import { createSimulatedProvider } from "../../src/core/llm/simulated-provider";
import { createPlan } from "../../src/core/planning/create-plan";
import { loadCoverage } from "../../src/server/coverage";
import {
  EDGE_CASE_CSV_COLUMNS,
  edgeCaseCoverageCsv,
  loadCoverageSuggestions,
  loadEdgeCaseCoverage,
  loadRecommendations,
  planEdgeCaseSuggestions,
  planRecommendations,
  setSuggestionState,
} from "../../src/server/coverage-suggestions";
import type { DatabaseHandle } from "../../src/server/db/client";
import { conversations, coverageSuggestionStates, personas, workspaces } from "../../src/server/db/schema";
import { generateNow } from "../support/generate-now";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
let handle: DatabaseHandle;
let workspaceId: string;
let otherWorkspaceId: string;

async function rows(ids: string[]) {
  return handle.db
    .select()
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), inArray(conversations.conversationId, ids)));
}

async function workspaceRow() {
  return (await handle.db.select().from(workspaces).where(eq(workspaces.id, workspaceId)))[0];
}

describe(`coverage suggestions (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    otherWorkspaceId = (await createTestWorkspace(handle.db, "Other business")).id;
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 6, scenario: 2, edge_case: 1 } });
  });
  afterAll(async () => {
    await handle.close();
  });

  let planned: Awaited<ReturnType<typeof rows>>;
  let recommendedKeys: string[];

  it("recommends 5 thin combinations of the active taxonomy, emptiest heatmap cells first, each 3–5", async () => {
    const list = await loadRecommendations({ db: handle.db, workspaceId });
    // The sample: 7 personas × 5 arcs × 10 topics; 9 conversations planned.
    expect(list.combinations).toBe(350);
    expect(list.open).toHaveLength(5);
    expect(list.open.every((r) => r.count === 0 && r.cellCount === 0 && r.toPlan === 3 && r.recommended.min === 3 && r.recommended.max === 5)).toBe(true);
    // Five different persona × arc cells.
    expect(new Set(list.open.map((r) => `${r.persona.key}|${r.arc.key}`)).size).toBe(5);
    recommendedKeys = list.open.map((r) => r.key);
  });

  it("Generate Recommended plans exactly what they lack, pinned to their combinations; they drop out and their cells are no longer gaps", async () => {
    const before = await loadCoverage({ db: handle.db, workspaceId, status: "all" });
    const cellOf = (report: typeof before, key: string) => {
      const [p, a] = key.split("|");
      return report.heatmap.cells.find((c) => c.persona === p && c.emotion === a)!;
    };
    expect(recommendedKeys.every((k) => cellOf(before, k).gap)).toBe(true);

    const result = await planRecommendations({ db: handle.db, workspaceId, keys: recommendedKeys });
    expect(result.combinations).toBe(5);
    expect(result.conversationIds).toHaveLength(15);
    planned = await rows(result.conversationIds);
    expect(planned).toHaveLength(15);
    for (const key of recommendedKeys) {
      const [p, a, t] = key.split("|");
      const mine = planned.filter((c) => c.persona === p && c.emotion === a && c.topic === t);
      expect(mine).toHaveLength(3);
      expect(mine.every((c) => c.tier === "template" && c.status === "not_generated" && c.chunkId !== null && c.planSlot !== null)).toBe(true);
    }

    const after = await loadRecommendations({ db: handle.db, workspaceId });
    expect(after.open.map((r) => r.key).filter((k) => recommendedKeys.includes(k))).toEqual([]);
    expect(after.open).toHaveLength(5);
    const report = await loadCoverage({ db: handle.db, workspaceId, status: "all" });
    expect(recommendedKeys.every((k) => !cellOf(report, k).gap && cellOf(report, k).counts.total === 3)).toBe(true);

    // Asking again for a covered combination plans nothing.
    await expect(planRecommendations({ db: handle.db, workspaceId, keys: [recommendedKeys[0]] })).rejects.toMatchObject({ code: "plan_invalid", message: expect.stringContaining("already have at least 3") });
  });

  it("generated conversations keep counting; rejected ones do not, so the combination is recommended again", async () => {
    const ids = planned.filter((c) => `${c.persona}|${c.emotion}|${c.topic}` === recommendedKeys[0]).map((c) => c.conversationId);
    const run = await generateNow({ handle, workspaceId, selection: { ids }, provider: createSimulatedProvider(), model: "simulated-composer-1", concurrency: 3 });
    expect(run.run?.status).toBe("completed");
    expect((await rows(ids)).every((c) => c.status === "generated")).toBe(true);
    let list = await loadRecommendations({ db: handle.db, workspaceId });
    expect([...list.open, ...list.dismissed].some((r) => r.key === recommendedKeys[0])).toBe(false);

    const thinBefore = list.thin;
    await handle.db.update(conversations).set({ status: "rejected" }).where(and(eq(conversations.workspaceId, workspaceId), inArray(conversations.conversationId, ids)));
    list = await loadRecommendations({ db: handle.db, workspaceId });
    expect(list.thin).toBe(thinBefore + 1);
    // Thin again: planning it plans 3 anew (it was refused while the 3 counted).
    const again = await planRecommendations({ db: handle.db, workspaceId, keys: [recommendedKeys[0]] });
    expect(again).toMatchObject({ combinations: 1, conversationIds: expect.any(Array) });
    expect(again.conversationIds).toHaveLength(3);
  });

  it("dismiss one, dismiss all, restore: stored per workspace", async () => {
    const list = await loadRecommendations({ db: handle.db, workspaceId });
    const [first] = list.open.map((r) => r.key);
    await setSuggestionState({ db: handle.db, workspaceId, userId: "local:test", kind: "recommendation", keys: [first], state: "dismissed" });
    let now = await loadRecommendations({ db: handle.db, workspaceId });
    expect(now.open.map((r) => r.key)).not.toContain(first);
    expect(now.open).toHaveLength(5);
    expect(now.dismissed.map((r) => r.key)).toEqual([first]);
    const stored = await handle.db.select().from(coverageSuggestionStates).where(eq(coverageSuggestionStates.workspaceId, workspaceId));
    expect(stored).toEqual([expect.objectContaining({ kind: "recommendation", key: first, state: "dismissed", updatedBy: "local:test" })]);

    const all = now.open.map((r) => r.key);
    await setSuggestionState({ db: handle.db, workspaceId, userId: "local:test", kind: "recommendation", keys: all, state: "dismissed" });
    now = await loadRecommendations({ db: handle.db, workspaceId });
    expect(now.dismissed).toHaveLength(6);
    expect(now.open.filter((r) => all.includes(r.key))).toEqual([]);
    expect(now.open).toHaveLength(5); // the next five come up
    // Dismissing twice is fine (the state is updated, not duplicated).
    await setSuggestionState({ db: handle.db, workspaceId, userId: "local:other", kind: "recommendation", keys: [first], state: "dismissed" });

    await setSuggestionState({ db: handle.db, workspaceId, userId: "local:test", kind: "recommendation", keys: now.dismissed.map((r) => r.key), state: null });
    now = await loadRecommendations({ db: handle.db, workspaceId });
    expect(now.dismissed).toEqual([]);
    expect(now.open.map((r) => r.key)).toContain(first);
    // Another workspace's states are its own.
    expect(await handle.db.select().from(coverageSuggestionStates).where(eq(coverageSuggestionStates.workspaceId, otherWorkspaceId))).toEqual([]);

    await expect(setSuggestionState({ db: handle.db, workspaceId, userId: "local:test", kind: "recommendation", keys: [first], state: "done" })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(setSuggestionState({ db: handle.db, workspaceId, userId: "local:test", kind: "recommendation", keys: ["not-a-key"], state: "dismissed" })).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("edge-case suggestions: one per category, planned as edge-case conversations of it; done and dismissed skip ahead; CSV report", async () => {
    const before = await loadEdgeCaseCoverage({ db: handle.db, workspaceId });
    expect(before.categories).toHaveLength(8);
    expect(before.categories.every((c) => c.combinations === 35 && c.next !== null)).toBe(true);
    expect(before.categories.reduce((s, c) => s + c.tested, 0)).toBe(1); // the plan's one edge-case slot
    const keys = before.categories.map((c) => c.next!.key);

    const { conversationIds } = await planEdgeCaseSuggestions({ db: handle.db, workspaceId, keys: keys.slice(0, 2) });
    expect(conversationIds).toHaveLength(2);
    const made = await rows(conversationIds);
    for (const key of keys.slice(0, 2)) {
      const [p, a, edge] = key.split("|");
      expect(made.filter((c) => c.tier === "edge_case" && c.persona === p && c.emotion === a && c.edgeCaseCategory === edge)).toHaveLength(1);
    }
    const after = await loadEdgeCaseCoverage({ db: handle.db, workspaceId });
    const byKey = (list: typeof after, key: string) => list.categories.find((c) => c.edgeCase.key === key.split("|")[2])!;
    expect(byKey(after, keys[0]).tested).toBe(byKey(before, keys[0]).tested + 1);
    expect(byKey(after, keys[0]).next?.key).not.toBe(keys[0]);

    await setSuggestionState({ db: handle.db, workspaceId, userId: "local:test", kind: "edge_case", keys: [keys[2]], state: "done" });
    const marked = byKey(await loadEdgeCaseCoverage({ db: handle.db, workspaceId }), keys[2]);
    expect(marked).toMatchObject({ done: 1, closedKeys: [keys[2]] });
    expect(marked.next?.key).not.toBe(keys[2]);

    const csv = (await edgeCaseCoverageCsv({ db: handle.db, workspaceId })).trim().split("\n");
    expect(csv[0]).toBe(EDGE_CASE_CSV_COLUMNS.join(","));
    expect(csv).toHaveLength(1 + 8 * 35);
    const [p0, a0, e0] = keys[0].split("|");
    expect(csv.find((l) => l.startsWith(`${e0},`) && l.includes(`,${p0},`) && l.includes(`,${a0},`))).toMatch(/,1,tested$/);
    const [p2, a2, e2] = keys[2].split("|");
    expect(csv.find((l) => l.startsWith(`${e2},`) && l.includes(`,${p2},`) && l.includes(`,${a2},`))).toMatch(/,0,done$/);
  });

  it("warns about under-represented categories and summarizes source confidence", async () => {
    const suggestions = await loadCoverageSuggestions({ db: handle.db, workspace: await workspaceRow() });
    // The sample's chunks have no confidence dimension: every conversation's source is unknown.
    expect(suggestions.warnings.confidence).toMatchObject({ high: 0, low: 0 });
    expect(suggestions.warnings.confidence.unknown).toBe(suggestions.warnings.confidence.total);
    for (const w of suggestions.warnings.categories) expect(w.conversationShare).toBeLessThan(0.5 * w.expectedShare);
    expect(suggestions.edgeCases.open).toBe(8);
  });

  it("refuses a combination with an archived persona", async () => {
    const list = await loadRecommendations({ db: handle.db, workspaceId });
    const persona = list.open[0].persona.key;
    await handle.db.update(personas).set({ archivedAt: new Date() }).where(and(eq(personas.workspaceId, workspaceId), eq(personas.key, persona)));
    await expect(planRecommendations({ db: handle.db, workspaceId, keys: [list.open[0].key] })).rejects.toMatchObject({ code: "plan_invalid", message: expect.stringContaining(`persona "${persona}"`) });
    const after = await loadRecommendations({ db: handle.db, workspaceId });
    expect(after.open.some((r) => r.persona.key === persona)).toBe(false);
    expect(after.combinations).toBe(300);
  });
});
