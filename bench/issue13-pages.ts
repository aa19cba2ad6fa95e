// Benchmark (not a test): `npm run bench:issue13-pages [-- options]` (issue 13: "Every page loads in
// under 500 ms at 100,000 conversations on PostgreSQL").
//
// Seeds 100,000 conversations (≈ 1.2 M turns) into a scratch PostgreSQL database exactly as
// bench/table.ts does (bench/seed-conversations.ts), then the audit trail a workspace of that size
// has after two months: one generation_logs row per conversation that was sent to the model
// (≈ 80,000, 10 % of them judge calls, with ≈ 1.3 KB of request and response payload each), one
// review_logs row per approve / reject (≈ 32,000, four reviewers), 300 exports of 200 approved
// conversations each (their manifests list the ids, as real ones do) and 100,000 query timings over
// 30 days. ANALYZEs, warms up, then times the server-side load functions of the issue-13 pages
// that exist on this branch, each as its page calls it:
//   Coverage (loadCoverage: all, approved) · Audit generation log (loadGenerationLog: default,
//   a 7-day range, a user filter, page 20) · Audit reviews (loadReviewAudit: all time, 7 days) ·
//   Audit export history (loadExportHistory) · Database health (loadDatabaseHealth: 24 h, 30 days).
// The cost page is not on this branch's main and is not measured. Prints p50 / p95 / max ms and
// the 500 ms target per load.
//
// Databases: PostgreSQL only (DATABASE_URL or TEST_DATABASE_URL names the server; a fresh database
// `brightrun_bench13_<random>` is created there and dropped afterwards, so tests are not disturbed).
//
// Options: --conversations=100000 --iterations=20 --timeout-min=40
//
// Run directly: node --conditions=react-server --import tsx bench/issue13-pages.ts
import { CONVERSATION_STATUSES } from "../src/lib/constants";
import { defaultAuditState, type AuditState } from "../src/lib/audit-params";
import { loadExportHistory, loadGenerationLog, loadReviewAudit } from "../src/server/audit";
import { loadCoverage } from "../src/server/coverage";
import { loadDatabaseHealth } from "../src/server/database-health";
import { openDatabase, type DatabaseHandle } from "../src/server/db/client";
import { migrateDatabase } from "../src/server/db/migrate";
import { flushQueryTimings } from "../src/server/query-timing";
import { createScratchPostgresDatabase } from "../tests/support/test-database";
import { seedConversations } from "./seed-conversations";
import { describeMachine, stopAfterMinutes } from "./support";

const TARGET_MS = 500;

interface Options {
  conversations: number;
  iterations: number;
  timeoutMin: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { conversations: 100_000, iterations: 20, timeoutMin: 40 };
  for (const arg of argv) {
    let m: RegExpExecArray | null;
    if ((m = /^--conversations=(\d+)$/.exec(arg))) options.conversations = Number(m[1]);
    else if ((m = /^--iterations=(\d+)$/.exec(arg))) options.iterations = Number(m[1]);
    else if ((m = /^--timeout-min=(\d+)$/.exec(arg))) options.timeoutMin = Number(m[1]);
    else {
      console.error(`Unknown option ${arg}. Options: --conversations=N --iterations=N --timeout-min=N`);
      process.exit(64);
    }
  }
  return options;
}

