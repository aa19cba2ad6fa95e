/**
 * Client-side rate limiting for LLM calls, per provider and model: token buckets for requests,
 * input tokens and output tokens per minute (and a combined tokens bucket), plus a global pause
 * after a 429.
 *
 * Where a limit comes from (docs/engine.md, "Rate limits"): a limit is **learned** from the
 * provider's response headers, bucket by bucket; or **configured** by the user (CLI flag,
 * BRIGHTRUN_RATE_LIMITS, the workspace's settings); otherwise there is **none** and the bucket
 * does not limit. Nothing is assumed: a bucket the server never reports and the user never set is
 * unlimited, and pace then comes from the run's concurrency and its AIMD adaptation on 429, 529
 * and 503. When both exist, the lower of the configured and the reported limit applies (the
 * user's setting is a ceiling they chose).
 *
 * The headers both providers document:
 * - Anthropic ("Rate limits", docs.anthropic.com/en/api/rate-limits): RPM, ITPM and OTPM, each a
 *   continuously refilling token bucket; responses carry `anthropic-ratelimit-{requests,
 *   input-tokens,output-tokens,tokens}-{limit,remaining,reset}` (reset as RFC 3339) and a 429
 *   carries `retry-after` (seconds).
 * - OpenAI ("Rate limits", platform.openai.com/docs/guides/rate-limits): RPM and TPM (input and
 *   output together); responses carry `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`,
 *   reset as a duration such as "1s", "6m0s" or "20ms".
 *
 * What a request reserves of output tokens before it is sent:
 * - an OTPM bucket learned from Anthropic's headers: `max_tokens`, because Anthropic documents
 *   that "OTPM rate limits are estimated based on max_tokens at the beginning of each request"
 *   and adjusted to the real output at its end (docs.anthropic.com/en/api/rate-limits);
 * - a TPM bucket learned from OpenAI's headers: the input plus `max_tokens`, because OpenAI
 *   counts `max_tokens` toward TPM when the request is made ("your rate limit is calculated as
 *   the maximum of max_tokens and the estimated number of tokens based on the character count of
 *   your request", cookbook.openai.com/examples/how_to_handle_rate_limits);
 * - any other bucket: an estimate from the replies seen so far (the mean of the last
 *   OUTPUT_SAMPLE_SIZE outputs, capped at `max_tokens`); `max_tokens` only until the first reply.
 * Every reservation is settled with the real usage when the call ends.
 */
import type { ProviderName } from "../../lib/constants";
import { AppError } from "../errors";

/** Limits per minute. `Infinity` means unlimited. */
export interface RateLimits {
  /** Requests per minute (RPM). */
  requestsPerMinute: number;
  /** Input (prompt) tokens per minute (Anthropic's ITPM). */
  inputTokensPerMinute: number;
  /** Output (completion) tokens per minute (Anthropic's OTPM). */
  outputTokensPerMinute: number;
  /**
   * Input plus output tokens per minute, counted together (OpenAI's TPM, reported as
   * `x-ratelimit-*-tokens`). Absent means unlimited.
   */
  tokensPerMinute?: number;
}

/** No limit on any bucket: where every limiter starts until the user sets one or headers report one. */
export const NO_RATE_LIMITS: Readonly<RateLimits> = Object.freeze({
  requestsPerMinute: Infinity,
  inputTokensPerMinute: Infinity,
  outputTokensPerMinute: Infinity,
  tokensPerMinute: Infinity,
});

/** Replies whose output sizes make the reservation estimate. */
export const OUTPUT_SAMPLE_SIZE = 20;

