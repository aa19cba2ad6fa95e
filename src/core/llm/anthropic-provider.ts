/**
 * The `anthropic` provider: one non-streaming Messages API call per conversation through the
 * official `@anthropic-ai/sdk`, with the SDK's own retries off (the job layer owns retries).
 */
import Anthropic from "@anthropic-ai/sdk";
import { DEFAULT_MODELS } from "../cost/prices";
import { pickKeptHeaders, toLlmError } from "./errors";
import type { GenerationRequest, GenerationResponse, LlmProvider } from "./types";

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
 * (see `claudeRejectsTemperature`). It returns the concatenated text blocks, `stop_reason`,
 * `truncated` (stop_reason "max_tokens" or "model_context_window_exceeded"), input/output
 * tokens from `usage`, the `request-id`, and the `anthropic-ratelimit-*`, `retry-after` and
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
      const body: Anthropic.MessageCreateParamsNonStreaming = {
        model,
        max_tokens: request.maxTokens,
        system: request.system,
        messages: [{ role: "user", content: request.prompt }],
        ...(claudeRejectsTemperature(model) ? {} : { temperature: request.temperature }),
      };

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
  };
}
