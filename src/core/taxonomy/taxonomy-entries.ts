/**
 * The taxonomy pages' rules, one home for the web and any other caller: create, edit, duplicate,
 * archive / restore and delete one entry of a kind. An entry is validated with the importer's own
 * schema (TAXONOMY_ENTRY_SCHEMAS); its key is fixed once created (conversations refer to it); delete
 * is refused while conversations or scenarios use the entry (archive hides it from planning and new
 * choices instead).
 */
import type { DbOrTx } from "../../server/db/client";
import {
  countTaxonomyUsageByKey,
  deleteTaxonomyEntryByKey,
  getTaxonomyEntryState,
  listTaxonomy,
  setTaxonomyEntryArchivedAt,
  upsertTaxonomy,
} from "../../server/db/queries/taxonomy";
import { TAXONOMY_KIND_INFO, type TaxonomyKind } from "../../lib/taxonomy-kinds";
import { AppError } from "../errors";
import { PLAIN_ERRORS } from "../import/json-problems";
import type { TaxonomyFile } from "../import/schemas";
import { canDeleteTaxonomyEntry, usageRefusal, type TaxonomyUsage } from "./taxonomy-usage";
import { ROWS_FIELD, TAXONOMY_ENTRY_SCHEMAS, taxonomyEntriesOf, taxonomyFileToRows, type TaxonomyFileEntry } from "./taxonomy-file";

/** One row of a taxonomy page's table. */
export interface TaxonomyEntryView<K extends TaxonomyKind = TaxonomyKind> {
  entry: TaxonomyFileEntry<K>;
  /** When it was archived (ISO 8601), null while active. */
  archivedAt: string | null;
  usage: TaxonomyUsage;
}

/** Every entry of `kind` in the workspace (archived ones included, flagged), by key, with what uses each. */
export async function listTaxonomyEntries<K extends TaxonomyKind>({ db, workspaceId, kind }: { db: DbOrTx; workspaceId: string; kind: K }): Promise<Array<TaxonomyEntryView<K>>> {
  const [rows, usage] = await Promise.all([listTaxonomy({ db, workspaceId }), countTaxonomyUsageByKey({ db, workspaceId, kind })]);
  const stored = rows[ROWS_FIELD[kind]] as Array<{ key: string; archivedAt: Date | null }>;
  const entries = taxonomyEntriesOf(rows, kind);
  return entries.map((entry, i) => ({
    entry,
    archivedAt: stored[i].archivedAt?.toISOString() ?? null,
    usage: usage.get(entry.key) ?? { conversations: 0, scenarios: 0 },
  }));
}

/**
 * Parses an entry of `kind` with the importer's schema and plain messages.
 * @throws ZodError naming the field ("name: must not be empty")
 */
export function parseTaxonomyEntry<K extends TaxonomyKind>(kind: K, input: unknown): TaxonomyFileEntry<K> {
  return TAXONOMY_ENTRY_SCHEMAS[kind].parse(input, PLAIN_ERRORS) as TaxonomyFileEntry<K>;
}

function write(db: DbOrTx, workspaceId: string, kind: TaxonomyKind, entry: TaxonomyFileEntry): Promise<void> {
  return upsertTaxonomy({ db, workspaceId, values: taxonomyFileToRows({ [kind]: [entry] } as TaxonomyFile) });
}

function notFound(kind: TaxonomyKind, key: string): AppError {
  return new AppError("taxonomy_entry_not_found", `There is no ${TAXONOMY_KIND_INFO[kind].singular} "${key}" any more. Reload the page.`);
}

/**
 * Creates an entry of `kind`. Run it in a transaction (the key check and the insert belong together).
 * @throws ZodError for an invalid entry; AppError "taxonomy_key_taken" when the key exists (archived included)
 */
export async function createTaxonomyEntry<K extends TaxonomyKind>({ db, workspaceId, kind, input }: { db: DbOrTx; workspaceId: string; kind: K; input: unknown }): Promise<TaxonomyFileEntry<K>> {
  const entry = parseTaxonomyEntry(kind, input);
  const existing = await getTaxonomyEntryState({ db, workspaceId, kind, key: entry.key });
  if (existing) {
    throw new AppError(
      "taxonomy_key_taken",
      `A ${TAXONOMY_KIND_INFO[kind].singular} with the key "${entry.key}" already exists${existing.archivedAt ? " (archived)" : ""}. Choose another key.`,
    );
  }
  await write(db, workspaceId, kind, entry);
  return entry;
}

