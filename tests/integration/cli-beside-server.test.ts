/**
 * `brightrun` in another terminal while `npm start` holds the embedded database (issue 9, item 6):
 * the real server (scripts/start.mjs; it builds only when `.next` is missing or stale, CI has built
 * already) and the real binary on the same data directory. The commands run in the server, on its
 * database handle and with its worker; their output, exit codes and files are what the user sees.
 * Without a build, the same runner is covered in cli-local-api.test.ts.
 */
import { createOwnerArgs, signInCookie } from "../support/sign-in";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/server/db/client";
import { generationRunItems } from "../../src/server/db/schema";
import { cleanAppEnv, freePort, runBrightrunAsync } from "../support/app-process";
import { testDatabaseKind } from "../support/test-database";

const ROOT = path.resolve(__dirname, "../..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-cli-beside-"));
const dataDir = path.join(work, "data");
const shell = path.join(work, "shell");
const apiFile = path.join(dataDir, "brightrun-server.json");

let server: ChildProcess | null = null;
let output = "";
let port = 0;

async function brightrun(...args: string[]) {
  const env = cleanAppEnv({ BRIGHTRUN_DATA_DIR: dataDir, BRIGHTRUN_USER: "carol" });
  return runBrightrunAsync(args, { cwd: shell, env });
}

async function waitFor<T>(what: string, timeoutMs: number, check: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server && server.exitCode !== null) throw new Error(`npm start exited (${server.exitCode}) while waiting for ${what}:\n${output}`);
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.runIf(testDatabaseKind() === "pglite")("brightrun while npm start holds the embedded database", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    fs.mkdirSync(shell, { recursive: true });
    fs.writeFileSync(path.join(shell, "retirement-buckets.md"), "# Retirement buckets\n\nThree buckets: cash for two years, bonds for the next five, stocks for the rest.\n");
    port = await freePort();
    server = spawn(process.execPath, [path.join(ROOT, "scripts/start.mjs")], {
      cwd: ROOT,
      env: cleanAppEnv({ BRIGHTRUN_DATA_DIR: dataDir, PORT: String(port) }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    server.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await waitFor("the start line", 240_000, () => (output.includes(`Bright Run at http://localhost:${port}`) ? true : undefined));
  }, 300_000);

  afterAll(() => {
    if (server && server.exitCode === null) server.kill("SIGKILL");
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("says where the CLI's commands go and writes the local API file for its owner only", () => {
    expect(output).toMatch(/`brightrun` commands from other terminals run in this server \(local API on http:\/\/127\.0\.0\.1:\d+; its token is in /);
    expect(fs.statSync(apiFile).mode & 0o777).toBe(0o600);
    const info = JSON.parse(fs.readFileSync(apiFile, "utf8")) as { url: string; token: string; pid: number };
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.token).toMatch(/^[0-9a-f]{64}$/);
    // The token is never in the server's output.
    expect(output).not.toContain(info.token);
  });

  it("`brightrun status` prints the server's database (the sample workspace) instead of being refused", async () => {
    const status = await brightrun("status", "--json");
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ total: 100, seeds: 10 });
    expect(status.stderr).toMatch(/Running in the Bright Run server at http:\/\/127\.0\.0\.1:\d+/);
  });

  it("`brightrun import ./file` reads the CLI's file; the web app serves the document at once", async () => {
    const imported = await brightrun("import", "./retirement-buckets.md");
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/documents: 1 new/);
    // Signed in as the owner, made by the CLI (forwarded to the server like every command here).
    const owner = createOwnerArgs();
    const created = await runBrightrunAsync(owner.args, { cwd: shell, env: cleanAppEnv({ BRIGHTRUN_DATA_DIR: dataDir, ...owner.env }) });
    expect(created.code, created.stderr).toBe(0);
    const cookie = await signInCookie(`http://localhost:${port}`);
    const response = await fetch(`http://localhost:${port}/api/w/harbor-pine-sample/documents/retirement-buckets/traceability`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Retirement buckets");
  });

  it("`brightrun export` writes into the CLI's folder and prints the file", async () => {
    const exported = await brightrun("export", "--format", "sharegpt", "--out", "out");
    expect(exported.code, exported.stderr).toBe(0);
    const dataFile = exported.stdout.trim().split("\n").at(-1) as string;
    expect(dataFile.startsWith(path.join(shell, "out") + path.sep)).toBe(true);
    expect(fs.existsSync(dataFile)).toBe(true);
  });

  it("`brightrun generate` hands its run to the server's worker and follows it to the end", async () => {
    const generated = await brightrun("generate", "--tier", "edge_case", "--provider", "simulated");
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stdout).toMatch(/Run \S+: 15 generated, 0 failed of 15 \(completed\)/);
    const again = await brightrun("generate", "--tier", "scenario", "--provider", "simulated");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Run \S+: 35 generated, 0 failed of 35 \(completed\)/);
    // Both runs went to the one worker of the server (checked after it stops, below): a command
    // that started its own would have a worker of its own, and on the embedded database it would
    // hand back the server worker's conversations in flight.
  });

  it("`brightrun worker` says the server already runs one (exit 1)", async () => {
    const worker = await brightrun("worker");
    expect(worker.code).toBe(1);
    expect(worker.stderr).toContain("already runs a generation worker");
  });

  it("a command with a wrong token is refused with 401", async () => {
    const { url } = JSON.parse(fs.readFileSync(apiFile, "utf8")) as { url: string };
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(`${url}/cli`, { method: "POST", headers: { "content-type": "application/json", "x-brightrun-token": "0".repeat(64) } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("error", reject);
      request.end(JSON.stringify({ argv: ["status"], cwd: shell, user: "mallory", env: {} }));
    });
    expect(status).toBe(401);
  });

  it("on SIGTERM removes the local API file; the CLI then opens the database itself", async () => {
    const child = server as ChildProcess;
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited, output).toBe(0);
    expect(fs.existsSync(apiFile)).toBe(false);
    const status = await brightrun("status", "--json");
    expect(status.code, status.stderr).toBe(0);
    expect(status.stderr).not.toContain("Running in the Bright Run server");
    expect(JSON.parse(status.stdout).by_status.generated).toBe(50);
    const handle = await openDatabase({ dataDir });
    try {
      const rows = await handle.db.selectDistinct({ workerId: generationRunItems.workerId }).from(generationRunItems).where(isNotNull(generationRunItems.workerId));
      expect(rows).toHaveLength(1);
    } finally {
      await handle.close();
    }
  });
});
