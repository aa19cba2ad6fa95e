/**
 * Issue 12, items 1 and 6: the structural score tells good conversations from bad ones without
 * any model. Good conversations are hand-written in six businesses; the bad ones are derived from
 * them (tests/support/quality-conversations.fixture.ts), one per defect kind.
 */
import { qualityInputFor } from "../../src/core/generation/generate-conversation";
import { describe, expect, it } from "vitest";
import { scoreConversation, type QualityInput, type QualityResult } from "../../src/core/quality";
import { composeSimulatedConversation } from "../../src/core/llm/simulated-provider";
import { variedGenerationContexts } from "../support/generation-context.fixture";
import { GOOD_CONVERSATIONS, deriveDefectiveConversations, type DefectKind, type FixtureConversation } from "../support/quality-conversations.fixture";

function inputOf(conversation: FixtureConversation): QualityInput {
  return {
    turns: conversation.turns,
    persona: conversation.persona,
    topic: conversation.topic,
    emotion: { name: conversation.emotion },
    intent: conversation.intent,
    tone: conversation.tone,
    tier: conversation.tier,
  };
}

/** Everything a reviewer reads about a result: its reasons and every failed criterion's explanation. */
function whatAReviewerReads(result: QualityResult): string {
  return [...(result.reasons ?? []), ...result.breakdown.filter((criterion) => !criterion.passed).map((criterion) => criterion.explanation)].join("\n");
}

