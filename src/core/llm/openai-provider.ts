/**
 * The `openai` provider: one non-streaming Chat Completions call per conversation through the
 * official `openai` SDK, against OpenAI or any OpenAI-compatible server (vLLM, Ollama,
 * llama.cpp, LM Studio). SDK retries are off: the job layer owns retries.
 */
import OpenAI from "openai";
import { DEFAULT_MODELS } from "../cost/prices";
import { DEFAULT_LLM_TIMEOUT_MS } from "./anthropic-provider";
import { pickKeptHeaders, toLlmError } from "./errors";
import type { GenerationRequest, GenerationResponse, LlmProvider, ProviderModel } from "./types";

/** OpenAI's public API root (with `/v1`); used when no base URL is given. */
export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

/** The request field that carries the reply-length cap. */
export type TokenLimitField = "max_completion_tokens" | "max_tokens";

export const TOKEN_LIMIT_FIELDS = ["max_completion_tokens", "max_tokens"] as const satisfies readonly TokenLimitField[];

export interface OpenAIProviderOptions {
  /** OPENAI_API_KEY; any placeholder (e.g. "not-needed") for a local server without auth. */
  apiKey: string;
  /** API root including `/v1` (OPENAI_BASE_URL); defaults to https://api.openai.com/v1. */
  baseURL?: string;
  /** Default model id; DEFAULT_MODELS.openai when absent. */
  model?: string;
  /** Per-request timeout in ms; 90 000 by default. */
  timeoutMs?: number;
  /** Which field carries `maxTokens`; see `defaultTokenLimitField`. */
  tokenLimitField?: TokenLimitField;
}

/**
 * Which token-cap field to send. OpenAI's own API wants `max_completion_tokens` (`max_tokens` is
 * deprecated there and refused by reasoning models — openai SDK `ChatCompletionCreateParams`);
 * OpenAI-compatible servers (vLLM, Ollama, llama.cpp, LM Studio) all understand `max_tokens`,
 * and not all of them know the newer name.
 *
 * @param baseURL the base URL in use (undefined = OpenAI)
 */
export function defaultTokenLimitField(baseURL: string | undefined): TokenLimitField {
  if (baseURL === undefined) return "max_completion_tokens";
  try {
    return new URL(baseURL).hostname === "api.openai.com" ? "max_completion_tokens" : "max_tokens";
  } catch {
    return "max_tokens";
  }
}

/**
 * Whether an OpenAI model refuses a non-default `temperature`: the reasoning families (o1/o3/o4,
 * GPT-5 and later) accept only the default, per OpenAI's reasoning-model guide. Other names
 * (GPT-4.x, local models) get the requested temperature.
 *
 * @param model e.g. "gpt-5.6-luna", "llama3.1:8b"
 */
export function openAiRejectsTemperature(model: string): boolean {
  return /^(?:o\d|gpt-(?:[5-9]|\d{2,}))(?:\b|[.-])/i.test(model);
}

/**
 * Creates the OpenAI (or OpenAI-compatible) provider.
 *
 * Each `generate` call sends `POST {baseURL}/chat/completions` with a system message, a user
 * message (the rendered prompt), the token cap (`max_completion_tokens` or `max_tokens`, see
 * `defaultTokenLimitField`) and, for models that accept it, `temperature`. It returns the first
 * choice's text (its `refusal` text when the model refused), `finish_reason`, `truncated` (finish_reason "length"), prompt/completion tokens
 * (0 when a local server reports no usage), `x-request-id`, and the `x-ratelimit-*`,
 * `retry-after` and `x-request-id` headers. `request.signal` aborts the HTTP call.
 *
 * @param options API key, base URL, default model, timeout (ms), token-cap field
 * @returns an LlmProvider named "openai"
 * @throws (from generate) AppError mapped by `toLlmError`
 */
export function createOpenAIProvider(options: OpenAIProviderOptions): LlmProvider {
  const timeoutMs = options.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS;
  const baseURL = options.baseURL ?? OPENAI_DEFAULT_BASE_URL;
  const tokenLimitField = options.tokenLimitField ?? defaultTokenLimitField(options.baseURL);
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL,
    maxRetries: 0,
    timeout: timeoutMs,
  });
  const defaultModel = options.model ?? DEFAULT_MODELS.openai;

  return {
    name: "openai",
    isLanguageModel: true,
    defaultModel,
    async generate(request: GenerationRequest): Promise<GenerationResponse> {
      const model = request.model || defaultModel;
      const body: OpenAI.ChatCompletionCreateParamsNonStreaming = {
        model,
        messages: [
          { role: "system", content: request.system },
          { role: "user", content: request.prompt },
        ],
        [tokenLimitField]: request.maxTokens,
        ...(openAiRejectsTemperature(model) ? {} : { temperature: request.temperature }),
      };

      try {
        const { data, response, request_id } = await client.chat.completions
          .create(body, { signal: request.signal, timeout: timeoutMs })
          .withResponse();
        const choice = data.choices?.[0];
        const stopReason = choice?.finish_reason ?? null;
        return {
          // A refusal has no content; keep its wording as the raw reply so a reviewer sees why.
          text: choice?.message?.content ?? choice?.message?.refusal ?? "",
          stopReason,
          truncated: stopReason === "length",
          inputTokens: data.usage?.prompt_tokens ?? 0,
          outputTokens: data.usage?.completion_tokens ?? 0,
          model: data.model ?? model,
          requestId: request_id ?? null,
          rawResponse: data,
          rawRequest: body,
          headers: pickKeptHeaders(response.headers),
        };
      } catch (error) {
        throw toLlmError(error, { provider: "openai", timeoutMs, signal: request.signal, baseURL });
      }
    },
    async listModels({ signal } = {}): Promise<ProviderModel[]> {
      // GET {baseURL}/models (https://platform.openai.com/docs/api-reference/models/list): one
      // unpaged list; vLLM, Ollama, llama.cpp and LM Studio serve the same shape.
      const models: ProviderModel[] = [];
      try {
        for await (const model of client.models.list({ signal, timeout: timeoutMs })) {
          models.push({ id: model.id, displayName: null, createdAt: typeof model.created === "number" && model.created > 0 ? new Date(model.created * 1000).toISOString() : null });
        }
      } catch (error) {
        throw toLlmError(error, { provider: "openai", timeoutMs, signal, baseURL });
      }
      return models;
    },
  };
}
