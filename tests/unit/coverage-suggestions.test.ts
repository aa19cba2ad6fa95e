/**
 * Coverage suggestion rules (issue 13 items 2 and 3): which combinations are recommended and in
 * what order, what dismissing does, which persona × arc is suggested per edge-case category, when a
 * document category is under-represented, and how source-chunk confidence is classified.
 */
import { describe, expect, it } from "vitest";
import {
  edgeCaseCoverage,
  HIGH_CONFIDENCE_ABOVE,
  parseSuggestionKey,
  rankRecommendations,
  RECOMMENDED_RANGE,
  summarizeChunkConfidence,
  suggestionKey,
  underRepresentedCategories,
} from "../../src/core/dataset-coverage/suggestions";
import { COVERAGE_GAP_THRESHOLD } from "../../src/core/dataset-coverage/coverage";

const e = (key: string, name = key.toUpperCase()) => ({ key, name });
const personas = [e("anna", "Anna"), e("bob", "Bob")];
const arcs = [e("fear", "Fear"), e("joy", "Joy")];
const topics = [e("tax", "Tax"), e("home", "Home"), e("kids", "Kids")];

describe("rankRecommendations", () => {
  it("recommends the range 3–5 from the gap threshold and plans up to its lower end", () => {
    expect(RECOMMENDED_RANGE.min).toBe(COVERAGE_GAP_THRESHOLD);
    const list = rankRecommendations({ personas, emotionalArcs: arcs, topics, counts: [{ persona: "anna", emotion: "fear", topic: "tax", count: 1 }], states: new Map() });
    const annaFearTax = [...list.open, ...list.dismissed].find((r) => r.key === "anna|fear|tax");
    expect(list.combinations).toBe(12);
    expect(list.thin).toBe(12);
    expect(list.open).toHaveLength(5);
    // The three empty cells come first, one recommendation each; then the cell with one conversation.
    expect(new Set(list.open.slice(0, 3).map((r) => `${r.persona.key}|${r.arc.key}`))).toEqual(new Set(["anna|joy", "bob|fear", "bob|joy"]));
    expect(list.open[3]).toMatchObject({ persona: { key: "anna" }, arc: { key: "fear" }, count: 0, cellCount: 1 });
    expect(annaFearTax).toBeUndefined(); // its cell is served by a combination with none of its own
    expect(list.open.every((r) => r.recommended.min === 3 && r.recommended.max === 5)).toBe(true);
  });

  it("fills the emptiest cells first, one recommendation per cell before a second", () => {
    const counts = [
      { persona: "anna", emotion: "fear", topic: "tax", count: 2 },
      { persona: "anna", emotion: "joy", topic: "tax", count: 3 },
      { persona: "bob", emotion: "fear", topic: "home", count: 1 },
    ];
    const list = rankRecommendations({ personas, emotionalArcs: arcs, topics, counts, states: new Map(), limit: 4 });
    const cells = list.open.map((r) => `${r.persona.key}|${r.arc.key}`);
    // bob|joy (0) first; then bob|fear (1) and anna|fear (2); anna|joy (3) is not among the first three.
    expect(cells[0]).toBe("bob|joy");
    expect(new Set(cells.slice(0, 3))).toEqual(new Set(["bob|joy", "bob|fear", "anna|fear"]));
    // Then anna|joy and bob|joy both hold 3 (bob|joy with the 3 just recommended): Bob has fewer conversations in all.
    expect(cells[3]).toBe("bob|joy");
    // A combination with 3 is never recommended.
    expect(list.open.some((r) => r.key === "anna|joy|tax")).toBe(false);
    const bobFear = list.open.find((r) => r.persona.key === "bob" && r.arc.key === "fear")!;
    expect(bobFear.topic.key).not.toBe("home"); // the combination with none of its own comes first
    expect(bobFear.toPlan).toBe(3);
    expect(list.thin).toBe(11);
  });

  it("shows the current count and what to plan", () => {
    const list = rankRecommendations({ personas: [e("anna")], emotionalArcs: [e("fear")], topics: [e("tax")], counts: [{ persona: "anna", emotion: "fear", topic: "tax", count: 1 }], states: new Map() });
    expect(list.open).toEqual([expect.objectContaining({ key: "anna|fear|tax", count: 1, cellCount: 1, toPlan: 2, recommended: { min: 3, max: 5 } })]);
  });

  it("leaves dismissed ones out of the top and lists them for restoring", () => {
    const states = new Map([["anna|fear|home", "dismissed" as const]]);
    const list = rankRecommendations({ personas: [e("anna", "Anna")], emotionalArcs: [e("fear", "Fear")], topics, counts: [], states });
    expect(list.open.map((r) => r.key)).not.toContain("anna|fear|home");
    expect(list.dismissed.map((r) => r.key)).toEqual(["anna|fear|home"]);
    expect(list.thin).toBe(3);
  });

  it("ignores counts of entries outside the taxonomy (archived) and offers only allowed combinations", () => {
    const list = rankRecommendations({ personas: [e("anna")], emotionalArcs: [e("fear")], topics: [e("tax")], counts: [{ persona: "old", emotion: "fear", topic: "tax", count: 9 }], states: new Map() });
    expect(list.open.map((r) => r.key)).toEqual(["anna|fear|tax"]);
  });

  it("has nothing to recommend when every combination has 3", () => {
    const counts = [{ persona: "anna", emotion: "fear", topic: "tax", count: 3 }];
    const list = rankRecommendations({ personas: [e("anna")], emotionalArcs: [e("fear")], topics: [e("tax")], counts, states: new Map() });
    expect(list).toEqual({ open: [], dismissed: [], thin: 0, combinations: 1 });
  });
});

