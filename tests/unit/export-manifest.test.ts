import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors";
import { buildManifest, exportFileName, exportFileStem, hfSizeCategory, manifestFileName, serializeExport } from "../../src/core/export";
import { makeConversation, sampleConversations } from "../support/export-fixtures";

const exportedAt = new Date("2025-10-26T14:03:00.000Z");

describe("buildManifest", () => {
  const manifest = buildManifest({
    conversations: sampleConversations(),
    format: "openai",
    filterState: { status: ["approved"], persona: [], minQuality: 6 },
    statusLabel: "approved",
    systemVersion: "0.1.0",
    exportedAt,
    files: [{ name: "training-data-2025-10-26-approved-4-conversations.jsonl", role: "data", records: 4 }],
  });

  it("records the export settings and versions (US5.1.2)", () => {
    expect(manifest).toMatchObject({
      manifest_version: "2",
      system_name: "Bright Run",
      system_version: "0.1.0",
      exported_at: "2025-10-26T14:03:00.000Z",
      format: "openai",
      format_version: "openai-chat-jsonl/1",
      status_label: "approved",
      filter_state: { status: ["approved"], persona: [], minQuality: 6 },
      files: [{ name: "training-data-2025-10-26-approved-4-conversations.jsonl", role: "data", records: 4 }],
    });
  });

  it("counts conversations, seeds and turns", () => {
    expect(manifest.conversation_count).toBe(4);
    expect(manifest.seed_count).toBe(1);
    expect(manifest.turn_count).toBe(16);
    expect(manifest.turns_per_conversation).toEqual({ average: 4, min: 2, max: 6 });
    expect(manifest.conversation_ids).toEqual(["conv-0001", "conv-0002", "conv-0003", "seed-001"]);
  });

  it("computes quality statistics over scored conversations only", () => {
    expect(manifest.quality).toEqual({
      scored_count: 3,
      unscored_count: 1,
      average: 7.83,
      min: 6,
      max: 9,
      distribution: { "1-5": 0, "6-7": 1, "8-10": 2 },
      by_score: { "1": 0, "2": 0, "3": 0, "4": 0, "5": 0, "6": 1, "7": 0, "8": 1, "9": 1, "10": 0 },
    });
  });

  it("breaks the export down by tier (zeros included), status, persona, emotion and topic", () => {
    expect(manifest.by_tier).toEqual({ template: 2, scenario: 1, edge_case: 1 });
    expect(manifest.by_status).toEqual({ not_generated: 0, generating: 0, generated: 0, approved: 4, rejected: 0, failed: 0 });
    expect(manifest.by_persona).toEqual({ "Anxious first-time investor": 2, "Grieving heir": 1, "Impatient optimizer": 1 });
    expect(Object.keys(manifest.by_persona)[0]).toBe("Anxious first-time investor");
    expect(manifest.by_emotion).toEqual({ "Confusion to clarity": 2, "Grief to calm": 1, "Frustration to trust": 1 });
    expect(manifest.by_topic).toEqual({ "Anchor Account": 2, Inheritance: 1, "Guaranteed returns": 1 });
  });

  it("gives the date range of creation and generation", () => {
    expect(manifest.date_range).toEqual({
      created_at: { earliest: "2025-10-01T00:00:00.000Z", latest: "2025-10-20T09:00:00.000Z" },
      generated_at: { earliest: "2025-10-03T08:15:00.000Z", latest: "2025-10-21T10:30:00.000Z" },
    });
  });

  it("records the provider and model, seeds counted as no provider", () => {
    expect(manifest.provider).toBe("anthropic");
    expect(manifest.providers).toEqual(["anthropic"]);
    expect(manifest.by_provider).toEqual({ anthropic: 3, none: 1 });
    expect(manifest.model).toBe("claude-sonnet-4-5");
    expect(manifest.generated_without_language_model).toBe(false);
  });

  it('labels simulated conversations: provider "simulated" and generated_without_language_model', () => {
    const simulated = buildManifest({
      conversations: [makeConversation({ provider: "simulated", model: "simulated" }), makeConversation({ conversationId: "seed-1", provider: null, model: null, isSeed: true })],
      format: "hf",
      filterState: {},
      statusLabel: "all",
      systemVersion: "0.1.0",
      exportedAt,
      files: [],
    });
    expect(simulated.provider).toBe("simulated");
    expect(simulated.generated_without_language_model).toBe(true);
    expect(simulated.simulated_conversation_count).toBe(1);
    expect(simulated.format_version).toBe("hf-messages-jsonl/1");
  });

  it('says "mixed" when several providers generated the conversations', () => {
    const mixed = buildManifest({
      conversations: [makeConversation({ provider: "simulated", model: "simulated" }), makeConversation({ provider: "openai", model: "gpt-4.1-mini" })],
      format: "openai",
      filterState: {},
      statusLabel: "all",
      systemVersion: "0.1.0",
      exportedAt,
      files: [],
    });
    expect(mixed.provider).toBe("mixed");
    expect(mixed.providers).toEqual(["openai", "simulated"]);
    expect(mixed.model).toBe("mixed");
    expect(mixed.generated_without_language_model).toBe(true);
  });

  it("has null statistics, not zeros, when nothing is scored", () => {
    const unscored = buildManifest({
      conversations: [makeConversation({ qualityScore: null })],
      format: "json",
      filterState: {},
      statusLabel: "all",
      systemVersion: "0.1.0",
      exportedAt,
      files: [],
    });
    expect(unscored.quality).toMatchObject({ scored_count: 0, unscored_count: 1, average: null, min: null, max: null });
  });

  it("lists the companion files in the manifest written by serializeExport", () => {
    const bundle = serializeExport("sharegpt", sampleConversations(), { exportedAt, statusLabel: "filtered", systemVersion: "0.1.0", filterState: { tier: "template" } });
    expect(bundle.manifest.files).toEqual([
      { name: "training-data-2025-10-26-filtered-4-conversations.jsonl", role: "data", records: 4 },
      { name: "dataset_info.json", role: "dataset_info", records: null },
    ]);
    expect(bundle.manifest.filter_state).toEqual({ tier: "template" });
  });
});

