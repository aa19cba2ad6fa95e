/**
 * A local HTTP server that speaks the two batch APIs, so tests drive the real SDKs' batch calls
 * with no network:
 *
 * - Anthropic Message Batches: `POST /v1/messages/batches`, `GET /v1/messages/batches/{id}`,
 *   `POST /v1/messages/batches/{id}/cancel` (OpenAI: `POST /v1/batches/{id}/cancel`),
 *   `GET /v1/messages/batches/{id}/results` (JSONL at the batch's absolute `results_url`).
 * - OpenAI Batch API: `POST /v1/files` (multipart, purpose "batch"), `POST /v1/batches`,
 *   `GET /v1/batches/{id}`, `GET /v1/files/{id}/content` (output and error JSONL files).
 *
 * Programmable: a batch reports in progress for `pollsUntilEnded` status polls, then ended; the
 * outcome of each request is taken, in submission order across batches, from a queue
 * (`enqueueOutcomes("errored", "expired", …)`), "succeeded" when the queue is empty. A succeeded
 * request answers with the conversation `conversationFor` writes from its prompt, with usage at
 * four characters a token. Every request and batch is recorded.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { conversationFor } from "./fake-llm-server";

export type FakeBatchOutcome = "succeeded" | "errored" | "expired" | "malformed";

export interface FakeBatchServerOptions {
  /** Status polls answered "in progress" before a batch ends; 2 by default. */
  pollsUntilEnded?: number;
  /** Turns of each generated conversation; 10 by default. */
  turns?: number;
}

export interface FakeBatch {
  id: string;
  wire: "anthropic" | "openai";
  /** custom_ids in submission order. */
  customIds: string[];
  /** Request bodies (params / body) by custom_id. */
  bodies: Map<string, Record<string, unknown>>;
  outcomes: Map<string, FakeBatchOutcome>;
  polls: number;
  /** Set by a cancel request: the batch ends at its next poll and its requests end as canceled. */
  cancelled: boolean;
}

export interface FakeBatchServer {
  url: string;
  anthropicBaseUrl: string;
  openaiBaseUrl: string;
  /** Outcomes for the next submitted requests, in order. */
  enqueueOutcomes(...outcomes: FakeBatchOutcome[]): void;
  batches: FakeBatch[];
  requests: Array<{ method: string; path: string }>;
  close(): Promise<void>;
}

const estimateTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));
const randomId = (length: number) => randomBytes(length).toString("base64url").slice(0, length);

/** The first user message's text (string or text blocks). */
function promptOf(body: Record<string, unknown>): string {
  const messages = Array.isArray(body.messages) ? (body.messages as Array<{ role?: string; content?: unknown }>) : [];
  const content = messages.find((m) => m.role === "user")?.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part: { text?: string }) => part?.text ?? "").join("");
  return "";
}

/**
 * Starts the fake batch server on 127.0.0.1 with an OS-assigned port.
 * @returns handles to program and inspect it; call `close()` in afterAll
 */
