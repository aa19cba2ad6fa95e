/**
 * The CLI beside the process that holds the embedded database (issue 9, item 6), without building
 * the web app: this test process plays the server — it holds the data directory (lock and all),
 * serves the local API with the same runner `npm start` uses (src/cli/run-in-server.ts) and writes
 * the local API file — and the real `brightrun` binary runs beside it. What a user sees: the
 * output of a forwarded command, its exit code, files read and written relative to the CLI's own
 * folder, the CLI user recorded, a wrong token refused, and a stale file falling back to the
 * plain refusal. The same against the real server: cli-beside-server.test.ts.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliInServer } from "../../src/cli/run-in-server";
import { openDatabase, type DatabaseHandle } from "../../src/server/db/client";
import { listDocumentsWithChunkCounts } from "../../src/server/db/queries/documents";
import { migrateDatabase } from "../../src/server/db/migrate";
import { exportLogs } from "../../src/server/db/schema";
import { createLocalApiToken, localApiFilePath, readLocalApiFile, writeLocalApiFile } from "../../src/server/local-api/api-file";
import { startLocalApi, TOKEN_HEADER, type LocalApi } from "../../src/server/local-api/local-api-server";
import { cleanAppEnv, runBrightrunAsync } from "../support/app-process";
import { testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-cli-local-api-"));
const dataDir = path.join(work, "data");
/** Where the user types their commands: relative paths are relative to it, not to the server's folder. */
const shell = path.join(work, "shell");

let handle: DatabaseHandle;
let api: LocalApi;
let token = "";

/**
 * The real binary, from `shell`, as `user`. Asynchronous: this process serves the command while it runs.
 * @returns exit code, stdout and stderr
 */
async function brightrun(args: string[], options: { user?: string; dataDir?: string } = {}) {
  // The CLI user's own BRIGHTRUN_WORKSPACE reaches the server with the command (the sample workspace joins it after `init`).
  const env = cleanAppEnv({ BRIGHTRUN_DATA_DIR: options.dataDir ?? dataDir, BRIGHTRUN_USER: options.user ?? "alice", BRIGHTRUN_WORKSPACE: "test-business" });
  return runBrightrunAsync(args, { cwd: shell, env });
}

