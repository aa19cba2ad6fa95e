/**
 * The generation run state machine's vocabulary (docs/engine.md): run statuses, run kinds, pause
 * reasons and item states as TypeScript unions (the database backs each with a CHECK constraint,
 * drizzle/0005), which statuses are terminal, and how a run's final status is decided. Written
 * once here and used by the run layer (src/server/runs), the CLI and the browser alike.
 */
import type { Tier } from "./constants";

/** Lifecycle of a generation run. `running` and `paused` are open; the others are terminal. */
export const RUN_STATUSES = ["running", "paused", "completed", "completed_with_failures", "failed", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** The statuses a run never leaves. */
export const TERMINAL_RUN_STATUSES = ["completed", "completed_with_failures", "failed", "cancelled"] as const satisfies readonly RunStatus[];
export type TerminalRunStatus = (typeof TERMINAL_RUN_STATUSES)[number];

/** Runs that still have work to do (or may have again after a resume). */
export const OPEN_RUN_STATUSES = ["running", "paused"] as const satisfies readonly RunStatus[];

/** True for completed, completed_with_failures, failed and cancelled. */
export function isTerminalRunStatus(status: string): status is TerminalRunStatus {
  return (TERMINAL_RUN_STATUSES as readonly string[]).includes(status);
}

/**
 * How a run is driven: `live` sends one request per conversation (one queue job each);
 * `batch` submits its conversations through the provider's batch API (one driver job per run).
 */
export const RUN_KINDS = ["live", "batch"] as const;
export type RunKind = (typeof RUN_KINDS)[number];

/**
 * What a run does with each of its conversations: `generate` (render → call → validate → score →
 * store, and the judge when the run has one) or `judge` (score already generated conversations
 * with the judge model, src/core/quality/judge; their turns and status are not touched). Both go
 * through the same machine, queue and worker.
 */
export const RUN_PURPOSES = ["generate", "judge"] as const;
export type RunPurpose = (typeof RUN_PURPOSES)[number];

/**
 * Why a run is paused: the user paused it; its own spending limit would be exceeded by the next
 * call (US13.1.2); the provider account's spend limit was reached (a 429 saying so, US12.1.1).
 */
export const PAUSE_REASONS = ["user", "spending_limit", "provider_spend_limit"] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

export const PAUSE_REASON_LABELS: Record<PauseReason, string> = {
  user: "paused by you",
  spending_limit: "the run's spending limit is reached",
  provider_spend_limit: "the provider account's spend limit is reached",
};

/** The most conversations of one run in flight at once; a run's concurrency is a whole number from 1 to this. */
export const MAX_RUN_CONCURRENCY = 64;

/** Lifecycle of one conversation within a run. `queued` and `running` are open. */
export const RUN_ITEM_STATES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type RunItemState = (typeof RUN_ITEM_STATES)[number];

/** Item states that still hold their conversation (at most one open item per conversation). */
export const OPEN_RUN_ITEM_STATES = ["queued", "running"] as const satisfies readonly RunItemState[];

export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  running: "Running",
  paused: "Paused",
  completed: "Completed",
  completed_with_failures: "Finished with failures",
  failed: "Failed",
  cancelled: "Cancelled",
};

/**
 * The final status of a run whose items are all closed: cancelled when a cancel was asked for,
 * completed when nothing failed, failed when nothing succeeded, else completed_with_failures.
 * A run whose every item was closed without generating (all cancelled, e.g. already generated
 * elsewhere) is completed.
 */
export function decideFinalRunStatus(counts: { succeeded: number; failed: number }, cancelRequested: boolean): TerminalRunStatus {
  if (cancelRequested) return "cancelled";
  if (counts.failed === 0) return "completed";
  if (counts.succeeded === 0) return "failed";
  return "completed_with_failures";
}

/**
 * What paces a run now, as its workers last reported it (stored on the run, shown by the CLI bar
 * and the progress panel).
 */
export interface RunPacing {
  /** One plain sentence: "requests 240/min, from the provider's headers" or "concurrency 8, your setting". */
  pacedBy: string;
  /** Every rate limit in force with its source, or null when none is known ("no rate limit reported or set"). */
  limits: string | null;
  /** True while senders wait for a rate limit or a pause after a 429. */
  throttled: boolean;
  /** Why they wait ("Rate limit: waiting for requests (…)", "Rate limit: pausing 20 s"), or null. */
  reason: string | null;
  /** When sending is expected to resume (epoch ms), or null. */
  resumeAt: number | null;
  /** Conversations in flight allowed now (AIMD may have cut it below the run's concurrency). */
  concurrency: number;
  /** The run's concurrency as the user set it (capped by the worker's ceiling). */
  concurrencyLimit: number;
}

/** A run's progress as every display shows it (CLI bar, server-sent events, dashboard): one source, read from the database (FR4.4.1, FR4.4.2). */
export interface RunProgress {
  runId: string;
  status: RunStatus;
  pausedReason: PauseReason | null;
  kind: RunKind;
  /** generate, or judge (a run that judges already generated conversations). */
  purpose: RunPurpose;
  /**
   * The tier a "Generate All Tier N" run generates (its selection names one tier and no ids);
   * null or absent for other runs. The progress panel then says "Generating Tier 1: 12 of 40 complete".
   */
  tier?: Tier | null;
  /** The judge model of the run (judge runs, and generate runs with the judge on), else null. */
  judgeModel: string | null;
  /** The run's concurrency as the user set it. */
  concurrency: number;
  cancelRequested: boolean;
  provider: string;
  model: string;
  total: number;
  /** Conversations closed (succeeded + failed + cancelled). */
  done: number;
  percent: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  items: Record<RunItemState, number>;
  /** Being generated now: "tmpl-004: Anxious First-Time Investor + Anxiety-to-Relief + Portfolio setup". */
  current: Array<{ conversationId: string; persona: string; emotion: string; topic: string }>;
  /** The last RECENT_LIMIT conversations closed, newest first: ✓ succeeded (with its quality score) or ✗ failed (US1.2.2). */
  recent: Array<{ conversationId: string; succeeded: boolean; qualityScore: number | null }>;
  elapsedMs: number;
  /** From the observed rate (closed conversations per ms since start); null until one has closed. */
  remainingMs: number | null;
  spentUsd: number;
  estimatedUsd: number | null;
  budgetUsd: number | null;
  inputTokens: number;
  outputTokens: number;
  /** What paces the run, as its workers last reported it; null before any report. */
  throttle: RunPacing | null;
  /** Set from 80 % of the spending limit on (US13.1.2: "Alert at 80%"): "80 % of the $50.00 limit spent ($40.12)". */
  spendingAlert: string | null;
  finished: boolean;
}

