/**
 * Turns whatever the `@anthropic-ai/sdk` or `openai` SDK threw into one `AppError` with a code
 * from LLM_ERROR_CODES, a plain-English message and the right `retryable` flag, so the job layer
 * (the only retry layer: the SDKs run with `maxRetries: 0`) can decide what to do.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { AppError, isAppError } from "../errors";
import type { LlmErrorCode } from "./types";

/** The two real providers. `simulated` makes no HTTP calls and has nothing to map. */
export type HttpProviderName = "anthropic" | "openai";

export interface LlmErrorContext {
  provider: HttpProviderName;
  /** The per-request timeout that was in force, in ms (quoted in the timeout message). */
  timeoutMs: number;
  /** The caller's abort signal: tells a caller's timeout (`AbortSignal.timeout`) from a cancel. */
  signal?: AbortSignal;
  /** Base URL in use, quoted when the server cannot be reached. */
  baseURL?: string;
}

/** Codes this module adds beside LLM_ERROR_CODES: a caller cancel, and a non-SDK bug. */
export type LlmErrorMappingCode = LlmErrorCode | "cancelled" | "internal_error";

const PROVIDER_LABELS: Record<HttpProviderName, string> = {
  anthropic: "Anthropic",
  openai: "The OpenAI-compatible server",
};

const KEY_VARIABLES: Record<HttpProviderName, string> = {
  anthropic: "ANTHROPIC_API_KEY",
  openai: "OPENAI_API_KEY",
};

const BASE_URL_VARIABLES: Record<HttpProviderName, string> = {
  anthropic: "ANTHROPIC_BASE_URL",
  openai: "OPENAI_BASE_URL",
};

/**
 * Anthropic `error.details.error_code` values meaning the account may not spend more
 * (`@anthropic-ai/sdk` 1.11 ContractSpendLimitReachedError, EnforcedSpendLimitReachedError,
 * LinkedOrganizationSpendLimitReachedError).
 */
const ANTHROPIC_SPEND_LIMIT_CODES = new Set([
  "contract_spend_limit_reached",
  "enforced_spend_limit_reached",
  "linked_organization_spend_limit_reached",
]);

/** OpenAI `error.code` / `error.type` for an exhausted quota or missing billing. */
const OPENAI_SPEND_LIMIT_CODES = new Set(["insufficient_quota", "billing_hard_limit_reached", "billing_not_active"]);

/**
 * Wording of a 429 that will not clear by waiting. Deliberately not a bare "quota": several
 * OpenAI-compatible servers call their per-minute rate limits quotas.
 */
const SPEND_LIMIT_WORDING =
  /spend(?:ing)?[ _]limit|usage limit|billing|credit balance|insufficient[ _](?:quota|funds|credits?)|exceeded your current quota/i;

/** Response headers worth keeping on errors and successes: rate-limit state and ids. */
export function pickKeptHeaders(headers: Headers | undefined | null): Record<string, string> {
  const kept: Record<string, string> = {};
  if (!headers) return kept;
  headers.forEach((value, name) => {
    const key = name.toLowerCase();
    if (
      key.startsWith("anthropic-ratelimit-") ||
      key.startsWith("x-ratelimit-") ||
      key === "retry-after" ||
      key === "retry-after-ms" ||
      key === "request-id" ||
      key === "x-request-id"
    ) {
      kept[key] = value;
    }
  });
  return kept;
}

/**
 * How long the server asked us to wait, in ms: `retry-after-ms` (ms, sent by both APIs) wins,
 * else `retry-after` as seconds or an HTTP date (RFC 9110 §10.2.3). Null when absent or unreadable.
 */