describe("suggestion keys", () => {
  it("round-trips persona|arc|third and refuses other shapes", () => {
    expect(parseSuggestionKey(suggestionKey("a", "b", "c"))).toEqual(["a", "b", "c"]);
    expect(parseSuggestionKey("a|b")).toBeNull();
    expect(parseSuggestionKey("a||c")).toBeNull();
  });
});

describe("edgeCaseCoverage", () => {
  const edgeCases = [
    { key: "overwhelm", name: "Emotional Overwhelm", description: "d", testCondition: "t" },
    { key: "boundary", name: "Boundary Testing", description: "d", testCondition: "t" },
  ];
  it("counts tested combinations per category and suggests an untested one whose persona and arc were tested least", () => {
    const counts = [
      { persona: "anna", emotion: "fear", edgeCase: "overwhelm", count: 2 },
      { persona: "anna", emotion: "joy", edgeCase: "boundary", count: 1 },
    ];
    const { categories, rows } = edgeCaseCoverage({ personas, emotionalArcs: arcs, edgeCases, counts, states: new Map() });
    expect(categories.map((c) => c.edgeCase.key)).toEqual(["boundary", "overwhelm"]);
    const overwhelm = categories[1];
    expect(overwhelm).toMatchObject({ tested: 1, done: 0, dismissed: 0, combinations: 4 });
    // Boundary (first by name): Bob × Joy, whose persona and arc were tested least (Bob 0, Joy 1).
    expect(categories[0].next).toMatchObject({ key: "bob|joy|boundary", persona: { key: "bob" }, arc: { key: "joy" } });
    // Overwhelm: Bob × Joy is now suggested once, so Bob × Fear (Bob 1 + Fear 2) ties with it and comes first by name.
    expect(overwhelm.next).toMatchObject({ key: "bob|fear|overwhelm", persona: { key: "bob" }, arc: { key: "fear" } });
    expect(rows).toHaveLength(8);
    expect(rows.find((r) => r.key === "anna|fear|overwhelm")).toMatchObject({ count: 2, state: "tested" });
  });

  it("skips done and dismissed combinations, counts them, and keeps their keys for restoring", () => {
    const states = new Map([
      ["anna|fear|boundary", "done" as const],
      ["anna|joy|boundary", "dismissed" as const],
      ["bob|fear|boundary", "dismissed" as const],
    ]);
    const { categories } = edgeCaseCoverage({ personas, emotionalArcs: arcs, edgeCases: [edgeCases[1]], counts: [], states });
    expect(categories[0]).toMatchObject({ tested: 0, done: 1, dismissed: 2, next: { key: "bob|joy|boundary" } });
    expect(categories[0].closedKeys.sort()).toEqual(["anna|fear|boundary", "anna|joy|boundary", "bob|fear|boundary"]);
    const allClosed = edgeCaseCoverage({ personas, emotionalArcs: arcs, edgeCases: [edgeCases[1]], counts: [], states: new Map([...states, ["bob|joy|boundary", "done" as const]]) });
    expect(allClosed.categories[0].next).toBeNull();
  });
});

describe("underRepresentedCategories", () => {
  it("warns when a category's share of conversations is under half its share of chunks", () => {
    const warnings = underRepresentedCategories([
      { category: "Complete Systems", chunks: 50, conversations: 18 },
      { category: "Client Stories", chunks: 30, conversations: 1 },
      { category: "Strategies", chunks: 20, conversations: 1 },
    ]);
    // Client Stories: 5% of conversations against 30% expected; Strategies: 5% against 20% (both < half).
    expect(warnings.map((w) => w.category)).toEqual(["Client Stories", "Strategies"]);
    expect(warnings[0].conversationShare).toBeCloseTo(0.05);
    expect(warnings[0].expectedShare).toBeCloseTo(0.3);
  });

  it("does not warn at half the expected share or more, nor before any conversation", () => {
    expect(underRepresentedCategories([{ category: "A", chunks: 50, conversations: 3 }, { category: "B", chunks: 50, conversations: 1 }])).toEqual([]);
    expect(underRepresentedCategories([{ category: "A", chunks: 50, conversations: 0 }])).toEqual([]);
  });

  it("uses the plan's category weights when weighting is on; weight 0 is never warned", () => {
    const inputs = [
      { category: "A", chunks: 10, conversations: 9 },
      { category: "B", chunks: 90, conversations: 1 },
      { category: "C", chunks: 10, conversations: 0 },
    ];
    // By chunks B (82%) would be warned; weighted 3 / 1 / 0, B expects 25% and has 10%: warned too, C never.
    const weighted = underRepresentedCategories(inputs, { A: 3, B: 1, C: 0 });
    expect(weighted.map((w) => [w.category, Math.round(w.expectedShare * 100)])).toEqual([["B", 25]]);
    expect(underRepresentedCategories(inputs, { a: 1, b: 0.1, c: 0 })).toEqual([]); // B expects 9% and has 10%
  });
});

describe("summarizeChunkConfidence", () => {
  it("splits at US10.2.2's 'confidence > 8': above is high, 8 or less low, missing or non-numeric unknown", () => {
    expect(HIGH_CONFIDENCE_ABOVE).toBe(8);
    const summary = summarizeChunkConfidence([
      { confidence: 9, count: 4 },
      { confidence: "8.5", count: 1 },
      { confidence: 8, count: 2 },
      { confidence: 3, count: 1 },
      { confidence: null, count: 5 },
      { confidence: "high", count: 1 },
    ]);
    expect(summary).toEqual({ high: 5, low: 3, unknown: 6, total: 14 });
  });
});