/**
 * Saves an edited entry. The key cannot change (conversations refer to it); an emotional arc keeps
 * its enabled state (the planning page's Arc configuration owns it), whatever the input says.
 * @throws ZodError; AppError "taxonomy_key_fixed" for a different key, "taxonomy_entry_not_found"
 */
export async function updateTaxonomyEntry<K extends TaxonomyKind>({
  db,
  workspaceId,
  kind,
  key,
  input,
}: {
  db: DbOrTx;
  workspaceId: string;
  kind: K;
  key: string;
  input: unknown;
}): Promise<TaxonomyFileEntry<K>> {
  const entry = parseTaxonomyEntry(kind, input);
  if (entry.key !== key) {
    throw new AppError("taxonomy_key_fixed", `The key of a ${TAXONOMY_KIND_INFO[kind].singular} cannot change after it is created ("${key}"): conversations refer to it. Duplicate it to get a new key.`);
  }
  if (!(await getTaxonomyEntryState({ db, workspaceId, kind, key }))) throw notFound(kind, key);
  if (kind === "emotional_arcs") {
    const rows = await listTaxonomy({ db, workspaceId });
    const stored = rows.emotionalArcs.find((a) => a.key === key);
    (entry as TaxonomyFileEntry<"emotional_arcs">).enabled = stored?.enabled ?? true;
  }
  await write(db, workspaceId, kind, entry);
  return entry;
}

/**
 * Copies an entry under a new key ("<key>-copy", then "-copy-2", …) and name ("<name> (copy)"),
 * active whatever the original's state.
 * @throws AppError "taxonomy_entry_not_found"
 */
export async function duplicateTaxonomyEntry<K extends TaxonomyKind>({ db, workspaceId, kind, key }: { db: DbOrTx; workspaceId: string; kind: K; key: string }): Promise<TaxonomyFileEntry<K>> {
  const rows = await listTaxonomy({ db, workspaceId });
  const entries = taxonomyEntriesOf(rows, kind);
  const original = entries.find((e) => e.key === key);
  if (!original) throw notFound(kind, key);
  const taken = new Set(entries.map((e) => e.key));
  const base = `${key}-copy`.slice(0, 110);
  let copyKey = base;
  for (let n = 2; taken.has(copyKey); n++) copyKey = `${base}-${n}`;
  const copy = { ...original, key: copyKey, name: `${original.name} (copy)` } as TaxonomyFileEntry<K>;
  await write(db, workspaceId, kind, copy);
  return copy;
}

/**
 * Archives (hidden from planning and from new choices; kept for the conversations that use it) or
 * restores an entry.
 * @throws AppError "taxonomy_entry_not_found"
 */
export async function setTaxonomyEntryArchived({
  db,
  workspaceId,
  kind,
  key,
  archived,
  now = new Date(),
}: {
  db: DbOrTx;
  workspaceId: string;
  kind: TaxonomyKind;
  key: string;
  archived: boolean;
  now?: Date;
}): Promise<void> {
  if (!(await setTaxonomyEntryArchivedAt({ db, workspaceId, kind, key, archivedAt: archived ? now : null }))) throw notFound(kind, key);
}

/**
 * Deletes an entry nothing uses.
 * @throws AppError "taxonomy_entry_in_use" (usageRefusal's words) while conversations or scenarios use it; "taxonomy_entry_not_found"
 */
export async function deleteTaxonomyEntry({ db, workspaceId, kind, key }: { db: DbOrTx; workspaceId: string; kind: TaxonomyKind; key: string }): Promise<void> {
  const usage = (await countTaxonomyUsageByKey({ db, workspaceId, kind })).get(key);
  if (usage && !canDeleteTaxonomyEntry(usage)) {
    throw new AppError("taxonomy_entry_in_use", usageRefusal(kind, usage), { detail: { ...usage } });
  }
  if (!(await deleteTaxonomyEntryByKey({ db, workspaceId, kind, key }))) throw notFound(kind, key);
}
