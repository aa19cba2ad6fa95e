/**
 * Knowledge and taxonomy tables: documents, chunks, personas, emotional arcs, topics, intents,
 * tones, edge-case categories, scenarios, the workspace row.
 */
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

/** The one workspace of a data directory: the business the trained assistant speaks for. */
export const workspace = pgTable("workspace", {
  id: integer("id").primaryKey().default(1),
  name: text("name").notNull(),
  businessName: text("business_name").notNull(),
  description: text("description").notNull().default(""),
  trainingSystemPrompt: text("training_system_prompt").notNull(),
  /** { template, scenario, edge_case } conversation counts for `plan`. */
  tierSplit: jsonb("tier_split").$type<{ template: number; scenario: number; edge_case: number }>(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const documents = pgTable("documents", {
  id: uuid("id").primaryKey().defaultRandom(),
  key: text("key").notNull().unique(),
  title: text("title").notNull(),
  /** Document category, e.g. "Complete Systems", "Proprietary Strategies", "Client Stories". */
  category: text("category").notNull(),
  sourcePath: text("source_path"),
  /** Full text for `.md` / `.txt` imports; null for chunk files from an upstream tool. */
  content: text("content"),
  contentHash: text("content_hash").notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const chunks = pgTable(
  "chunks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Stable key: `<document key>#<ordinal>` or the upstream tool's chunk_id. */
    key: text("key").notNull().unique(),
    documentId: uuid("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    ordinal: integer("ordinal").notNull(),
    heading: text("heading"),
    content: text("content").notNull(),
    summary: text("summary").notNull(),
    keyTerms: jsonb("key_terms").$type<string[]>().notNull().default([]),
    /** Chunk dimensions (audience_level, emotional_valence, content_type, …). */
    dimensions: jsonb("dimensions").$type<Record<string, unknown>>().notNull().default({}),
    tokenCount: integer("token_count").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("chunks_document_ordinal_unique").on(t.documentId, t.ordinal)],
);

export const personas = pgTable("personas", {
  key: text("key").primaryKey(),
  name: text("name").notNull(),
  description: text("description").notNull(),
  /** traits, communication_style, goals. */
  attributes: jsonb("attributes").$type<Record<string, unknown>>().notNull().default({}),
  enabled: boolean("enabled").notNull().default(true),
  createdAt: createdAt(),
});

export const emotionalArcs = pgTable("emotional_arcs", {
  key: text("key").primaryKey(),
  name: text("name").notNull(),
  startingEmotion: text("starting_emotion").notNull(),
  endingEmotion: text("ending_emotion").notNull(),
  description: text("description").notNull(),
  turnStructure: text("turn_structure").notNull(),
  enabled: boolean("enabled").notNull().default(true),
  createdAt: createdAt(),
});

export const topics = pgTable("topics", {
  key: text("key").primaryKey(),
  name: text("name").notNull(),
  description: text("description").notNull(),
  keyTerms: jsonb("key_terms").$type<string[]>().notNull().default([]),
  createdAt: createdAt(),
});

export const intents = pgTable("intents", {
  key: text("key").primaryKey(),
  name: text("name").notNull(),
  description: text("description").notNull(),
  createdAt: createdAt(),
});

export const tones = pgTable("tones", {
  key: text("key").primaryKey(),
  name: text("name").notNull(),
  description: text("description").notNull(),
  createdAt: createdAt(),
});

export const edgeCaseCategories = pgTable("edge_case_categories", {
  key: text("key").primaryKey(),
  name: text("name").notNull(),
  description: text("description").notNull(),
  testCondition: text("test_condition").notNull(),
  createdAt: createdAt(),
});

export const scenarios = pgTable(
  "scenarios",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    key: text("key").notNull().unique(),
    title: text("title").notNull(),
    category: text("category").notNull(),
    problem: text("problem").notNull(),
    solution: text("solution").notNull(),
    outcome: text("outcome").notNull(),
    chunkId: uuid("chunk_id").references(() => chunks.id, { onDelete: "set null" }),
    personaKey: text("persona_key").references(() => personas.key),
    emotionalArcKey: text("emotional_arc_key").references(() => emotionalArcs.key),
    topicKey: text("topic_key").references(() => topics.key),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("scenarios_chunk_idx").on(t.chunkId)],
);

export type WorkspaceRow = typeof workspace.$inferSelect;
export type DocumentRow = typeof documents.$inferSelect;
export type ChunkRow = typeof chunks.$inferSelect;
export type PersonaRow = typeof personas.$inferSelect;
export type EmotionalArcRow = typeof emotionalArcs.$inferSelect;
export type TopicRow = typeof topics.$inferSelect;
export type IntentRow = typeof intents.$inferSelect;
export type ToneRow = typeof tones.$inferSelect;
export type EdgeCaseCategoryRow = typeof edgeCaseCategories.$inferSelect;
export type ScenarioRow = typeof scenarios.$inferSelect;
