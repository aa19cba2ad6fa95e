/**
 * Starts the app the way a user does (`npm start` = scripts/start.mjs: `next start` with the
 * generation worker in the same process) for the browser tests, on a fresh embedded database,
 * talking to the local fake LLM server over the OpenAI wire format.
 *
 * Steps: a fresh temp folder; the fake LLM server and its control endpoint; `brightrun init
 * --sample financial-planning` and `brightrun plan --total 40` into the temp data directory
 * (before the server starts: the embedded database has one owner at a time), so the table has
 * 10 approved seeds and 40 "Not generated" conversations; then scripts/start.mjs on a free port
 * and a wait until `GET /` answers 200. `stop()` sends SIGTERM, waits for the exit (SIGKILL to the
 * process group after 20 s), closes the fake server and removes the temp folder, keeping the
 * server's output as test-results/app-server.log.
 *
 * `.next` must be built already (`npm run build`, as CI does); start.mjs rebuilds only when the
 * build is missing or older than the sources, which is why the start wait is long.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startFakeLlmServer, type FakeLlmServer } from "../../support/fake-llm-server";
import { startFakeLlmControl, type FakeLlmControlServer } from "./fake-llm-control";
import { cleanAppEnv, freePort } from "../../support/app-process";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
/** How many conversations `brightrun plan` creates: Template 18 / Scenario 15 / Edge case 7. */
export const PLANNED_CONVERSATIONS = 40;
/** Seed conversations in examples/financial-planning (locked, approved). */
export const SEED_CONVERSATIONS = 10;
/** Longest wait for the server to answer, ms (covers a rebuild by start.mjs when sources changed). */
/** The installation owner every spec signs in as (made with `brightrun users create-owner` before the server starts). */
export const E2E_OWNER = { name: "Olivia Owner", email: "owner@e2e.example", password: "e2e owner passphrase" } as const;
/** Where the owner's signed-in browser state (the session cookie) is written for playwright.config.ts's `storageState`. */
export const OWNER_STORAGE_STATE = path.join(ROOT, "test-results/.auth/owner.json");

const START_TIMEOUT_MS = 10 * 60_000;
const STOP_TIMEOUT_MS = 20_000;

export interface AppServer {
  /** http://localhost:<port> */
  baseURL: string;
  /** The fake LLM server's control endpoint (fake-llm-control.ts). */
  fakeLlmControlUrl: string;
  /** The fake LLM server's OpenAI base URL (…/v1). */
  fakeLlmUrl: string;
  dataDir: string;
  exportDir: string;
  stop(): Promise<void>;
}

function runCli(args: string[], env: NodeJS.ProcessEnv, log: (text: string) => void): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, "bin/brightrun.mjs"), ...args], { cwd: ROOT, env, encoding: "utf8", timeout: 180_000 });
  log(`$ brightrun ${args.join(" ")}\n${result.stdout ?? ""}${result.stderr ?? ""}`);
  if (result.status !== 0) {
    throw new Error(`brightrun ${args.join(" ")} failed (exit ${result.status ?? result.signal}):\n${result.stdout ?? ""}${result.stderr ?? ""}`);
  }
}

/**
 * Starts the fake LLM, prepares the database and starts the app server.
 * @param options.logFile where the server's output is copied on stop (default test-results/app-server.log)
 * @throws Error when the CLI fails, or the server exits or does not answer within 10 minutes (the error carries its output)
 */
