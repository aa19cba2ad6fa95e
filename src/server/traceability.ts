import "server-only";
/**
 * The traceability export (issue 9, item 3; US10.2.2): "document X → chunks Y, Z → conversations
 * A, B, C" as CSV (RFC 4180, via csv-stringify), for the web download and `brightrun documents trace`.
 */
import { stringify } from "csv-stringify/sync";
import { openWorkspace } from "./workspace-context";
import { listDocumentTraceability, type TraceabilityRow } from "./db/queries/documents";

/** The CSV's columns, in order. */
export const TRACEABILITY_COLUMNS = ["document_key", "document_title", "chunk_key", "chunk_position", "chunk_heading", "conversation_id", "tier", "status", "quality_score"] as const;

/**
 * One CSV line per chunk and conversation (a chunk no conversation came from has empty conversation
 * columns; a conversation whose chunk is gone has empty chunk columns), with a header line.
 * `chunk_position` is 1-based.
 */
export function traceabilityCsv(rows: TraceabilityRow[]): string {
  return stringify(
    rows.map((r) => [r.documentKey, r.documentTitle, r.chunkKey ?? "", r.chunkOrdinal === null ? "" : r.chunkOrdinal + 1, r.chunkHeading ?? "", r.conversationId ?? "", r.tier ?? "", r.status ?? "", r.qualityScore ?? ""]),
    { header: true, columns: [...TRACEABILITY_COLUMNS] },
  );
}

/**
 * The traceability CSV of a document for the current user (permission "read").
 * @returns null when no document has this key
 * @throws AppError "forbidden", or the database's errors
 */
export async function loadDocumentTraceabilityCsv(workspaceSlug: string, key: string): Promise<string | null> {
  const { db, workspace } = await openWorkspace(workspaceSlug, "read");
  const rows = await listDocumentTraceability({ db, workspaceId: workspace.id, key });
  return rows ? traceabilityCsv(rows) : null;
}
