import "server-only";
/** Documents and their chunks. */
import { and, asc, count, eq, inArray, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { chunks, conversations, documents, type ChunkRow, type DocumentRow } from "../schema";
import { uuidSetFromJson } from "./conversations";

export interface ChunkInsert {
  key: string;
  ordinal: number;
  heading: string | null;
  content: string;
  summary: string;
  keyTerms: string[];
  dimensions: Record<string, unknown>;
  tokenCount: number;
}

/**
 * Creates a document with its chunks, or updates it. When the content hash is unchanged nothing
 * is written (re-import is a no-op); when it changed, the chunks are replaced.
 * @returns "created" | "updated" | "unchanged"
 */
export async function upsertDocumentWithChunks({
  db,
  workspaceId,
  document,
  chunkValues,
}: {
  db: DbOrTx;
  workspaceId: string;
  document: { key: string; title: string; category: string; sourcePath: string | null; content: string | null; contentHash: string };
  chunkValues: ChunkInsert[];
}): Promise<"created" | "updated" | "unchanged"> {
  const existing = (await db.select().from(documents).where(and(eq(documents.workspaceId, workspaceId), eq(documents.key, document.key))))[0];
  if (existing && existing.contentHash === document.contentHash && existing.title === document.title && existing.category === document.category) {
    return "unchanged";
  }
  let documentId: string;
  // Conversations planned from the old chunks, by chunk position: they are pointed at the new chunk
  // in the same position (the document's updated_at, now later than their planning, says the source changed).
  let fed: Array<{ conversationId: string; ordinal: number }> = [];
  if (existing) {
    fed = await db
      .select({ conversationId: conversations.id, ordinal: chunks.ordinal })
      .from(conversations)
      .innerJoin(chunks, eq(conversations.chunkId, chunks.id))
      .where(eq(chunks.documentId, existing.id));
    await db
      .update(documents)
      .set({ ...document, updatedAt: sql`now()` })
      .where(eq(documents.id, existing.id));
    await db.delete(chunks).where(eq(chunks.documentId, existing.id));
    documentId = existing.id;
  } else {
    const inserted = await db
      .insert(documents)
      .values({ ...document, workspaceId })
      .returning({ id: documents.id });
    documentId = inserted[0].id;
  }
  const created = chunkValues.length ? await db.insert(chunks).values(chunkValues.map((c) => ({ ...c, documentId, workspaceId }))).returning({ id: chunks.id, ordinal: chunks.ordinal }) : [];
  if (fed.length) {
    const chunkAt = new Map(created.map((c) => [c.ordinal, c.id]));
    const byChunk = new Map<string, string[]>();
    for (const f of fed) {
      const chunkId = chunkAt.get(f.ordinal);
      if (chunkId) byChunk.set(chunkId, [...(byChunk.get(chunkId) ?? []), f.conversationId]);
    }
    for (const [chunkId, ids] of byChunk) await db.update(conversations).set({ chunkId }).where(inArray(conversations.id, ids));
  }
  return existing ? "updated" : "created";
}

/** What deleting a document removed: its chunks, and how many conversations lost their link to it. */
export interface DocumentDeletion {
  key: string;
  title: string;
  chunks: number;
  /** Conversations that were planned from it: they keep their text and lose the link. */
  conversations: number;
}

/**
 * Deletes a document and its chunks. Conversations planned from it keep everything they hold
 * (turns, scores, reviews) and lose the link (document_id and chunk_id become null, by the foreign
 * keys); their source category stays, which is how they later say their document was deleted.
 * @returns what was deleted, or null when no document has this key
 */
export async function deleteDocumentByKey({ db, workspaceId, key }: { db: DbOrTx; workspaceId: string; key: string }): Promise<DocumentDeletion | null> {
  const [document] = await db
    .select({ id: documents.id, title: documents.title })
    .from(documents)
    .where(and(eq(documents.workspaceId, workspaceId), eq(documents.key, key)));
  if (!document) return null;
  const [{ n: chunkCount }] = await db.select({ n: count() }).from(chunks).where(eq(chunks.documentId, document.id));
  const [{ n: conversationCount }] = await db.select({ n: count() }).from(conversations).where(eq(conversations.documentId, document.id));
  await db.delete(documents).where(eq(documents.id, document.id));
  return { key, title: document.title, chunks: Number(chunkCount), conversations: Number(conversationCount) };
}

/** A document's key, title, category and last change, by id; null when it is gone. */
export async function getDocumentSummaryById({ db, id }: { db: DbOrTx; id: string }): Promise<{ key: string; title: string; category: string; updatedAt: Date } | null> {
  const [row] = await db.select({ key: documents.key, title: documents.title, category: documents.category, updatedAt: documents.updatedAt }).from(documents).where(eq(documents.id, id));
  return row ?? null;
}

/** How many conversations were planned from a document (its `document_id`). */
export async function countConversationsOfDocument({ db, workspaceId, key }: { db: DbOrTx; workspaceId: string; key: string }): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(conversations)
    .innerJoin(documents, eq(conversations.documentId, documents.id))
    .where(and(eq(documents.workspaceId, workspaceId), eq(documents.key, key)));
  return Number(row?.n ?? 0);
}

