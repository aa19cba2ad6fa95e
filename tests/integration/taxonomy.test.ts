/**
 * The taxonomy pages' rules (issue 10, item 1) and the outcome dimension (item 1, "outcomes"):
 * create / edit / duplicate / archive / delete of one entry with the importer's validation, delete
 * refused while conversations use the entry, a taxonomy file uploaded all or nothing with its
 * problems, export then import into a fresh workspace giving the same taxonomy, the starter
 * taxonomy, suggestions from the simulated composer and from a model (the fake LLM server, a
 * malformed reply included), `{outcome}` in the prompt, and the Outcome filter.
 */
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { buildGenerationContext } from "../../src/core/generation/build-context";
import { importFileBytes, importPath } from "../../src/core/import/import-workspace";
import { importStarterTaxonomy } from "../../src/core/taxonomy/starter-taxonomy";
import { SIMULATED_SUGGESTIONS_LABEL } from "../../src/core/taxonomy/suggest-taxonomy";
import {
  createTaxonomyEntry,
  deleteTaxonomyEntry,
  duplicateTaxonomyEntry,
  listTaxonomyEntries,
  setTaxonomyEntryArchived,
  updateTaxonomyEntry,
} from "../../src/core/taxonomy/taxonomy-entries";
import { exportTaxonomyFile, taxonomyFileText } from "../../src/core/taxonomy/taxonomy-file";
import { buildTemplateParameters, NO_OUTCOME_TEXT, renderTemplate, validateTemplateText } from "../../src/core/templates";
import { parseConversationTableParams } from "../../src/lib/conversation-table-params";
import type { DatabaseHandle } from "../../src/server/db/client";
import { countConversationFacets, listConversations } from "../../src/server/db/queries/conversation-list";
import { getGenerationInputsById } from "../../src/server/db/queries/conversations";
import { listTaxonomy, listTaxonomyOptions } from "../../src/server/db/queries/taxonomy";
import { conversations, scenarios } from "../../src/server/db/schema";
import { importTaxonomyUpload, suggestTaxonomyFromDocuments } from "../../src/server/taxonomy";
import { fake, startFakeLlmServer, type FakeLlmServer } from "../support/fake-llm-server";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const USER = "local:test";
let handle: DatabaseHandle;
/** The sample business, imported whole (its seed conversations use its personas). */
let sampleId: string;
let server: FakeLlmServer;

const bytes = (text: string) => new TextEncoder().encode(text);

