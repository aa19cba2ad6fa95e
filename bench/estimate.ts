// Benchmark (not a test): `npm run bench:estimate [-- options]` (issue 8, item 7: the run estimate).
//
// Imports examples/financial-planning through the normal importer into a fresh database, plans N
// conversations with the real planner (createPlan, default 100,000: 40/35/15 over the tiers; every
// conversation names a persona, arc, topic, intent, tone, chunk, and its scenario or edge case),
// ANALYZEs, then times the estimate of "generate --all" for all of them — estimateSelection:
// resolve the selection, one set-based read, taxonomy / chunks / scenarios / templates once,
// each distinct prompt rendered once, the model's history, estimateRun — over several runs, and
// prints min / median / max ms. Then the parts alone (resolveSelection, sizeConversationPrompts),
// the Generate click's reuse of the dialog's estimate (estimateSelectionCached: miss, then hit),
// and, for comparison, the previous per-conversation sizing (one joined read and one render per
// conversation) on the first --baseline conversations, extrapolated to N. Each timing gives wall
// time and CPU time (this process, plus the PostgreSQL server's processes for this database read
// from /proc), and the load average and other jobs are printed: on a shared machine the CPU time
// tells what the estimate costs when the wall time is inflated by others.
//
// Databases: in-memory PGlite always; PostgreSQL too when DATABASE_URL or TEST_DATABASE_URL is set
// (a fresh database created on that server, dropped afterwards).
//
// Options: --conversations=100000 --iterations=7 --baseline=1000 (0 = skip) --skip-pglite
//   --skip-postgres --timeout-min=30
//
// Run directly: node --conditions=react-server --import tsx bench/estimate.ts
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { estimateSelection, loadSelectionSizing, sizeConversationPrompts } from "../src/core/generation/estimate-selection";
import { resolveSelection } from "../src/core/generation/resolve-selection";
import { importPath } from "../src/core/import/import-workspace";
import { createAnthropicProvider } from "../src/core/llm/anthropic-provider";
import { createPlan, splitTotal } from "../src/core/planning/create-plan";
import { openDatabase, type DatabaseHandle } from "../src/server/db/client";
import { migrateDatabase } from "../src/server/db/migrate";
import { EstimateCache, estimateSelectionCached } from "../src/server/operations/estimate-cache";
import { sizePromptsOneByOne } from "../tests/support/per-conversation-estimate";
import { createScratchPostgresDatabase } from "../tests/support/test-database";
import { describeMachine, stopAfterMinutes } from "./support";
import { createWorkspace } from "../src/server/workspaces";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SAMPLE = path.join(ROOT, "examples/financial-planning");
const MODEL = "claude-sonnet-4-5";
const CONCURRENCY = 3;
// The estimate names the provider only; no call is made.
const provider = createAnthropicProvider({ apiKey: "not-used", baseURL: "http://127.0.0.1:9" });
const SELECTION = { all: true };

interface Options {
  conversations: number;
  iterations: number;
  baseline: number;
  skipPglite: boolean;
  skipPostgres: boolean;
  timeoutMin: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { conversations: 100_000, iterations: 7, baseline: 1_000, skipPglite: false, skipPostgres: false, timeoutMin: 30 };
  for (const arg of argv) {
    let m: RegExpExecArray | null;
    if ((m = /^--conversations=(\d+)$/.exec(arg))) options.conversations = Number(m[1]);
    else if ((m = /^--iterations=(\d+)$/.exec(arg))) options.iterations = Math.max(1, Number(m[1]));
    else if ((m = /^--baseline=(\d+)$/.exec(arg))) options.baseline = Number(m[1]);
    else if ((m = /^--timeout-min=(\d+)$/.exec(arg))) options.timeoutMin = Number(m[1]);
    else if (arg === "--skip-pglite") options.skipPglite = true;
    else if (arg === "--skip-postgres") options.skipPostgres = true;
    else {
      console.error(`Unknown option ${arg}. Options: --conversations=N --iterations=N --baseline=N --skip-pglite --skip-postgres --timeout-min=N`);
      process.exit(64);
    }
  }
  return options;
}

const fmt = (ms: number) => ms.toFixed(1);

