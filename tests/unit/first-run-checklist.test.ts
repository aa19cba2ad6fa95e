/**
 * The first-run checklist (issue 10 item 7): each step is done from the workspace's own data, says
 * what is missing in words, and links to the page where it is done.
 */
import { describe, expect, it } from "vitest";
import { decideFirstRunChecklist } from "../../src/server/first-run-checklist";

const empty = { documents: 0, chunks: 0, personas: 0, enabledArcs: 0, topics: 0, intents: 0, tones: 0, templateTiers: [], planned: 0, generated: 0, read: 0 };
const simulated = { provider: "simulated", model: "simulated-composer-1", isLanguageModel: false, testedAt: null, problem: null };

describe("first-run checklist", () => {
  it("starts with nothing done, documents next, and links each step to its page", () => {
    const list = decideFirstRunChecklist("acme-bakery", empty, simulated);
    expect(list.doneCount).toBe(0);
    expect(list.complete).toBe(false);
    expect(list.next?.id).toBe("documents");
    expect(list.steps.map((s) => [s.id, s.href])).toEqual([
      ["documents", "/w/acme-bakery/documents"],
      ["customers", "/w/acme-bakery/taxonomy/personas"],
      ["templates", "/w/acme-bakery/templates"],
      ["model", "/w/acme-bakery/settings"],
      ["plan", "/w/acme-bakery/plan"],
      ["first-conversations", "/w/acme-bakery"],
    ]);
    expect(list.steps[1].detail).toBe("Still needed: personas, an enabled emotional arc, topics, intents, tones. Start from the starter taxonomy and add your own personas.");
    expect(list.steps[2].detail).toContain("No default prompt template for the template, scenario, edge case tiers.");
    expect(list.steps[3].detail).toContain("simulated composer, which is not a language model");
  });

  it("asks for a tested language model: set but untested is not done", () => {
    const facts = { ...empty, documents: 2, chunks: 9 };
    const untested = decideFirstRunChecklist("b", facts, { provider: "openai", model: "llama3.1:8b", isLanguageModel: true, testedAt: null, problem: null });
    expect(untested.steps[3]).toMatchObject({ done: false, detail: "openai · llama3.1:8b is set but Test connection has not succeeded for it yet." });
    const tested = decideFirstRunChecklist("b", facts, { provider: "openai", model: "llama3.1:8b", isLanguageModel: true, testedAt: new Date("2026-11-29T10:00:00Z"), problem: null });
    expect(tested.steps[3]).toMatchObject({ done: true, detail: "openai · llama3.1:8b, tested 2026-11-29." });
  });

  it("is complete only when five conversations are generated and five read", () => {
    const ready = {
      documents: 1, chunks: 3, personas: 2, enabledArcs: 5, topics: 4, intents: 3, tones: 2,
      templateTiers: ["template", "scenario", "edge_case"] as const, planned: 20, generated: 6, read: 4,
    }; // prettier-ignore
    const model = { provider: "anthropic", model: "claude-sonnet-4-5", isLanguageModel: true, testedAt: new Date(), problem: null };
    const almost = decideFirstRunChecklist("b", { ...ready, templateTiers: [...ready.templateTiers] }, model);
    expect(almost.complete).toBe(false);
    expect(almost.next).toMatchObject({ id: "first-conversations", detail: "5 of 5 generated, 4 of 5 read. Open each in the preview to read it." });
    const done = decideFirstRunChecklist("b", { ...ready, templateTiers: [...ready.templateTiers], read: 5 }, model);
    expect(done).toMatchObject({ complete: true, doneCount: 6, next: null });
  });
});