describe(`taxonomy pages and outcomes (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    sampleId = (await createTestWorkspace(handle.db, "Sample")).id;
    await importPath({ db: handle.db, workspaceId: sampleId, target: SAMPLE, userId: USER });
    server = await startFakeLlmServer();
  });
  afterAll(async () => {
    await server?.close();
    await handle?.close();
  });

  it("creates, edits, duplicates, archives, restores and deletes a persona, validating as the importer does", async () => {
    const ws = await createTestWorkspace(handle.db, "Crud business");
    const db = handle.db;
    const input = { key: "busy-parent", name: "Busy Parent", description: "Two kids, no time.", traits: ["short on time"], communication_style: "Terse", goals: ["save time"] };
    await createTaxonomyEntry({ db, workspaceId: ws.id, kind: "personas", input });

    // The importer's rules: a key of lower-case letters, a name that is not empty.
    await expect(createTaxonomyEntry({ db, workspaceId: ws.id, kind: "personas", input: { ...input, key: "Busy Parent" } })).rejects.toThrow(/lower-case key/);
    const empty = await createTaxonomyEntry({ db, workspaceId: ws.id, kind: "personas", input: { ...input, key: "other", name: "  " } }).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(ZodError);
    expect((empty as ZodError).issues[0]).toMatchObject({ path: ["name"], message: "must not be empty" });
    await expect(createTaxonomyEntry({ db, workspaceId: ws.id, kind: "personas", input })).rejects.toMatchObject({ code: "taxonomy_key_taken" });
    await expect(
      createTaxonomyEntry({ db, workspaceId: ws.id, kind: "edge_case_categories", input: { key: "angry", name: "Angry", description: "Upset customer" } }),
    ).rejects.toThrow(ZodError); // test_condition is required

    await updateTaxonomyEntry({ db, workspaceId: ws.id, kind: "personas", key: "busy-parent", input: { ...input, description: "Three kids now." } });
    await expect(updateTaxonomyEntry({ db, workspaceId: ws.id, kind: "personas", key: "busy-parent", input: { ...input, key: "renamed" } })).rejects.toMatchObject({
      code: "taxonomy_key_fixed",
    });
    const copy = await duplicateTaxonomyEntry({ db, workspaceId: ws.id, kind: "personas", key: "busy-parent" });
    expect(copy).toMatchObject({ key: "busy-parent-copy", name: "Busy Parent (copy)", traits: ["short on time"] });
    expect((await duplicateTaxonomyEntry({ db, workspaceId: ws.id, kind: "personas", key: "busy-parent" })).key).toBe("busy-parent-copy-2");

    await setTaxonomyEntryArchived({ db, workspaceId: ws.id, kind: "personas", key: "busy-parent", archived: true });
    let rows = await listTaxonomyEntries({ db, workspaceId: ws.id, kind: "personas" });
    expect(rows.map((r) => [r.entry.key, r.archivedAt !== null])).toEqual([
      ["busy-parent", true],
      ["busy-parent-copy", false],
      ["busy-parent-copy-2", false],
    ]);
    expect(rows[0].entry.description).toBe("Three kids now.");
    // Archived entries are not offered as new choices' keys either: the key stays taken.
    await expect(createTaxonomyEntry({ db, workspaceId: ws.id, kind: "personas", input })).rejects.toThrow(/already exists \(archived\)/);
    await setTaxonomyEntryArchived({ db, workspaceId: ws.id, kind: "personas", key: "busy-parent", archived: false });

    await deleteTaxonomyEntry({ db, workspaceId: ws.id, kind: "personas", key: "busy-parent-copy-2" });
    rows = await listTaxonomyEntries({ db, workspaceId: ws.id, kind: "personas" });
    expect(rows.map((r) => [r.entry.key, r.archivedAt])).toEqual([
      ["busy-parent", null],
      ["busy-parent-copy", null],
    ]);
    await expect(deleteTaxonomyEntry({ db, workspaceId: ws.id, kind: "personas", key: "gone" })).rejects.toMatchObject({ code: "taxonomy_entry_not_found" });
  });

  it("refuses to delete a persona conversations use, saying how many, and archives it instead", async () => {
    const used = await handle.db.select({ persona: conversations.persona }).from(conversations).where(eq(conversations.workspaceId, sampleId));
    const persona = used[0].persona;
    const count = used.filter((c) => c.persona === persona).length;
    const error = await deleteTaxonomyEntry({ db: handle.db, workspaceId: sampleId, kind: "personas", key: persona }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "taxonomy_entry_in_use" });
    const scenarioCount = (await handle.db.select({ key: scenarios.key }).from(scenarios).where(and(eq(scenarios.workspaceId, sampleId), eq(scenarios.personaKey, persona)))).length;
    const users = [`${count} ${count === 1 ? "conversation" : "conversations"}`, scenarioCount ? `${scenarioCount} ${scenarioCount === 1 ? "scenario" : "scenarios"}` : null].filter(Boolean);
    expect((error as Error).message).toBe(`${users.join(" and ")} ${count + scenarioCount === 1 ? "uses" : "use"} this persona; archive it instead.`);
    expect((await listTaxonomy({ db: handle.db, workspaceId: sampleId })).personas.some((p) => p.key === persona)).toBe(true);

    await setTaxonomyEntryArchived({ db: handle.db, workspaceId: sampleId, kind: "personas", key: persona, archived: true });
    const row = (await listTaxonomyEntries({ db: handle.db, workspaceId: sampleId, kind: "personas" })).find((r) => r.entry.key === persona);
    expect(row?.archivedAt).not.toBeNull();
    expect(row?.usage.conversations).toBe(count);
    // The conversations keep it: the table's persona filter still offers it.
    expect((await listTaxonomyOptions({ db: handle.db, workspaceId: sampleId })).personas.some((p) => p.key === persona)).toBe(true);
    await setTaxonomyEntryArchived({ db: handle.db, workspaceId: sampleId, kind: "personas", key: persona, archived: false });
  });

  it("imports an uploaded taxonomy file all or nothing, naming the file, line and path of every problem", async () => {
    const ws = await createTestWorkspace(handle.db, "Upload business");
    const text = JSON.stringify(
      {
        tones: [{ key: "calm", name: "Calm", description: "Quiet and steady." }],
        personas: [
          { key: "ok-persona", name: "Fine", description: "A valid one." },
          { key: "Bad Key", name: "Broken", description: "" },
        ],
      },
      null,
      2,
    );
    const result = await importTaxonomyUpload({ db: handle.db, workspaceId: ws.id, userId: USER, fileName: "my-taxonomy.json", text });
    expect(result.imported).toBe(false);
    if (result.imported) return;
    expect(result.message).toBe("Nothing was imported from my-taxonomy.json: 2 problems must be fixed first.");
    expect(result.problems).toEqual([
      { file: "my-taxonomy.json", where: "line 16, $.personas[1].key", message: expect.stringMatching(/lower-case key/) },
      { file: "my-taxonomy.json", where: "line 18, $.personas[1].description", message: "must not be empty" },
    ]);
    const stored = await listTaxonomy({ db: handle.db, workspaceId: ws.id });
    expect(stored.tones).toEqual([]); // the valid parts were not written either
    expect(stored.personas).toEqual([]);

    const syntax = await importTaxonomyUpload({ db: handle.db, workspaceId: ws.id, userId: USER, fileName: "t.json", text: '{"tones": [\n  {"key": "a",}\n]}' });
    expect(syntax).toMatchObject({ imported: false, problems: [{ file: "t.json", where: "line 2, column 15", message: expect.stringMatching(/not valid JSON/) }] });

    const scenarios = await importTaxonomyUpload({
      db: handle.db,
      workspaceId: ws.id,
      userId: USER,
      fileName: "scenarios.json",
      text: JSON.stringify({ scenarios: [{ key: "s", title: "S", category: "c", problem: "p", solution: "s", outcome: "o", source_document: "doc" }] }),
    });
    expect(scenarios).toMatchObject({ imported: false, problems: [{ file: "scenarios.json", message: expect.stringMatching(/^this is not a taxonomy file/) }] });

    const ok = await importTaxonomyUpload({ db: handle.db, workspaceId: ws.id, userId: USER, fileName: "t.json", text: JSON.stringify({ tones: [{ key: "calm", name: "Calm", description: "Quiet." }] }) });
    expect(ok).toMatchObject({ imported: true, summary: { tones: 1 } });
  });

  it("exports the taxonomy as the file the importer reads: imported into a fresh workspace it gives the same taxonomy", async () => {
    const file = await exportTaxonomyFile({ db: handle.db, workspaceId: sampleId });
    expect(Object.keys(file)).toEqual(["personas", "emotional_arcs", "topics", "intents", "tones", "edge_case_categories", "outcomes"]);
    expect(file.outcomes).toHaveLength(4);
    const fresh = await createTestWorkspace(handle.db, "Round trip");
    const summary = await importFileBytes({ db: handle.db, workspaceId: fresh.id, file: "sample-taxonomy.json", bytes: bytes(taxonomyFileText(file)), userId: USER, only: "taxonomy" });
    expect(summary.personas).toBe(file.personas?.length);
    expect(await exportTaxonomyFile({ db: handle.db, workspaceId: fresh.id })).toEqual(file);
    // And through `brightrun import` of the same text on disk: importPath reads the same format.
    const stripped = (rows: Awaited<ReturnType<typeof listTaxonomy>>) =>
      Object.fromEntries(Object.entries(rows).map(([k, list]) => [k, (list as Array<Record<string, unknown>>).map(({ workspaceId: _w, createdAt: _c, ...rest }) => rest)]));
    expect(stripped(await listTaxonomy({ db: handle.db, workspaceId: fresh.id }))).toEqual(stripped(await listTaxonomy({ db: handle.db, workspaceId: sampleId })));
  });

  it("starts a new workspace from the starter taxonomy (the seeds' five arcs), once", async () => {
    const ws = await createTestWorkspace(handle.db, "Starter business");
    const summary = await importStarterTaxonomy({ db: handle.db, workspaceId: ws.id, userId: USER });
    expect(summary).toMatchObject({ emotionalArcs: 5, personas: 0, topics: 0 });
    expect(summary.intents).toBeGreaterThanOrEqual(4);
    expect(summary.tones).toBeGreaterThanOrEqual(3);
    expect(summary.edgeCaseCategories).toBeGreaterThanOrEqual(3);
    expect(summary.outcomes).toBeGreaterThanOrEqual(3);
    const stored = await listTaxonomy({ db: handle.db, workspaceId: ws.id });
    expect(stored.emotionalArcs.map((a) => a.name).sort()).toEqual(["Anxiety-to-Relief", "Discovery", "Steady Confidence", "Struggle-to-Success", "Triumph"]);
    expect(stored.emotionalArcs.every((a) => a.enabled && a.turnStructure.length > 50)).toBe(true);
    await expect(importStarterTaxonomy({ db: handle.db, workspaceId: ws.id, userId: USER })).rejects.toMatchObject({ code: "taxonomy_not_empty" });
  });

  it("suggests personas and topics with the simulated composer: labelled drafts from the documents, the same every time, saved nowhere", async () => {
    const before = await listTaxonomy({ db: handle.db, workspaceId: sampleId });
    const env = {}; // no provider configured: the simulated composer
    const first = await suggestTaxonomyFromDocuments({ db: handle.db, workspaceId: sampleId, businessName: "Harbor & Pine", description: "", env });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.simulated).toBe(true);
    expect(first.personas.length).toBeGreaterThan(0);
    expect(first.topics.length).toBeGreaterThan(0);
    expect(first.topics.every((t) => t.description.startsWith(`Draft (${SIMULATED_SUGGESTIONS_LABEL})`))).toBe(true);
    expect(first.topics.some((t) => t.key_terms.length > 0)).toBe(true);
    expect(await suggestTaxonomyFromDocuments({ db: handle.db, workspaceId: sampleId, businessName: "Harbor & Pine", description: "", env })).toEqual(first);
    expect(await listTaxonomy({ db: handle.db, workspaceId: sampleId })).toEqual(before);

    const empty = await createTestWorkspace(handle.db, "No documents");
    await expect(suggestTaxonomyFromDocuments({ db: handle.db, workspaceId: empty.id, businessName: "x", description: "", env })).rejects.toMatchObject({ code: "no_documents" });
  });

  it("asks a configured model for personas and topics, and keeps a malformed reply visible with a clear error", async () => {
    const env = { BRIGHTRUN_PROVIDER: "openai", OPENAI_BASE_URL: server.openaiBaseUrl, OPENAI_API_KEY: "sk-test", BRIGHTRUN_MODEL: "local-model" };
    const reply = {
      personas: [{ key: "new-retiree", name: "New Retiree", description: "Just stopped working.", traits: ["cautious"], communication_style: "Formal", goals: ["steady income"] }],
      topics: [{ key: "pensions", name: "Pensions", description: "Taking a pension.", key_terms: ["annuity"] }],
    };
    server.reset();
    server.enqueue(fake.ok(`\`\`\`json\n${JSON.stringify(reply)}\n\`\`\``));
    const good = await suggestTaxonomyFromDocuments({ db: handle.db, workspaceId: sampleId, businessName: "Harbor & Pine", description: "", env });
    expect(good).toMatchObject({ ok: true, simulated: false, provider: "openai", personas: reply.personas, topics: reply.topics });
    const sent = JSON.stringify(server.requests[0].body);
    expect(sent).toContain("Harbor & Pine");
    expect(sent).toContain("heading:"); // the documents' headings went to the model

    server.enqueue(fake.ok("Here are some personas you might like: the retiree, the saver."));
    const prose = await suggestTaxonomyFromDocuments({ db: handle.db, workspaceId: sampleId, businessName: "Harbor & Pine", description: "", env });
    expect(prose).toMatchObject({ ok: false, raw: "Here are some personas you might like: the retiree, the saver.", message: expect.stringMatching(/^The model's reply is not the JSON asked for/) });

    server.enqueue(fake.ok(JSON.stringify({ personas: [{ ...reply.personas[0], key: "New Retiree" }], topics: [] })));
    const invalid = await suggestTaxonomyFromDocuments({ db: handle.db, workspaceId: sampleId, businessName: "Harbor & Pine", description: "", env });
    expect(invalid).toMatchObject({ ok: false, message: expect.stringMatching(/\$\.personas\[0\]\.key: must be a lower-case key/) });
  });

  it("puts the conversation's outcome into {outcome}, and a neutral text when it has none", async () => {
    expect(validateTemplateText("End so that: {outcome}", "template")).toEqual([]);
    const [seed] = await handle.db.select().from(conversations).where(eq(conversations.workspaceId, sampleId)).limit(1);
    await handle.db.update(conversations).set({ outcome: "books-consultation" }).where(eq(conversations.id, seed.id));
    const inputs = await getGenerationInputsById({ db: handle.db, id: seed.id });
    const parameters = buildTemplateParameters(buildGenerationContext(inputs!, null));
    expect(renderTemplate("How it ends: {outcome}", parameters).text).toBe(
      "How it ends: Books a Consultation: The client decides to meet a Harbor & Pine planner, and the assistant explains how the first meeting works and how to book it.",
    );
    await handle.db.update(conversations).set({ outcome: null }).where(eq(conversations.id, seed.id));
    const none = buildTemplateParameters(buildGenerationContext((await getGenerationInputsById({ db: handle.db, id: seed.id }))!, null));
    expect(renderTemplate("How it ends: {outcome}", none).text).toBe(`How it ends: ${NO_OUTCOME_TEXT}`);
  });

  it("filters the conversations table by outcome (URL param, facet counts, Outcome column)", async () => {
    const rows = await handle.db.select({ id: conversations.id, conversationId: conversations.conversationId }).from(conversations).where(eq(conversations.workspaceId, sampleId)).limit(3);
    await handle.db.update(conversations).set({ outcome: "referred-elsewhere" }).where(inArray(conversations.id, rows.slice(0, 2).map((r) => r.id)));
    await handle.db.update(conversations).set({ outcome: "takes-first-step" }).where(and(eq(conversations.id, rows[2].id)));

    const { state, issues } = parseConversationTableParams(new URLSearchParams("outcome=referred-elsewhere"));
    expect(issues).toEqual([]);
    expect(state.filter).toEqual({ outcome: ["referred-elsewhere"] });
    const page = await listConversations({ db: handle.db, workspaceId: sampleId, filter: state.filter, sort: state.sort, page: 1, perPage: 25 });
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => [r.conversationId, r.outcomeName]).sort()).toEqual(
      rows
        .slice(0, 2)
        .map((r) => [r.conversationId, "Referred Elsewhere"])
        .sort(),
    );
    const facets = await countConversationFacets({ db: handle.db, workspaceId: sampleId, filter: state.filter });
    expect(facets.outcome).toMatchObject({ "referred-elsewhere": 2, "takes-first-step": 1 });
    expect((await listTaxonomyOptions({ db: handle.db, workspaceId: sampleId })).outcomes.map((o) => o.name)).toContain("Referred Elsewhere");
    const all = await listConversations({ db: handle.db, workspaceId: sampleId, filter: {}, sort: state.sort, page: 1, perPage: 100 });
    expect(all.rows.filter((r) => r.outcome === null).every((r) => r.outcomeName === null)).toBe(true);
  });
});
