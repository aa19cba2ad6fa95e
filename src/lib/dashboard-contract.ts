/**
 * What the dashboard's client components and its server actions / routes exchange (issue 4).
 * Client-safe: plain zod and types, no server imports. Server actions `.parse()` their input with
 * these schemas (ARCHITECTURE.md "Validate at the boundary") and never throw for expected
 * failures: they return an ActionResult, because Next.js hides thrown error messages in
 * production builds and the user must read what happened and what to do next.
 */
import { z } from "zod";
import type { CostHistoryForEstimate } from "../core/cost/cost-analytics";
import { MAX_RUN_CONCURRENCY } from "./run-states";
import type { QualityResult } from "../core/quality/quality-types";
import type { StoredJudgeResult } from "../core/quality/judge/rubric";
import { MAX_REVIEW_NOTES_LENGTH, REVIEW_NOTES_TOO_LONG_MESSAGE } from "../core/review/review-rules";
import type { ConversationStatus, ReviewAction, TemplateStatus, Tier } from "./constants";
import { conversationFilterSchema } from "./conversation-filter";
import { CONVERSATION_SORT_COLUMNS, SORT_DIRECTIONS, MAX_SEARCH_LENGTH } from "./conversation-table-params";

/** Review notes limit (US4.2.1: "500 char limit"): the core rule's (src/core/review/review-rules.ts). */
export const REVIEW_NOTES_MAX = MAX_REVIEW_NOTES_LENGTH;
/** How long the Undo of a bulk approve / reject is offered (US4.2.2, US6.2.2), ms. */
export const UNDO_WINDOW_MS = 10_000;
/** The server accepts an undo this long after the action (the client's 10 s plus slack for a slow network), ms. */
export const UNDO_ACCEPT_MS = 60_000;
/** Most conversations one bulk action takes. */
export const MAX_BULK_CONVERSATIONS = 100_000;

export type ActionError = { code: string; message: string; retryable: boolean };
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

/**
 * Which conversations an action applies to, by human id ("tmpl-001", "seed-003"):
 * - `{ ids }`: exactly these (a row, or the rows ticked on any page);
 * - `{ matching, exceptIds }`: every conversation matching the table's filter + search ("Select
 *   all N" across pages), minus the ones unticked afterwards.
 */
export const conversationTargetSchema = z.union([
  z.strictObject({ ids: z.array(z.string().trim().min(1).max(200)).min(1).max(MAX_BULK_CONVERSATIONS) }),
  z.strictObject({
    matching: z.strictObject({ filter: conversationFilterSchema, search: z.string().max(MAX_SEARCH_LENGTH).default("") }),
    exceptIds: z.array(z.string().trim().min(1).max(200)).max(MAX_BULK_CONVERSATIONS).default([]),
  }),
]);
export type ConversationTarget = z.input<typeof conversationTargetSchema>;

export const reviewInputSchema = z.strictObject({
  target: conversationTargetSchema,
  action: z.enum(["approve", "reject"]),
  notes: z.string().trim().max(REVIEW_NOTES_MAX, REVIEW_NOTES_TOO_LONG_MESSAGE).optional(),
});
export type ReviewInput = z.input<typeof reviewInputSchema>;

export interface ReviewOutcome {
  action: ReviewAction;
  /** Human ids now approved / rejected. */
  reviewed: string[];
  /** Not changed, each with the plain-English reason ("seed conversations are locked"). */
  skipped: Array<{ conversationId: string; reason: string }>;
  /** Pass to undoReview within UNDO_WINDOW_MS to put every reviewed conversation back; null when nothing changed. */
  undoToken: string | null;
}

export const undoReviewInputSchema = z.strictObject({ undoToken: z.string().min(1).max(200) });

export interface UndoOutcome {
  /** Human ids put back to the status they had before. */
  restored: string[];
  /** Not put back (changed again since, or deleted), with why. */
  skipped: Array<{ conversationId: string; reason: string }>;
}

export const deleteInputSchema = z.strictObject({
  target: conversationTargetSchema,
  /** The "I understand this will permanently delete N conversations" checkbox (US11.4.2). */
  confirmed: z.literal(true, "Tick “I understand this will permanently delete these conversations” to delete them."),
});

export interface DeleteOutcome {
  deleted: string[];
  skipped: Array<{ conversationId: string; reason: string }>;
}

/**
 * What to generate: a target (rows / selection), every conversation not generated yet, every
 * failed one, or one tier's not generated and failed conversations (the planning page's
 * "Generate All Tier N").
 */
export const generationScopeSchema = z.union([
  z.strictObject({ kind: z.literal("target"), target: conversationTargetSchema }),
  z.strictObject({ kind: z.literal("all_not_generated") }),
  z.strictObject({ kind: z.literal("all_failed") }),
  z.strictObject({ kind: z.literal("tier"), tier: z.enum(["template", "scenario", "edge_case"]) }),
]);
export type GenerationScope = z.input<typeof generationScopeSchema>;

