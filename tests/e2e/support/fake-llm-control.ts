/**
 * Lets browser tests program the fake LLM server (tests/support/fake-llm-server.ts) that the app
 * server under test talks to.
 *
 * The fake server lives in Playwright's runner process (started by global-setup.ts), while tests
 * run in worker processes, so the fake server gets a small HTTP control endpoint beside it:
 *
 * | request | body | effect |
 * |---|---|---|
 * | `POST /enqueue` | `{ "behaviours": FakeBehaviourInput[] }` | queues behaviours for the next LLM requests, in order |
 * | `POST /default` | `{ "behaviour": FakeBehaviourInput }` | the behaviour when the queue is empty |
 * | `POST /reset` | — | forgets queued behaviours and recorded requests; keeps the default |
 * | `GET /stats` | — | `FakeLlmStats`: requests, 429s, answers by HTTP status |
 *
 * Tests use the `fakeLlm` fixture (fixtures.ts), a `FakeLlmControl` pointed at this endpoint.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { FakeBehaviourInput, FakeLlmServer, FakeLlmStats } from "../../support/fake-llm-server";

export interface FakeLlmControlServer {
  /** http://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      try {
        resolve(text === "" ? {} : JSON.parse(text));
      } catch (error) {
        reject(error);
      }
    });
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Serves the control endpoint for `fake` on 127.0.0.1 with an OS-assigned port.
 * @returns its URL and `close()`; the fake server itself is not closed by it.
 */
export async function startFakeLlmControl(fake: FakeLlmServer): Promise<FakeLlmControlServer> {
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const path = (req.url ?? "/").split("?")[0];
        if (req.method === "POST" && path === "/enqueue") {
          const body = (await readJson(req)) as { behaviours?: FakeBehaviourInput[] };
          if (!Array.isArray(body.behaviours) || body.behaviours.length === 0) return send(res, 400, { error: "behaviours: a non-empty array" });
          fake.enqueue(...body.behaviours);
          return send(res, 200, { ok: true });
        }
        if (req.method === "POST" && path === "/default") {
          const body = (await readJson(req)) as { behaviour?: FakeBehaviourInput };
          if (body.behaviour === undefined) return send(res, 400, { error: "behaviour is required" });
          fake.setDefault(body.behaviour);
          return send(res, 200, { ok: true });
        }
        if (req.method === "POST" && path === "/reset") {
          fake.reset();
          return send(res, 200, { ok: true });
        }
        if (req.method === "GET" && path === "/stats") return send(res, 200, fake.stats());
        send(res, 404, { error: `No route for ${req.method} ${path}` });
      } catch (error) {
        send(res, 500, { error: (error as Error).message });
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The tests' side of the control endpoint. */
export class FakeLlmControl {
  constructor(private readonly url: string) {}

  private async call(method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as unknown;
    if (!response.ok) throw new Error(`fake LLM control ${method} ${path}: HTTP ${response.status} ${JSON.stringify(json)}`);
    return json;
  }

  /** Queues behaviours for the next LLM requests, in order (e.g. `"auth_error"` for a 401). */
  async enqueue(...behaviours: FakeBehaviourInput[]): Promise<void> {
    await this.call("POST", "/enqueue", { behaviours });
  }

  /** The behaviour when nothing is queued (e.g. `{ kind: "latency", ms: 300, then: { kind: "ok" } }`). */
  async setDefault(behaviour: FakeBehaviourInput): Promise<void> {
    await this.call("POST", "/default", { behaviour });
  }

  /** Forgets queued behaviours and recorded requests. */
  async reset(): Promise<void> {
    await this.call("POST", "/reset");
  }

  /** Requests and answers by HTTP status since the start or the last reset. */
  async stats(): Promise<FakeLlmStats> {
    return (await this.call("GET", "/stats")) as FakeLlmStats;
  }
}