/** Time source and timer, injected so tests can use a fake clock. */
export interface RateLimiterClock {
  /** Current time in ms (epoch or any monotonic origin; only differences matter). */
  now(): number;
  /** Resolves after `ms`; rejects with `signal.reason` as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: `Date.now()` and `setTimeout`. */
export const systemClock: RateLimiterClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

/** The four buckets a limiter keeps. */
export type RateLimitBucket = "requests" | "inputTokens" | "outputTokens" | "tokens";

/** What one family of headers said about one bucket; null where the header was absent or unreadable. */
export interface RateLimitObservation {
  /** Which header family it was read from. */
  dialect: RateLimitDialect;
  limit: number | null;
  remaining: number | null;
  /** When the bucket will be full again, in ms on the clock passed to the parser. */
  resetAt: number | null;
}

export interface RateLimiterOptions {
  /** The user's configured limits per minute (Infinity = not set). Default: none (NO_RATE_LIMITS). */
  limits?: RateLimits;
  /** Where the configured limits come from, for progress lines: "your setting (--rpm)". Default "your setting". */
  limitsSource?: string;
  /** Defaults to `systemClock`. */
  clock?: RateLimiterClock;
}

export interface AcquireOptions {
  /** Estimated input tokens of the request (prompt + system). */
  inputTokens: number;
  /**
   * The request's `max_tokens`: reserved in full where the provider documents that it counts it
   * (see the module comment), else the estimate from past replies, capped at it.
   */
  maxOutputTokens: number;
  /** Aborting rejects the acquire with `signal.reason`; nothing stays reserved. */
  signal?: AbortSignal;
}

/** A reservation granted by `RateLimiter.acquire`. Settle it or release it exactly once. */
export interface Permit {
  /** Input tokens reserved (the estimate given to `acquire`). */
  readonly inputTokens: number;
  /** Output tokens reserved (`maxOutputTokens`). */
  readonly outputTokens: number;
  /**
   * The call reached the provider and finished (successfully or not): gives back what was
   * reserved but not used (reserved 4,096 output tokens, used 1,500 → 2,596 back) and charges
   * any input beyond the estimate. The request itself stays counted. When `headers` are given
   * (GenerationResponse.headers), they are observed after the refund, which is the right order:
   * the provider's remaining counts already include this call's real usage. Later calls to
   * `settle`/`release` do nothing.
   *
   * @param actual tokens the provider reported (usage.input_tokens / output_tokens); use 0 output
   *   for a call that failed
   * @param headers optional response headers, lower-case names
   * @throws AppError `argument_invalid` for a negative or non-finite count (the permit stays open)
   */
  settle(actual: { inputTokens: number; outputTokens: number }, headers?: Record<string, string>): void;
  /** The call never reached the provider: gives back everything, the request included. Idempotent. */
  release(): void;
}

/** A snapshot for progress displays and logs. */
export interface RateLimiterState {
  /** Whether senders are held back now: a pause is in force, or the first waiter in line does not fit yet. */
  throttled: boolean;
  /** The pause's reason, or "waiting for output tokens" and the like; null when not throttled. */
  reason: string | null;
  /** When sending is expected to resume, in clock ms; null when not throttled. */
  resumeAt: number | null;
  /** Current limits, per minute (headers may have replaced the configured ones). */
  limits: RateLimits;
  /**
   * What each bucket holds now, rounded down; 0 while a bucket is in debt (after an oversized
   * request); Infinity for an unlimited bucket.
   */
  available: { requests: number; inputTokens: number; outputTokens: number; tokens: number };
  /** Acquires waiting in line. */
  waiting: number;
}

const WINDOW_MS = 60_000;
/** Longest single sleep of the wait loop; it re-checks afterwards (guards against odd limits). */
const MAX_SLEEP_MS = 60_000;
/** Pause after a 429 that says neither `retry-after` nor an exhausted bucket's reset time. */
const FALLBACK_429_PAUSE_MS = 1_000;
const EPSILON = 1e-9;

const BUCKETS: readonly RateLimitBucket[] = ["requests", "inputTokens", "outputTokens", "tokens"];

const LABELS: Record<RateLimitBucket, string> = {
  requests: "requests",
  inputTokens: "input tokens",
  outputTokens: "output tokens",
  tokens: "tokens",
};

/** Anthropic header infix → bucket. `anthropic-ratelimit-tokens-*` is deliberately absent (see parseRateLimitHeaders). */
const ANTHROPIC_BUCKETS: Record<string, RateLimitBucket> = {
  requests: "requests",
  "input-tokens": "inputTokens",
  "output-tokens": "outputTokens",
};

/** OpenAI header suffix → bucket (TPM counts input and output together). */
const OPENAI_BUCKETS: Record<string, RateLimitBucket> = {
  requests: "requests",
  tokens: "tokens",
};

const numberFormat = new Intl.NumberFormat("en-US");

/** "from the provider's headers" / "your setting (--rpm)". */
export function describeSource(source: RateLimitSource): string {
  if (source.kind === "headers") return "from the provider's headers";
  if (source.kind === "configured") return source.label;
  return "no limit";
}

/**
 * Parses a Go-style duration as OpenAI sends in `x-ratelimit-reset-*`: "1s", "6m0s", "20ms",
 * "1h2m3.5s", "0.5s" (units h, m, s, ms, us/µs, ns). A bare number is read as seconds (some
 * OpenAI-compatible servers send that).
 *
 * @returns the duration in ms, or null when the text is not a duration
 */
export function parseDurationMs(value: string): number | null {
  const text = value.trim();
  if (text === "") return null;
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text) * 1000;
  const unitMs: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, us: 0.001, "µs": 0.001, "μs": 0.001, ns: 0.000001 };
  const part = /(\d+(?:\.\d*)?|\.\d+)(ms|us|µs|μs|ns|h|m|s)/y;
  let total = 0;
  let position = 0;
  while (position < text.length) {
    part.lastIndex = position;
    const match = part.exec(text);
    if (!match) return null;
    total += Number(match[1]) * unitMs[match[2]];
    position = part.lastIndex;
  }
  return total;
}

