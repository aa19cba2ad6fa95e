// Benchmark (not a test): `npm run bench:cost [-- --conversations=100000 --calls-per-conversation=2 --iterations=20]`
// (issue 13 item 4, the cost page).
//
// On a scratch PostgreSQL database (TEST_DATABASE_URL or DATABASE_URL; created, then dropped):
// imports the financial-planning sample, plans N conversations (createPlan), marks them generated
// by two language models with set-based UPDATEs, records `calls-per-conversation` generation_logs
// rows each spread over the last 90 days across 20 finished runs with estimates (INSERT … SELECT,
// each row through the cost rollup trigger of migration 0017 like every call), ANALYZEs, warms up,
// then times what the cost page loads (loadCostOverview: spend per period, breakdowns, month total,
// runs, recommendation options, in parallel) for day / week / month, and
// the generate dialog's cost history (loadCostHistoryForEstimate). Prints p50 / p95 / max ms.
// --parts also times each query of the page alone (12-month range, 5 runs each).
//
// Run directly: node --conditions=react-server --import tsx bench/cost.ts
import { sql } from "drizzle-orm";
import { importPath } from "../src/core/import/import-workspace";
import { createPlan } from "../src/core/planning/create-plan";
import type { CostPeriod } from "../src/core/cost/cost-analytics";
import { openDatabase } from "../src/server/db/client";
import { migrateDatabase } from "../src/server/db/migrate";
import { loadCostHistoryForEstimate, loadCostOverview } from "../src/server/cost";
import { createWorkspace } from "../src/server/workspaces";
import { createScratchPostgresDatabase } from "../tests/support/test-database";
import { describeMachine } from "./support";

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const CONVERSATIONS = arg("conversations", 100_000);
const CALLS = arg("calls-per-conversation", 2);
const ITERATIONS = arg("iterations", 20);

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return `p50 ${at(0.5).toFixed(1)} ms · p95 ${at(0.95).toFixed(1)} ms · max ${s[s.length - 1].toFixed(1)} ms`;
}

async function main() {
  const adminUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!adminUrl) throw new Error("Set TEST_DATABASE_URL (or DATABASE_URL) to a PostgreSQL server: the benchmark creates and drops a scratch database on it.");
  const scratch = await createScratchPostgresDatabase(adminUrl, "brightrun_bench_cost");
  const handle = await openDatabase({ url: scratch.url });
  try {
    await migrateDatabase(handle);
    const db = handle.db;
    const workspace = await createWorkspace(db, { name: "Cost bench" });
    await importPath({ db, workspaceId: workspace.id, target: new URL("../examples/financial-planning", import.meta.url).pathname, userId: "bench" });
    const started = Date.now();
    const t = Math.round(CONVERSATIONS * 0.4);
    const s = Math.round(CONVERSATIONS * 0.35);
    await createPlan({ db, workspaceId: workspace.id, split: { template: t, scenario: s, edge_case: CONVERSATIONS - t - s } });
    const ws = workspace.id;
    await db.execute(sql`
      update conversations set
        generated_at = now() - (random() * interval '90 days'),
        provider = case when random() < 0.5 then 'openai' else 'anthropic' end,
        status = (array['generated','approved','approved','rejected'])[1 + floor(random() * 4)::int],
        cost_usd = round((0.002 + random() * 0.01)::numeric, 6)
      where workspace_id = ${ws} and is_seed = false`);
    await db.execute(sql`update conversations set model = case when provider = 'openai' then 'gpt-5.6-luna' else 'claude-sonnet-5-5' end where workspace_id = ${ws} and is_seed = false`);
    await db.execute(sql`
      insert into generation_runs (workspace_id, kind, status, provider, model, concurrency, total, succeeded, estimate, created_by, started_at, finished_at)
      select ${ws}, 'live', 'completed', 'openai', 'gpt-5.6-luna', 3, 1000, 1000, jsonb_build_object('costUsd', 10 + g, 'timeMs', 600000), 'bench', now() - (g || ' days')::interval, now() - (g || ' days')::interval + interval '20 minutes'
      from generate_series(1, 20) g`);
    await db.execute(sql`
      insert into generation_logs (workspace_id, conversation_id, run_id, kind, template_id, template_version, provider, model, cost_usd, input_tokens, output_tokens, duration_ms, user_id, created_at)
      select c.workspace_id, c.id, r.id, 'generate', c.template_id, 1, c.provider, c.model, c.cost_usd / ${CALLS}, 900, 1500, 20000,
             (array['alice','bob','carol'])[1 + (abs(hashtext(c.id::text)) % 3)], c.generated_at - (n || ' minutes')::interval
      from conversations c
      cross join generate_series(1, ${CALLS}) n
      join lateral (select id from generation_runs where workspace_id = c.workspace_id order by started_at offset (abs(hashtext(c.id::text)) % 20) limit 1) r on true
      where c.workspace_id = ${ws} and c.is_seed = false`);
    await db.execute(sql`analyze`);
    const counted = (await db.execute(sql`select count(*)::int as n from generation_logs`)) as unknown as { rows: Array<{ n: number }> };
    const n = counted.rows[0].n;
    console.log(`Seeded ${CONVERSATIONS.toLocaleString("en-US")} conversations and ${n.toLocaleString("en-US")} calls in ${((Date.now() - started) / 1000).toFixed(1)} s. ${describeMachine({ load: true })}`);

    if (process.argv.includes("--parts")) {
      const { recentPeriods } = await import("../src/core/cost/cost-analytics");
      const q = await import("../src/server/db/queries/cost-analytics");
      const r = await import("../src/server/db/queries/run-reports");
      const { from, to } = recentPeriods("month", new Date());
      const parts: Record<string, () => Promise<unknown>> = {
        spendByPeriod: () => q.listSpendByPeriod({ db, workspaceId: ws, period: "month", from, to }),
        breakdown: () => q.listSpendBreakdown({ db, workspaceId: ws, from, to }),
        monthTotal: () => q.getSpendTotal({ db, workspaceId: ws, from, to }),
        finishedRuns: () => r.listFinishedRunCosts({ db, workspaceId: ws, limit: 200 }),
        costOptions: () => q.listCostOptions({ db, workspaceId: ws }),
      };
      for (const [name, run] of Object.entries(parts)) {
        const times: number[] = [];
        for (let i = 0; i < 5; i++) {
          const t0 = performance.now();
          await run();
          times.push(performance.now() - t0);
        }
        console.log(`  part ${name} (month range): ${stats(times)}`);
      }
    }
    for (const period of ["day", "week", "month"] as CostPeriod[]) {
      await loadCostOverview({ db, workspaceId: ws, period });
      const times: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        const t0 = performance.now();
        await loadCostOverview({ db, workspaceId: ws, period });
        times.push(performance.now() - t0);
      }
      console.log(`cost page (loadCostOverview, period=${period}), ${ITERATIONS} runs: ${stats(times)}`);
    }
    const times: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const t0 = performance.now();
      await loadCostHistoryForEstimate({ db, workspaceId: ws, model: "gpt-5.6-luna", simulated: false });
      times.push(performance.now() - t0);
    }
    console.log(`generate dialog cost history (loadCostHistoryForEstimate), ${ITERATIONS} runs: ${stats(times)}`);
  } finally {
    await handle.close();
    await scratch.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
