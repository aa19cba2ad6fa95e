import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors";
import {
  RateLimiter,
  RateLimiterRegistry,
  parseDurationMs,
  parseRateLimitHeaders,
  type Permit,
  type RateLimiterClock,
  type RateLimits,
} from "../../src/core/llm/rate-limiter";

/** A clock that only moves when told to; `advance` wakes sleepers in time order. */
class FakeClock implements RateLimiterClock {
  time: number;
  private sleepers: Array<{ at: number; resolve: () => void }> = [];

  constructor(start = 0) {
    this.time = start;
  }

  now = (): number => this.time;

  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const sleeper = { at: this.time + ms, resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        "abort",
        () => {
          this.sleepers = this.sleepers.filter((other) => other !== sleeper);
          reject(signal.reason);
        },
        { once: true },
      );
    });

  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await flush();
    for (;;) {
      const due = this.sleepers.filter((sleeper) => sleeper.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.sleepers = this.sleepers.filter((sleeper) => sleeper !== due);
      this.time = Math.max(this.time, due.at);
      due.resolve();
      await flush();
    }
    this.time = target;
    await flush();
  }

  get pendingSleeps(): number {
    return this.sleepers.length;
  }
}

/** Lets promise callbacks run (no real waiting). */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

const UNLIMITED: RateLimits = { requestsPerMinute: Infinity, inputTokensPerMinute: Infinity, outputTokensPerMinute: Infinity };

function limiterWith(limits: Partial<RateLimits>, clock = new FakeClock()): { limiter: RateLimiter; clock: FakeClock } {
  return { limiter: new RateLimiter({ limits: { ...UNLIMITED, ...limits }, clock }), clock };
}

/** Starts an acquire and records when (clock time) it was granted. */
function track(limiter: RateLimiter, clock: FakeClock, inputTokens: number, maxOutputTokens: number, signal?: AbortSignal) {
  const record: { grantedAt: number | null; permit: Permit | null; error: unknown } = { grantedAt: null, permit: null, error: null };
  const promise = limiter.acquire({ inputTokens, maxOutputTokens, signal }).then(
    (permit) => {
      record.grantedAt = clock.now();
      record.permit = permit;
    },
    (error: unknown) => {
      record.error = error;
    },
  );
  return Object.assign(record, { promise });
}

describe("RateLimiter: requests per minute", () => {
  it("lets a 60 RPM burst of 60 through at once, then spaces the rest 1 s apart", async () => {
    const { limiter, clock } = limiterWith({ requestsPerMinute: 60 });
    const calls = Array.from({ length: 63 }, () => track(limiter, clock, 0, 0));
    await flush();
    expect(calls.filter((call) => call.grantedAt === 0)).toHaveLength(60);
    expect(calls.slice(60).every((call) => call.grantedAt === null)).toBe(true);
    expect(limiter.state()).toMatchObject({ throttled: true, reason: "waiting for requests", resumeAt: 1000, waiting: 3 });

    await clock.advance(999);
    expect(calls[60].grantedAt).toBeNull();
    await clock.advance(1);
    expect(calls[60].grantedAt).toBe(1000);
    await clock.advance(2000);
    expect(calls.slice(60).map((call) => call.grantedAt)).toEqual([1000, 2000, 3000]);
    expect(limiter.state().throttled).toBe(false);
    expect(limiter.describe()).toBeNull();
  });

  it("serves waiters first come, first served: a big request is not starved by small ones", async () => {
    const { limiter, clock } = limiterWith({ outputTokensPerMinute: 6000 });
    const first = track(limiter, clock, 0, 6000);
    const big = track(limiter, clock, 0, 3000);
    const small = track(limiter, clock, 0, 100);
    await flush();
    expect(first.grantedAt).toBe(0);
    expect(big.grantedAt).toBeNull();
    await clock.advance(1000); // 100 tokens back: enough for `small`, but `big` is ahead of it
    expect(small.grantedAt).toBeNull();
    await clock.advance(29_000);
    expect(big.grantedAt).toBe(30_000);
    await clock.advance(1000);
    expect(small.grantedAt).toBe(31_000);
  });
});

