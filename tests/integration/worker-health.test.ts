/**
 * The web's worker-health banner: says when nothing will generate what the user starts, why, and
 * what to do for the database in use; quiet once a worker runs here or has a recent heartbeat.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/server/db/client";
import { deleteWorkerById, upsertWorkerHeartbeat } from "../../src/server/db/queries/run-items";
import { getWorkerHealth, setProcessWorkerState } from "../../src/server/runs/worker-health";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";

let handle: DatabaseHandle;

describe(`worker health for the web (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterEach(() => setProcessWorkerState({ state: "starting" }));
  afterAll(async () => {
    await handle.close();
  });

  it("is fine while this process's worker runs", async () => {
    setProcessWorkerState({ state: "running", workerId: "here", ceiling: 16 });
    expect(await getWorkerHealth({ handle })).toMatchObject({ ok: true, problem: null });
  });

  it("says the worker did not start, with the reason and what to do for this database", async () => {
    setProcessWorkerState({ state: "failed", reason: "PostgreSQL refused the connection." });
    const health = await getWorkerHealth({ handle });
    expect(health.ok).toBe(false);
    expect(health.problem).toMatch(/^The worker of this server did not start: PostgreSQL refused the connection\. Conversations you start will wait in the queue\./);
    expect(health.problem).toMatch(handle.kind === "pglite" ? /only this server can generate/ : /brightrun worker/);
  });

  it("with the worker turned off, points at the fix that works for this database; a worker elsewhere with a heartbeat is enough", async () => {
    setProcessWorkerState({ state: "off", reason: "BRIGHTRUN_WORKER=0 turns off the worker of the web server" });
    const off = await getWorkerHealth({ handle });
    expect(off.ok).toBe(false);
    expect(off.problem).toMatch(handle.kind === "pglite" ? /Restart `npm start` without BRIGHTRUN_WORKER=0/ : /start one with `brightrun worker`/);
    await upsertWorkerHeartbeat({ db: handle.db, id: "other-host:1:abc", hostname: "other-host", pid: 1, concurrency: 8 });
    expect(await getWorkerHealth({ handle })).toMatchObject({ ok: true, liveWorkers: 1 });
    await deleteWorkerById({ db: handle.db, id: "other-host:1:abc" });
  });
});
