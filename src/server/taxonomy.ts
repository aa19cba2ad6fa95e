import "server-only";
/**
 * What the taxonomy pages show and do (issue 10, item 1), above core: one kind's entries with what
 * uses each, the whole taxonomy as a file, an uploaded taxonomy file imported all or nothing, the
 * starter taxonomy, and persona and topic suggestions from the workspace's documents with the
 * model in effect (Settings, then the environment).
 */
import { AppError, isAppError } from "../core/errors";
import { importFileBytes, type ImportSummary } from "../core/import/import-workspace";
import type { ImportProblem } from "../core/import/json-problems";
import { listTaxonomyEntries, type TaxonomyEntryView } from "../core/taxonomy/taxonomy-entries";
import { exportTaxonomyFile, isTaxonomyEmpty } from "../core/taxonomy/taxonomy-file";
import { suggestionDocumentsFromChunks, suggestPersonasAndTopics, type TaxonomySuggestionResult } from "../core/taxonomy/suggest-taxonomy";
import type { TaxonomyFile } from "../core/import/schemas";
import type { TaxonomyKind } from "../lib/taxonomy-kinds";
import type { DbOrTx, Database } from "./db/client";
import { listChunksWithDocuments } from "./db/queries/documents";
import { listTaxonomy } from "./db/queries/taxonomy";
import { selectProviderWithSettings } from "./settings/model-settings";
import { openWorkspace } from "./workspace-context";

/** One kind's page. */
export interface TaxonomyPageData {
  entries: TaxonomyEntryView[];
  /** Entries of every kind, archived included: the starter is offered only while this is 0. */
  totalEntries: number;
  /** Stored documents: suggestions need at least one. */
  documents: number;
  /** Whether the workspace is archived (read-only). */
  readOnly: boolean;
}

/**
 * One kind's entries (archived included) with their usage, and what the page's header offers.
 * @throws AppError "forbidden", "workspace_not_found"; the database's errors
 */
export async function loadTaxonomyPage(workspaceSlug: string, kind: TaxonomyKind): Promise<TaxonomyPageData> {
  const { db, workspace } = await openWorkspace(workspaceSlug, "read");
  const [entries, rows, chunks] = await Promise.all([
    listTaxonomyEntries({ db, workspaceId: workspace.id, kind }),
    listTaxonomy({ db, workspaceId: workspace.id }),
    listChunksWithDocuments({ db, workspaceId: workspace.id }),
  ]);
  return {
    entries,
    totalEntries: isTaxonomyEmpty(rows) ? 0 : Object.values(rows).reduce((n: number, list: unknown[]) => n + list.length, 0),
    documents: new Set(chunks.map((c) => c.documentKey)).size,
    readOnly: workspace.archivedAt !== null,
  };
}

/** The result of uploading a taxonomy file: the summary, or every problem (nothing was imported). */
export type TaxonomyUploadResult = { imported: true; summary: ImportSummary } | { imported: false; message: string; problems: ImportProblem[] };

/**
 * Imports an uploaded taxonomy file through the importer (only a taxonomy file is accepted), all
 * or nothing. An invalid file comes back as `{ imported: false, problems }` (file, line or JSON path, message).
 */
export async function importTaxonomyUpload({ db, workspaceId, userId, fileName, text }: { db: Database; workspaceId: string; userId: string; fileName: string; text: string }): Promise<TaxonomyUploadResult> {
  try {
    const summary = await importFileBytes({ db, workspaceId, file: fileName, bytes: new TextEncoder().encode(text), userId, only: "taxonomy" });
    return { imported: true, summary };
  } catch (error) {
    if (isAppError(error) && error.code === "import_invalid") {
      const problems = (error.detail.problems as ImportProblem[] | undefined) ?? [];
      return { imported: false, message: `Nothing was imported from ${fileName}: ${problems.length === 1 ? "1 problem" : `${problems.length} problems`} must be fixed first.`, problems };
    }
    throw error;
  }
}

/**
 * The workspace's taxonomy as the file `brightrun import` reads.
 * @throws AppError "taxonomy_empty" when there is nothing to export (an empty file would not import)
 */
export async function taxonomyForDownload(db: DbOrTx, workspaceId: string): Promise<TaxonomyFile> {
  const file = await exportTaxonomyFile({ db, workspaceId });
  if (Object.keys(file).length === 0) throw new AppError("taxonomy_empty", "This workspace has no taxonomy to export yet. Start from the starter taxonomy or add entries first.");
  return file;
}

/**
 * Suggests personas and topics from the workspace's documents with the model in effect (the
 * simulated composer drafts labelled suggestions). Saves nothing.
 * @param env the environment the provider is chosen with (tests pass their own)
 * @throws AppError "no_documents" when the workspace has no documents; the provider's errors for a failed call
 */
export async function suggestTaxonomyFromDocuments({
  db,
  workspaceId,
  businessName,
  description,
  env = process.env,
}: {
  db: DbOrTx;
  workspaceId: string;
  businessName: string;
  description: string;
  env?: Record<string, string | undefined>;
}): Promise<TaxonomySuggestionResult> {
  const chunks = await listChunksWithDocuments({ db, workspaceId });
  if (!chunks.length) throw new AppError("no_documents", "There are no documents to suggest from yet. Upload your documents on the Documents page first.");
  const selection = await selectProviderWithSettings(db, workspaceId, { env });
  return suggestPersonasAndTopics({
    provider: selection.provider,
    model: selection.model,
    businessName,
    description,
    documents: suggestionDocumentsFromChunks(chunks),
    signal: AbortSignal.timeout(120_000),
  });
}
