import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPath } from "../../src/core/import/import-workspace";
import type { DatabaseHandle } from "../../src/server/db/client";
import { listConversationRefs } from "../../src/server/db/queries/conversations";
import { chunks, conversations, conversationTurns, documents, personas, promptTemplates, reviewLogs, scenarios } from "../../src/server/db/schema";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";
import { STARTER_TEMPLATES } from "../../src/core/templates/starter-templates";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
let handle: DatabaseHandle;
let workspaceId: string;

async function rowCount(table: typeof personas | typeof documents | typeof chunks | typeof conversations | typeof conversationTurns | typeof promptTemplates | typeof scenarios): Promise<number> {
  const [row] = await handle.db.select({ n: count() }).from(table);
  return Number(row.n);
}

/** A copy of the sample workspace with `edit` applied, in a temp folder. */
function sampleCopyWith(edit: (dir: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-import-"));
  fs.cpSync(SAMPLE, dir, { recursive: true });
  edit(dir);
  return dir;
}

async function expectNothingImported(target: string, ...messageParts: Array<string | RegExp>) {
  const error = await importPath({ db: handle.db, workspaceId, target, userId: "local:test" }).then(
    () => null,
    (e: unknown) => e as Error & { code?: string },
  );
  expect(error, "the import should have been refused").not.toBeNull();
  expect(error?.code).toBe("import_invalid");
  for (const part of messageParts) expect(error?.message).toMatch(part);
  expect(await rowCount(personas)).toBe(0);
  expect(await rowCount(documents)).toBe(0);
  expect(await rowCount(chunks)).toBe(0);
  expect(await rowCount(conversations)).toBe(0);
  // Only the starter templates every new workspace has.
  expect(await rowCount(promptTemplates)).toBe(STARTER_TEMPLATES.length);
}

describe(`import, all or nothing (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
  });
  afterAll(async () => {
    await handle.close();
  });

  it("refuses a file that is not valid JSON, naming the file and the line", async () => {
    const dir = sampleCopyWith((d) => {
      const file = path.join(d, "taxonomy.json");
      const text = fs.readFileSync(file, "utf8");
      fs.writeFileSync(file, text.replace('"personas": [', '"personas": [,'));
    });
    await expectNothingImported(dir, "taxonomy.json", /line \d+, column \d+/, /not valid JSON/);
  });

  it("refuses a schema error with its JSON path", async () => {
    const dir = sampleCopyWith((d) => {
      const file = path.join(d, "scenarios.json");
      const data = JSON.parse(fs.readFileSync(file, "utf8"));
      delete data.scenarios[2].outcome;
      fs.writeFileSync(file, JSON.stringify(data, null, 2));
    });
    await expectNothingImported(dir, "scenarios.json", /line \d+, \$\.scenarios\[2\]\.outcome/);
  });

  it("refuses a reference to a persona that does not exist", async () => {
    const dir = sampleCopyWith((d) => {
      const file = path.join(d, "seed-conversations.json");
      const data = JSON.parse(fs.readFileSync(file, "utf8"));
      data.conversations[0].persona = "nobody-at-all";
      fs.writeFileSync(file, JSON.stringify(data, null, 2));
    });
    await expectNothingImported(dir, 'persona "nobody-at-all"', "$.conversations[0].persona");
  });

  it("refuses a document whose front matter is not valid YAML, naming the file and line", async () => {
    const dir = sampleCopyWith((d) => {
      fs.writeFileSync(path.join(d, "documents", "broken.md"), "---\ntitle: [unclosed\n---\n\n## A section\n\nSome text.\n");
    });
    await expectNothingImported(dir, "documents/broken.md", /line \d/, /YAML/);
  });

  it("refuses a template with an unknown placeholder", async () => {
    const dir = sampleCopyWith((d) => {
      const file = path.join(d, "templates.json");
      const data = JSON.parse(fs.readFileSync(file, "utf8"));
      data.templates[0].template_text += " {persona_nam}";
      fs.writeFileSync(file, JSON.stringify(data, null, 2));
    });
    await expectNothingImported(dir, "templates.json", "$.templates[0].template_text", "persona_nam");
  });

  it("imports the sample workspace in full, and a second import duplicates nothing", async () => {
    const first = await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    expect(first.documents.created).toBeGreaterThanOrEqual(6);
    expect(first.personas).toBeGreaterThanOrEqual(6);
    expect(first.seeds.created).toBe(10);
    const counts = {
      documents: await rowCount(documents),
      chunks: await rowCount(chunks),
      scenarios: await rowCount(scenarios),
      conversations: await rowCount(conversations),
      turns: await rowCount(conversationTurns),
      templates: await rowCount(promptTemplates),
    };
    expect(counts.chunks).toBeGreaterThan(counts.documents);
    expect(counts.scenarios).toBeGreaterThanOrEqual(10);
    expect(counts.templates).toBeGreaterThanOrEqual(3);

    const second = await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    expect(second.documents.unchanged).toBe(first.documents.created);
    expect(second.seeds).toEqual({ created: 0, unchanged: 10 });
    expect(second.templates.changed).toBe(0);
    expect({
      documents: await rowCount(documents),
      chunks: await rowCount(chunks),
      scenarios: await rowCount(scenarios),
      conversations: await rowCount(conversations),
      turns: await rowCount(conversationTurns),
      templates: await rowCount(promptTemplates),
    }).toEqual(counts);
  });

  it("stores seeds as approved, locked, scored conversations with their turns, and every chunk with dimensions", async () => {
    const seeds = await handle.db.select().from(conversations).where(eq(conversations.isSeed, true));
    expect(seeds).toHaveLength(10);
    for (const seed of seeds) {
      expect(seed.status).toBe("approved");
      expect(seed.turnCount).toBeGreaterThanOrEqual(8);
      expect(seed.turnCount).toBeLessThanOrEqual(16);
      expect(seed.qualityScore).toBeGreaterThanOrEqual(1);
      expect(seed.systemPrompt.length).toBeGreaterThan(20);
    }
    const approvals = await handle.db.select().from(reviewLogs);
    expect(approvals.filter((r) => r.action === "approve")).toHaveLength(10);
    const allChunks = await handle.db.select().from(chunks);
    for (const chunk of allChunks) {
      expect(chunk.summary.length).toBeGreaterThan(0);
      expect(chunk.dimensions).toHaveProperty("audience_level");
    }
    const linked = await handle.db.select().from(scenarios);
    expect(linked.every((s) => s.chunkId !== null)).toBe(true);
  });

  it("finds conversations by a JSONB metadata key", async () => {
    const seeds = await listConversationRefs({ db: handle.db, workspaceId, filter: { metadata: { source: "seed_import" } } });
    expect(seeds.map((r) => r.conversationId).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `seed-${String(i + 1).padStart(3, "0")}`));
    expect(await listConversationRefs({ db: handle.db, workspaceId, filter: { metadata: { source: "elsewhere" } } })).toHaveLength(0);
  });
});

describe(`seed conversations are locked in the database (${testDatabaseKind()})`, () => {
  let db: DatabaseHandle;
  beforeAll(async () => {
    db = await createTestDatabase();
    const { id } = await createTestWorkspace(db.db);
    await importPath({ db: db.db, workspaceId: id, target: SAMPLE, userId: "local:test" });
  });
  afterAll(async () => {
    await db.close();
  });

  it("refuses to delete a seed or change its turns, and keeps them intact", async () => {
    const [seed] = await db.db.select().from(conversations).where(eq(conversations.conversationId, "seed-001"));
    // Drizzle wraps the database's error; the trigger's message is its cause.
    await expect(db.db.delete(conversations).where(eq(conversations.id, seed.id))).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/seed-001 is a seed conversation and is locked/) },
    });
    await expect(db.db.update(conversationTurns).set({ content: "edited" }).where(eq(conversationTurns.conversationId, seed.id))).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/its turns cannot be changed/) },
    });
    await expect(db.db.delete(conversationTurns).where(eq(conversationTurns.conversationId, seed.id))).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/locked/) },
    });
    const turns = await db.db.select().from(conversationTurns).where(eq(conversationTurns.conversationId, seed.id));
    expect(turns).toHaveLength(seed.turnCount);
    expect(turns.some((t) => t.content === "edited")).toBe(false);
  });
});
