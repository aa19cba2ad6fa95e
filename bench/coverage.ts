// Benchmark (not a test): the Coverage page's data at scale (issue 13 items 1–3; "every page loads
// in under 500 ms at 100,000 conversations on PostgreSQL").
//
// Seeds N conversations (default 100,000) into a fresh database with one set-based INSERT … SELECT
// generate_series (taxonomy, documents and chunks come from the financial-planning sample through
// the normal importer; persona, arc, topic, intent, tone, chunk and edge-case category random; the
// status mix of a workspace mid-review), ANALYZEs, warms up, then times over N iterations:
// loadCoverage (the heatmap and charts), loadCoverageSuggestions (recommendations, edge-case
// coverage, warnings) and both in parallel, as the page starts them. Prints p50 / p95 / max ms.
//
// Databases: PostgreSQL when DATABASE_URL or TEST_DATABASE_URL is set (a fresh database created on
// that server, dropped afterwards); in-memory PGlite unless --skip-pglite.
// Options: --conversations=100000 --iterations=20 --skip-pglite --skip-postgres --timeout-min=20
// Its own seed rather than bench/seed-conversations.ts: edge-case conversations need their
// category for the edge-case coverage, and no turns are needed (the Coverage page reads none).
// Run directly: node --conditions=react-server --import tsx bench/coverage.ts
import path from "node:path";
import { fileURLToPath } from "node:url";
import { importPath } from "../src/core/import/import-workspace";
import { loadCoverage } from "../src/server/coverage";
import { loadCoverageSuggestions } from "../src/server/coverage-suggestions";
import { openDatabase, type DatabaseHandle } from "../src/server/db/client";
import { migrateDatabase } from "../src/server/db/migrate";
import { getWorkspace } from "../src/server/db/queries/workspace";
import { createWorkspace } from "../src/server/workspaces";
import { createScratchPostgresDatabase } from "../tests/support/test-database";
import { describeMachine, stopAfterMinutes } from "./support";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SAMPLE = path.join(ROOT, "examples/financial-planning");

interface Options {
  conversations: number;
  iterations: number;
  skipPglite: boolean;
  skipPostgres: boolean;
  timeoutMin: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { conversations: 100_000, iterations: 20, skipPglite: false, skipPostgres: false, timeoutMin: 20 };
  for (const arg of argv) {
    let m: RegExpExecArray | null;
    if ((m = /^--conversations=(\d+)$/.exec(arg))) options.conversations = Number(m[1]);
    else if ((m = /^--iterations=(\d+)$/.exec(arg))) options.iterations = Math.max(1, Number(m[1]));
    else if ((m = /^--timeout-min=(\d+)$/.exec(arg))) options.timeoutMin = Number(m[1]);
    else if (arg === "--skip-pglite") options.skipPglite = true;
    else if (arg === "--skip-postgres") options.skipPostgres = true;
    else {
      console.error(`Unknown option ${arg}. Options: --conversations=N --iterations=N --skip-pglite --skip-postgres --timeout-min=N`);
      process.exit(64);
    }
  }
  return options;
}

