/**
 * Coverage rules (issue 13 item 1, US3.2.1): the gap rule (count < 3), the status buckets and
 * filters, the shaping of aggregate rows into charts and the heatmap (archived entries with
 * conversations kept and marked, empty active ones shown, gaps counted under the filter), the CSV
 * records, and the links into the conversations table.
 */
import { describe, expect, it } from "vitest";
import {
  bucketOfStatus,
  COVERAGE_GAP_THRESHOLD,
  coverageCsvRecords,
  isCoverageGap,
  shapeCoverage,
  type CoverageCountRow,
  type CoverageLabels,
} from "../../src/core/dataset-coverage/coverage";
import { CONVERSATION_STATUSES } from "../../src/lib/constants";
import { parseConversationTableParams } from "../../src/lib/conversation-table-params";
import { coverageQuery, coverageTableQuery, parseCoverageStatus } from "../../src/lib/coverage-filter";

const labels: CoverageLabels = {
  personas: [
    { key: "anxious", name: "Anxious Investor", archived: false, disabled: false },
    { key: "old", name: "Old Persona", archived: true, disabled: false },
    { key: "unused_old", name: "Unused Archived", archived: true, disabled: false },
    { key: "young", name: "Young Professional", archived: false, disabled: false },
  ],
  emotionalArcs: [
    { key: "fear", name: "Fear to Confidence", archived: false, disabled: false },
    { key: "off", name: "Switched Off", archived: false, disabled: true },
  ],
  scenarios: [{ key: "s1", name: "First meeting", archived: false }],
};

const row = (over: Partial<CoverageCountRow>): CoverageCountRow => ({ persona: "anxious", emotion: "fear", tier: "template", sourceCategory: "Client Stories", scenarioId: null, status: "not_generated", count: 1, ...over });

const rows: CoverageCountRow[] = [
  row({ status: "not_generated", count: 2 }),
  row({ status: "failed", count: 1 }),
  row({ status: "approved", count: 3, tier: "scenario", scenarioId: "s1" }),
  row({ status: "rejected", count: 1, tier: "edge_case", sourceCategory: null }),
  row({ persona: "old", status: "generated", count: 2, sourceCategory: "Complete Systems" }),
];

describe("the gap rule", () => {
  it("is fewer than 3 conversations (US3.2.1)", () => {
    expect(COVERAGE_GAP_THRESHOLD).toBe(3);
    expect(isCoverageGap(0)).toBe(true);
    expect(isCoverageGap(2)).toBe(true);
    expect(isCoverageGap(3)).toBe(false);
  });
});

describe("status buckets", () => {
  it("puts every status in one bucket: not generated, generating and failed are still planned", () => {
    expect(CONVERSATION_STATUSES.map(bucketOfStatus)).toEqual(["planned", "planned", "generated", "approved", "rejected", "planned"]);
  });
});

