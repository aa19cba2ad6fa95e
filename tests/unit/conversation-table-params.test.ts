import { describe, expect, it } from "vitest";
import {
  defaultConversationTableState,
  parseConversationTableParams,
  serializeConversationTableParams,
  type ConversationTableState,
} from "../../src/lib/conversation-table-params";

const parse = (query: string) => parseConversationTableParams(new URLSearchParams(query));

describe("conversation table URL params", () => {
  it("gives the default view for an empty URL", () => {
    expect(parse("")).toEqual({
      state: { filter: {}, search: "", sort: { column: "conversation_id", direction: "asc" }, page: 1, perPage: 25 },
      issues: [],
    });
    expect(serializeConversationTableParams(defaultConversationTableState()).toString()).toBe("");
  });

  it("reads every filter, the search, the sort and the page from a bookmarked URL", () => {
    const { state, issues } = parse(
      "q=+retire+&persona=cautious-pre-retiree,busy-young-family&emotion=triumph&topic=debt-payoff&intent=learn-concept&tone=calm-grounding" +
        "&tier=template,scenario&status=generated&source=Client%20Stories&quality=6-10&sort=quality_score.desc&page=3&perPage=50",
    );
    expect(issues).toEqual([]);
    expect(state).toEqual({
      filter: {
        persona: ["cautious-pre-retiree", "busy-young-family"],
        emotion: ["triumph"],
        topic: ["debt-payoff"],
        intent: ["learn-concept"],
        tone: ["calm-grounding"],
        sourceCategory: ["Client Stories"],
        tier: ["template", "scenario"],
        status: ["generated"],
        minQuality: 6,
        maxQuality: 10,
      },
      search: "retire",
      sort: { column: "quality_score", direction: "desc" },
      page: 3,
      perPage: 50,
    });
  });

  it("round-trips a state through the URL unchanged", () => {
    const state: ConversationTableState = {
      filter: { status: ["approved", "rejected"], tier: ["edge_case"], persona: ["a", "b"], minQuality: 6.5, maxQuality: 8 },
      search: "roth conversion",
      sort: { column: "turn_count", direction: "asc" },
      page: 2,
      perPage: 100,
    };
    const url = serializeConversationTableParams(state).toString();
    expect(parse(url)).toEqual({ state, issues: [] });
  });

  it("writes params in a fixed order and leaves out defaults, so equal views share a URL", () => {
    const params = serializeConversationTableParams({
      filter: { tier: ["template"], persona: ["x"], minQuality: 8 },
      sort: { column: "conversation_id", direction: "asc" },
      page: 1,
      perPage: 25,
    });
    expect([...params.keys()]).toEqual(["persona", "tier", "quality"]);
    expect(params.get("quality")).toBe("8-");
  });

  it("accepts open and single-value quality ranges", () => {
    expect(parse("quality=8-").state.filter).toEqual({ minQuality: 8 });
    expect(parse("quality=-5.5").state.filter).toEqual({ maxQuality: 5.5 });
    expect(parse("quality=7").state.filter).toEqual({ minQuality: 7, maxQuality: 7 });
    expect(serializeConversationTableParams({ filter: { minQuality: 7, maxQuality: 7 } }).get("quality")).toBe("7");
  });

  it("falls back to defaults for a bad bookmark and says what it ignored", () => {
    const { state, issues } = parse("status=generated,bogus&tier=premium&sort=drop_table.desc&page=0&perPage=30&quality=9-3");
    expect(state).toEqual({ ...defaultConversationTableState(), filter: { status: ["generated"] } });
    expect(issues.map((i) => [i.param, i.value])).toEqual([
      ["tier", "premium"],
      ["status", "bogus"],
      ["quality", "9-3"],
      ["sort", "drop_table.desc"],
      ["page", "0"],
      ["perPage", "30"],
    ]);
    expect(issues.every((i) => i.message.length > 10)).toBe(true);
  });

  it("only sorts by whitelisted column ids and directions", () => {
    expect(parse("sort=persona.asc").state.sort).toEqual({ column: "persona", direction: "asc" });
    for (const bad of ["title.asc", "quality_score.sideways", "quality_score", "quality_score.desc;drop", "id.desc"]) {
      const { state, issues } = parse(`sort=${encodeURIComponent(bad)}`);
      expect(state.sort).toEqual({ column: "conversation_id", direction: "asc" });
      expect(issues).toHaveLength(1);
    }
  });

  it("rejects quality scores outside 1–10 and non-numeric pages", () => {
    expect(parse("quality=0-10").issues).toHaveLength(1);
    expect(parse("quality=5-11").state.filter).toEqual({});
    expect(parse("quality=high").issues).toHaveLength(1);
    expect(parse("page=2.5").state.page).toBe(1);
    expect(parse("page=abc").issues[0].param).toBe("page");
  });

  it("drops empty and duplicate list values, and joins repeated params", () => {
    expect(parse("persona=a,,a,%20b%20").state.filter).toEqual({ persona: ["a", "b"] });
    expect(parse("tier=template&tier=scenario").state.filter).toEqual({ tier: ["template", "scenario"] });
    expect(parse("persona=").state.filter).toEqual({});
  });

  it("reads Next.js searchParams records as well as URLSearchParams", () => {
    const { state } = parseConversationTableParams({ status: ["failed", "generated"], perPage: "100", q: undefined });
    expect(state.filter.status).toEqual(["failed", "generated"]);
    expect(state.perPage).toBe(100);
  });

  it("cuts an over-long search and reports it", () => {
    const { state, issues } = parse(`q=${"x".repeat(250)}`);
    expect(state.search).toHaveLength(200);
    expect(issues[0].param).toBe("q");
  });

  it("reads the chunk-dimension filter as dimension:value items, OR within a dimension and AND across, and writes it back in one order", () => {
    const { state, issues } = parse("chunk=content_type:narrative,audience_level:advanced,audience_level:intermediate,has_numbers:true&tier=template");
    expect(issues).toEqual([]);
    expect(state.filter).toEqual({
      chunkDimension: { content_type: ["narrative"], audience_level: ["advanced", "intermediate"], has_numbers: ["true"] },
      tier: ["template"],
    });
    // Dimension names A–Z, so the same view always has the same URL; it parses back to the same filter.
    const url = serializeConversationTableParams(state).toString();
    expect(decodeURIComponent(url)).toBe("chunk=audience_level:advanced,audience_level:intermediate,content_type:narrative,has_numbers:true&tier=template");
    expect(parse(url).state.filter).toEqual(state.filter);
    // A value may hold ":" (only the first one separates the name); repeated items count once.
    expect(parse("chunk=source:10:30,source:10:30").state.filter).toEqual({ chunkDimension: { source: ["10:30"] } });
  });

  it("ignores chunk-dimension items that are not dimension:value, and says so", () => {
    const { state, issues } = parse(`chunk=advanced,:x,audience_level:,bad name:x,${"n".repeat(65)}:x,audience_level:beginner`);
    expect(state.filter).toEqual({ chunkDimension: { audience_level: ["beginner"] } });
    expect(issues.map((i) => i.value)).toEqual(["advanced", ":x", "audience_level:", "bad name:x", `${"n".repeat(65)}:x`]);
    expect(issues[0].message).toMatch(/dimension:value \(e\.g\. audience_level:advanced\)/);
    expect(serializeConversationTableParams({ filter: { chunkDimension: { audience_level: [] } } }).toString()).toBe("");
  });
});
