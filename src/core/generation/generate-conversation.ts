/**
 * Generates one conversation: template + parameters → LLM → JSON turns → validate → quality score
 * → store. Every LLM call writes one generation_logs row; a reply that cannot be used marks the
 * conversation failed with a plain-English reason and keeps the raw reply.
 */
import type { GenerationLogKind, ProviderName } from "../../lib/constants";
import type { Database } from "../../server/db/client";
import { getGenerationInputsById, markConversationFailed, saveGeneratedConversation } from "../../server/db/queries/conversations";
import { addGenerationRunUsage, incrementRunCounters, insertGenerationLog } from "../../server/db/queries/runs";
import { getTemplateWithCurrentVersionById, listDefaultTemplates } from "../../server/db/queries/templates";
import { getWorkspace } from "../../server/db/queries/workspace";
import { costUsd, type PriceOverrides } from "../cost/prices";
import { AppError, isAppError, toPlainError } from "../errors";
import { parseConversationReply } from "../llm/parse-reply";
import type { GenerationResponse, LlmProvider } from "../llm/types";
import { scoreConversation } from "../quality";
import type { StoredJudgeResult } from "../quality/judge/rubric";
import { buildTemplateParameters, renderTemplate, sharedTemplatePrefix, TEMPLATE_PARAMETER_SOURCES } from "../templates";
import { pickConversationTemplate } from "../templates/template-applicability";
import type { GenerationContext, Turn } from "../types";
import { buildGenerationContext } from "./build-context";
import { judgeGeneratedTurns, type RunJudge } from "./judge-conversation";
import { DEFAULT_RETRY_POLICY, retryDelayMs, shouldRetry, type RetryPolicy } from "./retry-policy";

export interface GenerationOutcome {
  conversationId: string;
  status: "generated" | "failed";
  qualityScore: number | null;
  /** The judge's overall score when the run has a judge and it answered; null otherwise. */
  judgeScore: number | null;
  error: ReturnType<typeof toPlainError> | null;
  attempts: number;
  usage: { inputTokens: number; outputTokens: number; costUsd: number };
  /** Wall time of the whole pipeline for this conversation, ms. */
  durationMs: number;
  /** Time spent inside provider calls (model time), ms. */
  providerMs: number;
}

export interface GenerateConversationOptions {
  db: Database;
  /** conversations.id (uuid) of a conversation already claimed (status `generating`). */
  id: string;
  runId: string;
  userId: string;
  provider: LlmProvider;
  model: string;
  priceOverrides?: PriceOverrides;
  retryPolicy?: RetryPolicy;
  /**
   * Aborts the in-flight call and stops retrying. The per-call time limit (90 s, FR10.1.1;
   * BRIGHTRUN_LLM_TIMEOUT_MS) is the provider's own, so it has one source.
   */
  signal?: AbortSignal;
  /** Rate limits and the spending limit: asked before every call, told the outcome after. */
  gate?: CallGate;
  /** Injected for tests; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Runs inside the transaction that stores the conversation (generated or failed), after its
   * rows are written: the run layer closes the conversation's run item and completes its queue
   * job there, so the result, the item and the job commit together or not at all. Throwing rolls
   * the store back (and generateConversation rejects with that error).
   */
  finishInTransaction?: FinishInTransaction;
  /**
   * The run's judge, when it has one: after the conversation is generated and scored, the judge
   * scores it (src/core/generation/judge-conversation.ts) and its verdict is stored with it. A
   * judge that fails (or is stopped by the spending limit or a cancel) never loses the
   * conversation: it is stored as generated with the judge's error.
   */
  judge?: RunJudge;
}

/** See GenerateConversationOptions.finishInTransaction. */
export type FinishInTransaction = (tx: Database, result: { succeeded: boolean }) => Promise<void>;

/** What a call gate is told after a call (usage in tokens and USD, response headers). */
export interface CallOutcome {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  headers: Record<string, string>;
  error: unknown;
}

