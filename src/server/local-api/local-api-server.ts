import "server-only";
/**
 * The server's local API: how `brightrun` commands run inside the server that holds the embedded
 * database (ARCHITECTURE.md "One process owns the embedded database"; docs/cli-beside-the-server.md).
 *
 * A plain Node HTTP listener bound to 127.0.0.1 on a free port, beside the web server: bound to the
 * loopback interface, it cannot be reached from another host at all, and it sees each request's
 * real peer address (a Next.js route handler, behind a listener on every interface, only sees an
 * `x-forwarded-for` header a client may set itself).
 *
 * One endpoint, `POST /cli`:
 * - header `x-brightrun-token`: the token of the local API file (compared in constant time); a
 *   missing or wrong token answers 401, a peer that is not loopback 403;
 * - body (JSON, at most 1 MiB): `{ "argv": string[], "cwd": absolute path, "user": string,
 *   "env": { "BRIGHTRUN_WORKSPACE"?: string } }`; anything else answers 400;
 * - answer 200, `application/x-ndjson`, one JSON object per line as the command runs:
 *   `{"type":"stdout","text":"…"}`, `{"type":"stderr","text":"…"}`, and last `{"type":"exit","code":N}`.
 *   When the CLI goes away the command's session signal is aborted.
 * Errors before the command starts answer `{"error":{"code","message"}}` with their status.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { FORWARDED_VARIABLES } from "./cli-session";

/** Largest request body accepted (bytes). */
const MAX_BODY_BYTES = 1024 * 1024;
/** The header that carries the token. */
export const TOKEN_HEADER = "x-brightrun-token";

/** The request body the CLI sends. */
export const cliRequestSchema = z.object({
  argv: z.array(z.string().max(100_000)).max(1_000),
  cwd: z.string().min(1).refine((value) => path.isAbsolute(value), "cwd must be an absolute path"),
  user: z.string().trim().min(1).max(200),
  env: z.object(Object.fromEntries(FORWARDED_VARIABLES.map((name) => [name, z.string().max(1_000).optional()])) as Record<(typeof FORWARDED_VARIABLES)[number], z.ZodOptional<z.ZodString>>).default({}),
});
export type CliRequest = z.infer<typeof cliRequestSchema>;

/** One line of the answer stream. */
export type CliStreamLine = { type: "stdout" | "stderr"; text: string } | { type: "exit"; code: number };

/** What runs a validated request: writes the command's output through `write`, returns its exit code. */
export type RunCliRequest = (
  request: CliRequest,
  io: { write: (stream: "stdout" | "stderr", text: string) => void; signal: AbortSignal },
) => Promise<number>;

export interface LocalApi {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Stops listening, aborts the commands still running and closes their connections. */
  close(): Promise<void>;
}

/** True for an IPv4 loopback address (127.0.0.0/8, also IPv4-mapped) or ::1. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return v4.startsWith("127.") || address === "::1";
}

/** Constant-time comparison of a presented token with the expected one (digests first, so lengths never leak). */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (typeof presented !== "string") return false;
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

function answerError(res: http.ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify({ error: { code, message } }));
}

function readBody(req: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * Starts the local API on 127.0.0.1 (a free port).
 * @param options.token the token requests must carry (see api-file.ts createLocalApiToken)
 * @param options.run runs one command (src/cli/run-in-server.ts)
 * @param options.log one line per command: its name, user, exit code and time (never its arguments: they may hold notes or names)
 * @throws the listener's error when no port can be had
 */
export async function startLocalApi(options: { token: string; run: RunCliRequest; log?: (line: string) => void }): Promise<LocalApi> {
  const running = new Set<AbortController>();
  const server = http.createServer((req, res) => {
    void (async () => {
      if (!isLoopbackAddress(req.socket.remoteAddress)) return answerError(res, 403, "forbidden", "The local API answers this machine only.");
      if (req.method !== "POST" || req.url !== "/cli") return answerError(res, 404, "not_found", "The local API has one endpoint: POST /cli.");
      const presented = req.headers[TOKEN_HEADER];
      if (!tokenMatches(Array.isArray(presented) ? presented[0] : presented, options.token)) {
        return answerError(res, 401, "unauthorized", "The token is missing or is not this server's: read it from the local API file in the data directory.");
      }
      const body = await readBody(req);
      if (body === null) return answerError(res, 413, "too_large", `The request is larger than ${MAX_BODY_BYTES} bytes.`);
      let request: CliRequest;
      try {
        request = cliRequestSchema.parse(JSON.parse(body));
      } catch (error) {
        return answerError(res, 400, "bad_request", `The request is not a CLI command: ${error instanceof z.ZodError ? (error.issues[0]?.message ?? "invalid") : "not JSON"}.`);
      }

      const controller = new AbortController();
      running.add(controller);
      let finished = false;
      res.on("close", () => {
        if (!finished) controller.abort();
      });
      res.writeHead(200, { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" });
      const send = (line: CliStreamLine) => {
        if (res.writableEnded || res.destroyed) return;
        res.write(`${JSON.stringify(line)}\n`);
      };
      const started = performance.now();
      let code = 1;
      try {
        code = await options.run(request, { write: (stream, text) => send({ type: stream, text }), signal: controller.signal });
      } catch (error) {
        send({ type: "stderr", text: `Unexpected error in the server (please report it): ${error instanceof Error ? error.message : String(error)}\n` });
      } finally {
        finished = true;
        running.delete(controller);
        send({ type: "exit", code });
        res.end();
        const word = request.argv.find((a) => !a.startsWith("-")) ?? "(none)";
        options.log?.(`CLI command "${word}" from ${request.user}: exit ${code}${controller.signal.aborted ? " (the CLI went away)" : ""} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
    })().catch((error: Error) => {
      if (!res.headersSent) answerError(res, 500, "internal_error", `The local API failed: ${error.message}`);
      else res.destroy();
    });
  });
  // Long commands (a generation run) stream for as long as they take.
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const controller of running) controller.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