describe("RateLimiter: output tokens", () => {
  it("reserves max output tokens up front and refunds the unused part on settle", async () => {
    const { limiter, clock } = limiterWith({ outputTokensPerMinute: 10_000 });
    const a = track(limiter, clock, 500, 4096);
    const b = track(limiter, clock, 500, 4096);
    await flush();
    expect(limiter.state().available.outputTokens).toBe(10_000 - 2 * 4096);

    const c = track(limiter, clock, 500, 4096);
    await flush();
    expect(c.grantedAt).toBeNull();
    expect(limiter.describe()).toBe("Rate limit: waiting for output tokens (1,808 of 10,000 per minute available; output tokens 10,000/min, your setting)");

    a.permit?.settle({ inputTokens: 480, outputTokens: 1500 }); // 2,596 back
    await flush();
    expect(c.grantedAt).toBe(0);
    expect(limiter.state().available.outputTokens).toBe(1808 + 2596 - 4096);

    b.permit?.release(); // never reached the provider: everything back
    b.permit?.release(); // idempotent
    expect(limiter.state().available.outputTokens).toBe(1808 + 2596);
  });

  it("never lets the reservations exceed the output limit", async () => {
    const { limiter, clock } = limiterWith({ outputTokensPerMinute: 8000 });
    const calls = Array.from({ length: 5 }, () => track(limiter, clock, 0, 3000));
    await flush();
    expect(calls.filter((call) => call.grantedAt !== null)).toHaveLength(2);
    // 2,000 left; the third needs 3,000: 1,000 more at 8,000/min = 7.5 s
    await clock.advance(7499);
    expect(calls[2].grantedAt).toBeNull();
    await clock.advance(1);
    expect(calls[2].grantedAt).toBe(7500);
  });

  it("charges input beyond the estimate and counts a combined tokens-per-minute bucket", async () => {
    const { limiter, clock } = limiterWith({ inputTokensPerMinute: 10_000, tokensPerMinute: 20_000 });
    const call = track(limiter, clock, 1000, 4000);
    await flush();
    expect(limiter.state().available).toMatchObject({ inputTokens: 9000, tokens: 15_000 });
    call.permit?.settle({ inputTokens: 1200, outputTokens: 1000 });
    expect(limiter.state().available).toMatchObject({ inputTokens: 8800, tokens: 17_800 });
  });

  it("lets a request bigger than the bucket through once the bucket is full, instead of deadlocking", async () => {
    const { limiter, clock } = limiterWith({ outputTokensPerMinute: 8000 });
    const first = track(limiter, clock, 0, 10_000);
    await flush();
    expect(first.grantedAt).toBe(0);
    expect(limiter.state().available.outputTokens).toBe(0); // in debt, shown as 0

    const second = track(limiter, clock, 0, 10_000);
    await flush();
    // From -2,000 back to full (8,000) at 8,000 per minute: 75 s.
    await clock.advance(74_999);
    expect(second.grantedAt).toBeNull();
    await clock.advance(1);
    expect(second.grantedAt).toBe(75_000);
  });
});