/**
 * Decides when a call may start: waits for rate-limit capacity, reserves the call's maximum cost
 * against the spending limit. Throws an AppError whose code is in INTERRUPTION_CODES to stop the
 * conversation without marking it failed (e.g. "spending_limit_reached").
 */
export interface CallGate {
  beforeCall(call: { inputTokens: number; maxOutputTokens: number; signal?: AbortSignal }): Promise<{ after(outcome: CallOutcome): Promise<void> }>;
}

/**
 * Errors that stop a conversation without it having failed: the run was cancelled, its spending
 * limit was reached, or the provider account's spend limit was reached (US12.1.1: "pauses the
 * run and is not retried"). They propagate to the worker, which puts the conversation back.
 */
export const INTERRUPTION_CODES = ["cancelled", "spending_limit_reached", "spend_limit_reached"] as const;

/** True for an error that interrupts rather than fails a conversation. */
export function isInterruption(error: unknown): error is AppError {
  return isAppError(error) && (INTERRUPTION_CODES as readonly string[]).includes(error.code);
}

/**
 * Waiting out a rate limit does not use up a conversation's attempts (US12.1.1); this bounds how
 * many 429s in a row one conversation sits through before it is failed as retryable.
 */
export const MAX_RATE_LIMIT_WAITS = 30;

/** What a call loop does after a failed call: wait out a rate limit (attempt not used), retry after a delay, or give up. */
export type AfterFailedCall = { action: "rate_limit_wait"; delayMs: number | null } | { action: "retry"; delayMs: number } | { action: "give_up" };

/**
 * The one retry decision of the call loops (generation and judge) after a failed call that is not an
 * interruption: a 429 is waited out without using an attempt, up to MAX_RATE_LIMIT_WAITS in a row
 * (`delayMs` null when a gate's limiter already pauses every sender for retry-after); otherwise the
 * retry policy decides (shouldRetry, retryDelayMs with the provider's retry-after). Delays in ms.
 */
