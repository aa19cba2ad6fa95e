/**
 * How many LLM calls may be in flight at once, adapted to what the provider accepts: additive
 * increase (one more after a run of successes, so the ramp-up is gradual), multiplicative
 * decrease (halve on a 429) — the AIMD rule TCP congestion control uses. It doubles as a
 * semaphore whose capacity follows the current limit.
 */
import { AppError } from "../errors";

export interface AdaptiveConcurrencyOptions {
  /** Starting limit; 1 by default (start slow, ramp up). Must lie within [min, max]. */
  initial?: number;
  /** Lowest limit a 429 can cut to; 1 by default. */
  min?: number;
  /** Highest limit successes can grow to (the configured concurrency). */
  max: number;
  /** Consecutive successes needed for one step up; 3 by default. */
  increaseEvery?: number;
}

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

function checkInteger(name: string, value: number, lowest: number): number {
  if (!Number.isInteger(value) || value < lowest) {
    throw new AppError("argument_invalid", `Concurrency ${name} must be a whole number of at least ${lowest} (got ${String(value)}).`, {
      detail: { field: name, value },
    });
  }
  return value;
}

/**
 * Adaptive concurrency limit plus semaphore.
 *
 * One 429 cut per burst: the calls already in flight when the limit is cut were sent under the
 * old limit, so their 429s report the same overload. The next that many outcomes
 * (`onSuccess` / `onRateLimited` / `onError`) are counted as that burst and a 429 among them
 * does not cut again — otherwise a burst of 16 simultaneous 429s would drive 16 → 1. With
 * nothing in flight, each `onRateLimited` halves.
 */
export class AdaptiveConcurrency {
  readonly min: number;
  readonly max: number;
  readonly increaseEvery: number;
  private current: number;
  private holders = 0;
  private streak = 0;
  /** Outcomes still expected from calls that were in flight at the last cut. */
  private burstOutcomes = 0;
  private readonly waiters: Waiter[] = [];

  /**
   * @param options initial (1), min (1), max (required), increaseEvery (3); all whole numbers
   * @throws AppError `argument_invalid` when a value is not a whole number, min > max, or
   *   initial lies outside [min, max]
   */
  constructor(options: AdaptiveConcurrencyOptions) {
    this.min = checkInteger("min", options.min ?? 1, 1);
    this.max = checkInteger("max", options.max, this.min);
    this.increaseEvery = checkInteger("increaseEvery", options.increaseEvery ?? 3, 1);
    const initial = checkInteger("initial", options.initial ?? 1, 1);
    if (initial < this.min || initial > this.max) {
      throw new AppError("argument_invalid", `Concurrency initial (${initial}) must lie between min (${this.min}) and max (${this.max}).`, {
        detail: { field: "initial", value: initial },
      });
    }
    this.current = initial;
  }

  /** The current limit: how many holders `acquire` admits at once. */
  get limit(): number {
    return this.current;
  }

  /** Holders now (acquired, not yet released). */
  get active(): number {
    return this.holders;
  }

  /** Acquires waiting for a slot. */
  get waiting(): number {
    return this.waiters.length;
  }

  /**
   * A call succeeded: after `increaseEvery` successes in a row the limit grows by one (up to
   * `max`) and a waiter may start.
   */
  onSuccess(): void {
    this.countOutcome();
    this.streak += 1;
    if (this.streak >= this.increaseEvery) {
      this.streak = 0;
      if (this.current < this.max) {
        this.current += 1;
        this.grant();
      }
    }
  }

  /**
   * A call got a 429: halves the limit (rounded down, never below `min`) and restarts the run of
   * successes — unless the 429 belongs to the burst already cut for (see the class notes). Call
   * it before `release()` for that call.
   */
  onRateLimited(): void {
    this.streak = 0;
    if (this.burstOutcomes > 0) {
      this.burstOutcomes -= 1;
      return;
    }
    this.current = Math.max(this.min, Math.floor(this.current / 2));
    // Everyone else in flight was sent under the old limit.
    this.burstOutcomes = Math.max(0, this.holders - 1);
  }

  /** A call failed for another reason (timeout, 5xx, bad reply): says nothing about capacity; no change. */
  onError(): void {
    this.countOutcome();
  }

  /**
   * Waits for a slot (first come, first served). Lowering the limit never cancels holders;
   * new acquires wait until the number of holders is below the limit.
   *
   * @param signal aborting rejects with `signal.reason` and takes no slot
   * @returns once the caller holds a slot; call `release()` exactly once afterwards
   */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.waiters.length === 0 && this.holders < this.current) {
      this.holders += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.waiters.indexOf(waiter);
          if (index === -1) return;
          this.waiters.splice(index, 1);
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
    });
  }

  /**
   * Gives a slot back; the next waiter starts if the limit allows.
   *
   * @throws AppError `argument_invalid` when nothing is held (more releases than acquires)
   */
  release(): void {
    if (this.holders === 0) {
      throw new AppError("argument_invalid", "AdaptiveConcurrency.release() was called more times than acquire().");
    }
    this.holders -= 1;
    this.grant();
  }

  private countOutcome(): void {
    if (this.burstOutcomes > 0) this.burstOutcomes -= 1;
  }

  private grant(): void {
    while (this.waiters.length > 0 && this.holders < this.current) {
      const waiter = this.waiters.shift() as Waiter;
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener("abort", waiter.onAbort);
      this.holders += 1;
      waiter.resolve();
    }
  }
}
