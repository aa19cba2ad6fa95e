/** Scoring OpenAI chat records from a JSONL text (what `brightrun quality score` reads). */
import { describe, expect, it } from "vitest";
import { scoreChatRecords } from "../../src/core/quality";
import { GOOD_CONVERSATIONS } from "../support/quality-conversations.fixture";

const vet = GOOD_CONVERSATIONS.find((conversation) => conversation.id === "vet-senior-cat-thirst")!;

function scoreOf(entry: ReturnType<typeof scoreChatRecords>[number]) {
  if ("error" in entry) throw new Error(`unexpected error entry: ${entry.error}`);
  return entry;
}

describe("scoreChatRecords", () => {
  it("ignores system messages and accepts content as a list of text parts", () => {
    const plain = JSON.stringify({ messages: vet.turns });
    const withSystem = JSON.stringify({ messages: [{ role: "system", content: "You are Hillside Veterinary Clinic's assistant." }, ...vet.turns] });
    const parts = JSON.stringify({ messages: vet.turns.map((turn) => ({ role: turn.role, content: [{ type: "text", text: turn.content }] })) });
    const [a, b, c] = scoreChatRecords([plain, withSystem, parts].join("\n")).map(scoreOf);
    expect(a.score).toBeGreaterThanOrEqual(8);
    expect(b.score).toBe(a.score);
    expect(c.score).toBe(a.score);
  });

  it("uses the metadata: the persona's label said word for word only counts when the persona is named", () => {
    const labelled = vet.turns.map((turn, index) => (index === 0 ? { ...turn, content: `I'm your typical long-time pet owner. ${turn.content}` } : turn));
    const [without, withPersona] = scoreChatRecords(
      [JSON.stringify({ messages: labelled }), JSON.stringify({ messages: labelled, metadata: { persona: "Long-Time Pet Owner", topic: "Senior Pet Health", tier: "Template" } })].join("\n"),
    ).map(scoreOf);
    const naturalness = (entry: typeof without) => entry.breakdown.find((row) => row.id === "naturalness")!;
    expect(naturalness(without).score).toBe(10);
    expect(naturalness(withPersona).explanation).toContain('says the persona label "Long-Time Pet Owner" word for word');
  });

  it("reports what is wrong with each unreadable line, by line number, and keeps scoring the others", () => {
    const good = JSON.stringify({ messages: vet.turns });
    const text = ["\uFEFF" + good, "not json at all", "", "[1, 2]", JSON.stringify({ messages: [] }), JSON.stringify({ messages: [{ content: "hi" }] }), JSON.stringify({ messages: vet.turns, metadata: { tier: "gold" } }), JSON.stringify({ messages: [{ role: "system", content: "Only instructions." }] }), good].join("\r\n");
    const results = scoreChatRecords(text);
    expect(results.map((entry) => entry.line)).toEqual([1, 2, 4, 5, 6, 7, 8, 9]);
    const errors = results.filter((entry) => "error" in entry).map((entry) => ("error" in entry ? entry.error : ""));
    expect(errors).toEqual([
      expect.stringMatching(/^Line 2 is not valid JSON \(.+\)\. Each line must be one JSON object/),
      expect.stringMatching(/^Line 4 is not an OpenAI chat record: it is not a JSON object\./),
      expect.stringMatching(/^Line 5 is not an OpenAI chat record: "messages" is empty/),
      expect.stringMatching(/^Line 6 is not an OpenAI chat record: a message has no "role" text \(message 1\)/),
      'Line 7: metadata.tier is "gold"; it must be one of template, scenario, edge_case (or left out).',
      "Line 8 has only system messages; there is no conversation to score.",
    ]);
    expect(scoreOf(results[0]).score).toBe(scoreOf(results[7]).score);
  });
});
