/**
 * The audit trail in the browser (issue 13 item 5) on the sample workspace, through the same
 * actions and route handlers the page uses: the generation log's filters and its CSV; a
 * conversation's review history after approve, undo and reject; review activity per reviewer;
 * the compliance report (yes, then the exceptions with why); the export history and a Re-run that
 * writes the same records again as a new export.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localOwner, setProcessPrincipal } from "../../src/server/auth";
import { generateNow as runGeneration } from "../support/generate-now";
import { importPath } from "../../src/core/import/import-workspace";
import { createSimulatedProvider } from "../../src/core/llm/simulated-provider";
import { createPlan } from "../../src/core/planning/create-plan";
import type { ConversationDetail } from "../../src/lib/dashboard-contract";
import { defaultAuditState, parseAuditParams, type AuditState } from "../../src/lib/audit-params";
import { GET as getConversationRoute } from "../../src/app/api/w/[slug]/conversations/[conversationId]/route";
import { GET as getGenerationCsvRoute } from "../../src/app/api/w/[slug]/audit/generation.csv/route";
import { GET as getExportsCsvRoute } from "../../src/app/api/w/[slug]/audit/exports.csv/route";
import { GET as getReviewsCsvRoute } from "../../src/app/api/w/[slug]/audit/reviews.csv/route";
import { exportAction } from "../../src/server/actions/export";
import { rerunExportAction } from "../../src/server/actions/audit";
import { reviewConversationsAction, undoReviewAction } from "../../src/server/actions/review";
import { buildComplianceReport, loadExportHistory, loadGenerationLog, loadReviewAudit } from "../../src/server/audit";
import type { DatabaseHandle } from "../../src/server/db/client";
import { conversations, exportLogs, generationLogs } from "../../src/server/db/schema";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const DATABASE_KEY = Symbol.for("brightrun.database");
const SLUG = "test-business";
const REVIEWER = "local:audit-tester";
const PROVIDER_ENV = ["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIGHTRUN_PROVIDER", "BRIGHTRUN_MODEL"];
const DAY = 86_400_000;

let handle: DatabaseHandle;
let workspaceId: string;
let exportDir: string;
const savedEnv: Record<string, string | undefined> = {};

function unwrap<T>(result: { ok: true; data: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`action failed: ${result.error.code}: ${result.error.message}`);
  return result.data;
}

/** RFC 4180 CSV into records keyed by the header row (quoted fields, doubled quotes). */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else if (ch !== "\r") field += ch;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...records] = rows;
  return records.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
}

const state = (query: string): AuditState => parseAuditParams(new URLSearchParams(query)).state;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function detailOf(conversationId: string): Promise<ConversationDetail> {
  const response = await getConversationRoute(new Request(`http://localhost/api/w/${SLUG}/conversations/${conversationId}`), { params: Promise.resolve({ slug: SLUG, conversationId }) });
  expect(response.status).toBe(200);
  return (await response.json()) as ConversationDetail;
}

async function review(ids: string[], action: "approve" | "reject", notes?: string) {
  return unwrap(await reviewConversationsAction(SLUG, { target: { ids }, action, notes }));
}

async function exportIds(ids: string[], status: Array<"approved" | "rejected" | "generated">) {
  return unwrap(await exportAction(SLUG, { selection: { kind: "filtered", filter: { ids, status }, search: "" }, format: "openai" }));
}