/** A reset header: an OpenAI duration, bare seconds, or an RFC 3339 / HTTP date. Returns clock ms or null. */
function parseResetAt(value: string, now: number): number | null {
  const duration = parseDurationMs(value);
  if (duration !== null) return now + duration;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : date;
}

/** A limit must be a positive number: Azure OpenAI sends -1 / 0 for "not applicable". */
function parseLimit(value: string | undefined): number | null {
  if (value === undefined || value.trim() === "") return null;
  const number = Number(value);
  return Number.isFinite(number) && number > 0 ? number : null;
}

function parseRemaining(value: string | undefined): number | null {
  if (value === undefined || value.trim() === "") return null;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? number : null;
}

/**
 * Reads the rate-limit headers of an Anthropic or OpenAI response.
 *
 * - Anthropic: `anthropic-ratelimit-requests-*` → requests, `-input-tokens-*` → inputTokens,
 *   `-output-tokens-*` → outputTokens, each with `-limit`, `-remaining` and `-reset` (RFC 3339).
 *   `anthropic-ratelimit-tokens-*` is ignored: Anthropic documents it as the most restrictive of
 *   the input/output limits currently in effect, which the two specific families already give.
 * - OpenAI: `x-ratelimit-{limit,remaining,reset}-requests` → requests and `-tokens` → tokens
 *   (input + output together); reset is a duration ("1s", "6m0s", "20ms").
 *
 * Non-positive limits (Azure's -1) and negative or unreadable values are treated as absent.
 *
 * @param headers response headers with lower-case names (GenerationResponse.headers, or an
 *   AppError's `detail.headers`)
 * @param now the clock's current time in ms, to turn reset durations into times
 * @returns one observation per bucket that had at least one readable header
 */
export function parseRateLimitHeaders(headers: Record<string, string>, now: number): Partial<Record<RateLimitBucket, RateLimitObservation>> {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  const result: Partial<Record<RateLimitBucket, RateLimitObservation>> = {};
  const add = (bucket: RateLimitBucket, dialect: RateLimitDialect, limit?: string, remaining?: string, reset?: string) => {
    const observation: RateLimitObservation = {
      dialect,
      limit: parseLimit(limit),
      remaining: parseRemaining(remaining),
      resetAt: reset === undefined ? null : parseResetAt(reset, now),
    };
    if (observation.limit !== null || observation.remaining !== null || observation.resetAt !== null) result[bucket] = observation;
  };
  for (const [infix, bucket] of Object.entries(ANTHROPIC_BUCKETS)) {
    const prefix = `anthropic-ratelimit-${infix}-`;
    add(bucket, "anthropic", lower[`${prefix}limit`], lower[`${prefix}remaining`], lower[`${prefix}reset`]);
  }
  for (const [suffix, bucket] of Object.entries(OPENAI_BUCKETS)) {
    if (result[bucket]) continue; // a response speaks one dialect; Anthropic's wins if both appear
    add(bucket, "openai", lower[`x-ratelimit-limit-${suffix}`], lower[`x-ratelimit-remaining-${suffix}`], lower[`x-ratelimit-reset-${suffix}`]);
  }
  return result;
}