describe("RateLimiter: headers", () => {
  it("learns each bucket's limit from the headers, replacing a higher earlier report", async () => {
    const { limiter, clock } = limiterWith({});
    limiter.observeHeaders({ "anthropic-ratelimit-requests-limit": "50", "anthropic-ratelimit-requests-remaining": "50" });
    const calls = Array.from({ length: 51 }, () => track(limiter, clock, 100, 100));
    await flush();
    expect(calls[50].grantedAt).toBeNull();

    limiter.observeHeaders({
      "anthropic-ratelimit-requests-limit": "1000",
      "anthropic-ratelimit-requests-remaining": "949",
      "anthropic-ratelimit-requests-reset": "2026-01-01T00:00:04Z",
      "anthropic-ratelimit-input-tokens-limit": "450000",
      "anthropic-ratelimit-input-tokens-remaining": "445000",
      "anthropic-ratelimit-output-tokens-limit": "90000",
      "anthropic-ratelimit-output-tokens-remaining": "85000",
      "anthropic-ratelimit-tokens-limit": "90000", // the most restrictive of the two; not a bucket of its own
      "anthropic-ratelimit-tokens-remaining": "85000",
    });
    await flush();
    expect(calls[50].grantedAt).toBe(0);
    expect(limiter.state().limits).toEqual({ requestsPerMinute: 1000, inputTokensPerMinute: 450_000, outputTokensPerMinute: 90_000, tokensPerMinute: Infinity });
    expect(limiter.state().available).toMatchObject({ requests: 948, inputTokens: 445_000 - 100, outputTokens: 85_000 - 100 });
    expect(limiter.describeLimits()).toBe(
      "requests 1,000/min, from the provider's headers; input tokens 450,000/min, from the provider's headers; output tokens 90,000/min, from the provider's headers",
    );
  });

  it("never limits a bucket nobody reported or configured: a server without headers is paced by concurrency alone", async () => {
    const { limiter, clock } = limiterWith({});
    const calls = Array.from({ length: 500 }, () => track(limiter, clock, 2000, 4096));
    await flush();
    expect(calls.every((call) => call.grantedAt === 0)).toBe(true);
    expect(limiter.describeLimits()).toBeNull();
    // Only requests reported (a gateway limiting requests alone): output tokens stay unlimited.
    limiter.observeHeaders({ "anthropic-ratelimit-requests-limit": "240", "anthropic-ratelimit-requests-remaining": "240" });
    expect(limiter.limits).toEqual({ requestsPerMinute: 240, inputTokensPerMinute: Infinity, outputTokensPerMinute: Infinity, tokensPerMinute: Infinity });
    expect(limiter.describeLimits()).toBe("requests 240/min, from the provider's headers");
  });

  it("keeps the user's lower configured limit when the provider reports a higher one, and says so", () => {
    const limiter = new RateLimiter({ limits: { ...UNLIMITED, requestsPerMinute: 100 }, limitsSource: "your setting (--rpm)", clock: new FakeClock() });
    limiter.observeHeaders({ "anthropic-ratelimit-requests-limit": "4000", "anthropic-ratelimit-requests-remaining": "3999" });
    expect(limiter.limits.requestsPerMinute).toBe(100);
    expect(limiter.describeLimits()).toBe("requests 100/min, your setting (--rpm)");
    limiter.observeHeaders({ "anthropic-ratelimit-requests-limit": "60", "anthropic-ratelimit-requests-remaining": "60" });
    expect(limiter.limits.requestsPerMinute).toBe(60);
    expect(limiter.describeLimits()).toBe("requests 60/min, from the provider's headers");
  });

  it("reserves max_tokens where the provider documents counting it, else the mean of the replies seen", async () => {
    const clock = new FakeClock();
    // Configured OTPM: max_tokens until the first reply, then the mean output (capped at max_tokens).
    const configured = new RateLimiter({ limits: { ...UNLIMITED, outputTokensPerMinute: 100_000 }, clock });
    const first = track(configured, clock, 100, 4096);
    await flush();
    expect(configured.state().available.outputTokens).toBe(100_000 - 4096);
    first.permit?.settle({ inputTokens: 100, outputTokens: 1000 });
    expect(configured.outputReservation("outputTokens", 4096)).toBe(1000);
    const second = track(configured, clock, 100, 4096);
    await flush();
    second.permit?.settle({ inputTokens: 100, outputTokens: 2000 });
    expect(configured.outputReservation("outputTokens", 4096)).toBe(1500);
    expect(configured.outputReservation("outputTokens", 1200)).toBe(1200);
    // Learned from Anthropic's headers: Anthropic counts max_tokens toward OTPM at the start.
    configured.observeHeaders({ "anthropic-ratelimit-output-tokens-limit": "80000", "anthropic-ratelimit-output-tokens-remaining": "80000" });
    expect(configured.outputReservation("outputTokens", 4096)).toBe(4096);
    // Learned from OpenAI's headers: OpenAI counts max_tokens toward TPM.
    configured.observeHeaders({ "x-ratelimit-limit-tokens": "200000", "x-ratelimit-remaining-tokens": "200000" });
    expect(configured.outputReservation("tokens", 4096)).toBe(4096);
  });

  it("drains the bucket when the reported remaining is lower, and never raises it otherwise", () => {
    const { limiter } = limiterWith({});
    limiter.observeHeaders({ "anthropic-ratelimit-output-tokens-limit": "8000", "anthropic-ratelimit-output-tokens-remaining": "2000" });
    expect(limiter.state().available.outputTokens).toBe(2000);
    limiter.observeHeaders({ "anthropic-ratelimit-output-tokens-remaining": "7000" });
    expect(limiter.state().available.outputTokens).toBe(2000);
  });

  it("takes a lower reported limit too", () => {
    const { limiter } = limiterWith({});
    limiter.observeHeaders({ "anthropic-ratelimit-input-tokens-limit": "30000" });
    limiter.observeHeaders({ "anthropic-ratelimit-input-tokens-limit": "20000" });
    expect(limiter.limits.inputTokensPerMinute).toBe(20_000);
    expect(limiter.state().available.inputTokens).toBe(20_000);
  });

  it("reads OpenAI's headers: requests and combined tokens, reset durations", () => {
    const { limiter } = limiterWith({});
    limiter.observeHeaders({
      "x-ratelimit-limit-requests": "5000",
      "x-ratelimit-remaining-requests": "4999",
      "x-ratelimit-reset-requests": "12ms",
      "x-ratelimit-limit-tokens": "160000",
      "x-ratelimit-remaining-tokens": "159000",
      "x-ratelimit-reset-tokens": "6m0s",
    });
    expect(limiter.limits).toMatchObject({ requestsPerMinute: 5000, tokensPerMinute: 160_000 });
    expect(limiter.state().available).toMatchObject({ requests: 4999, tokens: 159_000 });
  });

  it("infers the remaining count from a reset time when no remaining header came", () => {
    const { limiter } = limiterWith({ tokensPerMinute: 60_000 });
    limiter.observeHeaders({ "x-ratelimit-limit-tokens": "60000", "x-ratelimit-reset-tokens": "30s" });
    expect(limiter.state().available.tokens).toBe(30_000);
  });

  it("ignores Azure's -1 'not applicable' values and unreadable ones", () => {
    const { limiter } = limiterWith({ tokensPerMinute: 30_000 });
    limiter.observeHeaders({ "x-ratelimit-limit-tokens": "-1", "x-ratelimit-remaining-tokens": "-1", "x-ratelimit-reset-tokens": "soon" });
    expect(limiter.limits.tokensPerMinute).toBe(30_000);
    expect(limiter.state().available.tokens).toBe(30_000);
  });

  it("settle with headers refunds first, then trusts the provider's remaining count", async () => {
    const { limiter, clock } = limiterWith({ outputTokensPerMinute: 8000 });
    const call = track(limiter, clock, 0, 4000);
    await flush();
    call.permit?.settle({ inputTokens: 10, outputTokens: 1000 }, { "anthropic-ratelimit-output-tokens-remaining": "6000" });
    expect(limiter.state().available.outputTokens).toBe(6000);
  });

  it("parses reset times and durations", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseDurationMs("1s")).toBe(1000);
    expect(parseDurationMs("6m0s")).toBe(360_000);
    expect(parseDurationMs("20ms")).toBe(20);
    expect(parseDurationMs("1h2m3.5s")).toBe(3_723_500);
    expect(parseDurationMs("0.5s")).toBe(500);
    expect(parseDurationMs("7")).toBe(7000);
    expect(parseDurationMs("soon")).toBeNull();
    expect(parseDurationMs("")).toBeNull();
    expect(
      parseRateLimitHeaders({ "anthropic-ratelimit-requests-remaining": "3", "anthropic-ratelimit-requests-reset": "2026-01-01T00:00:30Z" }, now),
    ).toEqual({ requests: { dialect: "anthropic", limit: null, remaining: 3, resetAt: now + 30_000 } });
    expect(parseRateLimitHeaders({ "x-ratelimit-reset-requests": "1s", "request-id": "req_1" }, now)).toEqual({
      requests: { dialect: "openai", limit: null, remaining: null, resetAt: now + 1000 },
    });
  });
});

