/**
 * Accounts (issue 14): the tables better-auth keeps (users, sessions, credential accounts,
 * verification tokens, login rate limits; field names as its Drizzle adapter expects), and ours
 * beside them: workspace members and invitations, personal access tokens, per-user preferences,
 * the append-only settings audit, SMTP settings and the e-mails sent (docs/accounts.md, docs/email.md).
 */
import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { WORKSPACE_ROLES, type WorkspaceRole } from "../../../lib/roles";
import { workspaces } from "./taxonomy";

const sqlList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));
const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

/** A person with an account (better-auth's "user" model). `id` is better-auth's generated string. */
export const users = pgTable("users", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** Lower-cased by better-auth; unique across the installation. */
  email: text("email").notNull().unique(),
  emailVerified: boolean("email_verified").notNull().default(false),
  image: text("image"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** A signed-in browser (better-auth's "session" model); the cookie holds `token`, signed. */
export const authSessions = pgTable(
  "auth_sessions",
  {
    id: text("id").primaryKey(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    token: text("token").notNull().unique(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [index("auth_sessions_user_idx").on(t.userId)],
);

/** A way to sign in (better-auth's "account" model): for e-mail + password, providerId "credential" and the scrypt hash in `password`. */
export const authAccounts = pgTable(
  "auth_accounts",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true }),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at", { withTimezone: true }),
    scope: text("scope"),
    password: text("password"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("auth_accounts_user_idx").on(t.userId)],
);

/** Short-lived tokens (better-auth's "verification" model): password reset links. */
export const authVerifications = pgTable(
  "auth_verifications",
  {
    id: text("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("auth_verifications_identifier_idx").on(t.identifier)],
);

/** Request counts per key and window (better-auth's "rateLimit" model, storage "database"), shared by every server process. */
export const authRateLimits = pgTable("auth_rate_limits", {
  id: text("id").primaryKey(),
  key: text("key").notNull().unique(),
  count: integer("count").notNull(),
  /** Milliseconds since the epoch. */
  lastRequest: bigint("last_request", { mode: "number" }).notNull(),
});

/** Who may do what in a workspace (src/lib/roles.ts). */
export const workspaceMembers = pgTable(
  "workspace_members",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role").$type<WorkspaceRole>().notNull(),
    /** The user who added them (by invitation or by hand); null = the set-up or the CLI. */
    addedBy: text("added_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.userId] }),
    index("workspace_members_user_idx").on(t.userId),
    check("workspace_members_role_check", sql`${t.role} in (${sqlList(WORKSPACE_ROLES)})`),
  ],
);

/**
 * An invitation link to a workspace with a role. The link carries a random token; only its
 * SHA-256 is stored. Accepted once; an owner can revoke it before.
 */
export const workspaceInvitations = pgTable(
  "workspace_invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** Who it was sent to, when sent by e-mail or noted by the owner; null = a link to share. */
    email: text("email"),
    role: text("role").$type<WorkspaceRole>().notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: text("accepted_by"),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    index("workspace_invitations_workspace_idx").on(t.workspaceId, t.createdAt),
    check("workspace_invitations_role_check", sql`${t.role} in (${sqlList(WORKSPACE_ROLES)})`),
  ],
);

/** A token the CLI uses against PostgreSQL (`BRIGHTRUN_TOKEN`). Only its SHA-256 is stored. */
export const personalAccessTokens = pgTable(
  "personal_access_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    /** The token's last four characters, shown in the list ("brt_…k3Qz"). */
    tokenHint: text("token_hint").notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("personal_access_tokens_user_idx").on(t.userId)],
);

/**
 * A user's preferences (US14.1.1), validated by src/lib/preferences.ts when read and written.
 * `user_id` is the guard's user id (`requireUser().id`): an account's users.id, or the CLI's
 * local owner, so it has no foreign key.
 */
export const userPreferences = pgTable("user_preferences", {
  userId: text("user_id").primaryKey(),
  preferences: jsonb("preferences").$type<Record<string, unknown>>().notNull().default({}),
  updatedAt: updatedAt(),
});

/**
 * One row per settings change (US14.1.2): who, when, which setting, old → new. Append-only: a
 * trigger refuses UPDATE and DELETE. Secrets (API keys, SMTP passwords) are written masked.
 * `workspace_id` has no foreign key so the history outlives a deleted workspace; null = an
 * installation setting (SMTP).
 */
export const settingsAudit = pgTable(
  "settings_audit",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id"),
    userId: text("user_id").notNull(),
    /** The user's name at the time, so the history reads without the users table. */
    userName: text("user_name").notNull(),
    /** Which setting, e.g. "model.apiKey", "retention.payloadDays", "smtp.host". */
    setting: text("setting").notNull(),
    oldValue: text("old_value"),
    newValue: text("new_value"),
    createdAt: createdAt(),
  },
  (t) => [index("settings_audit_workspace_idx").on(t.workspaceId, t.createdAt)],
);

/** SMTP_SECURITY: "tls" (implicit TLS, usually port 465), "starttls" (upgrade, usually 587), "none". */
export const SMTP_SECURITY = ["tls", "starttls", "none"] as const;
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];

/** The installation's mail server (issue 14, item 5). One row, id 1; absent = e-mail is off. */
export const smtpSettings = pgTable(
  "smtp_settings",
  {
    id: integer("id").primaryKey().default(1),
    host: text("host").notNull(),
    port: integer("port").notNull(),
    security: text("security").$type<SmtpSecurity>().notNull(),
    username: text("username"),
    /** The password, encrypted (server/settings/secret-box.ts); never sent to the browser. */
    passwordSealed: text("password_sealed"),
    fromAddress: text("from_address").notNull(),
    /** When Send test e-mail last succeeded; null = never. */
    testedAt: timestamp("tested_at", { withTimezone: true }),
    updatedAt: updatedAt(),
    updatedBy: text("updated_by"),
  },
  (t) => [
    check("smtp_settings_single_row_check", sql`${t.id} = 1`),
    check("smtp_settings_security_check", sql`${t.security} in (${sqlList(SMTP_SECURITY)})`),
    check("smtp_settings_port_check", sql`${t.port} between 1 and 65535`),
  ],
);

/** EMAIL_KINDS: what an e-mail is about. */
export const EMAIL_KINDS = ["run_finished", "run_paused", "run_failed", "daily_summary", "test", "password_reset", "invitation"] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];
export const EMAIL_STATUSES = ["queued", "sent", "failed"] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/** One row per e-mail the app sends (the pg-boss job delivers it, with retries). */
export const emailMessages = pgTable(
  "email_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").$type<EmailKind>().notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body"),
    workspaceId: uuid("workspace_id"),
    runId: uuid("run_id"),
    userId: text("user_id"),
    status: text("status").$type<EmailStatus>().notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: createdAt(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    index("email_messages_created_idx").on(t.createdAt),
    uniqueIndex("email_messages_run_kind_user_unique").on(t.runId, t.kind, t.userId),
    check("email_messages_kind_check", sql`${t.kind} in (${sqlList(EMAIL_KINDS)})`),
    check("email_messages_status_check", sql`${t.status} in (${sqlList(EMAIL_STATUSES)})`),
  ],
);

export type UserRow = typeof users.$inferSelect;
export type WorkspaceMemberRow = typeof workspaceMembers.$inferSelect;
export type WorkspaceInvitationRow = typeof workspaceInvitations.$inferSelect;
export type PersonalAccessTokenRow = typeof personalAccessTokens.$inferSelect;
export type SettingsAuditRow = typeof settingsAudit.$inferSelect;
export type SmtpSettingsRow = typeof smtpSettings.$inferSelect;
export type EmailMessageRow = typeof emailMessages.$inferSelect;
