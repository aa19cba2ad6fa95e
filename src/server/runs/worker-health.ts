import "server-only";
/**
 * Whether this process runs a generation worker, and whether one runs anywhere, for the web's
 * worker-health banner (docs/engine.md, "Workers"): "no worker is running" or "the worker did not
 * start: <reason>" with what to do, instead of a Generate button with nobody behind it.
 */
import os from "node:os";
import type { DatabaseHandle } from "../db/client";
import { listLiveWorkers } from "../db/queries/run-items";
import { countLiveWorkers } from "../db/queries/runs";
import { processIsAlive, WORKER_STALE_MS } from "./worker";

/** This process's worker: on, off by choice (BRIGHTRUN_WORKER=0), failed to start, or starting. */
export type ProcessWorkerState = { state: "starting" } | { state: "running"; workerId: string; ceiling: number } | { state: "off"; reason: string } | { state: "failed"; reason: string };

/** What the web shows: whether conversations started now will be generated, and if not why and what to do. */
export interface WorkerHealth {
  ok: boolean;
  /** True while this process's worker is still starting (not a failure). */
  starting: boolean;
  /** Workers with a recent heartbeat, this process's included. */
  liveWorkers: number;
  /** Plain-English state and what to do, or null when all is well. */
  problem: string | null;
}

const KEY = Symbol.for("brightrun.workerState");

/** Records this process's worker state (stored on globalThis: Next.js bundles modules separately). */
export function setProcessWorkerState(state: ProcessWorkerState): void {
  (globalThis as unknown as Record<symbol, ProcessWorkerState>)[KEY] = state;
}

/** This process's worker state; "starting" until the background work has reported. */
export function getProcessWorkerState(): ProcessWorkerState {
  return (globalThis as unknown as Record<symbol, ProcessWorkerState | undefined>)[KEY] ?? { state: "starting" };
}

/**
 * The worker health the web shows: this process's own worker, else any worker with a heartbeat in
 * the last WORKER_STALE_MS (other processes or hosts, with DATABASE_URL). The advice depends on
 * the database: with the embedded one, no other process can run a worker.
 */
export async function getWorkerHealth({ handle }: { handle: Pick<DatabaseHandle, "db" | "kind"> }): Promise<WorkerHealth> {
  const own = getProcessWorkerState();
  const liveWorkers = await countLiveWorkers({ db: handle.db, staleMs: WORKER_STALE_MS });
  if (own.state === "running" || liveWorkers > 0) return { ok: true, starting: false, liveWorkers, problem: null };
  if (own.state === "starting") return { ok: false, starting: true, liveWorkers, problem: "Conversations you start now will begin in a moment." };
  const whatToDo =
    handle.kind === "pglite"
      ? "With the embedded database only this server can generate: fix the cause and restart `npm start`."
      : "Start one with `brightrun worker` against the same DATABASE_URL, or fix the cause and restart `npm start`.";
  if (own.state === "failed") {
    return { ok: false, starting: false, liveWorkers, problem: `The worker of this server did not start: ${own.reason} Conversations you start will wait in the queue. ${whatToDo}` };
  }
  return {
    ok: false,
    starting: false,
    liveWorkers,
    problem:
      handle.kind === "pglite"
        ? `This server runs without its worker (${own.reason}), and with the embedded database no other process can generate. Restart \`npm start\` without BRIGHTRUN_WORKER=0.`
        : `This server runs without its worker (${own.reason}) and no other worker has been seen in the last ${WORKER_STALE_MS / 1000} s. Conversations you start will wait in the queue: start one with \`brightrun worker\` against the same DATABASE_URL.`,
  };
}

/**
 * Ids of workers alive now: with the embedded database only this process's own (no other process
 * can hold the database); with PostgreSQL, workers with a recent heartbeat (those of this host
 * only if their process still runs).
 */
export async function listLiveWorkerIds({ handle }: { handle: DatabaseHandle }): Promise<string[]> {
  const own = getProcessWorkerState();
  const ownIds = own.state === "running" ? [own.workerId] : [];
  if (handle.kind === "pglite") return ownIds;
  const live = await listLiveWorkers({ db: handle.db, staleMs: WORKER_STALE_MS });
  return [...new Set([...ownIds, ...live.filter((w) => w.hostname !== os.hostname() || processIsAlive(w.pid)).map((w) => w.id)])];
}
