/**
 * Anthropic's Message Batches API through the official SDK (`client.messages.batches`): submit
 * up to 100,000 Messages requests at once, billed at 50% of the standard price, processed within
 * 24 hours (Anthropic, "Batch processing"). Results come back as JSONL matched by `custom_id`;
 * each is `succeeded`, `errored`, `canceled` or `expired`.
 */
import Anthropic from "@anthropic-ai/sdk";
import { DEFAULT_MODELS } from "../../cost/prices";
import { AppError } from "../../errors";
import { ANTHROPIC_DEFAULT_BASE_URL, buildAnthropicMessageBody, DEFAULT_LLM_TIMEOUT_MS, type PromptCachingMode } from "../anthropic-provider";
import { toLlmError } from "../errors";
import type { BatchClient, BatchItemResult, BatchRequestItem, BatchStatus } from "./types";

export interface AnthropicBatchClientOptions {
  apiKey: string;
  /** API root without `/v1` (ANTHROPIC_BASE_URL); defaults to https://api.anthropic.com. */
  baseURL?: string;
  /** Model used when a request names none. */
  model?: string;
  /** Per-HTTP-call timeout in ms (submit, poll, download); 90 000 by default. */
  timeoutMs?: number;
  /** Prompt caching of each request body, as for live calls (see `buildAnthropicMessageBody`). */
  promptCaching?: PromptCachingMode;
}

/** Anthropic's `error.type` of an errored batch result → AppError code and whether to resubmit. */
const ERROR_TYPES: Record<string, { code: string; retryable: boolean }> = {
  rate_limit_error: { code: "rate_limited", retryable: true },
  overloaded_error: { code: "overloaded", retryable: true },
  api_error: { code: "server_error", retryable: true },
  timeout_error: { code: "timeout", retryable: true },
  authentication_error: { code: "authentication_failed", retryable: false },
  permission_error: { code: "authentication_failed", retryable: false },
  billing_error: { code: "spend_limit_reached", retryable: false },
  invalid_request_error: { code: "invalid_request", retryable: false },
  not_found_error: { code: "invalid_request", retryable: false },
  request_too_large: { code: "invalid_request", retryable: false },
};

/**
 * Creates a BatchClient for Anthropic's Message Batches API.
 *
 * - `submit` → `POST /v1/messages/batches` with one `{custom_id, params}` per item; params are
 *   the same Messages body a live call sends (`buildAnthropicMessageBody`, prompt caching included).
 * - `retrieve` → `GET /v1/messages/batches/{id}`; ended when `processing_status` is "ended".
 * - `cancel` → `POST /v1/messages/batches/{id}/cancel`.
 * - `results` → the batch's `results_url` (JSONL), each line mapped to a BatchItemResult; a
 *   succeeded line becomes a GenerationResponse like a live call's (usage, cache tokens, stop reason).
 *
 * @throws (from every method) AppError mapped by `toLlmError`
 */
export function createAnthropicBatchClient(options: AnthropicBatchClientOptions): BatchClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS;
  const baseURL = options.baseURL ?? ANTHROPIC_DEFAULT_BASE_URL;
  const client = new Anthropic({ apiKey: options.apiKey, baseURL, maxRetries: 0, timeout: timeoutMs });
  const defaultModel = options.model ?? DEFAULT_MODELS.anthropic;
  const mapError = (error: unknown) => toLlmError(error, { provider: "anthropic", timeoutMs, baseURL });
  const bodyOf = (item: BatchRequestItem) => buildAnthropicMessageBody(item.request, item.request.model || defaultModel, options.promptCaching ?? "auto");

  return {
    provider: "anthropic",
    async submit(items) {
      try {
        const batch = await client.messages.batches.create({ requests: items.map((item) => ({ custom_id: item.customId, params: bodyOf(item) })) });
        return { id: batch.id, raw: batch };
      } catch (error) {
        throw mapError(error);
      }
    },
    async retrieve(batchId): Promise<BatchStatus> {
      try {
        const batch = await client.messages.batches.retrieve(batchId);
        return { id: batch.id, state: batch.processing_status === "ended" ? "ended" : "in_progress", providerStatus: batch.processing_status, raw: batch };
      } catch (error) {
        throw mapError(error);
      }
    },
    async cancel(batchId) {
      try {
        await client.messages.batches.cancel(batchId);
      } catch (error) {
        throw mapError(error);
      }
    },
    async results(batchId, requests): Promise<BatchItemResult[]> {
      const bodies = new Map(requests.map((item) => [item.customId, bodyOf(item)]));
      const out: BatchItemResult[] = [];
      try {
        const stream = await client.messages.batches.results(batchId);
        for await (const line of stream) {
          const { custom_id: customId, result } = line;
          if (result.type === "succeeded") {
            const message = result.message;
            const stopReason = message.stop_reason ?? null;
            out.push({
              customId,
              type: "succeeded",
              response: {
                text: message.content
                  .filter((block): block is Anthropic.TextBlock => block.type === "text")
                  .map((block) => block.text)
                  .join(""),
                stopReason,
                truncated: stopReason === "max_tokens" || stopReason === "model_context_window_exceeded",
                inputTokens: message.usage?.input_tokens ?? 0,
                outputTokens: message.usage?.output_tokens ?? 0,
                cacheWriteTokens: message.usage?.cache_creation_input_tokens ?? 0,
                cacheReadTokens: message.usage?.cache_read_input_tokens ?? 0,
                model: message.model,
                requestId: message.id,
                rawResponse: line,
                rawRequest: bodies.get(customId) ?? null,
                headers: {},
              },
            });
          } else if (result.type === "errored") {
            const type = result.error?.error?.type ?? "api_error";
            const known = ERROR_TYPES[type] ?? { code: "server_error", retryable: true };
            out.push({
              customId,
              type: "errored",
              error: new AppError(known.code, `Anthropic could not process this batch request: ${result.error?.error?.message ?? type}.`, {
                retryable: known.retryable,
                detail: { provider: "anthropic", batchId, customId, errorType: type, body: result.error },
              }),
              raw: line,
            });
          } else {
            out.push({ customId, type: result.type, raw: line });
          }
        }
      } catch (error) {
        throw mapError(error);
      }
      return out;
    },
  };
}