/** The audit trail of two months of work on the seeded conversations (see the header). */
async function seedAuditTrail(handle: DatabaseHandle, workspaceId: string): Promise<Record<string, number>> {
  // One call per conversation sent to the model, over the last 60 days; failed ones carry an error.
  await handle.executeSql(
    `insert into generation_logs (workspace_id, conversation_id, kind, provider, model, request_payload, response_payload, parameters,
       cost_usd, input_tokens, output_tokens, duration_ms, error_code, error_message, user_id, created_at)
     select $1::uuid, c.id, case when c.slot % 10 = 0 then 'judge' else 'generate' end, 'anthropic', 'claude-sonnet-4-5',
       jsonb_build_object('messages', jsonb_build_array(jsonb_build_object('role', 'user', 'content',
         'Write a conversation between a ' || c.persona || ' client and an adviser about ' || c.topic || '. ' || repeat('Keep it specific and warm. ', 16)))),
       case when c.status = 'failed' then null else jsonb_build_object('content', repeat('{"turns":[{"role":"user","content":"I am worried about my savings."}]} ', 12)) end,
       jsonb_build_object('max_tokens', 4096, 'temperature', 0.7),
       0.0125, 1200, 900, 4000 + (c.slot % 3000),
       case when c.status = 'failed' then 'malformed_response' end,
       case when c.status = 'failed' then 'The model replied with text that is not JSON.' end,
       'local:generator-' || (c.slot % 3),
       now() - ((c.slot % 60) * interval '1 day') - ((c.slot % 1440) * interval '1 minute')
     from (select *, coalesce(plan_slot, 0) as slot from conversations) c
     where c.workspace_id = $1::uuid and c.status in ('generated', 'approved', 'rejected', 'failed')`,
    [workspaceId],
  );
  await handle.executeSql(
    `insert into review_logs (workspace_id, conversation_id, action, previous_status, reviewer_id, reviewer_notes, timestamp)
     select $1::uuid, c.id, case when c.status = 'approved' then 'approve' else 'reject' end, 'generated',
       'local:reviewer-' || (c.slot % 4), case when c.status = 'rejected' then 'Generic advice.' end,
       now() - ((c.slot % 59) * interval '1 day') - ((c.slot % 1000) * interval '1 minute')
     from (select *, coalesce(plan_slot, 0) as slot from conversations) c where c.workspace_id = $1::uuid and c.status in ('approved', 'rejected')`,
    [workspaceId],
  );
  // 300 exports of 200 approved conversations each, their manifests listing the ids.
  await handle.executeSql(
    `with approved as (select conversation_id, row_number() over (order by conversation_id) as n from conversations where workspace_id = $1::uuid and status = 'approved')
     insert into export_logs (workspace_id, export_id, user_id, conversation_count, filter_state, format, file_path, exported_at, metadata)
     select $1::uuid, 'bench-export-' || e, 'local:exporter-' || (e % 2), 200, '{"status":["approved"]}'::jsonb, 'openai',
       '/tmp/brightrun-bench-exports/bench-openai-bench-export-' || e || '/bench.jsonl', now() - ((e % 60) * interval '1 day'),
       jsonb_build_object('format', 'openai', 'conversation_count', 200,
         'conversation_ids', (select jsonb_agg(a.conversation_id) from approved a where a.n between (e * 37) % 20000 + 1 and (e * 37) % 20000 + 200))
     from generate_series(1, 300) e`,
    [workspaceId],
  );
  await handle.executeSql(
    `insert into query_timings (workspace_id, kind, duration_ms, recorded_at)
     select $1::uuid, (array['conversations.list','conversations.facets','coverage.report','audit.generation_log','audit.reviews','audit.exports'])[1 + g % 6],
       20 + (g % 97) * 3.5, now() - ((g % 43200) * interval '1 minute')
     from generate_series(1, 100000) g`,
    [workspaceId],
  );
  const { rows } = await handle.executeSql(
    `select (select count(*)::int from generation_logs) as generation_logs, (select count(*)::int from review_logs) as review_logs,
       (select count(*)::int from export_logs) as export_logs, (select count(*)::int from query_timings) as query_timings`,
  );
  return rows[0] as Record<string, number>;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function time(iterations: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number; max: number }> {
  await fn();
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), max: ms[ms.length - 1] };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  stopAfterMinutes("bench:issue13-pages", options.timeoutMin);
  const adminUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    console.error("Set DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/test): this benchmark runs on PostgreSQL only.");
    process.exit(64);
  }
  console.log(`machine: ${describeMachine({ load: true })}`);
  const scratch = await createScratchPostgresDatabase(adminUrl, "brightrun_bench13");
  const handle = await openDatabase({ url: scratch.url });
  try {
    await migrateDatabase(handle);
    const seeded = await seedConversations(handle, options.conversations);
    console.log(`seeded ${seeded.conversations.toLocaleString("en-US")} conversations, ${seeded.turns.toLocaleString("en-US")} turns in ${(seeded.ms / 1000).toFixed(1)} s`);
    const t0 = performance.now();
    const trail = await seedAuditTrail(handle, seeded.workspaceId);
    console.log(`audit trail: ${Object.entries(trail).map(([k, v]) => `${k} ${Number(v).toLocaleString("en-US")}`).join(", ")} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await handle.executeSql("analyze");
    const { rows: statusRows } = await handle.executeSql(`select status, count(*)::int as n from conversations group by status order by status`);
    console.log(`statuses: ${(statusRows as Array<{ status: string; n: number }>).filter((r) => (CONVERSATION_STATUSES as readonly string[]).includes(r.status)).map((r) => `${r.status} ${r.n}`).join(", ")}`);

    const db = handle.db;
    const workspaceId = seeded.workspaceId;
    const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
    const audit = (change: Partial<AuditState>): AuditState => ({ ...defaultAuditState(), ...change });
    const loads: Array<[string, () => Promise<unknown>]> = [
      ["Coverage (loadCoverage), all statuses", () => loadCoverage({ db, workspaceId, status: "all" })],
      ["Coverage (loadCoverage), approved", () => loadCoverage({ db, workspaceId, status: "approved" })],
      ["Audit generation log, default (page 1, no filter)", () => loadGenerationLog({ db, workspaceId, state: audit({}) })],
      ["Audit generation log, last 7 days", () => loadGenerationLog({ db, workspaceId, state: audit({ from: day(6), to: day(0) }) })],
      ["Audit generation log, one user", () => loadGenerationLog({ db, workspaceId, state: audit({ user: "local:generator-1" }) })],
      ["Audit generation log, page 20", () => loadGenerationLog({ db, workspaceId, state: audit({ page: 20 }) })],
      ["Audit reviews + compliance, all time", () => loadReviewAudit({ db, workspaceId, state: audit({ tab: "reviews" }) })],
      ["Audit reviews + compliance, last 7 days", () => loadReviewAudit({ db, workspaceId, state: audit({ tab: "reviews", from: day(6), to: day(0) }) })],
      ["Audit export history, page 1", () => loadExportHistory({ db, workspaceId, state: audit({ tab: "exports" }) })],
      ["Database health, 24 hours", () => loadDatabaseHealth({ handle, workspaceId, window: "24h" })],
      ["Database health, 30 days", () => loadDatabaseHealth({ handle, workspaceId, window: "30d" })],
    ];
    console.log(`\nmachine at timing: ${describeMachine({ load: true })}`);
    console.log(`\n| load (PostgreSQL, ${options.conversations.toLocaleString("en-US")} conversations) | p50 ms | p95 ms | max ms | under ${TARGET_MS} ms (p95) |`);
    console.log("|---|---|---|---|---|");
    for (const [name, fn] of loads) {
      const s = await time(options.iterations, fn);
      console.log(`| ${name} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.max.toFixed(1)} | ${s.p95 < TARGET_MS ? "yes" : "**no**"} |`);
      await flushQueryTimings(db);
    }
    console.log(`\n${options.iterations} timed runs per load after 2 warm-up runs; machine after: ${describeMachine({ load: true })}`);
  } finally {
    await handle.close();
    await scratch.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
