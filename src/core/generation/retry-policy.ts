/**
 * When to try an LLM call again. This is the project's one retry layer (the SDKs run with
 * `maxRetries: 0`, ARCHITECTURE.md "Fixed choices").
 *
 * Default: exponential backoff 1, 2, 4, 8, 16 s with ±20 % jitter, at most 3 attempts per
 * conversation; a provider's `retry-after` wins when it asks for longer.
 */
import { isAppError } from "../errors";

export interface RetryPolicy {
  maxAttempts: number;
  /** Delay before attempt n+1 is `baseDelayMs × 2^(n-1)`, capped at `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Fraction of the delay added or removed at random (0.2 = ±20 %). */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 16_000, jitter: 0.2 };

/** Whether `error` after `attempt` (1-based) should be retried under `policy`. */
export function shouldRetry(error: unknown, attempt: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): boolean {
  return isAppError(error) && error.retryable && attempt < policy.maxAttempts;
}

/**
 * Milliseconds to wait before the next attempt.
 * @param attempt the attempt that just failed (1-based)
 * @param retryAfterMs what the provider asked for (retry-after header), if anything
 */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, policy: RetryPolicy = DEFAULT_RETRY_POLICY, random = Math.random): number {
  const base = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
  const jittered = base * (1 + policy.jitter * (2 * random() - 1));
  return Math.round(Math.max(jittered, retryAfterMs ?? 0));
}
