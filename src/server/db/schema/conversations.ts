/**
 * Conversations and everything that happens to them: turns, prompt templates and versions,
 * generation runs, generation / review / export logs (FR1.1.1, FR1.1.2, FR1.2.1–FR1.2.3, FR1.3.2).
 */
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { ConversationStatus, ExportFormat, ProviderName, ReviewAction, Tier, TurnRole } from "../../../lib/constants";
import { chunks, documents, edgeCaseCategories, emotionalArcs, intents, personas, scenarios, tones, topics } from "./taxonomy";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
/** USD with micro-dollar precision, read back as a JS number. */
const usd = (name: string) => numeric(name, { precision: 14, scale: 6, mode: "number" }).notNull().default(0);

export const promptTemplates = pgTable("prompt_templates", {
  id: uuid("id").primaryKey().defaultRandom(),
  key: text("key").notNull().unique(),
  name: text("name").notNull(),
  tier: text("tier").$type<Tier>().notNull(),
  description: text("description").notNull().default(""),
  isDefault: boolean("is_default").notNull().default(false),
  active: boolean("active").notNull().default(true),
  currentVersion: integer("current_version").notNull().default(1),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const templateVersions = pgTable(
  "template_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    templateId: uuid("template_id")
      .notNull()
      .references(() => promptTemplates.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    systemPrompt: text("system_prompt").notNull(),
    templateText: text("template_text").notNull(),
    maxTokens: integer("max_tokens").notNull(),
    temperature: doublePrecision("temperature").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("template_versions_template_version_unique").on(t.templateId, t.version)],
);

/** A generation run: one `generate` invocation over a set of conversations. */
export const generationRuns = pgTable(
  "generation_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** "single" | "selected" | "tier" | "all_not_generated" | "all_failed" */
    kind: text("kind").notNull(),
    /** RUN_STATUSES: "running" | "paused" | "completed" | "completed_with_failures" | "failed" | "cancelled" */
    status: text("status").notNull().default("running"),
    /** Why the run is paused ("spending_limit", "user", "provider_spend_limit"), null otherwise. */
    pausedReason: text("paused_reason"),
    /** Set by cancel; workers abort their in-flight calls for this run when they see it. */
    cancelRequested: boolean("cancel_requested").notNull().default(false),
    /** Spending limit in USD (US13.1.2); null = none. */
    budgetUsd: numeric("budget_usd", { precision: 14, scale: 6, mode: "number" }),
    /** USD reserved by calls in flight (their max cost), settled with real usage after each call. */
    reservedUsd: usd("reserved_usd"),
    /** The estimate shown before starting (estimateRun's result). */
    estimate: jsonb("estimate").$type<Record<string, unknown>>(),
    /** Throttling state for the progress display: { throttled, reason, resumeAt }. */
    throttle: jsonb("throttle").$type<Record<string, unknown>>(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    provider: text("provider").$type<ProviderName>().notNull(),
    model: text("model").notNull(),
    concurrency: integer("concurrency").notNull(),
    total: integer("total").notNull(),
    succeeded: integer("succeeded").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    costUsd: usd("cost_usd"),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    /** What was asked for: { ids?, tier?, status? }. */
    selection: jsonb("selection").$type<Record<string, unknown>>().notNull().default({}),
    createdBy: text("created_by").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("generation_runs_status_idx").on(t.status)],
);

/** A process that generates: `brightrun worker`, or the CLI / web server in embedded mode. */
export const workers = pgTable("workers", {
  id: text("id").primaryKey(),
  hostname: text("hostname").notNull(),
  pid: integer("pid").notNull(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  /** Heartbeat; a worker silent for longer than WORKER_STALE_MS is dead and its work is recovered. */
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
});

export const conversations = pgTable(
  "conversations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Human id shown everywhere: "conv-0042", "seed-003". */
    conversationId: text("conversation_id").notNull().unique(),
    title: text("title"),
    documentId: uuid("document_id").references(() => documents.id, { onDelete: "set null" }),
    chunkId: uuid("chunk_id").references(() => chunks.id, { onDelete: "set null" }),
    persona: text("persona")
      .notNull()
      .references(() => personas.key),
    /** Emotional arc key (Triumph, Anxiety-to-Relief, …). */
    emotion: text("emotion")
      .notNull()
      .references(() => emotionalArcs.key),
    topic: text("topic")
      .notNull()
      .references(() => topics.key),
    intent: text("intent")
      .notNull()
      .references(() => intents.key),
    tone: text("tone")
      .notNull()
      .references(() => tones.key),
    tier: text("tier").$type<Tier>().notNull(),
    status: text("status").$type<ConversationStatus>().notNull().default("not_generated"),
    qualityScore: doublePrecision("quality_score"),
    turnCount: integer("turn_count").notNull().default(0),
    templateId: uuid("template_id").references(() => promptTemplates.id, { onDelete: "set null" }),
    templateVersion: integer("template_version"),
    scenarioId: uuid("scenario_id").references(() => scenarios.id, { onDelete: "set null" }),
    edgeCaseCategory: text("edge_case_category").references(() => edgeCaseCategories.key),
    sourceCategory: text("source_category"),
    isSeed: boolean("is_seed").notNull().default(false),
    /** Position in the plan (1-based), null for seeds. */
    planSlot: integer("plan_slot"),
    /** System prompt of the assistant being trained, first in every export. */
    systemPrompt: text("system_prompt").notNull().default(""),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    qualityBreakdown: jsonb("quality_breakdown").$type<Record<string, unknown>>(),
    costUsd: usd("cost_usd"),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    provider: text("provider").$type<ProviderName>(),
    model: text("model"),
    generationAttempts: integer("generation_attempts").notNull().default(0),
    lastRunId: uuid("last_run_id").references(() => generationRuns.id, { onDelete: "set null" }),
    /** { code, message, retryable, detail } of the last failure. */
    lastError: jsonb("last_error").$type<{ code: string; message: string; retryable: boolean; detail: Record<string, unknown> }>(),
    /** The model's raw reply when it could not be used, kept for inspection. */
    rawReply: text("raw_reply"),
    generatedAt: timestamp("generated_at", { withTimezone: true }),
    reviewerId: text("reviewer_id"),
    reviewedAt: timestamp("reviewed_at", { withTimezone: true }),
    reviewerNotes: text("reviewer_notes"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("conversations_status_idx").on(t.status),
    index("conversations_quality_score_idx").on(t.qualityScore),
    index("conversations_persona_idx").on(t.persona),
    index("conversations_emotion_idx").on(t.emotion),
    index("conversations_tier_idx").on(t.tier),
    index("conversations_created_at_idx").on(t.createdAt),
    index("conversations_status_quality_idx").on(t.status, t.qualityScore),
    index("conversations_tier_status_idx").on(t.tier, t.status),
    // The table's "best first" view (status filter, quality range, sort quality desc, tiebreak id):
    // an ordered index scan stops after one page instead of sorting every match (bench:table).
    index("conversations_status_quality_desc_id_idx").on(t.status, t.qualityScore.desc().nullsLast(), t.id.desc()),
    index("conversations_metadata_gin_idx").using("gin", t.metadata.op("jsonb_path_ops")),
    check("conversations_tier_check", sql`${t.tier} in ('template', 'scenario', 'edge_case')`),
    check(
      "conversations_status_check",
      sql`${t.status} in ('not_generated', 'generating', 'generated', 'approved', 'rejected', 'failed')`,
    ),
    check("conversations_quality_score_check", sql`${t.qualityScore} is null or (${t.qualityScore} >= 1 and ${t.qualityScore} <= 10)`),
  ],
);

/** One conversation of a run (a run has one pg-boss job per item). */
export const generationRunItems = pgTable(
  "generation_run_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runId: uuid("run_id")
      .notNull()
      .references(() => generationRuns.id, { onDelete: "cascade" }),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    /** "queued" | "running" | "succeeded" | "failed" | "cancelled" */
    state: text("state").notNull().default("queued"),
    workerId: text("worker_id"),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("generation_run_items_run_conversation_unique").on(t.runId, t.conversationId),
    index("generation_run_items_state_idx").on(t.runId, t.state),
  ],
);

export const conversationTurns = pgTable(
  "conversation_turns",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    /** 1-based. */
    turnNumber: integer("turn_number").notNull(),
    role: text("role").$type<TurnRole>().notNull(),
    content: text("content").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("conversation_turns_conversation_turn_unique").on(t.conversationId, t.turnNumber),
    check("conversation_turns_role_check", sql`${t.role} in ('user', 'assistant')`),
  ],
);

/** One row per LLM call, success or failure (FR1.2.1). Kept when the conversation is deleted. */
export const generationLogs = pgTable(
  "generation_logs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    conversationId: uuid("conversation_id").references(() => conversations.id, { onDelete: "set null" }),
    runId: uuid("run_id").references(() => generationRuns.id, { onDelete: "set null" }),
    templateId: uuid("template_id").references(() => promptTemplates.id, { onDelete: "set null" }),
    templateVersion: integer("template_version"),
    provider: text("provider").$type<ProviderName>().notNull(),
    model: text("model").notNull(),
    requestPayload: jsonb("request_payload").notNull(),
    responsePayload: jsonb("response_payload"),
    /** Template parameters and call settings (max_tokens, temperature). */
    parameters: jsonb("parameters").$type<Record<string, unknown>>().notNull().default({}),
    costUsd: usd("cost_usd"),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    durationMs: integer("duration_ms").notNull(),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    userId: text("user_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("generation_logs_conversation_idx").on(t.conversationId),
    index("generation_logs_run_idx").on(t.runId),
    index("generation_logs_created_at_idx").on(t.createdAt),
  ],
);

/** What a review_logs row records: a review decision, or the undo of one (the dashboard's Undo, US4.2.2). */
export type ReviewLogAction = ReviewAction | "undo";

/** The reviewer fields a conversation had before a review, kept so an undo can put them back. */
export interface PreviousReview {
  reviewerId: string | null;
  reviewerNotes: string | null;
  /** ISO 8601, null when it had never been reviewed. */
  reviewedAt: string | null;
}

/** One row per approve / reject, and one per conversation put back by an undo (FR1.2.2). */
export const reviewLogs = pgTable(
  "review_logs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    conversationId: uuid("conversation_id").references(() => conversations.id, { onDelete: "set null" }),
    action: text("action").$type<ReviewLogAction>().notNull(),
    /** The status before this row's action (for "undo": the status the undone review had given). */
    previousStatus: text("previous_status").$type<ConversationStatus>().notNull(),
    reviewerId: text("reviewer_id").notNull(),
    reviewerNotes: text("reviewer_notes"),
    timestamp: timestamp("timestamp", { withTimezone: true }).notNull().defaultNow(),
    /**
     * The dashboard's review action this row belongs to (its undo token); the undo rows of that
     * action carry the same id. Null for reviews made by the CLI (which offers no undo).
     */
    batchId: uuid("batch_id"),
    /** Reviewer fields the conversation had before this review, for undo; null on undo rows. */
    previousReview: jsonb("previous_review").$type<PreviousReview>(),
  },
  (t) => [
    index("review_logs_conversation_idx").on(t.conversationId),
    index("review_logs_batch_idx").on(t.batchId),
    check("review_logs_action_check", sql`${t.action} in ('approve', 'reject', 'undo')`),
  ],
);

