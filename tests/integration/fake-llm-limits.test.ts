/**
 * The fake LLM server's optional provider-style limits, driven through the real SDKs: 429 with
 * retry-after when a limit is exceeded, accurate rate-limit headers, padded replies, latency,
 * and a client RateLimiter that learns the server's limits from those headers.
 */
import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors";
import { createAnthropicProvider } from "../../src/core/llm/anthropic-provider";
import { createOpenAIProvider } from "../../src/core/llm/openai-provider";
import { parseConversationReply } from "../../src/core/llm/parse-reply";
import { RateLimiter } from "../../src/core/llm/rate-limiter";
import type { GenerationRequest } from "../../src/core/llm/types";
import { buildGenerationContext } from "../support/generation-context.fixture";
import { fake, startFakeLlmServer, type FakeLlmServer, type FakeLlmServerOptions } from "../support/fake-llm-server";

const PROMPT = "Write a conversation where a young family asks how to save for college while paying a mortgage.";

function request(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  return { model: "", system: "Reply with JSON only.", prompt: PROMPT, maxTokens: 3000, temperature: 0.7, context: buildGenerationContext(), ...overrides };
}

async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected the call to fail");
}

let server: FakeLlmServer | null = null;

async function start(options: FakeLlmServerOptions): Promise<FakeLlmServer> {
  server = await startFakeLlmServer(options);
  return server;
}

afterEach(async () => {
  await server?.close();
  server = null;
});

const anthropic = (fakeServer: FakeLlmServer) => createAnthropicProvider({ apiKey: "sk-ant-test", baseURL: fakeServer.anthropicBaseUrl, model: "claude-sonnet-4-6" });
const openai = (fakeServer: FakeLlmServer) => createOpenAIProvider({ apiKey: "sk-test", baseURL: fakeServer.openaiBaseUrl, model: "gpt-4.1-mini" });

