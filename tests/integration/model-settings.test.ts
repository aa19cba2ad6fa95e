/**
 * Model settings saved from the web app (issue 9, item 4): the API key encrypted at rest and never
 * returned, environment variables winning over saved values, generation picking the saved provider,
 * and Test connection against the project's fake LLM server (an answer with latency and rate-limit
 * headers; a refused key as "401: …"); Load models from the fake server's models endpoint (both wire
 * shapes, Anthropic's pages, a refused key, a server without one); a saved price changing the
 * estimate, a saved retry policy changing how often a failing call is tried, rate limits per model,
 * and the environment winning over each. The subject is real; the fake server stands in for the model.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors";
import { settingsFor } from "../../src/core/generation/retry-policy";
import { importPath } from "../../src/core/import/import-workspace";
import { createPlan } from "../../src/core/planning/create-plan";
import type { DatabaseHandle } from "../../src/server/db/client";
import { readEngineSettings } from "../../src/server/env";
import { estimateGeneration } from "../../src/server/operations/generation";
import { runGeneration } from "../../src/server/runs/run-generation";
import { modelSettings } from "../../src/server/db/schema";
import { keyHint, loadSecretKey, openSecret, sealSecret, SECRET_KEY_FILE } from "../../src/server/settings/secret-box";
import {
  engineSettingsWithSettings,
  listModelsWithSettings,
  loadModelSettingsView,
  runDefaultsForModel,
  runDefaultsWithSettings,
  saveModelSettings,
  selectProviderWithSettings,
  testModelConnection,
  type ModelSettingsInput,
} from "../../src/server/settings/model-settings";
import { fake, FAKE_MODELS, startFakeLlmServer, type FakeLlmServer } from "../support/fake-llm-server";
import { generateNow } from "../support/generate-now";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

/** Who saves the settings in these tests (the settings audit records the name). */
const TEST_ACTOR = { id: "local:test", displayName: "test" };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-settings-"));
/** The environment of a server with no provider variables, its secret key generated into dataDir. */
const bareEnv = { BRIGHTRUN_DATA_DIR: dataDir };
const KEY = "sk-test-0123456789abcd";
const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
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
    await saveModelSettings(handle.db, workspaceId, { provider: "openai", baseUrl: server.openaiBaseUrl, apiKey: { action: "replace", value: KEY }, model: "local-model", concurrency: 5, rateLimits: "rpm=120" }, TEST_ACTOR, bareEnv);
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
    await saveModelSettings(handle.db, workspaceId, { provider: "openai", baseUrl: server.openaiBaseUrl, apiKey: { action: "keep" }, model: "other-model", concurrency: null, rateLimits: null }, TEST_ACTOR, bareEnv);
    expect((await loadModelSettingsView(handle.db, workspaceId, bareEnv)).apiKeyHint).toBe("sk-…abcd");
    await expect(saveModelSettings(handle.db, workspaceId, { provider: "anthropic", baseUrl: null, apiKey: { action: "keep" }, model: null, concurrency: null, rateLimits: null }, TEST_ACTOR, bareEnv)).rejects.toThrow(
      /Anthropic needs an API key/,
    );
    await expect(saveModelSettings(handle.db, workspaceId, { provider: "openai", baseUrl: "not a url", apiKey: { action: "keep" }, model: null, concurrency: null, rateLimits: null }, TEST_ACTOR, bareEnv)).rejects.toThrow(/base URL must be an http\(s\) address/);
    await expect(saveModelSettings(handle.db, workspaceId, { provider: "openai", baseUrl: server.openaiBaseUrl, apiKey: { action: "keep" }, model: null, concurrency: null, rateLimits: "rpm=fast" }, TEST_ACTOR, bareEnv)).rejects.toThrow(/not a rate limit/);
    await saveModelSettings(handle.db, workspaceId, { provider: "simulated", baseUrl: null, apiKey: { action: "keep" }, model: null, concurrency: null, rateLimits: null }, TEST_ACTOR, bareEnv);
    const [row] = await handle.db.select().from(modelSettings);
    expect(row.apiKeySealed).toBeNull();
    expect((await selectProviderWithSettings(handle.db, workspaceId, { env: bareEnv })).provider.name).toBe("simulated");
    const test = await testModelConnection(handle.db, workspaceId, bareEnv);
    expect(test).toMatchObject({ ok: false, code: "simulated" });
  });

  it("Load models lists the OpenAI-compatible server's models with the key being typed, at /v1/models or /models", async () => {
    server.reset();
    const typed = "sk-typed-key-5678efgh";
    const listed = await listModelsWithSettings(handle.db, workspaceId, { provider: "openai", baseUrl: server.openaiBaseUrl, apiKey: typed }, bareEnv);
    expect(listed).toMatchObject({ ok: true, provider: "openai" });
    expect(listed.ok && listed.models.map((m) => m.id)).toEqual([...FAKE_MODELS]);
    expect(listed.ok && listed.models[0].createdAt).toBe("2026-01-31T00:00:00.000Z");
    expect(server.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([["GET", "/v1/models", `Bearer ${typed}`]]);
    expect(JSON.stringify(listed)).not.toContain(typed);

    // A base URL without /v1 (some local servers): the SDK asks {baseUrl}/models.
    server.reset();
    expect((await listModelsWithSettings(handle.db, workspaceId, { provider: "openai", baseUrl: server.url, apiKey: typed }, bareEnv)).ok).toBe(true);
    expect(server.requests[0].path).toBe("/models");
  });

  it("Load models follows Anthropic's pages, uses the saved key when none is typed, and the simulated composer lists itself", async () => {
    await saveModelSettings(handle.db, workspaceId, { provider: "anthropic", baseUrl: server.anthropicBaseUrl, apiKey: { action: "replace", value: KEY }, model: null, concurrency: null, rateLimits: null }, TEST_ACTOR, bareEnv);
    const many = Array.from({ length: 150 }, (_, i) => `claude-fake-${String(i + 1).padStart(3, "0")}`);
    server.setModels(many);
    server.reset();
    try {
      const listed = await listModelsWithSettings(handle.db, workspaceId, { provider: "anthropic", baseUrl: server.anthropicBaseUrl, apiKey: null }, bareEnv);
      expect(listed.ok, JSON.stringify(listed)).toBe(true);
      if (!listed.ok) return;
      expect(listed.models.map((m) => m.id)).toEqual(many);
      expect(listed.models[0]).toMatchObject({ displayName: "Fake claude-fake-001" });
      // 100 a page: two requests, the second after the first page's last id.
      expect(server.requests.map((r) => r.wire)).toEqual(["anthropic", "anthropic"]);
      expect(server.requests.every((r) => (r.headers["x-api-key"] ?? r.headers.authorization).endsWith(KEY))).toBe(true);
    } finally {
      server.setModels([...FAKE_MODELS]);
    }
    server.reset();
    expect(await listModelsWithSettings(handle.db, workspaceId, { provider: "simulated", baseUrl: null, apiKey: null }, bareEnv)).toEqual({
      ok: true,
      provider: "simulated",
      models: [{ id: "simulated-composer-1", displayName: "Simulated composer (not a language model)", createdAt: null }],
    });
    expect(server.requests).toHaveLength(0);
  });

  it("Load models says plainly when the key is refused or the server has no models list", async () => {
    server.enqueue("auth_error");
    const refused = await listModelsWithSettings(handle.db, workspaceId, { provider: "anthropic", baseUrl: server.anthropicBaseUrl, apiKey: "sk-ant-wrong-key-0000" }, bareEnv);
    expect(refused).toMatchObject({ ok: false, code: "authentication_failed", status: 401 });
    expect(!refused.ok && refused.message).toMatch(/^401: Anthropic rejected the API key/);

    const missing = await listModelsWithSettings(handle.db, workspaceId, { provider: "openai", baseUrl: `${server.url}/no-such-api/v1`, apiKey: null }, bareEnv);
    expect(missing).toMatchObject({ ok: false, status: 404 });
    expect(!missing.ok && missing.message).toMatch(/no models list.*type the model's name/);

    await expect(listModelsWithSettings(handle.db, workspaceId, { provider: "openai", baseUrl: "not a url", apiKey: null }, bareEnv)).rejects.toThrow(/base URL must be an http\(s\) address/);
  });

  describe("with the sample workspace planned", () => {
    const settings = (extra: Partial<ModelSettingsInput>): ModelSettingsInput => ({
      provider: "openai",
      baseUrl: server.openaiBaseUrl,
      apiKey: { action: "keep" },
      model: "local-model",
      concurrency: 1,
      rateLimits: null,
      ...extra,
    });
    const savedPrices = process.env.BRIGHTRUN_PRICES;

    beforeAll(async () => {
      await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
      await createPlan({ db: handle.db, workspaceId, split: { template: 4, scenario: 2, edge_case: 1 } });
      await saveModelSettings(handle.db, workspaceId, settings({ apiKey: { action: "replace", value: KEY } }), TEST_ACTOR, bareEnv);
    });
    afterAll(() => {
      if (savedPrices === undefined) delete process.env.BRIGHTRUN_PRICES;
      else process.env.BRIGHTRUN_PRICES = savedPrices;
    });

    it("a saved price changes the estimate of a model with no list price, and BRIGHTRUN_PRICES wins for its models", async () => {
      delete process.env.BRIGHTRUN_PRICES;
      const provider = await selectProviderWithSettings(handle.db, workspaceId, { env: bareEnv });
      expect(provider.model).toBe("local-model");
      const scope = { kind: "all_not_generated" } as const;

      const unpriced = await estimateGeneration({ db: handle.db, workspaceId, scope, provider });
      expect(unpriced.count).toBeGreaterThan(0);
      expect(unpriced).toMatchObject({ estimatedUsd: 0, priceKnown: false });
      expect(unpriced.warnings.join(" ")).toMatch(/No price is set for local-model.*on the Settings page \(Prices\) or in BRIGHTRUN_PRICES/);

      await saveModelSettings(handle.db, workspaceId, settings({ priceOverrides: [{ model: "local-model", input: "2", output: "8" }, { model: "other-model", input: 1, output: 1 }] }), TEST_ACTOR, bareEnv);
      expect((await loadModelSettingsView(handle.db, workspaceId, bareEnv)).priceOverrides).toEqual([
        { model: "local-model", input: 2, output: 8 },
        { model: "other-model", input: 1, output: 1 },
      ]);
      const priced = await estimateGeneration({ db: handle.db, workspaceId, scope, provider });
      expect(priced.priceKnown).toBe(true);
      expect(priced.estimatedUsd).toBeGreaterThan(0);
      expect(priced.warnings.join(" ")).not.toMatch(/No price is set/);

      // Twice the prices, twice the estimate: the saved figures are the ones used.
      await saveModelSettings(handle.db, workspaceId, settings({ priceOverrides: [{ model: "local-model", input: 4, output: 16 }] }), TEST_ACTOR, bareEnv);
      const doubled = await estimateGeneration({ db: handle.db, workspaceId, scope, provider });
      expect(doubled.estimatedUsd).toBeCloseTo(priced.estimatedUsd * 2, 6);

      // The environment wins for the models it names; saved prices of other models still apply.
      process.env.BRIGHTRUN_PRICES = JSON.stringify({ "local-model": { input: 0, output: 0 } });
      await saveModelSettings(handle.db, workspaceId, settings({ priceOverrides: [{ model: "local-model", input: 4, output: 16 }, { model: "other-model", input: 1, output: 1 }] }), TEST_ACTOR, bareEnv);
      const fromEnv = await estimateGeneration({ db: handle.db, workspaceId, scope, provider });
      expect(fromEnv).toMatchObject({ estimatedUsd: 0, priceKnown: true });
      const merged = await engineSettingsWithSettings(handle.db, workspaceId, readEngineSettings());
      expect(merged.priceOverrides).toEqual({ "local-model": { input: 0, output: 0 }, "other-model": { input: 1, output: 1 } });
      const view = await loadModelSettingsView(handle.db, workspaceId, process.env);
      expect(view.fromEnvironment.prices).toBe("BRIGHTRUN_PRICES");
      expect(view.pricesFromEnvironment).toEqual(["local-model"]);
      delete process.env.BRIGHTRUN_PRICES;

      await expect(saveModelSettings(handle.db, workspaceId, settings({ priceOverrides: [{ model: "a", input: 1, output: 1 }, { model: "a", input: 2, output: 2 }] }), TEST_ACTOR, bareEnv)).rejects.toThrow(/a is listed twice in the prices/);
      await expect(saveModelSettings(handle.db, workspaceId, settings({ priceOverrides: [{ model: "a", input: -1, output: 1 }] }), TEST_ACTOR, bareEnv)).rejects.toThrow(/input price must be a number of US dollars/);
    });

    it("a saved retry policy sets how often a failing call is tried, per error kind too, and BRIGHTRUN_RETRY_POLICY wins", async () => {
      const provider = await selectProviderWithSettings(handle.db, workspaceId, { env: bareEnv });
      await saveModelSettings(
        handle.db,
        workspaceId,
        settings({
          retryPolicy: {
            maxAttempts: "2",
            strategy: "fixed",
            baseDelaySeconds: "0",
            maxDelaySeconds: "0",
            byErrorCode: [{ code: "rate_limited", maxAttempts: "5", strategy: "", baseDelaySeconds: "", maxDelaySeconds: "" }],
          },
        }),
        TEST_ACTOR,
        bareEnv,
      );
      expect((await loadModelSettingsView(handle.db, workspaceId, bareEnv)).retryPolicy).toEqual({
        maxAttempts: 2,
        strategy: "fixed",
        baseDelayMs: 0,
        maxDelayMs: 0,
        byErrorCode: { rate_limited: { maxAttempts: 5 } },
      });
      const policy = (await engineSettingsWithSettings(handle.db, workspaceId, readEngineSettings(bareEnv))).retryPolicy;
      expect(settingsFor(new AppError("rate_limited", "429", { retryable: true }), policy).maxAttempts).toBe(5);
      expect(settingsFor(new AppError("server_error", "500", { retryable: true }), policy).maxAttempts).toBe(2);

      // Every call fails with a 500: the saved policy allows 2 attempts (the default would be 3).
      server.reset();
      server.setDefault(fake.serverError(500));
      try {
        const saved = await generateNow({ handle, workspaceId, selection: { ids: ["tmpl-001"] }, provider: provider.provider, model: provider.model, concurrency: 1 });
        expect(saved.outcomes).toMatchObject([{ conversationId: "tmpl-001", status: "failed", attempts: 2 }]);
        expect(server.requests.filter((r) => r.path === "/v1/chat/completions")).toHaveLength(2);

        // The environment's policy wins over the saved one, in the worker the server and the CLI start.
        server.reset();
        const env = { ...bareEnv, BRIGHTRUN_RETRY_POLICY: JSON.stringify({ maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 }) };
        expect((await loadModelSettingsView(handle.db, workspaceId, env)).fromEnvironment.retryPolicy).toBe("BRIGHTRUN_RETRY_POLICY");
        const fromEnv = await runGeneration({
          handle,
          userId: "local:test",
          settings: readEngineSettings(env),
          input: { workspaceId, selection: { ids: ["tmpl-002"] }, kind: "live", provider: provider.provider.name, model: provider.model, userId: "local:test", concurrency: 1, budgetUsd: null, rateLimits: null },
          providerFor: () => provider,
        });
        expect(fromEnv.outcomes).toMatchObject([{ conversationId: "tmpl-002", status: "failed", attempts: 3 }]);
        expect(server.requests.filter((r) => r.path === "/v1/chat/completions")).toHaveLength(3);
      } finally {
        server.setDefault("ok");
      }

      await expect(saveModelSettings(handle.db, workspaceId, settings({ retryPolicy: { maxAttempts: "", strategy: "", baseDelaySeconds: "30", maxDelaySeconds: "5", byErrorCode: [] } }), TEST_ACTOR, bareEnv)).rejects.toThrow(
        /longest wait \(5 s\) is shorter than the first wait \(30 s\)/,
      );
      await expect(saveModelSettings(handle.db, workspaceId, settings({ retryPolicy: { maxAttempts: "0", strategy: "", baseDelaySeconds: "", maxDelaySeconds: "", byErrorCode: [] } }), TEST_ACTOR, bareEnv)).rejects.toThrow(/Attempts must be a whole number from 1 to 20/);
      // Cleared: the default policy again.
      await saveModelSettings(handle.db, workspaceId, settings({ retryPolicy: null }), TEST_ACTOR, bareEnv);
      expect((await loadModelSettingsView(handle.db, workspaceId, bareEnv)).retryPolicy).toBeNull();
    });

    it("rate limits per model: a run of a listed model takes its own limits, others the limits for all models, and BRIGHTRUN_RATE_LIMITS wins", async () => {
      await saveModelSettings(handle.db, workspaceId, settings({ rateLimits: "rpm=100", rateLimitsByModel: [{ model: "local-model", limits: "rpm=30, otpm=9000" }] }), TEST_ACTOR, bareEnv);
      expect((await loadModelSettingsView(handle.db, workspaceId, bareEnv)).rateLimitsByModel).toEqual([{ model: "local-model", limits: "rpm=30, otpm=9000" }]);
      const fromEnv = { defaultConcurrency: 3, rateLimits: null };
      expect((await runDefaultsForModel(handle.db, workspaceId, fromEnv, "local-model", bareEnv)).rateLimits).toEqual({ requestsPerMinute: 30, outputTokensPerMinute: 9000, source: "the Settings page (local-model)" });
      expect((await runDefaultsForModel(handle.db, workspaceId, fromEnv, "another-model", bareEnv)).rateLimits).toEqual({ requestsPerMinute: 100, source: "the Settings page" });
      const envLimits = readEngineSettings({ BRIGHTRUN_RATE_LIMITS: "rpm=7" }).rateLimits;
      expect((await runDefaultsForModel(handle.db, workspaceId, { defaultConcurrency: 3, rateLimits: envLimits }, "local-model", { ...bareEnv, BRIGHTRUN_RATE_LIMITS: "rpm=7" })).rateLimits).toEqual({ requestsPerMinute: 7, source: "BRIGHTRUN_RATE_LIMITS" });

      await expect(saveModelSettings(handle.db, workspaceId, settings({ rateLimitsByModel: [{ model: "m", limits: "rpm=fast" }] }), TEST_ACTOR, bareEnv)).rejects.toThrow(/The rate limits row of m has "rpm=fast", which is not a rate limit/);
      await expect(saveModelSettings(handle.db, workspaceId, settings({ rateLimitsByModel: [{ model: "m", limits: " " }] }), TEST_ACTOR, bareEnv)).rejects.toThrow(/rate limits of m are empty/);
      // Left out of the input, the saved rows are kept (an older form, the CLI).
      await saveModelSettings(handle.db, workspaceId, settings({}), TEST_ACTOR, bareEnv);
      expect((await loadModelSettingsView(handle.db, workspaceId, bareEnv)).rateLimitsByModel).toHaveLength(1);
    });
  });
});
