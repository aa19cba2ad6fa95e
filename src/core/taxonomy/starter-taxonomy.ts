/**
 * The starter taxonomy a new workspace can begin from: the five emotional arcs of the seeds
 * (US8.1.1: Triumph, Struggle-to-Success, Steady Confidence, Anxiety-to-Relief, Discovery), and
 * intents, tones, edge-case categories and outcomes that suit any small business
 * (starter-taxonomy.json, an ordinary taxonomy file). It goes in through the importer, all or nothing.
 */
import type { Database } from "../../server/db/client";
import { listTaxonomy } from "../../server/db/queries/taxonomy";
import { AppError } from "../errors";
import { importFileBytes, type ImportSummary } from "../import/import-workspace";
import starter from "./starter-taxonomy.json";
import { isTaxonomyEmpty } from "./taxonomy-file";

/** The file name problems and summaries name the starter by. */
export const STARTER_TAXONOMY_FILE = "starter-taxonomy.json";

/** The starter taxonomy file's text. */
export function starterTaxonomyText(): string {
  return `${JSON.stringify(starter, null, 2)}\n`;
}

/**
 * Imports the starter taxonomy into a workspace whose taxonomy is empty.
 * @throws AppError "taxonomy_not_empty" when the workspace already has entries (the starter would overwrite same-key edits); what importFileBytes throws
 */
export async function importStarterTaxonomy({ db, workspaceId, userId }: { db: Database; workspaceId: string; userId: string }): Promise<ImportSummary> {
  if (!isTaxonomyEmpty(await listTaxonomy({ db, workspaceId }))) {
    throw new AppError("taxonomy_not_empty", "This workspace already has a taxonomy, so the starter is not offered any more. Add entries on each tab, or import a taxonomy file.");
  }
  return importFileBytes({ db, workspaceId, file: STARTER_TAXONOMY_FILE, bytes: new TextEncoder().encode(starterTaxonomyText()), userId, only: "taxonomy" });
}
