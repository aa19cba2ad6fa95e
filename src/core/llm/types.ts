/**
 * The one small provider interface every LLM backend implements (ARCHITECTURE.md, "Providers").
 */
import type { ProviderName } from "../../lib/constants";
import type { GenerationContext } from "../types";

/** One non-streaming request: a system prompt and a single user message (the rendered template). */
export interface GenerationRequest {
  model: string;
  /** Instructions to the generator model (from the template version's system_prompt). */
  system: string;
  /** The rendered prompt template. */
  prompt: string;
  /**
   * Optional leading part of `prompt` shared by many conversations (e.g. the template's fixed
   * text and chunk context). Providers with prompt caching (Anthropic) mark it as a cache
   * breakpoint; others ignore it. Ignored when `prompt` does not start with it.
   */
  cachePrefix?: string;
  /** Upper bound on reply tokens. */
  maxTokens: number;
  temperature: number;
  /** Aborts the HTTP call (cancel, timeout). */
  signal?: AbortSignal;
  /**
   * The resolved slot. Real providers ignore it; the `simulated` provider composes its
   * conversation from it.
   */
  context: GenerationContext;
}

/** What one call returned. `text` is the raw reply, kept even when it fails validation. */
export interface GenerationResponse {
  text: string;
  /** Provider's stop reason: "end_turn" / "max_tokens" (Anthropic), "stop" / "length" (OpenAI). */
  stopReason: string | null;
  /** Whether the reply was cut off by `maxTokens`. */
  truncated: boolean;
  /** Input tokens billed at the base rate (for Anthropic this excludes the cache tokens below). */
  inputTokens: number;
  outputTokens: number;
  /** Prompt tokens written to the provider's prompt cache (Anthropic `cache_creation_input_tokens`); 0 when absent. */
  cacheWriteTokens?: number;
  /** Prompt tokens read from the provider's prompt cache (Anthropic `cache_read_input_tokens`); 0 when absent. */
  cacheReadTokens?: number;
  /** Model the provider says answered (may differ from the requested alias). */
  model: string;
  /** Provider's request id, for support tickets. */
  requestId: string | null;
  /** The raw JSON body the provider returned, stored in generation_logs.response_payload. */
  rawResponse: unknown;
  /** The exact request body sent, stored in generation_logs.request_payload. */
  rawRequest: unknown;
  /** Response headers worth keeping (rate-limit headers), lower-case names. */
  headers: Record<string, string>;
}

export interface LlmProvider {
  readonly name: ProviderName;
  /** False only for `simulated`: it is not a language model, and says so everywhere. */
  readonly isLanguageModel: boolean;
  readonly defaultModel: string;
  /**
   * Makes one call. Throws `AppError` with a code from `LlmErrorCode` on failure; the error's
   * `detail` carries the HTTP status and the raw body when there was one.
   */
  generate(request: GenerationRequest): Promise<GenerationResponse>;
  /**
   * The models the provider offers, from its models endpoint (Anthropic `GET /v1/models`, every
   * page; OpenAI-compatible `GET {baseURL}/models`), in the provider's order. Absent on a provider
   * with no such endpoint. Throws `AppError` like `generate` (e.g. authentication_failed for 401).
   */
  listModels?(options?: { signal?: AbortSignal }): Promise<ProviderModel[]>;
}

/** One model a provider offers, as its models endpoint describes it. */
export interface ProviderModel {
  /** The id to ask for, e.g. "claude-sonnet-5-5" or "llama3.1:8b". */
  id: string;
  /** The provider's display name (Anthropic's `display_name`), when it gives one. */
  displayName: string | null;
  /** When the model was published: ISO 8601 (Anthropic's `created_at`, OpenAI's `created` in Unix seconds converted), when given. */
  createdAt: string | null;
}

/** Error codes LLM calls raise (AppError.code). */
export const LLM_ERROR_CODES = [
  "rate_limited", // 429
  "overloaded", // 529
  "server_error", // 5xx
  "timeout", // no reply within the timeout (90 s, FR10.1.1)
  "connection_error", // reset, refused, DNS
  "authentication_failed", // 401/403
  "invalid_request", // 400/404/413/422
  "malformed_response", // reply is not the conversation JSON (ARCHITECTURE.md "The conversation contract")
  "truncated_response", // reply cut at max_tokens
  "spend_limit_reached", // 429 whose error says the account's spend limit was reached
] as const;
export type LlmErrorCode = (typeof LLM_ERROR_CODES)[number];
