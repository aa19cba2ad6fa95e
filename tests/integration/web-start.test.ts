/**
 * `npm start` end to end: scripts/start.mjs (builds only when `.next` is missing or stale; CI has
 * built already), the instrumentation hook (database, first-run sample workspace, in-process
 * generation worker), and a clean shutdown on SIGTERM that releases the embedded database; the
 * sample is loaded once per installation, so a start after every workspace was deleted leaves it out.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabaseUrl, testDatabaseKind } from "../support/test-database";
import { freePort } from "../support/app-process";
import { createOwnerArgs, signInCookie, TEST_OWNER } from "../support/sign-in";
import { openDatabase } from "../../src/server/db/client";
import { createPersonalAccessToken } from "../../src/server/accounts/accounts";
import { users } from "../../src/server/db/schema";
import { eq } from "drizzle-orm";

const ROOT = path.resolve(__dirname, "../..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-web-"));
const kind = testDatabaseKind();
const businessName = JSON.parse(fs.readFileSync(path.join(ROOT, "examples/financial-planning/workspace.json"), "utf8")).business_name as string;

let database: Awaited<ReturnType<typeof createTestDatabaseUrl>> = null;
let server: ChildProcess | null = null;
let output = "";
let port = 0;
/** The owner's session cookie, once the owner exists (test 2). */
let cookie = "";
/** On PostgreSQL with accounts the CLI needs a personal access token (docs/accounts.md). */
let cliToken = "";

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, BRIGHTRUN_DATA_DIR: path.join(work, "data"), DATABASE_URL: database?.url ?? "", BRIGHTRUN_TOKEN: cliToken, ...extra };
  for (const key of ["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIGHTRUN_PROVIDER", "BRIGHTRUN_MODEL", "BRIGHTRUN_WORKER", "BRIGHTRUN_NO_SAMPLE", "NODE_ENV"]) delete env[key];
  return env;
}

function brightrun(...args: string[]) {
  return brightrunWith({}, ...args);
}

