/**
 * The scenario library (issue 10 item 3; US8.2.1, US8.2.2): create from a chunk, usage counts,
 * search, favourites first, duplicate, archive (no longer planned) and restore, delete refused while
 * conversations use a scenario, re-pointing a planned conversation (and only a planned one), and
 * "Suggest scenarios" with the simulated composer and with a real SDK against the fake LLM server.
 */
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPath } from "../../src/core/import/import-workspace";
import { createOpenAIProvider } from "../../src/core/llm/openai-provider";
import { createSimulatedProvider } from "../../src/core/llm/simulated-provider";
import { createPlan } from "../../src/core/planning/create-plan";
import { createScenario, deleteScenario, duplicateScenario, editScenario, repointConversation, setScenarioArchived, setScenarioFavourite } from "../../src/core/scenarios/scenario-library";
import { repointRefusal, scenarioKeyFromTitle } from "../../src/core/scenarios/scenario-rules";
import { SIMULATED_DRAFT_PREFIX, suggestScenarioDrafts, type SuggestionSource } from "../../src/core/scenarios/suggest-scenarios";
import type { DatabaseHandle } from "../../src/server/db/client";
import { listChunksWithDocuments } from "../../src/server/db/queries/documents";
import { getConversationScenarioRef, listScenarioLibrary, listScenarios } from "../../src/server/db/queries/scenarios";
import { conversations } from "../../src/server/db/schema";
import { getConversationDetail } from "../../src/server/conversation-detail";
import { fake, startFakeLlmServer, type FakeLlmServer } from "../support/fake-llm-server";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
let handle: DatabaseHandle;
let workspaceId: string;
let server: FakeLlmServer;

const FIELDS = {
  title: "Inheritance windfall, unsure where to start",
  description: "A client inherits money and freezes.",
  category: "Estate planning",
  tags: ["financial", "estate planning", "financial"],
  problem: "Inherited $80,000 and feels paralysed.",
  solution: "Park it safely, then fund the emergency reserve and pay high-interest debt.",
  outcome: "A calm three-step plan.",
};

async function setStatus(conversationId: string, status: "generated" | "failed" | "approved") {
  await handle.db
    .update(conversations)
    .set({ status, ...(status !== "failed" ? { turnCount: 2, generatedAt: new Date() } : {}) })
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.conversationId, conversationId)));
}

