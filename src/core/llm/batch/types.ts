/**
 * Batch mode (ARCHITECTURE.md, "Providers": batches at ×0.5): one small interface over
 * Anthropic's Message Batches API and OpenAI's Batch API, so the batch runner submits, polls and
 * ingests results the same way for both.
 */
import type { AppError } from "../../errors";
import type { GenerationRequest, GenerationResponse } from "../types";

/** The two providers with a batch API. */
export type BatchProviderName = "anthropic" | "openai";

/** One request of a batch; `customId` comes back with its result (the run item id). */
export interface BatchRequestItem {
  customId: string;
  request: GenerationRequest;
}

/** What a submitted batch is doing. */
export interface BatchStatus {
  id: string;
  /** "ended" once every request has a result (Anthropic `ended`; OpenAI completed/expired/failed/cancelled). */
  state: "in_progress" | "ended";
  /** The provider's own status word ("in_progress", "ended", "validating", "completed"…). */
  providerStatus: string;
  /** The provider's batch object as returned. */
  raw: unknown;
}

/**
 * One request's result. `errored` carries a typed AppError (retryable or not, like a live call's);
 * `expired` (not processed within the batch window) and `canceled` are always worth resubmitting.
 */
export type BatchItemResult =
  | { customId: string; type: "succeeded"; response: GenerationResponse }
  | { customId: string; type: "errored"; error: AppError; raw: unknown }
  | { customId: string; type: "expired" | "canceled"; raw: unknown };

export interface BatchClient {
  readonly provider: BatchProviderName;
  /**
   * Submits one batch.
   * @returns the provider's batch id
   * @throws AppError mapped like a live call's errors (see `toLlmError`)
   */
  submit(items: BatchRequestItem[]): Promise<{ id: string; raw: unknown }>;
  /** Current status of a batch. @throws AppError like `submit` */
  retrieve(batchId: string): Promise<BatchStatus>;
  /**
   * Every result of an ended batch, in any order, matched by `customId`. `requests` are the items
   * submitted (their bodies are kept as each response's `rawRequest`).
   * @throws AppError like `submit`
   */
  results(batchId: string, requests: BatchRequestItem[]): Promise<BatchItemResult[]>;
  /**
   * Asks the provider to cancel a batch (Anthropic `POST /v1/messages/batches/{id}/cancel`, OpenAI
   * `POST /v1/batches/{id}/cancel`). The batch then ends; requests already processed keep their
   * results (and are billed), the rest end as canceled or without a result.
   * @throws AppError like `submit`
   */
  cancel(batchId: string): Promise<void>;
}
