// Exact and near-duplicate detection at export (issue 12, item 4): planted copies and
// near-copies among distinct hand-written conversations of six businesses.
import { describe, expect, it } from "vitest";
import { isAppError } from "../../src/core/errors";
import { findDuplicates } from "../../src/core/export/dataset-checks/duplicates";
import { candidateProbability, chooseBanding, jaccard, shingleSet, shingleWords } from "../../src/core/export/dataset-checks/minhash";
import type { ExportConversation, Turn } from "../../src/core/types";
import { makeConversation } from "../support/export-fixtures";
import { GOOD_CONVERSATIONS } from "../support/quality-conversations.fixture";

function fromFixture(index: number, overrides: Partial<ExportConversation> = {}): ExportConversation {
  const fixture = GOOD_CONVERSATIONS[index];
  return makeConversation({
    conversationId: fixture.id,
    tier: fixture.tier,
    persona: fixture.persona.name,
    turns: fixture.turns.map((turn) => ({ role: turn.role, content: turn.content })) as Turn[],
    qualityScore: 8,
    ...overrides,
  });
}

/** The turns with one word in every `every` replaced: a light paraphrase. */
function editWords(turns: readonly Turn[], every: number): Turn[] {
  let position = 0;
  return turns.map((turn) => ({
    ...turn,
    content: turn.content
      .split(" ")
      .map((word) => (++position % every === 0 ? "indeed" : word))
      .join(" "),
  }));
}

const distinct = GOOD_CONVERSATIONS.map((_, index) => fromFixture(index));

