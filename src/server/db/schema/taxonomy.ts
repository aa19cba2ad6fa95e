/**
 * Workspaces and their knowledge and taxonomy tables: documents, chunks, personas, emotional arcs,
 * topics, intents, tones, edge-case categories, scenarios. Every table that holds a business's data
 * carries `workspace_id` (ARCHITECTURE.md, "Everything belongs to a workspace"); deleting a
 * workspace row removes all of it in one statement (ON DELETE CASCADE).
 */
import { sql } from "drizzle-orm";
import { boolean, check, doublePrecision, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

/**
 * A workspace: one business the trained assistant speaks for (the sample is one of them). The
 * slug names it in URLs (`/w/<slug>/…`) and on the CLI (`--workspace SLUG`).
 */
export const workspaces = pgTable("workspaces", {
  id: uuid("id").primaryKey().defaultRandom(),
  /** Lower-case letters, digits and dashes; unique; src/lib/workspace-slug.ts. */
  slug: text("slug").notNull().unique(),
  /** What the switcher shows, e.g. "Harbor & Pine Financial Planning — sample". */
  name: text("name").notNull(),
  businessName: text("business_name").notNull(),
  description: text("description").notNull().default(""),
  trainingSystemPrompt: text("training_system_prompt").notNull(),
  /** { template, scenario, edge_case } conversation counts for `plan`. */
  tierSplit: jsonb("tier_split").$type<{ template: number; scenario: number; edge_case: number }>(),
  /**
   * The document categories offered on the Documents page, in the order the workspace set them
   * (src/lib/document-categories.ts checks them); null = the built-in list (DEFAULT_DOCUMENT_CATEGORIES).
   * Documents keep their own category text: removing one here changes no document.
   */
  documentCategories: jsonb("document_categories").$type<string[]>(),
  /**
   * Arc configuration (US8.1.2): percentage of tier-1 conversations per enabled arc key, summing to
   * 100; null = an even split over the enabled arcs.
   */
  arcDistribution: jsonb("arc_distribution").$type<Record<string, number>>(),
  /** Tier rules: the lowest quality score (1–10) a conversation may be approved with without a note. */
  minApprovalScore: doublePrecision("min_approval_score").notNull().default(6),
  /** Tier rules: the edge-case tier's higher bar (US8.3.1: score ≥ 8). */
  edgeCaseMinScore: doublePrecision("edge_case_min_score").notNull().default(8),
  /**
   * The planning page's last choices: { categoryWeights: { [document category]: weight ≥ 0 },
   * completeSystemsOnly: boolean }; null = no weighting, every category.
   */
  planSettings: jsonb("plan_settings").$type<Record<string, unknown>>(),
  /** Templates: a version may be activated only after a successful "Test Template" of it (issue 11). */
  requireTemplateTest: boolean("require_template_test").notNull().default(false),
  /** Cost page (issue 13): the workspace's monthly budget in USD; the app warns once a calendar month's spend crosses it. null = none. */
  monthlyBudgetUsd: doublePrecision("monthly_budget_usd"),
  /** Retention (FR1.2.1): generation_logs rows older than this many days are deleted by the retention job. */
  generationLogRetentionDays: integer("generation_log_retention_days").notNull().default(90),
  /** Retention (FR1.2.3): export_logs rows (and their export files) older than this many days are deleted. */
  exportRetentionDays: integer("export_retention_days").notNull().default(365),
  /**
   * Retention: request and response payloads of generation_logs rows older than this many days are
   * dropped while the row's figures (tokens, cost, duration, error) stay; null = kept as long as the row.
   */
  payloadRetentionDays: integer("payload_retention_days"),
  /** Redact e-mail addresses and phone numbers in logged request and response payloads before they are written. */
  redactPii: boolean("redact_pii").notNull().default(false),
  /** True for the bundled sample business. */
  isSample: boolean("is_sample").notNull().default(false),
  /** Set when archived: hidden from the switcher, read-only in the CLI; null while active. */
  archivedAt: timestamp("archived_at", { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** The owning workspace; every business row is removed with it. */
export const workspaceId = () =>
  uuid("workspace_id")
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" });

export const documents = pgTable(
  "documents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    key: text("key").notNull(),
    title: text("title").notNull(),
    /** Document category, e.g. "Complete Systems", "Proprietary Strategies", "Client Stories". */
    category: text("category").notNull(),
    sourcePath: text("source_path"),
    /** Full text for `.md` / `.txt` imports; null for chunk files from an upstream tool. */
    content: text("content"),
    contentHash: text("content_hash").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
    (t) => [uniqueIndex("documents_workspace_key_unique").on(t.workspaceId, t.key)],
);

export const chunks = pgTable(
  "chunks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    /** Stable key: `<document key>#<ordinal>` or the upstream tool's chunk_id; unique in its workspace. */
    key: text("key").notNull(),
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
  (t) => [
    uniqueIndex("chunks_document_ordinal_unique").on(t.documentId, t.ordinal),
    uniqueIndex("chunks_workspace_key_unique").on(t.workspaceId, t.key),
  ],
);

export const personas = pgTable(
  "personas",
  {
    workspaceId: workspaceId(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    /** traits, communication_style, goals. */
    attributes: jsonb("attributes").$type<Record<string, unknown>>().notNull().default({}),
    enabled: boolean("enabled").notNull().default(true),
    /** Set when archived: hidden from planning and from new choices, kept for the conversations that use it; null while active. */
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ name: "personas_pkey", columns: [t.workspaceId, t.key] })],
);

export const emotionalArcs = pgTable(
  "emotional_arcs",
  {
    workspaceId: workspaceId(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    startingEmotion: text("starting_emotion").notNull(),
    endingEmotion: text("ending_emotion").notNull(),
    description: text("description").notNull(),
    turnStructure: text("turn_structure").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    /** Set when archived: hidden from planning and from new choices, kept for the conversations that use it; null while active. */
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ name: "emotional_arcs_pkey", columns: [t.workspaceId, t.key] })],
);

export const topics = pgTable(
  "topics",
  {
    workspaceId: workspaceId(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    keyTerms: jsonb("key_terms").$type<string[]>().notNull().default([]),
    /** Set when archived: hidden from planning and from new choices, kept for the conversations that use it; null while active. */
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ name: "topics_pkey", columns: [t.workspaceId, t.key] })],
);

export const intents = pgTable(
  "intents",
  {
    workspaceId: workspaceId(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    /** Set when archived: hidden from planning and from new choices, kept for the conversations that use it; null while active. */
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ name: "intents_pkey", columns: [t.workspaceId, t.key] })],
);

export const tones = pgTable(
  "tones",
  {
    workspaceId: workspaceId(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    /** Set when archived: hidden from planning and from new choices, kept for the conversations that use it; null while active. */
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ name: "tones_pkey", columns: [t.workspaceId, t.key] })],
);