describe("export file names", () => {
  it("follows training-data-YYYY-MM-DD-<status>-<N>-conversations", () => {
    const input = { date: new Date("2025-10-26T14:03:00.000Z"), statusLabel: "approved", count: 87 };
    expect(exportFileName({ ...input, extension: "jsonl" })).toBe("training-data-2025-10-26-approved-87-conversations.jsonl");
    expect(exportFileName({ ...input, extension: "json" })).toBe("training-data-2025-10-26-approved-87-conversations.json");
    expect(manifestFileName(input)).toBe("training-data-2025-10-26-approved-87-conversations-manifest.json");
  });

  it("uses the UTC date, whatever the local time zone", () => {
    const lateEvening = new Date("2025-10-26T23:30:00-07:00");
    expect(exportFileStem({ date: lateEvening, statusLabel: "all", count: 3 })).toBe("training-data-2025-10-27-all-3-conversations");
  });

  it("turns a status label into a slug and refuses one without letters", () => {
    expect(exportFileStem({ date: exportedAt, statusLabel: "Needs Review!", count: 2 })).toBe("training-data-2025-10-26-needs-review-2-conversations");
    expect(() => exportFileStem({ date: exportedAt, statusLabel: " -- ", count: 2 })).toThrowError(AppError);
    expect(() => exportFileStem({ date: exportedAt, statusLabel: "all", count: 2.5 })).toThrowError(/whole number/);
    expect(() => exportFileStem({ date: new Date("nope"), statusLabel: "all", count: 2 })).toThrowError(/not a valid date/);
  });
});

describe("hfSizeCategory", () => {
  it("maps counts to the Hub's size categories", () => {
    expect(hfSizeCategory(87)).toBe("n<1K");
    expect(hfSizeCategory(999)).toBe("n<1K");
    expect(hfSizeCategory(1000)).toBe("1K<n<10K");
    expect(hfSizeCategory(250_000)).toBe("100K<n<1M");
  });
});
