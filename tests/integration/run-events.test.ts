import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localOwner, setProcessPrincipal } from "../../src/server/auth";
import { GET as getEvents } from "../../src/app/api/w/[slug]/runs/[id]/events/route";
import { GET as getRun } from "../../src/app/api/w/[slug]/runs/[id]/route";
import { generateNow as runGeneration } from "../support/generate-now";
import { importPath } from "../../src/core/import/import-workspace";
import { createSimulatedProvider } from "../../src/core/llm/simulated-provider";
import { createPlan } from "../../src/core/planning/create-plan";
import { getDatabase } from "../../src/server/db/instance";
import { createTestDatabaseUrl, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-events-"));
let database: Awaited<ReturnType<typeof createTestDatabaseUrl>> = null;
let runId = "";

const params = (id: string, slug = "test-business") => ({ params: Promise.resolve({ slug, id }) });

describe(`run progress over HTTP and server-sent events (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    database = await createTestDatabaseUrl();
    process.env.DATABASE_URL = database?.url ?? "";
    process.env.BRIGHTRUN_DATA_DIR = dataDir;
    const handle = await getDatabase();
    // The routes run as the local owner (the guard's seam for code outside a web request).
    setProcessPrincipal(localOwner());
    const workspaceId = (await createTestWorkspace(handle.db)).id;
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 5, scenario: 3, edge_case: 2 } });
    const result = await runGeneration({ handle, selection: { all: true }, provider: createSimulatedProvider(), model: "simulated-composer-1", userId: "local:test", concurrency: 2 });
    runId = result.run?.id as string;
  });
  afterAll(async () => {
    setProcessPrincipal(null);
    await (await getDatabase()).close();
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("refuses the progress JSON and the event stream with 401 when nobody is signed in", async () => {
    setProcessPrincipal(null);
    try {
      const json = await getRun(new Request("http://test/api/runs/x"), params(runId));
      expect(json.status).toBe(401);
      expect((await json.json()).error.message).toMatch(/Sign in/);
      const stream = await getEvents(new Request("http://test/api/runs/x/events"), params(runId));
      expect(stream.status).toBe(401);
    } finally {
      setProcessPrincipal(localOwner());
    }
  });

  it("answers a run's progress as JSON, 404 for an unknown run and 400 for a malformed id", async () => {
    const ok = await getRun(new Request("http://test/api/runs/x"), params(runId));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ runId, status: "completed", total: 10, done: 10, percent: 100, succeeded: 10, failed: 0, provider: "simulated" });
    const missing = await getRun(new Request("http://test"), params("7d0b7c2e-6a5b-4a8e-9a44-0a0d3f2f9c11"));
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.message).toMatch(/no generation run/);
    const bad = await getRun(new Request("http://test"), params("not-a-run"));
    expect(bad.status).toBe(400);
  });

  it("streams progress as server-sent events and ends when the run has finished", async () => {
    const response = await getEvents(new Request("http://test/api/runs/x/events"), params(runId));
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await response.text();
    const events = text
      .trim()
      .split("\n\n")
      .map((block) => {
        const [eventLine, dataLine] = block.split("\n");
        return { event: eventLine.replace("event: ", ""), data: JSON.parse(dataLine.replace("data: ", "")) };
      });
    expect(events[0]).toMatchObject({ event: "progress", data: { runId, done: 10, total: 10 } });
    expect(events.at(-1)).toEqual({ event: "end", data: { status: "completed" } });
  });
});
