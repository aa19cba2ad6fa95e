import { describe, expect, it } from "vitest";
import { splitTotal } from "../../src/core/planning/create-plan";
import { planConversations, type PlanInputs } from "../../src/core/planning/plan-conversations";

const keys = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ key: `${prefix}-${i + 1}` }));

function inputs(overrides: Partial<PlanInputs> = {}): PlanInputs {
  return {
    personas: keys("persona", 6),
    emotionalArcs: ["triumph", "struggle-to-success", "steady-confidence", "anxiety-to-relief", "discovery"].map((key) => ({ key, enabled: true })),
    topics: Array.from({ length: 8 }, (_, i) => ({ key: `topic-${i + 1}`, name: `Topic ${i + 1}`, keyTerms: [`term${i + 1}`] })),
    intents: keys("intent", 6),
    tones: keys("tone", 5),
    scenarios: Array.from({ length: 12 }, (_, i) => ({ key: `scenario-${i + 1}`, chunkKey: `doc#${i}`, personaKey: i % 3 === 0 ? "persona-1" : null, emotionalArcKey: null, topicKey: null })),
    edgeCaseCategories: keys("edge", 6),
    chunks: Array.from({ length: 20 }, (_, i) => ({ key: `doc#${i}`, keyTerms: [`term${(i % 8) + 1}`], content: `About term${(i % 8) + 1}.` })),
    ...overrides,
  };
}

function tally(values: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

describe("planning", () => {
  it("plans 40 / 35 / 15 by default, numbered from 1", () => {
    const slots = planConversations(inputs());
    expect(slots).toHaveLength(90);
    expect(slots.map((s) => s.slot)).toEqual(Array.from({ length: 90 }, (_, i) => i + 1));
    expect(tally(slots.map((s) => s.tier))).toEqual(new Map([["template", 40], ["scenario", 35], ["edge_case", 15]]));
  });

  it("spreads tier 1 evenly over the enabled arcs (8 each of 40)", () => {
    const tier1 = planConversations(inputs()).filter((s) => s.tier === "template");
    expect([...tally(tier1.map((s) => s.emotion)).values()]).toEqual([8, 8, 8, 8, 8]);
  });

  it("uses only enabled arcs", () => {
    const arcs = inputs().emotionalArcs.map((a) => ({ ...a, enabled: a.key !== "discovery" }));
    const slots = planConversations(inputs({ emotionalArcs: arcs }));
    expect(slots.some((s) => s.emotion === "discovery")).toBe(false);
    expect([...tally(slots.filter((s) => s.tier === "template").map((s) => s.emotion)).values()]).toEqual([10, 10, 10, 10]);
  });

  it("repeats no persona × arc × topic combination before all have appeared once", () => {
    // 2 personas × 2 arcs × 2 topics = 8 combinations, 20 slots.
    const small = inputs({
      personas: keys("persona", 2),
      emotionalArcs: [{ key: "a", enabled: true }, { key: "b", enabled: true }],
      topics: [{ key: "t1", name: "T1", keyTerms: [] }, { key: "t2", name: "T2", keyTerms: [] }],
      scenarios: [],
      split: { template: 20, scenario: 0, edge_case: 0 },
    });
    const combos = planConversations(small).map((s) => `${s.persona}|${s.emotion}|${s.topic}`);
    expect(new Set(combos.slice(0, 8)).size).toBe(8);
    expect(new Set(combos.slice(8, 16)).size).toBe(8);
  });

  it("keeps personas, topics, intents and tones balanced within one of each other", () => {
    const slots = planConversations(inputs());
    for (const dimension of ["persona", "topic", "intent", "tone"] as const) {
      const counts = [...tally(slots.map((s) => s[dimension])).values()];
      expect(Math.max(...counts) - Math.min(...counts), dimension).toBeLessThanOrEqual(dimension === "persona" ? 3 : 1);
    }
  });

  it("takes tier 2 from the scenario library with each scenario's chunk and fixed persona, tier 3 from every edge-case category", () => {
    const slots = planConversations(inputs());
    const tier2 = slots.filter((s) => s.tier === "scenario");
    expect(new Set(tier2.map((s) => s.scenarioKey)).size).toBe(12);
    for (const slot of tier2) {
      const index = Number(slot.scenarioKey?.split("-")[1]) - 1;
      expect(slot.chunkKey).toBe(`doc#${index}`);
    }
    const firstRound = tier2.slice(0, 12);
    for (const slot of firstRound.filter((s) => ["scenario-1", "scenario-4", "scenario-7", "scenario-10"].includes(s.scenarioKey as string))) {
      expect(slot.persona).toBe("persona-1");
    }
    const tier3 = slots.filter((s) => s.tier === "edge_case");
    expect(new Set(tier3.map((s) => s.edgeCaseKey)).size).toBe(6);
    expect(slots.every((s) => s.chunkKey)).toBe(true);
  });

  it("links tier 1 slots to chunks matching the topic's key terms", () => {
    const tier1 = planConversations(inputs()).filter((s) => s.tier === "template");
    for (const slot of tier1) {
      const topicNumber = Number(slot.topic.split("-")[1]);
      const chunkNumber = Number(slot.chunkKey.split("#")[1]);
      expect((chunkNumber % 8) + 1).toBe(topicNumber);
    }
  });

  it("is deterministic", () => {
    expect(planConversations(inputs())).toEqual(planConversations(inputs()));
  });

  it("says what to import when a tier cannot be planned", () => {
    expect(() => planConversations(inputs({ scenarios: [] }))).toThrow(/scenarios/);
    expect(() => planConversations(inputs({ personas: [] }))).toThrow(/personas/);
  });

  it("splits a total 40/35/15 by largest remainder", () => {
    expect(splitTotal(90)).toEqual({ template: 40, scenario: 35, edge_case: 15 });
    expect(splitTotal(100)).toEqual({ template: 44, scenario: 39, edge_case: 17 });
    expect(Object.values(splitTotal(7)).reduce((a, b) => a + b, 0)).toBe(7);
  });
});
