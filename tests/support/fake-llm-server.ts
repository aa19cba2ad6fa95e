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
 * Extension point for throughput limits (requests / output tokens per minute): `nextBehaviour`
 * is the one place that decides how to answer, and `served` logs every answer's time and output
 * tokens, so a limiter can be added there without touching the wire code.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

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
};

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

export interface FakeLlmServerOptions {
  /** Behaviour when the queue is empty; "ok" by default. */
  defaultBehaviour?: FakeBehaviourInput;
  /** How many turns the default conversation has; 10 by default. */
  turns?: number;
}

export interface FakeLlmServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Base URL for the Anthropic SDK (it appends /v1/messages). */
  anthropicBaseUrl: string;
  /** Base URL for the OpenAI SDK (it appends /chat/completions). */
  openaiBaseUrl: string;
  /** Queues behaviours for the next requests, in order. */
  enqueue(...behaviours: FakeBehaviourInput[]): void;
  setDefault(behaviour: FakeBehaviourInput): void;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Every answer given with a status (resets and hangs are not here). */
  served: ServedResponse[];
  /** Forgets recorded requests, served answers and queued behaviours; keeps the default. */
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
  let defaultBehaviour = normalise(options.defaultBehaviour ?? "ok");
  const turnCount = options.turns ?? 10;
  const requests: RecordedRequest[] = [];
  const served: ServedResponse[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  function nextBehaviour(): FakeBehaviour {
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
    const wire: Wire | null =
      req.method === "POST" && path === "/v1/messages" ? "anthropic" : req.method === "POST" && path === "/v1/chat/completions" ? "openai" : null;
    let body: unknown = raw;
    try {
      body = raw === "" ? null : JSON.parse(raw);
    } catch {
      // keep the raw text; answered below as a 400
    }
    const behaviour = wire === null ? ({ kind: "ok" } as FakeBehaviour) : nextBehaviour();
    requests.push({
      wire,
      method: req.method ?? "GET",
      path,
      headers: Object.fromEntries(Object.entries(req.headers).map(([key, value]) => [key.toLowerCase(), Array.isArray(value) ? value.join(", ") : value ?? ""])),
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
    await answer(res, wire, body as Record<string, unknown>, behaviour);
  }

  async function answer(res: ServerResponse, wire: Wire, request: Record<string, unknown>, behaviour: FakeBehaviour): Promise<void> {
    switch (behaviour.kind) {
      case "latency": {
        const waited = await wait(behaviour.ms, res);
        if (waited) await answer(res, wire, request, behaviour.then);
        return;
      }
      case "hang":
        return; // never answer; close() drops the socket
      case "reset":
        res.socket?.destroy();
        return;
      case "rate_limit": {
        const headers = { "retry-after": String(behaviour.retryAfterSec), ...rateLimitHeaders(wire, { exhausted: true, resetSec: behaviour.retryAfterSec }) };
        const message =
          wire === "anthropic"
            ? "This request would exceed the rate limit for your organization of 50 requests per minute. Please try again later."
            : "Rate limit reached for requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 7s.";
        sendError(res, wire, 429, wire === "anthropic" ? "rate_limit_error" : "requests", message, headers, wire === "openai" ? "rate_limit_exceeded" : undefined);
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
        } else {
          text = behaviour.text ?? JSON.stringify(conversationFor(prompt, turnCount));
        }
        const inputTokens = estimateTokens(JSON.stringify(request));
        const outputTokens = truncated ? maxTokens : Math.min(maxTokens, estimateTokens(text));
        const model = typeof request.model === "string" ? request.model : "unknown-model";
        const payload = wire === "anthropic" ? anthropicMessage(model, text, truncated, inputTokens, outputTokens) : openAiCompletion(model, text, truncated, inputTokens, outputTokens);
        sendJson(res, 200, payload, { ...rateLimitHeaders(wire, { exhausted: false, resetSec: 1 }), ...idHeaders(wire) });
        served.push({ wire, status: 200, outputTokens, at: Date.now() });
        return;
      }
    }
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
    setDefault: (behaviour) => {
      defaultBehaviour = normalise(behaviour);
    },
    requests,
    served,
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      served.length = 0;
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

function anthropicMessage(model: string, text: string, truncated: boolean, inputTokens: number, outputTokens: number): unknown {
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
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
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