/** POST /cli with `headers`; the status and body text. */
function post(url: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}/cli`, { method: "POST", headers: { "content-type": "application/json", ...headers } }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
    });
    request.on("error", reject);
    request.end(JSON.stringify(body));
  });
}

// Forwarding exists for the embedded database only (with DATABASE_URL the CLI connects directly).
describe.runIf(testDatabaseKind() === "pglite")("brightrun beside the process that holds the embedded database", { timeout: 180_000 }, () => {
  let workspaceId = "";
  beforeAll(async () => {
    fs.mkdirSync(path.join(shell, "notes"), { recursive: true });
    fs.writeFileSync(path.join(shell, "notes", "anchor-accounts.md"), "# Anchor accounts\n\nKeep three months of essential expenses in an anchor account before investing.\n");
    handle = await openDatabase({ dataDir });
    await migrateDatabase(handle);
    workspaceId = (await createTestWorkspace(handle.db)).id;
    token = createLocalApiToken();
    api = await startLocalApi({ token, run: (request, io) => runCliInServer({ request, handle, worker: null, ...io }) });
    writeLocalApiFile({ dataDir, url: api.url, token });
  });

  afterAll(async () => {
    await api?.close();
    await handle?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("writes the local API file for the owner only, with a loopback URL and a random token", () => {
    const stat = fs.statSync(localApiFilePath(dataDir));
    expect(stat.mode & 0o777).toBe(0o600);
    const info = readLocalApiFile(dataDir);
    expect(info?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info?.token).toMatch(/^[0-9a-f]{64}$/);
    expect(info?.pid).toBe(process.pid);
  });

  it("runs `brightrun status` in the server and prints its output", async () => {
    const status = await brightrun(["status", "--json"]);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ total: 0, seeds: 0 });
    expect(status.stderr).toContain(`Running in the Bright Run server at ${api.url}`);
  });

  it("imports a file named relative to the CLI's folder; the server's database holds it", async () => {
    const imported = await brightrun(["import", "notes/anchor-accounts.md"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain("Imported notes/anchor-accounts.md:");
    expect(imported.stdout).toMatch(/documents: 1 new/);
    const documents = await listDocumentsWithChunkCounts({ db: handle.db, workspaceId });
    expect(documents.map((d) => d.key)).toEqual(["anchor-accounts"]);
    const listed = await brightrun(["documents", "list"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/anchor-accounts\s+\S+\s+1\s+Anchor accounts/);
  });

  it("writes an export where the CLI user expects it, recorded as that user", async () => {
    const loaded = await brightrun(["init", "--sample", "financial-planning"]);
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(loaded.stdout).toContain(`Database ready (embedded, ${dataDir})`);
    const exported = await brightrun(["export", "--workspace", "harbor-pine-sample", "--format", "openai", "--out", "my-exports"], { user: "bob" });
    expect(exported.code, exported.stderr).toBe(0);
    const dataFile = exported.stdout.trim().split("\n").at(-1) as string;
    expect(dataFile.startsWith(path.join(shell, "my-exports") + path.sep)).toBe(true);
    expect(fs.readFileSync(dataFile, "utf8").trim().split("\n")).toHaveLength(10); // the sample's 10 approved seeds
    const [log] = await handle.db.select().from(exportLogs).where(eq(exportLogs.userId, "local:bob"));
    expect(log?.conversationCount).toBe(10);
  });

  it("ends with the command's exit code and its plain-English error", async () => {
    const missing = await brightrun(["import", "notes/missing.md"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Error: .*missing\.md/);
  });

  it("says plainly that `brightrun worker` cannot run beside the server", async () => {
    const worker = await brightrun(["worker"]);
    expect(worker.code).toBe(1);
    expect(worker.stderr).toContain("runs without its generation worker");
    expect(worker.stderr).toContain("no other process can run one");
  });

  it("refuses a request without the token or with a wrong one (401), and runs nothing", async () => {
    const body = { argv: ["init", "--sample", "financial-planning"], cwd: shell, user: "mallory", env: {} };
    const none = await post(api.url, {}, body);
    expect(none.status).toBe(401);
    const wrong = await post(api.url, { [TOKEN_HEADER]: createLocalApiToken() }, body);
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text).error.message).toMatch(/token is missing or is not this server's/);
    const right = await post(api.url, { [TOKEN_HEADER]: token }, { ...body, argv: ["status", "--json"], env: { BRIGHTRUN_WORKSPACE: "test-business" } });
    expect(right.status).toBe(200);
    const lines = right.text.trim().split("\n").map((line) => JSON.parse(line) as { type: string; code?: number });
    expect(lines.at(-1)).toEqual({ type: "exit", code: 0 });
  });

  it("refuses as before when the file names a server that does not answer", async () => {
    const url = api.url;
    await api.close();
    try {
      const status = await brightrun(["status"]);
      expect(status.code).toBe(1);
      expect(status.stderr).toMatch(/Error: Another Bright Run process is using the embedded database/);
      expect(status.stderr).toMatch(new RegExp(`names ${url.replace(/\./g, "\\.")}, but it did not answer`));
    } finally {
      api = await startLocalApi({ token, run: (request, io) => runCliInServer({ request, handle, worker: null, ...io }) });
      writeLocalApiFile({ dataDir, url: api.url, token });
    }
  });
});

describe.runIf(testDatabaseKind() === "pglite")("a local API file left by a server that is gone", { timeout: 120_000 }, () => {
  const staleDir = path.join(work, "stale-data");

  it("is not used while another process holds the database (plain refusal), and is removed by the next process that opens it", async () => {
    fs.mkdirSync(shell, { recursive: true });
    const holder = await openDatabase({ dataDir: staleDir });
    // A process that has exited: its pid no longer runs.
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    writeLocalApiFile({ dataDir: staleDir, url: "http://127.0.0.1:9", token: createLocalApiToken() });
    const file = localApiFilePath(staleDir);
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), pid: Number(gone.stdout) }));
    try {
      const refused = await brightrun(["status"], { dataDir: staleDir });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^Error: Another Bright Run process is using the embedded database/);
      expect(refused.stderr).not.toContain("Running in the Bright Run server");
    } finally {
      await holder.close();
    }
    const direct = await brightrun(["workspaces", "list", "--json"], { dataDir: staleDir });
    expect(direct.code, direct.stderr).toBe(0);
    expect(JSON.parse(direct.stdout)).toEqual([]);
    expect(fs.existsSync(file)).toBe(false);
  });
});