/** The workspace's documents with these keys. */
export async function listDocumentsByKeys({ db, workspaceId, keys }: { db: DbOrTx; workspaceId: string; keys: string[] }): Promise<DocumentRow[]> {
  if (!keys.length) return [];
  return db
    .select()
    .from(documents)
    .where(and(eq(documents.workspaceId, workspaceId), inArray(documents.key, keys)));
}

export type ChunkWithDocument = ChunkRow & { documentKey: string; documentTitle: string; category: string };

/** Every chunk of the workspace with its document's key, title and category, in document then chunk order. */
export async function listChunksWithDocuments({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<ChunkWithDocument[]> {
  const rows = await db
    .select({ chunk: chunks, documentKey: documents.key, documentTitle: documents.title, category: documents.category })
    .from(chunks)
    .innerJoin(documents, eq(chunks.documentId, documents.id))
    .where(eq(chunks.workspaceId, workspaceId))
    .orderBy(asc(documents.key), asc(chunks.ordinal));
  return rows.map((r) => ({ ...r.chunk, documentKey: r.documentKey, documentTitle: r.documentTitle, category: r.category }));
}

/** A document with how many chunks it has and their total estimated tokens. */
export type DocumentWithChunkCount = Omit<DocumentRow, "content"> & { chunkCount: number; tokenCount: number };

/**
 * Every document (without its full text) with its chunk count and the sum of its chunks' token
 * estimates (⌈characters / 4⌉ each), by category then title.
 */
export async function listDocumentsWithChunkCounts({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<DocumentWithChunkCount[]> {
  const rows = await db
    .select({
      id: documents.id,
      workspaceId: documents.workspaceId,
      key: documents.key,
      title: documents.title,
      category: documents.category,
      sourcePath: documents.sourcePath,
      contentHash: documents.contentHash,
      createdAt: documents.createdAt,
      updatedAt: documents.updatedAt,
      chunkCount: count(chunks.id),
      tokenCount: sql<number>`coalesce(sum(${chunks.tokenCount}), 0)`,
    })
    .from(documents)
    .leftJoin(chunks, eq(chunks.documentId, documents.id))
    .where(eq(documents.workspaceId, workspaceId))
    .groupBy(documents.id)
    .orderBy(asc(documents.category), asc(documents.title), asc(documents.key));
  return rows.map((r) => ({ ...r, chunkCount: Number(r.chunkCount), tokenCount: Number(r.tokenCount) }));
}

/** A chunk with how many conversations were planned or generated from it. */
export type ChunkWithConversationCount = ChunkRow & { conversationCount: number };

/**
 * One document with its chunks in order, each with the number of conversations that name it as
 * their source chunk.
 * @returns null when no document has this key
 */
export async function getDocumentWithChunksByKey({
  db,
  workspaceId,
  key,
}: {
  db: DbOrTx;
  workspaceId: string;
  key: string;
}): Promise<{ document: DocumentRow; chunks: ChunkWithConversationCount[] } | null> {
  const [document] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.workspaceId, workspaceId), eq(documents.key, key)));
  if (!document) return null;
  const fed = db
    .select({ chunkId: conversations.chunkId, n: count().as("n") })
    .from(conversations)
    .where(eq(conversations.documentId, document.id))
    .groupBy(conversations.chunkId)
    .as("fed");
  const rows = await db
    .select({ chunk: chunks, conversationCount: sql<number>`coalesce(${fed.n}, 0)` })
    .from(chunks)
    .leftJoin(fed, eq(fed.chunkId, chunks.id))
    .where(eq(chunks.documentId, document.id))
    .orderBy(asc(chunks.ordinal));
  return { document, chunks: rows.map((r) => ({ ...r.chunk, conversationCount: Number(r.conversationCount) })) };
}

/**
 * The chunks of `ids` (uuids) with their document's key, title and category, in one query (the
 * ids travel as one JSON parameter). Unknown ids are left out; order is not guaranteed.
 */
export async function listChunksWithDocumentByIds({ db, ids }: { db: DbOrTx; ids: readonly string[] }): Promise<ChunkWithDocument[]> {
  if (!ids.length) return [];
  const rows = await db
    .select({ chunk: chunks, documentKey: documents.key, documentTitle: documents.title, category: documents.category })
    .from(chunks)
    .innerJoin(documents, eq(chunks.documentId, documents.id))
    .where(sql`${chunks.id} in ${uuidSetFromJson(ids)}`);
  return rows.map((r) => ({ ...r.chunk, documentKey: r.documentKey, documentTitle: r.documentTitle, category: r.category }));
}

/** One line of a document's traceability: a chunk, and one conversation planned from it (null when none was). */
export interface TraceabilityRow {
  documentKey: string;
  documentTitle: string;
  /** Null for a conversation whose chunk is gone (the document was re-imported without that position). */
  chunkKey: string | null;
  chunkOrdinal: number | null;
  chunkHeading: string | null;
  conversationId: string | null;
  tier: string | null;
  status: string | null;
  qualityScore: number | null;
}

/**
 * Document → chunks → conversations, for the traceability view (US10.2.2): every chunk of the
 * document in order, once per conversation planned from it (or once with no conversation), then the
 * document's conversations whose chunk is gone. Null when no document has this key.
 */
export async function listDocumentTraceability({ db, workspaceId, key }: { db: DbOrTx; workspaceId: string; key: string }): Promise<TraceabilityRow[] | null> {
  const [document] = await db
    .select({ id: documents.id, key: documents.key, title: documents.title })
    .from(documents)
    .where(and(eq(documents.workspaceId, workspaceId), eq(documents.key, key)));
  if (!document) return null;
  const fromChunks = await db
    .select({
      chunkKey: chunks.key,
      chunkOrdinal: chunks.ordinal,
      chunkHeading: chunks.heading,
      conversationId: conversations.conversationId,
      tier: conversations.tier,
      status: conversations.status,
      qualityScore: conversations.qualityScore,
    })
    .from(chunks)
    .leftJoin(conversations, eq(conversations.chunkId, chunks.id))
    .where(eq(chunks.documentId, document.id))
    .orderBy(asc(chunks.ordinal), asc(conversations.conversationId));
  const withoutChunk = await db
    .select({ conversationId: conversations.conversationId, tier: conversations.tier, status: conversations.status, qualityScore: conversations.qualityScore })
    .from(conversations)
    .where(and(eq(conversations.documentId, document.id), isNull(conversations.chunkId)))
    .orderBy(asc(conversations.conversationId));
  const base = { documentKey: document.key, documentTitle: document.title };
  return [
    ...fromChunks.map((r) => ({ ...base, ...r })),
    ...withoutChunk.map((r) => ({ ...base, chunkKey: null, chunkOrdinal: null, chunkHeading: null, ...r })),
  ];
}
