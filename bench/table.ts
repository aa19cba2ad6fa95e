// Benchmark (not a test): `npm run bench:table [-- options]` (issue 4, the conversations table).
//
// Seeds 100,000 conversations (≈ 1.2 M turns) into a fresh database with a few set-based
// INSERT … SELECT generate_series statements (taxonomy, documents and seeds come from the
// financial-planning sample through the normal importer), ANALYZEs, warms up, then times the
// table's list query — listConversations with three filters (status, tier, quality range), a sort
// (quality_score desc) and a page of 50 — over N iterations with varying filters and pages, and
// the first-page render proxy (page 1 + countConversationFacets, in parallel as the page would
// start them); then both again with a chunk-dimension filter added (issue 9 item 3). Prints
// p50 / p95 / max ms per database and count mode, plus the query plan.
//
// Then, with --render (off by default: at 100k it about doubles the run, ≈ +2 min), the page's
// real first server render: the production web server (`next start` from the existing `.next`
// build; bench/render-server.ts) is started against the same seeded database and full HTTP GETs
// of the conversations page are timed until the whole streamed body is read: the default view
// `/`, and filtered views (three filters, sort quality_score desc, 50 and 100 rows per page,
// filters and pages varied as for the list query).
// PGlite: the in-memory database is dumped (PGlite dumpDataDir) into a temporary data directory
// that the server then opens as BRIGHTRUN_DATA_DIR (the benchmark's own handle is closed first:
// one process owns the embedded database). PostgreSQL: DATABASE_URL = the scratch database.
//
// Databases: in-memory PGlite always; PostgreSQL too when DATABASE_URL or TEST_DATABASE_URL is
// set (a fresh database created on that server, dropped afterwards).
//
// Options: --conversations=100000 --iterations=50 --drop-indexes=name1,name2 (drop these indexes
//   before timing, to measure "before") --skip-pglite --skip-postgres --no-analyze --timeout-min=30
//   --render / --no-render (server render timing, default off) --render-iterations=N (per view,
//   default = --iterations) --wait-idle (before each timed part, wait while `pgrep -f
//   "playwright|vitest|next build"` finds other jobs: every 30 s, at most 20 min)
//
// Run directly: node --conditions=react-server --import tsx bench/table.ts
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import type { ConversationFilter } from "../src/lib/conversation-filter";
import { serializeConversationTableParams, type ConversationSort, type PerPage } from "../src/lib/conversation-table-params";
import { openDatabase, type Database, type DatabaseHandle } from "../src/server/db/client";
import * as schema from "../src/server/db/schema";
import { migrateDatabase } from "../src/server/db/migrate";
import { createScratchPostgresDatabase } from "../tests/support/test-database";
import {
  countConversationFacets,
  explainListConversations,
  listConversations,
  type ListCountMode,
} from "../src/server/db/queries/conversation-list";
import { listTaxonomyOptions } from "../src/server/db/queries/taxonomy";
import { startWebServer, timePageRenders, type RenderTiming } from "./render-server";
import { describeMachine, stopAfterMinutes } from "./support";
import { BENCH_SLUG, seedConversations } from "./seed-conversations";
import { workspacePaths } from "../src/lib/workspace-paths";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

