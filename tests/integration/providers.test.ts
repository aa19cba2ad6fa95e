/**
 * The real `@anthropic-ai/sdk` and `openai` SDKs, wrapped in our providers, against the local
 * fake LLM server: both wire formats, success and every failure the job layer must tell apart.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors";
import { createAnthropicProvider } from "../../src/core/llm/anthropic-provider";
import { createOpenAIProvider } from "../../src/core/llm/openai-provider";
import { parseConversationReply } from "../../src/core/llm/parse-reply";
import type { GenerationRequest, LlmProvider } from "../../src/core/llm/types";
import type { GenerationContext } from "../../src/core/types";
import { fake, startFakeLlmServer, type FakeLlmServer } from "../support/fake-llm-server";

const context: GenerationContext = {
  conversationId: "conv-0001",
  tier: "template",
  persona: { key: "anxious-saver", name: "Anxious saver", description: "Worried about retirement", attributes: {} },
  emotionalArc: {
    key: "worry-to-relief",
    name: "Worry to relief",
    description: "Opens worried, ends relieved",
    startingEmotion: "worried",
    endingEmotion: "relieved",
    turnStructure: "opens worried, gains clarity, ends relieved",
  },
  topic: { key: "retirement", name: "Retirement planning", description: "Saving for retirement", keyTerms: ["401k"] },
  intent: { key: "seek-advice", name: "Seek advice", description: "Wants guidance" },
  tone: { key: "warm", name: "Warm", description: "Warm and reassuring" },
  chunk: null,
  scenario: null,
  edgeCase: null,
  outcome: null,
  businessName: "Bright Planning",
  trainingSystemPrompt: "You are Bright Planning's assistant.",
};

const SYSTEM = "You write realistic training conversations. Reply with JSON only.";
const PROMPT = "Write a conversation where an anxious saver asks about catching up on retirement savings.";

function request(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  return { model: "", system: SYSTEM, prompt: PROMPT, maxTokens: 3000, temperature: 0.7, context, ...overrides };
}

/** Awaits a call expected to fail and returns its AppError. */
async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected the call to fail");
}

let server: FakeLlmServer;

beforeAll(async () => {
  server = await startFakeLlmServer();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.reset();
  server.setDefault("ok");
});

interface WireCase {
  wire: "anthropic" | "openai";
  path: string;
  make: (timeoutMs?: number) => LlmProvider;
  rateLimitHeader: RegExp;
  requestIdHeader: string;
}

const wires: WireCase[] = [
  {
    wire: "anthropic",
    path: "/v1/messages",
    make: (timeoutMs) => createAnthropicProvider({ apiKey: "sk-ant-test", baseURL: server.anthropicBaseUrl, model: "claude-sonnet-4-6", timeoutMs }),
    rateLimitHeader: /^anthropic-ratelimit-/,
    requestIdHeader: "request-id",
  },
  {
    wire: "openai",
    path: "/v1/chat/completions",
    make: (timeoutMs) => createOpenAIProvider({ apiKey: "sk-test", baseURL: server.openaiBaseUrl, model: "gpt-4.1-mini", timeoutMs }),
    rateLimitHeader: /^x-ratelimit-/,
    requestIdHeader: "x-request-id",
  },
];

