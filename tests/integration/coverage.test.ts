/**
 * Coverage (issue 13 item 1, US3.2.1) on the sample workspace after planning and a few status
 * changes: the aggregates match the conversations (seeds left out), every cell's link into the table
 * selects exactly the conversations the cell counts, an archived persona with conversations stays
 * (marked), the status filter changes what is counted and which cells are gaps, and the CSV carries
 * the same figures.
 */
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPath } from "../../src/core/import/import-workspace";
import { createPlan } from "../../src/core/planning/create-plan";
import { parseConversationTableParams } from "../../src/lib/conversation-table-params";
import { coverageTableQuery } from "../../src/lib/coverage-filter";
import { COVERAGE_CSV_COLUMNS, coverageCsv, loadCoverage } from "../../src/server/coverage";
import type { DatabaseHandle } from "../../src/server/db/client";
import { countConversations } from "../../src/server/db/queries/conversation-list";
import { conversations, personas } from "../../src/server/db/schema";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
let handle: DatabaseHandle;
let workspaceId: string;

/** RFC 4180 lines without embedded newlines: split on commas outside quotes. */
function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(field);
      field = "";
    } else field += ch;
  }
  out.push(field);
  return out;
}

async function setStatus(ids: string[], status: "generated" | "approved" | "rejected" | "failed") {
  await handle.db.update(conversations).set({ status }).where(inArray(conversations.id, ids));
}

describe(`coverage (${testDatabaseKind()})`, () => {
  let planned: Array<typeof conversations.$inferSelect>;
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 20, scenario: 10, edge_case: 5 } });
    planned = await handle.db
      .select()
      .from(conversations)
      .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.isSeed, false)))
      .orderBy(conversations.conversationId);
    // Some status changes: 6 approved, 3 rejected, 4 generated, 2 failed; the rest stay not generated.
    await setStatus(planned.slice(0, 6).map((c) => c.id), "approved");
    await setStatus(planned.slice(6, 9).map((c) => c.id), "rejected");
    await setStatus(planned.slice(9, 13).map((c) => c.id), "generated");
    await setStatus(planned.slice(13, 15).map((c) => c.id), "failed");
  });
  afterAll(async () => {
    await handle.close();
  });

  it("counts the planned conversations, not the seeds, by bucket", async () => {
    const seeds = await countConversations({ db: handle.db, workspaceId, filter: { isSeed: true } });
    expect(seeds).toBeGreaterThan(0);
    const report = await loadCoverage({ db: handle.db, workspaceId, status: "all" });
    expect(report.totals).toEqual({ planned: planned.length - 13, generated: 4, approved: 6, rejected: 3, total: planned.length, inView: planned.length });
    expect(report.tiers.map((t) => t.counts.total)).toEqual([20, 10, 5]);
    expect(report.personas.reduce((n, p) => n + p.counts.total, 0)).toBe(planned.length);
    expect(report.emotionalArcs.reduce((n, a) => n + a.counts.total, 0)).toBe(planned.length);
    expect(report.scenarios.reduce((n, s) => n + s.counts.total, 0)).toBe(planned.length);
    // Names from the taxonomy, not keys.
    const [first] = await handle.db.select().from(personas).where(eq(personas.workspaceId, workspaceId)).orderBy(personas.name);
    expect(report.personas[0]).toMatchObject({ value: first.key, label: first.name, archived: false });
    // Every active persona × every active arc is a cell, and gaps are the cells under 3.
    expect(report.heatmap.cells).toHaveLength(report.personas.length * report.emotionalArcs.length);
    expect(report.heatmap.gaps).toBe(report.heatmap.cells.filter((c) => c.counts.inView < 3).length);
    expect(report.heatmap.gaps).toBeGreaterThan(0);
  });

  it("links every heatmap cell to a table filter that selects exactly the conversations it counts", async () => {
    for (const status of ["all", "approved", "generated", "planned"] as const) {
      const report = await loadCoverage({ db: handle.db, workspaceId, status });
      for (const cell of report.heatmap.cells.slice(0, 12)) {
        const { state, issues } = parseConversationTableParams(new URLSearchParams(coverageTableQuery({ persona: cell.persona, emotion: cell.emotion }, status)));
        expect(issues).toEqual([]);
        expect(await countConversations({ db: handle.db, workspaceId, filter: state.filter })).toBe(cell.counts.inView);
      }
      const category = report.documentCategories.find((c) => c.value !== null)!;
      const { state } = parseConversationTableParams(new URLSearchParams(coverageTableQuery({ sourceCategory: category.value! }, status)));
      expect(await countConversations({ db: handle.db, workspaceId, filter: state.filter })).toBe(category.counts.inView);
    }
  });

  it("counts under the status filter: approved only makes more gaps", async () => {
    const all = await loadCoverage({ db: handle.db, workspaceId, status: "all" });
    const approved = await loadCoverage({ db: handle.db, workspaceId, status: "approved" });
    expect(approved.totals.inView).toBe(6);
    expect(approved.heatmap.cells.reduce((n, c) => n + c.counts.inView, 0)).toBe(6);
    expect(approved.heatmap.gaps).toBeGreaterThanOrEqual(all.heatmap.gaps);
    const generated = await loadCoverage({ db: handle.db, workspaceId, status: "generated" });
    expect(generated.totals.inView).toBe(13);
  });

  it("keeps an archived persona that has conversations, marked archived", async () => {
    const used = planned[0].persona;
    await handle.db.update(personas).set({ archivedAt: new Date() }).where(and(eq(personas.workspaceId, workspaceId), eq(personas.key, used)));
    try {
      const report = await loadCoverage({ db: handle.db, workspaceId, status: "all" });
      const entry = report.personas.find((p) => p.value === used)!;
      expect(entry.archived).toBe(true);
      expect(entry.counts.total).toBeGreaterThan(0);
      expect(report.heatmap.personas.some((p) => p.value === used)).toBe(true);
    } finally {
      await handle.db.update(personas).set({ archivedAt: null }).where(and(eq(personas.workspaceId, workspaceId), eq(personas.key, used)));
    }
  });

  it("exports the same figures as CSV", async () => {
    const report = await loadCoverage({ db: handle.db, workspaceId, status: "approved" });
    const [header, ...lines] = coverageCsv(report).trim().split("\n");
    expect(header).toBe("dimension,value,label,archived,planned,generated,approved,rejected,total,count_in_view,status_filter,gap");
    expect(parseCsvLine(header)).toEqual([...COVERAGE_CSV_COLUMNS]);
    const records = lines.map((l) => Object.fromEntries(parseCsvLine(l).map((v, i) => [COVERAGE_CSV_COLUMNS[i], v])));
    const tiers = records.filter((r) => r.dimension === "tier");
    expect(tiers.map((r) => [r.value, r.total])).toEqual([
      ["template", "20"],
      ["scenario", "10"],
      ["edge_case", "5"],
    ]);
    const cells = records.filter((r) => r.dimension === "persona_emotional_arc");
    expect(cells).toHaveLength(report.heatmap.cells.length);
    expect(cells.filter((r) => r.gap === "yes")).toHaveLength(report.heatmap.gaps);
    expect(cells.reduce((n, r) => n + Number(r.count_in_view), 0)).toBe(6);
    expect(records.every((r) => r.status_filter === "approved")).toBe(true);
    const firstPersona = report.personas[0];
    expect(records[0]).toMatchObject({ dimension: "persona", value: firstPersona.value, label: firstPersona.label, total: String(firstPersona.counts.total) });
  });
});
