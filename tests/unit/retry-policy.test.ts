import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors";
import { DEFAULT_RETRY_POLICY, loadRetryPolicy, retryDelayMs, shouldRetry } from "../../src/core/generation/retry-policy";

const noJitter = () => 0.5; // 2 × 0.5 − 1 = 0: no jitter
const overloaded = new AppError("overloaded", "busy", { retryable: true });
const auth = new AppError("authentication_failed", "bad key", { retryable: false });

describe("retry policy", () => {
  it("backs off 1, 2, 4, 8, 16 s by default, capped at 16 s, and a retry-after that asks for longer wins", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, undefined, DEFAULT_RETRY_POLICY, noJitter))).toEqual([1000, 2000, 4000, 8000, 16000, 16000]);
    expect(retryDelayMs(1, 30_000, DEFAULT_RETRY_POLICY, noJitter)).toBe(30_000);
  });

  it("keeps jitter within ±20 %", () => {
    expect(retryDelayMs(2, undefined, DEFAULT_RETRY_POLICY, () => 0)).toBe(1600);
    expect(retryDelayMs(2, undefined, DEFAULT_RETRY_POLICY, () => 1)).toBe(2400);
  });

  it("offers linear and fixed strategies and per-error-code settings", () => {
    const linear = { ...DEFAULT_RETRY_POLICY, strategy: "linear" as const };
    expect([1, 2, 3].map((n) => retryDelayMs(n, undefined, linear, noJitter))).toEqual([1000, 2000, 3000]);
    const fixed = { ...DEFAULT_RETRY_POLICY, strategy: "fixed" as const, baseDelayMs: 500 };
    expect([1, 2, 3].map((n) => retryDelayMs(n, undefined, fixed, noJitter))).toEqual([500, 500, 500]);
    const perCode = { ...DEFAULT_RETRY_POLICY, byErrorCode: { overloaded: { baseDelayMs: 5_000, maxAttempts: 5 } } };
    expect(retryDelayMs(1, undefined, perCode, noJitter, overloaded)).toBe(5_000);
    expect(shouldRetry(overloaded, 4, perCode)).toBe(true);
    expect(shouldRetry(overloaded, 3, DEFAULT_RETRY_POLICY)).toBe(false);
  });

  it("never retries a permanent error", () => {
    expect(shouldRetry(auth, 1)).toBe(false);
    expect(shouldRetry(new Error("bug"), 1)).toBe(false);
  });

  it("reads BRIGHTRUN_RETRY_POLICY and explains a bad one", () => {
    expect(loadRetryPolicy({})).toEqual(DEFAULT_RETRY_POLICY);
    expect(loadRetryPolicy({ BRIGHTRUN_RETRY_POLICY: '{"maxAttempts":5,"strategy":"linear"}' })).toMatchObject({ maxAttempts: 5, strategy: "linear", baseDelayMs: 1000 });
    expect(() => loadRetryPolicy({ BRIGHTRUN_RETRY_POLICY: '{"strategy":"random"}' })).toThrow(/strategy/);
    expect(() => loadRetryPolicy({ BRIGHTRUN_RETRY_POLICY: "{" })).toThrow(/not valid JSON/);
  });
});
