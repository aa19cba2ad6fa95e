/**
 * The judge step (docs/quality.md, "The judge"): one call to the judge model with the rubric, the
 * conversation's context, its source chunk and its turns; the strict parse of the verdict; every
 * call logged in generation_logs (kind "judge") with its tokens and cost, which land on the run
 * like any call's. It goes through the same gate as generation calls: the run's concurrency, rate
 * limits and spending limit (reserved before the call at the prompt plus JUDGE_MAX_TOKENS,
 * settled after), and the same retry policy.
 *
 * Used by the generation pipeline (after a conversation is generated and scored, when the run has
 * a judge) and by judge runs (judgeStoredConversation, on already generated conversations).
 */
import type { Database } from "../../server/db/client";
import { getGenerationInputsById, listTurnsByConversationId, saveConversationJudgeResult } from "../../server/db/queries/conversations";
import { incrementRunCounters } from "../../server/db/queries/runs";
import { getWorkspace } from "../../server/db/queries/workspace";
import { costUsd, type PriceOverrides } from "../cost/prices";
import { AppError, isAppError, toPlainError } from "../errors";
import type { GenerationResponse, LlmProvider } from "../llm/types";
import { buildJudgePrompt, judgeSystemPrompt } from "../quality/judge/judge-prompt";
import { JUDGE_MAX_TOKENS, JUDGE_RUBRIC_VERSION, JUDGE_TEMPERATURE, parseJudgeReply, type StoredJudgeResult } from "../quality/judge/rubric";
import type { GenerationContext, Turn } from "../types";
import { buildGenerationContext } from "./build-context";
import { afterFailedCall, isInterruption, logGenerationCall, type CallGate, type CallTarget, type FinishInTransaction } from "./generate-conversation";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-policy";

/** The judge a run uses: a provider, the judge model on it, and the gate its calls go through. */
export interface RunJudge {
  provider: LlmProvider;
  /** The judge model (may be the generation model). */
  model: string;
  /** The run's concurrency, rate limits (for this model) and spending limit. */
  gate?: CallGate;
}