export const edgeCaseCategories = pgTable(
  "edge_case_categories",
  {
    workspaceId: workspaceId(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    testCondition: text("test_condition").notNull(),
    /** Set when archived: hidden from planning and from new choices, kept for the conversations that use it; null while active. */
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ name: "edge_case_categories_pkey", columns: [t.workspaceId, t.key] })],
);

/**
 * How a conversation should end ("books a consultation", "reassured, no action", "referred
 * elsewhere"): the eighth dimension of the seed narrative's filter, planned per slot and sent to
 * the model as `{outcome}`.
 */
export const outcomes = pgTable(
  "outcomes",
  {
    workspaceId: workspaceId(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    /** Set when archived: hidden from planning and from new choices, kept for the conversations that use it; null while active. */
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ name: "outcomes_pkey", columns: [t.workspaceId, t.key] })],
);

/** A named arc configuration the user saved (US8.1.2 "save as a named preset"). */
export const arcDistributionPresets = pgTable(
  "arc_distribution_presets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    name: text("name").notNull(),
    /** Percentage per arc key, summing to 100; arcs not named are disabled by the preset. */
    distribution: jsonb("distribution").$type<Record<string, number>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("arc_distribution_presets_workspace_name_unique").on(t.workspaceId, t.name)],
);

export const scenarios = pgTable(
  "scenarios",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    key: text("key").notNull(),
    title: text("title").notNull(),
    category: text("category").notNull(),
    problem: text("problem").notNull(),
    solution: text("solution").notNull(),
    outcome: text("outcome").notNull(),
    /** What the scenario is about, in a sentence or two (US8.2.2). */
    description: text("description").notNull().default(""),
    /** Category tags beside the one category, e.g. ["retirement", "first meeting"]. */
    tags: jsonb("tags").$type<string[]>().notNull().default([]),
    favourite: boolean("favourite").notNull().default(false),
    /** Set when archived: not planned any more; conversations keep it. */
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    chunkId: uuid("chunk_id").references(() => chunks.id, { onDelete: "set null" }),
    personaKey: text("persona_key"),
    emotionalArcKey: text("emotional_arc_key"),
    topicKey: text("topic_key"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("scenarios_chunk_idx").on(t.chunkId),
    uniqueIndex("scenarios_workspace_key_unique").on(t.workspaceId, t.key),
    foreignKey({ name: "scenarios_persona_fk", columns: [t.workspaceId, t.personaKey], foreignColumns: [personas.workspaceId, personas.key] }),
    foreignKey({ name: "scenarios_emotional_arc_fk", columns: [t.workspaceId, t.emotionalArcKey], foreignColumns: [emotionalArcs.workspaceId, emotionalArcs.key] }),
    foreignKey({ name: "scenarios_topic_fk", columns: [t.workspaceId, t.topicKey], foreignColumns: [topics.workspaceId, topics.key] }),
  ],
);