describe("RateLimiter: pauses", () => {
  it("blocks every acquirer until resumeAt after pauseFor", async () => {
    const { limiter, clock } = limiterWith({}, new FakeClock(1_000_000));
    limiter.pauseFor(30_000, "429 from Anthropic");
    expect(limiter.state()).toMatchObject({ throttled: true, reason: "429 from Anthropic", resumeAt: 1_030_000 });
    expect(limiter.describe()).toBe("Rate limit: pausing 30 s");

    const calls = Array.from({ length: 3 }, () => track(limiter, clock, 10, 10));
    await clock.advance(10_000);
    expect(limiter.describe()).toBe("Rate limit: pausing 20 s");
    limiter.pauseFor(5_000, "shorter"); // never cuts the longer pause short
    await clock.advance(19_999);
    expect(calls.every((call) => call.grantedAt === null)).toBe(true);
    await clock.advance(1);
    expect(calls.map((call) => call.grantedAt)).toEqual([1_030_000, 1_030_000, 1_030_000]);
    expect(limiter.state()).toMatchObject({ throttled: false, reason: null, resumeAt: null });
    expect(limiter.describe()).toBeNull();
  });

  it("onRateLimited observes the 429's headers and pauses for its retry-after", async () => {
    const { limiter, clock } = limiterWith({});
    limiter.onRateLimited({
      headers: { "retry-after": "7", "anthropic-ratelimit-output-tokens-limit": "8000", "anthropic-ratelimit-output-tokens-remaining": "0" },
      retryAfterMs: 7000,
      reason: "429 from Anthropic",
    });
    expect(limiter.state()).toMatchObject({ throttled: true, reason: "429 from Anthropic", resumeAt: 7000, available: { outputTokens: 0 } });
    const call = track(limiter, clock, 100, 1000);
    await clock.advance(7000);
    expect(call.grantedAt).toBeNull(); // the bucket refilled during the pause, but only to 933
    await clock.advance(500);
    expect(call.grantedAt).toBe(7500); // 1,000 output tokens at 8,000/min = 7.5 s from empty
  });

  it("onRateLimited without retry-after pauses until the exhausted bucket's reset", () => {
    const start = Date.parse("2026-01-01T00:00:00Z");
    const { limiter } = limiterWith({}, new FakeClock(start));
    limiter.onRateLimited({ headers: { "anthropic-ratelimit-requests-remaining": "0", "anthropic-ratelimit-requests-reset": "2026-01-01T00:00:12Z" } });
    expect(limiter.state()).toMatchObject({ reason: "429 Too Many Requests", resumeAt: start + 12_000 });
  });
});