export async function startAppServer(options: { logFile?: string; owner?: boolean } = {}): Promise<AppServer> {
  const logFile = options.logFile ?? path.join(ROOT, "test-results/app-server.log");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-e2e-"));
  const dataDir = path.join(work, "data");
  const exportDir = path.join(work, "exports");
  fs.mkdirSync(exportDir, { recursive: true });
  let output = "";
  const log = (text: string) => {
    output += text.endsWith("\n") ? text : `${text}\n`;
  };

  let fake: FakeLlmServer | null = null;
  let control: FakeLlmControlServer | null = null;
  let server: ChildProcess | null = null;

  const stop = async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      const child = server;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), STOP_TIMEOUT_MS).unref());
      if ((await Promise.race([exited, timer])) === "timeout") {
        log(`[e2e] the server did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM; killing its process group.`);
        try {
          process.kill(-(child.pid as number), "SIGKILL");
        } catch {
          child.kill("SIGKILL");
        }
        await exited;
      }
    }
    await control?.close();
    await fake?.close();
    try {
      fs.mkdirSync(path.dirname(logFile), { recursive: true });
      fs.writeFileSync(logFile, output);
    } catch {
      // the log is a convenience
    }
    fs.rmSync(work, { recursive: true, force: true });
  };

  try {
    fake = await startFakeLlmServer();
    control = await startFakeLlmControl(fake);
    const port = await freePort();
    const baseURL = `http://localhost:${port}`;
    const env = cleanAppEnv({
      BRIGHTRUN_DATA_DIR: dataDir,
      BRIGHTRUN_EXPORT_DIR: exportDir,
      BRIGHTRUN_PROVIDER: "openai",
      OPENAI_API_KEY: "test-key",
      OPENAI_BASE_URL: fake.openaiBaseUrl,
      BRIGHTRUN_USER: "e2e-reviewer",
    });

    runCli(["init", "--sample", "financial-planning"], env, log);
    runCli(["plan", "--total", String(PLANNED_CONVERSATIONS)], env, log);
    if (options.owner !== false) {
      runCli(["users", "create-owner", "--name", E2E_OWNER.name, "--email", E2E_OWNER.email], { ...env, BRIGHTRUN_OWNER_PASSWORD: E2E_OWNER.password }, log);
    }

    log(`$ PORT=${port} node scripts/start.mjs`);
    // Own process group, so a server that ignores SIGTERM can be killed with its `next start` child.
    server = spawn(process.execPath, [path.join(ROOT, "scripts/start.mjs")], {
      cwd: ROOT,
      env: { ...env, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    server.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    server.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));

    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (server.exitCode !== null || server.signalCode !== null) {
        throw new Error(`npm start exited (${server.exitCode ?? server.signalCode}) before answering:\n${output}`);
      }
      if (output.includes(`Bright Run at ${baseURL}`)) {
        const status = await fetch(`${baseURL}/`)
          .then((response) => response.status)
          .catch(() => 0);
        if (status === 200) break;
      }
      if (Date.now() > deadline) throw new Error(`npm start did not answer on ${baseURL} within ${START_TIMEOUT_MS / 60_000} min:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return { baseURL, fakeLlmControlUrl: control.url, fakeLlmUrl: fake.openaiBaseUrl, dataDir, exportDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Signs in as `account` through better-auth's endpoint and writes the browser state (its session
 * cookie) to `file`, in Playwright's storageState format.
 * @throws Error when the sign-in is refused (its status and answer)
 */
export async function writeSignedInState(baseURL: string, account: { email: string; password: string }, file: string): Promise<void> {
  const response = await fetch(`${baseURL}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseURL },
    body: JSON.stringify({ email: account.email, password: account.password }),
  });
  if (!response.ok) throw new Error(`Signing in as ${account.email} failed: ${response.status} ${await response.text()}`);
  const host = new URL(baseURL).hostname;
  const cookies = response.headers.getSetCookie().map((header) => {
    const [pair, ...attributes] = header.split(";").map((part) => part.trim());
    const at = pair!.indexOf("=");
    const attr = (name: string) => attributes.find((a) => a.toLowerCase().startsWith(name));
    const maxAge = Number(attr("max-age=")?.split("=")[1] ?? "");
    return {
      name: pair!.slice(0, at),
      value: pair!.slice(at + 1),
      domain: host,
      path: "/",
      expires: Number.isFinite(maxAge) && maxAge > 0 ? Math.floor(Date.now() / 1000) + maxAge : -1,
      httpOnly: Boolean(attr("httponly")),
      secure: Boolean(attr("secure")),
      sameSite: "Lax" as const,
    };
  });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ cookies, origins: [] }, null, 2));
}