export type WorkspaceRow = typeof workspaces.$inferSelect;
export type DocumentRow = typeof documents.$inferSelect;
export type ChunkRow = typeof chunks.$inferSelect;
export type PersonaRow = typeof personas.$inferSelect;
export type EmotionalArcRow = typeof emotionalArcs.$inferSelect;
export type TopicRow = typeof topics.$inferSelect;
export type IntentRow = typeof intents.$inferSelect;
export type ToneRow = typeof tones.$inferSelect;
export type EdgeCaseCategoryRow = typeof edgeCaseCategories.$inferSelect;
export type OutcomeRow = typeof outcomes.$inferSelect;
export type ArcDistributionPresetRow = typeof arcDistributionPresets.$inferSelect;
export type ScenarioRow = typeof scenarios.$inferSelect;

/** COVERAGE_SUGGESTION_KINDS: a coverage recommendation (persona + arc + topic) or an edge-case suggestion (persona + arc + edge case). */
export type CoverageSuggestionKind = "recommendation" | "edge_case";
/** What the user did with a suggestion: dismissed it, or marked it done. */
export type CoverageSuggestionState = "dismissed" | "done";

/**
 * What the user did with a Coverage page suggestion (issue 13, items 2 and 3): one row per
 * dismissed or done suggestion, keyed by its combination ("persona|arc|topic" or
 * "persona|arc|edge_case"). A suggestion with no row is open.
 */
export const coverageSuggestionStates = pgTable(
  "coverage_suggestion_states",
  {
    workspaceId: workspaceId(),
    kind: text("kind").$type<CoverageSuggestionKind>().notNull(),
    key: text("key").notNull(),
    state: text("state").$type<CoverageSuggestionState>().notNull(),
    updatedBy: text("updated_by").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: "coverage_suggestion_states_pkey", columns: [t.workspaceId, t.kind, t.key] }),
    check("coverage_suggestion_states_kind_check", sql`${t.kind} in ('recommendation', 'edge_case')`),
    check("coverage_suggestion_states_state_check", sql`${t.state} in ('dismissed', 'done')`),
  ],
);

/**
 * Timings the app records around its own queries (issue 13, item 7: the database health page):
 * one row per timed query, `kind` naming the query ("conversations.list", "coverage.summary").
 * Pruned by the retention job.
 */
export const queryTimings = pgTable(
  "query_timings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** null for queries that belong to no workspace. */
    workspaceId: uuid("workspace_id").references(() => workspaces.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    /** Wall time of the query in ms, measured in the app. */
    durationMs: doublePrecision("duration_ms").notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("query_timings_kind_recorded_idx").on(t.kind, t.recordedAt), index("query_timings_recorded_idx").on(t.recordedAt)],
);
