/**
 * The taxonomy file (docs/import-formats.md, "Taxonomy") and the stored rows, both ways: the
 * importer writes a file's lists with {@link taxonomyFileToRows}, and the page's Export and
 * `brightrun taxonomy export` write the workspace's rows back with {@link exportTaxonomyFile}, so
 * an exported file imports into any workspace unchanged (`brightrun import` reads it).
 */
import type { DbOrTx } from "../../server/db/client";
import { listTaxonomy, type TaxonomyRows, type upsertTaxonomy } from "../../server/db/queries/taxonomy";
import type { PersonaRow } from "../../server/db/schema";
import type { TaxonomyKind } from "../../lib/taxonomy-kinds";
import type { TaxonomyFile } from "../import/schemas";
import type { TaxonomyFileEntry } from "./taxonomy-entry-schemas";

export { TAXONOMY_ENTRY_SCHEMAS, type TaxonomyFileEntry } from "./taxonomy-entry-schemas";

/** What upsertTaxonomy takes. */
export type TaxonomyRowValues = Parameters<typeof upsertTaxonomy>[0]["values"];

/** The list of TaxonomyRows that holds `kind`. */
export const ROWS_FIELD: Record<TaxonomyKind, keyof TaxonomyRows> = {
  personas: "personas",
  emotional_arcs: "emotionalArcs",
  topics: "topics",
  intents: "intents",
  tones: "tones",
  edge_case_categories: "edgeCaseCategories",
  outcomes: "outcomes",
};

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

/**
 * A taxonomy file's lists as rows for upsertTaxonomy (lists absent from the file stay undefined,
 * so they are left untouched). Personas keep traits, communication style and goals in `attributes`.
 */
export function taxonomyFileToRows(data: TaxonomyFile): TaxonomyRowValues {
  return {
    personas: data.personas?.map((p) => ({
      key: p.key,
      name: p.name,
      description: p.description,
      attributes: { traits: p.traits, communication_style: p.communication_style, goals: p.goals },
      enabled: true,
    })),
    emotionalArcs: data.emotional_arcs?.map((a) => ({
      key: a.key,
      name: a.name,
      startingEmotion: a.starting_emotion,
      endingEmotion: a.ending_emotion,
      description: a.description,
      turnStructure: a.turn_structure,
      enabled: a.enabled,
    })),
    topics: data.topics?.map((t) => ({ key: t.key, name: t.name, description: t.description, keyTerms: t.key_terms })),
    intents: data.intents,
    tones: data.tones,
    edgeCaseCategories: data.edge_case_categories?.map((e) => ({ key: e.key, name: e.name, description: e.description, testCondition: e.test_condition })),
    outcomes: data.outcomes,
  };
}

/** A stored persona as the file writes it (attributes that are not lists of text become empty). */
function personaEntry(p: Pick<PersonaRow, "key" | "name" | "description" | "attributes">): TaxonomyFileEntry<"personas"> {
  const style = p.attributes.communication_style;
  return {
    key: p.key,
    name: p.name,
    description: p.description,
    traits: strings(p.attributes.traits),
    communication_style: typeof style === "string" ? style : "",
    goals: strings(p.attributes.goals),
  };
}

/** The entries of one kind of the stored rows, as the file writes them, ordered as the rows are (by key). */
export function taxonomyEntriesOf<K extends TaxonomyKind>(rows: TaxonomyRows, kind: K): Array<TaxonomyFileEntry<K>> {
  const simple = (list: Array<{ key: string; name: string; description: string }>) => list.map((e) => ({ key: e.key, name: e.name, description: e.description }));
  const byKind: { [P in TaxonomyKind]: () => Array<TaxonomyFileEntry<P>> } = {
    personas: () => rows.personas.map(personaEntry),
    emotional_arcs: () =>
      rows.emotionalArcs.map((a) => ({
        key: a.key,
        name: a.name,
        starting_emotion: a.startingEmotion,
        ending_emotion: a.endingEmotion,
        description: a.description,
        turn_structure: a.turnStructure,
        enabled: a.enabled,
      })),
    topics: () => rows.topics.map((t) => ({ key: t.key, name: t.name, description: t.description, key_terms: t.keyTerms })),
    intents: () => simple(rows.intents),
    tones: () => simple(rows.tones),
    edge_case_categories: () => rows.edgeCaseCategories.map((e) => ({ key: e.key, name: e.name, description: e.description, test_condition: e.testCondition })),
    outcomes: () => simple(rows.outcomes),
  };
  return byKind[kind]() as Array<TaxonomyFileEntry<K>>;
}

/** Whether the workspace has no taxonomy entry of any kind (archived ones count as entries). */
export function isTaxonomyEmpty(rows: TaxonomyRows): boolean {
  return Object.values(rows).every((list: unknown[]) => list.length === 0);
}

/**
 * The workspace's whole taxonomy as a taxonomy file: every kind's list (empty lists left out),
 * each ordered by key. Archived entries are included (conversations and seed files may refer to
 * them); whether an entry is archived is not part of the file format.
 */
export async function exportTaxonomyFile({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<TaxonomyFile> {
  const rows = await listTaxonomy({ db, workspaceId });
  const file: Record<string, unknown[]> = {};
  for (const kind of ["personas", "emotional_arcs", "topics", "intents", "tones", "edge_case_categories", "outcomes"] as const) {
    const entries = taxonomyEntriesOf(rows, kind);
    if (entries.length) file[kind] = entries;
  }
  return file as TaxonomyFile;
}

/** A taxonomy file as the text written to disk: two-space indented JSON ending in a newline. */
export function taxonomyFileText(file: TaxonomyFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}