/** The words that must name each defect, as a reviewer would put it. */
const REASON_FOR: Record<DefectKind, RegExp> = {
  word_salad: /reads? as word salad|read as scrambled/,
  word_salad_one_turn: /reads as word salad/,
  turns_out_of_order: /do not alternate|turns out of order/,
  roles_swapped: /starts with an assistant turn instead of the user's \(roles swapped/,
  truncated: /only 3 turns, so it is cut short/,
  repeated_assistant_turns: /the assistant repeats itself/i,
  terse_answers: /answer in 3 words or fewer/,
  ai_disclaimer: /AI disclaimer \("As an AI/,
  template_labels: /template labels pasted in/,
  placeholder_braces: /unfilled template placeholder \("\{persona\}"\)/,
  unrelated_answers: /unrelated to what was asked/,
  empty_turn: /is empty or only whitespace/,
  repeated_user_message: /the user sends the same message again/i,
  json_fragment: /raw JSON from the reply/,
  code_fence_fragment: /stray ``` code fence/,
};

const DEFECTIVE = GOOD_CONVERSATIONS.flatMap((good, index) => deriveDefectiveConversations(good, GOOD_CONVERSATIONS[(index + 1) % GOOD_CONVERSATIONS.length]));

describe("hand-written good conversations", () => {
  it("come from at least four businesses and have 8-16 turns each", () => {
    expect(new Set(GOOD_CONVERSATIONS.map((conversation) => conversation.business)).size).toBeGreaterThanOrEqual(4);
    for (const conversation of GOOD_CONVERSATIONS) {
      expect(conversation.turns.length, conversation.id).toBeGreaterThanOrEqual(8);
      expect(conversation.turns.length, conversation.id).toBeLessThanOrEqual(16);
    }
  });

  it.each(GOOD_CONVERSATIONS.map((conversation) => [conversation.id, conversation] as const))("%s scores 8 or more and is not flagged", (_id, conversation) => {
    const result = scoreConversation(inputOf(conversation));
    expect(result.score, whatAReviewerReads(result)).toBeGreaterThanOrEqual(8);
    expect(result.flagged).toBe(false);
    expect(result.cap).toBeNull();
  });

  it("still score 8 or more without any metadata (as `brightrun quality score` sees a bare file)", () => {
    for (const conversation of GOOD_CONVERSATIONS) expect(scoreConversation({ turns: conversation.turns }).score, conversation.id).toBeGreaterThanOrEqual(8);
  });
});

describe("conversations derived from them with one defect each", () => {
  it("include every defect kind for every business", () => {
    expect(DEFECTIVE.length).toBe(GOOD_CONVERSATIONS.length * Object.keys(REASON_FOR).length);
    expect(new Set(DEFECTIVE.map((conversation) => conversation.defect))).toEqual(new Set(Object.keys(REASON_FOR)));
  });

  it("score below 6 at least 9 times in 10", () => {
    const low = DEFECTIVE.filter((conversation) => scoreConversation(inputOf(conversation)).score < 6);
    const missed = DEFECTIVE.filter((conversation) => !low.includes(conversation)).map((conversation) => conversation.id);
    expect(low.length / DEFECTIVE.length, `not flagged: ${missed.join(", ")}`).toBeGreaterThanOrEqual(0.9);
  });

  it.each(Object.keys(REASON_FOR) as DefectKind[])("%s: flagged in at least 5 of 6 businesses, and every one says why in plain words", (defect) => {
    const cases = DEFECTIVE.filter((conversation) => conversation.defect === defect);
    const results = cases.map((conversation) => scoreConversation(inputOf(conversation)));
    expect(results.filter((result) => result.flagged).length).toBeGreaterThanOrEqual(cases.length - 1);
    results.forEach((result, index) => {
      expect(whatAReviewerReads(result), cases[index].id).toMatch(REASON_FOR[defect]);
      if (result.flagged) expect(result.reasons?.length, cases[index].id).toBeGreaterThan(0);
    });
  });

  it("catch word salad written the way a broken model server sends it: lower case, no punctuation", () => {
    const conversation = GOOD_CONVERSATIONS[2];
    const salad = conversation.turns.map((turn, index) => {
      const words = turn.content.toLowerCase().replace(/[^\p{L}\p{N}' ]+/gu, " ").split(/\s+/).filter(Boolean);
      const scrambled = words.map((word, at) => words[(at * 7 + index) % words.length]);
      return { role: turn.role, content: turn.role === "user" ? `I have a question about ${scrambled.slice(0, 12).join(" ")}` : scrambled.join(" ") };
    });
    const result = scoreConversation({ ...inputOf(conversation), turns: salad });
    expect(result.score).toBeLessThan(6);
    expect(whatAReviewerReads(result)).toMatch(/word salad|scrambled/);
  });

  it("do not flag a polite closing reply or a closed code block in a good conversation", () => {
    const software = GOOD_CONVERSATIONS.find((conversation) => conversation.turns.some((turn) => turn.content.includes("```")));
    expect(software).toBeDefined();
    const closing = [...GOOD_CONVERSATIONS[0].turns, { role: "user", content: "Perfect, thank you so much for all your help!" }, { role: "assistant", content: "You're welcome!" }];
    expect(scoreConversation({ ...inputOf(GOOD_CONVERSATIONS[0]), turns: closing }).flagged).toBe(false);
    expect(scoreConversation(inputOf(software as FixtureConversation)).breakdown.find((criterion) => criterion.id === "confidence")?.passed).toBe(true);
  });
});

describe("the simulated composer's formulaic conversations", () => {
  const contexts = variedGenerationContexts(30);
  const results = contexts.map((context) =>
    scoreConversation(qualityInputFor(context, composeSimulatedConversation(context))),
  );
  const mean = (scores: number[]) => scores.reduce((sum, score) => sum + score, 0) / scores.length;

  it("average clearly below the hand-written conversations, and say why: template fingerprints", () => {
    const handWritten = mean(GOOD_CONVERSATIONS.map((conversation) => scoreConversation(inputOf(conversation)).score));
    expect(mean(results.map((result) => result.score))).toBeLessThan(handWritten - 1);
    const naturalness = results.map((result) => result.breakdown.find((criterion) => criterion.id === "naturalness")!);
    expect(naturalness.filter((criterion) => !criterion.passed).length).toBeGreaterThan(results.length / 2);
    expect(naturalness.map((criterion) => criterion.explanation).join("\n")).toMatch(/word for word/);
  });

  it("are structurally sound all the same: almost none flagged", () => {
    expect(results.filter((result) => result.flagged).length).toBeLessThanOrEqual(results.length / 10);
  });
});
