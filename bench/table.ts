// Benchmark (not a test): `npm run bench:table [-- options]` (issue 4, the conversations table).
//
// Seeds 100,000 conversations (≈ 1.2 M turns) into a fresh database with a few set-based
// INSERT … SELECT generate_series statements (taxonomy, documents and seeds come from the
// financial-planning sample through the normal importer), ANALYZEs, warms up, then times the
// table's list query — listConversations with three filters (status, tier, quality range), a sort
// (quality_score desc) and a page of 50 — over N iterations with varying filters and pages, and
// the first-page render proxy (page 1 + countConversationFacets, in parallel as the page would
// start them). Prints p50 / p95 / max ms per database and count mode, plus the query plan.
//
// Databases: in-memory PGlite always; PostgreSQL too when DATABASE_URL or TEST_DATABASE_URL is
// set (a fresh database created on that server, dropped afterwards).
//
// Options: --conversations=100000 --iterations=50 --drop-indexes=name1,name2 (drop these indexes
//   before timing, to measure "before") --skip-pglite --skip-postgres --no-analyze --timeout-min=30
//
// Run directly: node --conditions=react-server --import tsx bench/table.ts
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { importPath } from "../src/core/import/import-workspace";
import type { ConversationFilter } from "../src/lib/conversation-filter";
import type { ConversationSort } from "../src/lib/conversation-table-params";
import { openDatabase, type DatabaseHandle } from "../src/server/db/client";
import { migrateDatabase } from "../src/server/db/migrate";
import { createScratchPostgresDatabase } from "../tests/support/test-database";
import {
  countConversationFacets,
  explainListConversations,
  listConversations,
  type ListCountMode,
} from "../src/server/db/queries/conversation-list";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SAMPLE = path.join(ROOT, "examples/financial-planning");

interface Options {
  conversations: number;
  iterations: number;
  dropIndexes: string[];
  skipPglite: boolean;
  skipPostgres: boolean;
  analyze: boolean;
  timeoutMin: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { conversations: 100_000, iterations: 50, dropIndexes: [], skipPglite: false, skipPostgres: false, analyze: true, timeoutMin: 30 };
  for (const arg of argv) {
    let m: RegExpExecArray | null;
    if ((m = /^--conversations=(\d+)$/.exec(arg))) options.conversations = Number(m[1]);
    else if ((m = /^--iterations=(\d+)$/.exec(arg))) options.iterations = Number(m[1]);
    else if ((m = /^--timeout-min=(\d+)$/.exec(arg))) options.timeoutMin = Number(m[1]);
    else if ((m = /^--drop-indexes=([a-z0-9_,]+)$/.exec(arg))) options.dropIndexes = m[1].split(",");
    else if (arg === "--skip-pglite") options.skipPglite = true;
    else if (arg === "--skip-postgres") options.skipPostgres = true;
    else if (arg === "--no-analyze") options.analyze = false;
    else {
      console.error(`Unknown option ${arg}. Options: --conversations=N --iterations=N --drop-indexes=a,b --skip-pglite --skip-postgres --no-analyze --timeout-min=N`);
      process.exit(64);
    }
  }
  return options;
}

