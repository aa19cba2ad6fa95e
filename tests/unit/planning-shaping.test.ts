/**
 * The planner's shaping rules (issue 10 items 2 and 5): arc percentages by largest remainder (the
 * same numbers as the page's preview), outcomes per slot, category weighting and Complete Systems
 * only, fill missing combinations, and planning again on top of existing conversations.
 */
import { describe, expect, it } from "vitest";
import { allocateByLargestRemainder, arcConfigurationProblems, arcCounts, describeArcPreview } from "../../src/core/planning/allocate";
import { findMissingCombinations, planConversations, planMissingCombinations, type ExistingSlot, type PlanInputs } from "../../src/core/planning/plan-conversations";
import { splitTotal, tierSplitProblems } from "../../src/core/planning/create-plan";
import { readPlanSettings } from "../../src/core/planning/plan-settings";

const keys = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ key: `${prefix}-${i + 1}` }));
const ARCS = ["triumph", "struggle", "steady", "anxiety", "discovery"];
const NAMED_ARCS = [
  { key: "triumph", name: "Triumph", enabled: true },
  { key: "struggle", name: "Struggle-to-Success", enabled: true },
  { key: "steady", name: "Steady Confidence", enabled: true },
  { key: "anxiety", name: "Anxiety-to-Relief", enabled: true },
  { key: "discovery", name: "Discovery", enabled: true },
];

function inputs(overrides: Partial<PlanInputs> = {}): PlanInputs {
  return {
    personas: keys("persona", 3),
    emotionalArcs: ARCS.map((key) => ({ key, enabled: true })),
    topics: Array.from({ length: 4 }, (_, i) => ({ key: `topic-${i + 1}`, name: `Topic ${i + 1}`, keyTerms: [`term${i + 1}`] })),
    intents: keys("intent", 3),
    tones: keys("tone", 3),
    outcomes: keys("outcome", 4),
    scenarios: Array.from({ length: 4 }, (_, i) => ({ key: `scenario-${i + 1}`, chunkKey: `sys#${i}`, personaKey: null, emotionalArcKey: null, topicKey: null })),
    edgeCaseCategories: keys("edge", 3),
    chunks: [
      ...Array.from({ length: 8 }, (_, i) => ({ key: `sys#${i}`, keyTerms: [`term${(i % 4) + 1}`], content: "…", category: "Complete Systems" })),
      ...Array.from({ length: 8 }, (_, i) => ({ key: `story#${i}`, keyTerms: [`term${(i % 4) + 1}`], content: "…", category: "Client Stories" })),
    ],
    split: { template: 40, scenario: 0, edge_case: 0 },
    ...overrides,
  };
}

function tally(values: Array<string | null>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1;
  return out;
}

