/**
 * Re-run from the export history (src/server/audit.ts rerunRequestOf): the request rebuilt from an
 * export_logs row keeps its filters (status included), format and the checks its manifest records,
 * and an unreadable filter is refused in plain words rather than guessed. Also the filter state
 * in words, as the history shows it.
 */
import { describe, expect, it } from "vitest";
import { describeFilterState, rerunRequestOf } from "../../src/server/audit";
import type { ExportLogRow } from "../../src/server/db/schema";

function row(overrides: Partial<ExportLogRow>): ExportLogRow {
  return {
    id: "00000000-0000-4000-8000-000000000001",
    workspaceId: "00000000-0000-4000-8000-000000000002",
    exportId: "exp-1",
    userId: "local:ana",
    conversationCount: 12,
    filterState: { status: ["approved"] },
    format: "sharegpt",
    filePath: "/tmp/x/data.json",
    exportedAt: new Date("2026-11-20T10:00:00Z"),
    metadata: { dataset_checks: null },
    ...overrides,
  };
}

describe("rerunRequestOf", () => {
  it("keeps the filters, search and format, with no checks when none ran", () => {
    const request = rerunRequestOf(row({ filterState: { status: ["approved"], tier: ["template"], search: "fees" } }));
    expect(request).toEqual({
      selection: { kind: "filtered", filter: { status: ["approved"], tier: ["template"] }, search: "fees" },
      format: "sharegpt",
      dedup: { enabled: false },
      split: null,
      target: null,
    });
  });

  it("repeats the duplicate threshold, the split's share and seed, and the target with a context length set for it", () => {
    const request = rerunRequestOf(
      row({
        metadata: {
          dataset_checks: {
            duplicates: { threshold: 0.7 },
            split: { validation_percent: 20, seed: "q3" },
            tokens: { family: "llama-3", context_length: 4096, context_length_source: "set for this export" },
            template_render: { family: "llama-3" },
          },
        },
      }),
    );
    expect(request).toMatchObject({ dedup: { enabled: true, threshold: 0.7 }, split: { validationPercent: 20, seed: "q3" }, target: { family: "llama-3", contextLength: 4096 } });
  });

  it("leaves the model card's context length to the model card", () => {
    const request = rerunRequestOf(row({ metadata: { dataset_checks: { tokens: { family: "qwen-3", context_length: 32768, context_length_source: "Qwen3 model cards" } } } }));
    expect(request.target).toEqual({ family: "qwen-3" });
  });

  it("refuses a filter this version cannot read", () => {
    expect(() => rerunRequestOf(row({ filterState: { colour: ["blue"] } }))).toThrow(/cannot be read by this version/);
  });
});

describe("describeFilterState", () => {
  it("says each part in words", () => {
    expect(describeFilterState({ status: ["approved", "generated"], tier: ["edge_case"], minQuality: 8, search: "fees", ids: ["a", "b"] })).toEqual([
      "Status: Approved, Generated",
      "Tier: Edge case",
      "Quality at least 8",
      "Search: “fees”",
      "Conversations: 2 chosen by id",
    ]);
    expect(describeFilterState({})).toEqual(["No filter (every conversation)"]);
  });
});
