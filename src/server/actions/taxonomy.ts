"use server";
/**
 * Taxonomy server actions (issue 10, item 1): create, edit, duplicate, archive / restore and delete
 * one entry; upload a taxonomy file; start from the starter taxonomy; suggest personas and topics.
 * Each parses its input, checks the one permission guard ("import": the taxonomy is imported data)
 * and calls core. Entries are validated by core with the importer's schemas.
 */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { ImportSummary } from "@/core/import/import-workspace";
import { importStarterTaxonomy } from "@/core/taxonomy/starter-taxonomy";
import type { TaxonomySuggestionResult } from "@/core/taxonomy/suggest-taxonomy";
import {
  createTaxonomyEntry,
  deleteTaxonomyEntry,
  duplicateTaxonomyEntry,
  setTaxonomyEntryArchived,
  updateTaxonomyEntry,
} from "@/core/taxonomy/taxonomy-entries";
import type { TaxonomyFileEntry } from "@/core/taxonomy/taxonomy-file";
import type { ActionResult } from "@/lib/dashboard-contract";
import { TAXONOMY_KINDS } from "@/lib/taxonomy-kinds";
import { runAction } from "@/server/actions/action-result";
import { importTaxonomyUpload, suggestTaxonomyFromDocuments, type TaxonomyUploadResult } from "@/server/taxonomy";
import { openWorkspace } from "@/server/workspace-context";

const kindSchema = z.enum(TAXONOMY_KINDS, { error: "Choose a kind of taxonomy entry." });
const keyInput = z.string().trim().min(1, "Name the entry.").max(200);

const entryInput = z.strictObject({ kind: kindSchema, entry: z.unknown() });
const editInput = z.strictObject({ kind: kindSchema, key: keyInput, entry: z.unknown() });
const keyedInput = z.strictObject({ kind: kindSchema, key: keyInput });
const archiveInput = z.strictObject({ kind: kindSchema, key: keyInput, archived: z.boolean() });
/** Largest taxonomy file the page uploads: 2 MB of text (a large taxonomy is a few hundred kB). */
const MAX_TAXONOMY_FILE_CHARS = 2_000_000;
const uploadInput = z.strictObject({
  fileName: z.string().trim().min(1).max(300),
  text: z.string().max(MAX_TAXONOMY_FILE_CHARS, "The file is larger than 2 MB; a taxonomy file is much smaller. Check you chose the right file."),
});

function refresh() {
  revalidatePath("/", "layout");
}

/**
 * Creates an entry. Errors: `invalid_input` naming the field (the importer's rule), `taxonomy_key_taken`.
 * @returns the entry as stored
 */
export async function createTaxonomyEntryAction(workspace: string, input: z.input<typeof entryInput>): Promise<ActionResult<TaxonomyFileEntry>> {
  return runAction("createTaxonomyEntryAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "import");
    const { kind, entry } = entryInput.parse(input);
    const created = await db.transaction((tx) => createTaxonomyEntry({ db: tx, workspaceId: ws.id, kind, input: entry }));
    refresh();
    return created;
  });
}

/** Saves an edited entry (its key cannot change). Errors: `invalid_input`, `taxonomy_key_fixed`, `taxonomy_entry_not_found`. */
export async function updateTaxonomyEntryAction(workspace: string, input: z.input<typeof editInput>): Promise<ActionResult<TaxonomyFileEntry>> {
  return runAction("updateTaxonomyEntryAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "import");
    const { kind, key, entry } = editInput.parse(input);
    const saved = await db.transaction((tx) => updateTaxonomyEntry({ db: tx, workspaceId: ws.id, kind, key, input: entry }));
    refresh();
    return saved;
  });
}

/** Copies an entry under a new key ("<key>-copy"). Errors: `taxonomy_entry_not_found`. */
export async function duplicateTaxonomyEntryAction(workspace: string, input: z.input<typeof keyedInput>): Promise<ActionResult<TaxonomyFileEntry>> {
  return runAction("duplicateTaxonomyEntryAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "import");
    const { kind, key } = keyedInput.parse(input);
    const copy = await db.transaction((tx) => duplicateTaxonomyEntry({ db: tx, workspaceId: ws.id, kind, key }));
    refresh();
    return copy;
  });
}

/** Archives (`archived: true`) or restores an entry. Errors: `taxonomy_entry_not_found`. */
export async function setTaxonomyEntryArchivedAction(workspace: string, input: z.input<typeof archiveInput>): Promise<ActionResult<{ archived: boolean }>> {
  return runAction("setTaxonomyEntryArchivedAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "import");
    const { kind, key, archived } = archiveInput.parse(input);
    await setTaxonomyEntryArchived({ db, workspaceId: ws.id, kind, key, archived });
    refresh();
    return { archived };
  });
}

/** Deletes an entry nothing uses. Errors: `taxonomy_entry_in_use` ("12 conversations use this persona; archive it instead."), `taxonomy_entry_not_found`. */
export async function deleteTaxonomyEntryAction(workspace: string, input: z.input<typeof keyedInput>): Promise<ActionResult<{ deleted: string }>> {
  return runAction("deleteTaxonomyEntryAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "import");
    const { kind, key } = keyedInput.parse(input);
    await db.transaction((tx) => deleteTaxonomyEntry({ db: tx, workspaceId: ws.id, kind, key }));
    refresh();
    return { deleted: key };
  });
}

/** Imports an uploaded taxonomy file, all or nothing; an invalid file returns its problems (file, line or path, message). */
export async function uploadTaxonomyFileAction(workspace: string, input: z.input<typeof uploadInput>): Promise<ActionResult<TaxonomyUploadResult>> {
  return runAction("uploadTaxonomyFileAction", async () => {
    const { db, user, workspace: ws } = await openWorkspace(workspace, "import");
    const { fileName, text } = uploadInput.parse(input);
    const result = await importTaxonomyUpload({ db, workspaceId: ws.id, userId: user.id, fileName, text });
    if (result.imported) refresh();
    return result;
  });
}

/** Imports the starter taxonomy into a workspace with none. Errors: `taxonomy_not_empty`. */
export async function importStarterTaxonomyAction(workspace: string): Promise<ActionResult<ImportSummary>> {
  return runAction("importStarterTaxonomyAction", async () => {
    const { db, user, workspace: ws } = await openWorkspace(workspace, "import");
    const summary = await importStarterTaxonomy({ db, workspaceId: ws.id, userId: user.id });
    refresh();
    return summary;
  });
}

/**
 * Suggests personas and topics from the workspace's documents with the model in effect; saves
 * nothing. A reply that is not the JSON asked for comes back as `{ ok: false, message, raw }` in
 * the data; a failed call as an ActionError (authentication_failed, rate_limited, …; no_documents).
 */
export async function suggestTaxonomyAction(workspace: string): Promise<ActionResult<TaxonomySuggestionResult>> {
  return runAction("suggestTaxonomyAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "import");
    return suggestTaxonomyFromDocuments({ db, workspaceId: ws.id, businessName: ws.businessName, description: ws.description });
  });
}