interface Options {
  conversations: number;
  iterations: number;
  dropIndexes: string[];
  skipPglite: boolean;
  skipPostgres: boolean;
  analyze: boolean;
  timeoutMin: number;
  render: boolean;
  renderIterations: number | null;
  waitIdle: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { conversations: 100_000, iterations: 50, dropIndexes: [], skipPglite: false, skipPostgres: false, analyze: true, timeoutMin: 30, render: false, renderIterations: null, waitIdle: false };
  for (const arg of argv) {
    let m: RegExpExecArray | null;
    if ((m = /^--conversations=(\d+)$/.exec(arg))) options.conversations = Number(m[1]);
    else if ((m = /^--iterations=(\d+)$/.exec(arg))) options.iterations = Number(m[1]);
    else if ((m = /^--timeout-min=(\d+)$/.exec(arg))) options.timeoutMin = Number(m[1]);
    else if ((m = /^--drop-indexes=([a-z0-9_,]+)$/.exec(arg))) options.dropIndexes = m[1].split(",");
    else if (arg === "--skip-pglite") options.skipPglite = true;
    else if (arg === "--skip-postgres") options.skipPostgres = true;
    else if (arg === "--no-analyze") options.analyze = false;
    else if (arg === "--render") options.render = true;
    else if (arg === "--no-render") options.render = false;
    else if ((m = /^--render-iterations=(\d+)$/.exec(arg))) options.renderIterations = Number(m[1]);
    else if (arg === "--wait-idle") options.waitIdle = true;
    else {
      console.error(
        `Unknown option ${arg}. Options: --conversations=N --iterations=N --drop-indexes=a,b --skip-pglite --skip-postgres --no-analyze --timeout-min=N --render --no-render --render-iterations=N --wait-idle`,
      );
      process.exit(64);
    }
  }
  return options;
}

/** The one workspace the benchmark seeds (set by seedConversations). */
let workspaceId = "";

/** The timed query's filter variants: always three filters (status, tier, quality range). */
const FILTERS: ConversationFilter[] = [
  { status: ["generated"], tier: ["template", "scenario"], minQuality: 6, maxQuality: 10 },
  { status: ["approved"], tier: ["scenario", "edge_case"], minQuality: 8, maxQuality: 10 },
  { status: ["generated", "approved"], tier: ["template"], minQuality: 6, maxQuality: 10 },
  { status: ["generated"], tier: ["edge_case"], minQuality: 1, maxQuality: 5.9 },
  { status: ["rejected"], tier: ["template", "scenario", "edge_case"], minQuality: 6, maxQuality: 8 },
];
const SORT: ConversationSort = { column: "quality_score", direction: "desc" };
const PER_PAGE = 50;

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

function summary(ms: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] };
}

const fmt = (n: number) => n.toFixed(1);

async function timeList(handle: DatabaseHandle, iterations: number, countMode: ListCountMode): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const filter = FILTERS[i % FILTERS.length];
    const page = 1 + ((i * 7) % 20); // pages 1–20 (offset up to 950)
    const t0 = performance.now();
    const result = await listConversations({ db: handle.db, workspaceId, filter, sort: SORT, page, perPage: PER_PAGE, countMode });
    ms.push(performance.now() - t0);
    if (result.total > 0 && result.rows.length === 0 && page === 1) throw new Error("no rows on page 1 of a non-empty result");
  }
  return ms;
}

async function timeFirstPage(handle: DatabaseHandle, iterations: number): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const filter = FILTERS[i % FILTERS.length];
    const t0 = performance.now();
    await Promise.all([
      listConversations({ db: handle.db, workspaceId, filter, sort: SORT, page: 1, perPage: PER_PAGE }),
      countConversationFacets({ db: handle.db, workspaceId, filter }),
    ]);
    ms.push(performance.now() - t0);
  }
  return ms;
}

/**
 * The five filters plus a chunk-dimension filter (issue 9 item 3), rotated over the sample's
 * string dimensions: one value of one dimension, two values of one, one value each of two.
 */
async function chunkFilters(handle: DatabaseHandle): Promise<ConversationFilter[]> {
  const { chunkDimensions } = await listTaxonomyOptions({ db: handle.db, workspaceId });
  const dims = chunkDimensions.filter((d) => d.name !== "has_numbers" && d.values.length >= 2);
  if (dims.length < 2) throw new Error("the sample's chunks have fewer than two string dimensions of two values");
  const [a, b] = dims;
  const variants: Array<Record<string, string[]>> = [
    { [a.name]: [a.values[0]] },
    { [a.name]: a.values.slice(0, 2) },
    { [a.name]: [a.values[1]], [b.name]: [b.values[0]] },
    { [b.name]: [b.values[1]] },
    { [a.name]: [a.values.at(-1) as string] },
  ];
  return FILTERS.map((filter, i) => ({ ...filter, chunkDimension: variants[i % variants.length] }));
}