describe("RateLimiter: cancellation", () => {
  it("rejects an aborted acquire with the signal's reason and leaves nothing reserved", async () => {
    const { limiter, clock } = limiterWith({ outputTokensPerMinute: 8000 });
    const holder = track(limiter, clock, 0, 8000);
    const controller = new AbortController();
    const waiting = track(limiter, clock, 0, 4000, controller.signal);
    const behind = track(limiter, clock, 0, 2000);
    await flush();
    expect(limiter.state().waiting).toBe(2);

    const reason = new Error("run cancelled");
    controller.abort(reason);
    await waiting.promise;
    expect(waiting.error).toBe(reason);
    expect(waiting.permit).toBeNull();
    expect(limiter.state().waiting).toBe(1);

    // The aborted request held nothing: `behind` gets its 2,000 after 15 s, not 45 s.
    await clock.advance(15_000);
    expect(behind.grantedAt).toBe(15_000);
    holder.permit?.release();
    behind.permit?.release();
    expect(limiter.state().available.outputTokens).toBe(8000);
  });

  it("rejects at once when the signal is already aborted", async () => {
    const { limiter } = limiterWith({});
    const reason = new Error("already cancelled");
    await expect(limiter.acquire({ inputTokens: 1, maxOutputTokens: 1, signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(limiter.state().waiting).toBe(0);
  });

  it("stops sleeping when the last waiter leaves", async () => {
    const { limiter, clock } = limiterWith({ requestsPerMinute: 1 });
    track(limiter, clock, 0, 0);
    const controller = new AbortController();
    const waiting = track(limiter, clock, 0, 0, controller.signal);
    await flush();
    expect(clock.pendingSleeps).toBe(1);
    controller.abort(new Error("stop"));
    await waiting.promise;
    await flush();
    expect(clock.pendingSleeps).toBe(0);
  });
});

describe("RateLimiter: validation, defaults and registry", () => {
  it("rejects invalid limits and token counts", async () => {
    expect(() => new RateLimiter({ limits: { ...UNLIMITED, requestsPerMinute: 0 } })).toThrow(AppError);
    expect(() => new RateLimiter({ limits: { ...UNLIMITED, outputTokensPerMinute: Number.NaN } })).toThrow(/outputTokensPerMinute/);
    const { limiter } = limiterWith({});
    await expect(limiter.acquire({ inputTokens: -1, maxOutputTokens: 10 })).rejects.toMatchObject({ code: "argument_invalid" });
  });

  it("starts with no limit at all: nothing is assumed about an account", () => {
    expect(new RateLimiter().limits).toEqual({ requestsPerMinute: Infinity, inputTokensPerMinute: Infinity, outputTokensPerMinute: Infinity, tokensPerMinute: Infinity });
  });

  it("keeps one limiter per provider and model, and a new one when the user's limits change", () => {
    const registry = new RateLimiterRegistry({ clock: new FakeClock() });
    const configured = { limits: { ...UNLIMITED, requestsPerMinute: 50 }, source: "your setting" };
    const a = registry.get("anthropic", "claude-sonnet-5-5", configured);
    expect(registry.get("anthropic", "claude-sonnet-5-5", configured)).toBe(a);
    expect(a.limits.requestsPerMinute).toBe(50);
    expect(registry.get("anthropic", "claude-sonnet-5-5", {})).not.toBe(a);
    expect(registry.get("anthropic", "claude-haiku-4-5", configured)).not.toBe(a);
    expect(registry.entries().map((entry) => entry.key)).toEqual(["anthropic:claude-sonnet-5-5", "anthropic:claude-haiku-4-5"]);
  });

  it("lets a judge share a model's limiter without replacing the limits a run configured for it", () => {
    const registry = new RateLimiterRegistry({ clock: new FakeClock() });
    const configured = { limits: { ...UNLIMITED, requestsPerMinute: 50 }, source: "your setting" };
    const a = registry.get("anthropic", "claude-haiku-4-5", configured);
    expect(registry.shared("anthropic", "claude-haiku-4-5")).toBe(a);
    expect(registry.get("anthropic", "claude-haiku-4-5", configured)).toBe(a);
    const fresh = registry.shared("anthropic", "judge-only-model");
    expect(fresh.limits.requestsPerMinute).toBe(Infinity);
    expect(registry.shared("anthropic", "judge-only-model")).toBe(fresh);
  });
});