/** Seeds the sample business and `count` conversations; returns the workspace id and the seeding time (ms). */
async function seed(handle: DatabaseHandle, count: number): Promise<{ workspaceId: string; ms: number }> {
  const started = performance.now();
  const workspaceId = (await createWorkspace(handle.db, { name: "Bench business", slug: "bench-business" })).id;
  await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:bench" });
  await handle.executeSql(`select setseed(0.42)`);
  await handle.executeSql(
    `insert into conversations (workspace_id, conversation_id, persona, emotion, topic, intent, tone, tier, status, source_category,
       plan_slot, chunk_id, document_id, edge_case_category)
     select $2::uuid, 'bench-' || lpad(g::text, 6, '0'), s.persona, s.emotion, s.topic, s.intent, s.tone, s.tier, s.status, s.source,
       g, s.chunk_id, s.document_id, case when s.tier = 'edge_case' then s.edge end
     from generate_series(1, $1::int) g
     cross join lateral (
       select
         (select array_agg(key order by key) from personas) as personas,
         (select array_agg(key order by key) from emotional_arcs) as arcs,
         (select array_agg(key order by key) from topics) as topics,
         (select array_agg(key order by key) from intents) as intents,
         (select array_agg(key order by key) from tones) as tones,
         (select array_agg(key order by key) from edge_case_categories) as edges,
         (select array_agg(c.id order by c.key) from chunks c) as chunk_ids,
         (select array_agg(c.document_id order by c.key) from chunks c) as chunk_documents,
         (select array_agg(d.category order by c.key) from chunks c join documents d on d.id = c.document_id) as chunk_categories,
         random() as r1, random() as r2, random() as r3
     ) k
     cross join lateral (
       select
         k.personas[1 + floor(random() * cardinality(k.personas))::int] as persona,
         k.arcs[1 + floor(random() * cardinality(k.arcs))::int] as emotion,
         k.topics[1 + floor(random() * cardinality(k.topics))::int] as topic,
         k.intents[1 + floor(random() * cardinality(k.intents))::int] as intent,
         k.tones[1 + floor(random() * cardinality(k.tones))::int] as tone,
         k.edges[1 + floor(random() * cardinality(k.edges))::int] as edge,
         case when k.r1 < 0.44 then 'template' when k.r1 < 0.83 then 'scenario' else 'edge_case' end as tier,
         k.chunk_ids[1 + floor(k.r3 * cardinality(k.chunk_ids))::int] as chunk_id,
         k.chunk_documents[1 + floor(k.r3 * cardinality(k.chunk_documents))::int] as document_id,
         k.chunk_categories[1 + floor(k.r3 * cardinality(k.chunk_categories))::int] as source,
         case when k.r2 < 0.20 then 'not_generated' when k.r2 < 0.21 then 'generating' when k.r2 < 0.61 then 'generated'
              when k.r2 < 0.86 then 'approved' when k.r2 < 0.93 then 'rejected' else 'failed' end as status
     ) s`,
    [count, workspaceId],
  );
  await handle.executeSql("analyze");
  return { workspaceId, ms: performance.now() - started };
}

/** Times `fn` `n` times after two warm-up calls; returns p50, p95 and max in ms. */
async function time(fn: () => Promise<unknown>, n: number): Promise<{ p50: number; p95: number; max: number }> {
  await fn();
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await fn();
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor((n - 1) * 0.5)], p95: ms[Math.ceil(n * 0.95) - 1], max: ms[n - 1] };
}

async function measure(name: string, handle: DatabaseHandle, options: Options): Promise<void> {
  await migrateDatabase(handle);
  const seeded = await seed(handle, options.conversations);
  const workspace = await getWorkspace({ db: handle.db, workspaceId: seeded.workspaceId });
  if (!workspace) throw new Error("the benchmark's workspace vanished");
  console.log(`\n${name}: ${options.conversations.toLocaleString("en-US")} conversations seeded in ${(seeded.ms / 1000).toFixed(1)} s`);
  const coverage = () => loadCoverage({ db: handle.db, workspaceId: workspace.id, status: "all" });
  const suggestions = () => loadCoverageSuggestions({ db: handle.db, workspace });
  const rows: Array<[string, () => Promise<unknown>]> = [
    ["loadCoverage (heatmap, charts)", coverage],
    ["loadCoverageSuggestions (recommendations, edge cases, warnings)", suggestions],
    ["both in parallel (the page's data)", () => Promise.all([coverage(), suggestions()])],
  ];
  console.log(`| query | p50 ms | p95 ms | max ms |\n|---|---|---|---|`);
  for (const [label, fn] of rows) {
    const t = await time(fn, options.iterations);
    console.log(`| ${label} | ${t.p50.toFixed(0)} | ${t.p95.toFixed(0)} | ${t.max.toFixed(0)} |`);
  }
}

const options = parseOptions(process.argv.slice(2));
stopAfterMinutes("bench:coverage", options.timeoutMin);
console.log(`Coverage page data, ${options.iterations} iterations each. ${describeMachine({ load: true })}`);
const adminUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
if (!options.skipPostgres && adminUrl) {
  const scratch = await createScratchPostgresDatabase(adminUrl, "bench_coverage");
  const handle = await openDatabase({ url: scratch.url });
  try {
    await measure("PostgreSQL", handle, options);
  } finally {
    await handle.close();
    await scratch.drop();
  }
}
if (!options.skipPglite) {
  const handle = await openDatabase({ memory: true });
  try {
    await measure("PGlite (in memory)", handle, options);
  } finally {
    await handle.close();
  }
}
