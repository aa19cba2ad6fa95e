import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateNow as runGeneration } from "../support/generate-now";
import { importPath } from "../../src/core/import/import-workspace";
import { createSimulatedProvider } from "../../src/core/llm/simulated-provider";
import { createPlan } from "../../src/core/planning/create-plan";
import { reviewConversations } from "../../src/core/review/review-conversations";
import type { ConversationFilter } from "../../src/lib/conversation-filter";
import type { ConversationSort } from "../../src/lib/conversation-table-params";
import type { DatabaseHandle } from "../../src/server/db/client";
import {
  countConversationFacets,
  explainListConversations,
  listConversations,
  type ConversationListRow,
} from "../../src/server/db/queries/conversation-list";
import { listTaxonomyOptions } from "../../src/server/db/queries/taxonomy";
import { chunks, conversations, personas } from "../../src/server/db/schema";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
let handle: DatabaseHandle;
let workspaceId: string;
/** Every conversation, read with one page big enough for all: the oracle the filtered pages are checked against. */
let all: ConversationListRow[];

const BY_CREATED: ConversationSort = { column: "created_at", direction: "desc" };

async function everything(filter: ConversationFilter = {}, search?: string, sort: ConversationSort = BY_CREATED) {
  const result = await listConversations({ db: handle.db, workspaceId, filter, search, sort, page: 1, perPage: 500 });
  return result;
}

const ids = (rows: ConversationListRow[]) => rows.map((r) => r.conversationId);

