import { describe, expect, it } from "vitest";
import { QUALITY_REVIEW_THRESHOLD } from "../../src/lib/constants";
import type { Turn } from "../../src/core/types";
import {
  QUALITY_CRITERIA,
  QUALITY_SCORER_VERSION,
  QUALITY_WEIGHTS,
  isQualityOutdated,
  qualityBand,
  readStoredQuality,
  rescoreConversation,
  scoreConversation,
  type QualityCriterionId,
  type QualityInput,
  type QualityResult,
} from "../../src/core/quality";

const persona = { name: "Anxious First-Time Investor", description: "A 32-year-old nurse who has just started investing." };
const topic = { name: "Retirement Planning", keyTerms: ["withdrawal rate", "retirement age", "pension"] };

/** A realistic 12-turn conversation about retirement planning. */
const GOOD_CONVERSATION: Turn[] = [
  { role: "user", content: "Hi. I'm 32, I just started putting money into my workplace plan, and honestly retirement planning makes me anxious. I don't even know if I'm saving enough." },
  { role: "assistant", content: "Thank you for telling me that; feeling anxious about retirement planning is really common, especially at the start. The good news is that starting at 32 gives you a lot of time, and time does much of the heavy lifting. A useful first question is roughly what income you'd like in retirement. Most households aim to replace about 70 to 80 percent of what they earn before they stop working. We can turn that into a savings target together, step by step, so it stops feeling like a guess." },
  { role: "user", content: "Okay. People keep mentioning a withdrawal rate. What is that, and why does it matter for me?" },
  { role: "assistant", content: "Your withdrawal rate is the share of your savings you take out each year once you're retired. A common rule of thumb is around 4 percent, which historically gave a portfolio a good chance of lasting about thirty years. It matters now because it lets us work backwards: if you want to draw 40,000 a year from savings, a 4 percent rate suggests a pot of about a million. That number sounds huge today, but decades of contributions and growth make it far more reachable than it looks." },
  { role: "user", content: "A million sounds impossible on my salary. Does my retirement age change that much?" },
  { role: "assistant", content: "It changes it a lot. Every extra year you work adds another year of contributions and growth, and it also shortens the number of years your savings have to cover. Retiring at 67 instead of 62 can cut the amount you need by a surprising margin. You don't have to pick an age today. We can model two or three options so you can see the trade-offs clearly, and you can revisit the choice as your life changes." },
  { role: "user", content: "My hospital also has a pension. Do I count that separately, or is it part of the same pot?" },
  { role: "assistant", content: "Count it separately, and it's genuinely good news for you. A pension pays a regular income in retirement, so it reduces how much your own savings must cover. If your pension is expected to pay 15,000 a year, your savings only need to produce the remaining gap. Ask your HR team for your latest pension statement; it usually shows a projected annual income, and we can plug that straight into your plan." },
  { role: "user", content: "That makes me feel a bit better. What should I actually do first this month?" },
  { role: "assistant", content: "Let's keep it to three small steps. First, check that you're contributing at least enough to get your employer's full match; that's free money. Second, request your pension statement so we know the income it will provide. Third, write down a rough retirement age you'd be happy with, even if it changes later. Once we have those, we can estimate your target and see how close your current savings rate gets you." },
  { role: "user", content: "I can do all three of those. I'm feeling a lot more confident than when we started. Should I book a follow-up?" },
  { role: "assistant", content: "Yes, that's a great idea. Book a session with one of our planners once you have the pension statement, and bring your notes on the retirement age you'd like. We'll build a simple projection with your real numbers and agree a savings rate you're comfortable with. You've already done the hardest part, which is starting and asking good questions. I'm glad you're feeling more confident." },
];

function score(overrides: Partial<QualityInput> = {}): QualityResult {
  return scoreConversation({ turns: GOOD_CONVERSATION, persona, topic, tier: "template", stopReason: "end_turn", truncated: false, ...overrides });
}