describe("fake LLM server limits", () => {
  it("answers 429 with retry-after once its requests per minute are used, with accurate Anthropic headers", async () => {
    const fakeServer = await start({ limits: { requestsPerMinute: 2 } });
    const provider = anthropic(fakeServer);

    const first = await provider.generate(request());
    expect(first.headers).toMatchObject({ "anthropic-ratelimit-requests-limit": "2", "anthropic-ratelimit-requests-remaining": "1" });
    const second = await provider.generate(request());
    expect(second.headers["anthropic-ratelimit-requests-remaining"]).toBe("0");
    const reset = Date.parse(second.headers["anthropic-ratelimit-requests-reset"]);
    expect(second.headers["anthropic-ratelimit-requests-reset"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(reset - Date.now()).toBeGreaterThan(55_000); // one request back takes 30 s, two take 60 s
    expect(reset - Date.now()).toBeLessThanOrEqual(61_000);

    const error = await failureOf(provider.generate(request()));
    expect(error.code).toBe("rate_limited");
    // One request comes back every 30 s at 2 RPM; retry-after is whole seconds, rounded up.
    expect(error.detail.retryAfterMs).toBe(30_000);
    expect(error.detail.headers).toMatchObject({ "retry-after": "30", "anthropic-ratelimit-requests-remaining": "0" });
    expect(error.detail.body).toMatchObject({ error: { type: "rate_limit_error", message: expect.stringContaining("2 requests per minute") } });

    expect(fakeServer.stats()).toEqual({ requests: 3, rateLimited: 1, byStatus: { 200: 2, 429: 1 }, maxInFlight: 1 });
    expect(fakeServer.requests.map((sent) => sent.behaviour)).toEqual(["ok", "ok", "rate_limit"]);
  });

  it("does the same on the OpenAI wire, with x-ratelimit headers and duration resets", async () => {
    const fakeServer = await start({ limits: { requestsPerMinute: 1, tokensPerMinute: 100_000 } });
    const provider = openai(fakeServer);

    const first = await provider.generate(request());
    expect(first.headers).toMatchObject({
      "x-ratelimit-limit-requests": "1",
      "x-ratelimit-remaining-requests": "0",
      "x-ratelimit-limit-tokens": "100000",
    });
    expect(first.headers["x-ratelimit-reset-requests"]).toMatch(/^(?:[5-9]\d(?:\.\d+)?s|1m0s)$/);
    // Input + real output counted (max_tokens was reserved, then corrected); the bucket refills
    // ~1.7 tokens per ms meanwhile, hence the small allowance.
    const tokensRemaining = Number(first.headers["x-ratelimit-remaining-tokens"]);
    expect(tokensRemaining).toBeGreaterThanOrEqual(100_000 - first.inputTokens - first.outputTokens);
    expect(tokensRemaining).toBeLessThan(100_000 - first.inputTokens - first.outputTokens + 500);

    const error = await failureOf(provider.generate(request()));
    expect(error.code).toBe("rate_limited");
    expect(error.detail.retryAfterMs).toBe(60_000);
    expect(error.message).toContain("asked us to wait 60 s");
    expect(fakeServer.stats()).toMatchObject({ rateLimited: 1, byStatus: { 200: 1, 429: 1 } });
  });

  it("enforces output tokens per minute: max_tokens reserved, corrected to the real output", async () => {
    const fakeServer = await start({ limits: { outputTokensPerMinute: 5000 }, replyOutputTokens: 1500 });
    const provider = anthropic(fakeServer);

    const first = await provider.generate(request({ maxTokens: 3000 }));
    expect(first.outputTokens).toBe(1500);
    expect(parseConversationReply(first.text)).toHaveLength(10);
    const outputRemaining = Number(first.headers["anthropic-ratelimit-output-tokens-remaining"]);
    expect(outputRemaining).toBeGreaterThanOrEqual(5000 - first.outputTokens); // 3,000 reserved, 1,500 used
    expect(outputRemaining).toBeLessThan(5000 - first.outputTokens + 50); // plus a few ms of refill
    expect(first.headers["anthropic-ratelimit-output-tokens-limit"]).toBe("5000");

    await provider.generate(request({ maxTokens: 3000 })); // ~3,500 left ≥ 3,000 reserved
    const error = await failureOf(provider.generate(request({ maxTokens: 3000 }))); // ~2,000 left < 3,000
    expect(error.code).toBe("rate_limited");
    expect(error.detail.body).toMatchObject({ error: { message: expect.stringContaining("5000 output tokens per minute") } });
    expect(error.detail.retryAfterMs).toBeGreaterThanOrEqual(12_000); // ~1,000 tokens at 5,000/min
    expect(error.detail.retryAfterMs).toBeLessThanOrEqual(13_000);
  });

  it("keeps queued behaviours for admitted requests and refills on reset()", async () => {
    const fakeServer = await start({ limits: { requestsPerMinute: 1 } });
    const provider = anthropic(fakeServer);
    fakeServer.enqueue(fake.overloaded());
    expect((await failureOf(provider.generate(request()))).code).toBe("overloaded");
    expect((await failureOf(provider.generate(request()))).code).toBe("rate_limited");
    fakeServer.reset();
    expect(fakeServer.stats()).toEqual({ requests: 0, rateLimited: 0, byStatus: {}, maxInFlight: 0 });
    await expect(provider.generate(request())).resolves.toMatchObject({ truncated: false });
  });

  it("adds the configured model latency", async () => {
    const fakeServer = await start({ latency: { baseMs: 40, perOutputTokenMs: 0.01 } });
    const started = performance.now();
    await anthropic(fakeServer).generate(request());
    expect(performance.now() - started).toBeGreaterThanOrEqual(39);
  });

  it("sends the fixed sample headers when no limits are set (unchanged default)", async () => {
    const fakeServer = await start({});
    const response = await anthropic(fakeServer).generate(request());
    expect(response.headers).toMatchObject({ "anthropic-ratelimit-requests-limit": "50", "anthropic-ratelimit-requests-remaining": "49" });
  });

  it("lets a client RateLimiter learn the server's real limits from the headers", async () => {
    const fakeServer = await start({ limits: { requestsPerMinute: 600, inputTokensPerMinute: 400_000, outputTokensPerMinute: 80_000 } });
    const limiter = new RateLimiter();
    const permit = await limiter.acquire({ inputTokens: 200, maxOutputTokens: 3000 });
    const response = await anthropic(fakeServer).generate(request());
    permit.settle({ inputTokens: response.inputTokens, outputTokens: response.outputTokens }, response.headers);
    expect(limiter.limits).toMatchObject({ requestsPerMinute: 600, inputTokensPerMinute: 400_000, outputTokensPerMinute: 80_000 });
    expect(limiter.state().available.requests).toBe(599);
    expect(limiter.describe()).toBeNull();
  });
});
