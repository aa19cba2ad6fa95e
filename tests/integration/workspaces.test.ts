/**
 * Workspaces (issue 9 item 1): two businesses in one database never see each other's data, even
 * with the same keys and conversation ids; the CLI's choice of workspace; delete removes everything
 * of one workspace in one transaction, and only with its name typed and no run unfinished; each
 * workspace's own document category list (what the Documents page offers); the sample is loaded
 * once per installation.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { importPath } from "../../src/core/import/import-workspace";
import { createPlan } from "../../src/core/planning/create-plan";
import { DEFAULT_DOCUMENT_CATEGORIES } from "../../src/lib/document-categories";
import { openDatabase, type DatabaseHandle } from "../../src/server/db/client";
import { MIGRATIONS_FOLDER } from "../../src/server/db/migrate";
import { localOwner, setProcessPrincipal } from "../../src/server/auth";
import { loadDocumentList } from "../../src/server/documents";
import { countConversationFacets, listConversations } from "../../src/server/db/queries/conversation-list";
import { getConversationTotals } from "../../src/server/db/queries/conversations";
import { listDocumentsWithChunkCounts } from "../../src/server/db/queries/documents";
import { startRun } from "../../src/server/runs/run-machine";
import { cancelGenerationRun } from "../../src/server/runs/run-control";
import {
  createWorkspace,
  deleteWorkspace,
  ensureSampleWorkspace,
  listWorkspaceSummaries,
  releaseFirstStartSample,
  renameWorkspace,
  resolveCommandWorkspace,
  sampleOnFirstStart,
  setDocumentCategories,
  setWorkspaceArchived,
} from "../../src/server/workspaces";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";

/** Who changes the settings in these tests (the settings audit records the name). */
const TEST_ACTOR = { id: "local:test", displayName: "test" };

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const SORT = { column: "conversation_id", direction: "asc" } as const;
/** The process's database singleton (src/server/db/instance.ts), pointed at this file's database so page loaders run as in the server. */
const DATABASE_KEY = Symbol.for("brightrun.database");
let handle: DatabaseHandle;
let sampleId: string;
let otherId: string;
let work: string;

/** Rows of each business table that belong to the workspace. */
async function rowsOf(workspaceId: string): Promise<Record<string, number>> {
  const tables = ["documents", "chunks", "personas", "emotional_arcs", "topics", "intents", "tones", "edge_case_categories", "scenarios", "prompt_templates", "conversations", "review_logs"];
  const out: Record<string, number> = {};
  for (const table of tables) {
    const result = await handle.db.execute(sql`select count(*)::int as n from ${sql.identifier(table)} where workspace_id = ${workspaceId}`);
    out[table] = Number((result as unknown as { rows: Array<{ n: number }> }).rows[0].n);
  }
  return out;
}

