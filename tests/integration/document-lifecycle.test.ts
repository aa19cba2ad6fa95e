/**
 * What happens to conversations when their document changes or goes (issue 9, item 2): a changed
 * document re-imported replaces its chunks and its conversations follow the chunk in the same
 * position, saying "source changed"; a deleted document takes its chunks, and its conversations keep
 * their text and say their document was deleted. Through the real import, plan and detail code.
 */
import fs from "node:fs";
import path from "node:path";
import { and, eq, ne } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDocumentSources } from "../../src/core/import/import-documents";
import { importPath } from "../../src/core/import/import-workspace";
import { createPlan } from "../../src/core/planning/create-plan";
import type { DatabaseHandle } from "../../src/server/db/client";
import { countConversationFacets, listConversations } from "../../src/server/db/queries/conversation-list";
import { deleteDocumentByKey, getDocumentWithChunksByKey, listDocumentTraceability } from "../../src/server/db/queries/documents";
import { traceabilityCsv } from "../../src/server/traceability";
import { chunks, conversations, conversationTurns, documents } from "../../src/server/db/schema";
import { getConversationDetail } from "../../src/server/conversation-detail";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
let handle: DatabaseHandle;
let workspaceId: string;

/** A planned conversation whose chunk is in `documentKey`, with that chunk's position. */
async function conversationFrom(documentKey: string) {
  const rows = await handle.db
    .select({ conversationId: conversations.conversationId, ordinal: chunks.ordinal, chunkId: chunks.id })
    .from(conversations)
    .innerJoin(chunks, eq(conversations.chunkId, chunks.id))
    .innerJoin(documents, eq(chunks.documentId, documents.id))
    .where(eq(documents.key, documentKey));
  expect(rows.length, `no conversation was planned from ${documentKey}`).toBeGreaterThan(0);
  return rows[0];
}

