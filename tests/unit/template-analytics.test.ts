/**
 * Template analytics rules (issue 11 item 6): the per-tier recommendation (real-model figures only,
 * a stated minimum of reviewed conversations, highest approval rate, ties to more reviews) and the
 * words of rejection notes (stop words dropped, once per note).
 */
import { describe, expect, it } from "vitest";
import { approvalRate, RECOMMENDATION_MIN_REVIEWED, recommendTemplates, topNoteWords, type VersionOutcome } from "../../src/core/templates/template-analytics";

const v = (over: Partial<VersionOutcome>): VersionOutcome => ({ templateId: "t1", templateName: "Warm expert", tier: "template", version: 1, approved: 0, rejected: 0, averageQuality: 8, ...over });

describe("approvalRate", () => {
  it("is approved over reviewed, and unknown when nothing was reviewed", () => {
    expect(approvalRate({ approved: 9, rejected: 3 })).toBe(0.75);
    expect(approvalRate({ approved: 0, rejected: 0 })).toBeNull();
  });
});

describe("recommendTemplates", () => {
  it("recommends the highest approval rate among versions with enough reviews", () => {
    const [line] = recommendTemplates([v({ version: 3, approved: 30, rejected: 10 }), v({ version: 4, approved: 35, rejected: 3 }), v({ version: 5, approved: 5, rejected: 0 })], ["template"]);
    expect(line.pick?.version).toBe(4);
    expect(line.line).toBe("Use 'Warm expert' v4 for Template tier: highest approval rate, 92 %, over 38 reviewed conversations.");
  });

  it("does not recommend below the minimum sample and says how far off it is", () => {
    const [line] = recommendTemplates([v({ approved: RECOMMENDATION_MIN_REVIEWED - 1, rejected: 0 })], ["template"]);
    expect(line.pick).toBeNull();
    expect(line.line).toBe(
      `Template tier: not enough reviewed conversations from a real model yet (a recommendation needs at least ${RECOMMENDATION_MIN_REVIEWED} reviewed conversations of one version; the most any version has is ${RECOMMENDATION_MIN_REVIEWED - 1}).`,
    );
  });

  it("breaks a tie on approval rate with the larger sample, keeps tiers apart and gives every tier a line", () => {
    const lines = recommendTemplates(
      [v({ templateName: "Small", version: 1, approved: 10, rejected: 0 }), v({ templateName: "Big", version: 2, approved: 20, rejected: 0 }), v({ tier: "scenario", templateName: "Scen", approved: 1, rejected: 20 })],
      ["template", "scenario", "edge_case"],
    );
    expect(lines.map((l) => l.pick?.templateName ?? null)).toEqual(["Big", "Scen", null]);
    expect(lines[2].line).toMatch(/^Edge case tier: not enough reviewed conversations/);
  });
});

describe("topNoteWords", () => {
  it("counts each word once per note, drops stop words and short words, most frequent first", () => {
    expect(topNoteWords(["Too robotic, robotic, ROBOTIC.", "The advice is generic and robotic", "Generic advice; it's off-topic", "ok"], 3)).toEqual([
      { word: "advice", count: 2 },
      { word: "generic", count: 2 },
      { word: "robotic", count: 2 },
    ]);
  });

  it("returns nothing for no notes or notes of stop words only", () => {
    expect(topNoteWords([])).toEqual([]);
    expect(topNoteWords(["It was not the one", "too much"])).toEqual([]);
  });
});