/** The 1-minute load average and the other jobs (tests, builds, benchmarks) running now: timings taken alongside them are inflated. */
function machineNow(): string {
  const found = spawnSync("pgrep", ["-af", "vitest|playwright|next build|next start|bench/|tsc"], { encoding: "utf8" });
  const others = found.status === 0 ? found.stdout.trim().split("\n").filter((l) => !l.includes(String(process.pid)) && !l.includes("bench/estimate.ts")) : [];
  return `load average ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores; ${others.length ? `${others.length} other job process(es), e.g. ${others[0].slice(0, 90)}` : "no other jobs"}`;
}

function summary(ms: number[]): { min: number; median: number; max: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor((sorted.length - 1) / 2)], max: sorted[sorted.length - 1] };
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await work();
  return { ms: performance.now() - t0, value };
}

/** One timed run: wall time and CPU time (this process, plus the PostgreSQL server processes serving it), ms. */
interface Sample {
  wallMs: number;
  /** null when the server's processes cannot be read (PostgreSQL on another host). */
  cpuMs: number | null;
}

/** CPU time used so far by this process and, on PostgreSQL, by the server processes of this database (Linux /proc), ms. */
async function cpuSoFar(handle: DatabaseHandle): Promise<number | null> {
  const own = process.cpuUsage();
  let ms = (own.user + own.system) / 1000;
  if (handle.kind === "postgres") {
    const { rows } = await handle.executeSql("select pid from pg_stat_activity where datname = current_database()");
    for (const { pid } of rows as Array<{ pid: number }>) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        ms += ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND; // utime + stime
      } catch {
        return null;
      }
    }
  }
  return ms;
}
/** Linux's USER_HZ: /proc reports CPU time in 1/100 s. */
const CLOCK_TICKS_PER_SECOND = 100;

async function sample<T>(handle: DatabaseHandle, work: () => Promise<T>): Promise<Sample & { value: T }> {
  const cpu0 = await cpuSoFar(handle);
  const { ms, value } = await timed(work);
  const cpu1 = await cpuSoFar(handle);
  return { wallMs: ms, cpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0, value };
}

async function samples(handle: DatabaseHandle, iterations: number, work: () => Promise<unknown>): Promise<Sample[]> {
  const out: Sample[] = [];
  for (let i = 0; i < iterations; i++) out.push(await sample(handle, work));
  return out;
}