/** Which header family a learned limit came from. */
export type RateLimitDialect = "anthropic" | "openai";

/** Where a bucket's limit comes from: the user's setting, the provider's headers, or nowhere (unlimited). */
export type RateLimitSource = { kind: "configured"; label: string } | { kind: "headers"; dialect: RateLimitDialect } | { kind: "none" };

/** One continuously refilling token bucket: capacity = the per-minute limit, refill = limit / 60,000 per ms. */
class TokenBucket {
  /** The limit in force: the lower of the configured and the reported one; Infinity = unlimited. */
  limit: number;
  resetAt: number | null = null;
  /** The user's limit (Infinity = not set). */
  readonly configured: number;
  private readonly configuredLabel: string;
  /** The limit the provider's headers last reported (Infinity = never reported). */
  private reported = Infinity;
  private dialect: RateLimitDialect | null = null;
  private level: number;
  private updatedAt: number;

  constructor(configured: number, configuredLabel: string, now: number) {
    this.configured = configured;
    this.configuredLabel = configuredLabel;
    this.limit = configured;
    this.level = configured;
    this.updatedAt = now;
  }

  /** Where the limit in force comes from. */
  get source(): RateLimitSource {
    if (!Number.isFinite(this.limit)) return { kind: "none" };
    if (this.dialect !== null && this.reported <= this.configured) return { kind: "headers", dialect: this.dialect };
    return { kind: "configured", label: this.configuredLabel };
  }

  available(now: number): number {
    this.refill(now);
    return this.level;
  }

  /** ms until `amount` fits (0 = now). An amount above the capacity fits once the bucket is full. */
  waitMs(amount: number, now: number): number {
    this.refill(now);
    if (!Number.isFinite(this.limit) || amount <= 0) return 0;
    const missing = Math.min(amount, this.limit) - this.level;
    if (missing <= EPSILON) return 0;
    return Math.max(1, Math.ceil((missing * WINDOW_MS) / this.limit));
  }

  /** Adds (or, when negative, removes) tokens; never above the capacity. May go below zero (debt). */
  adjust(amount: number, now: number): void {
    this.refill(now);
    if (!Number.isFinite(this.limit)) return;
    this.level = Math.min(this.limit, this.level + amount);
  }

  /**
   * Takes in what one response's headers said of this bucket: a reported limit becomes the
   * provider's limit (the one in force unless the user's is lower); a reported remaining count
   * lower than the bucket's level drains it (whatever the limit's source: the provider will not
   * take more); a reset time alone infers the remaining count from the provider's limit.
   */
  observe(observation: RateLimitObservation, dialect: RateLimitDialect, now: number): void {
    this.refill(now);
    if (observation.limit !== null) {
      this.reported = observation.limit;
      this.dialect = dialect;
    }
    const next = Math.min(this.configured, this.reported);
    let raised = false;
    if (next !== this.limit) {
      const previous = this.limit;
      if (next > previous) {
        raised = true;
        this.level = Number.isFinite(previous) ? this.level + (next - previous) : next;
      }
      this.limit = next;
      this.level = Math.min(this.level, this.limit);
    }
    if (!Number.isFinite(this.limit)) return;
    let remaining = observation.remaining;
    if (remaining === null && observation.resetAt !== null && Number.isFinite(this.reported)) {
      // The provider's bucket is full at resetAt, so it holds limit − refill-until-then now.
      remaining = Math.max(0, this.reported - (Math.max(0, observation.resetAt - now) * this.reported) / WINDOW_MS);
    }
    if (remaining !== null) {
      const reported = Math.min(remaining, this.limit);
      if (raised || reported < this.level) this.level = reported;
    }
    if (observation.resetAt !== null) this.resetAt = observation.resetAt;
  }