export function afterFailedCall({
  error,
  attempts,
  rateLimitWaits,
  policy,
  gated,
  aborted,
}: {
  error: unknown;
  attempts: number;
  rateLimitWaits: number;
  policy: RetryPolicy;
  gated: boolean;
  aborted: boolean;
}): AfterFailedCall {
  if (isAppError(error) && error.code === "rate_limited" && rateLimitWaits < MAX_RATE_LIMIT_WAITS) {
    return { action: "rate_limit_wait", delayMs: gated ? null : retryDelayMs(1, (error.detail.retryAfterMs as number | undefined) ?? undefined, policy, Math.random, error) };
  }
  if (shouldRetry(error, attempts, policy) && !aborted) {
    const retryAfterMs = isAppError(error) ? ((error.detail.retryAfterMs as number | null | undefined) ?? undefined) : undefined;
    return { action: "retry", delayMs: retryDelayMs(attempts, retryAfterMs, policy, Math.random, error) };
  }
  return { action: "give_up" };
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Generates and stores one conversation. Never throws for a generation problem: the outcome says
 * `failed` and the conversation row holds the error. Throws only when the database itself fails.
 */
export async function generateConversation(options: GenerateConversationOptions): Promise<GenerationOutcome> {
  const { db, id, runId, provider, model } = options;
  const policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const sleep = options.sleep ?? defaultSleep;
  const started = performance.now();
  const usage = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
  let providerMs = 0;
  let attempts = 0;

  const resolved = await resolveConversationPrompt({ db, id });
  const humanId = resolved.humanId;

  const fail = async (error: unknown, rawReply: string | null): Promise<GenerationOutcome> => {
    const plain = await failConversation({ db, id, runId, providerName: provider.name, model, error, rawReply, usage, finishInTransaction: options.finishInTransaction });
    return { conversationId: humanId, status: "failed", qualityScore: null, judgeScore: null, error: plain, attempts, usage, durationMs: performance.now() - started, providerMs };
  };

  // 1. Template and parameters: fail fast, before any API call.
  if (!resolved.ok) return fail(resolved.error, null);
  const { context, template, parameters, prompt } = resolved;

  // 2. Call the model, retrying what is worth retrying.
  const requestSummary = {
    model,
    system: template.version.systemPrompt,
    messages: [{ role: "user", content: prompt }],
    max_tokens: template.version.maxTokens,
    temperature: template.version.temperature,
  };
  let rateLimitWaits = 0;
  const estimatedInputTokens = Math.ceil((template.version.systemPrompt.length + prompt.length) / 4);
  const cancelled = () => new AppError("cancelled", "Generation was cancelled.", { retryable: false });
  for (;;) {
    if (options.signal?.aborted) throw cancelled();
    attempts += 1;
    // The gate may wait (rate limits) or refuse (spending limit): refusal interrupts the conversation.
    const ticket = options.gate ? await options.gate.beforeCall({ inputTokens: estimatedInputTokens, maxOutputTokens: template.version.maxTokens, signal: options.signal }) : null;
    const callStarted = performance.now();
    let response: GenerationResponse | null = null;
    let callError: unknown = null;
    let callCost = 0;
    try {
      response = await provider.generate({
        model,
        system: template.version.systemPrompt,
        prompt,
        cachePrefix: resolved.cachePrefix || undefined,
        maxTokens: template.version.maxTokens,
        temperature: template.version.temperature,
        signal: options.signal,
        context,
      });
      callCost = costUsd(
        {
          model: response.model || model,
          inputTokens: response.inputTokens,
          outputTokens: response.outputTokens,
          cacheWriteTokens: response.cacheWriteTokens ?? 0,
          cacheReadTokens: response.cacheReadTokens ?? 0,
        },
        options.priceOverrides,
      );
    } catch (error) {
      callError = options.signal?.aborted ? cancelled() : error;
    }
    const callMs = performance.now() - callStarted;
    providerMs += callMs;
    if (response) {
      usage.inputTokens += response.inputTokens;
      usage.outputTokens += response.outputTokens;
      usage.costUsd += callCost;
    }

    // 3. Use the reply: parse, validate, score.
    let turns: Turn[] | null = null;
    if (response && !callError) {
      try {
        turns = validateReply(response, template.version.maxTokens);
      } catch (error) {
        callError = error;
      }
    }
    let settled = false;
    const settleTicket = async () => {
      if (settled || !ticket) return;
      settled = true;
      await ticket.after({
        inputTokens: response?.inputTokens ?? 0,
        outputTokens: response?.outputTokens ?? 0,
        costUsd: callCost,
        headers: response?.headers ?? (isAppError(callError) ? ((callError.detail.headers as Record<string, string> | undefined) ?? {}) : {}),
        error: callError,
      });
    };
    if (turns && response) {
      const quality = scoreReply(context, turns, response);
      const reply = response;
      const finalTurns = turns;
      let judge: StoredJudgeResult | null = null;
      let callLogged = false;
      if (options.judge) {
        // The generation call's cost lands on the run before its reservation is given back (and
        // its concurrency slot freed), so the judge call's reservation sees every dollar spent.
        try {
          await logGenerationCall(options, template.template.id, template.version.version, parameters, reply, callMs, callCost, null, requestSummary);
          callLogged = true;
        } finally {
          await settleTicket();
        }
        judge = await judgeGeneratedTurns({
          target: { db, id, runId, userId: options.userId, provider: options.judge.provider, model: options.judge.model },
          provider: options.judge.provider,
          context,
          turns: finalTurns,
          gate: options.judge.gate,
          signal: options.signal,
          retryPolicy: policy,
          priceOverrides: options.priceOverrides,
          sleep,
        });
      }
      try {
        await storeGeneratedReply({
          target: options,
          templateId: template.template.id,
          templateVersion: template.version.version,
          parameters,
          reply,
          callMs,
          callCost,
          requestSummary,
          turns: finalTurns,
          quality,
          usage,
          judge,
          callLogged,
          finishInTransaction: options.finishInTransaction,
        });
      } finally {
        await settleTicket();
      }
      return { conversationId: humanId, status: "generated", qualityScore: quality.score, judgeScore: judge?.score ?? null, error: null, attempts, usage, durationMs: performance.now() - started, providerMs };
    }

    try {
      await logGenerationCall(options, template.template.id, template.version.version, parameters, response, callMs, callCost, callError, requestSummary);
    } finally {
      await settleTicket();
    }
    // Not a failure of this conversation: hand it back to the worker (its calls' cost is on the run already).
    if (isInterruption(callError)) throw callError;
    // With a gate, its limiter already paused every sender for retry-after; without one, wait here.
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
    return fail(callError, response?.text ?? null);
  }
}

/** What a generation_logs row and a stored conversation are attributed to. */
export interface CallTarget {
  db: Database;
  /** conversations.id (uuid). */
  id: string;
  runId: string;
  userId: string;
  provider: Pick<LlmProvider, "name">;
  model: string;
  /** What the calls logged for this target are (generation_logs.kind); "generate" by default. */
  logKind?: GenerationLogKind;
}

type ResolvedTemplate = NonNullable<Awaited<ReturnType<typeof getTemplateWithCurrentVersionById>>>;

/** A conversation's prompt, resolved from the database, or why it cannot be generated. */
export type ResolvedConversationPrompt =
  | {
      ok: true;
      humanId: string;
      context: GenerationContext;
      template: ResolvedTemplate;
      parameters: Record<string, string>;
      prompt: string;
      /** The start of `prompt` shared by every conversation of this template (cacheable). */
      cachePrefix: string;
    }
  | { ok: false; humanId: string; error: unknown };

/** A conversation's generation context and template parameters, resolved from the database. */
export interface ResolvedConversationParameters {
  /** Human id ("tmpl-001"). */
  humanId: string;
  workspaceId: string;
  tier: GenerationContext["tier"];
  /** prompt_templates.id the conversation names, or null (then the tier's default template is used). */
  templateId: string | null;
  context: GenerationContext;
  /** buildTemplateParameters(context): every placeholder's value, "" when empty. */
  parameters: Record<string, string>;
}

/**
 * Resolves one conversation's parameters the way generation does: its joined rows →
 * buildGenerationContext (with the workspace's business name and training system prompt) →
 * buildTemplateParameters. Used by generation and by the template preview / test (issue 11).
 *
 * @throws AppError `conversation_not_found` when `id` does not exist; database errors
 */
export async function resolveConversationParameters({ db, id }: { db: Database; id: string }): Promise<ResolvedConversationParameters> {
  const inputs = await getGenerationInputsById({ db, id });
  if (!inputs) throw new AppError("conversation_not_found", `Conversation ${id} does not exist.`);
  const workspaceId = inputs.conversation.workspaceId;
  const workspace = await getWorkspace({ db, workspaceId });
  const context = buildGenerationContext(inputs, workspace);
  return {
    humanId: inputs.conversation.conversationId,
    workspaceId,
    tier: inputs.conversation.tier,
    templateId: inputs.conversation.templateId,
    context,
    parameters: buildTemplateParameters(context),
  };
}

/**
 * Resolves what one call for a conversation sends: its generation context, its template (the
 * conversation's own unless inactive, else the tier's active default: pickConversationTemplate)
 * and the rendered prompt. Makes no API call.
 *
 * @returns the prompt, or `error` (AppError `template_missing`, or a template rendering error)
 * @throws AppError `conversation_not_found` when `id` does not exist; database errors
 */
export async function resolveConversationPrompt({ db, id }: { db: Database; id: string }): Promise<ResolvedConversationPrompt> {
  const { humanId, workspaceId, tier, templateId, context, parameters } = await resolveConversationParameters({ db, id });
  // Which template (pickConversationTemplate): its own unless inactive, else the tier's active default.
  const conversation = { templateId, tier };
  const own = templateId ? await getTemplateWithCurrentVersionById({ db, id: templateId }) : null;
  let template = own && pickConversationTemplate([own.template], conversation) ? own : null;
  if (!template) {
    const fallback = pickConversationTemplate(await listDefaultTemplates({ db, workspaceId }), conversation);
    template = fallback ? await getTemplateWithCurrentVersionById({ db, id: fallback.id }) : null;
  }
  if (!template) {
    return {
      ok: false,
      humanId,
      error: new AppError("template_missing", `There is no default prompt template for the ${tier} tier. Import a templates.json with one marked "is_default": true.`),
    };
  }
  try {
    const prompt = renderTemplate(template.version.templateText, parameters, { templateName: template.template.name }).text;
    const cachePrefix = sharedTemplatePrefix(template.version.templateText, parameters, TEMPLATE_PARAMETER_SOURCES);
    return { ok: true, humanId, context, template, parameters, prompt, cachePrefix: prompt.startsWith(cachePrefix) ? cachePrefix : "" };
  } catch (error) {
    return { ok: false, humanId, error };
  }
}

/**
 * Marks a conversation failed (keeping the raw reply and the usage so far) and counts the
 * failure on its run, in one transaction.
 *
 * @returns the error as stored (plain object)
 */
export async function failConversation(options: {
  db: Database;
  id: string;
  runId: string;
  providerName: ProviderName;
  model: string;
  error: unknown;
  rawReply: string | null;
  usage: { inputTokens: number; outputTokens: number; costUsd: number };
  /** Runs in the same transaction, last (see GenerateConversationOptions). */
  finishInTransaction?: FinishInTransaction;
}): Promise<ReturnType<typeof toPlainError>> {
  const plain = toPlainError(options.error);
  await options.db.transaction(async (tx) => {
    await markConversationFailed({ db: tx, id: options.id, error: plain, rawReply: options.rawReply, usage: { ...options.usage, provider: options.providerName, model: options.model } });
    await incrementRunCounters({ db: tx, id: options.runId, succeeded: false });
    await options.finishInTransaction?.(tx as unknown as Database, { succeeded: false });
  });
  return plain;
}

/**
 * The quality score of a parsed reply (docs/quality.md), from the conversation's context: persona,
 * emotional arc, topic with its key terms, intent, tone and tier, and the provider's stop reason.
 */
export function scoreReply(context: GenerationContext, turns: Turn[], response: Pick<GenerationResponse, "stopReason" | "truncated">) {
  return scoreConversation({ ...qualityInputFor(context, turns), stopReason: response.stopReason, truncated: response.truncated });
}

/** What the quality score needs of a conversation's generation context: its turns and what it was asked to be. */
export function qualityInputFor(context: GenerationContext, turns: Turn[]) {
  return {
    turns,
    persona: { name: context.persona.name, description: context.persona.description },
    topic: { name: context.topic.name, keyTerms: context.topic.keyTerms },
    emotion: { name: context.emotionalArc.name, startingEmotion: context.emotionalArc.startingEmotion, endingEmotion: context.emotionalArc.endingEmotion },
    intent: context.intent.name,
    tone: context.tone.name,
    tier: context.tier,
  };
}

/**
 * Validates a reply the way every call's reply is validated: a truncated reply is a retryable
 * `truncated_response`; anything not the conversation JSON is a `malformed_response`.
 *
 * @param maxTokens the request's reply cap (named in the message)
 * @returns the turns
 * @throws AppError truncated_response / malformed_response
 */
export function validateReply(response: Pick<GenerationResponse, "text" | "truncated" | "stopReason">, maxTokens: number): Turn[] {
  if (response.truncated) {
    throw new AppError(
      "truncated_response",
      `The model stopped at the ${maxTokens}-token limit before finishing the conversation. If it keeps happening, raise max_tokens in the template or ask for fewer turns.`,
      { retryable: true, detail: { stopReason: response.stopReason } },
    );
  }
  return parseConversationReply(response.text);
}

/**
 * Stores a usable reply in one transaction: its generation_logs row (which adds the call's usage
 * to the run), the conversation's turns, score and usage, and the run's success counter.
 *
 * @param options.usage the conversation's usage over all its calls (tokens, USD)
 * @param options.extraParameters merged into the log row's `parameters` (e.g. the batch ids)
 */
export async function storeGeneratedReply(options: {
  target: CallTarget;
  templateId: string;
  templateVersion: number;
  parameters: Record<string, string>;
  reply: GenerationResponse;
  callMs: number;
  callCost: number;
  requestSummary: Record<string, unknown>;
  turns: Turn[];
  quality: ReturnType<typeof scoreConversation>;
  usage: { inputTokens: number; outputTokens: number; costUsd: number };
  extraParameters?: Record<string, unknown>;
  /** The judge's verdict (or failure) to store beside the structural score; null/absent = not judged. */
  judge?: StoredJudgeResult | null;
  /** True when the reply's generation_logs row was already written (the judge ran first); it is not written again. */
  callLogged?: boolean;
  /** Runs in the same transaction, last (see GenerateConversationOptions). */
  finishInTransaction?: FinishInTransaction;
}): Promise<void> {
  const { target, reply, quality, usage } = options;
  await target.db.transaction(async (tx) => {
    if (!options.callLogged) await logGenerationCall({ ...target, db: tx as Database }, options.templateId, options.templateVersion, options.parameters, reply, options.callMs, options.callCost, null, options.requestSummary, options.extraParameters);
    await saveGeneratedConversation({
      db: tx,
      id: target.id,
      values: {
        turns: options.turns,
        qualityScore: quality.score,
        qualityBreakdown: quality as unknown as Record<string, unknown>,
        judgeScore: options.judge?.score ?? null,
        judgeBreakdown: (options.judge as unknown as Record<string, unknown> | null | undefined) ?? null,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        costUsd: usage.costUsd,
        provider: target.provider.name,
        model: reply.model || target.model,
        templateVersion: options.templateVersion,
      },
    });
    await incrementRunCounters({ db: tx, id: target.runId, succeeded: true });
    await options.finishInTransaction?.(tx as unknown as Database, { succeeded: true });
  });
}

/**
 * Writes one generation_logs row for a call and adds the call's usage to its run, so the run's
 * cost always equals the sum of its logs (used by the live pipeline and by batch ingest).
 */
export async function logGenerationCall(
  options: CallTarget,
  templateId: string | null,
  templateVersion: number | null,
  parameters: Record<string, string>,
  response: GenerationResponse | null,
  durationMs: number,
  callCostUsd: number,
  error: unknown,
  request: Record<string, unknown>,
  extraParameters?: Record<string, unknown>,
): Promise<void> {
  const plain = error ? toPlainError(error) : null;
  await insertGenerationLog({
    db: options.db,
    values: {
      conversationId: options.id,
      runId: options.runId,
      kind: options.logKind ?? "generate",
      templateId,
      templateVersion,
      provider: options.provider.name,
      model: response?.model || options.model,
      requestPayload: (response?.rawRequest ?? request) as object,
      responsePayload: (response?.rawResponse ?? (plain?.detail.body as object | undefined) ?? null) as object | null,
      parameters: {
        template: parameters,
        request_id: response?.requestId ?? null,
        stop_reason: response?.stopReason ?? null,
        headers: response?.headers ?? {},
        // Prompt-cache tokens (billed ×1.25 written, ×read multiplier read; not in inputTokens).
        cache: { write: response?.cacheWriteTokens ?? 0, read: response?.cacheReadTokens ?? 0 },
        ...extraParameters,
      },
      costUsd: callCostUsd,
      inputTokens: response?.inputTokens ?? 0,
      outputTokens: response?.outputTokens ?? 0,
      durationMs: Math.round(durationMs),
      errorCode: plain?.code ?? null,
      errorMessage: plain?.message ?? null,
      userId: options.userId,
    },
  });
  // Every call's usage lands on the run with its log row, so the run's cost always equals the
  // sum of its generation_logs and the spending limit sees spend as soon as it happens.
  if (response) {
    await addGenerationRunUsage({ db: options.db, id: options.runId, usage: { inputTokens: response.inputTokens, outputTokens: response.outputTokens, costUsd: callCostUsd } });
  }
}
