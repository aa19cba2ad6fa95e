import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors";
import { AdaptiveConcurrency } from "../../src/core/llm/adaptive-concurrency";

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

/** Starts an acquire and records whether it has been granted or rejected. */
function track(concurrency: AdaptiveConcurrency, signal?: AbortSignal) {
  const record = { granted: false, error: null as unknown };
  const promise = concurrency.acquire(signal).then(
    () => {
      record.granted = true;
    },
    (error: unknown) => {
      record.error = error;
    },
  );
  return Object.assign(record, { promise });
}

describe("AdaptiveConcurrency: the limit", () => {
  it("starts at 1 and grows by one after every 3 successes in a row, up to max", () => {
    const concurrency = new AdaptiveConcurrency({ max: 3 });
    expect(concurrency.limit).toBe(1);
    concurrency.onSuccess();
    concurrency.onSuccess();
    expect(concurrency.limit).toBe(1);
    concurrency.onSuccess();
    expect(concurrency.limit).toBe(2);
    for (let i = 0; i < 3; i += 1) concurrency.onSuccess();
    expect(concurrency.limit).toBe(3);
    for (let i = 0; i < 9; i += 1) concurrency.onSuccess();
    expect(concurrency.limit).toBe(3);
  });

  it("halves on a 429 (rounded down, never below min) and restarts the run of successes", () => {
    const concurrency = new AdaptiveConcurrency({ initial: 9, min: 2, max: 16, increaseEvery: 2 });
    concurrency.onSuccess();
    concurrency.onRateLimited();
    expect(concurrency.limit).toBe(4);
    concurrency.onSuccess(); // the success before the 429 no longer counts
    expect(concurrency.limit).toBe(4);
    concurrency.onSuccess();
    expect(concurrency.limit).toBe(5);
    concurrency.onRateLimited();
    expect(concurrency.limit).toBe(2);
    concurrency.onRateLimited();
    expect(concurrency.limit).toBe(2);
  });

  it("leaves the limit alone on other errors", () => {
    const concurrency = new AdaptiveConcurrency({ initial: 4, max: 8 });
    concurrency.onError();
    expect(concurrency.limit).toBe(4);
  });

  it("cuts once for a burst of 429s from calls already in flight", async () => {
    const concurrency = new AdaptiveConcurrency({ initial: 8, max: 8 });
    for (let i = 0; i < 8; i += 1) await concurrency.acquire();
    // All eight come back 429: one overload, one cut.
    for (let i = 0; i < 8; i += 1) {
      concurrency.onRateLimited();
      concurrency.release();
    }
    expect(concurrency.limit).toBe(4);
    // A new 429 after the burst has drained cuts again.
    await concurrency.acquire();
    concurrency.onRateLimited();
    concurrency.release();
    expect(concurrency.limit).toBe(2);
  });

  it("rejects invalid settings", () => {
    expect(() => new AdaptiveConcurrency({ max: 0 })).toThrow(AppError);
    expect(() => new AdaptiveConcurrency({ min: 4, max: 2 })).toThrow(/max/);
    expect(() => new AdaptiveConcurrency({ initial: 5, max: 4 })).toThrow(/initial/);
    expect(() => new AdaptiveConcurrency({ max: 4, increaseEvery: 0 })).toThrow(/increaseEvery/);
    expect(() => new AdaptiveConcurrency({ max: 2.5 })).toThrow(AppError);
  });
});

describe("AdaptiveConcurrency: the semaphore", () => {
  it("admits up to the limit and starts a waiter when a holder releases", async () => {
    const concurrency = new AdaptiveConcurrency({ initial: 2, max: 4 });
    const calls = [track(concurrency), track(concurrency), track(concurrency)];
    await flush();
    expect(calls.map((call) => call.granted)).toEqual([true, true, false]);
    expect(concurrency).toMatchObject({ active: 2, waiting: 1 });
    concurrency.release();
    await flush();
    expect(calls[2].granted).toBe(true);
    expect(concurrency).toMatchObject({ active: 2, waiting: 0 });
  });

  it("lets a waiter start as soon as successes raise the limit", async () => {
    const concurrency = new AdaptiveConcurrency({ max: 4 });
    await concurrency.acquire();
    const waiter = track(concurrency);
    for (let i = 0; i < 3; i += 1) concurrency.onSuccess();
    await flush();
    expect(concurrency.limit).toBe(2);
    expect(waiter.granted).toBe(true);
  });

  it("never cancels running holders when the limit drops; new acquires wait until below it", async () => {
    const concurrency = new AdaptiveConcurrency({ initial: 4, max: 4 });
    for (let i = 0; i < 4; i += 1) await concurrency.acquire();
    concurrency.onRateLimited();
    expect(concurrency).toMatchObject({ limit: 2, active: 4 });
    const waiter = track(concurrency);
    concurrency.release();
    concurrency.release();
    await flush();
    expect(waiter.granted).toBe(false); // 2 running, limit 2
    concurrency.release();
    await flush();
    expect(waiter.granted).toBe(true);
    expect(concurrency.active).toBe(2);
  });

  it("rejects an aborted acquire with the signal's reason and takes no slot", async () => {
    const concurrency = new AdaptiveConcurrency({ max: 1 });
    await concurrency.acquire();
    const controller = new AbortController();
    const aborted = track(concurrency, controller.signal);
    const next = track(concurrency);
    const reason = new Error("run cancelled");
    controller.abort(reason);
    await aborted.promise;
    expect(aborted.error).toBe(reason);
    expect(concurrency.waiting).toBe(1);
    concurrency.release();
    await flush();
    expect(next.granted).toBe(true);
    expect(concurrency.active).toBe(1);
    await expect(concurrency.acquire(AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it("refuses a release without a holder", () => {
    const concurrency = new AdaptiveConcurrency({ max: 2 });
    expect(() => concurrency.release()).toThrow(/more times than acquire/);
  });
});
