/**
 * A local HTTP server that speaks the Anthropic Messages (`POST /v1/messages`) and OpenAI Chat
 * Completions (`POST /v1/chat/completions`) wire formats, so tests drive the real SDKs with no
 * network (ARCHITECTURE.md, "Providers").
 *
 * Each request takes the next queued behaviour, or the default one, and answers with realistic
 * bodies and headers (ids, usage, stop/finish reasons, rate-limit headers, request ids), or
 * misbehaves on purpose: latency, 429, spend limit, 529, 5xx, reset, hang, malformed and
 * truncated replies, 401. Every request is recorded.
 *
 * Optional, off by default (so nothing above changes unless asked for):
 * - `limits`: provider-style token buckets for requests, input tokens and output tokens per
 *   minute (and OpenAI's combined tokens per minute). A request that does not fit is answered 429
 *   with `retry-after` (whole seconds, rounded up) before any queued behaviour is taken, and every
 *   200 and 429 carries accurate rate-limit headers instead of the fixed sample ones.
 * - `latency`: model time per reply (base + per output token + jitter).
 * - `replyOutputTokens`: pads the default conversation to about that many output tokens, so a
 *   throughput benchmark can reach an output-tokens-per-minute bound.
 * `stats()` counts requests, 429s and answers by status.
 *
 * Judge calls (a system prompt starting with JUDGE_PROMPT_MARKER, src/core/quality/judge) take
 * their behaviour from a queue of their own (`enqueueJudge`, default ok), so a test can script the
 * judge independently of the generation calls running beside it. `ok` answers a judge call with a
 * verdict of the rubric's JSON (every criterion 8 unless `fake.verdict({ safe: 2 })` says
 * otherwise); `malformed` answers it with prose.
 *
 * Models lists (`GET /v1/models`, and `GET /models` for an OpenAI base URL without `/v1`): a request
 * with an `anthropic-version` header (the Anthropic SDK sends one) gets Anthropic's shape
 * `{data:[{id,type:"model",display_name,created_at}],has_more,first_id,last_id}`, paged by `limit`
 * (default 20) and `after_id`; any other gets OpenAI's `{object:"list",data:[{id,object:"model",
 * created,owned_by}]}`. The ids are `options.models` (default FAKE_MODELS, changed with `setModels`).
 * A models request takes the next queued behaviour too, so `auth_error`, `server_error`… apply to it;
 * `ok`, `malformed` and `truncated` all answer the list.
 *
 * Prompt caching (Anthropic wire, always on): when a request carries `cache_control` breakpoints
 * (on system or user text blocks), the prefix up to each breakpoint is a cache entry. The longest
 * breakpoint prefix seen before is reported as `cache_read_input_tokens`, the rest up to the
 * last breakpoint as `cache_creation_input_tokens`, and `input_tokens` is what remains — like the
 * API. Unlike the API, there is no minimum cacheable length and no TTL; `reset()` empties it.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { JUDGE_PROMPT_MARKER } from "../../src/core/quality/judge/judge-prompt";
import { JUDGE_CRITERIA, type JudgeCriterionId } from "../../src/core/quality/judge/rubric";

export type Wire = "anthropic" | "openai";

export type FakeBehaviour =
  | { kind: "ok"; text?: string }
  | { kind: "latency"; ms: number; then: FakeBehaviour }
  | { kind: "rate_limit"; retryAfterSec: number }
  | { kind: "spend_limit" }
  | { kind: "overloaded" }
  | { kind: "server_error"; status: 500 | 502 | 503 | 504 }
  | { kind: "reset" }
  | { kind: "hang" }
  | { kind: "malformed" }
  | { kind: "truncated" }
  | { kind: "auth_error" };

/** Shorthand names for behaviours without parameters. */
export type FakeBehaviourName = "ok" | "spend_limit" | "overloaded" | "reset" | "hang" | "malformed" | "truncated" | "auth_error";

export type FakeBehaviourInput = FakeBehaviour | FakeBehaviourName;

/** Behaviour builders: `fake.ok()`, `fake.latency(200)`, `fake.rateLimit(7)`… */
export const fake = {
  /** 200 with a valid conversation built from the prompt, or with exactly `text`. */
  ok: (text?: string): FakeBehaviour => ({ kind: "ok", text }),
  /** Waits `ms` before answering with `then` (default: ok). */
  latency: (ms: number, then: FakeBehaviourInput = "ok"): FakeBehaviour => ({ kind: "latency", ms, then: normalise(then) }),
  /** 429 with `retry-after: <sec>` and exhausted rate-limit headers. */
  rateLimit: (retryAfterSec: number): FakeBehaviour => ({ kind: "rate_limit", retryAfterSec }),
  /** 429 whose error says the account's spend limit / quota was reached. */
  spendLimit: (): FakeBehaviour => ({ kind: "spend_limit" }),
  /** 529 overloaded_error (Anthropic's shape; OpenAI's shape on the OpenAI path). */
  overloaded: (): FakeBehaviour => ({ kind: "overloaded" }),
  serverError: (status: 500 | 502 | 503 | 504 = 500): FakeBehaviour => ({ kind: "server_error", status }),
  /** Destroys the socket after reading the request. */
  reset: (): FakeBehaviour => ({ kind: "reset" }),
  /** Never answers; the connection is dropped when the server closes. */
  hang: (): FakeBehaviour => ({ kind: "hang" }),
  /** 200 whose text is prose, not JSON. */
  malformed: (): FakeBehaviour => ({ kind: "malformed" }),
  /** 200 whose JSON is cut off, stop_reason "max_tokens" / finish_reason "length". */
  truncated: (): FakeBehaviour => ({ kind: "truncated" }),
  /** 401 invalid API key. */
  authError: (): FakeBehaviour => ({ kind: "auth_error" }),
  /** A judge's verdict of the rubric's JSON: every criterion 8 except those given, each with a reason. */
  verdict: (scores: Partial<Record<JudgeCriterionId, number>> = {}, summary = "A solid conversation that follows its brief."): FakeBehaviour => ({
    kind: "ok",
    text: JSON.stringify(judgeVerdict(scores, summary)),
  }),
};

