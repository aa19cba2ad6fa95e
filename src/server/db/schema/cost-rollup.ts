/**
 * The daily rollup of generation calls behind the Cost page (issue 13 item 4; docs/cost.md, "How the
 * figures are kept"). One row per workspace × UTC day × kind × tier × template × provider × model ×
 * user, kept by the database trigger `generation_logs_cost_rollup` (migration 0017) in the same
 * transaction as every generation_logs insert, whoever inserts it (live worker, batch ingest, judge,
 * template test). The retention job deletes generation_logs rows but never these, so the page's
 * history does not shrink.
 */
import { bigint, date, index, integer, numeric, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { GenerationLogKind, ProviderName } from "../../../lib/constants";
import { workspaceId } from "./taxonomy";

/** What a conversation's marker rows record (see generationCostMarks). */
export const COST_MARK_DIMENSIONS = ["day", "week", "month", "run", "tier", "template", "model", "user", "kind"] as const;

export const generationCostDaily = pgTable(
  "generation_cost_daily",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    /** UTC calendar day of the calls (generation_logs.created_at at time zone 'UTC'). */
    day: date("day", { mode: "string" }).notNull(),
    kind: text("kind").$type<GenerationLogKind>().notNull(),
    /** The call's conversation's tier when the call was made; "" for a call without a conversation (template test). */
    tier: text("tier").notNull(),
    /** generation_logs.template_id as text; "" for none. No foreign key: the history outlives a deleted template. */
    templateId: text("template_id").notNull(),
    provider: text("provider").$type<ProviderName>().notNull(),
    model: text("model").notNull(),
    userId: text("user_id").notNull(),
    calls: integer("calls").notNull().default(0),
    /** Calls that ended in an error (generation_logs.error_code set). */
    failedCalls: integer("failed_calls").notNull().default(0),
    inputTokens: bigint("input_tokens", { mode: "number" }).notNull().default(0),
    outputTokens: bigint("output_tokens", { mode: "number" }).notNull().default(0),
    /** Σ generation_logs.cost_usd as recorded, micro-dollars. */
    costUsd: numeric("cost_usd", { precision: 18, scale: 6, mode: "number" }).notNull().default(0),
    /**
     * Conversations whose first `generate` call by a language model (provider ≠ simulated) in this UTC
     * day / ISO week / calendar month is counted on this row: summed over a period's days they give the
     * distinct conversations generated in that period.
     */
    firstInDay: integer("first_in_day").notNull().default(0),
    firstInWeek: integer("first_in_week").notNull().default(0),
    firstInMonth: integer("first_in_month").notNull().default(0),
    /**
     * Conversations whose latest call with this row's tier / template / user / kind (language models
     * only) or provider + model (any provider) is on this row: summed over the days from D to today
     * they give the distinct conversations with such a call since D.
     */
    latestTier: integer("latest_tier").notNull().default(0),
    latestTemplate: integer("latest_template").notNull().default(0),
    latestModel: integer("latest_model").notNull().default(0),
    latestUser: integer("latest_user").notNull().default(0),
    latestKind: integer("latest_kind").notNull().default(0),
  },
  (t) => [
    uniqueIndex("generation_cost_daily_key").on(t.workspaceId, t.day, t.kind, t.tier, t.templateId, t.provider, t.model, t.userId),
    index("generation_cost_daily_workspace_day_idx").on(t.workspaceId, t.day),
  ],
);

/**
 * Where each conversation's markers on generation_cost_daily sit: for "day", "week" and "month" one row
 * per UTC day / ISO week / month with a language model's generate call (value = the period's first
 * day; its unique key decides which call is the first of the period, even between concurrent
 * transactions), for the others one row per value (tier, template id, "provider model", user, kind)
 * holding the latest day and the rollup row that carries the marker. Written only by the trigger; no foreign key to conversations, so the history
 * outlives a deleted conversation.
 */
export const generationCostMarks = pgTable(
  "generation_cost_marks",
  {
    conversationId: uuid("conversation_id").notNull(),
    workspaceId: workspaceId(),
    dimension: text("dimension").$type<(typeof COST_MARK_DIMENSIONS)[number]>().notNull(),
    value: text("value").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    rollupId: uuid("rollup_id")
      .notNull()
      .references(() => generationCostDaily.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.dimension, t.value] }), index("generation_cost_marks_workspace_idx").on(t.workspaceId)],
);

/** A rollup row as read back. */
export type GenerationCostDailyRow = typeof generationCostDaily.$inferSelect;

/**
 * Each generation run's calls summed, kept by the same trigger: the Cost page's finished runs and the
 * Generate dialog's past averages read it instead of every call of 200 runs. `conversations` counts the
 * distinct conversations the run made a call for (a "run" marker row in generationCostMarks per
 * conversation decides the first). No foreign key to generation_runs: like the daily rollup it outlives
 * the calls, and a run is only ever deleted before it has any.
 */
export const generationCostRuns = pgTable("generation_cost_runs", {
  runId: uuid("run_id").primaryKey(),
  workspaceId: workspaceId(),
  calls: integer("calls").notNull().default(0),
  failedCalls: integer("failed_calls").notNull().default(0),
  inputTokens: bigint("input_tokens", { mode: "number" }).notNull().default(0),
  outputTokens: bigint("output_tokens", { mode: "number" }).notNull().default(0),
  costUsd: numeric("cost_usd", { precision: 18, scale: 6, mode: "number" }).notNull().default(0),
  conversations: integer("conversations").notNull().default(0),
});
