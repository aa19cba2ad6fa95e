import "server-only";
/**
 * The one wrapper that times the app's own queries for the database health page (issue 13 item 7;
 * docs/database-health.md). `timedQuery({ db, kind, workspaceId }, fn)` runs `fn`, measures its wall
 * time (performance.now, ms) and returns its result unchanged — or rethrows its error unchanged
 * (a failed query is not timed). The timing is buffered and written to query_timings in one insert
 * about a second later, off the request's path: recording never delays a page and a failed write
 * never fails one (it is reported once on the server log and the buffer is dropped).
 */
import type { DbOrTx } from "./db/client";
import { insertQueryTimings, type QueryTimingInsert } from "./db/queries/database-health";
import type { QueryKind } from "../lib/database-health";

/** How long timings wait in memory before they are written (ms). */
const FLUSH_AFTER_MS = 1_000;
/** Most timings held per database before the oldest are dropped (bounds memory if writes keep failing). */
const MAX_BUFFERED = 5_000;

interface Buffer {
  rows: QueryTimingInsert[];
  timer: NodeJS.Timeout | null;
  flushing: Promise<void> | null;
}

const KEY = Symbol.for("brightrun.queryTimings");
const store = globalThis as unknown as { [KEY]?: WeakMap<object, Buffer> };
const buffers = (store[KEY] ??= new WeakMap<object, Buffer>());
let warned = false;

function bufferOf(db: DbOrTx): Buffer {
  let buffer = buffers.get(db);
  if (!buffer) {
    buffer = { rows: [], timer: null, flushing: null };
    buffers.set(db, buffer);
  }
  return buffer;
}

/**
 * Writes the timings buffered for `db` now (tests and benchmarks call it before reading
 * query_timings). Never throws.
 */
export async function flushQueryTimings(db: DbOrTx): Promise<void> {
  const buffer = bufferOf(db);
  if (buffer.timer) {
    clearTimeout(buffer.timer);
    buffer.timer = null;
  }
  if (buffer.flushing) await buffer.flushing;
  const rows = buffer.rows.splice(0);
  if (!rows.length) return;
  buffer.flushing = insertQueryTimings({ db, rows })
    .catch((error: Error) => {
      if (!warned) {
        warned = true;
        console.warn(`[brightrun] could not record query timings for the database health page (${error.message}); pages are not affected.`);
      }
    })
    .finally(() => {
      buffer.flushing = null;
    });
  await buffer.flushing;
}

/** Queues one timing for `db`, written within FLUSH_AFTER_MS. */
function record(db: DbOrTx, row: QueryTimingInsert): void {
  const buffer = bufferOf(db);
  buffer.rows.push(row);
  if (buffer.rows.length > MAX_BUFFERED) buffer.rows.splice(0, buffer.rows.length - MAX_BUFFERED);
  if (!buffer.timer) {
    buffer.timer = setTimeout(() => {
      buffer.timer = null;
      void flushQueryTimings(db);
    }, FLUSH_AFTER_MS);
    buffer.timer.unref?.();
  }
}

/**
 * Runs `fn` and records its wall time (ms) as one query_timings row of `kind` for `workspaceId`
 * (null: installation-wide).
 * @returns what `fn` returns
 * @throws what `fn` throws (nothing is recorded then)
 */
export async function timedQuery<T>({ db, kind, workspaceId }: { db: DbOrTx; kind: QueryKind; workspaceId: string | null }, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await fn();
  record(db, { workspaceId, kind, durationMs: performance.now() - started, recordedAt: new Date() });
  return result;
}