describe("largest remainder", () => {
  it("gives whole counts that sum to the total, the leftovers to the largest remainders", () => {
    expect(allocateByLargestRemainder(40, [{ key: "a", weight: 50 }, { key: "b", weight: 30 }, { key: "c", weight: 20 }])).toEqual({ a: 20, b: 12, c: 8 });
    expect(allocateByLargestRemainder(7, [{ key: "a", weight: 50 }, { key: "b", weight: 30 }, { key: "c", weight: 20 }])).toEqual({ a: 4, b: 2, c: 1 });
    expect(allocateByLargestRemainder(3, [{ key: "a", weight: 0 }, { key: "b", weight: 0 }])).toEqual({ a: 2, b: 1 });
    expect(splitTotal(20, { template: 10, scenario: 6, edge_case: 4 })).toEqual({ template: 10, scenario: 6, edge_case: 4 });
  });

  it("previews the arc configuration in the words of US8.1.2", () => {
    const distribution = { triumph: 25, struggle: 20, steady: 20, anxiety: 20, discovery: 15 };
    expect(describeArcPreview(40, NAMED_ARCS, distribution)).toBe("40 conversations = 10 Triumph + 8 Struggle-to-Success + 8 Steady Confidence + 8 Anxiety-to-Relief + 6 Discovery");
    expect(describeArcPreview(40, NAMED_ARCS, null)).toBe("40 conversations = 8 Triumph + 8 Struggle-to-Success + 8 Steady Confidence + 8 Anxiety-to-Relief + 8 Discovery");
  });

  it("validates the arc configuration: one arc enabled, whole percentages summing to 100", () => {
    const off = NAMED_ARCS.map((a) => ({ ...a, enabled: false }));
    expect(arcConfigurationProblems(off, {})).toEqual(["Enable at least one emotional arc: every template conversation follows one."]);
    expect(arcConfigurationProblems(NAMED_ARCS, { triumph: 50, struggle: 30, steady: 10, anxiety: 0, discovery: 0 })[0]).toMatch(/add up to 90 %.*10 % left to give/);
    expect(arcConfigurationProblems(NAMED_ARCS, { triumph: 50, struggle: 30, steady: 20, anxiety: 0, discovery: 0 })).toEqual([]);
    expect(arcConfigurationProblems(NAMED_ARCS, { triumph: 50.5, struggle: 29.5, steady: 20, anxiety: 0, discovery: 0 })[0]).toMatch(/Triumph: enter a whole percentage/);
  });

  it("validates a tier split against its total", () => {
    expect(tierSplitProblems({ template: 10, scenario: 6, edge_case: 4 }, 20)).toEqual([]);
    expect(tierSplitProblems({ template: 10, scenario: 6, edge_case: 3 }, 20)).toEqual(["The tiers add up to 19, not 20: change a tier or the total so they match."]);
    expect(tierSplitProblems({ template: 0, scenario: 0, edge_case: 0 })).toEqual(["Plan at least one conversation."]);
  });
});

describe("planner", () => {
  it("follows the arc percentages in tier 1, exactly as the preview counts them", () => {
    const distribution = { triumph: 50, struggle: 30, steady: 20, anxiety: 0, discovery: 0 };
    const slots = planConversations(inputs({ arcDistribution: distribution }));
    expect(tally(slots.map((s) => s.emotion))).toEqual({ triumph: 20, struggle: 12, steady: 8 });
    expect(arcCounts(40, NAMED_ARCS, distribution)).toEqual({ triumph: 20, struggle: 12, steady: 8, anxiety: 0, discovery: 0 });
  });

  it("plans no disabled arc, even when the stored distribution still gives it a share", () => {
    const arcs = ARCS.map((key) => ({ key, enabled: key !== "triumph" }));
    const slots = planConversations(inputs({ emotionalArcs: arcs, arcDistribution: { triumph: 60, struggle: 40 } }));
    expect(tally(slots.map((s) => s.emotion))).toEqual({ struggle: 40 });
  });

  it("gives every slot an outcome, least used first, and none when the workspace has no outcomes", () => {
    const slots = planConversations(inputs());
    expect(tally(slots.map((s) => s.outcome))).toEqual({ "outcome-1": 10, "outcome-2": 10, "outcome-3": 10, "outcome-4": 10 });
    expect(planConversations(inputs({ outcomes: [] })).every((s) => s.outcome === null)).toBe(true);
  });

  it("takes only Complete Systems chunks (and their scenarios) when asked, and says so when there are none", () => {
    const scenarios = [
      { key: "from-system", chunkKey: "sys#1", personaKey: null, emotionalArcKey: null, topicKey: null },
      { key: "from-story", chunkKey: "story#1", personaKey: null, emotionalArcKey: null, topicKey: null },
    ];
    const slots = planConversations(inputs({ completeSystemsOnly: true, scenarios, split: { template: 12, scenario: 4, edge_case: 4 } }));
    expect(slots.every((s) => s.chunkKey.startsWith("sys#"))).toBe(true);
    expect(new Set(slots.filter((s) => s.tier === "scenario").map((s) => s.scenarioKey))).toEqual(new Set(["from-system"]));
    const storiesOnly = inputs().chunks.filter((c) => c.category === "Client Stories");
    expect(() => planConversations(inputs({ completeSystemsOnly: true, chunks: storiesOnly }))).toThrow(/no document of this workspace is in the category "Complete Systems"/);
  });

  it("allocates conversations to document categories in proportion to their weights", () => {
    const slots = planConversations(inputs({ categoryWeights: { "Complete Systems": 3, "Client Stories": 1 } }));
    const categories = tally(slots.map((s) => (s.chunkKey.startsWith("sys#") ? "systems" : "stories")));
    expect(categories).toEqual({ systems: 30, stories: 10 });
    const none = planConversations(inputs({ categoryWeights: { "Client Stories": 0 } }));
    expect(none.every((s) => s.chunkKey.startsWith("sys#"))).toBe(true);
  });

  it("plans again on top of existing conversations: their arcs count toward tier 1's percentages", () => {
    const existing: ExistingSlot[] = Array.from({ length: 10 }, () => ({
      tier: "template" as const,
      persona: "persona-1",
      emotion: "triumph",
      topic: "topic-1",
      intent: "intent-1",
      tone: "tone-1",
      outcome: "outcome-1",
      chunkKey: "sys#0",
      scenarioKey: null,
      edgeCaseKey: null,
    }));
    // 20 in tier 1 in all at 50/50 triumph/struggle: the 10 new slots all go to struggle.
    const slots = planConversations(inputs({ existing, arcDistribution: { triumph: 50, struggle: 50 }, split: { template: 10, scenario: 0, edge_case: 0 } }));
    expect(tally(slots.map((s) => s.emotion))).toEqual({ struggle: 10 });
    expect(slots.some((s) => s.outcome === "outcome-1")).toBe(false);
  });
});