export interface JudgeTurnsOptions {
  /** The conversation and run the judge calls are logged against (provider/model = the judge's). */
  target: Omit<CallTarget, "logKind">;
  provider: LlmProvider;
  context: GenerationContext;
  turns: readonly Turn[];
  gate?: CallGate;
  signal?: AbortSignal;
  retryPolicy?: RetryPolicy;
  priceOverrides?: PriceOverrides;
  /** Injected for tests; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** ⌈characters / 4⌉ of the judge's system prompt and user message: the size the gate reserves and the estimate uses (tokens). */
export function judgePromptTokens(prompt: string): number {
  return Math.ceil((judgeSystemPrompt().length + prompt.length) / 4);
}

/**
 * Judges turns with the judge model, retrying what the retry policy retries (a malformed or
 * truncated verdict, 5xx, timeouts…; a 429 wait does not use an attempt). Every call writes one
 * generation_logs row of kind "judge" and adds its usage to the run.
 *
 * @returns the verdict (status "judged", overall score and the six criteria with reasons), or a
 *   "failed" result whose `error` says why in plain English and whose `rawReply` keeps the last
 *   reply — never an invented score
 * @throws AppError with an INTERRUPTION_CODES code when the gate refuses the call (the run's
 *   spending limit), the run is cancelled or the provider's spend limit is reached; database errors
 */
export async function judgeTurns(options: JudgeTurnsOptions): Promise<StoredJudgeResult> {
  const { target, provider } = options;
  const model = target.model;
  const policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const sleep = options.sleep ?? defaultSleep;
  const usage = { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
  const result = (fields: Pick<StoredJudgeResult, "status" | "score" | "criteria" | "summary" | "error" | "rawReply">): StoredJudgeResult => ({
    rubricVersion: JUDGE_RUBRIC_VERSION,
    ...fields,
    provider: provider.name,
    model,
    runId: target.runId,
    judgedAt: new Date().toISOString(),
    usage,
  });
  const failed = (error: unknown, rawReply: string | null) => {
    const plain = toPlainError(error);
    return result({ status: "failed", score: null, criteria: [], summary: "", error: { code: plain.code, message: plain.message, retryable: plain.retryable }, rawReply });
  };
  if (!provider.isLanguageModel) {
    return failed(
      new AppError("judge_unavailable", `The ${provider.name} provider is not a language model, so it cannot judge. Set BRIGHTRUN_JUDGE to a model of a real provider (or --judge MODEL), or leave the judge off.`),
      null,
    );
  }
  const system = judgeSystemPrompt();
  const prompt = buildJudgePrompt(options.context, options.turns);
  const estimatedInputTokens = judgePromptTokens(prompt);
  const requestSummary = { model, system, messages: [{ role: "user", content: prompt }], max_tokens: JUDGE_MAX_TOKENS, temperature: JUDGE_TEMPERATURE };
  const logTarget: CallTarget = { ...target, logKind: "judge" };
  const cancelled = () => new AppError("cancelled", "Judging was cancelled.", { retryable: false });
  let attempts = 0;
  let rateLimitWaits = 0;
  for (;;) {
    if (options.signal?.aborted) throw cancelled();
    attempts += 1;
    const ticket = options.gate ? await options.gate.beforeCall({ inputTokens: estimatedInputTokens, maxOutputTokens: JUDGE_MAX_TOKENS, signal: options.signal }) : null;
    const started = performance.now();
    let response: GenerationResponse | null = null;
    let callError: unknown = null;
    let callCost = 0;
    try {
      response = await provider.generate({ model, system, prompt, maxTokens: JUDGE_MAX_TOKENS, temperature: JUDGE_TEMPERATURE, signal: options.signal, context: options.context });
      callCost = costUsd(
        { model: response.model || model, inputTokens: response.inputTokens, outputTokens: response.outputTokens, cacheWriteTokens: response.cacheWriteTokens ?? 0, cacheReadTokens: response.cacheReadTokens ?? 0 },
        options.priceOverrides,
      );
    } catch (error) {
      callError = options.signal?.aborted ? cancelled() : error;
    }
    const callMs = performance.now() - started;
    let verdict: ReturnType<typeof parseJudgeReply> | null = null;
    if (response && !callError) {
      usage.calls += 1;
      usage.inputTokens += response.inputTokens;
      usage.outputTokens += response.outputTokens;
      usage.costUsd += callCost;
      try {
        if (response.truncated) {
          throw new AppError("truncated_response", `The judge stopped at its ${JUDGE_MAX_TOKENS}-token limit before finishing its verdict.`, { retryable: true, detail: { stopReason: response.stopReason } });
        }
        verdict = parseJudgeReply(response.text);
      } catch (error) {
        callError = error;
      }
    } else if (callError) {
      usage.calls += 1;
    }
    try {
      await logGenerationCall(logTarget, null, null, {}, response, callMs, callCost, callError, requestSummary, { judge: { rubricVersion: JUDGE_RUBRIC_VERSION } });
    } finally {
      await ticket?.after({
        inputTokens: response?.inputTokens ?? 0,
        outputTokens: response?.outputTokens ?? 0,
        costUsd: callCost,
        headers: response?.headers ?? (isAppError(callError) ? ((callError.detail.headers as Record<string, string> | undefined) ?? {}) : {}),
        error: callError,
      });
    }
    if (verdict) return result({ status: "judged", score: verdict.score, criteria: verdict.criteria, summary: verdict.reply.summary.trim(), error: null, rawReply: null });
    if (isInterruption(callError)) throw callError;
    const next = afterFailedCall({ error: callError, attempts, rateLimitWaits, policy, gated: Boolean(options.gate), aborted: Boolean(options.signal?.aborted) });
    if (next.action === "rate_limit_wait") {
      rateLimitWaits += 1;
      attempts -= 1;
      if (next.delayMs !== null) await sleep(next.delayMs);
      continue;
    }
    if (next.action === "retry") {
      await sleep(next.delayMs);
      continue;
    }
    return failed(callError, response?.text ?? null);
  }
}

/**
 * The judge in the generation pipeline: like judgeTurns, but an interruption (the run's spending
 * limit, a cancel, a shutdown) does not stop the conversation — it is already generated and paid
 * for — so it becomes a "failed" verdict that says why; the conversation is stored as generated.
 * @throws database errors only
 */
export async function judgeGeneratedTurns(options: JudgeTurnsOptions): Promise<StoredJudgeResult> {
  try {
    return await judgeTurns(options);
  } catch (error) {
    if (!isInterruption(error)) throw error;
    const why =
      error.code === "spending_limit_reached"
        ? `Not judged: the judge call did not fit under the run's spending limit (${error.message})`
        : error.code === "spend_limit_reached"
          ? `Not judged: the provider account's spend limit was reached (${error.message})`
          : "Not judged: the run was stopped before the judge answered";
    return {
      rubricVersion: JUDGE_RUBRIC_VERSION,
      status: "failed",
      score: null,
      criteria: [],
      summary: "",
      error: { code: error.code, message: `${why}. Judge it later with \`brightrun judge ${options.context.conversationId}\`.`, retryable: true },
      rawReply: null,
      provider: options.provider.name,
      model: options.target.model,
      runId: options.target.runId,
      judgedAt: new Date().toISOString(),
      usage: { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
    };
  }
}

/** What judging one stored conversation ended as. */
export interface JudgeOutcome {
  /** Human id ("tmpl-001"). */
  conversationId: string;
  status: "judged" | "failed";
  judgeScore: number | null;
  error: StoredJudgeResult["error"];
  usage: StoredJudgeResult["usage"];
  durationMs: number;
}

/**
 * Judges an already generated conversation (a judge run's item): loads its turns and context,
 * calls the judge (judgeTurns), and stores the verdict — or the judge's failure with its raw
 * reply — beside its structural score and counts it on the run (succeeded when judged, failed
 * when not), in one transaction with `finishInTransaction` (which
 * closes the run item: succeeded when judged, failed when not). The conversation's turns, status
 * and generation usage are never changed.
 *
 * @throws AppError `conversation_not_found`; interruptions (see judgeTurns); database errors
 */
export async function judgeStoredConversation(options: {
  db: Database;
  /** conversations.id (uuid). */
  id: string;
  runId: string;
  userId: string;
  judge: RunJudge;
  signal?: AbortSignal;
  retryPolicy?: RetryPolicy;
  priceOverrides?: PriceOverrides;
  sleep?: (ms: number) => Promise<void>;
  finishInTransaction?: FinishInTransaction;
}): Promise<JudgeOutcome> {
  const started = performance.now();
  const { db, id } = options;
  const inputs = await getGenerationInputsById({ db, id });
  if (!inputs) throw new AppError("conversation_not_found", `Conversation ${id} does not exist.`);
  const context = buildGenerationContext(inputs, await getWorkspace({ db, workspaceId: inputs.conversation.workspaceId }));
  const turns = await listTurnsByConversationId({ db, conversationId: id });
  const verdict =
    turns.length === 0
      ? ({
          rubricVersion: JUDGE_RUBRIC_VERSION,
          status: "failed",
          score: null,
          criteria: [],
          summary: "",
          error: { code: "nothing_to_judge", message: "This conversation has no turns to judge. Generate it first.", retryable: false },
          rawReply: null,
          provider: options.judge.provider.name,
          model: options.judge.model,
          runId: options.runId,
          judgedAt: new Date().toISOString(),
          usage: { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
        } satisfies StoredJudgeResult)
      : await judgeTurns({
          target: { db, id, runId: options.runId, userId: options.userId, provider: options.judge.provider, model: options.judge.model },
          provider: options.judge.provider,
          context,
          turns,
          gate: options.judge.gate,
          signal: options.signal,
          retryPolicy: options.retryPolicy,
          priceOverrides: options.priceOverrides,
          sleep: options.sleep,
        });
  await db.transaction(async (tx) => {
    await saveConversationJudgeResult({ db: tx, id, judgeScore: verdict.score, judgeBreakdown: verdict as unknown as Record<string, unknown> });
    await incrementRunCounters({ db: tx, id: options.runId, succeeded: verdict.status === "judged" });
    await options.finishInTransaction?.(tx as unknown as Database, { succeeded: verdict.status === "judged" });
  });
  return {
    conversationId: inputs.conversation.conversationId,
    status: verdict.status,
    judgeScore: verdict.score,
    error: verdict.error,
    usage: verdict.usage,
    durationMs: performance.now() - started,
  };
}
