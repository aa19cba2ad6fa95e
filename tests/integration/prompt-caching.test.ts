import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { costUsd } from "../../src/core/cost/prices";
import { generateNow as runGeneration } from "../support/generate-now";
import { importPath } from "../../src/core/import/import-workspace";
import { ANTHROPIC_MIN_CACHEABLE_TOKENS, createAnthropicProvider } from "../../src/core/llm/anthropic-provider";
import type { GenerationRequest } from "../../src/core/llm/types";
import { createPlan } from "../../src/core/planning/create-plan";
import type { DatabaseHandle } from "../../src/server/db/client";
import { generationLogs, generationRuns, templateVersions } from "../../src/server/db/schema";
import { startFakeLlmServer, type FakeLlmServer } from "../support/fake-llm-server";
import { buildGenerationContext } from "../support/generation-context.fixture";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const MODEL = "claude-sonnet-4-6"; // $3 / $15 per million; cache read ×0.1
/** A system prompt well above the minimum cacheable length. */
const LONG_SYSTEM = `You write realistic multi-turn training conversations between a client and a financial planner. Reply with JSON only. ${"Keep every answer specific, careful and grounded in the source material. ".repeat(ANTHROPIC_MIN_CACHEABLE_TOKENS / 10)}`;
const SHARED_PREFIX = `Source material shared by every conversation of this chunk: ${"Contributions to a retirement account reduce taxable income in the year they are made. ".repeat(60)}\n`;

let server: FakeLlmServer;

function request(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  return { model: MODEL, system: LONG_SYSTEM, prompt: "Write a conversation.", maxTokens: 3000, temperature: 0.7, context: buildGenerationContext(), ...overrides };
}
function provider() {
  return createAnthropicProvider({ apiKey: "sk-ant-test", baseURL: server.anthropicBaseUrl, timeoutMs: 5_000 });
}

