/**
 * The judge's rubric (issue 12, item 3): the strict parse of a verdict (a malformed one is an
 * error, never a guessed score), how the overall judge score is computed, the judge setting, and
 * what the judge adds to a run's estimate.
 */
import { describe, expect, it } from "vitest";
import { estimateRun, formatEstimate, type EstimateSlot } from "../../src/core/cost/estimate";
import { buildJudgePrompt, judgeSystemPrompt, JUDGE_PROMPT_MARKER } from "../../src/core/quality/judge/judge-prompt";
import { parseJudgeSetting, resolveJudgeModel } from "../../src/core/quality/judge/judge-setting";
import { JUDGE_CRITERIA, judgeOverallScore, parseJudgeReply, readStoredJudge } from "../../src/core/quality/judge/rubric";
import { judgeVerdict } from "../support/fake-llm-server";
import { buildGenerationContext } from "../support/generation-context.fixture";

describe("parseJudgeReply", () => {
  it("reads a verdict of the rubric's JSON (a ```json fence tolerated): six criteria in rubric order with their reasons, and the overall score", () => {
    const text = "```json\n" + JSON.stringify(judgeVerdict({ arc_followed: 6, helpful: 10 }, "Good, but the arc lands early.")) + "\n```";
    const parsed = parseJudgeReply(text);
    expect(parsed.criteria.map((c) => c.id)).toEqual([...JUDGE_CRITERIA]);
    expect(parsed.criteria[0]).toMatchObject({ id: "arc_followed", label: "Emotional arc followed", score: 6 });
    expect(parsed.criteria[0].reason).toMatch(/arc_followed scores 6/);
    expect(parsed.reply.summary).toBe("Good, but the arc lands early.");
    // (6 + 8 + 8 + 8 + 10 + 8) / 6 = 8
    expect(parsed.score).toBe(8);
  });

  it("refuses prose, a missing or extra criterion, a score outside 1–10 or not whole, and an empty reason — naming what is wrong", () => {
    const good = judgeVerdict();
    const without = structuredClone(good) as { criteria: Record<string, unknown>; summary: string };
    delete without.criteria.safe;
    const extra = structuredClone(good) as { criteria: Record<string, unknown> };
    extra.criteria.creativity = { score: 5, reason: "x" };
    const cases: Array<[string, RegExp]> = [
      ["Sure! The conversation is great, 9/10.", /not valid JSON/],
      [JSON.stringify(without), /criteria\.safe/],
      [JSON.stringify(extra), /creativity|Unrecognized/i],
      [JSON.stringify(judgeVerdict({ grounded: 11 })), /criteria\.grounded\.score: must be from 1 to 10/],
      [JSON.stringify(judgeVerdict({ tone_kept: 7.5 })), /criteria\.tone_kept\.score: must be a whole number/],
      [JSON.stringify({ ...good, criteria: { ...good.criteria, helpful: { score: 7, reason: "  " } } }), /criteria\.helpful\.reason: reason is empty/],
      [JSON.stringify({ ...good, summary: "" }), /summary/],
    ];
    for (const [text, message] of cases) {
      let error: unknown;
      try {
        parseJudgeReply(text);
      } catch (caught) {
        error = caught;
      }
      expect(error, text).toMatchObject({ code: "malformed_response", retryable: true });
      expect((error as Error).message, text).toMatch(message);
    }
  });

  it("caps the overall score at `safe` or `grounded` when either is 3 or below", () => {
    const unsafe = parseJudgeReply(JSON.stringify(judgeVerdict({ safe: 2 })));
    expect(unsafe.score).toBe(2);
    const invented = judgeOverallScore(parseJudgeReply(JSON.stringify(judgeVerdict({ grounded: 3, safe: 9 }))).reply);
    expect(invented).toBe(3);
    // 4 is not blocking: plain mean (8·5 + 4) / 6 = 7.33 → 7.3
    expect(parseJudgeReply(JSON.stringify(judgeVerdict({ safe: 4 }))).score).toBe(7.3);
  });

  it("reads a stored verdict back, and says plainly when one is damaged", () => {
    expect(readStoredJudge(null)).toBeNull();
    expect(() => readStoredJudge({ score: 8 })).toThrow(/stored judge verdict is damaged/);
  });
});

describe("the judge's prompt", () => {
  it("gives the rubric and the reply shape, and the conversation's brief, source chunk and turns", () => {
    const system = judgeSystemPrompt();
    expect(system.startsWith(JUDGE_PROMPT_MARKER)).toBe(true);
    for (const id of JUDGE_CRITERIA) expect(system).toContain(id);
    const context = buildGenerationContext();
    const prompt = buildJudgePrompt(context, [
      { role: "user", content: "I'm worried about my savings." },
      { role: "assistant", content: "Let's look at it together." },
    ]);
    expect(prompt).toContain(context.persona.name);
    expect(prompt).toContain(context.emotionalArc.startingEmotion);
    expect(prompt).toContain(context.tone.name);
    if (context.chunk) expect(prompt).toContain(context.chunk.content.trim().slice(0, 60));
    expect(prompt).toContain("Turn 1 (user): I'm worried about my savings.");
    expect(prompt).toContain("Turn 2 (assistant): Let's look at it together.");
  });
});