describe("shapeCoverage", () => {
  it("sums the rows per persona, arc, tier, category and scenario, by bucket", () => {
    const report = shapeCoverage({ rows, labels, status: "all" });
    expect(report.totals).toEqual({ planned: 3, generated: 2, approved: 3, rejected: 1, total: 9, inView: 9 });
    const anxious = report.personas.find((p) => p.value === "anxious")!;
    expect(anxious.counts).toEqual({ planned: 3, generated: 0, approved: 3, rejected: 1, total: 7, inView: 7 });
    expect(report.tiers.map((t) => [t.label, t.counts.total])).toEqual([
      ["Template", 5],
      ["Scenario", 3],
      ["Edge case", 1],
    ]);
    expect(report.documentCategories.map((c) => [c.label, c.counts.total])).toEqual([
      ["Client Stories", 6],
      ["Complete Systems", 2],
      ["No document category", 1],
    ]);
    expect(report.scenarios.map((s) => [s.value, s.label, s.counts.total])).toEqual([
      ["s1", "First meeting", 3],
      [null, "No scenario", 6],
    ]);
  });

  it("shows active entries even when empty, keeps archived or switched-off ones only while they have conversations, and marks them", () => {
    const report = shapeCoverage({ rows, labels, status: "all" });
    expect(report.personas.map((p) => [p.value, p.archived, p.counts.total])).toEqual([
      ["anxious", false, 7],
      ["old", true, 2],
      ["young", false, 0],
    ]);
    expect(report.emotionalArcs.map((a) => a.value)).toEqual(["fear"]);
  });

  it("lays out every persona × arc and flags cells under 3 in view as gaps", () => {
    const all = shapeCoverage({ rows, labels, status: "all" });
    expect(all.heatmap.cells.map((c) => [c.persona, c.emotion, c.counts.inView, c.gap])).toEqual([
      ["anxious", "fear", 7, false],
      ["old", "fear", 2, true],
      ["young", "fear", 0, true],
    ]);
    expect(all.heatmap.gaps).toBe(2);
    // Counting approved only: the anxious cell has 3 approved, still not a gap; planned only it has 3 too.
    const approved = shapeCoverage({ rows, labels, status: "approved" });
    expect(approved.heatmap.cells[0].counts.inView).toBe(3);
    expect(approved.totals.inView).toBe(3);
    const generated = shapeCoverage({ rows, labels, status: "generated" });
    // generated + approved + rejected: 2 + 3 + 1
    expect(generated.totals.inView).toBe(6);
    expect(generated.heatmap.cells.map((c) => c.gap)).toEqual([false, true, true]);
    const planned = shapeCoverage({ rows, labels, status: "planned" });
    expect(planned.personas.find((p) => p.value === "anxious")!.counts.inView).toBe(3);
    expect(planned.heatmap.cells.find((c) => c.persona === "old")!.counts.inView).toBe(0);
  });

  it("reports an empty workspace as zero everywhere, every active combination a gap", () => {
    const report = shapeCoverage({ rows: [], labels, status: "all" });
    expect(report.totals.total).toBe(0);
    expect(report.documentCategories).toEqual([]);
    expect(report.heatmap.cells).toHaveLength(2);
    expect(report.heatmap.gaps).toBe(2);
  });
});

describe("coverageCsvRecords", () => {
  it("lists each dimension's entries then every cell, with a gap flag only on cells", () => {
    const records = coverageCsvRecords(shapeCoverage({ rows, labels, status: "all" }));
    expect(records.map((r) => r.dimension)).toEqual([
      "persona",
      "persona",
      "persona",
      "emotional_arc",
      "tier",
      "tier",
      "tier",
      "document_category",
      "document_category",
      "document_category",
      "scenario",
      "scenario",
      "persona_emotional_arc",
      "persona_emotional_arc",
      "persona_emotional_arc",
    ]);
    const oldCell = records.find((r) => r.value === "old+fear")!;
    expect(oldCell).toMatchObject({ label: "Old Persona × Fear to Confidence", archived: true, gap: true });
    expect(records.find((r) => r.dimension === "scenario" && r.value === "")!.label).toBe("No scenario");
    expect(records[0].gap).toBeNull();
  });
});

describe("coverage URLs", () => {
  it("parses the status filter, falling back to all", () => {
    expect(parseCoverageStatus(new URLSearchParams("status=approved"))).toBe("approved");
    expect(parseCoverageStatus({ status: ["planned", "approved"] })).toBe("planned");
    expect(parseCoverageStatus({ status: "rejected" })).toBe("all");
    expect(parseCoverageStatus({})).toBe("all");
    expect(coverageQuery("all")).toBe("");
    expect(coverageQuery("generated")).toBe("status=generated");
  });

  it("links a cell to the table filtered to its persona, arc and the filter's statuses, seeds left out", () => {
    const query = coverageTableQuery({ persona: "anxious", emotion: "fear" }, "generated");
    expect(query).toBe("persona=anxious&emotion=fear&status=generated%2Capproved%2Crejected&seed=no");
    const { state, issues } = parseConversationTableParams(new URLSearchParams(query));
    expect(issues).toEqual([]);
    expect(state.filter).toEqual({ persona: ["anxious"], emotion: ["fear"], status: ["generated", "approved", "rejected"], isSeed: false });
    expect(coverageTableQuery({ persona: "anxious" }, "all")).toBe("persona=anxious&seed=no");
  });

  it("links a tier stack to that tier and the bucket's statuses, and a category to the table's source filter", () => {
    expect(coverageTableQuery({ tier: "edge_case", bucket: "planned" }, "approved")).toBe("tier=edge_case&status=not_generated%2Cgenerating%2Cfailed&seed=no");
    expect(coverageTableQuery({ sourceCategory: "Client Stories" }, "approved")).toBe("source=Client+Stories&status=approved&seed=no");
  });
});
