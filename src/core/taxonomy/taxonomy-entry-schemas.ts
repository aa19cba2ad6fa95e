/**
 * The zod schema of one taxonomy entry of each kind: the importer's own (core/import/schemas.ts),
 * so a page's form validates exactly as `brightrun import` does. Free of server code, so the
 * forms use it in the browser too.
 */
import type { z } from "zod";
import type { TaxonomyKind } from "../../lib/taxonomy-kinds";
import { edgeCaseCategorySchema, emotionalArcSchema, personaSchema, simpleEntrySchema, topicSchema } from "../import/schemas";

export const TAXONOMY_ENTRY_SCHEMAS = {
  personas: personaSchema,
  emotional_arcs: emotionalArcSchema,
  topics: topicSchema,
  intents: simpleEntrySchema,
  tones: simpleEntrySchema,
  edge_case_categories: edgeCaseCategorySchema,
  outcomes: simpleEntrySchema,
} as const satisfies Record<TaxonomyKind, z.ZodType>;

/** One entry of `kind` as the taxonomy file writes it (snake_case fields, defaults applied). */
export type TaxonomyFileEntry<K extends TaxonomyKind = TaxonomyKind> = z.infer<(typeof TAXONOMY_ENTRY_SCHEMAS)[K]>;
