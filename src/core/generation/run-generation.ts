/**
 * A generation run: picks the conversations a selection names, records a generation_runs row,
 * and generates them with bounded concurrency, reporting progress after each one.
 */
import pLimit from "p-limit";
import type { ConversationStatus, Tier } from "../../lib/constants";
import type { ConversationFilter } from "../../lib/conversation-filter";
import type { Database } from "../../server/db/client";
import { claimConversationForGeneration, listConversationRefs } from "../../server/db/queries/conversations";
import { createGenerationRun, finishGenerationRun } from "../../server/db/queries/runs";
import type { GenerationRunRow } from "../../server/db/schema";
import type { PriceOverrides } from "../cost/prices";
import { AppError } from "../errors";
import type { LlmProvider } from "../llm/types";
import { generateConversation, type GenerationOutcome } from "./generate-conversation";
import type { RetryPolicy } from "./retry-policy";

/** What to generate. At least one of the fields must be set. */
export interface GenerationSelection {
  /** Human ids ("tmpl-001"). */
  ids?: string[];
  tier?: Tier[];
  /** Statuses to pick from; default not_generated (plus failed when ids are given). */
  status?: ConversationStatus[];
  /** Every conversation not generated yet. */
  all?: boolean;
}

export interface RunProgress {
  done: number;
  total: number;
  succeeded: number;
  failed: number;
  costUsd: number;
  last: GenerationOutcome | null;
}

export interface RunResult {
  run: GenerationRunRow | null;
  outcomes: GenerationOutcome[];
  /** Selected conversations that were not generated, with the reason ("seed", "already approved"…). */
  skipped: Array<{ conversationId: string; reason: string }>;
  wallMs: number;
}

const GENERATABLE: ConversationStatus[] = ["not_generated", "failed"];

function runKind(selection: GenerationSelection): string {
  if (selection.ids?.length) return selection.ids.length === 1 ? "single" : "selected";
  if (selection.status?.length === 1 && selection.status[0] === "failed") return "all_failed";
  if (selection.tier?.length) return "tier";
  return "all_not_generated";
}

/**
 * Runs generation for `selection`.
 * @param concurrency conversations generated at the same time (1–32; FR10.1.2 suggests 3).
 * @throws AppError "selection_empty" when the selection names nothing, "selection_invalid" for bad input.
 */
export async function runGeneration(options: {
  db: Database;
  selection: GenerationSelection;
  provider: LlmProvider;
  model: string;
  userId: string;
  concurrency: number;
  priceOverrides?: PriceOverrides;
  retryPolicy?: RetryPolicy;
  signal?: AbortSignal;
  onStart?: (info: { total: number; runId: string }) => void;
  onProgress?: (progress: RunProgress) => void;
}): Promise<RunResult> {
  const { db, selection, provider, model, userId } = options;
  const started = performance.now();
  if (!selection.ids?.length && !selection.tier?.length && !selection.status?.length && !selection.all) {
    throw new AppError("selection_invalid", "Say what to generate: conversation ids, --tier, --status or --all.");
  }
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1 || options.concurrency > 32) {
    throw new AppError("selection_invalid", `Concurrency must be a whole number from 1 to 32 (got ${options.concurrency}).`);
  }
  const statuses = selection.status?.length ? selection.status : selection.ids?.length ? GENERATABLE : (["not_generated"] as ConversationStatus[]);
  const filter: ConversationFilter = { ids: selection.ids, tier: selection.tier };
  const refs = await listConversationRefs({ db, filter });
  if (selection.ids?.length) {
    const found = new Set(refs.map((r) => r.conversationId));
    const unknown = selection.ids.filter((id) => !found.has(id));
    if (unknown.length) {
      throw new AppError("selection_invalid", `No conversation has the id ${unknown.map((u) => `"${u}"`).join(", ")}. Run \`brightrun status\` or list them in the dashboard.`);
    }
  }
  const skipped: RunResult["skipped"] = [];
  const chosen = refs.filter((r) => {
    if (r.isSeed) {
      if (selection.ids?.length) skipped.push({ conversationId: r.conversationId, reason: "seed conversations are locked and never generated" });
      return false;
    }
    if (!statuses.includes(r.status)) {
      if (selection.ids?.length) skipped.push({ conversationId: r.conversationId, reason: `it is ${r.status.replace("_", " ")}` });
      return false;
    }
    if (!GENERATABLE.includes(r.status)) {
      skipped.push({ conversationId: r.conversationId, reason: `it is ${r.status.replace("_", " ")}; only not generated or failed conversations are generated` });
      return false;
    }
    return true;
  });
  if (!chosen.length) return { run: null, outcomes: [], skipped, wallMs: performance.now() - started };

  const run = await createGenerationRun({
    db,
    values: {
      kind: runKind(selection),
      provider: provider.name,
      model,
      concurrency: options.concurrency,
      total: chosen.length,
      selection: { ...selection },
      createdBy: userId,
    },
  });
  options.onStart?.({ total: chosen.length, runId: run.id });
  const progress: RunProgress = { done: 0, total: chosen.length, succeeded: 0, failed: 0, costUsd: 0, last: null };
  const limit = pLimit(options.concurrency);
  const outcomes: GenerationOutcome[] = [];
  let cancelled = false;
  await Promise.all(
    chosen.map((ref) =>
      limit(async () => {
        if (options.signal?.aborted) {
          cancelled = true;
          return;
        }
        if (!(await claimConversationForGeneration({ db, id: ref.id, runId: run.id }))) {
          skipped.push({ conversationId: ref.conversationId, reason: "another run is generating it" });
          return;
        }
        const outcome = await generateConversation({
          db,
          id: ref.id,
          runId: run.id,
          userId,
          provider,
          model,
          priceOverrides: options.priceOverrides,
          retryPolicy: options.retryPolicy,
          signal: options.signal,
        });
        outcomes.push(outcome);
        progress.done += 1;
        if (outcome.status === "generated") progress.succeeded += 1;
        else progress.failed += 1;
        progress.costUsd += outcome.usage.costUsd;
        progress.last = outcome;
        options.onProgress?.({ ...progress });
      }),
    ),
  );
  const status = cancelled ? "cancelled" : progress.failed === 0 ? "completed" : progress.succeeded === 0 ? "failed" : "completed_with_failures";
  const finished = await finishGenerationRun({ db, id: run.id, status });
  return { run: finished, outcomes, skipped, wallMs: performance.now() - started };
}