/** The verdict a fake judge gives: every criterion 8 unless set, with a reason naming its score. */
export function judgeVerdict(scores: Partial<Record<JudgeCriterionId, number>> = {}, summary = "A solid conversation that follows its brief.") {
  return {
    criteria: Object.fromEntries(JUDGE_CRITERIA.map((id) => [id, { score: scores[id] ?? 8, reason: `Fake judge: ${id} scores ${scores[id] ?? 8} (turns 1-4).` }])),
    summary,
  };
}

/** Whether a request is a judge call (its system prompt starts with the judge's marker), on either wire. */
export function isJudgeRequest(body: unknown): boolean {
  if (!body || typeof body !== "object") return false;
  const request = body as { system?: unknown; messages?: Array<{ role?: string; content?: unknown }> };
  const text = (content: unknown): string =>
    typeof content === "string" ? content : Array.isArray(content) ? content.map((p) => (p && typeof p === "object" && typeof (p as { text?: unknown }).text === "string" ? (p as { text: string }).text : "")).join("") : "";
  const system = request.system !== undefined ? text(request.system) : text(request.messages?.find((m) => m.role === "system")?.content);
  return system.startsWith(JUDGE_PROMPT_MARKER);
}

export interface RecordedRequest {
  wire: Wire | null;
  method: string;
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON body (or the raw text when it was not JSON). */
  body: unknown;
  receivedAt: number;
  /** The behaviour that answered it. */
  behaviour: FakeBehaviour["kind"];
}

export interface ServedResponse {
  wire: Wire;
  status: number;
  outputTokens: number;
  at: number;
}

/**
 * Per-minute limits the fake server enforces like a provider; an absent field is not enforced.
 *
 * The buckets follow Anthropic's documented model (docs.anthropic.com/en/api/rate-limits): each
 * holds up to its per-minute limit and refills continuously; input tokens are counted when the
 * request arrives, output tokens are reserved at `max_tokens` then corrected to the real output
 * when the reply is sent. Each wire has its own buckets.
 *
 * - Anthropic wire: enforces requests, input and output tokens; reports
 *   `anthropic-ratelimit-{requests,input-tokens,output-tokens}-{limit,remaining,reset}` for the
 *   enforced ones (reset as RFC 3339), and `anthropic-ratelimit-tokens-*` as the most restrictive
 *   of the input/output buckets (as Anthropic documents it). `tokensPerMinute` is ignored.
 * - OpenAI wire: enforces requests, `tokensPerMinute` (input + output together, OpenAI's TPM) and,
 *   when given, input/output tokens too; reports `x-ratelimit-{limit,remaining,reset}-requests`
 *   and `-tokens` (reset as a duration like "1s", "6m0s", "20ms"). The `-tokens` headers describe
 *   the TPM bucket, or without one the most restrictive of the input/output buckets.
 */
export interface FakeLlmLimits {
  requestsPerMinute?: number;
  inputTokensPerMinute?: number;
  outputTokensPerMinute?: number;
  /** Input + output tokens per minute (OpenAI's TPM); enforced on the OpenAI wire only. */
  tokensPerMinute?: number;
}

/** Model time added before every ok / malformed / truncated reply, in ms. */
export interface FakeLatency {
  baseMs: number;
  /** ms per output token of the reply (e.g. 10 ≈ 100 tokens/s); 0 by default. */
  perOutputTokenMs?: number;
  /** Uniform random extra in [0, jitterMs); 0 by default. */
  jitterMs?: number;
}

/** What the server has answered since it started (or since `reset()`). */
export interface FakeLlmStats {
  /** Requests received, any path. */
  requests: number;
  /** 429 rate-limit answers: enforced limits and queued `fake.rateLimit` alike (not spend limits). */
  rateLimited: number;
  /** Answers given per HTTP status (resets and hangs have none). */
  byStatus: Record<number, number>;
  /** Most model requests being answered at the same moment (in flight at the "provider"). */
  maxInFlight: number;
}

