// Helper of bench/table.ts (not a test): runs the production web server (`next start`, from the
// existing `.next` build) against a seeded database and times full HTTP GETs of the
// conversations page, as a browser's first request would see them.
//
// The server is started the way scripts/start.mjs starts it (NEXT_MANUAL_SIG_HANDLE so the app's
// own SIGTERM handler closes the database), web-only: BRIGHTRUN_WORKER=0 (no generation worker,
// no pg-boss), BRIGHTRUN_NO_SAMPLE=1 (no sample import, no plan), provider variables cleared (the
// simulated provider; nothing calls it anyway). It never builds: a missing `.next/BUILD_ID` is an
// error that says to run `npm run build` first.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { cleanAppEnv, freePort } from "../tests/support/app-process";

/** A running `next start` and how to stop it. */
export interface WebServer {
  /** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  baseUrl: string;
  /** Milliseconds from spawn until the first 200 for `/`. */
  startMs: number;
  /** Milliseconds the first GET of `/` took (cold: first database reads, first render of the route). */
  firstRequestMs: number;
  /** stdout + stderr so far (for error messages). */
  output(): string;
  /** SIGTERM, then wait for exit (SIGKILL after `graceMs`, default 20 s). Resolves to the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Waits until `.next/BUILD_ID` exists (a build running in the same checkout removes it until it
 * finishes), checking every 5 s for at most `timeoutMs` (default 15 min).
 * @throws Error when there is still no build then: run `npm run build` first (the benchmark never builds).
 */
async function waitForBuild(root: string, timeoutMs = 15 * 60_000): Promise<void> {
  const buildId = path.join(root, ".next/BUILD_ID");
  const deadline = Date.now() + timeoutMs;
  let told = false;
  while (!fs.existsSync(buildId)) {
    if (Date.now() > deadline) throw new Error(`No production build in ${path.dirname(buildId)}: run \`npm run build\` first (the benchmark does not build).`);
    if (!told) console.log(`(no ${buildId} yet — a build may be running; waiting for it…)`);
    told = true;
    await new Promise((r) => setTimeout(r, 5_000));
  }
}

/**
 * Starts `node node_modules/next/dist/bin/next start -p <free port>` in `root` and waits until
 * `/` answers 200 (at most `timeoutMs`, default 120 s).
 * @param database `{ url }` for PostgreSQL (DATABASE_URL) or `{ dataDir }` for the embedded PGlite
 *   database in `<dataDir>/db` (BRIGHTRUN_DATA_DIR; nothing else may have it open).
 * @param expectConversations when true (the default), the first `/` must list benchmark
 *   conversations (bench:table); false for an empty database (bench:documents --web).
 * @throws Error when there is no build, the server exits early or does not answer in time (with its output).
 */
export async function startWebServer({
  root,
  database,
  timeoutMs = 120_000,
  expectConversations = true,
}: {
  root: string;
  database: { url: string } | { dataDir: string };
  timeoutMs?: number;
  expectConversations?: boolean;
}): Promise<WebServer> {
  await waitForBuild(root);
  const port = await freePort();
  const env = cleanAppEnv();
  Object.assign(env, {
    PORT: String(port),
    NEXT_MANUAL_SIG_HANDLE: "true",
    NEXT_TELEMETRY_DISABLED: "1",
    BRIGHTRUN_WORKER: "0",
    BRIGHTRUN_NO_SAMPLE: "1",
  });
  if ("url" in database) env.DATABASE_URL = database.url;
  else env.BRIGHTRUN_DATA_DIR = database.dataDir;

  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port)], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const stop = async (graceMs = 20_000): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`next start exited (${child.exitCode ?? child.signalCode}) before answering:\n${output}`);
      }
      // The instrumentation hook logs this line once the database is open and migrated.
      if (output.includes("Bright Run at")) {
        const t0 = performance.now();
        const response = await fetch(`${baseUrl}/`).catch(() => null);
        if (response) {
          const body = await response.text();
          if (response.status === 200) {
            if (expectConversations) assertDashboard(body, "/");
            return { baseUrl, startMs: performance.now() - started, firstRequestMs: performance.now() - t0, output: () => output, stop };
          }
        }
      }
      if (Date.now() > deadline) throw new Error(`next start did not answer within ${timeoutMs / 1000} s:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (error) {
    await stop(5_000);
    throw error;
  }
}

/**
 * Throws when `body` is the error panel, or, for a first page (no `page=` parameter), has no
 * benchmark conversations (a skeleton only, an empty table), so the timings are of the real page.
 * A later page may legitimately be past the end of a small seed.
 */
function assertDashboard(body: string, pathAndQuery: string): void {
  if (body.includes("The conversations could not be loaded")) {
    throw new Error(`GET ${pathAndQuery} rendered the error panel: ${/<p>([^<]*)<\/p>/.exec(body)?.[1] ?? "(no message)"}`);
  }
  if (!/[?&]page=/.test(pathAndQuery) && !body.includes("bench-")) {
    throw new Error(`GET ${pathAndQuery} returned a page without benchmark conversations (${body.length} bytes).`);
  }
}

/** One timed GET: time to response headers and time until the whole (streamed) body was read, in ms, and the body's size in bytes. */
export interface RenderTiming {
  ttfbMs: number;
  totalMs: number;
  bytes: number;
}

/**
 * GETs `baseUrl + paths[i % paths.length]` `iterations` times, one request at a time, reading the
 * whole body each time, and checks each answer is a 200 with the table's rows.
 * @throws Error on a non-200 answer or a page that is not the table.
 */
export async function timePageRenders(baseUrl: string, paths: string[], iterations: number): Promise<RenderTiming[]> {
  const timings: RenderTiming[] = [];
  for (let i = 0; i < iterations; i++) {
    const target = paths[i % paths.length];
    const t0 = performance.now();
    const response = await fetch(`${baseUrl}${target}`, { headers: { accept: "text/html" } });
    const ttfbMs = performance.now() - t0;
    const body = await response.text();
    const totalMs = performance.now() - t0;
    if (response.status !== 200) throw new Error(`GET ${target} answered ${response.status}: ${body.slice(0, 500)}`);
    assertDashboard(body, target);
    timings.push({ ttfbMs, totalMs, bytes: Buffer.byteLength(body) });
  }
  return timings;
}
