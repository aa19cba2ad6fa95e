/**
 * The engine's pace and recovery as a user sees them: a run keeps the concurrency the user chose
 * against a server that reports no rate limits (vLLM, Ollama…) and against one that reports only
 * requests per minute; a failed store step is retried by the queue and the run still finishes.
 */
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPath } from "../../src/core/import/import-workspace";
import { createAnthropicProvider } from "../../src/core/llm/anthropic-provider";
import { createOpenAIProvider } from "../../src/core/llm/openai-provider";
import { createPlan } from "../../src/core/planning/create-plan";
import type { DatabaseHandle } from "../../src/server/db/client";
import { conversations, generationLogs, generationRunItems } from "../../src/server/db/schema";
import { getRunProgress } from "../../src/server/runs/run-progress";
import { fake, startFakeLlmServer, type FakeLlmServer } from "../support/fake-llm-server";
import { generateNow } from "../support/generate-now";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const FAST_RETRIES = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, jitter: 0 };
let handle: DatabaseHandle;
let workspaceId: string;
const servers: FakeLlmServer[] = [];

async function server(options: Parameters<typeof startFakeLlmServer>[0]) {
  const started = await startFakeLlmServer(options);
  servers.push(started);
  return started;
}

function ids(prefix: string, from: number, count: number) {
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(from + i).padStart(3, "0")}`);
}

describe(`engine pace and recovery (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 40, scenario: 10, edge_case: 2 } });
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await handle.close();
  });

  it("a server with no rate-limit headers gets the user's whole concurrency (8 in flight), and the progress says what paces the run", async () => {
    // 1 s a reply: long enough that all 8 are in flight together even on a busy machine.
    const local = await server({ defaultBehaviour: fake.latency(1_000), rateLimitHeaders: false });
    const selection = ids("tmpl", 1, 16);
    let pacing: string | null = null;
    const result = await generateNow({
      handle,
      selection: { ids: selection },
      provider: createOpenAIProvider({ apiKey: "not-needed", baseURL: local.openaiBaseUrl, model: "local-model" }),
      model: "local-model",
      concurrency: 8,
      retryPolicy: FAST_RETRIES,
      onProgress: (p) => (pacing = p.throttle?.pacedBy ?? pacing),
    });
    expect(result.run?.status).toBe("completed");
    // 8 at once, as the user asked: nothing invented holds the run back (its speed is in bench:generate).
    expect(local.stats().maxInFlight).toBe(8);
    expect(local.stats().rateLimited).toBe(0);
    expect(pacing).toBe("concurrency 8, your setting; no rate limit reported by the provider or set by you");
    const progress = await getRunProgress({ db: handle.db, runId: result.run?.id as string });
    expect(progress.concurrency).toBe(8);
  });

  it("a gateway that reports only requests per minute limits requests, never output tokens nobody reported", async () => {
    const gateway = await server({ defaultBehaviour: fake.latency(1_000), limits: { requestsPerMinute: 240 } });
    const selection = ids("tmpl", 17, 16);
    let limits: string | null = null;
    const result = await generateNow({
      handle,
      selection: { ids: selection },
      provider: createAnthropicProvider({ apiKey: "sk-ant-test", baseURL: gateway.anthropicBaseUrl }),
      model: "claude-sonnet-4-6",
      concurrency: 8,
      retryPolicy: FAST_RETRIES,
      onProgress: (p) => (limits = p.throttle?.limits ?? limits),
    });
    expect(result.run?.status).toBe("completed");
    expect(gateway.stats().maxInFlight).toBe(8);
    expect(gateway.stats().rateLimited).toBe(0);
    expect(limits).toBe("requests 240/min, from the provider's headers");
  });

  it("the user's own limit applies to a server that reports none, and the progress names the setting", async () => {
    const local = await server({ defaultBehaviour: fake.latency(300), rateLimitHeaders: false });
    let limits: string | null = null;
    const result = await generateNow({
      handle,
      selection: { ids: ids("tmpl", 33, 4) },
      provider: createOpenAIProvider({ apiKey: "not-needed", baseURL: local.openaiBaseUrl, model: "local-model" }),
      model: "local-model",
      concurrency: 4,
      retryPolicy: FAST_RETRIES,
      rateLimits: { requestsPerMinute: 600, source: "--rpm" },
      onProgress: (p) => (limits = p.throttle?.limits ?? limits),
    });
    expect(result.run?.status).toBe("completed");
    expect(result.run?.rateLimits).toMatchObject({ requestsPerMinute: 600, source: "--rpm" });
    expect(limits).toBe("requests 600/min, your setting (--rpm)");
  });

  it("a store step that fails once is retried by the queue, and the run finishes with every conversation generated once", async () => {
    const local = await server({ rateLimitHeaders: false });
    const selection = ids("scen", 1, 3);
    let failures = 0;
    const result = await generateNow({
      handle,
      selection: { ids: selection },
      provider: createOpenAIProvider({ apiKey: "not-needed", baseURL: local.openaiBaseUrl, model: "local-model" }),
      model: "local-model",
      concurrency: 3,
      retryPolicy: FAST_RETRIES,
      faults: {
        beforeFinish: ({ attempt }) => {
          if (attempt === 1 && failures === 0) {
            failures += 1;
            throw new Error("connection to the database was lost (injected)");
          }
        },
      },
    });
    expect(failures).toBe(1);
    expect(result.run?.status).toBe("completed");
    expect(result.run?.succeeded).toBe(3);
    const rows = await handle.db.select().from(conversations).where(sql`${conversations.conversationId} in ${selection}`);
    for (const row of rows) expect(row.status).toBe("generated");
    // The rolled-back store left nothing behind: one successful log per conversation.
    const logs = await handle.db
      .select({ conversationId: generationLogs.conversationId, n: sql<number>`count(*)::int` })
      .from(generationLogs)
      .where(sql`${generationLogs.runId} = ${result.run?.id} and ${generationLogs.errorCode} is null`)
      .groupBy(generationLogs.conversationId);
    expect(logs.map((l) => l.n)).toEqual([1, 1, 1]);
    // The failed attempt's provider call is still on the record (its reply was not kept): 4 requests for 3 conversations.
    expect(local.stats().requests).toBe(4);
    const items = await handle.db.select().from(generationRunItems).where(eq(generationRunItems.runId, result.run?.id as string));
    expect(items.map((i) => i.state)).toEqual(["succeeded", "succeeded", "succeeded"]);
  });
});
