/**
 * Enum values shared by the database schema, the core, the CLI and (later) the browser.
 * The words are the seeds' words (user-stories.md, ARCHITECTURE.md).
 */

/** The three dataset tiers, in plan order. */
export const TIERS = ["template", "scenario", "edge_case"] as const;
export type Tier = (typeof TIERS)[number];

export const TIER_LABELS: Record<Tier, string> = {
  template: "Template",
  scenario: "Scenario",
  edge_case: "Edge case",
};

/** Default plan split: Template 40 / Scenario 35 / Edge case 15 (US8.1.1, US8.2.1, US8.3.1). */
export const DEFAULT_TIER_SPLIT: Record<Tier, number> = {
  template: 40,
  scenario: 35,
  edge_case: 15,
};

/** Lifecycle of a conversation. */
export const CONVERSATION_STATUSES = [
  "not_generated",
  "generating",
  "generated",
  "approved",
  "rejected",
  "failed",
] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/** Statuses a conversation can be generated from: never generated, or failed (retry). */
export const GENERATABLE_STATUSES = ["not_generated", "failed"] as const satisfies readonly ConversationStatus[];

/** Statuses whose conversations have turns a judge can score (a judge run picks from these; default generated). */
export const JUDGEABLE_STATUSES = ["generated", "approved", "rejected"] as const satisfies readonly ConversationStatus[];

/**
 * What a generation_logs row is: a call that generates a conversation, a judge call about one, or a
 * "Test Template" call (no conversation; the template and version it tested).
 */
export const GENERATION_LOG_KINDS = ["generate", "judge", "template_test"] as const;
export type GenerationLogKind = (typeof GENERATION_LOG_KINDS)[number];

/**
 * A prompt template's status (issue 11): `draft` (being written or tested; planning never picks it,
 * though conversations planned from it explicitly — a seed's variations — use it), `active` (in use:
 * planning picks it for its tier), `inactive` (retired: not planned, and conversations planned with it
 * but not generated yet fall back to their tier's default template).
 */
export const TEMPLATE_STATUSES = ["draft", "active", "inactive"] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];

export const TEMPLATE_STATUS_LABELS: Record<TemplateStatus, string> = { draft: "Draft", active: "Active", inactive: "Inactive" };

export const STATUS_LABELS: Record<ConversationStatus, string> = {
  not_generated: "Not generated",
  generating: "Generating",
  generated: "Generated",
  approved: "Approved",
  rejected: "Rejected",
  failed: "Failed",
};

export const TURN_ROLES = ["user", "assistant"] as const;
export type TurnRole = (typeof TURN_ROLES)[number];

export const REVIEW_ACTIONS = ["approve", "reject"] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

export const EXPORT_FORMATS = ["openai", "anthropic", "sharegpt", "hf", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const PROVIDER_NAMES = ["anthropic", "openai", "simulated"] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** Quality scores below this are flagged for review (US4.3.1). */
export const QUALITY_REVIEW_THRESHOLD = 6;

/** From this score a conversation is in the quality module's "high" band (US4.3.1: green, 8–10); the export preset "High quality only". */
export const HIGH_QUALITY_THRESHOLD = 8;

/** Optimal number of turns in a conversation (US4.3.1: "turn count (8-16 optimal)"). */
export const OPTIMAL_TURNS = { min: 8, max: 16 } as const;
