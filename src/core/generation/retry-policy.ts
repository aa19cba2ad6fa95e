/**
 * When to try an LLM call again. This is the project's one retry layer (the SDKs run with
 * `maxRetries: 0`, ARCHITECTURE.md "Fixed choices").
 *
 * Default (US12.1.1): exponential backoff 1, 2, 4, 8, 16 s with ±20 % jitter, at most 3 attempts
 * per conversation; linear (1, 2, 3… s) and fixed (1, 1, 1… s) strategies; any setting can be
 * overridden per error code ("rate_limited", "overloaded", "server_error", "timeout",
 * "connection_error", "malformed_response", "truncated_response"). A provider's `retry-after`
 * wins when it asks for longer. Which errors are retryable is the error's own `retryable` flag
 * (authentication, invalid requests and validation are not).
 */
import { z } from "zod";
import { AppError, isAppError } from "../errors";

export const BACKOFF_STRATEGIES = ["exponential", "linear", "fixed"] as const;
export type BackoffStrategy = (typeof BACKOFF_STRATEGIES)[number];

export interface RetrySettings {
  /** Attempts per conversation, the first included. */
  maxAttempts: number;
  /** First delay, ms. exponential: base × 2^(n-1); linear: base × n; fixed: base. */
  baseDelayMs: number;
  /** Cap on one delay, ms. */
  maxDelayMs: number;
  /** Fraction of the delay added or removed at random (0.2 = ±20 %). */
  jitter: number;
  strategy?: BackoffStrategy;
}

export interface RetryPolicy extends RetrySettings {
  /** Overrides for particular error codes. */
  byErrorCode?: Partial<Record<string, Partial<RetrySettings>>>;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 16_000, jitter: 0.2, strategy: "exponential" };

/** The settings that apply to `error` (its code's overrides over the policy). */
export function settingsFor(error: unknown, policy: RetryPolicy = DEFAULT_RETRY_POLICY): RetrySettings {
  const override = isAppError(error) ? policy.byErrorCode?.[error.code] : undefined;
  return { ...policy, ...override };
}

/** Whether `error` after `attempt` (1-based) should be retried under `policy`. */
export function shouldRetry(error: unknown, attempt: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): boolean {
  return isAppError(error) && error.retryable && attempt < settingsFor(error, policy).maxAttempts;
}

/**
 * Milliseconds to wait before the next attempt.
 * @param attempt the attempt that just failed (1-based)
 * @param retryAfterMs what the provider asked for (retry-after header), if anything
 * @param error the error, for per-code settings
 */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, policy: RetryPolicy = DEFAULT_RETRY_POLICY, random = Math.random, error?: unknown): number {
  const s = settingsFor(error, policy);
  const strategy = s.strategy ?? "exponential";
  const raw = strategy === "fixed" ? s.baseDelayMs : strategy === "linear" ? s.baseDelayMs * attempt : s.baseDelayMs * 2 ** (attempt - 1);
  const base = Math.min(raw, s.maxDelayMs);
  const jittered = base * (1 + s.jitter * (2 * random() - 1));
  return Math.round(Math.max(jittered, retryAfterMs ?? 0));
}

const settingsSchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(20),
  baseDelayMs: z.number().int().min(0).max(600_000),
  maxDelayMs: z.number().int().min(0).max(3_600_000),
  jitter: z.number().min(0).max(1),
  strategy: z.enum(BACKOFF_STRATEGIES),
});
const policySchema = settingsSchema.partial().extend({ byErrorCode: z.record(z.string(), settingsSchema.partial()).optional() });

/**
 * The shape of a retry policy given by the user (BRIGHTRUN_RETRY_POLICY, or the Settings page): any
 * of the settings, over DEFAULT_RETRY_POLICY, and per error code. Delays in ms; attempts 1–20.
 */
export const retryPolicyOverridesSchema = policySchema;
export type RetryPolicyOverrides = z.infer<typeof retryPolicyOverridesSchema>;

/**
 * The error codes worth their own retry settings: the retryable ones (src/core/llm/types.ts
 * LLM_ERROR_CODES, and `malformed_response` / `truncated_response` from the conversation contract),
 * with a label for people.
 */
export const RETRYABLE_ERROR_KINDS = [
  { code: "rate_limited", label: "Rate limited (429)" },
  { code: "overloaded", label: "Overloaded (529)" },
  { code: "server_error", label: "Server error (5xx)" },
  { code: "timeout", label: "Timeout" },
  { code: "connection_error", label: "Connection error" },
  { code: "malformed_response", label: "Reply not the conversation JSON" },
  { code: "truncated_response", label: "Reply cut off (max tokens)" },
] as const;

/**
 * The policy in force from the user's overrides: `overrides` over DEFAULT_RETRY_POLICY (its
 * `byErrorCode` as given). Used for the Settings page's saved policy; BRIGHTRUN_RETRY_POLICY goes
 * through loadRetryPolicy.
 */
export function retryPolicyFrom(overrides: RetryPolicyOverrides | null | undefined): RetryPolicy {
  return overrides ? ({ ...DEFAULT_RETRY_POLICY, ...overrides } as RetryPolicy) : DEFAULT_RETRY_POLICY;
}

/**
 * The retry policy from `BRIGHTRUN_RETRY_POLICY` (JSON), over the default, e.g.
 * `{"maxAttempts":5,"strategy":"linear","byErrorCode":{"overloaded":{"baseDelayMs":5000}}}`.
 * @throws AppError "invalid_retry_policy" naming what is wrong.
 */
export function loadRetryPolicy(env: Record<string, string | undefined>): RetryPolicy {
  const text = env.BRIGHTRUN_RETRY_POLICY?.trim();
  if (!text) return DEFAULT_RETRY_POLICY;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("invalid_retry_policy", "BRIGHTRUN_RETRY_POLICY is not valid JSON. Example: {\"maxAttempts\":5,\"strategy\":\"linear\"}.");
  }
  const parsed = policySchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`).join("; ");
    throw new AppError("invalid_retry_policy", `BRIGHTRUN_RETRY_POLICY is not a valid retry policy (${problems}). Fields: maxAttempts, baseDelayMs, maxDelayMs, jitter, strategy (exponential|linear|fixed), byErrorCode.`);
  }
  return { ...DEFAULT_RETRY_POLICY, ...parsed.data } as RetryPolicy;
}
