import "server-only";
/** Documents and their chunks. */
import { asc, count, eq, inArray, sql } from "drizzle-orm";
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
  document,
  chunkValues,
}: {
  db: DbOrTx;
  document: { key: string; title: string; category: string; sourcePath: string | null; content: string | null; contentHash: string };
  chunkValues: ChunkInsert[];
}): Promise<"created" | "updated" | "unchanged"> {
  const existing = (await db.select().from(documents).where(eq(documents.key, document.key)))[0];
  if (existing && existing.contentHash === document.contentHash && existing.title === document.title && existing.category === document.category) {
    return "unchanged";
  }
  let documentId: string;
  if (existing) {
    await db
      .update(documents)
      .set({ ...document, updatedAt: sql`now()` })
      .where(eq(documents.id, existing.id));
    await db.delete(chunks).where(eq(chunks.documentId, existing.id));
    documentId = existing.id;
  } else {
    const inserted = await db.insert(documents).values(document).returning({ id: documents.id });
    documentId = inserted[0].id;
  }
  if (chunkValues.length) await db.insert(chunks).values(chunkValues.map((c) => ({ ...c, documentId })));
  return existing ? "updated" : "created";
}

/** Documents by key. */
export async function listDocumentsByKeys({ db, keys }: { db: DbOrTx; keys: string[] }): Promise<DocumentRow[]> {
  if (!keys.length) return [];
  return db.select().from(documents).where(inArray(documents.key, keys));
}

export type ChunkWithDocument = ChunkRow & { documentKey: string; documentTitle: string; category: string };

/** Every chunk with its document's key, title and category, in document then chunk order. */
export async function listChunksWithDocuments({ db }: { db: DbOrTx }): Promise<ChunkWithDocument[]> {
  const rows = await db
    .select({ chunk: chunks, documentKey: documents.key, documentTitle: documents.title, category: documents.category })
    .from(chunks)
    .innerJoin(documents, eq(chunks.documentId, documents.id))
    .orderBy(asc(documents.key), asc(chunks.ordinal));
  return rows.map((r) => ({ ...r.chunk, documentKey: r.documentKey, documentTitle: r.documentTitle, category: r.category }));
}

/** A document with how many chunks it has and their total estimated tokens. */
export type DocumentWithChunkCount = Omit<DocumentRow, "content"> & { chunkCount: number; tokenCount: number };

/**
 * Every document (without its full text) with its chunk count and the sum of its chunks' token
 * estimates (⌈characters / 4⌉ each), by category then title.
 */
export async function listDocumentsWithChunkCounts({ db }: { db: DbOrTx }): Promise<DocumentWithChunkCount[]> {
  const rows = await db
    .select({
      id: documents.id,
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
export async function getDocumentWithChunksByKey({ db, key }: { db: DbOrTx; key: string }): Promise<{ document: DocumentRow; chunks: ChunkWithConversationCount[] } | null> {
  const [document] = await db.select().from(documents).where(eq(documents.key, key));
  if (!document) return null;
  const fed = db
    .select({ chunkId: conversations.chunkId, n: count().as("n") })
    .from(conversations)
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