describe(`workspaces (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    work = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-workspaces-"));
    (globalThis as Record<symbol, unknown>)[DATABASE_KEY] = Promise.resolve(handle);
    // Page loaders (loadDocumentList) run as the local owner (the guard's seam for code outside a web request).
    setProcessPrincipal(localOwner());
    sampleId = (await createWorkspace(handle.db, { name: "Harbor & Pine" })).id;
    otherId = (await createWorkspace(handle.db, { name: "Harbor & Pine, second office" })).id;
    // The same files into both: the same document keys, taxonomy keys and seed ids.
    await importPath({ db: handle.db, workspaceId: sampleId, target: SAMPLE, userId: "local:test" });
    await importPath({ db: handle.db, workspaceId: otherId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId: sampleId, split: { template: 6, scenario: 4, edge_case: 2 } });
    await createPlan({ db: handle.db, workspaceId: otherId, split: { template: 2, scenario: 0, edge_case: 0 } });
  }, 120_000);

  afterAll(async () => {
    (globalThis as Record<symbol, unknown>)[DATABASE_KEY] = undefined;
    setProcessPrincipal(null);
    await handle.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("keeps each workspace's documents, conversations and counts apart, with the same keys in both", async () => {
    const [sampleDocs, otherDocs] = await Promise.all([
      listDocumentsWithChunkCounts({ db: handle.db, workspaceId: sampleId }),
      listDocumentsWithChunkCounts({ db: handle.db, workspaceId: otherId }),
    ]);
    expect(sampleDocs.map((d) => d.key)).toEqual(otherDocs.map((d) => d.key));
    expect(new Set([...sampleDocs, ...otherDocs].map((d) => d.id)).size).toBe(sampleDocs.length * 2);

    const sample = await listConversations({ db: handle.db, workspaceId: sampleId, filter: {}, sort: SORT, page: 1, perPage: 100 });
    const other = await listConversations({ db: handle.db, workspaceId: otherId, filter: {}, sort: SORT, page: 1, perPage: 100 });
    expect(sample.total).toBe(12 + 10); // the plan + the 10 seeds
    expect(other.total).toBe(2 + 10);
    expect(other.rows.map((r) => r.conversationId)).toEqual(expect.arrayContaining(["tmpl-001", "tmpl-002"]));
    expect(other.rows.map((r) => r.conversationId)).not.toContain("tmpl-003");
    const facets = await countConversationFacets({ db: handle.db, workspaceId: otherId, filter: {} });
    expect(Object.values(facets.tier).reduce((a, b) => a + b, 0)).toBe(12);
    expect((await getConversationTotals({ db: handle.db, workspaceId: otherId })).byStatus.not_generated).toBe(2);
  });

  it("a CLI command works in --workspace, else $BRIGHTRUN_WORKSPACE, else the only active one, and says which to name when there are several", async () => {
    await expect(resolveCommandWorkspace(handle.db, { env: {} })).rejects.toMatchObject({ code: "workspace_ambiguous", message: expect.stringMatching(/--workspace SLUG/) });
    expect((await resolveCommandWorkspace(handle.db, { slug: "harbor-pine-second-office", env: {} })).id).toBe(otherId);
    expect((await resolveCommandWorkspace(handle.db, { env: { BRIGHTRUN_WORKSPACE: "harbor-pine" } })).id).toBe(sampleId);
    await expect(resolveCommandWorkspace(handle.db, { slug: "nope", env: {} })).rejects.toMatchObject({ code: "workspace_not_found", message: expect.stringMatching(/harbor-pine, harbor-pine-second-office/) });
    await setWorkspaceArchived(handle.db, "harbor-pine-second-office", true);
    expect((await resolveCommandWorkspace(handle.db, { env: {} })).id).toBe(sampleId);
    await expect(resolveCommandWorkspace(handle.db, { slug: "harbor-pine-second-office", env: {} })).rejects.toMatchObject({ code: "workspace_archived" });
    expect((await resolveCommandWorkspace(handle.db, { slug: "harbor-pine-second-office", env: {}, allowArchived: true })).id).toBe(otherId);
    await setWorkspaceArchived(handle.db, "harbor-pine-second-office", false);
  });

  it("makes a unique short name from the name, and refuses a taken or malformed one plainly", async () => {
    const third = await createWorkspace(handle.db, { name: "Harbor & Pine" });
    expect(third.slug).toBe("harbor-pine-2");
    await expect(createWorkspace(handle.db, { name: "X", slug: "harbor-pine" })).rejects.toMatchObject({ code: "workspace_slug_taken" });
    await expect(renameWorkspace(handle.db, "harbor-pine-2", { name: "Third", slug: "Not A Slug" })).rejects.toMatchObject({ code: "workspace_slug_invalid" });
    const renamed = await renameWorkspace(handle.db, "harbor-pine-2", { name: "Third office", slug: "third-office" });
    expect(renamed).toMatchObject({ name: "Third office", slug: "third-office" });
    await deleteWorkspace(handle.db, "third-office", "Third office");
  });

  it("the Documents page offers the workspace's own category list, then categories its documents still use; removing one changes no document", async () => {
    const categoriesOf = async (id: string) => (await listDocumentsWithChunkCounts({ db: handle.db, workspaceId: id })).map((d) => [d.key, d.category]);
    const stored = await categoriesOf(sampleId);
    expect(stored.map(([, c]) => c)).toEqual(expect.arrayContaining(["Client Stories", "Complete Systems", "Proprietary Strategies", "Practice Guide"]));

    // Until it sets a list: the built-in one, then what the documents use.
    expect((await loadDocumentList("harbor-pine")).categories).toEqual([...DEFAULT_DOCUMENT_CATEGORIES, "Practice Guide"]);

    // Rename "Complete Systems" to "Full Systems", remove "Proprietary Strategies", add two.
    const saved = await setDocumentCategories(handle.db, "harbor-pine", ["  Retirement Income ", "Full Systems", "client stories", "Tax Planning"], TEST_ACTOR);
    expect(saved).toEqual({ categories: ["Retirement Income", "Full Systems", "client stories", "Tax Planning"], isDefault: false });
    // The list first, in its order (its spelling wins over a document's "Client Stories"), then the categories documents still use, A–Z.
    expect((await loadDocumentList("harbor-pine")).categories).toEqual([
      "Retirement Income",
      "Full Systems",
      "client stories",
      "Tax Planning",
      "Complete Systems",
      "Practice Guide",
      "Proprietary Strategies",
    ]);
    expect(await categoriesOf(sampleId)).toEqual(stored);
    // The other workspace still offers the built-in list.
    expect((await loadDocumentList("harbor-pine-second-office")).categories).toEqual([...DEFAULT_DOCUMENT_CATEGORIES, "Practice Guide"]);

    // An empty list: only what documents use; null: back to the built-in list.
    await setDocumentCategories(handle.db, "harbor-pine", [], TEST_ACTOR);
    expect((await loadDocumentList("harbor-pine")).categories).toEqual(["Client Stories", "Complete Systems", "Practice Guide", "Proprietary Strategies"]);
    expect(await setDocumentCategories(handle.db, "harbor-pine", null, TEST_ACTOR)).toEqual({ categories: [...DEFAULT_DOCUMENT_CATEGORIES], isDefault: true });
    expect(await categoriesOf(sampleId)).toEqual(stored);
  });

  it("refuses a bad category list in plain English and keeps the saved one", async () => {
    await setDocumentCategories(handle.db, "harbor-pine-second-office", ["Guides", "Client Stories"], TEST_ACTOR);
    const refused = async (list: string[], message: RegExp) =>
      expect(setDocumentCategories(handle.db, "harbor-pine-second-office", list, TEST_ACTOR)).rejects.toMatchObject({ code: "document_categories_invalid", message: expect.stringMatching(message) });
    await refused(["Guides", "  "], /^Category 2 is empty: give it a name or remove it\.$/);
    await refused(["x".repeat(61)], /is 61 characters long; a category can be at most 60/);
    await refused(["Client Stories", "CLIENT STORIES"], /"Client Stories" and "CLIENT STORIES" are the same category \(capital letters don't make categories different\): keep one/);
    await refused(["Guides", " Guides"], /"Guides" is in the list twice: keep one/);
    await refused(Array.from({ length: 51 }, (_, i) => `Category ${i + 1}`), /The list has 51 categories; a workspace can have at most 50/);
    await refused(["uncategorized"], /what a document without a category is called/);
    expect(await setDocumentCategories(handle.db, "harbor-pine-second-office", Array.from({ length: 50 }, (_, i) => `C${i}`), TEST_ACTOR)).toMatchObject({ isDefault: false });
    await setDocumentCategories(handle.db, "harbor-pine-second-office", ["Guides", "Client Stories"], TEST_ACTOR);
    expect((await loadDocumentList("harbor-pine-second-office")).categories.slice(0, 2)).toEqual(["Guides", "Client Stories"]);

    await setWorkspaceArchived(handle.db, "harbor-pine-second-office", true);
    await expect(setDocumentCategories(handle.db, "harbor-pine-second-office", ["Other"], TEST_ACTOR)).rejects.toMatchObject({ code: "workspace_archived" });
    await setWorkspaceArchived(handle.db, "harbor-pine-second-office", false);
  });

  it("deletes a workspace with everything in it in one transaction, only with its name typed and no run unfinished; the other is untouched", async () => {
    const before = await rowsOf(sampleId);
    expect(before.conversations).toBe(22);
    const otherBefore = await rowsOf(otherId);
    await expect(deleteWorkspace(handle.db, "harbor-pine-second-office", "harbor pine")).rejects.toMatchObject({ code: "confirmation_invalid" });

    const { run } = await startRun({
      db: handle.db,
      input: { workspaceId: otherId, selection: { ids: ["tmpl-001"] }, kind: "live", provider: "simulated", model: "simulated-composer-1", userId: "local:test", concurrency: 1 },
    });
    await expect(deleteWorkspace(handle.db, "harbor-pine-second-office", "Harbor & Pine, second office")).rejects.toMatchObject({
      code: "workspace_busy",
      message: expect.stringMatching(/Cancel it first/),
    });
    await cancelGenerationRun({ handle, runId: run!.id });

    const deleted = await deleteWorkspace(handle.db, "harbor-pine-second-office", "Harbor & Pine, second office");
    expect(deleted).toMatchObject({ slug: "harbor-pine-second-office", conversations: otherBefore.conversations, documents: otherBefore.documents });
    expect(Object.values(await rowsOf(otherId)).every((n) => n === 0)).toBe(true);
    expect(await rowsOf(sampleId)).toEqual(before);
    expect((await listWorkspaceSummaries(handle.db)).map((w) => w.slug)).toEqual(["harbor-pine"]);
  });
});

describe(`the sample is loaded once per installation (${testDatabaseKind()})`, () => {
  it("a fresh database loads it on the first start only; after every workspace is deleted it stays gone", async () => {
    const fresh = await createTestDatabase();
    try {
      expect(await sampleOnFirstStart(fresh.db)).toEqual({ load: true });
      // The server loads it…
      const { workspace } = await ensureSampleWorkspace(fresh.db);
      // …and a second start does not, even once it has been deleted.
      await deleteWorkspace(fresh.db, workspace.slug, workspace.name);
      expect(await listWorkspaceSummaries(fresh.db)).toEqual([]);
      expect(await sampleOnFirstStart(fresh.db)).toMatchObject({ load: false, reason: "loaded_before", loadedAt: expect.any(Date) });
      // A load that failed is forgotten, so the next start tries again.
      await releaseFirstStartSample(fresh.db);
      expect(await sampleOnFirstStart(fresh.db)).toEqual({ load: true });
      expect(await sampleOnFirstStart(fresh.db)).toMatchObject({ load: false, reason: "loaded_before" });
    } finally {
      await fresh.close();
    }
  });

  it("a first start on a database that already has a workspace (made with the CLI) does not add the sample, and never will", async () => {
    const fresh = await createTestDatabase();
    try {
      const acme = await createWorkspace(fresh.db, { name: "Acme Bakery" });
      expect(await sampleOnFirstStart(fresh.db)).toEqual({ load: false, reason: "workspaces_exist" });
      await deleteWorkspace(fresh.db, acme.slug, acme.name);
      expect(await sampleOnFirstStart(fresh.db)).toMatchObject({ load: false, reason: "loaded_before" });
    } finally {
      await fresh.close();
    }
  });

  it.runIf(testDatabaseKind() === "pglite")("the migration counts a database that had data before it as loaded", async () => {
    // The migrations up to 0010 (the journal without 0011), a workspace, then the rest.
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-migrations-"));
    fs.cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
    const journalFile = path.join(folder, "meta/_journal.json");
    const journal = JSON.parse(fs.readFileSync(journalFile, "utf8")) as { entries: Array<{ tag: string }> };
    const upTo = journal.entries.findIndex((e) => e.tag === "0011_workspace_categories");
    expect(upTo).toBeGreaterThan(0);
    fs.writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }));
    const old = await openDatabase({ memory: true });
    try {
      await migratePglite(old.db as never, { migrationsFolder: folder });
      await old.db.execute(sql`insert into workspaces (slug, name, business_name, training_system_prompt) values ('acme', 'Acme', 'Acme', '')`);
      await migratePglite(old.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
      const acme = (await listWorkspaceSummaries(old.db))[0];
      await deleteWorkspace(old.db, acme.slug, acme.name);
      expect(await sampleOnFirstStart(old.db)).toMatchObject({ load: false, reason: "loaded_before", loadedAt: expect.any(Date) });
    } finally {
      await old.close();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