describe(`scenario library (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 0, scenario: 6, edge_case: 0 } });
    server = await startFakeLlmServer();
  });
  afterAll(async () => {
    await server.close();
    await handle.close();
  });

  const library = (options: { search?: string; view?: "active" | "archived" | "favourites" } = {}) => listScenarioLibrary({ db: handle.db, workspaceId, ...options });

  it("creates a scenario from a chunk, with a key from its title, de-duplicated tags and the chunk's text", async () => {
    const chunk = (await listChunksWithDocuments({ db: handle.db, workspaceId }))[0];
    const created = await createScenario({ db: handle.db, workspaceId, input: { ...FIELDS, chunkId: chunk.id } });
    expect(created).toMatchObject({ key: "inheritance-windfall-unsure-where-to-start", tags: ["financial", "estate planning"], favourite: false, archivedAt: null });
    const listed = (await library()).find((s) => s.id === created.id);
    expect(listed?.chunk).toMatchObject({ id: chunk.id, content: chunk.content, documentKey: chunk.documentKey });
    expect(listed?.usageCount).toBe(0);
    await expect(createScenario({ db: handle.db, workspaceId, input: { ...FIELDS, title: " " } })).rejects.toThrow(/The title must not be empty/);
    expect(scenarioKeyFromTitle(FIELDS.title, [created.key])).toBe(`${created.key}-2`);
  });

  it("counts the conversations that use each scenario", async () => {
    const planned = await handle.db.select({ scenarioId: conversations.scenarioId }).from(conversations).where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.tier, "scenario")));
    const expected = new Map<string, number>();
    for (const row of planned) if (row.scenarioId) expected.set(row.scenarioId, (expected.get(row.scenarioId) ?? 0) + 1);
    const rows = await library();
    expect(expected.size).toBeGreaterThan(0);
    for (const [id, n] of expected) expect(rows.find((s) => s.id === id)?.usageCount).toBe(n);
  });

  it("searches by keyword and lists favourites first", async () => {
    expect((await library({ search: "paralysed" })).map((s) => s.title)).toEqual([FIELDS.title]);
    expect(await library({ search: "no-such-words-anywhere" })).toEqual([]);
    const last = (await library()).at(-1)!;
    await setScenarioFavourite({ db: handle.db, workspaceId, id: last.id, favourite: true });
    expect((await library())[0].id).toBe(last.id);
    expect((await library({ view: "favourites" })).map((s) => s.id)).toEqual([last.id]);
  });

  it("edits and duplicates a scenario; the copy is a new, unused entry", async () => {
    const original = (await library({ search: "paralysed" }))[0];
    await editScenario({ db: handle.db, workspaceId, id: original.id, input: { ...FIELDS, outcome: "Feels in control.", chunkId: original.chunkId } });
    const copy = await duplicateScenario({ db: handle.db, workspaceId, id: original.id });
    expect(copy).toMatchObject({ title: `${FIELDS.title} (copy)`, outcome: "Feels in control.", chunkId: original.chunkId, favourite: false });
    expect(copy.key).not.toBe(original.key);
  });

  it("refuses to delete a scenario conversations use, saying why; deletes an unused one", async () => {
    const used = (await library()).find((s) => s.usageCount > 0)!;
    await expect(deleteScenario({ db: handle.db, workspaceId, id: used.id })).rejects.toMatchObject({
      code: "scenario_in_use",
      message: expect.stringMatching(new RegExp(`can't be deleted: ${used.usageCount === 1 ? "1 conversation uses" : `${used.usageCount} conversations use`} it\\. Archive it instead`)),
    });
    const copy = (await library({ search: "(copy)" }))[0];
    await deleteScenario({ db: handle.db, workspaceId, id: copy.id });
    expect(await library({ search: "(copy)" })).toEqual([]);
  });

  it("archived scenarios are not planned any more, and come back when restored", async () => {
    const active = await listScenarios({ db: handle.db, workspaceId });
    const archived = active[0];
    await setScenarioArchived({ db: handle.db, workspaceId, id: archived.id, archived: true });
    expect((await listScenarios({ db: handle.db, workspaceId })).map((s) => s.id)).not.toContain(archived.id);
    expect((await library({ view: "archived" })).map((s) => s.id)).toEqual([archived.id]);
    // A fresh plan of the scenario tier uses none of the archived scenario.
    await createPlan({ db: handle.db, workspaceId, split: { template: 0, scenario: 20, edge_case: 0 } });
    const newlyPlanned = await handle.db
      .select({ scenarioId: conversations.scenarioId, planSlot: conversations.planSlot })
      .from(conversations)
      .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.tier, "scenario")));
    expect(newlyPlanned.filter((c) => (c.planSlot ?? 0) > 6).every((c) => c.scenarioId !== archived.id)).toBe(true);
    await setScenarioArchived({ db: handle.db, workspaceId, id: archived.id, archived: false });
    expect((await listScenarios({ db: handle.db, workspaceId })).map((s) => s.id)).toContain(archived.id);
  });

  it("re-points a planned or failed conversation, moving it to the new scenario's chunk; refuses generated ones and seeds", async () => {
    const target = (await library({ search: "paralysed" }))[0];
    const usedBefore = target.usageCount;
    const moved = await repointConversation({ db: handle.db, workspaceId, conversationId: "scen-001", scenario: { id: target.id } });
    expect(moved.scenario.id).toBe(target.id);
    const [row] = await handle.db.select().from(conversations).where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.conversationId, "scen-001")));
    expect(row).toMatchObject({ scenarioId: target.id, chunkId: target.chunkId });
    expect((await library({ search: "paralysed" }))[0].usageCount).toBe(usedBefore + 1);
    // The preview shows the scenario it now uses.
    expect((await getConversationDetail({ db: handle.db, workspaceId, conversationId: "scen-001" })).scenario).toEqual({ id: target.id, key: target.key, title: target.title });

    await setStatus("scen-002", "failed");
    await expect(repointConversation({ db: handle.db, workspaceId, conversationId: "scen-002", scenario: { key: target.key } })).resolves.toMatchObject({ conversationId: "scen-002" });

    await setStatus("scen-003", "generated");
    const before = await getConversationScenarioRef({ db: handle.db, workspaceId, conversationId: "scen-003" });
    await expect(repointConversation({ db: handle.db, workspaceId, conversationId: "scen-003", scenario: { id: target.id } })).rejects.toMatchObject({
      code: "conversation_not_repointable",
      message: expect.stringMatching(/scen-003 has been generated already, so it keeps the scenario it was written from/),
    });
    expect((await getConversationScenarioRef({ db: handle.db, workspaceId, conversationId: "scen-003" }))?.scenarioId).toBe(before?.scenarioId);

    await expect(repointConversation({ db: handle.db, workspaceId, conversationId: "seed-001", scenario: { id: target.id } })).rejects.toThrow(/seed-001 is a seed conversation: seeds are locked/);
    expect(repointRefusal({ conversationId: "x", status: "approved", isSeed: false })).toMatch(/generated and approved/);
    expect(repointRefusal({ conversationId: "x", status: "not_generated", isSeed: false })).toBeNull();

    await setScenarioArchived({ db: handle.db, workspaceId, id: target.id, archived: true });
    await expect(repointConversation({ db: handle.db, workspaceId, conversationId: "scen-004", scenario: { id: target.id } })).rejects.toThrow(/is archived\. Restore it first/);
    await setScenarioArchived({ db: handle.db, workspaceId, id: target.id, archived: false });
  });

  const source = async (): Promise<SuggestionSource> => {
    const chunk = (await listChunksWithDocuments({ db: handle.db, workspaceId }))[1];
    return { documentTitle: chunk.documentTitle, category: chunk.category, heading: chunk.heading, content: chunk.content };
  };

  it("the simulated provider composes plainly labelled drafts from the chunk, the same every time, with no request", async () => {
    const provider = createSimulatedProvider();
    const src = await source();
    const drafts = await suggestScenarioDrafts({ provider, model: provider.defaultModel, source: src });
    expect(drafts.length).toBeGreaterThan(0);
    for (const draft of drafts) {
      expect(draft.title.startsWith(SIMULATED_DRAFT_PREFIX)).toBe(true);
      expect(draft.category).toBe(src.category);
    }
    // Drawn from the chunk's own words.
    const words = drafts[0].problem.match(/“(.+?)…?\.?”/)?.[1].split(" ").slice(0, 4).join(" ") ?? "";
    expect(src.content.replace(/\s+/g, " ")).toContain(words);
    expect(await suggestScenarioDrafts({ provider, model: provider.defaultModel, source: src })).toEqual(drafts);
  });

  it("a language model's JSON reply becomes drafts; a prose reply is a retryable malformed_response", async () => {
    const provider = createOpenAIProvider({ apiKey: "sk-test", baseURL: server.openaiBaseUrl, model: "fake-model-large", timeoutMs: 5_000 });
    const reply = { scenarios: [{ title: "Career switch at 45", description: "Leaving a corporate job.", category: "career", tags: ["career"], problem: "Wants to leave.", solution: "Build a runway.", outcome: "Leaves with 12 months saved." }] };
    server.reset();
    server.enqueue(fake.ok(`\`\`\`json\n${JSON.stringify(reply)}\n\`\`\``));
    const src = await source();
    const drafts = await suggestScenarioDrafts({ provider, model: "fake-model-large", source: src });
    expect(drafts).toEqual(reply.scenarios);
    const request = server.requests.at(-1)?.body as { messages: Array<{ role: string; content: string }> };
    expect(request.messages.find((m) => m.role === "user")?.content).toContain(src.content.slice(0, 80));

    server.enqueue(fake.malformed());
    await expect(suggestScenarioDrafts({ provider, model: "fake-model-large", source: src })).rejects.toMatchObject({ code: "malformed_response", retryable: true });
    server.enqueue(fake.ok(JSON.stringify({ scenarios: [{ title: "No problem given" }] })));
    await expect(suggestScenarioDrafts({ provider, model: "fake-model-large", source: src })).rejects.toThrow(/The model's scenarios were incomplete/);
  });
});