function brightrunWith(extraEnv: Record<string, string>, ...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(ROOT, "bin/brightrun.mjs"), ...args], { cwd: work, env: childEnv(extraEnv), encoding: "utf8", timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server && server.exitCode !== null) throw new Error(`npm start exited (${server.exitCode}) while waiting for ${what}:\n${output}`);
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe(`npm start: the web app with its in-process worker (${kind})`, () => {
  beforeAll(async () => {
    database = await createTestDatabaseUrl();
    port = await freePort();
    server = spawn(process.execPath, [path.join(ROOT, "scripts/start.mjs")], { cwd: ROOT, env: { ...childEnv(), PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] });
    server.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    server.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    // Builds first only when .next is missing or older than the sources.
    await waitFor("the start line", 240_000, () => (output.includes(`Bright Run at http://localhost:${port}`) ? true : undefined));
  }, 300_000);

  afterAll(async () => {
    if (server && server.exitCode === null) server.kill("SIGKILL");
    fs.rmSync(work, { recursive: true, force: true });
    await database?.drop();
  });

  it("migrates, loads the sample workspace on first run and says what it runs", async () => {
    expect(output).toMatch(/First run: the database has no workspace yet; loading the sample business \(examples\/financial-planning\) into the workspace "Harbor & Pine Financial Planning — sample"/);
    // …and plans the dataset as `brightrun plan` with no options would (40/35/15).
    expect(output).toMatch(/Planned the dataset: Template 40 \/ Scenario 35 \/ Edge case 15 = 90 conversations, 90 new, ready to generate\./);
    expect(output).toMatch(kind === "pglite" ? /database: embedded \(PGlite\)/ : /database: PostgreSQL/);
    expect(output).toMatch(/worker: on/);
    expect(output).toMatch(/provider: simulated — not a language model/);
    // A fresh install: signed out, the app asks for the owner's account first.
    const response = await fetch(`http://localhost:${port}/`);
    expect(response.status).toBe(200);
    expect(response.url).toMatch(/\/setup$/);
    expect(await response.text()).toContain("Create the owner&#x27;s account");
  });

  it("shows the sample business on the overview page once the owner has signed in (the page shares the process's one database handle)", async () => {
    const owner = createOwnerArgs();
    const created = brightrunWith(owner.env, ...owner.args);
    expect(created.code, created.stderr).toBe(0);
    cookie = await signInCookie(`http://localhost:${port}`);
    const html = (await (await fetch(`http://localhost:${port}/`, { headers: { cookie } })).text()).replace(/&amp;/g, "&");
    expect(html).toContain(businessName);
  });

  it.runIf(kind === "pglite")("runs the CLI's commands in the server while it holds the embedded database (cli-beside-server.test.ts has more)", () => {
    const status = brightrun("status", "--json");
    expect(status.code, status.stderr).toBe(0);
    expect(status.stderr).toMatch(/Running in the Bright Run server at http:\/\/127\.0\.0\.1:\d+/);
    expect(JSON.parse(status.stdout).seeds).toBe(10);
  });

  it.runIf(kind === "postgres")(
    "generates a run queued by the CLI with the web process's worker",
    async () => {
      // The database has accounts now: the CLI signs in with the owner's personal access token.
      const handle = await openDatabase({ url: database!.url });
      try {
        const [owner] = await handle.db.select().from(users).where(eq(users.email, TEST_OWNER.email));
        cliToken = (await createPersonalAccessToken(handle.db, owner!.id, "web-start test")).token;
      } finally {
        await handle.close();
      }
      expect(brightrun("plan").code).toBe(0);
      const queued = brightrun("generate", "--tier", "edge_case", "--no-wait", "--provider", "simulated");
      expect(queued.code, queued.stderr).toBe(0);
      const runId = /Run (\S+) queued/.exec(queued.stdout)?.[1] as string;
      expect(runId).toBeTruthy();
      const progress = await waitFor("the run to finish", 60_000, async () => {
        // spawnSync above blocked this process's event loop for seconds, so a kept-alive socket the
        // server has since closed may be reused once ("other side closed"): that poll just retries.
        const response = await fetch(`http://localhost:${port}/api/w/harbor-pine-sample/runs/${runId}`, { headers: { cookie } }).catch(() => null);
        const body = response ? ((await response.json()) as { finished?: boolean; succeeded?: number; total?: number }) : {};
        return body.finished ? body : undefined;
      });
      expect(progress.total).toBeGreaterThan(0);
      expect(progress.succeeded).toBe(progress.total);
    },
    90_000,
  );

  it("stops on SIGTERM within 15 s with exit code 0 and releases the database", async () => {
    const child = server as ChildProcess;
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const started = Date.now();
    child.kill("SIGTERM");
    const code = await Promise.race([exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 15_000))]);
    expect(code, output).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(output).toMatch(/SIGTERM: stopping the worker/);
    const status = brightrun("status", "--json");
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).seeds).toBe(10);
  }, 30_000);

  it("does not load the sample again on the next start once every workspace has been deleted", async () => {
    const deleted = brightrun("workspaces", "delete", "harbor-pine-sample", "--confirm", "Harbor & Pine Financial Planning — sample");
    expect(deleted.code, deleted.stderr).toBe(0);
    output = "";
    server = spawn(process.execPath, [path.join(ROOT, "scripts/start.mjs")], { cwd: ROOT, env: { ...childEnv(), PORT: String(port), BRIGHTRUN_WORKER: "0" }, stdio: ["ignore", "pipe", "pipe"] });
    server.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    server.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await waitFor("the start line", 120_000, () => (output.includes(`Bright Run at http://localhost:${port}`) ? true : undefined));
    expect(output).toContain("No workspace: the sample was loaded once already and is not loaded again.");
    expect(output).not.toContain("First run");
    const child = server;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
    expect(JSON.parse(brightrun("workspaces", "list", "--json").stdout)).toEqual([]);
  }, 180_000);
});