async function benchDatabase(label: string, handle: DatabaseHandle, options: Options): Promise<void> {
  console.log(`\n== ${label} ==`);
  await migrateDatabase(handle);
  const workspaceId = (await createWorkspace(handle.db, { name: "Bench business" })).id;
  const setup = await timed(async () => {
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:bench" });
    return createPlan({ db: handle.db, workspaceId, split: splitTotal(options.conversations) });
  });
  await handle.executeSql("analyze");
  console.log(`setup: imported the sample, planned ${setup.value.created.toLocaleString("en-US")} conversations (${Object.entries(setup.value.split).map(([t, n]) => `${t} ${n}`).join(", ")}) in ${(setup.ms / 1000).toFixed(1)} s`);

  const db = handle.db;
  const warm = await estimateSelection({ db, workspaceId, selection: SELECTION, provider, model: MODEL, concurrency: CONCURRENCY });
  const { chosen } = await loadSelectionSizing({ db, workspaceId, selection: SELECTION });
  const ids = chosen.map((c) => c.id);
  const sizing = await sizeConversationPrompts({ db, workspaceId, rows: chosen });
  console.log(
    `estimate: ${warm.estimate.conversations.toLocaleString("en-US")} conversations, $${warm.estimate.costUsd.toFixed(2)}, ${Math.round(warm.estimate.timeMs / 60_000)} min; ${sizing.renders.toLocaleString("en-US")} distinct prompts rendered for ${sizing.conversations.toLocaleString("en-US")} conversations`,
  );

  console.log(`before timing: ${machineNow()}`);
  const rows: Array<[string, Sample[]]> = [
    [`estimateSelection (the whole estimate, ${ids.length.toLocaleString("en-US")} conversations)`, await samples(handle, options.iterations, () => estimateSelection({ db, workspaceId, selection: SELECTION, provider, model: MODEL, concurrency: CONCURRENCY }))],
    ["… loadSelectionSizing alone (the one read of the conversations + the selection rule)", await samples(handle, options.iterations, () => loadSelectionSizing({ db, workspaceId, selection: SELECTION }))],
    ["… sizeConversationPrompts alone (taxonomy, chunks, scenarios, templates + renders)", await samples(handle, options.iterations, () => sizeConversationPrompts({ db, workspaceId, rows: chosen }))],
    ["resolveSelection (the rule's own read, as createRun makes it; for comparison)", await samples(handle, options.iterations, () => resolveSelection({ db, workspaceId, selection: SELECTION }))],
  ];
  const dialog: Sample[] = [];
  const click: Sample[] = [];
  for (let i = 0; i < options.iterations; i++) {
    const cache = new EstimateCache();
    const miss = await sample(handle, () => estimateSelectionCached({ db, workspaceId, selection: SELECTION, provider, model: MODEL, concurrency: CONCURRENCY, cache }));
    const hit = await sample(handle, () => estimateSelectionCached({ db, workspaceId, selection: SELECTION, provider, model: MODEL, concurrency: CONCURRENCY, cache }));
    if (miss.value.reused || !hit.value.reused) throw new Error("the estimate cache did not miss then hit");
    dialog.push(miss);
    click.push(hit);
  }
  rows.push(["dialog estimate through the cache (miss)", dialog], ["Generate click, selection unchanged (hit: the one read + key)", click]);

  console.log(`after timing: ${machineNow()}`);
  console.log(`\n| ${label} | wall min ms | wall median ms | wall max ms | CPU median ms | runs |`);
  console.log(`|---|---|---|---|---|---|`);
  for (const [name, runs] of rows) {
    const wall = summary(runs.map((r) => r.wallMs));
    const cpu = runs.every((r) => r.cpuMs !== null) ? fmt(summary(runs.map((r) => r.cpuMs as number)).median) : "n/a";
    console.log(`| ${name} | ${fmt(wall.min)} | ${fmt(wall.median)} | ${fmt(wall.max)} | ${cpu} | ${runs.length} |`);
  }
  console.log("(CPU: this process plus, on PostgreSQL, the server processes of the bench database; on a busy machine wall time ≫ CPU time.)");

  if (options.baseline > 0) {
    const sample = ids.slice(0, options.baseline);
    const before = await timed(() => sizePromptsOneByOne({ db, ids: sample }));
    const perConversation = before.ms / sample.length;
    console.log(
      `\nprevious per-conversation sizing (one joined read + one render each) on the first ${sample.length.toLocaleString("en-US")}: ${fmt(before.ms)} ms, ${perConversation.toFixed(2)} ms each → about ${((perConversation * ids.length) / 1000).toFixed(0)} s for ${ids.length.toLocaleString("en-US")} (and it ran twice per Generate click)`,
    );
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  stopAfterMinutes("bench:estimate", options.timeoutMin);
  console.log(`bench:estimate — ${options.conversations.toLocaleString("en-US")} planned conversations, ${options.iterations} timed runs each`);
  console.log(`machine: ${describeMachine()}`);
  const started = performance.now();

  if (!options.skipPglite) {
    const handle = await openDatabase({ memory: true });
    try {
      await benchDatabase("PGlite (in-memory)", handle, options);
    } finally {
      await handle.close();
    }
  }
  const adminUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (adminUrl && !options.skipPostgres) {
    const scratch = await createScratchPostgresDatabase(adminUrl, "brightrun_bench");
    const handle = await openDatabase({ url: scratch.url });
    try {
      const [{ version }] = (await handle.executeSql(`select current_setting('server_version') as version`)).rows as Array<{ version: string }>;
      await benchDatabase(`PostgreSQL ${version}`, handle, options);
    } finally {
      await handle.close();
      await scratch.drop();
    }
  } else if (!options.skipPostgres) {
    console.log(`\n(PostgreSQL skipped: set DATABASE_URL or TEST_DATABASE_URL to include it.)`);
  }
  console.log(`\nbench:estimate took ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