describe.each(wires)("$wire provider against the fake server", ({ wire, path, make, rateLimitHeader, requestIdHeader }) => {
  it("returns a reply whose turns parse, with tokens, request id and rate-limit headers", async () => {
    const provider = make();
    const response = await provider.generate(request());

    const turns = parseConversationReply(response.text);
    expect(turns).toHaveLength(10);
    expect(turns[0]).toEqual({ role: "user", content: PROMPT });
    expect(turns[9].role).toBe("assistant");

    expect(response.truncated).toBe(false);
    expect(response.stopReason).toBe(wire === "anthropic" ? "end_turn" : "stop");
    expect(response.inputTokens).toBeGreaterThan(0);
    expect(response.outputTokens).toBeGreaterThan(0);
    expect(response.model).toBe(provider.defaultModel);
    expect(response.requestId).toMatch(/^req_/);
    expect(response.headers[requestIdHeader]).toBe(response.requestId);
    const rateLimitNames = Object.keys(response.headers).filter((name) => rateLimitHeader.test(name));
    expect(rateLimitNames.length).toBeGreaterThanOrEqual(4);
    expect(response.rawResponse).toMatchObject({ id: expect.any(String) });

    expect(server.requests).toHaveLength(1);
    const sent = server.requests[0];
    expect(sent.path).toBe(path);
    expect(sent.body).toEqual(response.rawRequest);
    if (wire === "anthropic") {
      expect(sent.body).toMatchObject({
        model: "claude-sonnet-4-6",
        system: SYSTEM,
        messages: [{ role: "user", content: PROMPT }],
        max_tokens: 3000,
        temperature: 0.7,
      });
      expect(sent.headers.authorization ?? sent.headers["x-api-key"]).toContain("sk-ant-test");
    } else {
      expect(sent.body).toMatchObject({
        model: "gpt-4.1-mini",
        messages: [
          { role: "system", content: SYSTEM },
          { role: "user", content: PROMPT },
        ],
        max_tokens: 3000,
        temperature: 0.7,
      });
      expect(sent.headers.authorization).toBe("Bearer sk-test");
    }
  });

  it("returns exactly the text the model wrote", async () => {
    server.enqueue(fake.ok('```json\n{"turns":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]}\n```'));
    const response = await make().generate(request());
    expect(parseConversationReply(response.text)).toEqual([
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello" },
    ]);
  });

  it("maps 429 to rate_limited, retryable, with the wait the server asked for", async () => {
    server.enqueue(fake.rateLimit(7));
    const error = await failureOf(make().generate(request()));
    expect(error.code).toBe("rate_limited");
    expect(error.retryable).toBe(true);
    expect(error.detail).toMatchObject({ provider: wire, status: 429, retryAfterMs: 7000, requestId: expect.stringMatching(/^req_/) });
    expect(Object.keys(error.detail.headers as object).some((name) => rateLimitHeader.test(name))).toBe(true);
    expect(error.message).toContain("asked us to wait 7 s");
  });

  it("maps a 429 that says the spend limit was reached to spend_limit_reached, not retryable", async () => {
    server.enqueue("spend_limit");
    const error = await failureOf(make().generate(request()));
    expect(error.code).toBe("spend_limit_reached");
    expect(error.retryable).toBe(false);
    expect(error.detail.status).toBe(429);
    expect(error.message).toMatch(/spend limit or quota is used up/);
  });

  it("maps 529 to overloaded, retryable", async () => {
    server.enqueue("overloaded");
    const error = await failureOf(make().generate(request()));
    expect(error).toMatchObject({ code: "overloaded", retryable: true });
    expect(error.detail.status).toBe(529);
  });

  it("maps 500 and 503 to server_error, retryable, after exactly one request (SDK retries are off)", async () => {
    server.enqueue(fake.serverError(500));
    const error = await failureOf(make().generate(request()));
    expect(error).toMatchObject({ code: "server_error", retryable: true });
    expect(error.detail.status).toBe(500);
    expect(server.requests).toHaveLength(1);

    server.enqueue(fake.serverError(503));
    const second = await failureOf(make().generate(request()));
    expect(second.detail.status).toBe(503);
    expect(server.requests).toHaveLength(2);
  });

  it("maps a reset connection to connection_error, retryable, after one attempt", async () => {
    server.enqueue("reset");
    const error = await failureOf(make().generate(request()));
    expect(error).toMatchObject({ code: "connection_error", retryable: true });
    expect(error.message).toContain(server.url);
    expect(server.requests).toHaveLength(1);
  });

  it("maps a server that never answers to timeout after timeoutMs", async () => {
    server.enqueue("hang");
    const started = Date.now();
    const error = await failureOf(make(300).generate(request()));
    const elapsed = Date.now() - started;
    expect(error).toMatchObject({ code: "timeout", retryable: true });
    expect(error.message).toContain("within 0.3 s");
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(5000);
    expect(server.requests).toHaveLength(1);
  });

  it("waits through latency shorter than the timeout", async () => {
    server.enqueue(fake.latency(150));
    const started = Date.now();
    const response = await make(2000).generate(request());
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(parseConversationReply(response.text)).toHaveLength(10);
  });

  it("maps 401 to authentication_failed, not retryable, naming the variable to check", async () => {
    server.enqueue("auth_error");
    const error = await failureOf(make().generate(request()));
    expect(error).toMatchObject({ code: "authentication_failed", retryable: false });
    expect(error.message).toContain(wire === "anthropic" ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY");
  });

  it("flags a reply cut at max tokens as truncated", async () => {
    server.enqueue("truncated");
    const response = await make().generate(request({ maxTokens: 200 }));
    expect(response.truncated).toBe(true);
    expect(response.stopReason).toBe(wire === "anthropic" ? "max_tokens" : "length");
    expect(response.outputTokens).toBe(200);
    expect(() => parseConversationReply(response.text)).toThrow(/not valid JSON/);
  });

  it("hands back a malformed reply untouched, for the parser to reject", async () => {
    server.enqueue("malformed");
    const response = await make().generate(request());
    expect(response.truncated).toBe(false);
    expect(() => parseConversationReply(response.text)).toThrowError(expect.objectContaining({ code: "malformed_response", retryable: true }));
  });

  it("stops when the caller aborts: cancelled for a cancel, timeout for AbortSignal.timeout", async () => {
    server.enqueue("hang", "hang");
    const controller = new AbortController();
    const pending = make().generate(request({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);
    const cancelled = await failureOf(pending);
    expect(cancelled).toMatchObject({ code: "cancelled", retryable: false });

    const timedOut = await failureOf(make().generate(request({ signal: AbortSignal.timeout(150) })));
    expect(timedOut).toMatchObject({ code: "timeout", retryable: true });
  });
});

describe("model-specific request fields", () => {
  it("leaves temperature out for Claude models that reject it", async () => {
    const provider = createAnthropicProvider({ apiKey: "sk-ant-test", baseURL: server.anthropicBaseUrl });
    expect(provider.defaultModel).toBe("claude-sonnet-5-5");
    await provider.generate(request());
    expect(server.requests[0].body).toMatchObject({ model: "claude-sonnet-5-5", max_tokens: 3000 });
    expect(server.requests[0].body).not.toHaveProperty("temperature");
  });

  it("sends max_completion_tokens when asked (OpenAI itself) and no temperature to reasoning models", async () => {
    const provider = createOpenAIProvider({ apiKey: "sk-test", baseURL: server.openaiBaseUrl, model: "gpt-5.6-luna", tokenLimitField: "max_completion_tokens" });
    await provider.generate(request());
    const body = server.requests[0].body as Record<string, unknown>;
    expect(body).toMatchObject({ model: "gpt-5.6-luna", max_completion_tokens: 3000 });
    expect(body).not.toHaveProperty("max_tokens");
    expect(body).not.toHaveProperty("temperature");
  });
});

describe("selectProvider end to end", () => {
  it("talks to an OpenAI-compatible server given only OPENAI_BASE_URL, with the placeholder key", async () => {
    const { selectProvider } = await import("../../src/core/llm/select-provider");
    const selection = selectProvider({ env: { OPENAI_BASE_URL: server.openaiBaseUrl, BRIGHTRUN_MODEL: "llama3.1:8b" } });
    expect(selection.provider.name).toBe("openai");
    expect(selection.model).toBe("llama3.1:8b");
    const response = await selection.provider.generate(request({ model: selection.model }));
    expect(parseConversationReply(response.text)).toHaveLength(10);
    expect(server.requests[0].headers.authorization).toBe("Bearer not-needed");
    expect(server.requests[0].body).toMatchObject({ model: "llama3.1:8b", max_tokens: 3000, temperature: 0.7 });
  });

  it("sends ANTHROPIC_API_KEY to ANTHROPIC_BASE_URL", async () => {
    const { selectProvider } = await import("../../src/core/llm/select-provider");
    const selection = selectProvider({ env: { ANTHROPIC_API_KEY: "sk-ant-env", ANTHROPIC_BASE_URL: server.anthropicBaseUrl } });
    expect(selection.provider.name).toBe("anthropic");
    await selection.provider.generate(request({ model: selection.model }));
    expect(server.requests[0].path).toBe("/v1/messages");
    expect(server.requests[0].headers.authorization ?? server.requests[0].headers["x-api-key"]).toContain("sk-ant-env");
  });
});
