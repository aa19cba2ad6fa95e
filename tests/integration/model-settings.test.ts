/**
 * Model settings saved from the web app (issue 9, item 4): the API key encrypted at rest and never
 * returned, environment variables winning over saved values, generation picking the saved provider,
 * and Test connection against the project's fake LLM server (an answer with latency and rate-limit
 * headers; a refused key as "401: …"). The subject is real; the fake server stands in for the model.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/server/db/client";
import { modelSettings } from "../../src/server/db/schema";
import { keyHint, loadSecretKey, openSecret, sealSecret, SECRET_KEY_FILE } from "../../src/server/settings/secret-box";
import { loadModelSettingsView, runDefaultsWithSettings, saveModelSettings, selectProviderWithSettings, testModelConnection } from "../../src/server/settings/model-settings";
import { startFakeLlmServer, type FakeLlmServer } from "../support/fake-llm-server";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-settings-"));
/** The environment of a server with no provider variables, its secret key generated into dataDir. */
const bareEnv = { BRIGHTRUN_DATA_DIR: dataDir };
const KEY = "sk-test-0123456789abcd";
let handle: DatabaseHandle;
let workspaceId: string;
let server: FakeLlmServer;

describe(`model settings (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    server = await startFakeLlmServer();
  });
  afterAll(async () => {
    await server.close();
    await handle.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("seals secrets with AES-256-GCM: a generated key file, round trip, and a plain refusal for another key or altered text", () => {
    const { key, from } = loadSecretKey({ env: bareEnv });
    expect(from).toBe(path.join(dataDir, SECRET_KEY_FILE));
    expect(fs.statSync(from).mode & 0o777).toBe(0o600);
    expect(loadSecretKey({ env: bareEnv }).key.equals(key)).toBe(true); // the same key next time
    const sealed = sealSecret(KEY, key);
    expect(sealed).not.toContain(KEY);
    expect(sealSecret(KEY, key)).not.toBe(sealed); // a fresh IV every time
    expect(openSecret(sealed, key)).toBe(KEY);
    const other = loadSecretKey({ env: { BRIGHTRUN_SECRET_KEY: "ab".repeat(32) } });
    expect(other.from).toBe("BRIGHTRUN_SECRET_KEY");
    expect(() => openSecret(sealed, other.key)).toThrow(/can't be decrypted with this server's secret key/);
    const altered = sealed.slice(0, -4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect(() => openSecret(altered, key)).toThrow(/can't be decrypted/);
    expect(() => loadSecretKey({ env: { BRIGHTRUN_SECRET_KEY: "too-short" } })).toThrow(/BRIGHTRUN_SECRET_KEY must be 32 random bytes/);
    expect(keyHint(KEY)).toBe("sk-…abcd");
  });

  it("saves an OpenAI-compatible server with a key: stored encrypted, shown as a hint, used by generation", async () => {
    await saveModelSettings(handle.db, workspaceId, { provider: "openai", baseUrl: server.openaiBaseUrl, apiKey: { action: "replace", value: KEY }, model: "local-model", concurrency: 5, rateLimits: "rpm=120" }, "local:test", bareEnv);
    const [row] = await handle.db.select().from(modelSettings);
    expect(row.apiKeySealed).not.toContain(KEY);
    expect(JSON.stringify(row)).not.toContain(KEY);

    const view = await loadModelSettingsView(handle.db, workspaceId, bareEnv);
    expect(view).toMatchObject({ provider: "openai", baseUrl: server.openaiBaseUrl, apiKeyHint: "sk-…abcd", model: "local-model", concurrency: 5, rateLimits: "rpm=120", fromEnvironment: {} });
    expect(JSON.stringify(view)).not.toContain(KEY);
    expect(view.effective).toMatchObject({ ok: true, provider: "openai", model: "local-model" });
    expect(view.effective.ok && view.effective.reason).toContain("saved in Settings");

    const selection = await selectProviderWithSettings(handle.db, workspaceId, { env: bareEnv });
    expect(selection.provider.name).toBe("openai");
    expect(selection.model).toBe("local-model");
    expect(await runDefaultsWithSettings(handle.db, workspaceId, { defaultConcurrency: 3, rateLimits: null }, bareEnv)).toEqual({
      concurrency: 5,
      rateLimits: { requestsPerMinute: 120, source: "the Settings page" },
    });
  });

  it("Test connection sends one small request with the saved key and shows the answer, latency and rate-limit headers", async () => {
    server.reset();
    const result = await testModelConnection(handle.db, workspaceId, bareEnv);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.reply.length).toBeGreaterThan(0);
    expect(Object.keys(result.rateLimitHeaders).some((h) => h.startsWith("x-ratelimit-"))).toBe(true);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("Test connection reports a refused key plainly with its status", async () => {
    server.enqueue("auth_error");
    const result = await testModelConnection(handle.db, workspaceId, bareEnv);
    expect(result).toMatchObject({ ok: false, code: "authentication_failed", status: 401 });
    expect(!result.ok && result.message).toMatch(/^401: .*rejected the API key/);
  });

  it("environment variables win over saved values, and the page says which", async () => {
    const env = { ...bareEnv, BRIGHTRUN_MODEL: "env-model", BRIGHTRUN_CONCURRENCY: "7", OPENAI_API_KEY: "sk-from-env-9999" };
    const view = await loadModelSettingsView(handle.db, workspaceId, env);
    expect(view.fromEnvironment).toMatchObject({ model: "BRIGHTRUN_MODEL", concurrency: "BRIGHTRUN_CONCURRENCY", apiKey: "OPENAI_API_KEY", provider: "OPENAI_API_KEY" });
    const selection = await selectProviderWithSettings(handle.db, workspaceId, { env });
    expect(selection.model).toBe("env-model");
    expect(selection.reason).toContain("OPENAI_API_KEY is set");
    expect((await runDefaultsWithSettings(handle.db, workspaceId, { defaultConcurrency: 7, rateLimits: null }, env)).concurrency).toBe(7);
  });

  it("keeps the saved key when the form leaves it alone, refuses Anthropic without one, and forgets keys for the simulated composer", async () => {
    await saveModelSettings(handle.db, workspaceId, { provider: "openai", baseUrl: server.openaiBaseUrl, apiKey: { action: "keep" }, model: "other-model", concurrency: null, rateLimits: null }, "local:test", bareEnv);
    expect((await loadModelSettingsView(handle.db, workspaceId, bareEnv)).apiKeyHint).toBe("sk-…abcd");
    await expect(saveModelSettings(handle.db, workspaceId, { provider: "anthropic", baseUrl: null, apiKey: { action: "keep" }, model: null, concurrency: null, rateLimits: null }, "local:test", bareEnv)).rejects.toThrow(
      /Anthropic needs an API key/,
    );
    await expect(saveModelSettings(handle.db, workspaceId, { provider: "openai", baseUrl: "not a url", apiKey: { action: "keep" }, model: null, concurrency: null, rateLimits: null }, "local:test", bareEnv)).rejects.toThrow(/base URL must be an http\(s\) address/);
    await expect(saveModelSettings(handle.db, workspaceId, { provider: "openai", baseUrl: server.openaiBaseUrl, apiKey: { action: "keep" }, model: null, concurrency: null, rateLimits: "rpm=fast" }, "local:test", bareEnv)).rejects.toThrow(/not a rate limit/);
    await saveModelSettings(handle.db, workspaceId, { provider: "simulated", baseUrl: null, apiKey: { action: "keep" }, model: null, concurrency: null, rateLimits: null }, "local:test", bareEnv);
    const [row] = await handle.db.select().from(modelSettings);
    expect(row.apiKeySealed).toBeNull();
    expect((await selectProviderWithSettings(handle.db, workspaceId, { env: bareEnv })).provider.name).toBe("simulated");
    const test = await testModelConnection(handle.db, workspaceId, bareEnv);
    expect(test).toMatchObject({ ok: false, code: "simulated" });
  });
});
