/**
 * Settings saved from the web app (issue 9, item 4). One row per workspace. Environment variables
 * win over every column here (docs/providers.md).
 */
import { sql } from "drizzle-orm";
import { check, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
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
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text("updated_by"),
  },
  () => [check("model_settings_provider_check", sql.raw(`provider is null or provider in (${PROVIDER_NAMES.map((p) => `'${p}'`).join(", ")})`))],
);

export type ModelSettingsRow = typeof modelSettings.$inferSelect;