  private refill(now: number): void {
    if (!Number.isFinite(this.limit)) {
      this.level = Infinity;
    } else if (now > this.updatedAt) {
      this.level = Math.min(this.limit, this.level + ((now - this.updatedAt) * this.limit) / WINDOW_MS);
    }
    this.updatedAt = Math.max(this.updatedAt, now);
  }
}

type Need = Record<RateLimitBucket, number>;

interface Waiter {
  need: Need;
  resolve: (permit: Permit) => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

function checkLimit(name: string, value: unknown): number {
  if (typeof value !== "number" || Number.isNaN(value) || value <= 0) {
    throw new AppError("argument_invalid", `Rate limit ${name} must be a positive number or Infinity (got ${String(value)}).`, {
      detail: { field: name, value },
    });
  }
  return value;
}

function checkCount(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new AppError("argument_invalid", `${name} must be a finite number of tokens, 0 or more (got ${String(value)}).`, { detail: { field: name, value } });
  }
  return value;
}

/**
 * Token-bucket rate limiter for one provider + model.
 *
 * Acquires are served first come, first served: a waiter that does not fit yet holds back the
 * ones behind it, so a large request is never starved by small ones.
 */
export class RateLimiter {
  private readonly clock: RateLimiterClock;
  private readonly buckets: Record<RateLimitBucket, TokenBucket>;
  private readonly waiters: Waiter[] = [];
  private pausedUntil = -Infinity;
  private pauseReason: string | null = null;
  private loopRunning = false;
  private wake: AbortController | null = null;

  /** Output tokens of the last OUTPUT_SAMPLE_SIZE replies (newest last). */
  private readonly outputSamples: number[] = [];

  /**
   * @param options the user's configured `limits` per minute (Infinity or absent = not set; default
   *   none at all), `limitsSource` naming where they come from, and an optional clock
   * @throws AppError `argument_invalid` when a limit is not a positive number or Infinity
   */
  constructor(options: RateLimiterOptions = {}) {
    this.clock = options.clock ?? systemClock;
    const now = this.clock.now();
    const limits = options.limits ?? NO_RATE_LIMITS;
    const label = options.limitsSource ?? "your setting";
    this.buckets = {
      requests: new TokenBucket(checkLimit("requestsPerMinute", limits.requestsPerMinute), label, now),
      inputTokens: new TokenBucket(checkLimit("inputTokensPerMinute", limits.inputTokensPerMinute), label, now),
      outputTokens: new TokenBucket(checkLimit("outputTokensPerMinute", limits.outputTokensPerMinute), label, now),
      tokens: new TokenBucket(checkLimit("tokensPerMinute", limits.tokensPerMinute ?? Infinity), label, now),
    };
  }

  /** Limits in force per minute: the lower of the configured and the reported one per bucket; Infinity = none. */
  get limits(): RateLimits {
    return {
      requestsPerMinute: this.buckets.requests.limit,
      inputTokensPerMinute: this.buckets.inputTokens.limit,
      outputTokensPerMinute: this.buckets.outputTokens.limit,
      tokensPerMinute: this.buckets.tokens.limit,
    };
  }

  /** Every bucket that limits, with its per-minute limit and where it comes from (configured or headers). */
  limitsInForce(): Array<{ bucket: RateLimitBucket; perMinute: number; source: Exclude<RateLimitSource, { kind: "none" }> }> {
    const out: ReturnType<RateLimiter["limitsInForce"]> = [];
    for (const bucket of BUCKETS) {
      const source = this.buckets[bucket].source;
      if (source.kind !== "none") out.push({ bucket, perMinute: this.buckets[bucket].limit, source });
    }
    return out;
  }

  /**
   * The limits in force in one line, each with its source, or null when nothing limits:
   * "requests 240/min, from the provider's headers; output tokens 80,000/min, your setting".
   */
  describeLimits(): string | null {
    const parts = this.limitsInForce().map((l) => `${LABELS[l.bucket]} ${numberFormat.format(l.perMinute)}/min, ${describeSource(l.source)}`);
    return parts.length ? parts.join("; ") : null;
  }