describe("fill missing combinations", () => {
  const small = () =>
    inputs({
      personas: keys("persona", 2),
      emotionalArcs: [{ key: "a", enabled: true }, { key: "b", enabled: true }, { key: "off", enabled: false }],
      topics: [{ key: "topic-1", name: "Topic 1", keyTerms: ["term1"] }, { key: "topic-2", name: "Topic 2", keyTerms: ["term2"] }],
    });
  const covering = (persona: string, emotion: string, topic: string): ExistingSlot => ({
    tier: "template",
    persona,
    emotion,
    topic,
    intent: "intent-1",
    tone: "tone-1",
    outcome: null,
    chunkKey: null,
    scenarioKey: null,
    edgeCaseKey: null,
  });

  it("adds exactly the persona × arc × topic combinations no conversation covers, over enabled arcs only", () => {
    const existing = [covering("persona-1", "a", "topic-1"), covering("persona-2", "b", "topic-2")];
    const missing = findMissingCombinations({ ...small(), existing });
    expect(missing).toHaveLength(6);
    const { slots, missing: count } = planMissingCombinations({ ...small(), existing });
    expect(count).toBe(6);
    expect(slots.map((s) => `${s.persona}|${s.emotion}|${s.topic}`).sort()).toEqual(missing.map((m) => `${m.persona}|${m.arc}|${m.topic}`).sort());
    expect(slots.every((s) => s.tier === "template" && s.emotion !== "off")).toBe(true);
    expect(findMissingCombinations({ ...small(), existing: [...existing, ...slots.map((s) => covering(s.persona, s.emotion, s.topic))] })).toEqual([]);
  });

  it("caps one fill and reports how many were missing", () => {
    const { slots, missing } = planMissingCombinations(small(), 3);
    expect(slots).toHaveLength(3);
    expect(missing).toBe(8);
  });
});

describe("plan settings", () => {
  it("reads what was stored, and anything unreadable as the default", () => {
    expect(readPlanSettings({ categoryWeights: { "Complete Systems": 2, Other: 1 }, completeSystemsOnly: true })).toEqual({ categoryWeights: { "Complete Systems": 2 }, completeSystemsOnly: true });
    expect(readPlanSettings(null)).toEqual({ categoryWeights: {}, completeSystemsOnly: false });
    expect(readPlanSettings({ weights: 3 })).toEqual({ categoryWeights: {}, completeSystemsOnly: false });
  });
});