async function timeChunkList(handle: DatabaseHandle, filters: ConversationFilter[], iterations: number): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const page = 1 + ((i * 7) % 20);
    const t0 = performance.now();
    await listConversations({ db: handle.db, workspaceId, filter: filters[i % filters.length], sort: SORT, page, perPage: PER_PAGE });
    ms.push(performance.now() - t0);
  }
  return ms;
}

async function timeChunkFirstPage(handle: DatabaseHandle, filters: ConversationFilter[], iterations: number): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const filter = filters[i % filters.length];
    const t0 = performance.now();
    await Promise.all([listConversations({ db: handle.db, workspaceId, filter, sort: SORT, page: 1, perPage: PER_PAGE }), countConversationFacets({ db: handle.db, workspaceId, filter })]);
    ms.push(performance.now() - t0);
  }
  return ms;
}

async function timeSearch(handle: DatabaseHandle, iterations: number): Promise<number[]> {
  const terms = ["bench-0421", "retire", "client question", "zzz-no-match"];
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await listConversations({ db: handle.db, workspaceId, filter: {}, search: terms[i % terms.length], sort: SORT, page: 1, perPage: PER_PAGE });
    ms.push(performance.now() - t0);
  }
  return ms;
}

/**
 * In-memory PGlite as a DatabaseHandle (what openDatabase({ memory: true }) returns) that also
 * keeps the PGlite client, so the seeded database can be dumped for the server-render step.
 */
function openMemoryPglite(): { handle: DatabaseHandle; client: PGlite } {
  const client = new PGlite();
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  const executeSql = async (text: string, values?: unknown[]) => {
    if (!values || values.length === 0) return { rows: (await client.exec(text)).at(-1)?.rows ?? [] };
    return { rows: (await client.query(text, values)).rows };
  };
  return { handle: { db, kind: "pglite", location: "memory", executeSql, close: () => client.close() }, client };
}

/**
 * Copies a PGlite database into `<dataDir>/db` (the layout openDatabase({ dataDir }) and the web
 * server's BRIGHTRUN_DATA_DIR use): dumpDataDir → a new directory-backed PGlite with
 * loadDataDir, closed again so the server can own it. Returns the time taken (ms).
 */
async function copyPgliteToDataDir(client: PGlite, dataDir: string): Promise<number> {
  const t0 = performance.now();
  const dump = await client.dumpDataDir("none");
  const onDisk = new PGlite(path.join(dataDir, "db"), { loadDataDir: dump });
  await onDisk.waitReady;
  // A read proves the copy opens; CHECKPOINT flushes it to the files before close.
  await onDisk.query("select count(*) from conversations");
  await onDisk.exec("checkpoint");
  await onDisk.close();
  return performance.now() - t0;
}

