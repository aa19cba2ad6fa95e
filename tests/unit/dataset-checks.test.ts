// The one entry point of the dataset checks (issue 12, item 4): duplicates dropped first, then
// the split and the target-model checks on what is kept, with a summary a user can act on.
import { describe, expect, it } from "vitest";
import { checkDataset } from "../../src/core/export/dataset-checks";
import type { ExportConversation, Turn } from "../../src/core/types";
import { makeConversation } from "../support/export-fixtures";
import { GOOD_CONVERSATIONS } from "../support/quality-conversations.fixture";

const distinct: ExportConversation[] = GOOD_CONVERSATIONS.map((fixture, index) =>
  makeConversation({
    conversationId: `conv-${index + 1}`,
    tier: index % 2 === 0 ? "template" : "scenario",
    persona: index < 3 ? "Anxious investor" : "Busy parent",
    turns: fixture.turns.map((turn) => ({ role: turn.role, content: turn.content })) as Turn[],
    qualityScore: 7 + index / 10,
  }),
);
const copy = { ...distinct[0], conversationId: "conv-7", qualityScore: 9.5 };
const dataset = [...distinct, copy];

describe("checkDataset", () => {
  it("drops the duplicate, then splits and checks only the conversations kept", async () => {
    const report = await checkDataset(dataset, { split: { validationPercent: 50, seed: "s" }, target: { family: "llama-3" } });
    expect(report.duplicates?.dropped.map((entry) => entry.conversationId)).toEqual(["conv-1"]);
    const kept = dataset.map((conversation) => conversation.conversationId).filter((id) => id !== "conv-1");
    expect([...report.split!.trainConversationIds, ...report.split!.validationConversationIds].sort()).toEqual([...kept].sort());
    expect(report.tokens?.records.map((record) => record.conversationId)).toEqual(kept);
    expect(report.templateRender?.failed).toBe(0);
    expect(report.summary).toMatchObject({ conversations: 7, kept: 6, droppedDuplicates: 1, duplicateClusters: 1, overContext: 0, renderFailures: 0 });
    expect(report.summary.train! + report.summary.validation!).toBe(6);
    expect(report.summary.messages[0]).toBe("1 duplicate group found (1 exact, 0 near); 1 conversation is left out, keeping the best-scoring of each group.");
    expect(report.summary.messages[1]).toMatch(/^Split: \d+ for training and \d+ for validation \(seed "s"\)\.$/);
  });

  it("reports duplicates without leaving any out when dropping is off, and runs no check that was not asked for", async () => {
    const report = await checkDataset(dataset, { duplicates: { dropDuplicates: false } });
    expect(report.duplicates?.clusters).toHaveLength(1);
    expect(report.summary.kept).toBe(7);
    expect(report.summary.messages[0]).toMatch(/nothing is left out because dropping duplicates is turned off/);
    expect(report.split).toBeNull();
    expect(report.tokens).toBeNull();
    expect(report.templateRender).toBeNull();
    expect(report.summary).toMatchObject({ train: null, validation: null, overContext: null, renderFailures: null });
  });

  it("skips duplicate detection entirely when asked", async () => {
    const report = await checkDataset(dataset, { duplicates: false });
    expect(report.duplicates).toBeNull();
    expect(report.summary.kept).toBe(7);
  });

  it("refuses a list with the same conversation twice", async () => {
    await expect(checkDataset([distinct[0], distinct[0]])).rejects.toThrow(/conv-1 appears twice/);
  });
});
