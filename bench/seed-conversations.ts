// The conversations every table-sized benchmark starts from (bench/table.ts, bench/issue13-pages.ts).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { importPath } from "../src/core/import/import-workspace";
import type { DatabaseHandle } from "../src/server/db/client";
import { createWorkspace } from "../src/server/workspaces";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SAMPLE = path.join(ROOT, "examples/financial-planning");

/** The slug of the workspace the benchmarks seed (its pages are /w/<slug>). */
export const BENCH_SLUG = "bench-business";

/**
 * Seeds a workspace `slug` with the financial-planning sample (through the normal importer) and
 * `count` conversations and their turns with set-based SQL (bench/table.ts, bench/issue13-pages.ts).
 * Deterministic (setseed). Times in ms.
 */
export async function seedConversations(handle: DatabaseHandle, count: number, slug = BENCH_SLUG): Promise<{ workspaceId: string; conversations: number; turns: number; ms: number }> {
  const started = performance.now();
  const workspaceId = (await createWorkspace(handle.db, { name: "Bench business", slug })).id;
  await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:bench" });
  await handle.executeSql(`select setseed(0.42)`);
  // Status mix of a workspace mid-review; quality only where a conversation was generated;
  // 10–19 turns where generated (≈ 79 % of rows → ≈ 1.2 M turns per 100 k); template and
  // scenario conversations (≈ 83 %) link a random chunk of the sample and its document.
  await handle.executeSql(
    `insert into conversations (workspace_id, conversation_id, title, persona, emotion, topic, intent, tone, tier, status, quality_score,
       turn_count, source_category, plan_slot, created_at, updated_at, generated_at, last_error, chunk_id, document_id)
     select $2::uuid, 'bench-' || lpad(g::text, 6, '0'), s.title, s.persona, s.emotion, s.topic, s.intent, s.tone, s.tier, s.status,
       case when s.status in ('generated', 'approved', 'rejected') then round((1 + random() * 9)::numeric, 1)::float8 end,
       case when s.status in ('generated', 'approved', 'rejected', 'failed') then 10 + floor(random() * 10)::int else 0 end,
       s.source, g, s.created, s.created + interval '1 hour',
       case when s.status in ('generated', 'approved', 'rejected') then s.created + interval '10 minutes' end,
       case when s.status = 'failed' then '{"code":"malformed_response","message":"The model replied with text that is not JSON.","retryable":true,"detail":{}}'::jsonb end,
       s.chunk_id, s.document_id
     from generate_series(1, $1::int) g
     cross join lateral (
       select
         (select array_agg(key order by key) from personas) as personas,
         (select array_agg(key order by key) from emotional_arcs) as arcs,
         (select array_agg(key order by key) from topics) as topics,
         (select array_agg(key order by key) from intents) as intents,
         (select array_agg(key order by key) from tones) as tones,
         (select array_agg(distinct category) from documents) as sources,
         (select array_agg(id order by key) from chunks) as chunk_ids,
         (select array_agg(document_id order by key) from chunks) as chunk_documents,
         random() as r1, random() as r2, random() as r3, g as gg
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
         -- Template and scenario conversations are planned from a chunk (as createPlan does); edge cases from none.
         case when k.r1 < 0.83 then k.chunk_ids[1 + floor(k.r3 * cardinality(k.chunk_ids))::int] end as chunk_id,
         case when k.r1 < 0.83 then k.chunk_documents[1 + floor(k.r3 * cardinality(k.chunk_documents))::int] end as document_id,
         case when k.r2 < 0.20 then 'not_generated' when k.r2 < 0.21 then 'generating' when k.r2 < 0.61 then 'generated'
              when k.r2 < 0.86 then 'approved' when k.r2 < 0.93 then 'rejected' else 'failed' end as status,
         'Conversation ' || k.gg || ': a client question worked through step by step' as title,
         timestamptz '2026-09-01' + (k.gg * interval '1 minute') as created
     ) s`,
    [count, workspaceId],
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
  return { workspaceId, conversations: convs, turns, ms: performance.now() - started };
}
