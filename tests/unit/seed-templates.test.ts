/**
 * Seeds as templates (issue 11 item 7) and which template a conversation uses (items 2 and 7):
 * the seed's structure (turn count, turn lengths, opening and closing moves), the template text it
 * becomes (validates, escapes the seed's braces), the applicability rule, the planner's and the
 * generator's template choice, and the "below the seed's score − 1" flag.
 */
import { describe, expect, it } from "vitest";
import { validateTemplateText } from "../../src/core/templates";
import {
  buildSeedTemplateText,
  closingMoveOf,
  describeSeedStructure,
  extractSeedStructure,
  openingMoveOf,
  wordRangeText,
  type SeedTurn,
} from "../../src/core/templates/seed-structure";
import { chooseTemplateForSlot, pickConversationTemplate, templateAppliesTo, type TemplateChoiceCandidate } from "../../src/core/templates/template-applicability";
import { isBelowSeedBar, summarizeSeedVariations } from "../../src/core/templates/seed-variations";

const words = (n: number, word = "word") => Array.from({ length: n }, () => word).join(" ");

const SEED: SeedTurn[] = [
  { role: "user", content: `I was laid off last month and my wife and I have been living on our savings since then, and I keep lying awake wondering whether we should touch my retirement money. ${words(20)} What should I do?` },
  { role: "assistant", content: words(80) },
  { role: "user", content: words(25) },
  { role: "assistant", content: words(110) },
  { role: "user", content: words(22) },
  { role: "assistant", content: `${words(60)} The next step: book a free call with us and bring your last two statements {like this}.` },
];
const ARC = { key: "anxiety-to-relief", name: "Anxiety to relief", startingEmotion: "anxious", endingEmotion: "relieved", turnStructure: "worry, questions, plan, relief" };

describe("extractSeedStructure", () => {
  const s = extractSeedStructure({ turns: SEED, arc: ARC });

  it("counts turns and the words of each turn, per role", () => {
    expect(s.turnCount).toBe(6);
    expect(s.turnWords.map((t) => t.role)).toEqual(["user", "assistant", "user", "assistant", "user", "assistant"]);
    expect(s.turnWords[1].words).toBe(80);
    expect(s.userWords).toMatchObject({ min: 22, max: s.turnWords[0].words });
    expect(s.assistantWords).toMatchObject({ min: s.turnWords[5].words, max: 110 });
    expect(s.turnWords[5].words).toBeLessThan(80);
    expect(s.arc?.startingEmotion).toBe("anxious");
  });

  it("reads a long first-person first turn as a personal story and an offered call as a next step", () => {
    expect(s.openingMove).toBe("story");
    expect(s.closingMove).toBe("next_step");
    expect(s.movesFrom).toBe("keyword heuristic");
  });

  it("describes the structure as constraints, with ranges rounded out to 5 words", () => {
    expect(wordRangeText({ min: 23, max: 38, average: 30 })).toBe("20–40");
    expect(wordRangeText({ min: 2, max: 3, average: 2 })).toBe("5–10");
    expect(describeSeedStructure(s)).toMatch(/^6 turns, user turns 20–\d+ words, assistant 75–110, open with a personal story, close by offering a concrete next step$/);
  });
});

describe("opening and closing move heuristics", () => {
  it("recognises complaints, questions and plain statements in the first user turn", () => {
    expect(openingMoveOf("This is ridiculous, my transfer still hasn't arrived.")).toBe("complaint");
    expect(openingMoveOf("How much should I keep in an emergency fund?")).toBe("question");
    expect(openingMoveOf("I have some savings.")).toBe("statement");
  });

  it("recognises a closing question, reassurance, a recap and a plain answer", () => {
    expect(closingMoveOf("Does that sound like a plan you could live with?")).toBe("question");
    expect(closingMoveOf("You're not alone in this, and you're doing the right things.")).toBe("reassurance");
    expect(closingMoveOf("To recap: three months of costs, in a separate account.")).toBe("summary");
    expect(closingMoveOf("Three months of costs is the usual rule.")).toBe("answer");
  });
});