/** Seeds `count` conversations and their turns with set-based SQL. Deterministic (setseed). */
async function seed(handle: DatabaseHandle, count: number): Promise<{ conversations: number; turns: number; ms: number }> {
  const started = performance.now();
  await importPath({ db: handle.db, target: SAMPLE, userId: "local:bench" });
  await handle.executeSql(`select setseed(0.42)`);
  // Status mix of a workspace mid-review; quality only where a conversation was generated;
  // 10–19 turns where generated (≈ 79 % of rows → ≈ 1.2 M turns per 100 k).
  await handle.executeSql(
    `insert into conversations (conversation_id, title, persona, emotion, topic, intent, tone, tier, status, quality_score,
       turn_count, source_category, plan_slot, created_at, updated_at, generated_at, last_error)
     select 'bench-' || lpad(g::text, 6, '0'), s.title, s.persona, s.emotion, s.topic, s.intent, s.tone, s.tier, s.status,
       case when s.status in ('generated', 'approved', 'rejected') then round((1 + random() * 9)::numeric, 1)::float8 end,
       case when s.status in ('generated', 'approved', 'rejected', 'failed') then 10 + floor(random() * 10)::int else 0 end,
       s.source, g, s.created, s.created + interval '1 hour',
       case when s.status in ('generated', 'approved', 'rejected') then s.created + interval '10 minutes' end,
       case when s.status = 'failed' then '{"code":"malformed_response","message":"The model replied with text that is not JSON.","retryable":true,"detail":{}}'::jsonb end
     from generate_series(1, $1::int) g
     cross join lateral (
       select
         (select array_agg(key order by key) from personas) as personas,
         (select array_agg(key order by key) from emotional_arcs) as arcs,
         (select array_agg(key order by key) from topics) as topics,
         (select array_agg(key order by key) from intents) as intents,
         (select array_agg(key order by key) from tones) as tones,
         (select array_agg(distinct category) from documents) as sources,
         random() as r1, random() as r2, g as gg
     ) k
     cross join lateral (
       select
         k.personas[1 + floor(random() * cardinality(k.personas))::int] as persona,
         k.arcs[1 + floor(random() * cardinality(k.arcs))::int] as emotion,
         k.topics[1 + floor(random() * cardinality(k.topics))::int] as topic,
         k.intents[1 + floor(random() * cardinality(k.intents))::int] as intent,
         k.tones[1 + floor(random() * cardinality(k.tones))::int] as tone,
         k.sources[1 + floor(random() * cardinality(k.sources))::int] as source,
         case when k.r1 < 0.44 then 'template' when k.r1 < 0.83 then 'scenario' else 'edge_case' end as tier,
         case when k.r2 < 0.20 then 'not_generated' when k.r2 < 0.21 then 'generating' when k.r2 < 0.61 then 'generated'
              when k.r2 < 0.86 then 'approved' when k.r2 < 0.93 then 'rejected' else 'failed' end as status,
         'Conversation ' || k.gg || ': a client question worked through step by step' as title,
         timestamptz '2026-09-01' + (k.gg * interval '1 minute') as created
     ) s`,
    [count],
  );
  // Turns in slices of 10,000 conversations so neither database holds one huge statement.
  const step = 10_000;
  for (let from = 1; from <= count; from += step) {
    await handle.executeSql(
      `insert into conversation_turns (conversation_id, turn_number, role, content)
       select c.id, n, case when n % 2 = 1 then 'user' else 'assistant' end,
         'Turn ' || n || ' of ' || c.conversation_id || '. I have been saving for a while and want to know whether my plan holds up if rates change next year.'
       from conversations c cross join lateral generate_series(1, c.turn_count) n
       where c.plan_slot between $1 and $2 and c.turn_count > 0`,
      [from, from + step - 1],
    );
  }
  const [{ conversations: convs, turns }] = (
    await handle.executeSql(`select (select count(*)::int from conversations) as conversations, (select count(*)::int from conversation_turns) as turns`)
  ).rows as Array<{ conversations: number; turns: number }>;
  return { conversations: convs, turns, ms: performance.now() - started };
}

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
    const result = await listConversations({ db: handle.db, filter, sort: SORT, page, perPage: PER_PAGE, countMode });
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
      listConversations({ db: handle.db, filter, sort: SORT, page: 1, perPage: PER_PAGE }),
      countConversationFacets({ db: handle.db, filter }),
    ]);
    ms.push(performance.now() - t0);
  }
  return ms;
}

async function timeSearch(handle: DatabaseHandle, iterations: number): Promise<number[]> {
  const terms = ["bench-0421", "retire", "client question", "zzz-no-match"];
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await listConversations({ db: handle.db, filter: {}, search: terms[i % terms.length], sort: SORT, page: 1, perPage: PER_PAGE });
    ms.push(performance.now() - t0);
  }
  return ms;
}

async function benchDatabase(label: string, handle: DatabaseHandle, options: Options): Promise<void> {
  console.log(`\n== ${label} ==`);
  await migrateDatabase(handle);
  const seeded = await seed(handle, options.conversations);
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
  const sample = await listConversations({ db: handle.db, filter: first, sort: SORT, page: 1, perPage: PER_PAGE });
  console.log(`main filter (status=generated, tier in (template, scenario), quality 6–10) matches ${sample.total.toLocaleString("en-US")}`);

  const warm = Math.max(5, Math.floor(options.iterations / 5));
  await timeList(handle, warm, "subquery");
  await timeList(handle, warm, "window");
  await timeFirstPage(handle, warm);

  const results: Array<[string, number[]]> = [
    ["list, count as subquery (default)", await timeList(handle, options.iterations, "subquery")],
    ["list, count(*) over ()", await timeList(handle, options.iterations, "window")],
    ["first page + facet counts", await timeFirstPage(handle, options.iterations)],
    ["search (no filters), page 1", await timeSearch(handle, Math.max(8, Math.floor(options.iterations / 2)))],
  ];
  console.log(`\n| ${label} | p50 ms | p95 ms | max ms | n |`);
  console.log(`|---|---|---|---|---|`);
  for (const [name, ms] of results) {
    const s = summary(ms);
    console.log(`| ${name} | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.max)} | ${ms.length} |`);
  }
  const plan = await explainListConversations({ db: handle.db, filter: first, sort: SORT, page: 5, perPage: PER_PAGE });
  console.log(`\nplan (main filter, page 5):\n${plan.map((l) => `  ${l}`).join("\n")}`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const timer = setTimeout(() => {
    console.error(`bench:table did not finish within ${options.timeoutMin} min; stopping.`);
    process.exit(2);
  }, options.timeoutMin * 60_000);
  timer.unref();
  console.log(`bench:table — ${options.conversations.toLocaleString("en-US")} conversations, ${options.iterations} timed iterations, page of ${PER_PAGE}, sort quality_score desc`);
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);

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
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