export function retryAfterMsFrom(headers: Headers | undefined | null, now: number = Date.now()): number | null {
  if (!headers) return null;
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "" && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Math.round(Number(ms));
  const after = headers.get("retry-after");
  if (after === null || after.trim() === "") return null;
  const seconds = Number(after);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * Maps an error thrown by an LLM SDK call to an `AppError`.
 *
 * | what happened | code | retryable |
 * |---|---|---|
 * | 429 whose body says the spend limit / quota / billing was reached, or 402 | spend_limit_reached | no |
 * | 429 | rate_limited | yes |
 * | 529 | overloaded | yes |
 * | 5xx | server_error | yes |
 * | SDK timeout, 408, caller's AbortSignal.timeout | timeout | yes |
 * | reset, refused, DNS | connection_error | yes |
 * | 401 / 403 | authentication_failed | no (message names the env var to check) |
 * | 400 / 404 / 413 / 422 and other 4xx, SDK usage errors | invalid_request | no |
 * | caller aborted the signal | cancelled | no |
 *
 * `detail` carries `{ provider, status, body, requestId, retryAfterMs, headers, errorType,
 * errorCode }` where known; `cause` is the SDK error. An `AppError` passes through unchanged.
 *
 * @param error what the SDK threw
 * @param context provider, timeout in ms, the request's signal and base URL
 * @returns the AppError to throw; never throws itself
 */
export function toLlmError(error: unknown, context: LlmErrorContext): AppError {
  if (isAppError(error)) return error;
  const label = PROVIDER_LABELS[context.provider];
  const seconds = formatSeconds(context.timeoutMs);

  if (error instanceof Anthropic.APIUserAbortError || error instanceof OpenAI.APIUserAbortError || isAbortError(error)) {
    const reason: unknown = context.signal?.reason;
    if (reason instanceof Error && reason.name === "TimeoutError") {
      return make("timeout", `${label} did not reply before the request's deadline. This is usually temporary.`, true, context, error, {});
    }
    return make("cancelled", `The call to ${label} was cancelled before it finished.`, false, context, error, {});
  }

  if (error instanceof Anthropic.APIConnectionTimeoutError || error instanceof OpenAI.APIConnectionTimeoutError) {
    return make("timeout", `${label} did not reply within ${seconds} (the request timeout). This is usually temporary.`, true, context, error, {
      timeoutMs: context.timeoutMs,
    });
  }

  if (error instanceof Anthropic.APIConnectionError || error instanceof OpenAI.APIConnectionError) {
    const why = connectionReason(error);
    const where = context.baseURL ? ` at ${context.baseURL}` : "";
    return make(
      "connection_error",
      `Could not reach ${label}${where} (${why}). Check the network and ${BASE_URL_VARIABLES[context.provider]}; this is usually temporary.`,
      true,
      context,
      error,
      { reason: why },
    );
  }

  if (error instanceof Anthropic.APIError || error instanceof OpenAI.APIError) {
    return fromHttpError(error, context);
  }

  if (error instanceof Anthropic.AnthropicError || error instanceof OpenAI.OpenAIError) {
    // Raised by the SDK before sending (e.g. "Streaming is required…" for a huge max_tokens).
    return make("invalid_request", `${label} request could not be sent: ${error.message}`, false, context, error, {});
  }

  const message = error instanceof Error ? error.message : String(error);
  return make("internal_error", `Unexpected error while calling ${label}: ${message}`, false, context, error, {});
}

type SdkApiError = InstanceType<typeof Anthropic.APIError> | InstanceType<typeof OpenAI.APIError>;

function fromHttpError(error: SdkApiError, context: LlmErrorContext): AppError {
  const label = PROVIDER_LABELS[context.provider];
  const status = typeof error.status === "number" ? error.status : null;
  const headers = error.headers instanceof Headers ? error.headers : undefined;
  const retryAfterMs = retryAfterMsFrom(headers);
  const { apiMessage, errorType, errorCode } = describeBody(error);
  const said = apiMessage ? ` It said: "${apiMessage}"` : "";
  const extra = { status, retryAfterMs, errorType, errorCode };

  if (status === 402 || (status === 429 && isSpendLimit(apiMessage, errorType, errorCode))) {
    return make(
      "spend_limit_reached",
      `${label} refused the call because the account's spend limit or quota is used up.${said} Raise the limit or add credit, then retry the failed conversations.`,
      false,
      context,
      error,
      extra,
    );
  }
  if (status === 429) {
    const wait = retryAfterMs === null ? "" : ` It asked us to wait ${formatSeconds(retryAfterMs)}.`;
    return make("rate_limited", `${label} is rate-limiting us (HTTP 429).${wait} Slow down or wait before retrying.`, true, context, error, extra);
  }
  if (status === 529) {
    return make("overloaded", `${label} is overloaded right now (HTTP 529). This is usually temporary.`, true, context, error, extra);
  }
  if (status === 408) {
    return make("timeout", `${label} timed out while handling the request (HTTP 408). This is usually temporary.`, true, context, error, extra);
  }
  if (status !== null && status >= 500) {
    return make("server_error", `${label} had a server error (HTTP ${status}).${said} This is usually temporary.`, true, context, error, extra);
  }
  if (status === 401 || status === 403) {
    const variable = KEY_VARIABLES[context.provider];
    const what = status === 401 ? "rejected the API key" : "refused access with this API key";
    return make(
      "authentication_failed",
      `${label} ${what} (HTTP ${status}).${said} Check ${variable}${context.provider === "openai" ? " and OPENAI_BASE_URL" : ""}.`,
      false,
      context,
      error,
      extra,
    );
  }
  const statusText = status === null ? "" : ` (HTTP ${status})`;
  const hint = status === 404 ? " Check the model name and the base URL." : status === 413 ? " The prompt is too large." : "";
  return make("invalid_request", `${label} rejected the request${statusText}.${said}${hint}`, false, context, error, extra);
}

/** Reads message/type/code from either SDK's error body. */
function describeBody(error: SdkApiError): { apiMessage: string | null; errorType: string | null; errorCode: string | null } {
  if (error instanceof Anthropic.APIError) {
    return { apiMessage: error.apiMessage, errorType: error.type, errorCode: error.errorCode };
  }
  if (error instanceof OpenAI.APIError) {
    const body = error.error as { message?: unknown } | undefined;
    const apiMessage = typeof body?.message === "string" ? body.message : null;
    return { apiMessage, errorType: error.type ?? null, errorCode: typeof error.code === "string" ? error.code : null };
  }
  return { apiMessage: null, errorType: null, errorCode: null };
}

function isSpendLimit(apiMessage: string | null, errorType: string | null, errorCode: string | null): boolean {
  if (errorCode && (ANTHROPIC_SPEND_LIMIT_CODES.has(errorCode) || OPENAI_SPEND_LIMIT_CODES.has(errorCode))) return true;
  if (errorType === "billing_error" || (errorType !== null && OPENAI_SPEND_LIMIT_CODES.has(errorType))) return true;
  return apiMessage !== null && SPEND_LIMIT_WORDING.test(apiMessage);
}

/** The low-level reason behind an APIConnectionError: ECONNRESET, ECONNREFUSED, ENOTFOUND… */
function connectionReason(error: Error): string {
  const seen = new Set<unknown>();
  let current: unknown = error.cause;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") {
      const known: Record<string, string> = {
        ECONNRESET: "the connection was reset",
        ECONNREFUSED: "connection refused",
        ENOTFOUND: "host name not found",
        EAI_AGAIN: "DNS lookup failed",
        ETIMEDOUT: "the connection timed out",
        UND_ERR_SOCKET: "the server closed the connection",
      };
      return known[code] ?? code;
    }
    current = current.cause;
  }
  const cause = error.cause instanceof Error ? error.cause.message : null;
  return cause ?? error.message;
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError") && !(error instanceof Anthropic.APIError) && !(error instanceof OpenAI.APIError);
}

function make(
  code: LlmErrorMappingCode,
  message: string,
  retryable: boolean,
  context: LlmErrorContext,
  cause: unknown,
  extra: Record<string, unknown>,
): AppError {
  const sdk = cause as Partial<SdkApiError> | undefined;
  const headers = sdk?.headers instanceof Headers ? sdk.headers : undefined;
  return new AppError(code, message, {
    retryable,
    cause,
    detail: {
      provider: context.provider,
      status: null,
      body: sdk?.error ?? null,
      requestId: sdk?.requestID ?? null,
      retryAfterMs: null,
      headers: pickKeptHeaders(headers),
      sdkMessage: cause instanceof Error ? cause.message : String(cause),
      ...extra,
    },
  });
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