/** One row per export (FR1.2.3). */
export const exportLogs = pgTable("export_logs", {
  id: uuid("id").primaryKey().defaultRandom(),
  exportId: text("export_id").notNull().unique(),
  userId: text("user_id").notNull(),
  conversationCount: integer("conversation_count").notNull(),
  filterState: jsonb("filter_state").$type<Record<string, unknown>>().notNull(),
  format: text("format").$type<ExportFormat>().notNull(),
  filePath: text("file_path").notNull(),
  exportedAt: timestamp("exported_at", { withTimezone: true }).notNull().defaultNow(),
  /** The manifest written beside the data. */
  metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull(),
});

export type ConversationRow = typeof conversations.$inferSelect;
export type NewConversationRow = typeof conversations.$inferInsert;
export type ConversationTurnRow = typeof conversationTurns.$inferSelect;
export type PromptTemplateRow = typeof promptTemplates.$inferSelect;
export type TemplateVersionRow = typeof templateVersions.$inferSelect;
export type GenerationRunRow = typeof generationRuns.$inferSelect;
export type GenerationRunItemRow = typeof generationRunItems.$inferSelect;
export type WorkerRow = typeof workers.$inferSelect;
export type GenerationLogRow = typeof generationLogs.$inferSelect;
export type ReviewLogRow = typeof reviewLogs.$inferSelect;
export type ExportLogRow = typeof exportLogs.$inferSelect;