describe("Anthropic prompt caching against the fake LLM server", () => {
  beforeAll(async () => {
    server = await startFakeLlmServer();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => server.reset());

  it("marks the system prompt and the shared prefix with cache_control, and the second call reads the cache and costs less", async () => {
    const first = await provider().generate(request({ prompt: `${SHARED_PREFIX}Persona: Alex, 34, first job.`, cachePrefix: SHARED_PREFIX }));
    const second = await provider().generate(request({ prompt: `${SHARED_PREFIX}Persona: Alex, 34, first job.`, cachePrefix: SHARED_PREFIX }));

    const sent = server.requests[0].body as { system: unknown; messages: Array<{ content: unknown }> };
    expect(sent.system).toEqual([{ type: "text", text: LONG_SYSTEM, cache_control: { type: "ephemeral" } }]);
    expect(sent.messages[0].content).toEqual([
      { type: "text", text: SHARED_PREFIX, cache_control: { type: "ephemeral" } },
      { type: "text", text: "Persona: Alex, 34, first job." },
    ]);

    expect(first.cacheWriteTokens).toBeGreaterThan(0);
    expect(first.cacheReadTokens).toBe(0);
    expect(second.cacheReadTokens).toBe(first.cacheWriteTokens);
    expect(second.cacheWriteTokens).toBe(0);
    // Same prompt, same tokens in all: only their billing differs.
    const total = (r: typeof first) => r.inputTokens + (r.cacheWriteTokens ?? 0) + (r.cacheReadTokens ?? 0);
    expect(total(second)).toBe(total(first));
    const price = (r: typeof first) =>
      costUsd({ model: MODEL, inputTokens: r.inputTokens, outputTokens: r.outputTokens, cacheWriteTokens: r.cacheWriteTokens, cacheReadTokens: r.cacheReadTokens });
    expect(price(second)).toBeLessThan(price(first));
    // A write costs more than the same tokens uncached; a read a tenth of them.
    expect(price(first)).toBeGreaterThan(costUsd({ model: MODEL, inputTokens: total(first), outputTokens: first.outputTokens }));
  });

  it("reads the cached system prompt when only the rest of the prompt changes", async () => {
    await provider().generate(request({ prompt: "Persona: Alex." }));
    const other = await provider().generate(request({ prompt: "Persona: Sam, retired teacher." }));
    expect(other.cacheReadTokens).toBeGreaterThan(0);
    expect(other.cacheWriteTokens).toBe(0);
    // No shared prefix given: the user message stays a plain string.
    expect((server.requests[1].body as { messages: Array<{ content: unknown }> }).messages[0].content).toBe("Persona: Sam, retired teacher.");
  });

  it("sends short prompts unmarked (below the minimum cacheable length the API would not cache them) and reports no cache use", async () => {
    const response = await provider().generate(request({ system: "Reply with JSON only.", prompt: "Hi", cachePrefix: "H" }));
    const sent = server.requests[0].body as { system: unknown; messages: Array<{ content: unknown }> };
    expect(sent.system).toBe("Reply with JSON only.");
    expect(sent.messages[0].content).toBe("Hi");
    expect(response.cacheWriteTokens).toBe(0);
    expect(response.cacheReadTokens).toBe(0);
  });

  it("with promptCaching: \"off\" never sends cache_control", async () => {
    const off = createAnthropicProvider({ apiKey: "sk-ant-test", baseURL: server.anthropicBaseUrl, timeoutMs: 5_000, promptCaching: "off" });
    await off.generate(request({ prompt: `${SHARED_PREFIX}x`, cachePrefix: SHARED_PREFIX }));
    expect(JSON.stringify(server.requests[0].body)).not.toContain("cache_control");
  });
});

describe(`prompt-cache usage through the generation pipeline (${testDatabaseKind()})`, () => {
  let handle: DatabaseHandle;
let workspaceId: string;
  let pipelineServer: FakeLlmServer;
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    pipelineServer = await startFakeLlmServer();
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 6, scenario: 3, edge_case: 2 } });
    await handle.db.update(templateVersions).set({ systemPrompt: LONG_SYSTEM });
  });
  afterAll(async () => {
    await pipelineServer.close();
    await handle.close();
  });

  it("prices cache writes and reads by their multipliers, logs them, and the run cost equals the sum of its logs", async () => {
    const result = await runGeneration({
      handle,
      selection: { ids: ["tmpl-001", "tmpl-002"] },
      provider: createAnthropicProvider({ apiKey: "sk-ant-test", baseURL: pipelineServer.anthropicBaseUrl, timeoutMs: 5_000 }),
      model: MODEL,
      userId: "local:test",
      concurrency: 1,
    });
    expect(result.run?.succeeded).toBe(2);
    const logs = await handle.db.select().from(generationLogs).where(eq(generationLogs.runId, result.run?.id as string)).orderBy(asc(generationLogs.createdAt));
    expect(logs).toHaveLength(2);
    const caches = logs.map((log) => (log.parameters as { cache: { write: number; read: number } }).cache);
    expect(caches[0].write).toBeGreaterThan(0);
    expect(caches[0].read).toBe(0);
    expect(caches[1].read).toBeGreaterThan(0);
    for (const [index, log] of logs.entries()) {
      const expected = costUsd({ model: log.model, inputTokens: log.inputTokens, outputTokens: log.outputTokens, cacheWriteTokens: caches[index].write, cacheReadTokens: caches[index].read });
      // generation_logs.cost_usd keeps 6 decimals.
      expect(log.costUsd).toBeCloseTo(expected, 5);
      const uncached = costUsd({ model: log.model, inputTokens: log.inputTokens + caches[index].write + caches[index].read, outputTokens: log.outputTokens });
      expect(Math.abs(log.costUsd - uncached)).toBeGreaterThan(1e-4);
    }
    const [run] = await handle.db.select().from(generationRuns).where(eq(generationRuns.id, result.run?.id as string));
    expect(run.costUsd).toBeCloseTo(logs.reduce((sum, log) => sum + log.costUsd, 0), 8);
  });
});
