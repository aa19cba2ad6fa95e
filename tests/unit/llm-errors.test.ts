import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors";
import { claudeRejectsTemperature } from "../../src/core/llm/anthropic-provider";
import { retryAfterMsFrom, toLlmError } from "../../src/core/llm/errors";
import { defaultTokenLimitField, openAiRejectsTemperature } from "../../src/core/llm/openai-provider";

const anthropicContext = { provider: "anthropic" as const, timeoutMs: 90_000 };
const openaiContext = { provider: "openai" as const, timeoutMs: 90_000 };

function anthropicError(status: number, error: { type: string; message: string; details?: Record<string, unknown> }, headers: Record<string, string> = {}) {
  return Anthropic.APIError.generate(status, { type: "error", error, request_id: "req_1" }, undefined, new Headers({ "request-id": "req_1", ...headers }));
}

function openaiError(status: number, error: { message: string; type: string; code?: string }, headers: Record<string, string> = {}) {
  return OpenAI.APIError.generate(status, { error: { param: null, code: null, ...error } }, undefined, new Headers({ "x-request-id": "req_2", ...headers }));
}

describe("toLlmError", () => {
  it("passes an AppError through unchanged", () => {
    const original = new AppError("malformed_response", "bad", { retryable: true });
    expect(toLlmError(original, anthropicContext)).toBe(original);
  });

  it("recognises Anthropic spend-limit error codes and billing errors", () => {
    const coded = toLlmError(
      anthropicError(429, { type: "rate_limit_error", message: "Limit reached.", details: { error_code: "contract_spend_limit_reached" } }),
      anthropicContext,
    );
    expect(coded).toMatchObject({ code: "spend_limit_reached", retryable: false });
    expect(coded.detail).toMatchObject({ status: 429, errorCode: "contract_spend_limit_reached", requestId: "req_1" });

    const worded = toLlmError(anthropicError(429, { type: "rate_limit_error", message: "You have reached your specified API usage limits." }), anthropicContext);
    expect(worded.code).toBe("spend_limit_reached");

    const billing = toLlmError(anthropicError(402, { type: "billing_error", message: "Your credit balance is too low." }), anthropicContext);
    expect(billing).toMatchObject({ code: "spend_limit_reached", retryable: false });
  });

  it("keeps an ordinary or ramp-limit 429 retryable", () => {
    const ramp = toLlmError(
      anthropicError(429, { type: "rate_limit_error", message: "Ramp limit.", details: { error_code: "ramp_limit_exceeded" } }, { "retry-after": "3" }),
      anthropicContext,
    );
    expect(ramp).toMatchObject({ code: "rate_limited", retryable: true });
    expect(ramp.detail.retryAfterMs).toBe(3000);

    const perMinuteQuota = toLlmError(openaiError(429, { message: "Quota exceeded for requests per minute.", type: "requests" }), openaiContext);
    expect(perMinuteQuota.code).toBe("rate_limited");
  });

  it("recognises OpenAI's insufficient_quota", () => {
    const error = toLlmError(openaiError(429, { message: "You exceeded your current quota.", type: "insufficient_quota", code: "insufficient_quota" }), openaiContext);
    expect(error).toMatchObject({ code: "spend_limit_reached", retryable: false });
    expect(error.detail).toMatchObject({ requestId: "req_2", errorCode: "insufficient_quota" });
  });

  it("maps 403 to authentication_failed and 400/404/413/422 to invalid_request, none retryable", () => {
    expect(toLlmError(anthropicError(403, { type: "permission_error", message: "No access." }), anthropicContext)).toMatchObject({
      code: "authentication_failed",
      retryable: false,
    });
    for (const status of [400, 404, 413, 422]) {
      const error = toLlmError(openaiError(status, { message: "nope", type: "invalid_request_error" }), openaiContext);
      expect(error, String(status)).toMatchObject({ code: "invalid_request", retryable: false });
      expect(error.detail.status).toBe(status);
    }
    expect(toLlmError(openaiError(404, { message: "The model `gpt-9` does not exist", type: "invalid_request_error" }), openaiContext).message).toContain(
      "Check the model name and the base URL.",
    );
  });

  it("maps 502/504 to server_error and 408 to timeout, all retryable", () => {
    expect(toLlmError(anthropicError(504, { type: "timeout_error", message: "Gateway timeout" }), anthropicContext)).toMatchObject({ code: "server_error", retryable: true });
    expect(toLlmError(openaiError(502, { message: "Bad gateway", type: "server_error" }), openaiContext)).toMatchObject({ code: "server_error", retryable: true });
    expect(toLlmError(anthropicError(408, { type: "timeout_error", message: "Request timeout" }), anthropicContext)).toMatchObject({ code: "timeout", retryable: true });
  });

  it("maps SDK usage errors raised before sending to invalid_request", () => {
    const error = toLlmError(new Anthropic.AnthropicError("Streaming is required for operations that may take longer than 10 minutes."), anthropicContext);
    expect(error).toMatchObject({ code: "invalid_request", retryable: false });
  });
});

describe("retryAfterMsFrom", () => {
  it("prefers retry-after-ms, then reads retry-after as seconds or an HTTP date", () => {
    expect(retryAfterMsFrom(new Headers({ "retry-after-ms": "1500", "retry-after": "9" }))).toBe(1500);
    expect(retryAfterMsFrom(new Headers({ "retry-after": "2.5" }))).toBe(2500);
    const now = Date.parse("2026-11-21T10:00:00Z");
    expect(retryAfterMsFrom(new Headers({ "retry-after": "Sat, 21 Nov 2026 10:00:30 GMT" }), now)).toBe(30_000);
    expect(retryAfterMsFrom(new Headers({ "retry-after": "soon" }))).toBeNull();
    expect(retryAfterMsFrom(new Headers())).toBeNull();
  });
});

describe("model-specific request rules", () => {
  it("knows which Claude models reject temperature", () => {
    for (const model of ["claude-sonnet-5-5", "claude-sonnet-5", "claude-opus-4-7", "claude-haiku-5-5", "claude-mythos-preview", "claude-fable-5-1"]) {
      expect(claudeRejectsTemperature(model), model).toBe(true);
    }
    for (const model of ["claude-sonnet-4-6", "claude-opus-4-6", "claude-haiku-4-5-20251001", "claude-sonnet-4-5-20250929", "claude-3-5-haiku"]) {
      expect(claudeRejectsTemperature(model), model).toBe(false);
    }
  });

  it("knows which OpenAI models reject temperature", () => {
    for (const model of ["gpt-5", "gpt-5.6-luna", "gpt-6-luna", "o3", "o4-mini"]) expect(openAiRejectsTemperature(model), model).toBe(true);
    for (const model of ["gpt-4.1-mini", "gpt-4o", "llama3.1:8b", "qwen2.5-7b-instruct"]) expect(openAiRejectsTemperature(model), model).toBe(false);
  });

  it("sends max_completion_tokens to OpenAI and max_tokens to compatible servers", () => {
    expect(defaultTokenLimitField(undefined)).toBe("max_completion_tokens");
    expect(defaultTokenLimitField("https://api.openai.com/v1")).toBe("max_completion_tokens");
    expect(defaultTokenLimitField("http://localhost:11434/v1")).toBe("max_tokens");
  });
});
