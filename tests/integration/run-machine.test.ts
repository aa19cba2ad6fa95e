/**
 * The run state machine's invariants as stored (docs/engine.md): a queued item of a running live
 * run has a job that will take it; a paused run's items have none until resume creates them; a
 * conversation has at most one open item; statuses outside the machine are refused by the database.
 */
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPath } from "../../src/core/import/import-workspace";
import { createPlan } from "../../src/core/planning/create-plan";
import type { DatabaseHandle } from "../../src/server/db/client";
import { generationRunItems, generationRuns } from "../../src/server/db/schema";
import { cancelRun, pauseRun, resumeRun, startRun, type StartRunInput } from "../../src/server/runs/run-machine";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
let handle: DatabaseHandle;
let workspaceId: string;

const input = (ids: string[]): StartRunInput => ({ workspaceId, selection: { ids }, kind: "live", provider: "simulated", model: "simulated-composer-1", userId: "local:test", concurrency: 2 });

/** Each item of a run with the state of its pg-boss job (null when it has none). */
async function itemsWithJobs(runId: string) {
  const result = await handle.db.execute(sql`
    select i.state, i.job_id, j.state as job_state
    from generation_run_items i left join pgboss.job j on j.id = i.job_id
    where i.run_id = ${runId} order by i.id`);
  return (result as unknown as { rows: Array<{ state: string; job_id: string | null; job_state: string | null }> }).rows;
}

async function jobStatesOfRun(runId: string) {
  const result = await handle.db.execute(sql`select state from pgboss.job where name = 'generate-conversation' and data->>'runId' = ${runId}`);
  return (result as unknown as { rows: Array<{ state: string }> }).rows.map((r) => r.state).sort();
}

describe(`the run state machine as stored (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 8, scenario: 2, edge_case: 2 } });
  });
  afterAll(async () => {
    await handle.close();
  });

  it("start writes the run, its items and one waiting job per item in one go; pause cancels the jobs, resume creates new ones", async () => {
    const { run } = await startRun({ db: handle.db, input: input(["tmpl-001", "tmpl-002", "tmpl-003"]) });
    expect(run).toMatchObject({ status: "running", kind: "live", concurrency: 2, total: 3 });
    const started = await itemsWithJobs(run!.id);
    expect(started.map((i) => [i.state, i.job_state])).toEqual([
      ["queued", "created"],
      ["queued", "created"],
      ["queued", "created"],
    ]);

    await pauseRun({ db: handle.db, runId: run!.id });
    const paused = await itemsWithJobs(run!.id);
    expect(paused.map((i) => [i.state, i.job_id])).toEqual([
      ["queued", null],
      ["queued", null],
      ["queued", null],
    ]);
    expect(await jobStatesOfRun(run!.id)).toEqual(["cancelled", "cancelled", "cancelled"]);
    const [stored] = await handle.db.select().from(generationRuns).where(eq(generationRuns.id, run!.id));
    expect(stored).toMatchObject({ status: "paused", pausedReason: "user" });

    await resumeRun({ db: handle.db, runId: run!.id });
    const resumed = await itemsWithJobs(run!.id);
    expect(resumed.map((i) => [i.state, i.job_state])).toEqual([
      ["queued", "created"],
      ["queued", "created"],
      ["queued", "created"],
    ]);
    expect(new Set(resumed.map((i) => i.job_id)).size).toBe(3);
    expect(resumed.some((i) => started.some((s) => s.job_id === i.job_id))).toBe(false);
  });

  it("a conversation waiting in one run is not put in another: it is skipped with that run's id", async () => {
    const first = await startRun({ db: handle.db, input: input(["tmpl-004", "tmpl-005"]) });
    const second = await startRun({ db: handle.db, input: input(["tmpl-005", "tmpl-006"]) });
    expect(second.run?.total).toBe(1);
    expect(second.skipped).toEqual([
      { conversationId: "tmpl-005", waitingInRunId: first.run!.id, reason: `it is already waiting in run ${first.run!.id} (running); that run will generate it` },
    ]);
    // And the database itself refuses a second open item for one conversation.
    const [item] = await handle.db.select().from(generationRunItems).where(eq(generationRunItems.runId, first.run!.id)).limit(1);
    await expect(handle.db.insert(generationRunItems).values({ runId: second.run!.id, conversationId: item.conversationId })).rejects.toThrow();
  });

  it("cancel with no worker running closes every item and the run at once, and cancels their jobs", async () => {
    const { run } = await startRun({ db: handle.db, input: input(["tmpl-007", "tmpl-008"]) });
    const cancelled = await cancelRun({ db: handle.db, runId: run!.id, liveWorkerIds: [] });
    expect(cancelled.status).toBe("cancelled");
    expect((await itemsWithJobs(run!.id)).map((i) => i.state)).toEqual(["cancelled", "cancelled"]);
    expect(await jobStatesOfRun(run!.id)).toEqual(["cancelled", "cancelled"]);
    await expect(resumeRun({ db: handle.db, runId: run!.id })).rejects.toMatchObject({ code: "run_finished" });
  });

  it("refuses statuses, kinds and pause reasons outside the machine", async () => {
    const { run } = await startRun({ db: handle.db, input: input(["scen-001"]) });
    await expect(handle.db.execute(sql`update generation_runs set status = 'finished' where id = ${run!.id}`)).rejects.toThrow();
    await expect(handle.db.execute(sql`update generation_runs set kind = 'tier' where id = ${run!.id}`)).rejects.toThrow();
    await expect(handle.db.execute(sql`update generation_runs set status = 'paused', paused_reason = null where id = ${run!.id}`)).rejects.toThrow();
    await expect(handle.db.execute(sql`update generation_run_items set state = 'done' where run_id = ${run!.id}`)).rejects.toThrow();
  });
});
