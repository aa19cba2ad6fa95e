/**
 * Conversations and everything that happens to them: turns, prompt templates and versions,
 * generation runs, generation / review / export logs (FR1.1.1, FR1.1.2, FR1.2.1–FR1.2.3, FR1.3.2).
 */
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import type { ConversationStatus, ExportFormat, ProviderName, ReviewAction, Tier, TurnRole } from "../../../lib/constants";
import {
  OPEN_RUN_ITEM_STATES,
  PAUSE_REASONS,
  RUN_ITEM_STATES,
  RUN_KINDS,
  RUN_PURPOSES,
  RUN_STATUSES,
  type PauseReason,
  type RunItemState,
  type RunKind,
  type RunPurpose,
  type RunStatus,
} from "../../../lib/run-states";
import { GENERATION_LOG_KINDS, TEMPLATE_STATUSES, type GenerationLogKind, type TemplateStatus } from "../../../lib/constants";
import { chunks, documents, edgeCaseCategories, emotionalArcs, intents, outcomes, personas, scenarios, tones, topics, workspaceId } from "./taxonomy";

/** `'a', 'b'` for a CHECK constraint, from the one list the code uses (src/lib/run-states.ts). */
const sqlList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
/** USD with micro-dollar precision, read back as a JS number. */
const usd = (name: string) => numeric(name, { precision: 14, scale: 6, mode: "number" }).notNull().default(0);

export const promptTemplates = pgTable(
  "prompt_templates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    tier: text("tier").$type<Tier>().notNull(),
    description: text("description").notNull().default(""),
    /** The tier's default: what planning picks for a slot when no other active template applies better. */
    isDefault: boolean("is_default").notNull().default(false),
    /** TEMPLATE_STATUSES (src/lib/constants.ts): draft | active | inactive. */
    status: text("status").$type<TemplateStatus>().notNull().default("active"),
    /** The version generation uses (the active version); later versions are drafts until activated. */
    currentVersion: integer("current_version").notNull().default(1),
    /** Persona keys the template is written for; empty = every persona. */
    applicablePersonas: jsonb("applicable_personas").$type<string[]>().notNull().default([]),
    /** Emotional arc keys the template is written for; empty = every arc. */
    applicableArcs: jsonb("applicable_arcs").$type<string[]>().notNull().default([]),
    /** The seed conversation this template was made from ("Use as template", US10.3.2); null otherwise. */
    sourceSeedId: uuid("source_seed_id").references((): AnyPgColumn => conversations.id, { onDelete: "set null" }),
    /** The seed's extracted structure (turn count, turn-length pattern, arc progression, opening and closing moves). */
    seedStructure: jsonb("seed_structure").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("prompt_templates_workspace_key_unique").on(t.workspaceId, t.key),
    check("prompt_templates_status_check", sql`${t.status} in (${sqlList(TEMPLATE_STATUSES)})`),
  ],
);

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
    /** Who saved this version (the user id of the one guard; "import" for versions from templates.json). */
    author: text("author").notNull().default(""),
    /** What changed, in the author's words; may be empty. */
    changeNote: text("change_note").notNull().default(""),
    /**
     * The last "Test Template" of exactly this version: { ok, qualityScore, costUsd, latencyMs,
     * provider, model, logId, error? }; null when never tested. "Require a successful test before
     * activation" reads `ok`.
     */
    lastTest: jsonb("last_test").$type<Record<string, unknown>>(),
    testedAt: timestamp("tested_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("template_versions_template_version_unique").on(t.templateId, t.version)],
);

/**
 * A generation run: one `generate` over a set of conversations. Its status, kind and pause reason
 * are the unions of src/lib/run-states.ts, backed by CHECK constraints; transitions are the named
 * functions of src/server/runs/run-machine.ts (docs/engine.md).
 */
