/**
 * Tier rules (issue 10 item 6): each conversation's approval bar comes from its workspace — the
 * minimum approval score, or the edge-case tier's higher bar — and an approve below it needs a note.
 */
import { describe, expect, it } from "vitest";
import {
  approvalBar,
  belowBarText,
  checkTierRules,
  decideReviews,
  DEFAULT_TIER_RULES,
  isBelowApprovalBar,
  REVIEW_SKIP_REASONS,
  type ReviewCandidate,
} from "../../src/core/review/review-rules";

const conversation = (conversationId: string, tier: ReviewCandidate["tier"], qualityScore: number | null): ReviewCandidate => ({
  conversationId,
  tier,
  qualityScore,
  status: "generated",
  isSeed: false,
});

describe("tier rules", () => {
  it("start at 6 and, for edge cases, 8 (US8.3.1)", () => {
    expect(approvalBar("template", DEFAULT_TIER_RULES)).toBe(6);
    expect(approvalBar("scenario", DEFAULT_TIER_RULES)).toBe(6);
    expect(approvalBar("edge_case", DEFAULT_TIER_RULES)).toBe(8);
  });

  it("flag an edge case at 7.9 but not a template at 7.9, and never an unscored conversation", () => {
    expect(isBelowApprovalBar(7.9, "edge_case", DEFAULT_TIER_RULES)).toBe(true);
    expect(isBelowApprovalBar(7.9, "template", DEFAULT_TIER_RULES)).toBe(false);
    expect(isBelowApprovalBar(8, "edge_case", DEFAULT_TIER_RULES)).toBe(false);
    expect(isBelowApprovalBar(null, "edge_case", DEFAULT_TIER_RULES)).toBe(false);
    expect(belowBarText(7.4, "edge_case", DEFAULT_TIER_RULES)).toBe("does not meet edge-case criteria (7.4 is below 8)");
    expect(belowBarText(5.25, "template", { minApprovalScore: 6.5, edgeCaseMinScore: 9 })).toBe("below the approval bar (5.3 is below 6.5)");
  });

  it("let an approve below the bar through only with a note, with the workspace's own bars", () => {
    const rules = { minApprovalScore: 7, edgeCaseMinScore: 9 };
    const candidates = [conversation("tmpl-001", "template", 6.5), conversation("tmpl-002", "template", 7), conversation("edge-001", "edge_case", 8.5)];
    const without = decideReviews({ action: "approve", candidates, bulk: false, rules, notes: null });
    expect(without.targets.map((t) => t.conversationId)).toEqual(["tmpl-002"]);
    expect(without.skipped).toEqual([
      { conversationId: "tmpl-001", reason: REVIEW_SKIP_REASONS.belowBarWithoutNote(6.5, "template", rules) },
      { conversationId: "edge-001", reason: "it does not meet edge-case criteria: its quality score 8.5 is below 9; approve it with a note saying why" },
    ]);
    const withNote = decideReviews({ action: "approve", candidates, bulk: false, rules, notes: "Checked by hand." });
    expect(withNote.targets.map((t) => t.conversationId)).toEqual(["tmpl-001", "tmpl-002", "edge-001"]);
    // Rejecting never needs a note.
    expect(decideReviews({ action: "reject", candidates, bulk: true, rules, notes: null }).targets).toHaveLength(3);
  });

  it("refuse a bar outside 1–10 in plain words", () => {
    expect(() => checkTierRules({ minApprovalScore: 0, edgeCaseMinScore: 8 })).toThrow("The minimum approval score must be a quality score from 1 to 10 (got 0).");
    expect(() => checkTierRules({ minApprovalScore: 6, edgeCaseMinScore: 11 })).toThrow("The edge-case bar must be a quality score from 1 to 10 (got 11).");
    expect(checkTierRules({ minApprovalScore: 5.5, edgeCaseMinScore: 8 })).toEqual({ minApprovalScore: 5.5, edgeCaseMinScore: 8 });
  });
});
