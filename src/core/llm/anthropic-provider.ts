/**
 * The `anthropic` provider: one non-streaming Messages API call per conversation through the
 * official `@anthropic-ai/sdk`, with the SDK's own retries off (the job layer owns retries).
 */
import Anthropic from "@anthropic-ai/sdk";
import { DEFAULT_MODELS } from "../cost/prices";
import { pickKeptHeaders, toLlmError } from "./errors";
import type { GenerationRequest, GenerationResponse, LlmProvider, ProviderModel } from "./types";

/** Anthropic's public API root; used when no base URL is given, so the SDK never reads it from process.env. */
export const ANTHROPIC_DEFAULT_BASE_URL = "https://api.anthropic.com";

/** Per-request timeout, ms: "Timeout after 90 seconds with retry option" (FR10.1.1). */
export const DEFAULT_LLM_TIMEOUT_MS = 90_000;

export interface AnthropicProviderOptions {
  /** An Anthropic API key (ANTHROPIC_API_KEY). */
  apiKey: string;
  /** API root without `/v1` (ANTHROPIC_BASE_URL); defaults to https://api.anthropic.com. */
  baseURL?: string;
  /** Default model id; DEFAULT_MODELS.anthropic when absent. */
  model?: string;
  /** Per-request timeout in ms; 90 000 by default. */
  timeoutMs?: number;
  /**
   * Prompt caching (see `buildAnthropicMessageBody`): "auto" (default) marks the shared prefix
   * with `cache_control` once it is long enough to be cacheable, "always" marks it whatever its
   * length, "off" never does.
   */
  promptCaching?: PromptCachingMode;
}

/** How the Anthropic provider uses prompt caching. */
export type PromptCachingMode = "auto" | "always" | "off";

/**
 * The smallest prompt prefix Anthropic caches, in tokens. The minimum depends on the model
 * (Anthropic, "Prompt caching" → "Cache limitations"): 1024 tokens for Claude Sonnet 4.5 / 4,
 * Opus 4.1 / 4 and Sonnet 3.7; 2048 for Sonnet 4.6 and Haiku 3.5 / 3; 4096 for Opus 4.5 / 4.6 and
 * Haiku 4.5. A shorter prefix marked with `cache_control` is not an error: the API simply
 * processes it uncached (both cache usage fields are 0), which is expected for short prompts.
 * This is the smallest of those minimums.
 */
export const ANTHROPIC_MIN_CACHEABLE_TOKENS = 1024;

/**
 * Characters per token assumed when deciding, before the call, whether a prefix may reach
 * ANTHROPIC_MIN_CACHEABLE_TOKENS. Deliberately low (English averages about 4), so a prefix that
 * could be cacheable is always marked; marking one that is too short costs nothing.
 */
const CONSERVATIVE_CHARS_PER_TOKEN = 3;

const EPHEMERAL: Anthropic.CacheControlEphemeral = { type: "ephemeral" };

/**
 * The Messages API body for one request, with prompt caching applied.
 *
 * Caching (5-minute ephemeral breakpoints; writes billed ×1.25, reads ×0.1 — see `costUsd`):
 * - `system` is sent as one text block with `cache_control: {type: "ephemeral"}`, so the shared
 *   system prompt is cached across conversations;
 * - when `request.cachePrefix` is a leading part of `request.prompt`, the user message is sent
 *   as two text blocks, the first (the shared prefix) carrying `cache_control`, so system +
 *   prefix are cached together and only the rest is billed at the full rate.
 * With `mode: "auto"` a breakpoint is set only when the text up to it could reach
 * ANTHROPIC_MIN_CACHEABLE_TOKENS (at CONSERVATIVE_CHARS_PER_TOKEN), and otherwise the plain
 * string forms are sent, exactly as without caching: Anthropic would not cache them anyway.
 *
 * @param request the generation request
 * @param model the model id to send
 * @param mode "auto" | "always" | "off"
 * @returns a non-streaming MessageCreateParams body (also used for Message Batches items)
 */
export function buildAnthropicMessageBody(request: GenerationRequest, model: string, mode: PromptCachingMode = "auto"): Anthropic.MessageCreateParamsNonStreaming {
  const cacheable = (chars: number) => mode === "always" || (mode === "auto" && chars >= ANTHROPIC_MIN_CACHEABLE_TOKENS * CONSERVATIVE_CHARS_PER_TOKEN);
  const prefix = request.cachePrefix && request.prompt.startsWith(request.cachePrefix) ? request.cachePrefix : "";
  const cacheSystem = request.system.length > 0 && cacheable(request.system.length);
  const cachePrefix = prefix.length > 0 && cacheable(request.system.length + prefix.length);
  const rest = request.prompt.slice(prefix.length);
  const content: string | Anthropic.TextBlockParam[] = cachePrefix
    ? [{ type: "text", text: prefix, cache_control: EPHEMERAL }, ...(rest.length > 0 ? [{ type: "text" as const, text: rest }] : [])]
    : request.prompt;
  return {
    model,
    max_tokens: request.maxTokens,
    system: cacheSystem ? [{ type: "text", text: request.system, cache_control: EPHEMERAL }] : request.system,
    messages: [{ role: "user", content }],
    ...(claudeRejectsTemperature(model) ? {} : { temperature: request.temperature }),
  };
}