describe("findDuplicates", () => {
  it("finds nothing among conversations of different businesses", () => {
    const report = findDuplicates(distinct);
    expect(report.clusters).toEqual([]);
    expect(report.dropped).toEqual([]);
    expect(report.keptConversationIds).toEqual(distinct.map((conversation) => conversation.conversationId));
  });

  it("groups an exact copy with its original, keeps the better-scoring one and says why the other is left out", () => {
    const original = distinct[1];
    const copy = { ...original, conversationId: "copy-of-bike", qualityScore: 9.1, turns: original.turns.map((turn) => ({ ...turn, content: `  ${turn.content} ` })) };
    const report = findDuplicates([...distinct, copy]);
    expect(report.clusters).toHaveLength(1);
    const [cluster] = report.clusters;
    expect(cluster.kind).toBe("exact");
    expect(cluster.keptConversationId).toBe("copy-of-bike");
    expect(cluster.members.map((member) => member.conversationId)).toEqual(["copy-of-bike", original.conversationId]);
    expect(cluster.members[1].exactCopyOfKept).toBe(true);
    expect(report.dropped).toEqual([
      expect.objectContaining({ conversationId: original.conversationId, keptConversationId: "copy-of-bike", similarityToKept: 1 }),
    ]);
    expect(report.dropped[0].reason).toMatch(/exact copy of copy-of-bike.*quality 9\.1 against quality 8/);
    expect(report.keptConversationIds).not.toContain(original.conversationId);
    expect(report.keptConversationIds).toContain("copy-of-bike");
  });

  it("finds a near-duplicate with a few words changed and reports its similarity", () => {
    const original = distinct[2];
    const near = { ...original, conversationId: "physio-reworded", qualityScore: 7, turns: editWords(original.turns, 60) };
    const report = findDuplicates([...distinct, near]);
    expect(report.clusters).toHaveLength(1);
    const [cluster] = report.clusters;
    expect(cluster.kind).toBe("near");
    expect(cluster.keptConversationId).toBe(original.conversationId);
    const member = cluster.members.find((candidate) => candidate.conversationId === "physio-reworded")!;
    // The similarity reported is the Jaccard similarity of the two shingle sets, computed here independently.
    const expected = jaccard(
      shingleSet(shingleWords(original.turns.map((turn) => turn.content).join("\n")), 5, new Map()),
      shingleSet(shingleWords(near.turns.map((turn) => turn.content).join("\n")), 5, new Map()),
    );
    expect(expected).toBeGreaterThanOrEqual(0.8);
    expect(expected).toBeLessThan(1);
    expect(member.similarityToKept).toBeCloseTo(expected, 10);
    expect(Math.abs(member.estimatedSimilarityToKept - expected)).toBeLessThan(0.12);
    expect(cluster.message).toMatch(/near-duplicates/);
    expect(report.dropped[0].reason).toMatch(/near-duplicate of physio-runners-knee: \d+ % of their 5-word phrases are shared/);
  });

  it("leaves a near-duplicate alone once the threshold is above its similarity", () => {
    const original = distinct[2];
    const near = { ...original, conversationId: "physio-reworded", turns: editWords(original.turns, 60) };
    expect(findDuplicates([...distinct, near], { threshold: 0.8 }).clusters).toHaveLength(1);
    expect(findDuplicates([...distinct, near], { threshold: 0.97 }).clusters).toHaveLength(0);
  });

  it("does not call a heavily reworded conversation a duplicate at the default threshold", () => {
    const original = distinct[3];
    const reworded = { ...original, conversationId: "software-reworded", turns: editWords(original.turns, 4) };
    expect(findDuplicates([...distinct, reworded]).clusters).toEqual([]);
  });

  it("ignores the system prompt, which every conversation of a workspace shares", () => {
    const withLongSystemPrompts = distinct.map((conversation) => ({ ...conversation, systemPrompt: "You are the assistant. ".repeat(200) }));
    expect(findDuplicates(withLongSystemPrompts).clusters).toEqual([]);
  });

  it("breaks ties between equal scores by id, whatever the order of the input", () => {
    const original = { ...distinct[4], conversationId: "conv-10", qualityScore: 8 };
    const copyA = { ...original, conversationId: "conv-9" };
    const copyB = { ...original, conversationId: "conv-11" };
    const forwards = findDuplicates([original, copyA, copyB, ...distinct.slice(0, 4)]);
    const backwards = findDuplicates([...distinct.slice(0, 4), copyB, copyA, original]);
    expect(forwards.clusters[0].keptConversationId).toBe("conv-9");
    expect(backwards.clusters[0].keptConversationId).toBe("conv-9");
    expect(forwards.dropped.map((entry) => entry.conversationId)).toEqual(["conv-10", "conv-11"]);
    expect(forwards.dropped[0].reason).toMatch(/same quality score; conv-9 comes first by id/);
  });

  it("keeps a scored conversation over an unscored copy", () => {
    const scored = { ...distinct[5], conversationId: "z-scored", qualityScore: 6 };
    const unscored = { ...distinct[5], conversationId: "a-unscored", qualityScore: null };
    expect(findDuplicates([unscored, scored]).clusters[0].keptConversationId).toBe("z-scored");
  });

  it("finds exactly the planted duplicates among 500 conversations", () => {
    // 500 distinct conversations of 8 turns of 30 words each, drawn from the words of the six
    // hand-written conversations by a seeded generator (no two share long phrases).
    const vocabulary = [...new Set(distinct.flatMap((conversation) => conversation.turns.flatMap((turn) => turn.content.split(" "))))];
    let state = 12345;
    const next = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    const many: ExportConversation[] = Array.from({ length: 500 }, (_, index) =>
      makeConversation({
        conversationId: `c-${index}`,
        turns: Array.from({ length: 8 }, (__, turn) => ({
          role: turn % 2 === 0 ? "user" : "assistant",
          content: Array.from({ length: 30 }, () => vocabulary[Math.floor(next() * vocabulary.length)]).join(" "),
        })),
      }),
    );
    const plantedExact = { ...many[100], conversationId: "planted-exact" };
    const plantedNear = { ...many[200], conversationId: "planted-near", turns: editWords(many[200].turns, 80) };
    const report = findDuplicates([...many, plantedExact, plantedNear]);
    const clustered = report.clusters.map((cluster) => cluster.members.map((member) => member.conversationId).sort());
    expect(clustered.sort()).toEqual([["c-100", "planted-exact"], ["c-200", "planted-near"]]);
    expect(report.dropped).toHaveLength(2);
  });

  it("reports conversations with no words as not compared, and still finds their exact copies", () => {
    const empty = makeConversation({ conversationId: "blank-1", turns: [{ role: "user", content: "…" }, { role: "assistant", content: "!" }] });
    const copy = { ...empty, conversationId: "blank-2" };
    const report = findDuplicates([empty, copy, distinct[0]]);
    expect(report.notComparedConversationIds).toEqual(["blank-1", "blank-2"]);
    expect(report.clusters).toHaveLength(1);
    expect(report.clusters[0].kind).toBe("exact");
  });

  it("refuses a threshold outside 0.3–1 and a conversation listed twice, in plain words", () => {
    for (const threshold of [0, 0.1, 1.5, Number.NaN]) {
      let thrown: unknown;
      try {
        findDuplicates(distinct, { threshold });
      } catch (error) {
        thrown = error;
      }
      expect(isAppError(thrown) && thrown.code).toBe("invalid_dataset_check_settings");
      expect((thrown as Error).message).toMatch(/between 0\.3 and 1/);
    }
    expect(() => findDuplicates([distinct[0], distinct[0]])).toThrow(/appears twice/);
  });
});

describe("LSH banding", () => {
  it("makes a pair at the threshold very likely to be compared and a clearly different pair unlikely", () => {
    for (const threshold of [0.5, 0.7, 0.8, 0.9]) {
      const banding = chooseBanding(threshold, 128);
      expect(banding.bands * banding.rows).toBeLessThanOrEqual(128);
      expect(candidateProbability(threshold, banding)).toBeGreaterThanOrEqual(0.95);
      expect(candidateProbability(threshold - 0.3, banding)).toBeLessThan(0.35);
    }
  });
});