  /**
   * Output tokens one request reserves in `bucket` before it is sent (see the module comment):
   * `maxOutputTokens` where the provider documents counting it, else the mean output of the last
   * replies (capped at `maxOutputTokens`), `maxOutputTokens` until the first reply.
   */
  outputReservation(bucket: "outputTokens" | "tokens", maxOutputTokens: number): number {
    const source = this.buckets[bucket].source;
    const documented =
      source.kind === "headers" && ((bucket === "outputTokens" && source.dialect === "anthropic") || (bucket === "tokens" && source.dialect === "openai"));
    if (documented || this.outputSamples.length === 0) return maxOutputTokens;
    const mean = this.outputSamples.reduce((sum, n) => sum + n, 0) / this.outputSamples.length;
    return Math.min(maxOutputTokens, Math.ceil(mean));
  }

  /**
   * Waits until one request, `inputTokens` input tokens and `maxOutputTokens` output tokens fit
   * (and, for a combined `tokensPerMinute`, their sum), and no pause is in force; then reserves
   * them. A request larger than a bucket's capacity is let through once that bucket is full (the
   * bucket then goes into debt), so it cannot deadlock.
   *
   * @param options token counts (tokens, not characters) and an optional abort signal
   * @returns a Permit to `settle` after the call or `release` if the call was never made
   * @throws (rejects) the signal's reason when aborted while waiting — nothing stays reserved;
   *   AppError `argument_invalid` for a negative or non-finite token count
   */
  acquire(options: AcquireOptions): Promise<Permit> {
    let need: Need;
    try {
      const inputTokens = checkCount("inputTokens", options.inputTokens);
      const maxOutputTokens = checkCount("maxOutputTokens", options.maxOutputTokens);
      need = {
        requests: 1,
        inputTokens,
        outputTokens: this.outputReservation("outputTokens", maxOutputTokens),
        tokens: inputTokens + this.outputReservation("tokens", maxOutputTokens),
      };
    } catch (error) {
      return Promise.reject(error);
    }
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Permit>((resolve, reject) => {
      const waiter: Waiter = { need, resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.waiters.indexOf(waiter);
          if (index === -1) return;
          this.waiters.splice(index, 1);
          reject(signal.reason);
          this.kick();
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
      this.kick();
    });
  }

  /**
   * Brings the buckets in line with a response's rate-limit headers (see `parseRateLimitHeaders`
   * for the names). A reported limit replaces the current one, higher or lower; when it rises,
   * the bucket gains the difference (or takes the reported remaining count). Otherwise a reported
   * remaining count only ever lowers the bucket. When only a reset time is given, the remaining
   * count is inferred from it. `retry-after` is not read here: see `onRateLimited`.
   *
   * @param headers lower-case header names → values (GenerationResponse.headers, AppError detail.headers)
   */
  observeHeaders(headers: Record<string, string>): void {
    const now = this.clock.now();
    const observations = parseRateLimitHeaders(headers, now);
    for (const bucket of BUCKETS) {
      const observation = observations[bucket];
      if (observation) this.buckets[bucket].observe(observation, observation.dialect, now);
    }
    this.kick();
  }

  /**
   * Pauses every acquire of this limiter until `ms` from now (a 429's retry-after). A shorter
   * pause never cuts a longer one short.
   *
   * @param ms pause length in ms; 0, negative or NaN does nothing
   * @param reason shown by `state().reason`, e.g. "429 from Anthropic"
   */
  pauseFor(ms: number, reason: string): void {
    if (!(ms > 0)) return;
    const until = this.clock.now() + ms;
    if (until > this.pausedUntil) {
      this.pausedUntil = until;
      this.pauseReason = reason;
    }
    this.kick();
  }

  /**
   * Handles a 429: observes its headers (the provider says which bucket is empty), then pauses
   * all senders for `retryAfterMs`; without one, until the latest reset time of a bucket reported
   * empty, or 1 s.
   *
   * @param rateLimited `headers` and `retryAfterMs` as in a `rate_limited` AppError's detail
   *   (see `retryAfterMsFrom` in ./errors); `reason` defaults to "429 Too Many Requests"
   */
  onRateLimited(rateLimited: { headers?: Record<string, string>; retryAfterMs?: number | null; reason?: string }): void {
    const now = this.clock.now();
    let pauseMs = rateLimited.retryAfterMs ?? null;
    if (rateLimited.headers) {
      this.observeHeaders(rateLimited.headers);
      if (pauseMs === null) {
        const observations = parseRateLimitHeaders(rateLimited.headers, now);
        for (const observation of Object.values(observations)) {
          if (observation.remaining === 0 && observation.resetAt !== null) pauseMs = Math.max(pauseMs ?? 0, observation.resetAt - now);
        }
      }
    }
    this.pauseFor(pauseMs === null || pauseMs <= 0 ? FALLBACK_429_PAUSE_MS : pauseMs, rateLimited.reason ?? "429 Too Many Requests");
  }

  /** A snapshot of limits, levels and whether (and why) senders are held back. */
  state(): RateLimiterState {
    const now = this.clock.now();
    const block = this.blockage(now);
    const available = (bucket: RateLimitBucket) => {
      const level = this.buckets[bucket].available(now);
      return Number.isFinite(level) ? Math.max(0, Math.floor(level)) : level;
    };
    return {
      throttled: block !== null,
      reason: block === null ? null : block.blocker === "pause" ? this.pauseReason : `waiting for ${LABELS[block.blocker]}`,
      resumeAt: block === null ? null : now + block.ms,
      limits: this.limits,
      available: { requests: available("requests"), inputTokens: available("inputTokens"), outputTokens: available("outputTokens"), tokens: available("tokens") },
      waiting: this.waiters.length,
    };
  }

  /**
   * One line for progress displays, or null when nothing is held back:
   * "Rate limit: pausing 30 s" during a pause (seconds rounded up), or
   * "Rate limit: waiting for output tokens (12,000 of 80,000 per minute available)" when the next
   * waiter does not fit.
   */
  describe(): string | null {
    const now = this.clock.now();
    const block = this.blockage(now);
    if (block === null) return null;
    if (block.blocker === "pause") return `Rate limit: pausing ${Math.max(1, Math.ceil((this.pausedUntil - now) / 1000))} s`;
    const bucket = this.buckets[block.blocker];
    const available = Math.max(0, Math.floor(bucket.available(now)));
    return `Rate limit: waiting for ${LABELS[block.blocker]} (${numberFormat.format(available)} of ${numberFormat.format(bucket.limit)} per minute available; ${LABELS[block.blocker]} ${numberFormat.format(bucket.limit)}/min, ${describeSource(bucket.source)})`;
  }

  /** What holds back the head of the queue (or any acquire, during a pause) and for how long. */
  private blockage(now: number): { blocker: RateLimitBucket | "pause"; ms: number } | null {
    if (this.pausedUntil > now) {
      const head = this.waiters[0];
      const bucketWait = head ? this.waitFor(head.need, now) : null;
      return { blocker: "pause", ms: Math.max(this.pausedUntil - now, bucketWait?.ms ?? 0) };
    }
    const head = this.waiters[0];
    if (!head) return null;
    const wait = this.waitFor(head.need, now);
    return wait.ms > 0 && wait.blocker !== null ? { blocker: wait.blocker, ms: wait.ms } : null;
  }

  private waitFor(need: Need, now: number): { ms: number; blocker: RateLimitBucket | "pause" | null } {
    let ms = 0;
    let blocker: RateLimitBucket | "pause" | null = null;
    if (this.pausedUntil > now) {
      ms = this.pausedUntil - now;
      blocker = "pause";
    }
    for (const bucket of BUCKETS) {
      const wait = this.buckets[bucket].waitMs(need[bucket], now);
      if (wait > ms) {
        ms = wait;
        blocker = bucket;
      }
    }
    return { ms, blocker };
  }

  /** Grants whoever fits now, then makes sure the wait loop is (re)computing for the rest. */
  private kick(): void {
    this.grantReady();
    if (this.loopRunning) {
      this.wake?.abort();
      return;
    }
    if (this.waiters.length > 0) void this.waitLoop();
  }

  private grantReady(): void {
    const now = this.clock.now();
    while (this.waiters.length > 0) {
      const head = this.waiters[0];
      if (this.waitFor(head.need, now).ms > 0) return;
      this.waiters.shift();
      if (head.signal && head.onAbort) head.signal.removeEventListener("abort", head.onAbort);
      for (const bucket of BUCKETS) this.buckets[bucket].adjust(-head.need[bucket], now);
      head.resolve(this.permitFor(head.need));
    }
  }

  private async waitLoop(): Promise<void> {
    this.loopRunning = true;
    try {
      while (this.waiters.length > 0) {
        const wait = this.waitFor(this.waiters[0].need, this.clock.now());
        if (wait.ms > 0) {
          const wake = new AbortController();
          this.wake = wake;
          try {
            await this.clock.sleep(Math.min(wait.ms, MAX_SLEEP_MS), wake.signal);
          } catch {
            // woken early: something changed (a refund, new headers, a pause, an abort)
          } finally {
            if (this.wake === wake) this.wake = null;
          }
        }
        this.grantReady();
      }
    } finally {
      this.loopRunning = false;
    }
  }

  private permitFor(need: Need): Permit {
    let open = true;
    const give = (amounts: Partial<Need>) => {
      const now = this.clock.now();
      for (const bucket of BUCKETS) {
        const amount = amounts[bucket];
        if (amount) this.buckets[bucket].adjust(amount, now);
      }
    };
    return {
      inputTokens: need.inputTokens,
      outputTokens: need.outputTokens,
      settle: (actual, headers) => {
        if (!open) return;
        const inputTokens = checkCount("inputTokens", actual.inputTokens);
        const outputTokens = checkCount("outputTokens", actual.outputTokens);
        open = false;
        if (outputTokens > 0) {
          this.outputSamples.push(outputTokens);
          if (this.outputSamples.length > OUTPUT_SAMPLE_SIZE) this.outputSamples.shift();
        }
        give({
          inputTokens: need.inputTokens - inputTokens,
          outputTokens: need.outputTokens - outputTokens,
          tokens: need.tokens - (inputTokens + outputTokens),
        });
        if (headers) this.observeHeaders(headers);
        else this.kick();
      },
      release: () => {
        if (!open) return;
        open = false;
        give(need);
        this.kick();
      },
    };
  }
}

/**
 * One RateLimiter per `${provider}:${model}`, shared by every sender of a process so they all
 * see the same buckets and pauses.
 */
export class RateLimiterRegistry {
  private readonly clock: RateLimiterClock | undefined;
  private readonly limiters = new Map<string, { limiter: RateLimiter; configuredKey: string }>();