/** Other jobs (browser tests, Vitest, a build) running on this machine now, one line each; empty when none. */
function otherJobs(): string[] {
  const found = spawnSync("pgrep", ["-af", "playwright|vitest|next build"], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim().split("\n").map((l) => l.slice(0, 100)) : [];
}

/** After a timed part: prints a note when other jobs run now (they may have started during it). */
function afterTimedPart(what: string): void {
  const running = otherJobs();
  if (running.length > 0) console.log(`NOTE: ${running.length} other job process(es) running at the end of ${what}; figures may be inflated: ${running[0]}`);
}

/**
 * Before a timed part: with --wait-idle, waits while other jobs run (every 30 s, at most 20 min);
 * either way prints a note when some still run, so polluted figures are labelled as such.
 */
async function beforeTimedPart(what: string, options: Options): Promise<void> {
  if (options.waitIdle) {
    const deadline = Date.now() + 20 * 60_000;
    let waited = false;
    while (otherJobs().length > 0 && Date.now() < deadline) {
      if (!waited) console.log(`(waiting for other jobs to finish before ${what}: ${otherJobs()[0]} …)`);
      waited = true;
      await new Promise((r) => setTimeout(r, 30_000));
    }
  }
  const running = otherJobs();
  if (running.length > 0) console.log(`NOTE: ${running.length} other job process(es) running during ${what}; figures may be inflated: ${running[0]}`);
}

/** Paths of the filtered views: the five three-filter variants, sort quality desc, pages 1…maxPage. */
function filteredPaths(perPage: PerPage, maxPage: number): string[] {
  const paths: string[] = [];
  for (let i = 0; i < 20; i++) {
    const params = serializeConversationTableParams({ filter: FILTERS[i % FILTERS.length], sort: SORT, page: 1 + ((i * 7) % maxPage), perPage });
    paths.push(workspacePaths(BENCH_SLUG).conversations(params.toString()));
  }
  return paths;
}

/**
 * Times the page's first server render over HTTP against a running production server and prints
 * the table (p50 / p95 / max of the whole body and of the first byte, per view).
 */
async function benchRender(label: string, database: { url: string } | { dataDir: string }, options: Options): Promise<void> {
  const iterations = options.renderIterations ?? options.iterations;
  const stepStarted = performance.now();
  const server = await startWebServer({ root: ROOT, database });
  try {
    console.log(`\nserver render (${label}): next start answered after ${fmt(server.startMs)} ms; first GET / (cold) ${fmt(server.firstRequestMs)} ms`);
    const views: Array<[string, string[]]> = [
      ["GET /w/<slug> (default view, 25 rows)", [workspacePaths(BENCH_SLUG).conversations()]],
      ["GET 3 filters + sort, 50 rows (pages 1–20)", filteredPaths(50, 20)],
      ["GET 3 filters + sort, 100 rows (pages 1–10)", filteredPaths(100, 10)],
    ];
    console.log(`filtered view, e.g. ${views[1][1][2]}`);
    const warm = Math.max(3, Math.floor(iterations / 10));
    for (const [, paths] of views) await timePageRenders(server.baseUrl, paths, warm);
    await beforeTimedPart(`the server render (${label})`, options);
    const results: Array<[string, RenderTiming[]]> = [];
    for (const [name, paths] of views) results.push([name, await timePageRenders(server.baseUrl, paths, iterations)]);
    afterTimedPart(`the server render (${label})`);
    console.log(`\n| ${label} server render (HTTP GET, whole body) | p50 ms | p95 ms | max ms | n |`);
    console.log(`|---|---|---|---|---|`);
    for (const [name, timings] of results) {
      const total = summary(timings.map((t) => t.totalMs));
      const ttfb = summary(timings.map((t) => t.ttfbMs));
      const kib = timings.reduce((sum, t) => sum + t.bytes, 0) / timings.length / 1024;
      console.log(`| ${name}, ${kib.toFixed(0)} KiB | ${fmt(total.p50)} | ${fmt(total.p95)} | ${fmt(total.max)} | ${timings.length} |`);
      console.log(`| … first byte | ${fmt(ttfb.p50)} | ${fmt(ttfb.p95)} | ${fmt(ttfb.max)} | ${timings.length} |`);
    }
  } finally {
    const code = await server.stop();
    if (code !== 0) console.log(`(next start exited with ${code} on SIGTERM)\n${server.output().slice(-2000)}`);
    console.log(`server render step (start, warm-up, timing, stop): ${((performance.now() - stepStarted) / 1000).toFixed(1)} s`);
  }
}

async function benchDatabase(label: string, handle: DatabaseHandle, options: Options): Promise<void> {
  console.log(`\n== ${label} ==`);
  await migrateDatabase(handle);
  const seeded = await seedConversations(handle, options.conversations);
  workspaceId = seeded.workspaceId;
  console.log(`seeded ${seeded.conversations.toLocaleString("en-US")} conversations, ${seeded.turns.toLocaleString("en-US")} turns in ${(seeded.ms / 1000).toFixed(1)} s`);
  for (const name of options.dropIndexes) {
    await handle.executeSql(`drop index if exists ${name}`);
    console.log(`dropped index ${name}`);
  }
  if (options.analyze) {
    const t0 = performance.now();
    await handle.executeSql(`analyze`);
    console.log(`analyze: ${fmt(performance.now() - t0)} ms`);
  }
  const [first] = FILTERS;
  const sample = await listConversations({ db: handle.db, workspaceId, filter: first, sort: SORT, page: 1, perPage: PER_PAGE });
  console.log(`main filter (status=generated, tier in (template, scenario), quality 6–10) matches ${sample.total.toLocaleString("en-US")}`);

  const withChunks = await chunkFilters(handle);
  const chunkSample = await listConversations({ db: handle.db, workspaceId, filter: withChunks[0], sort: SORT, page: 1, perPage: PER_PAGE });
  console.log(`main filter + chunk dimension ${JSON.stringify(withChunks[0].chunkDimension)} matches ${chunkSample.total.toLocaleString("en-US")}`);

  const warm = Math.max(5, Math.floor(options.iterations / 5));
  await timeList(handle, warm, "subquery");
  await timeList(handle, warm, "window");
  await timeFirstPage(handle, warm);
  await timeChunkList(handle, withChunks, warm);
  await timeChunkFirstPage(handle, withChunks, warm);
  await beforeTimedPart(`the query timings (${label})`, options);

  const results: Array<[string, number[]]> = [
    ["list, count as subquery (default)", await timeList(handle, options.iterations, "subquery")],
    ["list, count(*) over ()", await timeList(handle, options.iterations, "window")],
    ["first page + facet counts", await timeFirstPage(handle, options.iterations)],
    ["search (no filters), page 1", await timeSearch(handle, Math.max(8, Math.floor(options.iterations / 2)))],
    ["list, 3 filters + chunk dimension", await timeChunkList(handle, withChunks, options.iterations)],
    ["first page + facet counts, 3 filters + chunk dimension", await timeChunkFirstPage(handle, withChunks, options.iterations)],
  ];
  afterTimedPart(`the query timings (${label})`);
  console.log(`\n| ${label} | p50 ms | p95 ms | max ms | n |`);
  console.log(`|---|---|---|---|---|`);
  for (const [name, ms] of results) {
    const s = summary(ms);
    console.log(`| ${name} | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.max)} | ${ms.length} |`);
  }
  const plan = await explainListConversations({ db: handle.db, workspaceId, filter: first, sort: SORT, page: 5, perPage: PER_PAGE });
  console.log(`\nplan (main filter, page 5):\n${plan.map((l) => `  ${l}`).join("\n")}`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  stopAfterMinutes("bench:table", options.timeoutMin);
  console.log(`bench:table — ${options.conversations.toLocaleString("en-US")} conversations, ${options.iterations} timed iterations, page of ${PER_PAGE}, sort quality_score desc`);
  console.log(`machine: ${describeMachine()}`);
  const benchStarted = performance.now();

  if (!options.skipPglite) {
    const { handle, client } = openMemoryPglite();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-bench-"));
    try {
      await benchDatabase("PGlite (in-memory)", handle, options);
      if (options.render) {
        const ms = await copyPgliteToDataDir(client, dataDir);
        await handle.close();
        console.log(`\ncopied the seeded PGlite database to ${dataDir} in ${(ms / 1000).toFixed(1)} s`);
        await benchRender("PGlite (data directory)", { dataDir }, options);
      }
    } finally {
      if (!client.closed) await handle.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }

  const adminUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (adminUrl && !options.skipPostgres) {
    const scratch = await createScratchPostgresDatabase(adminUrl, "brightrun_bench");
    const handle = await openDatabase({ url: scratch.url });
    try {
      const [{ version }] = (await handle.executeSql(`select current_setting('server_version') as version`)).rows as Array<{ version: string }>;
      await benchDatabase(`PostgreSQL ${version}`, handle, options);
      if (options.render) await benchRender(`PostgreSQL ${version}`, { url: scratch.url }, options);
    } finally {
      await handle.close();
      await scratch.drop();
    }
  } else if (!options.skipPostgres) {
    console.log(`\n(PostgreSQL skipped: set DATABASE_URL or TEST_DATABASE_URL to include it.)`);
  }
  console.log(`\nbench:table took ${((performance.now() - benchStarted) / 1000).toFixed(0)} s${options.render ? "" : " (--no-render)"}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