export interface FakeLlmServerOptions {
  /** Behaviour when the queue is empty; "ok" by default. */
  defaultBehaviour?: FakeBehaviourInput;
  /** How many turns the default conversation has; 10 by default. */
  turns?: number;
  /** Provider-style rate limits; none by default. */
  limits?: FakeLlmLimits;
  /** Model time per reply; none by default. */
  latency?: FakeLatency;
  /**
   * Pads the default conversation so its text is about this many output tokens (4 characters a
   * token), capped at the request's max_tokens. Unset: the short default conversation.
   */
  replyOutputTokens?: number;
  /**
   * false: send no rate-limit headers at all, like vLLM, Ollama, llama.cpp or LM Studio. Default
   * true: headers of the enforced `limits` (only their buckets), else fixed sample headers.
   */
  rateLimitHeaders?: boolean;
  /** The model ids `GET /v1/models` lists, in order (default FAKE_MODELS). */
  models?: string[];
}

/** The models the fake server lists unless told otherwise. */
export const FAKE_MODELS: readonly string[] = ["fake-model-large", "fake-model-small", "local-model"];

export interface FakeLlmServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Base URL for the Anthropic SDK (it appends /v1/messages). */
  anthropicBaseUrl: string;
  /** Base URL for the OpenAI SDK (it appends /chat/completions). */
  openaiBaseUrl: string;
  /** Queues behaviours for the next requests (judge calls excepted), in order. */
  enqueue(...behaviours: FakeBehaviourInput[]): void;
  /** Queues behaviours for the next judge calls, in order (default: `ok`, a verdict of 8s). */
  enqueueJudge(...behaviours: FakeBehaviourInput[]): void;
  setDefault(behaviour: FakeBehaviourInput): void;
  /** The model ids `GET /v1/models` lists from now on. */
  setModels(models: string[]): void;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Every answer given with a status (resets and hangs are not here). */
  served: ServedResponse[];
  /** Counts of requests, 429s and answers by status since start or `reset()`. */
  stats(): FakeLlmStats;
  /**
   * Forgets recorded requests, served answers and queued behaviours, and refills the `limits`
   * buckets; keeps the default.
   */
  reset(): void;
  /** Stops listening and drops open connections (hanging requests included). */
  close(): Promise<void>;
}

/**
 * The conversation the fake model "writes": `turns` alternating turns starting with the user,
 * the first of which is the prompt itself, so tests can check the prompt round-trips.
 */
export function conversationFor(prompt: string, turns = 10): { turns: Array<{ role: "user" | "assistant"; content: string }> } {
  const topic = prompt.trim().split(/\s+/).slice(0, 6).join(" ") || "the topic";
  return {
    turns: Array.from({ length: turns }, (_, index) => {
      const role = index % 2 === 0 ? ("user" as const) : ("assistant" as const);
      if (index === 0) return { role, content: prompt.trim() || "Hello." };
      const exchange = Math.floor(index / 2) + 1;
      return role === "user"
        ? { role, content: `Follow-up question ${exchange} about ${topic}.` }
        : { role, content: `Answer ${exchange}: here is what to consider about ${topic}.` };
    }),
  };
}

/**
 * Starts the fake server on 127.0.0.1 with an OS-assigned port.
 *
 * @param options default behaviour and conversation length
 * @returns handles to program and inspect it; call `close()` in afterAll
 */