/**
 * Whether a Claude model rejects a non-default `temperature` (HTTP 400 "`temperature` is
 * deprecated for this model"). Per Anthropic's migration guides, every model from Claude Opus 4.7
 * on (Sonnet 5, Sonnet 5.5, Haiku 5.5, Opus 5/5.5, Fable, Mythos) takes no sampling parameters;
 * Sonnet/Opus 4.6 and older still do. Expressed as a version cutoff so new models are covered.
 *
 * @param model e.g. "claude-sonnet-5-5", "claude-haiku-4-5-20251001"
 */
export function claudeRejectsTemperature(model: string): boolean {
  const id = model.toLowerCase();
  if (id === "claude-mythos-preview") return true;
  const match = /^claude-(?:opus|sonnet|haiku|fable|mythos)-(\d+)(?:-(\d{1,2}))?(?:-\d{8})?$/.exec(id);
  if (!match) return false;
  const major = Number(match[1]);
  const minor = match[2] === undefined ? 0 : Number(match[2]);
  return major > 4 || (major === 4 && minor >= 7);
}

/**
 * Creates the Anthropic provider.
 *
 * Each `generate` call sends `POST /v1/messages` with `system`, one user message (the rendered
 * prompt), `max_tokens` and — for models that still accept it — `temperature`
 * (see `claudeRejectsTemperature`), with prompt-caching breakpoints on the shared prefix (see
 * `buildAnthropicMessageBody`; prompts shorter than Anthropic's minimum cacheable length,
 * ANTHROPIC_MIN_CACHEABLE_TOKENS = 1024–4096 tokens by model, are not cached by the API and that
 * is expected). It returns the concatenated text blocks, `stop_reason`,
 * `truncated` (stop_reason "max_tokens" or "model_context_window_exceeded"), input/output
 * tokens and cache write/read tokens from `usage`, the `request-id`, and the `anthropic-ratelimit-*`, `retry-after` and
 * `request-id` headers. `request.signal` aborts the HTTP call.
 *
 * @param options API key, base URL, default model, timeout (ms)
 * @returns an LlmProvider named "anthropic"
 * @throws (from generate) AppError mapped by `toLlmError`: rate_limited, spend_limit_reached,
 *   overloaded, server_error, timeout, connection_error, authentication_failed, invalid_request
 */
export function createAnthropicProvider(options: AnthropicProviderOptions): LlmProvider {
  const timeoutMs = options.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS;
  const baseURL = options.baseURL ?? ANTHROPIC_DEFAULT_BASE_URL;
  const client = new Anthropic({
    apiKey: options.apiKey,
    baseURL,
    maxRetries: 0,
    timeout: timeoutMs,
  });
  const defaultModel = options.model ?? DEFAULT_MODELS.anthropic;

  return {
    name: "anthropic",
    isLanguageModel: true,
    defaultModel,
    async generate(request: GenerationRequest): Promise<GenerationResponse> {
      const model = request.model || defaultModel;
      const body = buildAnthropicMessageBody(request, model, options.promptCaching ?? "auto");

      try {
        const { data, response, request_id } = await client.messages
          .create(body, { signal: request.signal, timeout: timeoutMs })
          .withResponse();
        const text = data.content
          .filter((block): block is Anthropic.TextBlock => block.type === "text")
          .map((block) => block.text)
          .join("");
        const stopReason = data.stop_reason ?? null;
        return {
          text,
          stopReason,
          truncated: stopReason === "max_tokens" || stopReason === "model_context_window_exceeded",
          inputTokens: data.usage?.input_tokens ?? 0,
          outputTokens: data.usage?.output_tokens ?? 0,
          cacheWriteTokens: data.usage?.cache_creation_input_tokens ?? 0,
          cacheReadTokens: data.usage?.cache_read_input_tokens ?? 0,
          model: data.model ?? model,
          requestId: request_id ?? response.headers.get("request-id"),
          rawResponse: data,
          rawRequest: body,
          headers: pickKeptHeaders(response.headers),
        };
      } catch (error) {
        throw toLlmError(error, { provider: "anthropic", timeoutMs, signal: request.signal, baseURL });
      }
    },
    async listModels({ signal } = {}): Promise<ProviderModel[]> {
      // GET /v1/models (https://docs.anthropic.com/en/api/models-list): newest first, paged by
      // after_id; the SDK's async iterator follows has_more / last_id through every page.
      const models: ProviderModel[] = [];
      try {
        for await (const model of client.models.list({ limit: MODELS_PAGE_SIZE }, { signal, timeout: timeoutMs })) {
          models.push({ id: model.id, displayName: model.display_name ?? null, createdAt: model.created_at ?? null });
        }
      } catch (error) {
        throw toLlmError(error, { provider: "anthropic", timeoutMs, signal, baseURL });
      }
      return models;
    },
  };
}

/** Models asked for per page of GET /v1/models (Anthropic allows 1–1000, default 20). */
const MODELS_PAGE_SIZE = 100;
