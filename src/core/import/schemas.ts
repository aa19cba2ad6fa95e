/**
 * zod schemas of every file a user imports (docs/import-formats.md describes them for people).
 * A JSON file's kind is recognised by its top-level keys; `.md` / `.txt` files are documents.
 */
import { z } from "zod";
import { TIERS, TURN_ROLES } from "../../lib/constants";

/** Lower-case slug: letters, digits, dashes and underscores. Used as a stable reference between files. */
export const keySchema = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "must be a lower-case key of letters, digits, '-' or '_' (e.g. \"anxious-first-time-investor\")");

const text = z.string().trim().min(1, "must not be empty");

/** workspace.json: the business the trained assistant speaks for. */
export const workspaceFileSchema = z.strictObject({
  workspace: z.strictObject({
    name: text,
    business_name: text,
    description: z.string().default(""),
    /** System prompt of the assistant being fine-tuned; first message of every exported conversation. */
    training_system_prompt: text,
    /** Plan split in conversations per tier; defaults to 40/35/15. */
    tier_split: z
      .strictObject({ template: z.number().int().min(0), scenario: z.number().int().min(0), edge_case: z.number().int().min(0) })
      .optional(),
  }),
});

export const personaSchema = z.strictObject({
  key: keySchema,
  name: text,
  description: text,
  traits: z.array(text).default([]),
  communication_style: z.string().default(""),
  goals: z.array(text).default([]),
});

export const emotionalArcSchema = z.strictObject({
  key: keySchema,
  name: text,
  starting_emotion: text,
  ending_emotion: text,
  description: text,
  turn_structure: text,
  enabled: z.boolean().default(true),
});

export const topicSchema = z.strictObject({
  key: keySchema,
  name: text,
  description: text,
  key_terms: z.array(text).default([]),
});

export const simpleEntrySchema = z.strictObject({ key: keySchema, name: text, description: text });

export const edgeCaseCategorySchema = z.strictObject({
  key: keySchema,
  name: text,
  description: text,
  test_condition: text,
});

/** A taxonomy file may hold any subset of these lists. */
export const taxonomyFileSchema = z
  .strictObject({
    personas: z.array(personaSchema).optional(),
    emotional_arcs: z.array(emotionalArcSchema).optional(),
    topics: z.array(topicSchema).optional(),
    intents: z.array(simpleEntrySchema).optional(),
    tones: z.array(simpleEntrySchema).optional(),
    edge_case_categories: z.array(edgeCaseCategorySchema).optional(),
    /** How conversations should end ("books a consultation", "reassured, no action"): `{outcome}` in templates. */
    outcomes: z.array(simpleEntrySchema).optional(),
  })
  .refine((v) => Object.values(v).some((list) => list !== undefined), {
    message: "a taxonomy file needs at least one of personas, emotional_arcs, topics, intents, tones, edge_case_categories, outcomes",
  });

export const scenarioSchema = z.strictObject({
  key: keySchema,
  title: text,
  category: text,
  problem: text,
  solution: text,
  outcome: text,
  /** Key of an imported document (its file name without extension, or front-matter `key`). */
  source_document: keySchema,
  /** Heading of the section the scenario draws on; the chunk under that heading is linked. Optional: first chunk otherwise. */
  source_section: z.string().optional(),
  persona: keySchema.optional(),
  emotional_arc: keySchema.optional(),
  topic: keySchema.optional(),
});
export const scenariosFileSchema = z.strictObject({ scenarios: z.array(scenarioSchema).min(1) });

export const turnSchema = z.strictObject({ role: z.enum(TURN_ROLES), content: text });

export const seedConversationSchema = z.strictObject({
  conversation_id: keySchema,
  title: text,
  tier: z.enum(TIERS).default("template"),
  persona: keySchema,
  emotional_arc: keySchema,
  topic: keySchema,
  intent: keySchema,
  tone: keySchema,
  source_document: keySchema.optional(),
  scenario: keySchema.optional(),
  edge_case_category: keySchema.optional(),
  outcome: keySchema.optional(),
  turns: z.array(turnSchema).min(2),
});
export const seedConversationsFileSchema = z.strictObject({ conversations: z.array(seedConversationSchema).min(1) });

export const templateSchema = z.strictObject({
  key: keySchema,
  name: text,
  tier: z.enum(TIERS),
  description: z.string().default(""),
  /** Instructions to the generator model (not the trained assistant's system prompt). */
  system_prompt: text,
  /** The prompt body with {placeholders}; see docs/templates.md. */
  template_text: text,
  is_default: z.boolean().default(false),
  max_tokens: z.number().int().min(256).max(64000).default(4096),
  temperature: z.number().min(0).max(2).default(0.8),
});
export const templatesFileSchema = z.strictObject({ templates: z.array(templateSchema).min(1) });

/** A chunk file as an upstream chunking tool produces it: one document and its chunks with dimensions. */
export const chunkFileSchema = z.strictObject({
  document: z.strictObject({
    key: keySchema,
    title: text,
    category: text,
    source_path: z.string().optional(),
  }),
  chunks: z
    .array(
      z.strictObject({
        chunk_id: z.string().min(1).optional(),
        heading: z.string().nullable().optional(),
        content: text,
        summary: z.string().optional(),
        key_terms: z.array(z.string()).optional(),
        dimensions: z.record(z.string(), z.unknown()).default({}),
      }),
    )
    .min(1),
});

/** Front matter of a markdown document (between `---` fences). All optional. */
export const documentFrontMatterSchema = z.strictObject({
  key: keySchema.optional(),
  title: z.string().optional(),
  category: z.string().optional(),
});

export type WorkspaceFile = z.infer<typeof workspaceFileSchema>;
export type TaxonomyFile = z.infer<typeof taxonomyFileSchema>;
export type ScenariosFile = z.infer<typeof scenariosFileSchema>;
export type SeedConversationsFile = z.infer<typeof seedConversationsFileSchema>;
export type TemplatesFile = z.infer<typeof templatesFileSchema>;
export type ChunkFile = z.infer<typeof chunkFileSchema>;
