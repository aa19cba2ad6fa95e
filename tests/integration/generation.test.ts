import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_MODELS } from "../../src/core/cost/prices";
import { generateNow as runGeneration } from "../support/generate-now";
import { importPath } from "../../src/core/import/import-workspace";
import { createAnthropicProvider } from "../../src/core/llm/anthropic-provider";
import { createOpenAIProvider } from "../../src/core/llm/openai-provider";
import { createPlan } from "../../src/core/planning/create-plan";
import type { DatabaseHandle } from "../../src/server/db/client";
import { conversations, conversationTurns, generationLogs, generationRuns } from "../../src/server/db/schema";
import { fake, startFakeLlmServer, type FakeLlmServer } from "../support/fake-llm-server";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const FAST_RETRIES = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, jitter: 0 };
let handle: DatabaseHandle;
let workspaceId: string;
let server: FakeLlmServer;

async function conversation(humanId: string) {
  const [row] = await handle.db.select().from(conversations).where(eq(conversations.conversationId, humanId));
  return row;
}
async function logsOf(id: string) {
  return handle.db.select().from(generationLogs).where(eq(generationLogs.conversationId, id)).orderBy(asc(generationLogs.createdAt));
}
function anthropic() {
  return createAnthropicProvider({ apiKey: "sk-ant-test", baseURL: server.anthropicBaseUrl, timeoutMs: 5_000 });
}
function generate(ids: string[], provider = anthropic(), model = DEFAULT_MODELS.anthropic) {
  return runGeneration({ handle, selection: { ids }, provider, model, userId: "local:test", concurrency: 2, retryPolicy: FAST_RETRIES });
}