describe("buildSeedTemplateText", () => {
  const structure = extractSeedStructure({ turns: SEED, arc: ARC });
  const seed = { conversationId: "seed-001", title: "Laid off {and worried}", personaName: "Anxious investor", topicName: "Emergency fund" };

  it("asks for a variation with the seed as an escaped example and the structure as constraints, and validates without errors", () => {
    const text = buildSeedTemplateText({ seed, turns: SEED, structure, tier: "template" });
    expect(text).toContain("VARIATION");
    expect(text).toContain("{{like this}}");
    expect(text).toContain("Exactly 6 turns");
    expect(text).toContain("personal story");
    for (const p of ["{persona}", "{emotion}", "{topic}", "{intent}", "{tone}", "{chunk_content?"]) expect(text).toContain(p);
    expect(validateTemplateText(text, "template")).toEqual([]);
  });

  it("adds the scenario block for a scenario seed so the scenario tier's check passes", () => {
    const text = buildSeedTemplateText({ seed, turns: SEED, structure, tier: "scenario" });
    expect(text).toContain("{scenario_problem}");
    expect(validateTemplateText(text, "scenario").filter((p) => p.severity === "error" || p.code === "tier_unused")).toEqual([]);
  });
});

const template = (over: Partial<TemplateChoiceCandidate>): TemplateChoiceCandidate => ({
  id: over.key ?? "t",
  key: "t",
  tier: "template",
  status: "active",
  isDefault: false,
  applicablePersonas: [],
  applicableArcs: [],
  ...over,
});

describe("template applicability and choice", () => {
  it("applies when each list is empty or names the key", () => {
    expect(templateAppliesTo(template({}), { persona: "p", arc: "a" })).toBe(true);
    expect(templateAppliesTo(template({ applicablePersonas: ["p"], applicableArcs: ["b"] }), { persona: "p", arc: "a" })).toBe(false);
    expect(templateAppliesTo(template({ applicablePersonas: ["p"], applicableArcs: ["a"] }), { persona: "p", arc: "a" })).toBe(true);
  });

  it("planning: the default when it applies, else the first active applicable, else the default; never a draft or inactive", () => {
    const def = template({ key: "default", isDefault: true, applicablePersonas: ["anxious"] });
    const forCalm = template({ key: "b-calm", applicablePersonas: ["calm"] });
    const draft = template({ key: "a-draft", status: "draft" });
    const inactive = template({ key: "a-inactive", status: "inactive" });
    const all = [draft, inactive, def, forCalm];
    expect(chooseTemplateForSlot(all, { tier: "template", persona: "anxious", arc: "x" })?.key).toBe("default");
    expect(chooseTemplateForSlot(all, { tier: "template", persona: "calm", arc: "x" })?.key).toBe("b-calm");
    expect(chooseTemplateForSlot(all, { tier: "template", persona: "other", arc: "x" })?.key).toBe("default");
    expect(chooseTemplateForSlot([draft, inactive], { tier: "template", persona: "other", arc: "x" })).toBeNull();
    expect(chooseTemplateForSlot(all, { tier: "scenario", persona: "anxious", arc: "x" })).toBeNull();
  });

  it("generation: the conversation's own template unless inactive (drafts kept), else the tier's active default", () => {
    const def = template({ key: "default", isDefault: true });
    const draft = template({ key: "seed-variation", status: "draft" });
    const old = template({ key: "old", status: "inactive" });
    const all = [def, draft, old];
    expect(pickConversationTemplate(all, { templateId: "seed-variation", tier: "template" })?.key).toBe("seed-variation");
    expect(pickConversationTemplate(all, { templateId: "old", tier: "template" })?.key).toBe("default");
    expect(pickConversationTemplate(all, { templateId: null, tier: "template" })?.key).toBe("default");
    expect(pickConversationTemplate([old], { templateId: "old", tier: "template" })).toBeNull();
  });
});

describe("isBelowSeedBar", () => {
  it("flags a variation more than 1 point below its seed, and nothing when a score is unknown", () => {
    expect(isBelowSeedBar(7.4, 8.5)).toBe(true);
    expect(isBelowSeedBar(7.5, 8.5)).toBe(false);
    expect(isBelowSeedBar(9, 8.5)).toBe(false);
    expect(isBelowSeedBar(null, 8.5)).toBe(false);
    expect(isBelowSeedBar(5, null)).toBe(false);
  });

  it("sums up variations: generated, average, flagged", () => {
    const s = summarizeSeedVariations(
      [
        { conversationId: "tmpl-041", status: "generated", qualityScore: 8 },
        { conversationId: "tmpl-042", status: "generated", qualityScore: 6 },
        { conversationId: "tmpl-043", status: "not_generated", qualityScore: null },
      ],
      8.5,
    );
    expect(s).toMatchObject({ planned: 3, generated: 2, averageQuality: 7, seedQuality: 8.5, flagged: [{ conversationId: "tmpl-042", qualityScore: 6 }] });
  });
});