/** A run's concurrency as the user chooses it in the dialog: requests to the model in flight at the same time. */
const concurrencySchema = z
  .number()
  .int("Concurrency must be a whole number.")
  .min(1, "Concurrency must be at least 1.")
  .max(MAX_RUN_CONCURRENCY, `Concurrency can be at most ${MAX_RUN_CONCURRENCY}.`)
  .optional();

export const estimateInputSchema = z.strictObject({ scope: generationScopeSchema, concurrency: concurrencySchema });

export const startGenerationInputSchema = z.strictObject({
  scope: generationScopeSchema,
  /** Requests of this run in flight at the same time (1-64); omitted = the default (BRIGHTRUN_CONCURRENCY or 3). */
  concurrency: concurrencySchema,
  /** "Stop if cost exceeds $50" (US1.3.1, US13.1.1); omitted or null = no limit. USD. */
  budgetUsd: z.number().positive("The spending limit must be more than $0.").max(1_000_000).nullable().optional(),
  /** "E-mail me when it finishes" (US1.3.2): e-mail the current user when the run finishes, pauses on its spending limit or fails. */
  notify: z.boolean().optional(),
});
export type StartGenerationInput = z.input<typeof startGenerationInputSchema>;

/** "Judge Selected": judge the selected conversations that are generated, approved or rejected (a judge run). */
export const startJudgingInputSchema = z.strictObject({
  target: conversationTargetSchema,
  /** USD; omitted or null = no limit. */
  budgetUsd: z.number().positive("The spending limit must be more than $0.").max(1_000_000).nullable().optional(),
});
export type StartJudgingInput = z.input<typeof startJudgingInputSchema>;

/** A judge run started from the web. */
export interface StartedJudging extends StartedRun {
  /** The judge model. */
  model: string;
  /** The estimate's USD for the judge calls. */
  estimatedUsd: number;
}

export interface GenerationEstimateView {
  /** Conversations that will be generated. */
  count: number;
  estimatedMs: number;
  estimatedUsd: number;
  /** Worst case: every call billed its full max tokens, USD. */
  maxUsd: number;
  perTier: Record<Tier, { conversations: number; costUsd: number; timeMs: number }>;
  /** Plain English: over $100, over 2 hours, a model without a known price, simulated provider. */
  warnings: string[];
  skipped: Array<{ conversationId: string; reason: string }>;
  provider: { name: string; model: string; isLanguageModel: boolean };
  /** False when the model has no price (neither the price table, the Settings page nor BRIGHTRUN_PRICES): estimated at $0. */
  priceKnown: boolean;
  /** The concurrency the estimate assumes (the dialog's value, or the default). */
  concurrency: number;
  /** The judge's part of the figures above (BRIGHTRUN_JUDGE), null when runs are not judged. */
  judge: { model: string; calls: number; costUsd: number; priceKnown: boolean } | null;
  /** Past figures beside the estimate (US13.1.1): average per conversation of this model, accuracy of past estimates, the month against the budget. */
  costHistory: CostHistoryForEstimate;
  /**
   * Whether "E-mail me when it finishes" can be ticked, and why not; `preferred`: whether it starts
   * ticked (available and the user's preference `email.runFinished` is on). Set by the web's estimate
   * action; absent elsewhere.
   */
  notifyByEmail?: { available: boolean; reason: string | null; preferred: boolean };
}

export interface StartedRun {
  /** null when nothing could be generated (every selected conversation skipped). */
  runId: string | null;
  total: number;
  skipped: Array<{ conversationId: string; reason: string }>;
}

export const runIdInputSchema = z.strictObject({ runId: z.uuid("That is not a run id.") });
export const resumeRunInputSchema = z.strictObject({
  runId: z.uuid("That is not a run id."),
  budgetUsd: z.number().positive().max(1_000_000).nullable().optional(),
});

/** The empty state's "Plan the dataset" (same as `brightrun plan`; no total = the workspace's split, else 40/35/15 of 90). */
export const planInputSchema = z.strictObject({
  /** Total conversations split 40/35/15 across the tiers. */
  total: z.number().int("The number of conversations must be a whole number.").min(1, "Plan at least 1 conversation.").max(100_000, "Plan at most 100,000 conversations.").optional(),
});
export type PlanInput = z.input<typeof planInputSchema>;

export interface PlanOutcome {
  /** Conversations in the plan (every tier together). */
  planned: number;
  /** Conversations per tier in the plan. */
  perTier: Record<Tier, number>;
  /** New not-generated conversations created now (slots already planned are kept, never duplicated). */
  created: number;
  /** Slots that were already planned before. */
  existing: number;
}