export async function startFakeBatchServer(options: FakeBatchServerOptions = {}): Promise<FakeBatchServer> {
  const pollsUntilEnded = options.pollsUntilEnded ?? 2;
  const turns = options.turns ?? 10;
  const queue: FakeBatchOutcome[] = [];
  const batches: FakeBatch[] = [];
  const files = new Map<string, string>();
  const requests: Array<{ method: string; path: string }> = [];
  const sockets = new Set<Socket>();
  let url = "";

  const replyText = (body: Record<string, unknown>, outcome: FakeBatchOutcome) =>
    outcome === "malformed" ? "Sure! Here is a lovely conversation about money." : JSON.stringify(conversationFor(promptOf(body), turns));
  const usageOf = (body: Record<string, unknown>, text: string) => ({ input: estimateTokens(JSON.stringify(body)), output: estimateTokens(text) });

  function submit(wire: FakeBatch["wire"], items: Array<{ customId: string; body: Record<string, unknown> }>): FakeBatch {
    const batch: FakeBatch = {
      id: wire === "anthropic" ? `msgbatch_01${randomId(22)}` : `batch_${randomBytes(12).toString("hex")}`,
      wire,
      customIds: items.map((item) => item.customId),
      bodies: new Map(items.map((item) => [item.customId, item.body])),
      outcomes: new Map(items.map((item) => [item.customId, queue.shift() ?? "succeeded"])),
      polls: 0,
      cancelled: false,
    };
    batches.push(batch);
    return batch;
  }

  const ended = (batch: FakeBatch) => batch.cancelled || batch.polls > pollsUntilEnded;
  const count = (batch: FakeBatch, outcome: FakeBatchOutcome) => [...batch.outcomes.values()].filter((o) => o === outcome).length;

  function anthropicBatch(batch: FakeBatch) {
    const done = ended(batch);
    return {
      id: batch.id,
      type: "message_batch",
      processing_status: done ? "ended" : "in_progress",
      request_counts: done
        ? { processing: 0, succeeded: count(batch, "succeeded") + count(batch, "malformed"), errored: count(batch, "errored"), canceled: 0, expired: count(batch, "expired") }
        : { processing: batch.customIds.length, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      ended_at: done ? new Date().toISOString() : null,
      created_at: new Date().toISOString(),
      expires_at: new Date(Date.now() + 86_400_000).toISOString(),
      archived_at: null,
      cancel_initiated_at: null,
      results_url: done ? `${url}/v1/messages/batches/${batch.id}/results` : null,
    };
  }

  function anthropicResults(batch: FakeBatch): string {
    return batch.customIds
      .map((customId) => {
        const outcome = batch.outcomes.get(customId) as FakeBatchOutcome;
        const body = batch.bodies.get(customId) as Record<string, unknown>;
        if (batch.cancelled) return { custom_id: customId, result: { type: "canceled" } };
        if (outcome === "errored") return { custom_id: customId, result: { type: "errored", error: { type: "error", error: { type: "api_error", message: "Internal server error" } } } };
        if (outcome === "expired") return { custom_id: customId, result: { type: "expired" } };
        const text = replyText(body, outcome);
        const usage = usageOf(body, text);
        return {
          custom_id: customId,
          result: {
            type: "succeeded",
            message: {
              id: `msg_01${randomId(22)}`,
              type: "message",
              role: "assistant",
              model: body.model,
              content: [{ type: "text", text }],
              stop_reason: "end_turn",
              stop_sequence: null,
              usage: { input_tokens: usage.input, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: usage.output, service_tier: "batch" },
            },
          },
        };
      })
      .map((line) => JSON.stringify(line))
      .join("\n");
  }

  function openAiBatch(batch: FakeBatch & { inputFileId?: string; outputFileId?: string; errorFileId?: string }) {
    const done = ended(batch);
    if (done && batch.outputFileId === undefined) {
      const output: string[] = [];
      const errors: string[] = [];
      for (const customId of batch.cancelled ? [] : batch.customIds) {
        const outcome = batch.outcomes.get(customId) as FakeBatchOutcome;
        const body = batch.bodies.get(customId) as Record<string, unknown>;
        const id = `batch_req_${randomBytes(12).toString("hex")}`;
        if (outcome === "expired") {
          errors.push(JSON.stringify({ id, custom_id: customId, response: null, error: { code: "batch_expired", message: "This request could not be executed before the completion window expired." } }));
        } else if (outcome === "errored") {
          errors.push(
            JSON.stringify({ id, custom_id: customId, response: { status_code: 500, request_id: `req_${randomBytes(16).toString("hex")}`, body: { error: { message: "The server had an error.", type: "server_error", param: null, code: null } } }, error: null }),
          );
        } else {
          const text = replyText(body, outcome);
          const usage = usageOf(body, text);
          output.push(
            JSON.stringify({
              id,
              custom_id: customId,
              response: {
                status_code: 200,
                request_id: `req_${randomBytes(16).toString("hex")}`,
                body: {
                  id: `chatcmpl-${randomId(29)}`,
                  object: "chat.completion",
                  created: Math.floor(Date.now() / 1000),
                  model: body.model,
                  choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, logprobs: null, finish_reason: "stop" }],
                  usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
                },
              },
              error: null,
            }),
          );
        }
      }
      batch.outputFileId = `file-${randomId(22)}`;
      files.set(batch.outputFileId, output.join("\n"));
      if (errors.length) {
        batch.errorFileId = `file-${randomId(22)}`;
        files.set(batch.errorFileId, errors.join("\n"));
      }
    }
    return {
      id: batch.id,
      object: "batch",
      endpoint: "/v1/chat/completions",
      input_file_id: batch.inputFileId,
      completion_window: "24h",
      status: batch.cancelled ? "cancelled" : done ? "completed" : batch.polls === 0 ? "validating" : "in_progress",
      created_at: Math.floor(Date.now() / 1000),
      output_file_id: done ? batch.outputFileId : undefined,
      error_file_id: done ? batch.errorFileId : undefined,
      request_counts: { total: batch.customIds.length, completed: done ? count(batch, "succeeded") + count(batch, "malformed") : 0, failed: done ? count(batch, "errored") + count(batch, "expired") : 0 },
    };
  }

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => send(res, 500, { error: { message: String(error) } }));
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const method = req.method ?? "GET";
    const path = (req.url ?? "/").split("?")[0];
    requests.push({ method, path });
    let match: RegExpExecArray | null;

    if (method === "POST" && path === "/v1/messages/batches") {
      const body = JSON.parse(raw.toString("utf8")) as { requests: Array<{ custom_id: string; params: Record<string, unknown> }> };
      const batch = submit("anthropic", body.requests.map((r) => ({ customId: r.custom_id, body: r.params })));
      return send(res, 200, anthropicBatch(batch));
    }
    if (method === "POST" && (match = /^\/v1\/(?:messages\/)?batches\/([^/]+)\/cancel$/.exec(path))) {
      const batch = batches.find((b) => b.id === match?.[1]);
      if (!batch) return send(res, 404, { type: "error", error: { type: "not_found_error", message: "No such batch." } });
      batch.cancelled = true;
      return send(res, 200, batch.wire === "anthropic" ? { ...anthropicBatch(batch), processing_status: "canceling" } : { ...openAiBatch(batch), status: "cancelling" });
    }
    if (method === "GET" && (match = /^\/v1\/messages\/batches\/([^/]+)\/results$/.exec(path))) {
      const batch = batches.find((b) => b.id === match?.[1]);
      if (!batch || !ended(batch)) return send(res, 404, { type: "error", error: { type: "not_found_error", message: "No results yet." } });
      res.writeHead(200, { "content-type": "application/binary" });
      res.end(anthropicResults(batch));
      return;
    }
    if (method === "GET" && (match = /^\/v1\/messages\/batches\/([^/]+)$/.exec(path))) {
      const batch = batches.find((b) => b.id === match?.[1]);
      if (!batch) return send(res, 404, { type: "error", error: { type: "not_found_error", message: "No such batch." } });
      batch.polls += 1;
      return send(res, 200, anthropicBatch(batch));
    }
    if (method === "POST" && path === "/v1/files") {
      const content = multipartFile(raw, String(req.headers["content-type"] ?? ""));
      const id = `file-${randomId(22)}`;
      files.set(id, content);
      return send(res, 200, { id, object: "file", bytes: Buffer.byteLength(content), created_at: Math.floor(Date.now() / 1000), filename: "batch.jsonl", purpose: "batch", status: "processed" });
    }
    if (method === "GET" && (match = /^\/v1\/files\/([^/]+)\/content$/.exec(path))) {
      const content = files.get(match[1]);
      if (content === undefined) return send(res, 404, { error: { message: "No such file.", type: "invalid_request_error", param: null, code: null } });
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(content);
      return;
    }
    if (method === "POST" && path === "/v1/batches") {
      const body = JSON.parse(raw.toString("utf8")) as { input_file_id: string };
      const input = files.get(body.input_file_id);
      if (input === undefined) return send(res, 400, { error: { message: "Unknown input_file_id.", type: "invalid_request_error", param: "input_file_id", code: null } });
      const lines = input.split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line) as { custom_id: string; body: Record<string, unknown> });
      const batch = Object.assign(submit("openai", lines.map((line) => ({ customId: line.custom_id, body: line.body }))), { inputFileId: body.input_file_id });
      return send(res, 200, openAiBatch(batch));
    }
    if (method === "GET" && (match = /^\/v1\/batches\/([^/]+)$/.exec(path))) {
      const batch = batches.find((b) => b.id === match?.[1]);
      if (!batch) return send(res, 404, { error: { message: "No such batch.", type: "invalid_request_error", param: null, code: null } });
      batch.polls += 1;
      return send(res, 200, openAiBatch(batch));
    }
    send(res, 404, { error: { message: `No route for ${method} ${path}` } });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    anthropicBaseUrl: url,
    openaiBaseUrl: `${url}/v1`,
    enqueueOutcomes: (...outcomes) => queue.push(...outcomes),
    batches,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", () => resolve(Buffer.concat(chunks)));
  });
}

/** The `file` part of a multipart/form-data body, as text. */
function multipartFile(body: Buffer, contentType: string): string {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return "";
  const text = body.toString("utf8");
  for (const part of text.split(`--${boundary[1] ?? boundary[2]}`)) {
    const split = part.indexOf("\r\n\r\n");
    if (split === -1) continue;
    if (!/name="file"/.test(part.slice(0, split))) continue;
    return part.slice(split + 4).replace(/\r\n$/, "");
  }
  return "";
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed || res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