describe(`a document's conversations when it changes or is deleted (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 12, scenario: 10, edge_case: 4 } });
  });
  afterAll(async () => {
    await handle.close();
  });

  it("a planned conversation links to its document and chunk, with the chunk's dimensions", async () => {
    const { conversationId } = await conversationFrom("harbor-method");
    const detail = await getConversationDetail({ db: handle.db, workspaceId, conversationId });
    expect(detail.source?.state).toBe("linked");
    if (detail.source?.state !== "linked") return;
    expect(detail.source.documentKey).toBe("harbor-method");
    expect(detail.source.chunk?.dimensions).toHaveProperty("audience_level");
  });

  it("the table filters by source document, and counts each document's conversations for the Document filter", async () => {
    const planned = await handle.db
      .select({ conversationId: conversations.conversationId })
      .from(conversations)
      .innerJoin(documents, eq(conversations.documentId, documents.id))
      .where(eq(documents.key, "harbor-method"));
    expect(planned.length).toBeGreaterThan(0);
    const page = await listConversations({ db: handle.db, workspaceId, filter: { document: ["harbor-method"] }, sort: { column: "conversation_id", direction: "asc" }, page: 1, perPage: 500 });
    expect(page.total).toBe(planned.length);
    expect(new Set(page.rows.map((r) => r.conversationId))).toEqual(new Set(planned.map((p) => p.conversationId)));
    const facets = await countConversationFacets({ db: handle.db, workspaceId, filter: { document: ["harbor-method"] } });
    expect(facets.document["harbor-method"]).toBe(planned.length);
    expect(Object.keys(facets.document).every((key) => key === "" || !/^[0-9a-f-]{36}$/.test(key))).toBe(true); // keys, not ids
    // The Document filter does not narrow its own counts: the other documents are still counted (OR within a dimension).
    expect(Object.keys(facets.document).length).toBeGreaterThan(1);
  });

  it("traceability: document → chunks → conversations as CSV, every chunk listed, each conversation once", async () => {
    const rows = await listDocumentTraceability({ db: handle.db, workspaceId, key: "harbor-method" });
    expect(rows).not.toBeNull();
    const stored = await getDocumentWithChunksByKey({ db: handle.db, workspaceId, key: "harbor-method" });
    expect(new Set(rows?.map((r) => r.chunkKey))).toEqual(new Set(stored?.chunks.map((c) => c.key)));
    const planned = await handle.db.select({ id: conversations.conversationId }).from(conversations).innerJoin(documents, eq(conversations.documentId, documents.id)).where(eq(documents.key, "harbor-method"));
    const traced = rows?.flatMap((r) => (r.conversationId ? [r.conversationId] : [])) ?? [];
    expect(traced.sort()).toEqual(planned.map((p) => p.id).sort());
    const csv = traceabilityCsv(rows ?? []);
    const [header, first] = csv.trim().split("\n");
    expect(header).toBe("document_key,document_title,chunk_key,chunk_position,chunk_heading,conversation_id,tier,status,quality_score");
    expect(first.startsWith("harbor-method,")).toBe(true);
    expect(csv.trim().split("\n")).toHaveLength((rows?.length ?? 0) + 1);
    expect(await listDocumentTraceability({ db: handle.db, workspaceId, key: "no-such-document" })).toBeNull();
  });

  it("re-importing a changed document keeps the link, to the chunk in the same position, and says the source changed", async () => {
    const before = await conversationFrom("harbor-method");
    const file = path.join(SAMPLE, "documents/harbor-method.md");
    const changed = fs.readFileSync(file, "utf8") + "\n\n## A new closing section\n\nWe review every plan once a year, in person.\n";
    // The stored document's timestamps come from the database clock; make sure the change is later.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const result = await importDocumentSources({ db: handle.db, workspaceId, files: [{ name: "harbor-method.md", bytes: new TextEncoder().encode(changed) }] });
    expect(result.documents[0].outcome).toBe("updated");

    const [after] = await handle.db.select({ chunkId: conversations.chunkId }).from(conversations).where(eq(conversations.conversationId, before.conversationId));
    expect(after.chunkId).not.toBeNull();
    expect(after.chunkId).not.toBe(before.chunkId); // the old chunks are gone
    const [chunk] = await handle.db.select({ ordinal: chunks.ordinal }).from(chunks).where(eq(chunks.id, after.chunkId as string));
    expect(chunk.ordinal).toBe(before.ordinal);

    const detail = await getConversationDetail({ db: handle.db, workspaceId, conversationId: before.conversationId });
    expect(detail.source?.state).toBe("changed");
    const stored = await getDocumentWithChunksByKey({ db: handle.db, workspaceId, key: "harbor-method" });
    expect(stored?.chunks.some((c) => c.content.includes("We review every plan once a year"))).toBe(true);
  });

  it("deleting a document deletes its chunks; its conversations keep their text and say the document was deleted", async () => {
    // A seed (it has turns) planned from a document other than the one changed above.
    const [seed] = await handle.db
      .select({ conversation: conversations, documentKey: documents.key })
      .from(conversations)
      .innerJoin(documents, eq(conversations.documentId, documents.id))
      .where(and(eq(conversations.isSeed, true), ne(documents.key, "harbor-method")))
      .limit(1);
    expect(seed, "the sample has a seed planned from a document").toBeDefined();
    const { conversation, documentKey } = seed;
    const conversationId = conversation.conversationId;
    const turnsBefore = await handle.db.select().from(conversationTurns).where(eq(conversationTurns.conversationId, conversation.id));
    expect(turnsBefore.length).toBeGreaterThan(0);

    const deleted = await handle.db.transaction((tx) => deleteDocumentByKey({ db: tx, workspaceId, key: documentKey }));
    expect(deleted?.chunks).toBeGreaterThan(0);
    expect(deleted?.conversations).toBeGreaterThan(0);
    expect(await getDocumentWithChunksByKey({ db: handle.db, workspaceId, key: documentKey })).toBeNull();

    const detail = await getConversationDetail({ db: handle.db, workspaceId, conversationId });
    expect(detail.source).toEqual({ state: "removed", category: conversation.sourceCategory });
    const turnsAfter = await handle.db.select().from(conversationTurns).where(eq(conversationTurns.conversationId, conversation.id));
    expect(turnsAfter.length).toBe(turnsBefore.length);
    const [kept] = await handle.db.select({ status: conversations.status, qualityScore: conversations.qualityScore }).from(conversations).where(eq(conversations.id, conversation.id));
    expect(kept).toEqual({ status: conversation.status, qualityScore: conversation.qualityScore });
    expect(await handle.db.transaction((tx) => deleteDocumentByKey({ db: tx, workspaceId, key: documentKey }))).toBeNull();
  });
});