/** The preview's "Conversation 3 of 25" within the table's filtered, sorted set. */
export const previewPositionInputSchema = z.strictObject({
  filter: conversationFilterSchema,
  search: z.string().max(MAX_SEARCH_LENGTH).default(""),
  sort: z.strictObject({ column: z.enum(CONVERSATION_SORT_COLUMNS), direction: z.enum(SORT_DIRECTIONS) }),
  /** 1-based position in the filtered set. */
  position: z.number().int().min(1),
});
export type PreviewPositionInput = z.input<typeof previewPositionInputSchema>;

export interface PreviewPosition {
  /** Human id at `position`, null when the position is past the end. */
  conversationId: string | null;
  position: number;
  total: number;
}

export const exportInputSchema = z.strictObject({
  format: z.enum(["openai", "anthropic", "sharegpt", "hf", "json"]).default("openai"),
});

export interface ExportOutcome {
  exportId: string;
  format: string;
  conversationCount: number;
  /** The data file's name, as the browser saves it. */
  fileName: string;
  /** GET this to download the data file (Content-Disposition: attachment). */
  downloadUrl: string;
}

/** GET /api/conversations/:conversationId — everything the preview panel and the dialogs show. */
/** One review event of a conversation as review_logs recorded it. */
export interface ReviewEvent {
  id: string;
  action: "approve" | "reject" | "undo";
  reviewerId: string;
  /** The note given with the decision, or null. */
  reviewerNotes: string | null;
  /** The status before this event. */
  previousStatus: ConversationStatus;
  /** ISO 8601. */
  at: string;
}

export interface ConversationDetail {
  id: string;
  conversationId: string;
  title: string | null;
  tier: Tier;
  status: ConversationStatus;
  isSeed: boolean;
  persona: { key: string; name: string };
  emotion: { key: string; name: string };
  topic: { key: string; name: string };
  intent: { key: string; name: string };
  tone: { key: string; name: string };
  /** How the conversation should end; null when it has none. */
  outcome: { key: string; name: string } | null;
  sourceCategory: string | null;
  /** The scenario it is planned from (scenario tier), null when none. */
  scenario: { id: string; key: string; title: string } | null;
  /**
   * Where the conversation came from (see sourceOf in server/conversation-detail.ts):
   * - "linked": the document chunk it was planned from, unchanged since;
   * - "changed": its document was re-imported with changes after the conversation was planned (the
   *   chunk in the same position, if the new version has one);
   * - "removed": its document was deleted (the conversation keeps its text);
   * null when it was not planned from a document (a seed without one).
   */
  source:
    | {
        state: "linked" | "changed";
        documentKey: string;
        documentTitle: string;
        category: string;
        /** When the document was last imported or changed (ISO 8601). */
        documentUpdatedAt: string;
        /** Null when the changed document has no chunk in this position any more. */
        chunk: {
          key: string;
          /** 0-based position of the chunk in its document. */
          ordinal: number;
          heading: string | null;
          summary: string;
          dimensions: Record<string, unknown>;
        } | null;
      }
    | { state: "removed"; category: string }
    | null;
  qualityScore: number | null;
  /** The stored QualityResult (src/core/quality/quality-types.ts), null until scored. */
  quality: QualityResult | null;
  /** The judge's overall score (1–10), null when not judged or the judge failed. */
  judgeScore: number | null;
  /** The judge's stored verdict or failure (src/core/quality/judge/rubric.ts), null when never judged. */
  judge: StoredJudgeResult | null;
  turns: Array<{ turnNumber: number; role: "user" | "assistant"; content: string }>;
  turnCount: number;
  provider: string | null;
  model: string | null;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  generationAttempts: number;
  /** ISO 8601 strings. */
  createdAt: string;
  updatedAt: string;
  generatedAt: string | null;
  reviewedAt: string | null;
  reviewerId: string | null;
  reviewerNotes: string | null;
  /** Every review event (approve, reject, undo, each with its note), newest first (review_logs; US9.3.2). */
  reviewHistory: ReviewEvent[];
  /** The last failure: code, plain-English message, retryable, detail (HTTP status, request id…), when. */
  lastError: { code: string; message: string; retryable: boolean; detail: Record<string, unknown>; at: string | null } | null;
  /** The model's raw reply when it could not be used. */
  rawReply: string | null;
  metadata: Record<string, unknown>;
  /**
   * The prompt template and version it was generated with (issue 11 item 4), or, while it has not
   * been generated (`planned`), the one generation will use (pickConversationTemplate) at its current
   * version. `latestVersion` is the template's newest version (later ones are drafts). Null when
   * the template was deleted or the tier has none.
   */
  template: {
    key: string;
    name: string;
    status: TemplateStatus;
    version: number;
    latestVersion: number;
    planned: boolean;
  } | null;
}
