/**
 * Pinned slots (the Coverage page's "Generate Recommended" and "Generate Suggested Edge Cases"):
 * each request's persona, arc, topic and edge-case category are kept, the rest balanced; a value the
 * active taxonomy does not offer is refused with its name.
 */
import { describe, expect, it } from "vitest";
import { planPinnedSlots, type PlanInputs } from "../../src/core/planning/plan-conversations";

const keys = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ key: `${prefix}-${i + 1}` }));

const inputs: PlanInputs = {
  personas: keys("persona", 3),
  emotionalArcs: [
    { key: "fear", enabled: true },
    { key: "joy", enabled: true },
    { key: "off", enabled: false },
  ],
  topics: Array.from({ length: 4 }, (_, i) => ({ key: `topic-${i + 1}`, name: `Topic ${i + 1}`, keyTerms: [`term${i + 1}`] })),
  intents: keys("intent", 3),
  tones: keys("tone", 3),
  scenarios: [],
  edgeCaseCategories: keys("edge", 2),
  chunks: Array.from({ length: 8 }, (_, i) => ({ key: `doc#${i}`, keyTerms: [`term${(i % 4) + 1}`], content: `About term${(i % 4) + 1}.` })),
};

describe("planPinnedSlots", () => {
  it("keeps each request's persona, arc and topic, and varies intent and chunk across repeats", () => {
    const slots = planPinnedSlots(inputs, Array.from({ length: 3 }, () => ({ tier: "template" as const, persona: "persona-2", arc: "joy", topic: "topic-3" })));
    expect(slots).toHaveLength(3);
    expect(slots.every((s) => s.tier === "template" && s.persona === "persona-2" && s.emotion === "joy" && s.topic === "topic-3" && s.edgeCaseKey === null)).toBe(true);
    expect(new Set(slots.map((s) => s.intent)).size).toBe(3);
    // Each has a source chunk, the two chunks about the topic's key term first.
    expect(slots.slice(0, 2).map((s) => s.chunkKey).sort()).toEqual(["doc#2", "doc#6"]);
  });

  it("plans edge-case slots of the requested category with the least-used topic", () => {
    const slots = planPinnedSlots(inputs, [
      { tier: "edge_case", persona: "persona-1", arc: "fear", topic: null, edgeCaseKey: "edge-2" },
      { tier: "edge_case", persona: "persona-1", arc: "fear", topic: null, edgeCaseKey: "edge-2" },
    ]);
    expect(slots.map((s) => [s.tier, s.persona, s.emotion, s.edgeCaseKey])).toEqual([
      ["edge_case", "persona-1", "fear", "edge-2"],
      ["edge_case", "persona-1", "fear", "edge-2"],
    ]);
    expect(slots[0].topic).not.toBe(slots[1].topic);
  });

  it("refuses a persona, arc, topic or edge case the taxonomy does not offer, naming it", () => {
    expect(() => planPinnedSlots(inputs, [{ tier: "template", persona: "gone", arc: "joy", topic: "topic-1" }])).toThrow(/persona "gone"/);
    expect(() => planPinnedSlots(inputs, [{ tier: "template", persona: "persona-1", arc: "off", topic: "topic-1" }])).toThrow(/emotional arc "off"/);
    expect(() => planPinnedSlots(inputs, [{ tier: "template", persona: "persona-1", arc: "joy", topic: "topic-9" }])).toThrow(/topic "topic-9"/);
    expect(() => planPinnedSlots(inputs, [{ tier: "edge_case", persona: "persona-1", arc: "joy", topic: null, edgeCaseKey: "edge-9" }])).toThrow(/edge-case category "edge-9"/);
  });
});