describe(`audit pages (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    for (const key of [...PROVIDER_ENV, "BRIGHTRUN_USER", "BRIGHTRUN_EXPORT_DIR"]) savedEnv[key] = process.env[key];
    for (const key of PROVIDER_ENV) delete process.env[key];
    process.env.BRIGHTRUN_USER = "audit-tester";
    exportDir = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-audit-export-"));
    process.env.BRIGHTRUN_EXPORT_DIR = exportDir;
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    (globalThis as Record<symbol, unknown>)[DATABASE_KEY] = Promise.resolve(handle);
    // Server actions and routes run as the local owner (the guard's seam for code outside a web request).
    setProcessPrincipal(localOwner());
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 6, scenario: 2, edge_case: 1 } });
    await runGeneration({
      handle,
      selection: { ids: ["tmpl-001", "tmpl-002", "tmpl-003", "tmpl-004", "tmpl-005", "scen-001"] },
      provider: createSimulatedProvider(),
      model: "simulated-composer-1",
      userId: "local:generator",
      concurrency: 2,
    });
    // Two older calls by another user, one failed, three days ago, for the date and error filters.
    const [scen2] = await handle.db.select().from(conversations).where(eq(conversations.conversationId, "scen-002"));
    const old = Date.now() - 3 * DAY;
    for (const [offset, errorCode] of [
      [0, "rate_limited"],
      [60_000, null],
    ] as const) {
      await handle.db.insert(generationLogs).values({
        workspaceId,
        conversationId: scen2.id,
        provider: "anthropic",
        model: "claude-sonnet-4-5",
        requestPayload: { messages: [{ role: "user", content: "older call" }] },
        responsePayload: errorCode ? null : { content: "older reply" },
        durationMs: 250,
        inputTokens: 40,
        outputTokens: errorCode ? 0 : 90,
        errorCode,
        errorMessage: errorCode ? "Too many requests." : null,
        userId: "local:night-shift",
        createdAt: new Date(old + offset),
      });
    }
  });

  afterAll(async () => {
    (globalThis as Record<symbol, unknown>)[DATABASE_KEY] = undefined;
    setProcessPrincipal(null);
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await handle?.close();
    fs.rmSync(exportDir, { recursive: true, force: true });
  });

  it("lists every call newest first and narrows it by conversation, user, error and days", async () => {
    const all = await loadGenerationLog({ db: handle.db, workspaceId, state: defaultAuditState() });
    expect(all.total).toBe(8);
    expect(all.rows.at(-1)).toMatchObject({ conversationId: "scen-002", errorCode: "rate_limited", userId: "local:night-shift" });
    expect(all.options.users).toEqual(["local:generator", "local:night-shift"]);
    expect(all.options.errorCodes).toEqual(["rate_limited"]);

    const one = await loadGenerationLog({ db: handle.db, workspaceId, state: state("conversation=tmpl-003") });
    expect(one.rows.map((r) => r.conversationId)).toEqual(["tmpl-003"]);
    expect(one.rows[0]).toMatchObject({ kind: "generate", userId: "local:generator", provider: "simulated" });

    expect((await loadGenerationLog({ db: handle.db, workspaceId, state: state("error=any") })).rows.map((r) => r.errorCode)).toEqual(["rate_limited"]);
    expect((await loadGenerationLog({ db: handle.db, workspaceId, state: state("user=local:night-shift") })).total).toBe(2);

    const threeDaysAgo = isoDay(Date.now() - 3 * DAY);
    const old = await loadGenerationLog({ db: handle.db, workspaceId, state: state(`from=${threeDaysAgo}&to=${threeDaysAgo}`) });
    expect(old.total).toBe(2);
    const recent = await loadGenerationLog({ db: handle.db, workspaceId, state: state(`from=${isoDay(Date.now())}`) });
    expect(recent.total).toBe(6);
    expect(recent.rows.every((r) => r.userId === "local:generator")).toBe(true);
  });

  it("opens one call with its request, response and figures", async () => {
    const [row] = await handle.db.select().from(generationLogs).where(eq(generationLogs.userId, "local:night-shift")).orderBy(desc(generationLogs.createdAt)).limit(1);
    const log = await loadGenerationLog({ db: handle.db, workspaceId, state: state(`call=${row.id}`) });
    expect(log.call).toMatchObject({ id: row.id, requestPayload: { messages: [{ role: "user", content: "older call" }] }, responsePayload: { content: "older reply" }, inputTokens: 40, outputTokens: 90, durationMs: 250 });
    const missing = await loadGenerationLog({ db: handle.db, workspaceId, state: state("call=00000000-0000-4000-8000-000000000000") });
    expect(missing).toMatchObject({ call: null, callMissing: true });
  });

  it("downloads the generation log as CSV with the page's filters", async () => {
    const day = isoDay(Date.now() - 3 * DAY);
    const response = await getGenerationCsvRoute(new Request(`http://localhost/api/w/${SLUG}/audit/generation.csv?from=${day}&to=${day}`), { params: Promise.resolve({ slug: SLUG }) });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="${SLUG}-generation-log.csv"`);
    const records = parseCsv(await response.text());
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ conversation_id: "scen-002", user_id: "local:night-shift", output_tokens: "90", error_code: "", duration_ms: "250" });
    expect(records[1]).toMatchObject({ error_code: "rate_limited", error_message: "Too many requests." });
    const everything = parseCsv(await (await getGenerationCsvRoute(new Request(`http://localhost/api/w/${SLUG}/audit/generation.csv`), { params: Promise.resolve({ slug: SLUG }) })).text());
    expect(everything).toHaveLength(8);
  });

  it("shows a conversation's review history after approve, undo and reject, newest first", async () => {
    expect((await detailOf("tmpl-001")).reviewHistory).toEqual([]);
    const approved = await review(["tmpl-001"], "approve");
    unwrap(await undoReviewAction(SLUG, { undoToken: approved.undoToken! }));
    await review(["tmpl-001"], "reject", "Advice contradicts the fee document.");
    const detail = await detailOf("tmpl-001");
    expect(detail.status).toBe("rejected");
    expect(detail.reviewHistory.map((e) => [e.action, e.reviewerId, e.previousStatus, e.reviewerNotes])).toEqual([
      ["reject", REVIEWER, "generated", "Advice contradicts the fee document."],
      ["undo", REVIEWER, "approved", null],
      ["approve", REVIEWER, "generated", null],
    ]);
  });

  it("downloads one conversation's review events as CSV, oldest first", async () => {
    const response = await getReviewsCsvRoute(new Request(`http://localhost/api/w/${SLUG}/audit/reviews.csv?tab=reviews&conversation=tmpl-001`), { params: Promise.resolve({ slug: SLUG }) });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="${SLUG}-review-log.csv"`);
    const records = parseCsv(await response.text());
    expect(records.map((r) => [r.conversation_id, r.action, r.reviewer_id, r.previous_status, r.reviewer_notes])).toEqual([
      ["tmpl-001", "approve", REVIEWER, "generated", ""],
      ["tmpl-001", "undo", REVIEWER, "approved", ""],
      ["tmpl-001", "reject", REVIEWER, "generated", "Advice contradicts the fee document."],
    ]);
    const tomorrow = isoDay(Date.now() + DAY);
    const none = await getReviewsCsvRoute(new Request(`http://localhost/api/w/${SLUG}/audit/reviews.csv?from=${tomorrow}`), { params: Promise.resolve({ slug: SLUG }) });
    expect(parseCsv(await none.text())).toEqual([]);
  });

  it("answers yes when every exported conversation was approved by a reviewer", async () => {
    await review(["tmpl-002"], "approve");
    await review(["tmpl-003"], "approve", "Good.");
    const first = await exportIds(["tmpl-002", "tmpl-003"], ["approved"]);
    expect(first.conversationCount).toBe(2);
    const report = await buildComplianceReport({ db: handle.db, workspaceId });
    expect(report).toMatchObject({ exports: 1, checked: 2, exceptions: [], unverifiable: [] });
  });

  it("lists each exception with why: rejected, undone, never reviewed", async () => {
    const undone = await review(["tmpl-005"], "approve");
    unwrap(await undoReviewAction(SLUG, { undoToken: undone.undoToken! }));
    const second = await exportIds(["tmpl-001", "tmpl-004", "tmpl-005"], ["rejected", "generated"]);
    expect(second.conversationCount).toBe(3);
    const { compliance, activity } = await loadReviewAudit({ db: handle.db, workspaceId, state: state("tab=reviews") });
    expect(compliance.exports).toBe(2);
    expect(compliance.exceptions.map((e) => [e.conversationId, e.reason, e.exportId])).toEqual([
      ["tmpl-001", "rejected", second.exportId],
      ["tmpl-004", "no_review", second.exportId],
      ["tmpl-005", "undone", second.exportId],
    ]);
    expect(compliance.exceptions[0]).toMatchObject({ lastReviewBy: REVIEWER, exportedBy: REVIEWER });
    // Activity per reviewer: approve ×4 (tmpl-001, -002, -003, -005), reject ×1, undo ×2, one note each on a reject and an approve.
    // (The sample's seeds are logged as approved by the importing user, "local:test".)
    expect(activity.find((a) => a.reviewerId === REVIEWER)).toMatchObject({ approved: 4, rejected: 1, undone: 2, withNotes: 2 });
    expect(activity.map((a) => a.reviewerId).sort()).toEqual([REVIEWER, "local:test"]);
    const tomorrow = isoDay(Date.now() + DAY);
    expect((await loadReviewAudit({ db: handle.db, workspaceId, state: state(`tab=reviews&from=${tomorrow}`) })).activity).toEqual([]);
  });

  it("lists the export history with filters in words and the table link, and downloads it as CSV", async () => {
    const history = await loadExportHistory({ db: handle.db, workspaceId, state: state("tab=exports") });
    expect(history.total).toBe(2);
    const [second, first] = history.rows;
    expect(first).toMatchObject({ userId: REVIEWER, conversationCount: 2, format: "openai" });
    expect(second.filterLines).toEqual(expect.arrayContaining(["Conversations: 3 chosen by id", "Status: Rejected, Generated"]));
    expect(new URLSearchParams(second.tableQuery!).get("status")).toBe("rejected,generated");
    expect(second.tableQueryNote).toMatch(/cannot carry the chosen conversation ids/);
    const opened = await loadExportHistory({ db: handle.db, workspaceId, state: state(`tab=exports&export=${first.exportId}`) });
    expect(opened.opened?.manifest).toMatchObject({ export_id: first.exportId, conversation_ids: ["tmpl-002", "tmpl-003"] });

    const response = await getExportsCsvRoute(new Request(`http://localhost/api/w/${SLUG}/audit/exports.csv?tab=exports`), { params: Promise.resolve({ slug: SLUG }) });
    expect(response.status).toBe(200);
    const records = parseCsv(await response.text());
    expect(records.map((r) => [r.export_id, r.conversation_count, r.user_id])).toEqual([
      [second.exportId, "3", REVIEWER],
      [first.exportId, "2", REVIEWER],
    ]);
    expect(records[1].filter_state).toContain("Status: Approved");
  });

  it("re-runs an export from history: a new logged export with the same settings and the same records", async () => {
    const [original] = await handle.db.select().from(exportLogs).where(eq(exportLogs.conversationCount, 2));
    const outcome = unwrap(await rerunExportAction(SLUG, { exportId: original.exportId }));
    expect(outcome.exportId).not.toBe(original.exportId);
    expect(outcome.conversationCount).toBe(2);
    const [again] = await handle.db.select().from(exportLogs).where(eq(exportLogs.exportId, outcome.exportId));
    expect(again).toMatchObject({ format: original.format, filterState: original.filterState, userId: REVIEWER, conversationCount: 2 });
    expect(again.metadata.conversation_ids).toEqual(original.metadata.conversation_ids);
    expect(fs.readFileSync(again.filePath, "utf8")).toBe(fs.readFileSync(original.filePath, "utf8"));
    // The original row is left exactly as it was.
    const [unchanged] = await handle.db.select().from(exportLogs).where(eq(exportLogs.exportId, original.exportId));
    expect(unchanged).toEqual(original);

    const unknown = await rerunExportAction(SLUG, { exportId: "no-such-export" });
    expect(unknown).toMatchObject({ ok: false, error: { code: "export_not_found" } });
  });
  it("counts a since-deleted conversation as an exception and an export without conversation ids as unverifiable", async () => {
    const future = new Date(Date.now() + 2 * DAY);
    const base = { workspaceId, userId: REVIEWER, filterState: {}, format: "openai" as const, filePath: "/nonexistent.jsonl", exportedAt: future };
    await handle.db.insert(exportLogs).values([
      { ...base, exportId: "exp-deleted", conversationCount: 2, metadata: { conversation_ids: ["tmpl-002", "tmpl-gone"] } },
      { ...base, exportId: "exp-no-manifest-ids", conversationCount: 1, metadata: {} },
    ]);
    const report = await buildComplianceReport({ db: handle.db, workspaceId, from: new Date(future.getTime() - 1000) });
    expect(report.exports).toBe(2);
    expect(report.checked).toBe(2);
    expect(report.exceptions).toEqual([expect.objectContaining({ exportId: "exp-deleted", conversationId: "tmpl-gone", reason: "deleted", lastReviewBy: null, lastReviewAt: null })]);
    expect(report.unverifiable.map((u) => u.exportId)).toEqual(["exp-no-manifest-ids"]);
  });
});