export const generationRuns = pgTable(
  "generation_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    /** RUN_KINDS: "live" (one queue job per conversation) | "batch" (the provider's batch API, one driver job). */
    kind: text("kind").$type<RunKind>().notNull(),
    /** RUN_PURPOSES: "generate" (default) | "judge" (judges already generated conversations). */
    purpose: text("purpose").$type<RunPurpose>().notNull().default("generate"),
    /**
     * The judge model (on the run's provider) of a judge run, or of a generate run that judges
     * each conversation it generates; null = no judge (src/core/quality/judge).
     */
    judgeModel: text("judge_model"),
    /** RUN_STATUSES. */
    status: text("status").$type<RunStatus>().notNull().default("running"),
    /** PAUSE_REASONS while paused, null otherwise. */
    pausedReason: text("paused_reason").$type<PauseReason>(),
    /** Set by cancel; workers abort their in-flight calls for this run when they see it. */
    cancelRequested: boolean("cancel_requested").notNull().default(false),
    /** Spending limit in USD (US13.1.2); null = none. */
    budgetUsd: numeric("budget_usd", { precision: 14, scale: 6, mode: "number" }),
    /** USD reserved by calls (or batch submissions) in flight at their maximum cost, settled with real usage afterwards. */
    reservedUsd: usd("reserved_usd"),
    /** The estimate shown before starting (estimateRun's result). */
    estimate: jsonb("estimate").$type<Record<string, unknown>>(),
    /** What paces the run now, for progress displays (RunPacing in src/server/runs/pacing.ts). */
    throttle: jsonb("throttle").$type<Record<string, unknown>>(),
    /** Rate limits the user set for this run's provider and model (per minute; absent = learned from headers or none). */
    rateLimits: jsonb("rate_limits").$type<Record<string, unknown>>(),
    /** Batch runs: the provider batch in flight and the rounds so far (src/server/runs/batch-driver.ts). */
    batchState: jsonb("batch_state").$type<Record<string, unknown>>(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    provider: text("provider").$type<ProviderName>().notNull(),
    model: text("model").notNull(),
    /** Requests of this run to the model in flight at the same time, as the user chose (1-64). */
    concurrency: integer("concurrency").notNull(),
    total: integer("total").notNull(),
    succeeded: integer("succeeded").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    costUsd: usd("cost_usd"),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    /** What was asked for: { ids?, tier?, status?, all?, scope }. */
    selection: jsonb("selection").$type<Record<string, unknown>>().notNull().default({}),
    createdBy: text("created_by").notNull(),
    /** The user to e-mail when the run finishes, pauses on its spending limit or fails ("E-mail me when it finishes"); null = nobody. */
    notifyUserId: text("notify_user_id"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("generation_runs_status_idx").on(t.status),
    index("generation_runs_workspace_idx").on(t.workspaceId, t.createdAt),
    check("generation_runs_status_check", sql`${t.status} in (${sqlList(RUN_STATUSES)})`),
    check("generation_runs_kind_check", sql`${t.kind} in (${sqlList(RUN_KINDS)})`),
    check("generation_runs_purpose_check", sql`${t.purpose} in (${sqlList(RUN_PURPOSES)})`),
    check("generation_runs_judge_model_check", sql`${t.purpose} <> 'judge' or ${t.judgeModel} is not null`),
    check(
      "generation_runs_paused_reason_check",
      sql`(${t.status} = 'paused') = (${t.pausedReason} is not null) and coalesce(${t.pausedReason} in (${sqlList(PAUSE_REASONS)}), true)`,
    ),
    check("generation_runs_concurrency_check", sql`${t.concurrency} between 1 and 64`),
  ],
);

/** A process that generates: `brightrun worker`, `brightrun generate`, or the web server's worker. */
export const workers = pgTable("workers", {
  id: text("id").primaryKey(),
  hostname: text("hostname").notNull(),
  pid: integer("pid").notNull(),
  /** Most conversations this process generates at once (its ceiling). */
  concurrency: integer("concurrency"),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  /** Heartbeat; a worker silent for longer than WORKER_STALE_MS is dead and its jobs are handed back to the queue. */
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
});

export const conversations = pgTable(
  "conversations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    /** Human id shown everywhere: "conv-0042", "seed-003"; unique in its workspace. */
    conversationId: text("conversation_id").notNull(),
    title: text("title"),
    documentId: uuid("document_id").references(() => documents.id, { onDelete: "set null" }),
    chunkId: uuid("chunk_id").references(() => chunks.id, { onDelete: "set null" }),
    persona: text("persona").notNull(),
    /** Emotional arc key (Triumph, Anxiety-to-Relief, …). */
    emotion: text("emotion").notNull(),
    topic: text("topic").notNull(),
    intent: text("intent").notNull(),
    tone: text("tone").notNull(),
    tier: text("tier").$type<Tier>().notNull(),
    status: text("status").$type<ConversationStatus>().notNull().default("not_generated"),
    qualityScore: doublePrecision("quality_score"),
    turnCount: integer("turn_count").notNull().default(0),
    templateId: uuid("template_id").references(() => promptTemplates.id, { onDelete: "set null" }),
    templateVersion: integer("template_version"),
    scenarioId: uuid("scenario_id").references(() => scenarios.id, { onDelete: "set null" }),
    edgeCaseCategory: text("edge_case_category"),
    /** Outcome key: how the conversation should end; null for conversations planned before outcomes existed. */
    outcome: text("outcome"),
    sourceCategory: text("source_category"),
    isSeed: boolean("is_seed").notNull().default(false),
    /** Position in the plan (1-based), null for seeds. */
    planSlot: integer("plan_slot"),
    /** System prompt of the assistant being trained, first in every export. */
    systemPrompt: text("system_prompt").notNull().default(""),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    qualityBreakdown: jsonb("quality_breakdown").$type<Record<string, unknown>>(),
    /** The judge model's overall score (1–10), beside the structural quality_score; null when not judged or the judge failed. */
    judgeScore: doublePrecision("judge_score"),
    /** The judge's verdict (criteria, scores, reasons) or its error with the raw reply: a StoredJudgeResult (src/core/quality/judge). */
    judgeBreakdown: jsonb("judge_breakdown").$type<Record<string, unknown>>(),
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
    /** When someone first opened it in the preview (the first-run checklist's "read"). */
    firstViewedAt: timestamp("first_viewed_at", { withTimezone: true }),
    reviewerId: text("reviewer_id"),
    reviewedAt: timestamp("reviewed_at", { withTimezone: true }),
    reviewerNotes: text("reviewer_notes"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("conversations_workspace_conversation_id_unique").on(t.workspaceId, t.conversationId),
    foreignKey({ name: "conversations_persona_fk", columns: [t.workspaceId, t.persona], foreignColumns: [personas.workspaceId, personas.key] }),
    foreignKey({ name: "conversations_emotion_fk", columns: [t.workspaceId, t.emotion], foreignColumns: [emotionalArcs.workspaceId, emotionalArcs.key] }),
    foreignKey({ name: "conversations_topic_fk", columns: [t.workspaceId, t.topic], foreignColumns: [topics.workspaceId, topics.key] }),
    foreignKey({ name: "conversations_intent_fk", columns: [t.workspaceId, t.intent], foreignColumns: [intents.workspaceId, intents.key] }),
    foreignKey({ name: "conversations_tone_fk", columns: [t.workspaceId, t.tone], foreignColumns: [tones.workspaceId, tones.key] }),
    foreignKey({
      name: "conversations_edge_case_category_fk",
      columns: [t.workspaceId, t.edgeCaseCategory],
      foreignColumns: [edgeCaseCategories.workspaceId, edgeCaseCategories.key],
    }),
    foreignKey({ name: "conversations_outcome_fk", columns: [t.workspaceId, t.outcome], foreignColumns: [outcomes.workspaceId, outcomes.key] }),
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
    index("conversations_workspace_status_quality_desc_id_idx").on(t.workspaceId, t.status, t.qualityScore.desc().nullsLast(), t.id.desc()),
    index("conversations_metadata_gin_idx").using("gin", t.metadata.op("jsonb_path_ops")),
    check("conversations_tier_check", sql`${t.tier} in ('template', 'scenario', 'edge_case')`),
    check(
      "conversations_status_check",
      sql`${t.status} in ('not_generated', 'generating', 'generated', 'approved', 'rejected', 'failed')`,
    ),
    check("conversations_quality_score_check", sql`${t.qualityScore} is null or (${t.qualityScore} >= 1 and ${t.qualityScore} <= 10)`),
    check("conversations_judge_score_check", sql`${t.judgeScore} is null or (${t.judgeScore} >= 1 and ${t.judgeScore} <= 10)`),
  ],
);

/**
 * One conversation of a run. A queued or running item of a running live run always has a
 * pg-boss job (`jobId`) that will take it; at most one open item exists per conversation.
 */
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
    /** RUN_ITEM_STATES. */
    state: text("state").$type<RunItemState>().notNull().default("queued"),
    /** The pg-boss job that takes this item (live runs); null while its run is paused or once closed. */
    jobId: uuid("job_id"),
    workerId: text("worker_id"),
    /** Why the item was closed without generating (cancelled), in plain English. */
    note: text("note"),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("generation_run_items_run_conversation_unique").on(t.runId, t.conversationId),
    index("generation_run_items_state_idx").on(t.runId, t.state),
    uniqueIndex("generation_run_items_open_conversation_unique").on(t.conversationId).where(sql`${t.state} in (${sqlList(OPEN_RUN_ITEM_STATES)})`),
    check("generation_run_items_state_check", sql`${t.state} in (${sqlList(RUN_ITEM_STATES)})`),
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
    workspaceId: workspaceId(),
    conversationId: uuid("conversation_id").references(() => conversations.id, { onDelete: "set null" }),
    runId: uuid("run_id").references(() => generationRuns.id, { onDelete: "set null" }),
    /** GENERATION_LOG_KINDS: "generate" (a conversation's call) | "judge" (a judge call about it). */
    kind: text("kind").$type<GenerationLogKind>().notNull().default("generate"),
    templateId: uuid("template_id").references(() => promptTemplates.id, { onDelete: "set null" }),
    templateVersion: integer("template_version"),
    provider: text("provider").$type<ProviderName>().notNull(),
    model: text("model").notNull(),
    /** The request as sent; null once the retention job has dropped payloads older than the workspace's payload window. */
    requestPayload: jsonb("request_payload"),
    responsePayload: jsonb("response_payload"),
    /** When the retention job dropped this row's request and response payloads (its figures stay); null = payloads kept. */
    payloadsDroppedAt: timestamp("payloads_dropped_at", { withTimezone: true }),
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
    index("generation_logs_workspace_created_at_idx").on(t.workspaceId, t.createdAt),
    check("generation_logs_kind_check", sql`${t.kind} in (${sqlList(GENERATION_LOG_KINDS)})`),
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
    workspaceId: workspaceId(),
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
  workspaceId: workspaceId(),
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

/**
 * Saved export presets (US5.2.1 "Quick export presets"; issue 12 item 5): a name and the export
 * settings (src/lib/export-request.ts `exportSettingsSchema`: selection, format, split, dedup,
 * target), validated when saved and again when read. The built-in presets ("Template tier",
 * "High quality only", "By persona…") are code, not rows.
 */
export const exportPresets = pgTable(
  "export_presets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    name: text("name").notNull(),
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("export_presets_workspace_name_unique").on(t.workspaceId, t.name)],
);

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
export type ExportPresetRow = typeof exportPresets.$inferSelect;