export async function startFakeLlmServer(options: FakeLlmServerOptions = {}): Promise<FakeLlmServer> {
  const queue: FakeBehaviour[] = [];
  const judgeQueue: FakeBehaviour[] = [];
  let defaultBehaviour = normalise(options.defaultBehaviour ?? "ok");
  let models = [...(options.models ?? FAKE_MODELS)];
  const turnCount = options.turns ?? 10;
  const requests: RecordedRequest[] = [];
  const served: ServedResponse[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let limiter = options.limits ? new ServerLimiter(options.limits) : null;
  let inFlight = 0;
  let maxInFlight = 0;
  /** Prompt-cache entries: breakpoint prefix (JSON) → tokens. */
  const promptCache = new Map<string, number>();

  function nextBehaviour(body: unknown): FakeBehaviour {
    if (isJudgeRequest(body)) return judgeQueue.shift() ?? { kind: "ok" };
    return queue.shift() ?? defaultBehaviour;
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && (path === "/v1/models" || path === "/models")) {
      const modelsWire: Wire = path === "/v1/models" && req.headers["anthropic-version"] !== undefined ? "anthropic" : "openai";
      const behaviour = nextBehaviour(null);
      requests.push({ wire: modelsWire, method: "GET", path, headers: lowerCaseHeaders(req), body: null, receivedAt: Date.now(), behaviour: behaviour.kind });
      await answerModels(res, modelsWire, new URL(req.url ?? "/", "http://fake").searchParams, behaviour);
      return;
    }
    const wire: Wire | null =
      req.method === "POST" && path === "/v1/messages" ? "anthropic" : req.method === "POST" && path === "/v1/chat/completions" ? "openai" : null;
    let body: unknown = raw;
    try {
      body = raw === "" ? null : JSON.parse(raw);
    } catch {
      // keep the raw text; answered below as a 400
    }
    const admission = wire !== null && limiter !== null && body !== null && typeof body === "object" ? limiter.admit(wire, body as Record<string, unknown>) : null;
    const behaviour: FakeBehaviour =
      wire === null ? { kind: "ok" } : admission !== null && !admission.admitted ? { kind: "rate_limit", retryAfterSec: admission.retryAfterSec } : nextBehaviour(body);
    requests.push({
      wire,
      method: req.method ?? "GET",
      path,
      headers: lowerCaseHeaders(req),
      body,
      receivedAt: Date.now(),
      behaviour: behaviour.kind,
    });

    if (wire === null) {
      sendJson(res, 404, { error: { type: "not_found_error", message: `No route for ${req.method} ${path}` } }, {});
      return;
    }
    if (body === null || typeof body !== "object") {
      sendError(res, wire, 400, "invalid_request_error", "The request body is not valid JSON.", {});
      return;
    }
    const limits: LimitContext | null =
      admission === null ? null : admission.admitted ? { settle: admission.settle, rejection: null } : { settle: () => undefined, rejection: admission };
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await answer(res, wire, body as Record<string, unknown>, behaviour, limits);
    } finally {
      inFlight -= 1;
      // Whatever the call ended as (error, reset, client gone), output tokens not sent are given back.
      limits?.settle(0);
    }
  }

  /** Rate-limit headers: accurate ones when limits are enforced, else the fixed sample ones. */
  function limitHeaders(wire: Wire, limits: LimitContext | null, sample: { exhausted: boolean; resetSec: number }): Record<string, string> {
    if (options.rateLimitHeaders === false) return {};
    return limiter !== null && limits !== null ? limiter.headers(wire) : rateLimitHeaders(wire, sample);
  }

  async function answer(res: ServerResponse, wire: Wire, request: Record<string, unknown>, behaviour: FakeBehaviour, limits: LimitContext | null): Promise<void> {
    switch (behaviour.kind) {
      case "latency": {
        const waited = await wait(behaviour.ms, res);
        if (waited) await answer(res, wire, request, behaviour.then, limits);
        return;
      }
      case "hang":
        return; // never answer; close() drops the socket
      case "reset":
        res.socket?.destroy();
        return;
      case "rate_limit": {
        const headers = { "retry-after": String(behaviour.retryAfterSec), ...limitHeaders(wire, limits, { exhausted: true, resetSec: behaviour.retryAfterSec }) };
        const message =
          limits?.rejection
            ? limits.rejection.message
            : wire === "anthropic"
              ? "This request would exceed the rate limit for your organization of 50 requests per minute. Please try again later."
              : "Rate limit reached for requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 7s.";
        const type = wire === "anthropic" ? "rate_limit_error" : limits?.rejection ? limits.rejection.openAiType : "requests";
        sendError(res, wire, 429, type, message, headers, wire === "openai" ? "rate_limit_exceeded" : undefined);
        served.push({ wire, status: 429, outputTokens: 0, at: Date.now() });
        return;
      }
      case "spend_limit": {
        if (wire === "anthropic") {
          sendJson(
            res,
            429,
            {
              type: "error",
              error: {
                type: "rate_limit_error",
                message: "Your organization has reached its monthly spend limit. You will regain access on 2026-12-01 at 00:00 UTC.",
                details: { error_code: "enforced_spend_limit_reached" },
              },
              request_id: requestId(wire),
            },
            idHeaders(wire),
          );
        } else {
          sendError(res, wire, 429, "insufficient_quota", "You exceeded your current quota, please check your plan and billing details.", {}, "insufficient_quota");
        }
        served.push({ wire, status: 429, outputTokens: 0, at: Date.now() });
        return;
      }
      case "overloaded":
        sendError(res, wire, 529, wire === "anthropic" ? "overloaded_error" : "server_error", "Overloaded", {});
        served.push({ wire, status: 529, outputTokens: 0, at: Date.now() });
        return;
      case "server_error":
        sendError(res, wire, behaviour.status, wire === "anthropic" ? "api_error" : "server_error", "Internal server error", {});
        served.push({ wire, status: behaviour.status, outputTokens: 0, at: Date.now() });
        return;
      case "auth_error":
        sendError(
          res,
          wire,
          401,
          wire === "anthropic" ? "authentication_error" : "invalid_request_error",
          wire === "anthropic" ? "invalid x-api-key" : "Incorrect API key provided: sk-fake. You can find your API key at https://platform.openai.com/account/api-keys.",
          {},
          wire === "openai" ? "invalid_api_key" : undefined,
        );
        served.push({ wire, status: 401, outputTokens: 0, at: Date.now() });
        return;
      case "ok":
      case "malformed":
      case "truncated": {
        const prompt = promptOf(request);
        const maxTokens = numberField(request, wire === "anthropic" ? ["max_tokens"] : ["max_completion_tokens", "max_tokens"]) ?? 4096;
        let text: string;
        let truncated = false;
        if (behaviour.kind === "malformed") {
          text = "Sure! Here is a lovely conversation between a client and an advisor. The client asks about retirement and the advisor explains the options.";
        } else if (behaviour.kind === "truncated") {
          const full = JSON.stringify(conversationFor(prompt, turnCount));
          text = full.slice(0, Math.floor(full.length / 2));
          truncated = true;
        } else if (behaviour.text !== undefined) {
          text = behaviour.text;
        } else if (isJudgeRequest(request)) {
          text = JSON.stringify(judgeVerdict());
        } else if (options.replyOutputTokens !== undefined) {
          text = JSON.stringify(paddedConversation(prompt, turnCount, Math.min(options.replyOutputTokens, maxTokens)));
        } else {
          text = JSON.stringify(conversationFor(prompt, turnCount));
        }
        const inputTokens = estimateTokens(JSON.stringify(request));
        const outputTokens = truncated ? maxTokens : Math.min(maxTokens, estimateTokens(text));
        if (options.latency) {
          const { baseMs, perOutputTokenMs = 0, jitterMs = 0 } = options.latency;
          const waited = await wait(Math.max(0, baseMs + perOutputTokenMs * outputTokens + Math.random() * jitterMs), res);
          if (!waited) return;
        }
        limits?.settle(outputTokens);
        const model = typeof request.model === "string" ? request.model : "unknown-model";
        const cache = wire === "anthropic" ? promptCacheUsage(promptCache, request, inputTokens) : { write: 0, read: 0 };
        const payload =
          wire === "anthropic"
            ? anthropicMessage(model, text, truncated, inputTokens - cache.write - cache.read, outputTokens, cache)
            : openAiCompletion(model, text, truncated, inputTokens, outputTokens);
        sendJson(res, 200, payload, { ...limitHeaders(wire, limits, { exhausted: false, resetSec: 1 }), ...idHeaders(wire) });
        served.push({ wire, status: 200, outputTokens, at: Date.now() });
        return;
      }
    }
  }

  /** A models list in the wire's shape, or the behaviour's error (see the header comment). */
  async function answerModels(res: ServerResponse, wire: Wire, query: URLSearchParams, behaviour: FakeBehaviour): Promise<void> {
    if (behaviour.kind === "latency") {
      if (await wait(behaviour.ms, res)) await answerModels(res, wire, query, behaviour.then);
      return;
    }
    if (behaviour.kind !== "ok" && behaviour.kind !== "malformed" && behaviour.kind !== "truncated") {
      await answer(res, wire, {}, behaviour, null);
      return;
    }
    // Fixed publication dates, newest first like Anthropic's list: one day apart from 2026-01-31.
    const created = (index: number) => Date.UTC(2026, 0, 31 - index) / 1000;
    if (wire === "openai") {
      sendJson(res, 200, { object: "list", data: models.map((id, index) => ({ id, object: "model", created: created(index), owned_by: "fake-llm" })) }, idHeaders(wire));
    } else {
      const limit = Math.min(Math.max(Number(query.get("limit") ?? 20) || 20, 1), 1000);
      const afterId = query.get("after_id");
      const start = afterId === null ? 0 : models.indexOf(afterId) + 1;
      const page = models.slice(start, start + limit).map((id) => ({
        id,
        type: "model",
        display_name: `Fake ${id}`,
        created_at: new Date(created(models.indexOf(id)) * 1000).toISOString(),
      }));
      sendJson(
        res,
        200,
        { data: page, has_more: start + limit < models.length, first_id: page[0]?.id ?? null, last_id: page.at(-1)?.id ?? null },
        idHeaders(wire),
      );
    }
    served.push({ wire, status: 200, outputTokens: 0, at: Date.now() });
  }

  /** Resolves true after `ms`, or false if the client went away first. */
  function wait(ms: number, res: ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve(!res.destroyed && !res.socket?.destroyed);
      }, ms);
      timers.add(timer);
      res.on("close", () => {
        if (timers.delete(timer)) {
          clearTimeout(timer);
          resolve(false);
        }
      });
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    anthropicBaseUrl: url,
    openaiBaseUrl: `${url}/v1`,
    enqueue: (...behaviours) => queue.push(...behaviours.map(normalise)),
    enqueueJudge: (...behaviours) => judgeQueue.push(...behaviours.map(normalise)),
    setDefault: (behaviour) => {
      defaultBehaviour = normalise(behaviour);
    },
    setModels: (list) => {
      models = [...list];
    },
    requests,
    served,
    stats: () => {
      const byStatus: Record<number, number> = {};
      for (const answer of served) byStatus[answer.status] = (byStatus[answer.status] ?? 0) + 1;
      return { requests: requests.length, rateLimited: requests.filter((request) => request.behaviour === "rate_limit").length, byStatus, maxInFlight };
    },
    reset: () => {
      queue.length = 0;
      judgeQueue.length = 0;
      requests.length = 0;
      served.length = 0;
      maxInFlight = inFlight;
      promptCache.clear();
      if (options.limits) limiter = new ServerLimiter(options.limits);
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function normalise(input: FakeBehaviourInput): FakeBehaviour {
  if (typeof input !== "string") return input;
  switch (input) {
    case "ok":
      return fake.ok();
    case "spend_limit":
      return fake.spendLimit();
    case "overloaded":
      return fake.overloaded();
    case "reset":
      return fake.reset();
    case "hang":
      return fake.hang();
    case "malformed":
      return fake.malformed();
    case "truncated":
      return fake.truncated();
    case "auth_error":
      return fake.authError();
  }
}

function lowerCaseHeaders(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(req.headers).map(([key, value]) => [key.toLowerCase(), Array.isArray(value) ? value.join(", ") : (value ?? "")]));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

/** The prompt: the first user message (a string, or text parts) in either wire format. */
function promptOf(request: Record<string, unknown>): string {
  const messages = Array.isArray(request.messages) ? (request.messages as Array<{ role?: unknown; content?: unknown }>) : [];
  const user = messages.find((message) => message.role === "user");
  const content = user?.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) => (part && typeof part === "object" && typeof (part as { text?: unknown }).text === "string" ? (part as { text: string }).text : ""))
      .join("");
  }
  return "";
}