  /** @param options optional clock handed to every limiter created */
  constructor(options: { clock?: RateLimiterClock } = {}) {
    this.clock = options.clock;
  }

  /**
   * The limiter for a provider and model. Created on first use with the user's `configured`
   * limits (none by default); a later call with different configured limits (a new run with new
   * settings) replaces it, so a setting the user changed takes effect.
   *
   * @throws AppError `argument_invalid` when creating it with an invalid limit
   */
  get(provider: ProviderName, model: string, configured: { limits?: RateLimits; source?: string } = {}): RateLimiter {
    const key = `${provider}:${model}`;
    const configuredKey = JSON.stringify([configured.limits ?? null, configured.source ?? null]);
    const existing = this.limiters.get(key);
    if (existing && existing.configuredKey === configuredKey) return existing.limiter;
    const limiter = new RateLimiter({ limits: configured.limits, limitsSource: configured.source, clock: this.clock });
    this.limiters.set(key, { limiter, configuredKey });
    return limiter;
  }

  /**
   * The limiter already in use for a provider and model, whatever limits it was configured with,
   * or a new one without configured limits. For calls that must share a model's buckets without
   * changing its settings (a run's judge calls to a model other runs generate with).
   */
  shared(provider: ProviderName, model: string): RateLimiter {
    return this.limiters.get(`${provider}:${model}`)?.limiter ?? this.get(provider, model);
  }

  /** Every limiter created so far, keyed `${provider}:${model}`. */
  entries(): Array<{ key: string; limiter: RateLimiter }> {
    return [...this.limiters].map(([key, entry]) => ({ key, limiter: entry.limiter }));
  }
}