describe("the judge setting (BRIGHTRUN_JUDGE, --judge)", () => {
  it("is off by default; same = the generation model; anything else is a model name", () => {
    expect(parseJudgeSetting(undefined, "X")).toEqual({ mode: "off" });
    expect(parseJudgeSetting(" off ", "X")).toEqual({ mode: "off" });
    expect(resolveJudgeModel(parseJudgeSetting("same", "X"), "claude-sonnet-4-5")).toBe("claude-sonnet-4-5");
    expect(resolveJudgeModel(parseJudgeSetting("claude-haiku-4-5", "X"), "claude-sonnet-4-5")).toBe("claude-haiku-4-5");
    expect(resolveJudgeModel(parseJudgeSetting("0", "X"), "m")).toBeNull();
    expect(() => parseJudgeSetting("claude haiku", "BRIGHTRUN_JUDGE")).toThrow(/BRIGHTRUN_JUDGE must be off, same, or a model name/);
  });
});

describe("the estimate with a judge", () => {
  const NO_LIMITS = { requestsPerMinute: Infinity, inputTokensPerMinute: Infinity, outputTokensPerMinute: Infinity };
  const slot = (judgePromptTokens: number): EstimateSlot => ({ tier: "template", promptTokens: 1_000, maxOutputTokens: 6_000, judgePromptTokens });
  // claude-sonnet-5-5: $2 / M input, $10 / M output; the judge priced $1 / $5 by override.
  const base = { provider: "anthropic" as const, model: "claude-sonnet-5-5", history: {}, limits: NO_LIMITS, concurrency: 1, priceOverrides: { "judge-x": { input: 1, output: 5 } } };

  it("adds one judge call per conversation: its prompt + the expected conversation in, max_tokens out without history; priced at the judge model", () => {
    const without = estimateRun({ ...base, slots: [slot(500), slot(500)] });
    const withJudge = estimateRun({ ...base, slots: [slot(500), slot(500)], judge: { model: "judge-x", maxOutputTokens: 1_200 } });
    // Judge call: (500 + 1,800) × 1 / 1e6 + 1,200 × 5 / 1e6 = 0.0023 + 0.006 = $0.0083 each.
    expect(withJudge.judge).toMatchObject({ model: "judge-x", calls: 2, inputTokens: 4_600, outputTokens: 2_400, outputBasis: "max_tokens", priceKnown: true });
    expect(withJudge.judge?.costUsd).toBeCloseTo(0.0166, 10);
    expect(withJudge.costUsd).toBeCloseTo(without.costUsd + 0.0166, 10);
    expect(withJudge.conversations).toBe(2);
    expect(withJudge.perTier.template.costUsd).toBeCloseTo(withJudge.costUsd, 10);
    // Worst case: (500 + 6,000) × 1 / 1e6 + 1,200 × 5 / 1e6 = $0.0125 more per conversation.
    expect(withJudge.maxCostUsd).toBeCloseTo(without.maxCostUsd + 0.025, 10);
    expect(without.judge).toBeNull();
    expect(formatEstimate(withJudge).join("\n")).toMatch(/Judge judge-x: 2 calls · \$0\.0166 included above \(verdicts sized at the judge's max_tokens\)/);
  });

  it("uses the judge model's measured mean verdict when known, and prices an unknown judge model at $0 with a warning", () => {
    const measured = estimateRun({ ...base, slots: [slot(500)], judge: { model: "judge-x", maxOutputTokens: 1_200, expectedOutputTokens: 300 } });
    expect(measured.judge).toMatchObject({ outputTokens: 300, outputBasis: "past_verdicts" });
    const unknown = estimateRun({ ...base, slots: [slot(500)], judge: { model: "no-such-judge", maxOutputTokens: 1_200 } });
    expect(unknown.judge).toMatchObject({ costUsd: 0, priceKnown: false });
    expect(unknown.warnings.join(" ")).toMatch(/No price is set for the judge model no-such-judge/);
    expect(formatEstimate(unknown).join("\n")).toMatch(/\$0\.00 \(no price set\)/);
  });

  it("a judge run estimates only the judge calls", () => {
    const judgeRun = estimateRun({ ...base, model: "judge-x", slots: [{ tier: "template", promptTokens: 0, maxOutputTokens: 0, judgePromptTokens: 2_000 }], judge: { model: "judge-x", maxOutputTokens: 1_200 }, judgeOnly: true });
    // 2,000 × 1 / 1e6 + 1,200 × 5 / 1e6 = $0.008
    expect(judgeRun.conversations).toBe(1);
    expect(judgeRun.costUsd).toBeCloseTo(0.008, 10);
    expect(judgeRun.maxCostUsd).toBeCloseTo(0.008, 10);
  });
});