function numberField(request: Record<string, unknown>, names: string[]): number | null {
  for (const name of names) {
    const value = request[name];
    if (typeof value === "number" && Number.isFinite(value)) return value;
  }
  return null;
}

/** Roughly four characters per token, like the providers' own rule of thumb. */
function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function randomId(length: number): string {
  return randomBytes(length).toString("base64url").slice(0, length);
}

function requestId(wire: Wire): string {
  return wire === "anthropic" ? `req_011C${randomId(20)}` : `req_${randomBytes(16).toString("hex")}`;
}

function idHeaders(wire: Wire): Record<string, string> {
  return wire === "anthropic" ? { "request-id": requestId(wire) } : { "x-request-id": requestId(wire), "openai-processing-ms": "412" };
}

/**
 * Rate-limit headers as the real APIs send them: Anthropic's anthropic-ratelimit-{requests,
 * input-tokens,output-tokens,tokens}-{limit,remaining,reset} (RFC 3339 reset times), OpenAI's
 * x-ratelimit-{limit,remaining,reset}-{requests,tokens} (durations like "1s", "6m0s").
 */
function rateLimitHeaders(wire: Wire, state: { exhausted: boolean; resetSec: number }): Record<string, string> {
  const reset = new Date(Date.now() + state.resetSec * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  if (wire === "anthropic") {
    return {
      "anthropic-ratelimit-requests-limit": "50",
      "anthropic-ratelimit-requests-remaining": state.exhausted ? "0" : "49",
      "anthropic-ratelimit-requests-reset": reset,
      "anthropic-ratelimit-input-tokens-limit": "30000",
      "anthropic-ratelimit-input-tokens-remaining": state.exhausted ? "0" : "29000",
      "anthropic-ratelimit-input-tokens-reset": reset,
      "anthropic-ratelimit-output-tokens-limit": "8000",
      "anthropic-ratelimit-output-tokens-remaining": state.exhausted ? "0" : "7000",
      "anthropic-ratelimit-output-tokens-reset": reset,
      "anthropic-ratelimit-tokens-limit": "38000",
      "anthropic-ratelimit-tokens-remaining": state.exhausted ? "0" : "36000",
      "anthropic-ratelimit-tokens-reset": reset,
    };
  }
  return {
    "x-ratelimit-limit-requests": "500",
    "x-ratelimit-remaining-requests": state.exhausted ? "0" : "499",
    "x-ratelimit-reset-requests": `${state.resetSec}s`,
    "x-ratelimit-limit-tokens": "200000",
    "x-ratelimit-remaining-tokens": state.exhausted ? "0" : "198000",
    "x-ratelimit-reset-tokens": `${state.resetSec}s`,
  };
}

/**
 * Cache usage of one Anthropic request (see the module comment): breakpoints are the system and
 * first-user-message text blocks carrying `cache_control`, in order; each prefix is keyed by its
 * JSON and costs `estimateTokens` of it, capped at the request's `totalTokens`.
 */
function promptCacheUsage(cache: Map<string, number>, request: Record<string, unknown>, totalTokens: number): { write: number; read: number } {
  const blocks: unknown[] = [];
  const breakpoints: number[] = [];
  const collect = (content: unknown) => {
    if (!Array.isArray(content)) {
      blocks.push(content);
      return;
    }
    for (const block of content) {
      blocks.push(block);
      if (block && typeof block === "object" && (block as { cache_control?: unknown }).cache_control) breakpoints.push(blocks.length);
    }
  };
  collect(request.system ?? "");
  const messages = Array.isArray(request.messages) ? (request.messages as Array<{ content?: unknown }>) : [];
  if (messages[0]) collect(messages[0].content);
  if (breakpoints.length === 0) return { write: 0, read: 0 };
  const entries = breakpoints.map((end) => {
    const key = JSON.stringify([request.model, blocks.slice(0, end)]);
    return { key, tokens: Math.min(totalTokens, estimateTokens(key)) };
  });
  let read = 0;
  for (const entry of entries) if (cache.has(entry.key)) read = entry.tokens;
  const last = entries[entries.length - 1];
  for (const entry of entries) cache.set(entry.key, entry.tokens);
  return { write: Math.max(0, last.tokens - read), read };
}

function anthropicMessage(
  model: string,
  text: string,
  truncated: boolean,
  inputTokens: number,
  outputTokens: number,
  cache: { write: number; read: number } = { write: 0, read: 0 },
): unknown {
  return {
    id: `msg_01${randomId(22)}`,
    type: "message",
    role: "assistant",
    model,
    content: [{ type: "text", text }],
    stop_reason: truncated ? "max_tokens" : "end_turn",
    stop_sequence: null,
    usage: {
      input_tokens: inputTokens,
      cache_creation_input_tokens: cache.write,
      cache_read_input_tokens: cache.read,
      output_tokens: outputTokens,
      service_tier: "standard",
    },
  };
}

function openAiCompletion(model: string, text: string, truncated: boolean, inputTokens: number, outputTokens: number): unknown {
  return {
    id: `chatcmpl-${randomId(29)}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: text, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: truncated ? "length" : "stop",
      },
    ],
    usage: {
      prompt_tokens: inputTokens,
      completion_tokens: outputTokens,
      total_tokens: inputTokens + outputTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: "default",
    system_fingerprint: `fp_${randomBytes(5).toString("hex")}`,
  };
}

function sendError(
  res: ServerResponse,
  wire: Wire,
  status: number,
  type: string,
  message: string,
  headers: Record<string, string>,
  code?: string,
): void {
  const body =
    wire === "anthropic"
      ? { type: "error", error: { type, message }, request_id: requestId(wire) }
      : { error: { message, type, param: null, code: code ?? null } };
  sendJson(res, status, body, { ...idHeaders(wire), ...headers });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  if (res.destroyed || res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * `conversationFor`, with every assistant answer lengthened by the same filler so the JSON text is
 * about `targetTokens` tokens at 4 characters a token. Never shorter than the plain conversation.
 */
function paddedConversation(prompt: string, turns: number, targetTokens: number): ReturnType<typeof conversationFor> {
  const conversation = conversationFor(prompt, turns);
  const missing = Math.floor(targetTokens * 4) - JSON.stringify(conversation).length;
  const answers = conversation.turns.filter((turn) => turn.role === "assistant");
  if (missing <= 0 || answers.length === 0) return conversation;
  const filler = " Weigh the costs, the timing and the risks before deciding, and write down why you chose as you did.";
  const padding = filler.repeat(Math.ceil(missing / answers.length / filler.length) + 1);
  answers.forEach((answer, index) => {
    // Split `missing` exactly: the first (missing mod n) answers get one character more.
    const share = Math.floor(missing / answers.length) + (index < missing % answers.length ? 1 : 0);
    answer.content += padding.slice(0, share);
  });
  return conversation;
}

type LimitName = "requests" | "inputTokens" | "outputTokens" | "tokens";

/** What `handle` hands `answer` when limits are enforced. */
interface LimitContext {
  /** Corrects the output reservation to the real output; only the first call counts. */
  settle(outputTokens: number): void;
  /** Set when the request was refused by the limits (answered 429). */
  rejection: Rejection | null;
}

interface Rejection {
  admitted: false;
  retryAfterSec: number;
  message: string;
  /** OpenAI's error.type for the exceeded limit: "requests" or "tokens". */
  openAiType: string;
}

type Admission = { admitted: true; settle(outputTokens: number): void } | Rejection;

const MINUTE_MS = 60_000;

/** A provider-side token bucket: holds up to `limit`, refills `limit` per minute continuously. */
class ServerBucket {
  private level: number;
  private at = Date.now();

  constructor(readonly limit: number) {
    this.level = limit;
  }

  /** ms until `amount` fits; an amount above the limit fits once the bucket is full. */
  waitMs(amount: number, now: number): number {
    const missing = Math.min(amount, this.limit) - this.remaining(now);
    return missing <= 1e-9 ? 0 : Math.ceil((missing * MINUTE_MS) / this.limit);
  }

  /** Adds (negative: takes) tokens, never above the limit. */
  add(amount: number, now: number): void {
    this.level = Math.min(this.limit, this.remaining(now) + amount);
  }

  remaining(now: number): number {
    if (now > this.at) {
      this.level = Math.min(this.limit, this.level + ((now - this.at) * this.limit) / MINUTE_MS);
      this.at = now;
    }
    return this.level;
  }

  /** ms until the bucket is full again. */
  resetMs(now: number): number {
    return Math.ceil(((this.limit - this.remaining(now)) * MINUTE_MS) / this.limit);
  }
}

const LIMIT_LABELS: Record<LimitName, { anthropic: string; openai: string }> = {
  requests: { anthropic: "requests", openai: "requests per min (RPM)" },
  inputTokens: { anthropic: "input tokens", openai: "input tokens per min" },
  outputTokens: { anthropic: "output tokens", openai: "output tokens per min" },
  tokens: { anthropic: "tokens", openai: "tokens per min (TPM)" },
};

/** The `limits` option at work: per-wire buckets, admission and headers (see FakeLlmLimits). */
class ServerLimiter {
  private readonly buckets: Record<Wire, Partial<Record<LimitName, ServerBucket>>>;

  constructor(limits: FakeLlmLimits) {
    const make = (wire: Wire): Partial<Record<LimitName, ServerBucket>> => {
      const buckets: Partial<Record<LimitName, ServerBucket>> = {};
      const add = (name: LimitName, limit: number | undefined) => {
        if (limit !== undefined && Number.isFinite(limit) && limit > 0) buckets[name] = new ServerBucket(limit);
      };
      add("requests", limits.requestsPerMinute);
      add("inputTokens", limits.inputTokensPerMinute);
      add("outputTokens", limits.outputTokensPerMinute);
      if (wire === "openai") add("tokens", limits.tokensPerMinute);
      return buckets;
    };
    this.buckets = { anthropic: make("anthropic"), openai: make("openai") };
  }

  /** Takes one request, its input tokens and `max_tokens` of output, or says how long to wait. */
  admit(wire: Wire, request: Record<string, unknown>): Admission {
    const now = Date.now();
    const buckets = this.buckets[wire];
    const inputTokens = estimateTokens(JSON.stringify(request));
    const maxTokens = numberField(request, wire === "anthropic" ? ["max_tokens"] : ["max_completion_tokens", "max_tokens"]) ?? 4096;
    const need: Record<LimitName, number> = { requests: 1, inputTokens, outputTokens: maxTokens, tokens: inputTokens + maxTokens };
    let worst: { name: LimitName; ms: number } | null = null;
    for (const [name, bucket] of Object.entries(buckets) as Array<[LimitName, ServerBucket]>) {
      const ms = bucket.waitMs(need[name], now);
      if (ms > 0 && (worst === null || ms > worst.ms)) worst = { name, ms };
    }
    if (worst !== null) {
      const bucket = buckets[worst.name] as ServerBucket;
      const retryAfterSec = Math.max(1, Math.ceil(worst.ms / 1000));
      const label = LIMIT_LABELS[worst.name];
      const message =
        wire === "anthropic"
          ? `This request would exceed the rate limit for your organization of ${bucket.limit} ${label.anthropic} per minute. Please try again later.`
          : `Rate limit reached for ${label.openai}: Limit ${bucket.limit}, Used ${Math.ceil(bucket.limit - bucket.remaining(now))}, Requested ${need[worst.name]}. Please try again in ${formatGoDuration(worst.ms)}.`;
      return { admitted: false, retryAfterSec, message, openAiType: worst.name === "requests" ? "requests" : "tokens" };
    }
    for (const [name, bucket] of Object.entries(buckets) as Array<[LimitName, ServerBucket]>) bucket.add(-need[name], now);
    let settled = false;
    return {
      admitted: true,
      settle: (outputTokens) => {
        if (settled) return;
        settled = true;
        const unused = maxTokens - outputTokens;
        const at = Date.now();
        buckets.outputTokens?.add(unused, at);
        buckets.tokens?.add(unused, at);
      },
    };
  }

  /** Rate-limit headers describing the buckets now, in the wire's own dialect. */
  headers(wire: Wire): Record<string, string> {
    const now = Date.now();
    const buckets = this.buckets[wire];
    const headers: Record<string, string> = {};
    const tightestTokens = [buckets.inputTokens, buckets.outputTokens]
      .filter((bucket): bucket is ServerBucket => bucket !== undefined)
      .sort((a, b) => a.remaining(now) - b.remaining(now))[0];
    const remaining = (bucket: ServerBucket) => String(Math.max(0, Math.floor(bucket.remaining(now))));
    if (wire === "anthropic") {
      const rfc3339 = (bucket: ServerBucket) => new Date(Math.ceil((now + bucket.resetMs(now)) / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
      const families: Array<[string, ServerBucket | undefined]> = [
        ["requests", buckets.requests],
        ["input-tokens", buckets.inputTokens],
        ["output-tokens", buckets.outputTokens],
        ["tokens", tightestTokens],
      ];
      for (const [family, bucket] of families) {
        if (!bucket) continue;
        headers[`anthropic-ratelimit-${family}-limit`] = String(bucket.limit);
        headers[`anthropic-ratelimit-${family}-remaining`] = remaining(bucket);
        headers[`anthropic-ratelimit-${family}-reset`] = rfc3339(bucket);
      }
      return headers;
    }
    const families: Array<[string, ServerBucket | undefined]> = [
      ["requests", buckets.requests],
      ["tokens", buckets.tokens ?? tightestTokens],
    ];
    for (const [family, bucket] of families) {
      if (!bucket) continue;
      headers[`x-ratelimit-limit-${family}`] = String(bucket.limit);
      headers[`x-ratelimit-remaining-${family}`] = remaining(bucket);
      headers[`x-ratelimit-reset-${family}`] = formatGoDuration(bucket.resetMs(now));
    }
    return headers;
  }
}

/** A duration as OpenAI (Go's time.Duration) writes it: "20ms", "1s", "1.5s", "6m0s", "1h2m3s". */
function formatGoDuration(ms: number): string {
  const whole = Math.max(0, Math.ceil(ms));
  if (whole === 0) return "0s";
  if (whole < 1000) return `${whole}ms`;
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const seconds = `${Number(((whole % 60_000) / 1000).toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}