describe(`generation through the real SDKs against the fake LLM server (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    server = await startFakeLlmServer();
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 6, scenario: 3, edge_case: 2 } });
  });
  afterAll(async () => {
    await server.close();
    await handle.close();
  });
  beforeEach(() => server.reset());

  it("generates over the Anthropic Messages wire format: turns stored, scored, one log row per call with tokens and cost", async () => {
    const result = await generate(["tmpl-001", "tmpl-002"]);
    expect(result.run?.succeeded).toBe(2);
    expect(server.requests.filter((r) => r.wire === "anthropic")).toHaveLength(2);
    const sent = server.requests[0].body as { system: string; messages: Array<{ role: string; content: unknown }>; max_tokens: number };
    expect(sent.system).toMatch(/JSON/);
    expect(sent.messages[0].role).toBe("user");
    expect(sent.max_tokens).toBeGreaterThan(0);

    const row = await conversation("tmpl-001");
    expect(row.status).toBe("generated");
    expect(row.turnCount).toBe(10);
    expect(row.qualityScore).toBeGreaterThanOrEqual(1);
    expect(row.provider).toBe("anthropic");
    expect(row.inputTokens).toBeGreaterThan(0);
    expect(row.costUsd).toBeGreaterThan(0);
    const turns = await handle.db.select().from(conversationTurns).where(eq(conversationTurns.conversationId, row.id)).orderBy(asc(conversationTurns.turnNumber));
    expect(turns.map((t) => t.role)).toEqual(["user", "assistant", "user", "assistant", "user", "assistant", "user", "assistant", "user", "assistant"]);
    const logs = await logsOf(row.id);
    expect(logs).toHaveLength(1);
    expect(logs[0].errorCode).toBeNull();
    expect(logs[0].inputTokens).toBe(row.inputTokens);
    expect(logs[0].costUsd).toBeCloseTo(row.costUsd, 8);
    expect(logs[0].durationMs).toBeGreaterThanOrEqual(0);
    expect((logs[0].responsePayload as { id?: string }).id).toBeTruthy();

    const [run] = await handle.db.select().from(generationRuns).where(eq(generationRuns.id, result.run?.id as string));
    const runLogs = await handle.db.select().from(generationLogs).where(eq(generationLogs.runId, run.id));
    expect(run.costUsd).toBeCloseTo(runLogs.reduce((s, l) => s + l.costUsd, 0), 8);
  });

  it("generates over the OpenAI Chat Completions wire format", async () => {
    const provider = createOpenAIProvider({ apiKey: "sk-test", baseURL: server.openaiBaseUrl, timeoutMs: 5_000 });
    const result = await generate(["scen-001"], provider, DEFAULT_MODELS.openai);
    expect(result.run?.succeeded).toBe(1);
    expect(server.requests[0].wire).toBe("openai");
    const sent = server.requests[0].body as { messages: Array<{ role: string; content: string }> };
    expect(sent.messages[0].role).toBe("system");
    expect(sent.messages[1].content).toMatch(/scenario|Scenario/);
    const row = await conversation("scen-001");
    expect(row.status).toBe("generated");
    expect(row.provider).toBe("openai");
    expect(row.model).toBeTruthy();
  });

  it("retries a 500 and succeeds, logging both calls", async () => {
    server.enqueue(fake.serverError(500), fake.ok());
    const result = await generate(["tmpl-003"]);
    expect(result.outcomes[0]).toMatchObject({ status: "generated", attempts: 2 });
    const row = await conversation("tmpl-003");
    const logs = await logsOf(row.id);
    expect(logs.map((l) => l.errorCode)).toEqual(["server_error", null]);
  });

  it("keeps a reply that is not the conversation JSON, marks the conversation failed in plain English, and logs every attempt", async () => {
    server.enqueue(fake.malformed(), fake.malformed(), fake.malformed());
    const result = await generate(["tmpl-004"]);
    expect(result.outcomes[0].status).toBe("failed");
    const row = await conversation("tmpl-004");
    expect(row.status).toBe("failed");
    expect(row.lastError?.code).toBe("malformed_response");
    expect(row.lastError?.message).toMatch(/not valid JSON|JSON/);
    expect(row.rawReply).toBeTruthy();
    expect(row.rawReply).not.toMatch(/^\s*\{"turns"/);
    expect(row.turnCount).toBe(0);
    const logs = await logsOf(row.id);
    expect(logs).toHaveLength(3);
    expect(logs.every((l) => l.errorCode === "malformed_response")).toBe(true);
  });

  it("does not retry a permanent error (authentication) and says what to check", async () => {
    server.enqueue(fake.authError());
    const result = await generate(["tmpl-005"]);
    expect(result.outcomes[0]).toMatchObject({ status: "failed", attempts: 1 });
    const row = await conversation("tmpl-005");
    expect(row.lastError).toMatchObject({ code: "authentication_failed", retryable: false });
    expect(row.lastError?.message).toMatch(/ANTHROPIC_API_KEY/);
    expect(server.requests).toHaveLength(1);
  });

  it("retries a failed conversation later with --status failed", async () => {
    const result = await runGeneration({
      handle,
      selection: { status: ["failed"] },
      provider: anthropic(),
      model: DEFAULT_MODELS.anthropic,
      userId: "local:test",
      concurrency: 1,
      retryPolicy: FAST_RETRIES,
    });
    expect(result.run?.kind).toBe("live");
    expect(result.run?.selection).toMatchObject({ scope: "all_failed" });
    expect((await conversation("tmpl-004")).status).toBe("generated");
    expect((await conversation("tmpl-004")).rawReply).toBeNull();
  });

  it("never generates a seed and skips conversations already generated", async () => {
    const result = await generate(["seed-001", "tmpl-001"]);
    expect(result.run).toBeNull();
    expect(result.skipped.map((s) => s.conversationId).sort()).toEqual(["seed-001", "tmpl-001"]);
    expect(server.requests).toHaveLength(0);
    expect((await conversation("seed-001")).status).toBe("approved");
  });

  it("fails fast, before any API call, when the template needs a parameter the conversation lacks", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-template-"));
    fs.writeFileSync(
      path.join(dir, "templates.json"),
      JSON.stringify({
        templates: [
          {
            key: "needs-scenario",
            name: "Needs a scenario",
            tier: "template",
            is_default: true,
            system_prompt: "Reply with JSON.",
            template_text: "Write a conversation for {persona} about {scenario_problem}.",
          },
        ],
      }),
    );
    await importPath({ db: handle.db, workspaceId, target: dir, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 7, scenario: 3, edge_case: 2 } });
    const result = await generate(["tmpl-007"]);
    expect(result.outcomes[0].status).toBe("failed");
    expect(server.requests).toHaveLength(0);
    const row = await conversation("tmpl-007");
    expect(row.lastError?.code).toBe("template_parameter_missing");
    expect(row.lastError?.message).toContain("{scenario_problem}");
  });
});
