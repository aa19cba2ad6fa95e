/**
 * Settings saved from the web app (issue 9, item 4). One row per workspace. Environment variables
 * win over every column here (docs/providers.md).
 */
import { sql } from "drizzle-orm";
import { check, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { PriceOverrides } from "../../../core/cost/prices";
import type { RetryPolicyOverrides } from "../../../core/generation/retry-policy";
import { PROVIDER_NAMES, type ProviderName } from "../../../lib/constants";
import { workspaces } from "./taxonomy";

/** The model the workspace generates with: provider, where, which key, which model, and how fast. */
export const modelSettings = pgTable(
  "model_settings",
  {
    /** The workspace these settings belong to (one row each). */
    workspaceId: uuid("workspace_id")
      .primaryKey()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    provider: text("provider").$type<ProviderName>(),
    /** An OpenAI-compatible server's (or an Anthropic gateway's) base URL. */
    baseUrl: text("base_url"),
    /** The API key, encrypted (server/settings/secret-box.ts); never sent to the browser. */
    apiKeySealed: text("api_key_sealed"),
    /** "sk-…abcd", shown in place of the key. */
    apiKeyHint: text("api_key_hint"),
    model: text("model"),
    /** Default concurrency of a new run (1–64). */
    concurrency: integer("concurrency"),
    /** Rate limits in the BRIGHTRUN_RATE_LIMITS form ("rpm=240,otpm=80000"); null = learned from headers, or none. */
    rateLimits: text("rate_limits"),
    /**
     * Rate limits of particular models, model id → the BRIGHTRUN_RATE_LIMITS form; a run of a model
     * listed here uses its entry instead of `rate_limits`. null = none.
     */
    rateLimitsByModel: jsonb("rate_limits_by_model").$type<Record<string, string>>(),
    /** The retry policy over the default (core/generation/retry-policy.ts; delays in ms). null = the default. */
    retryPolicy: jsonb("retry_policy").$type<RetryPolicyOverrides>(),
    /** Price overrides, model id → USD per million input/output tokens (core/cost/prices.ts). null = none. */
    priceOverrides: jsonb("price_overrides").$type<PriceOverrides>(),
    /** When Test connection last succeeded (the first-run checklist's "model set and tested"); null = never. */
    connectionTestedAt: timestamp("connection_tested_at", { withTimezone: true }),
    /** What that test reached, "provider/model" (e.g. "openai/llama3.1:8b"): a change of model asks for a new test. */
    connectionTestedFor: text("connection_tested_for"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text("updated_by"),
  },
  () => [check("model_settings_provider_check", sql.raw(`provider is null or provider in (${PROVIDER_NAMES.map((p) => `'${p}'`).join(", ")})`))],
);

export type ModelSettingsRow = typeof modelSettings.$inferSelect;

/**
 * Facts about this installation (this database) rather than about one workspace: one row, id 1.
 * `sample_loaded_at` is when the server's first start loaded the sample workspace (or found
 * workspaces already there), so the sample is loaded once per installation, never again after
 * every workspace has been deleted (docs/workspaces.md). null = never.
 */
export const installation = pgTable(
  "installation",
  {
    id: integer("id").primaryKey().default(1),
    sampleLoadedAt: timestamp("sample_loaded_at", { withTimezone: true }),
    /**
     * The installation owner's user id (users.id; no foreign key, the users table comes later in
     * the schema): the account made on the set-up page or by `brightrun users create-owner`, an
     * owner of every workspace. null = not set up yet (docs/accounts.md).
     */
    ownerUserId: text("owner_user_id"),
  },
  () => [check("installation_single_row_check", sql`id = 1`)],
);

export type InstallationRow = typeof installation.$inferSelect;
