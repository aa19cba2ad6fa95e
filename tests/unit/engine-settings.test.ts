import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY } from "../../src/core/generation/retry-policy";
import { readEngineSettings, readEnv } from "../../src/server/env";
import { parseRateLimitSetting, rateLimitsFromFlags } from "../../src/server/runs/rate-limit-setting";

describe("one environment schema, validated at start", () => {
  it("gives the engine's defaults when nothing is set", () => {
    expect(readEngineSettings({})).toEqual({ priceOverrides: {}, retryPolicy: DEFAULT_RETRY_POLICY, rateLimits: null, defaultConcurrency: 3, workerConcurrency: 16, judge: { mode: "off" } });
  });

  it("names each bad variable and what it must look like", () => {
    expect(() => readEnv({ BRIGHTRUN_CONCURRENCY: "eight" })).toThrow(/BRIGHTRUN_CONCURRENCY must be a whole number from 1 to 64/);
    expect(() => readEnv({ BRIGHTRUN_WORKER_CONCURRENCY: "0" })).toThrow(/BRIGHTRUN_WORKER_CONCURRENCY must be a whole number from 1 to 256/);
    expect(() => readEnv({ BRIGHTRUN_WORKER: "maybe" })).toThrow(/BRIGHTRUN_WORKER must be 1 or 0/);
    // The provider variables are the core's own schema: the same rule wherever they are read.
    expect(() => readEnv({ OPENAI_BASE_URL: "localhost:11434" })).toThrow(/OPENAI_BASE_URL must be an http\(s\) URL/);
    expect(() => readEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL must start with postgres:\/\//);
    expect(() => readEngineSettings({ BRIGHTRUN_RATE_LIMITS: "rpm=fast" })).toThrow(/BRIGHTRUN_RATE_LIMITS has "rpm=fast", which is not a rate limit/);
    expect(() => readEngineSettings({ BRIGHTRUN_RETRY_POLICY: "{" })).toThrow(/BRIGHTRUN_RETRY_POLICY is not valid JSON/);
  });

  it("reads the user's rate limits with where they were set; flags win over the environment", () => {
    const fromEnv = readEngineSettings({ BRIGHTRUN_RATE_LIMITS: "rpm=240, otpm=80000", BRIGHTRUN_CONCURRENCY: "8" });
    expect(fromEnv.rateLimits).toEqual({ requestsPerMinute: 240, outputTokensPerMinute: 80_000, source: "BRIGHTRUN_RATE_LIMITS" });
    expect(fromEnv.defaultConcurrency).toBe(8);
    expect(rateLimitsFromFlags({}, fromEnv.rateLimits)).toBe(fromEnv.rateLimits);
    expect(rateLimitsFromFlags({ rpm: "60", tpm: "100000" }, fromEnv.rateLimits)).toEqual({ requestsPerMinute: 60, tokensPerMinute: 100_000, source: "--rpm --tpm" });
    expect(() => rateLimitsFromFlags({ itpm: "-5" }, null)).toThrow(/--itpm has "itpm=-5"/);
    expect(parseRateLimitSetting("  ", "X")).toBeNull();
  });
});
