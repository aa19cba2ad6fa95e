// Train/validation split at export (issue 12, item 4): proportions per tier × persona,
// determinism under a seed, small strata, settings.
import { describe, expect, it } from "vitest";
import type { Tier } from "../../src/lib/constants";
import { isAppError } from "../../src/core/errors";
import { splitTrainValidation } from "../../src/core/export/dataset-checks/split";
import type { ExportConversation } from "../../src/core/types";
import { makeConversation } from "../support/export-fixtures";

/** `count` conversations of one tier and persona, ids prefixed by both. */
function stratum(tier: Tier, persona: string, count: number): ExportConversation[] {
  return Array.from({ length: count }, (_, index) =>
    makeConversation({ conversationId: `${tier}-${persona}-${index + 1}`, tier, persona }),
  );
}

const dataset = [
  ...stratum("template", "Anxious investor", 40),
  ...stratum("template", "Busy parent", 20),
  ...stratum("scenario", "Anxious investor", 30),
  ...stratum("scenario", "Retiree", 10),
  ...stratum("edge_case", "Busy parent", 10),
  ...stratum("edge_case", "Retiree", 1),
];

function byStratum(ids: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const id of ids) {
    const key = id.replace(/-\d+$/, "");
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe("splitTrainValidation", () => {
  it("puts every conversation in exactly one list and splits each tier × persona in proportion", () => {
    const report = splitTrainValidation(dataset, { validationPercent: 10, seed: 7 });
    const all = [...report.trainConversationIds, ...report.validationConversationIds];
    expect(all.sort()).toEqual(dataset.map((conversation) => conversation.conversationId).sort());
    expect(report.validationConversationIds).toHaveLength(11); // round(111 × 10 %)
    expect(byStratum(report.validationConversationIds)).toEqual({
      "template-Anxious investor": 4,
      "template-Busy parent": 2,
      "scenario-Anxious investor": 3,
      "scenario-Retiree": 1,
      "edge_case-Busy parent": 1,
    });
    expect(report.strata).toContainEqual({ tier: "edge_case", persona: "Retiree", total: 1, train: 1, validation: 0 });
  });

  it("gives the same split for the same seed, whatever the order of the input", () => {
    const first = splitTrainValidation(dataset, { validationPercent: 20, seed: "launch" });
    const reversed = splitTrainValidation([...dataset].reverse(), { validationPercent: 20, seed: "launch" });
    expect([...reversed.validationConversationIds].sort()).toEqual([...first.validationConversationIds].sort());
  });

  it("gives a different split for a different seed, with the same proportions", () => {
    const a = splitTrainValidation(dataset, { validationPercent: 20, seed: "a" });
    const b = splitTrainValidation(dataset, { validationPercent: 20, seed: "b" });
    expect(b.validationConversationIds).not.toEqual(a.validationConversationIds);
    expect(byStratum(b.validationConversationIds)).toEqual(byStratum(a.validationConversationIds));
  });

  it("lists each file's conversations in the order they were given", () => {
    const report = splitTrainValidation(dataset, { validationPercent: 10, seed: 1 });
    const position = new Map(dataset.map((conversation, index) => [conversation.conversationId, index]));
    for (const list of [report.trainConversationIds, report.validationConversationIds]) {
      const positions = list.map((id) => position.get(id)!);
      expect(positions).toEqual([...positions].sort((x, y) => x - y));
    }
  });

  it("keeps a lone conversation of a tier and persona in training and says so", () => {
    const tiny = [...stratum("template", "Solo", 1), ...stratum("scenario", "Pair", 2), ...stratum("scenario", "Big", 17)];
    const report = splitTrainValidation(tiny, { validationPercent: 50, seed: 3 });
    expect(report.trainConversationIds).toContain("template-Solo-1");
    expect(byStratum(report.validationConversationIds)["scenario-Pair"]).toBe(1);
    // round(20 × 50 %) = 10: the lone one cannot give its share, the big stratum takes it.
    expect(report.validationConversationIds).toHaveLength(10);
    expect(report.messages.join(" ")).toMatch(/1 tier and persona combination has a single conversation; it stays in training/);
  });

  it("says when the groups are too small to reach the share asked for", () => {
    const singles = ["A", "B", "C", "D"].flatMap((persona) => stratum("template", persona, 1));
    const report = splitTrainValidation(singles, { validationPercent: 50, seed: 1 });
    expect(report.validationConversationIds).toEqual([]);
    expect(report.messages.join(" ")).toMatch(/validation set has 0 conversations instead of 2/);
  });

  it("puts everything in training at 0 percent", () => {
    const report = splitTrainValidation(dataset, { validationPercent: 0, seed: 1 });
    expect(report.validationConversationIds).toEqual([]);
    expect(report.trainConversationIds).toHaveLength(dataset.length);
  });

  it("refuses a validation share outside 0–50 percent in plain words", () => {
    for (const validationPercent of [-5, 60, Number.NaN]) {
      let thrown: unknown;
      try {
        splitTrainValidation(dataset, { validationPercent, seed: 1 });
      } catch (error) {
        thrown = error;
      }
      expect(isAppError(thrown) && thrown.code).toBe("invalid_dataset_check_settings");
      expect((thrown as Error).message).toMatch(/between 0 and 50 percent/);
    }
  });
});
