/**
 * OpenAI's Batch API through the official SDK: the requests are uploaded as a JSONL file
 * (`client.files.create`, purpose "batch"), a batch is created on `/v1/chat/completions` with a
 * 24 h completion window (`client.batches.create`), polled (`client.batches.retrieve`), and its
 * output and error files are read (`client.files.content`). Billed at 50% of the standard price
 * (OpenAI, "Batch API"). Requests not done when the window closes come back in the error file with
 * error code "batch_expired".
 */
import OpenAI, { toFile } from "openai";
import { DEFAULT_MODELS } from "../../cost/prices";
import { AppError } from "../../errors";
import { DEFAULT_LLM_TIMEOUT_MS } from "../anthropic-provider";
import { toLlmError } from "../errors";
import { defaultTokenLimitField, OPENAI_DEFAULT_BASE_URL, openAiRejectsTemperature, type TokenLimitField } from "../openai-provider";
import type { BatchClient, BatchItemResult, BatchRequestItem, BatchStatus } from "./types";

export interface OpenAIBatchClientOptions {
  apiKey: string;
  /** API root including `/v1` (OPENAI_BASE_URL); defaults to https://api.openai.com/v1. */
  baseURL?: string;
  model?: string;
  /** Per-HTTP-call timeout in ms; 90 000 by default. */
  timeoutMs?: number;
  tokenLimitField?: TokenLimitField;
}

/** Batch states after which no request will be processed any more. */
const ENDED = new Set(["completed", "failed", "expired", "cancelled"]);

/** One line of a Batch API output or error file. */
interface OutputLine {
  id?: string;
  custom_id: string;
  response: { status_code: number; request_id?: string; body: unknown } | null;
  error: { code?: string | null; message?: string | null } | null;
}

/**
 * Creates a BatchClient for OpenAI's Batch API (see the module comment for the calls).
 * Each request line is `{custom_id, method: "POST", url: "/v1/chat/completions", body}` with the
 * same body a live call sends. A result with `status_code` 200 becomes a GenerationResponse; an
 * error code "batch_expired" is `expired`; any other error is `errored` with an AppError coded by
 * HTTP status (429 rate_limited, 5xx server_error: retryable; 401/403, other 4xx: not).
 *
 * @throws (from every method) AppError mapped by `toLlmError`
 */
export function createOpenAIBatchClient(options: OpenAIBatchClientOptions): BatchClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS;
  const baseURL = options.baseURL ?? OPENAI_DEFAULT_BASE_URL;
  const tokenLimitField = options.tokenLimitField ?? defaultTokenLimitField(options.baseURL);
  const client = new OpenAI({ apiKey: options.apiKey, baseURL, maxRetries: 0, timeout: timeoutMs });
  const defaultModel = options.model ?? DEFAULT_MODELS.openai;
  const mapError = (error: unknown) => toLlmError(error, { provider: "openai", timeoutMs, baseURL });
  const bodyOf = (item: BatchRequestItem): OpenAI.ChatCompletionCreateParamsNonStreaming => {
    const model = item.request.model || defaultModel;
    return {
      model,
      messages: [
        { role: "system", content: item.request.system },
        { role: "user", content: item.request.prompt },
      ],
      [tokenLimitField]: item.request.maxTokens,
      ...(openAiRejectsTemperature(model) ? {} : { temperature: item.request.temperature }),
    };
  };
  const readFile = async (fileId: string | undefined | null): Promise<OutputLine[]> => {
    if (!fileId) return [];
    const text = await (await client.files.content(fileId)).text();
    return text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as OutputLine);
  };

  return {
    provider: "openai",
    async submit(items) {
      try {
        const jsonl = items.map((item) => JSON.stringify({ custom_id: item.customId, method: "POST", url: "/v1/chat/completions", body: bodyOf(item) })).join("\n");
        const file = await client.files.create({ file: await toFile(Buffer.from(`${jsonl}\n`, "utf8"), "brightrun-batch.jsonl", { type: "application/jsonl" }), purpose: "batch" });
        const batch = await client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
        return { id: batch.id, raw: batch };
      } catch (error) {
        throw mapError(error);
      }
    },
    async retrieve(batchId): Promise<BatchStatus> {
      try {
        const batch = await client.batches.retrieve(batchId);
        return { id: batch.id, state: ENDED.has(batch.status) ? "ended" : "in_progress", providerStatus: batch.status, raw: batch };
      } catch (error) {
        throw mapError(error);
      }
    },
    async cancel(batchId) {
      try {
        await client.batches.cancel(batchId);
      } catch (error) {
        throw mapError(error);
      }
    },
    async results(batchId, requests): Promise<BatchItemResult[]> {
      const bodies = new Map(requests.map((item) => [item.customId, bodyOf(item)]));
      try {
        const batch = await client.batches.retrieve(batchId);
        const lines = [...(await readFile(batch.output_file_id)), ...(await readFile(batch.error_file_id))];
        return lines.map((line): BatchItemResult => {
          const { custom_id: customId } = line;
          if (line.error?.code === "batch_expired") return { customId, type: "expired", raw: line };
          const status = line.response?.status_code ?? 0;
          if (status === 200 && !line.error) {
            const data = line.response?.body as OpenAI.ChatCompletion;
            const choice = data.choices?.[0];
            const stopReason = choice?.finish_reason ?? null;
            return {
              customId,
              type: "succeeded",
              response: {
                text: choice?.message?.content ?? choice?.message?.refusal ?? "",
                stopReason,
                truncated: stopReason === "length",
                inputTokens: data.usage?.prompt_tokens ?? 0,
                outputTokens: data.usage?.completion_tokens ?? 0,
                model: data.model,
                requestId: line.response?.request_id ?? null,
                rawResponse: line,
                rawRequest: bodies.get(customId) ?? null,
                headers: {},
              },
            };
          }
          const bodyError = (line.response?.body as { error?: { message?: string; code?: string } } | undefined)?.error;
          const message = line.error?.message ?? bodyError?.message ?? `HTTP ${status}`;
          const [code, retryable] =
            status === 429 ? ["rate_limited", true] : status >= 500 || status === 0 ? ["server_error", true] : status === 401 || status === 403 ? ["authentication_failed", false] : ["invalid_request", false];
          return {
            customId,
            type: "errored",
            error: new AppError(code as string, `OpenAI could not process this batch request: ${message}.`, {
              retryable: retryable as boolean,
              detail: { provider: "openai", batchId, customId, status, errorCode: line.error?.code ?? bodyError?.code ?? null, body: line.response?.body ?? null },
            }),
            raw: line,
          };
        });
      } catch (error) {
        throw mapError(error);
      }
    },
  };
}
