/**
 * `brightrun templates test KEY` (issue 11 items 5 and 8), run as the CLI runs a command (citty's
 * runCommand in a CLI session on the test database, the way the server runs a forwarded command):
 * sample parameters by default, a named conversation with --conversation, the real OpenAI SDK
 * against the fake LLM server, the same core as the editor's Test Template (logged, kept as the
 * version's last test), JSON output, and plain-English refusals.
 */
import path from "node:path";
import { runCommand } from "citty";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { templatesTestCommand } from "../../src/cli/commands/templates-test";
import { resolveConversationPrompt } from "../../src/core/generation/generate-conversation";
import { importPath } from "../../src/core/import/import-workspace";
import { createPlan } from "../../src/core/planning/create-plan";
import type { DatabaseHandle } from "../../src/server/db/client";
import { listDefaultTemplates } from "../../src/server/db/queries/templates";
import { conversations, generationLogs, templateVersions } from "../../src/server/db/schema";
import { runInCliSession } from "../../src/server/local-api/cli-session";
import { fake, startFakeLlmServer, type FakeLlmServer } from "../support/fake-llm-server";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
let handle: DatabaseHandle;
let workspaceId: string;
let server: FakeLlmServer;

/** Runs `brightrun templates test …args` and returns what it printed and its exit code. */
async function templatesTest(...args: string[]): Promise<{ stdout: string; stderr: string; code: number; error: string | null }> {
  let stdout = "";
  let stderr = "";
  const session = {
    handle,
    worker: null,
    userName: "cli-tester",
    cwd: process.cwd(),
    env: {},
    signal: new AbortController().signal,
    write: (stream: "stdout" | "stderr", text: string) => (stream === "stdout" ? (stdout += text) : (stderr += text)),
    exitCode: 0,
  };
  let error: string | null = null;
  await runInCliSession(session, async () => {
    try {
      await runCommand(templatesTestCommand, { rawArgs: args });
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
  });
  return { stdout, stderr, code: session.exitCode ?? 0, error };
}

describe(`brightrun templates test (${testDatabaseKind()})`, () => {
  let key: string;
  let templateId: string;
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 4, scenario: 0, edge_case: 0 } });
    const tier1 = (await listDefaultTemplates({ db: handle.db, workspaceId })).find((t) => t.tier === "template")!;
    key = tier1.key;
    templateId = tier1.id;
    server = await startFakeLlmServer();
    vi.stubEnv("OPENAI_BASE_URL", server.openaiBaseUrl);
    vi.stubEnv("OPENAI_API_KEY", "sk-test");
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await server.close();
    await handle.close();
  });

  it("tests the current version with sample parameters through the model and keeps it as the version's last test", async () => {
    server.reset();
    const result = await templatesTest(key, "--provider", "openai", "--model", "fake-model-large");
    expect(result.error).toBeNull();
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Provider: openai, model fake-model-large/);
    expect(result.stdout).toMatch(/Tested ".+" v1 with Sample #1: /);
    expect(result.stdout).toMatch(/✓ Valid reply: 10 turns\./);
    expect(result.stdout).toMatch(/Quality \d+\.\d\/10/);
    expect(result.stdout).toMatch(/No language-model conversations generated yet for v1/);
    expect(result.stdout).toMatch(/Kept as v1's last test\./);
    expect(server.requests).toHaveLength(1);
    const [version] = await handle.db.select().from(templateVersions).where(and(eq(templateVersions.templateId, templateId), eq(templateVersions.version, 1)));
    expect(version.lastTest).toMatchObject({ ok: true, provider: "openai" });
    const logs = await handle.db.select().from(generationLogs).where(eq(generationLogs.kind, "template_test"));
    expect(logs).toHaveLength(1);
    expect(logs[0].userId).toBe("local:cli-tester");
  });

  it("uses a named conversation's parameters, prints JSON, and exits 1 on a malformed reply with the raw reply", async () => {
    server.reset();
    server.enqueue(fake.malformed());
    const result = await templatesTest(key, "--conversation", "tmpl-001", "--json", "--provider", "openai", "--model", "fake-model-large");
    expect(result.error).toBeNull();
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ ok: false, valid: false, parameters: "tmpl-001", provider: "openai", simulated: false, stored_with_version: true });
    expect(json.error.code).toBe("malformed_response");
    expect(json.raw_reply).toBeTruthy();
    // The prompt sent is tmpl-001's, exactly as generation would send it.
    const [row] = await handle.db.select({ id: conversations.id }).from(conversations).where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.conversationId, "tmpl-001")));
    const resolved = await resolveConversationPrompt({ db: handle.db, id: row.id });
    if (!resolved.ok) throw new Error("tmpl-001 did not resolve");
    const sent = (server.requests[0].body as { messages: { role: string; content: string }[] }).messages.find((m) => m.role === "user");
    expect(sent?.content).toBe(resolved.prompt);
  });

  it("refuses an unknown template, version or conversation in plain English", async () => {
    expect((await templatesTest("no-such-template")).error).toMatch(/There is no template "no-such-template" in this workspace/);
    expect((await templatesTest(key, "--version", "9")).error).toMatch(/has no version 9/);
    expect((await templatesTest(key, "--conversation", "tmpl-999")).error).toMatch(/There is no conversation "tmpl-999"/);
    expect((await templatesTest(key, "--version", "two")).error).toMatch(/--version takes a whole number/);
  });
});
