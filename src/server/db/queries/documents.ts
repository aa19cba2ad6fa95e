import "server-only";
/** Documents and their chunks. */
import { asc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { chunks, documents, type ChunkRow, type DocumentRow } from "../schema";
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