function criterionOf(result: QualityResult, id: string) {
  const row = result.breakdown.find((criterion) => criterion.id === id);
  if (!row) throw new Error(`no criterion ${id}`);
  return row;
}

describe("scoreConversation", () => {
  it("scores a good 12-turn conversation at 8 or more, with a full breakdown", () => {
    const result = score();
    expect(result.score).toBeGreaterThanOrEqual(8);
    expect(result.flagged).toBe(false);
    expect(result.band).toBe("high");
    expect(result.version).toBe(QUALITY_SCORER_VERSION);
    expect(result.reasons).toEqual([]);
    expect(result.breakdown.map((criterion) => criterion.id)).toEqual([...QUALITY_CRITERIA]);
    for (const criterion of result.breakdown) {
      expect(criterion.score).toBeGreaterThanOrEqual(1);
      expect(criterion.score).toBeLessThanOrEqual(10);
      expect(criterion.weight).toBe(QUALITY_WEIGHTS[criterion.id as QualityCriterionId]);
      expect(criterion.explanation.length).toBeGreaterThan(10);
      expect(criterion.target.length).toBeGreaterThan(0);
    }
    expect(criterionOf(result, "turn_count")).toMatchObject({ actual: 12, target: "8-16 turns", score: 10, passed: true });
    expect(result.summary).toContain("Turn count 10/10");
    expect(Object.values(QUALITY_WEIGHTS).reduce((sum, weight) => sum + weight, 0)).toBeCloseTo(1, 10);
  });

  it("survives a JSONB round trip unchanged", () => {
    const result = score({ turns: GOOD_CONVERSATION.slice(0, 4), truncated: true });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it("scores 4 turns lower and explains the optimal 8-16 range", () => {
    const good = score();
    const short = score({ turns: GOOD_CONVERSATION.slice(0, 4) });
    expect(short.score).toBeLessThan(good.score);
    const turnCount = criterionOf(short, "turn_count");
    expect(turnCount.actual).toBe(4);
    expect(turnCount.passed).toBe(false);
    expect(turnCount.explanation).toBe("Only 4 turns detected, optimal range is 8-16.");
    expect(turnCount.recommendation).toMatch(/regenerate/i);
  });

  it("flags a truncated conversation (fewer than 4 turns) even when its turns are well written", () => {
    const twoTurns = score({ turns: GOOD_CONVERSATION.slice(0, 2) });
    expect(criterionOf(twoTurns, "turn_count").score).toBe(1);
    expect(twoTurns.weightedScore).toBeGreaterThan(6);
    expect(twoTurns.score).toBeLessThan(6);
    expect(twoTurns.flagged).toBe(true);
    expect(twoTurns.reasons?.[0]).toBe("It has only 2 turns, so it is cut short (at least 4 are needed, 8-16 is optimal).");
    const three = score({ turns: GOOD_CONVERSATION.slice(0, 3) });
    expect(three.flagged).toBe(true);
    expect(three.cap?.reason).toMatch(/cut short/);
  });

  it("tapers the turn-count score gently above 16 turns", () => {
    const long = score({ turns: [...GOOD_CONVERSATION, ...GOOD_CONVERSATION.slice(2, 10)] });
    const turnCount = criterionOf(long, "turn_count");
    expect(turnCount.actual).toBe(20);
    expect(turnCount.score).toBe(8);
    expect(turnCount.explanation).toContain("above the optimal range of 8-16");
  });

  it("flags broken alternation for review and names the turns", () => {
    const turns = [...GOOD_CONVERSATION];
    turns.splice(3, 1); // turns 3 and 4 are now both from the user
    const result = score({ turns });
    const structure = criterionOf(result, "structure");
    expect(structure.passed).toBe(false);
    expect(structure.explanation).toContain("turns 3 and 4 are both from the user");
    expect(result.flagged).toBe(true);
    expect(result.score).toBeLessThan(QUALITY_REVIEW_THRESHOLD);
    expect(result.cap?.reason).toContain("do not alternate");
  });

  it("lowers confidence when the reply was truncated", () => {
    const clean = criterionOf(score(), "confidence");
    const truncated = criterionOf(score({ truncated: true, stopReason: "max_tokens" }), "confidence");
    expect(truncated.score).toBeLessThan(clean.score);
    expect(truncated.passed).toBe(false);
    expect(truncated.explanation).toContain("cut off at the token limit");
    expect(truncated.recommendation).toContain("max_tokens");
    expect(score({ truncated: true }).score).toBeLessThan(score().score);
  });

  it("flags a poor conversation (score below 6) and gives recommendations", () => {
    const poor: Turn[] = [
      { role: "user", content: "retirement?" },
      { role: "assistant", content: "As an AI language model, I cannot give advice. Ask {persona}." },
    ];
    const result = score({ turns: poor });
    expect(result.score).toBeLessThan(6);
    expect(result.flagged).toBe(true);
    expect(result.band).toBe("low");
    const confidence = criterionOf(result, "confidence");
    expect(confidence.explanation).toContain("AI disclaimer");
    expect(confidence.explanation).toContain('unfilled template placeholder ("{persona}")');
    expect(criterionOf(result, "length").explanation).toContain("turn 2 (assistant) has 11 words, expected 40-250");
    for (const criterion of result.breakdown.filter((row) => !row.passed)) expect(criterion.recommendation).toBeTruthy();
  });

  it("checks structure: roles, empty turns, first and last speaker; and repeats", () => {
    const turns: Turn[] = [
      { role: "assistant", content: GOOD_CONVERSATION[1].content },
      { role: "user", content: GOOD_CONVERSATION[2].content },
      { role: "assistant", content: GOOD_CONVERSATION[1].content },
      { role: "user", content: "   " },
    ];
    const result = score({ turns });
    const structure = criterionOf(result, "structure");
    expect(structure.passed).toBe(false);
    expect(structure.explanation).toContain("Turn 4 is empty or only whitespace.");
    expect(structure.explanation).toContain("It starts with an assistant turn instead of the user's");
    expect(structure.explanation).toContain("It ends with a user turn");
    expect(structure.score).toBeLessThanOrEqual(3);
    expect(criterionOf(result, "repetition").explanation).toContain("The assistant repeats itself (turn 3 repeats turn 1)");

    const badRole = scoreConversation({ turns: [{ role: "system", content: "You are a planner." }, ...GOOD_CONVERSATION], persona, topic, tier: "template" });
    expect(criterionOf(badRole, "structure").explanation).toContain('other than user or assistant ("system")');
    expect(badRole.flagged).toBe(true);
  });

  it("rates an off-topic, third-person conversation lower on consistency", () => {
    const offTopic: Turn[] = GOOD_CONVERSATION.map((turn, index) => ({
      role: turn.role,
      content: turn.role === "user" ? `The client asks question number ${index} about the weather and the garden.` : "The weather this week looks mild, with light rain on Tuesday and sunshine later. Gardens will enjoy the water, and it is a good moment to plant bulbs before the ground gets cold. Keep an eye on frost warnings at night, and cover young plants if temperatures drop sharply. Otherwise it should be a calm and pleasant week outdoors for everyone.",
    }));
    const onTopic = criterionOf(score(), "consistency");
    const drifted = criterionOf(score({ turns: offTopic }), "consistency");
    expect(onTopic.passed).toBe(true);
    expect(drifted.passed).toBe(false);
    expect(drifted.score).toBeLessThan(onTopic.score);
    expect(drifted.explanation).toContain('No turn mentions the topic "Retirement Planning"');
    expect(drifted.explanation).toContain("first person in 0 of 6 turns");
    expect(drifted.explanation).toContain("heuristic");
  });

  it("does not count a polite refusal against edge-case conversations, but does for other tiers", () => {
    const turns = GOOD_CONVERSATION.map((turn, index) =>
      index === 5 ? { role: turn.role, content: `I'm sorry, but I can't help with that. ${turn.content}` } : turn,
    );
    expect(criterionOf(score({ turns, tier: "template" }), "confidence").explanation).toContain("blanket refusal");
    expect(criterionOf(score({ turns, tier: "edge_case" }), "confidence").passed).toBe(true);
  });

  it("flags a stray code fence or the reply's JSON in a turn, but not a closed code block", () => {
    const fence = GOOD_CONVERSATION.map((turn, index) => (index === 11 ? { role: turn.role, content: `${turn.content}\n\`\`\`` } : turn));
    expect(criterionOf(score({ turns: fence }), "confidence").explanation).toContain("Turn 12 has a stray ``` code fence that is never closed");
    expect(score({ turns: fence }).flagged).toBe(true);
    const json = GOOD_CONVERSATION.map((turn, index) => (index === 5 ? { role: turn.role, content: `${turn.content}"}, {"role": "user", "content": "And then?` } : turn));
    expect(criterionOf(score({ turns: json }), "confidence").explanation).toContain("Turn 6 contains raw JSON from the reply");
    const example = GOOD_CONVERSATION.map((turn, index) => (index === 5 ? { role: turn.role, content: `${turn.content}\n\n\`\`\`\nage,pension,savings\n67,15000,250000\n\`\`\`` } : turn));
    expect(criterionOf(score({ turns: example }), "confidence").passed).toBe(true);
  });
});

describe("qualityBand", () => {
  it("follows the table colours: red below 6, yellow below 8, green from 8", () => {
    expect([qualityBand(5.9), qualityBand(6), qualityBand(7.9), qualityBand(8), qualityBand(10)]).toEqual(["low", "medium", "medium", "high", "high"]);
  });
});

describe("stored results of older score versions", () => {
  /** A version-1 result as stored before issue 12 (docs/quality.md of that version). */
  const VERSION_1 = {
    version: 1,
    score: 10,
    flagged: false,
    band: "high",
    threshold: 6,
    weightedScore: 10,
    cap: null,
    summary: "Turn count 10/10 · Length 10/10 · Structure 10/10 · Alternation 10/10 · Persona & topic consistency 10/10 · Confidence 10/10",
    tier: "template",
    breakdown: [
      { id: "alternation", label: "Alternation", actual: 0, target: "0 breaks (user and assistant take turns)", score: 10, weight: 0.1, passed: true, explanation: "User and assistant turns alternate throughout." },
    ],
  };

  it("stay readable as they were, and are known to be outdated", () => {
    const stored = readStoredQuality(JSON.parse(JSON.stringify(VERSION_1)));
    expect(stored).toMatchObject({ version: 1, score: 10, band: "high", tier: "template" });
    expect(stored?.breakdown[0].id).toBe("alternation");
    expect(isQualityOutdated(stored!)).toBe(true);
    expect(isQualityOutdated(score())).toBe(false);
    expect(readStoredQuality(null)).toBeNull();
    expect(() => readStoredQuality({ score: "ten" })).toThrow(/damaged or in an unknown format/);
  });

  it("are re-scored with the current rules, keeping the old version and score", () => {
    const salad = GOOD_CONVERSATION.map((turn) => ({ role: turn.role, content: turn.content.split(" ").reverse().join(" ") }));
    const rescored = rescoreConversation({ turns: salad, persona, topic, tier: "template" }, VERSION_1);
    expect(rescored.version).toBe(QUALITY_SCORER_VERSION);
    expect(rescored.previous).toEqual({ version: 1, score: 10 });
    expect(rescored.score).toBeLessThan(6);
    expect(rescoreConversation({ turns: GOOD_CONVERSATION, persona, topic, tier: "template" }).previous).toBeUndefined();
  });
});