describe(`conversation table list query (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 12, scenario: 10, edge_case: 6 } });
    await runGeneration({ handle, selection: { all: true }, provider: createSimulatedProvider(), model: "simulated-composer-1", userId: "local:test", concurrency: 3 });
    await reviewConversations({ db: handle.db, workspaceId, action: "approve", ids: ["tmpl-001", "tmpl-002", "scen-001"], reviewerId: "local:test" });
    await reviewConversations({ db: handle.db, workspaceId, action: "reject", ids: ["tmpl-003"], reviewerId: "local:test" });
    // One failure with an error code, as a failed generation leaves it.
    await handle.db
      .update(conversations)
      .set({ status: "failed", qualityScore: null, lastError: { code: "malformed_response", message: "Not JSON.", retryable: true, detail: {} } })
      .where(eq(conversations.conversationId, "edge-006"));
    all = (await everything()).rows;
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("lists every conversation of the sample with display names, and pages through them without gaps or repeats", async () => {
    expect(all).toHaveLength(38); // 28 planned + 10 seeds
    const row = all.find((r) => r.conversationId === "tmpl-001")!;
    const [persona] = await handle.db.select().from(personas).where(eq(personas.key, row.persona));
    expect(row.personaName).toBe(persona.name);
    expect(row).toMatchObject({ status: "approved", isSeed: false, tier: "template", lastErrorCode: null });
    expect(row.turnCount).toBeGreaterThan(0);
    expect(row.generatedAt).toBeInstanceOf(Date);
    expect(all.find((r) => r.conversationId === "edge-006")).toMatchObject({ status: "failed", lastErrorCode: "malformed_response" });

    const seen: string[] = [];
    for (const page of [1, 2]) {
      const result = await listConversations({ db: handle.db, workspaceId, filter: {}, sort: { column: "quality_score", direction: "desc" }, page, perPage: 25 });
      expect(result).toMatchObject({ total: 38, page, perPage: 25 });
      expect(result.rows).toHaveLength(page === 1 ? 25 : 13);
      seen.push(...ids(result.rows));
    }
    expect(new Set(seen).size).toBe(38);

    const past = await listConversations({ db: handle.db, workspaceId, filter: {}, sort: BY_CREATED, page: 5, perPage: 25 });
    expect(past).toMatchObject({ rows: [], total: 38 });
  });

  it("ANDs filters across dimensions and ORs values within one ('Showing N of 38')", async () => {
    const [p1, p2] = [...new Set(all.map((r) => r.persona))];
    const filter: ConversationFilter = { persona: [p1, p2], tier: ["template", "scenario"] };
    const result = await everything(filter);
    const expected = all.filter((r) => (r.persona === p1 || r.persona === p2) && (r.tier === "template" || r.tier === "scenario"));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    expect(result.total).toBe(expected.length);
    expect(ids(result.rows).sort()).toEqual(ids(expected).sort());

    const reviewed = await everything({ status: ["approved", "rejected"], isSeed: false, minQuality: 1, maxQuality: 10 });
    expect(ids(reviewed.rows).sort()).toEqual(["scen-001", "tmpl-001", "tmpl-002", "tmpl-003"]);

    const emotion = all[0].emotion;
    const topic = all.find((r) => r.emotion === emotion)!.topic;
    const both = await everything({ emotion: [emotion], topic: [topic], status: ["generated", "approved"] });
    expect(ids(both.rows).sort()).toEqual(
      ids(all.filter((r) => r.emotion === emotion && r.topic === topic && (r.status === "generated" || r.status === "approved"))).sort(),
    );
  });

  it("filters by quality range, counting unscored conversations out", async () => {
    const high = await everything({ minQuality: 8, maxQuality: 10 });
    const expected = all.filter((r) => r.qualityScore !== null && r.qualityScore >= 8 && r.qualityScore <= 10);
    expect(high.total).toBe(expected.length);
    expect(high.rows.every((r) => r.qualityScore !== null && r.qualityScore >= 8)).toBe(true);
  });

  it("sorts both ways by quality with unscored last and a stable tiebreak on id", async () => {
    for (const direction of ["asc", "desc"] as const) {
      const result = await everything({}, undefined, { column: "quality_score", direction });
      const sign = direction === "asc" ? 1 : -1;
      const expected = [...all].sort((a, b) => {
        if (a.qualityScore === null || b.qualityScore === null) {
          if (a.qualityScore !== b.qualityScore) return a.qualityScore === null ? 1 : -1;
        } else if (a.qualityScore !== b.qualityScore) return sign * (a.qualityScore - b.qualityScore);
        return sign * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      });
      expect(result.rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
      expect(result.rows.at(-1)!.qualityScore).toBeNull(); // edge-006 failed, unscored
    }
  });

  it("sorts by persona name and by conversation id, and reverses exactly", async () => {
    const asc = await everything({}, undefined, { column: "persona", direction: "asc" });
    const names = asc.rows.map((r) => r.personaName);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const desc = await everything({}, undefined, { column: "persona", direction: "desc" });
    expect(desc.rows.map((r) => r.id)).toEqual(asc.rows.map((r) => r.id).reverse());

    const byId = await everything({}, undefined, { column: "conversation_id", direction: "asc" });
    expect(ids(byId.rows)).toEqual([...ids(all)].sort());
  });

  it("searches conversation ids, titles and taxonomy names case-insensitively, with % and _ taken literally", async () => {
    const seeds = await everything({}, "SEED-00");
    expect(ids(seeds.rows).sort()).toEqual(ids(all.filter((r) => r.conversationId.startsWith("seed-00"))).sort());

    const someone = all.find((r) => r.conversationId === "scen-002")!;
    const word = someone.personaName.split(" ").at(-1)!.toLowerCase();
    const byName = await everything({}, word);
    expect(byName.rows.length).toBeGreaterThan(0);
    expect(byName.rows.map((r) => r.id)).toContain(someone.id);
    for (const row of byName.rows) {
      const haystack = [row.conversationId, row.title ?? "", row.personaName, row.emotionName, row.topicName, row.intentName, row.toneName].join(" ").toLowerCase();
      expect(haystack).toContain(word);
    }

    const haystack = (r: ConversationListRow) =>
      [r.conversationId, r.title ?? "", r.personaName, r.emotionName, r.topicName, r.intentName, r.toneName].join(" ").toLowerCase();
    const percent = await everything({}, "%");
    expect(percent.total).toBe(all.filter((r) => haystack(r).includes("%")).length);
    expect(percent.total).toBeLessThan(all.length);
    expect((await everything({}, "seed_001")).total).toBe(0); // "_" is not a wildcard: seed-001 does not match
    const combined = await everything({ tier: ["edge_case"] }, "edge-00");
    expect(ids(combined.rows).sort()).toEqual(["edge-001", "edge-002", "edge-003", "edge-004", "edge-005", "edge-006"]);
  });

  it("counts facet values under the other filters but not their own dimension", async () => {
    const facets = await countConversationFacets({ db: handle.db, workspaceId, filter: { status: ["approved"], tier: ["template"] } });
    const templates = all.filter((r) => r.tier === "template");
    const approved = all.filter((r) => r.status === "approved");
    const statusCounts: Record<string, number> = {};
    for (const r of templates) statusCounts[r.status] = (statusCounts[r.status] ?? 0) + 1;
    expect(facets.status).toEqual(statusCounts);
    expect(facets.status.rejected).toBe(1);
    const tierCounts: Record<string, number> = {};
    for (const r of approved) tierCounts[r.tier] = (tierCounts[r.tier] ?? 0) + 1;
    expect(facets.tier).toEqual(tierCounts);
    const both = all.filter((r) => r.status === "approved" && r.tier === "template");
    const personaCounts: Record<string, number> = {};
    for (const r of both) personaCounts[r.persona] = (personaCounts[r.persona] ?? 0) + 1;
    expect(facets.persona).toEqual(personaCounts);

    const unfiltered = await countConversationFacets({ db: handle.db, workspaceId, filter: {} });
    const bandTotal = Object.values(unfiltered.quality).reduce((a, b) => a + b, 0);
    expect(bandTotal).toBe(38);
    expect(unfiltered.quality.unscored).toBe(1);
    expect(unfiltered.status.failed).toBe(1);
    // Counted in one grouping-sets scan: every dimension still adds up to the whole dataset, value by value.
    for (const [dimension, key] of [["persona", "persona"], ["emotion", "emotion"], ["topic", "topic"], ["intent", "intent"], ["tone", "tone"], ["tier", "tier"]] as const) {
      const expected: Record<string, number> = {};
      for (const r of all) expected[r[key]] = (expected[r[key]] ?? 0) + 1;
      expect(unfiltered[dimension]).toEqual(expected);
    }
    const sources: Record<string, number> = {};
    for (const r of all) sources[r.sourceCategory ?? ""] = (sources[r.sourceCategory ?? ""] ?? 0) + 1;
    expect(unfiltered.sourceCategory).toEqual(sources);
  });

  it("filters by the source chunk's dimensions: OR within a dimension, AND across them and with the other filters", async () => {
    // The oracle: each conversation's chunk dimensions, read directly.
    const linked = await handle.db
      .select({ id: conversations.conversationId, tier: conversations.tier, dimensions: chunks.dimensions })
      .from(conversations)
      .leftJoin(chunks, eq(chunks.id, conversations.chunkId));
    const dims = new Map(linked.map((r) => [r.id, r.dimensions ?? null]));
    const expected = (test: (d: Record<string, unknown>) => boolean) => linked.filter((r) => r.dimensions && test(r.dimensions)).map((r) => r.id).sort();
    const levels = [...new Set(linked.flatMap((r) => (r.dimensions ? [String(r.dimensions.audience_level)] : [])))].sort();
    expect(levels.length, "the sample's chunks have more than one audience level").toBeGreaterThan(1);
    const [level, other] = levels;

    const one = await everything({ chunkDimension: { audience_level: [level] } });
    expect(ids(one.rows).sort()).toEqual(expected((d) => d.audience_level === level));
    expect(one.total).toBeGreaterThan(0);
    expect(one.total).toBeLessThan(all.length);
    // Conversations without a chunk (none planned from one) never match.
    expect(one.rows.every((r) => dims.get(r.conversationId) !== null)).toBe(true);

    const either = await everything({ chunkDimension: { audience_level: [level, other] } });
    expect(ids(either.rows).sort()).toEqual(expected((d) => d.audience_level === level || d.audience_level === other));

    const type = String(dims.get(one.rows[0].conversationId)?.content_type);
    const both = await everything({ chunkDimension: { audience_level: [level], content_type: [type] }, tier: ["template"] });
    expect(ids(both.rows).sort()).toEqual(
      expected((d) => d.audience_level === level && d.content_type === type).filter((id) => linked.find((r) => r.id === id)?.tier === "template"),
    );

    // A flag is matched as the text "true" / "false".
    const withNumbers = await everything({ chunkDimension: { has_numbers: ["true"] } });
    expect(ids(withNumbers.rows).sort()).toEqual(expected((d) => d.has_numbers === true));
    // A dimension no chunk has matches nothing (it does not fail).
    expect((await everything({ chunkDimension: { expertise_level: ["advanced"] } })).total).toBe(0);
    // An empty list is no filter.
    expect((await everything({ chunkDimension: { audience_level: [] } })).total).toBe(all.length);
  });

  it("counts chunk dimension values for the filter menus, each under the other filters but not its own", async () => {
    const linked = await handle.db
      .select({ id: conversations.conversationId, status: conversations.status, dimensions: chunks.dimensions })
      .from(conversations)
      .innerJoin(chunks, eq(chunks.id, conversations.chunkId));
    const tally = (rows: typeof linked, name: string) => {
      const out: Record<string, number> = {};
      for (const r of rows) out[String(r.dimensions[name])] = (out[String(r.dimensions[name])] ?? 0) + 1;
      return out;
    };
    const unfiltered = await countConversationFacets({ db: handle.db, workspaceId, filter: {} });
    expect(unfiltered.chunkDimension.audience_level).toEqual(tally(linked, "audience_level"));
    expect(unfiltered.chunkDimension.has_numbers).toEqual(tally(linked, "has_numbers"));
    // Numbers (word count, reading time) are not filter menus.
    expect(unfiltered.chunkDimension.word_count).toBeUndefined();
    expect(unfiltered.chunkDimension.reading_time_s).toBeUndefined();

    const level = Object.keys(unfiltered.chunkDimension.audience_level)[0];
    const filtered = await countConversationFacets({ db: handle.db, workspaceId, filter: { chunkDimension: { audience_level: [level] }, status: ["generated", "approved"] } });
    const inStatus = linked.filter((r) => r.status === "generated" || r.status === "approved");
    // Its own dimension: every level, under the status filter only (ticking another level adds these).
    expect(filtered.chunkDimension.audience_level).toEqual(tally(inStatus, "audience_level"));
    // Another chunk dimension and a plain facet: under both filters.
    const matching = inStatus.filter((r) => r.dimensions.audience_level === level);
    expect(filtered.chunkDimension.content_type).toEqual(tally(matching, "content_type"));
    const statusCounts: Record<string, number> = {};
    for (const r of linked.filter((r) => r.dimensions.audience_level === level)) statusCounts[r.status] = (statusCounts[r.status] ?? 0) + 1;
    expect(filtered.status).toEqual(statusCounts);

    // The menus list every string or flag dimension the chunks have, values in their natural order.
    const options = await listTaxonomyOptions({ db: handle.db, workspaceId });
    const names = options.chunkDimensions.map((d) => d.name);
    expect(names).toEqual(["audience_level", "content_type", "emotional_valence", "has_numbers"]);
    const levels = options.chunkDimensions[0].values;
    expect(levels).toEqual(["beginner", "intermediate", "advanced"].filter((v) => levels.includes(v)));
    expect(options.chunkDimensions[3].values).toEqual(["true", "false"].filter((v) => options.chunkDimensions[3].values.includes(v)));
  });

  it("explains its plan (query plan analysis for the table)", async () => {
    const plan = await explainListConversations({ db: handle.db, workspaceId, filter: { status: ["generated"] }, sort: BY_CREATED, page: 1, perPage: 25 });
    expect(plan.join("\n")).toMatch(/conversations/);
    expect(plan.join("\n")).toMatch(/Execution Time/);
  });
});
