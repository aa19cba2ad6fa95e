/**
 * The dashboard's server actions and routes end to end on a real database (PGlite, or PostgreSQL
 * with BRIGHTRUN_TEST_DB=postgres): the process's database singleton (getDatabase) is pointed at
 * this file's freshly migrated database, so the actions run exactly as in the web server —
 * parse, permission guard, operation, queries.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localOwner, setProcessPrincipal } from "../../src/server/auth";
import { generateNow as runGeneration } from "../support/generate-now";
import { importPath } from "../../src/core/import/import-workspace";
import { createSimulatedProvider } from "../../src/core/llm/simulated-provider";
import { createPlan } from "../../src/core/planning/create-plan";
import type { ConversationDetail } from "../../src/lib/dashboard-contract";
import { GET as getConversationRoute } from "../../src/app/api/w/[slug]/conversations/[conversationId]/route";
import { GET as getExportDownloadRoute } from "../../src/app/api/w/[slug]/export-downloads/[exportId]/route";
import { GET as getActiveRunsRoute } from "../../src/app/api/w/[slug]/runs/active/route";
import { deleteConversationsAction, getPreviewPositionAction, planDatasetAction } from "../../src/server/actions/conversations";
import { exportApprovedAction } from "../../src/server/actions/export";
import { cancelRunAction, estimateGenerationAction, pauseRunAction, startGenerationAction } from "../../src/server/actions/generation";
import { reviewConversationsAction, undoReviewAction } from "../../src/server/actions/review";
import { loadConversationsDashboard } from "../../src/server/dashboard";
import type { DatabaseHandle } from "../../src/server/db/client";
import { markConversationFailed } from "../../src/server/db/queries/conversations";
import { insertGenerationLog } from "../../src/server/db/queries/runs";
import { conversations, conversationTurns, exportLogs, generationRunItems, generationRuns, reviewLogs } from "../../src/server/db/schema";
import { REVIEW_NOTES_TOO_LONG_MESSAGE } from "../../src/core/review/review-rules";
import { EDGE_CASE_BULK_REASON } from "../../src/server/operations/review";
import { SIMULATED_PROVIDER_WARNING } from "../../src/server/operations/generation";
import { defaultConversationTableState } from "../../src/lib/conversation-table-params";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";
import { createWorkspace, setWorkspaceArchived } from "../../src/server/workspaces";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const DATABASE_KEY = Symbol.for("brightrun.database");
const REVIEWER = "local:dashboard-tester";
const PROVIDER_ENV = ["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIGHTRUN_PROVIDER", "BRIGHTRUN_MODEL"];

let handle: DatabaseHandle;
let workspaceId: string;
/** The slug of the test workspace (createTestWorkspace's default name). */
const SLUG = "test-business";
let exportDir: string;
const savedEnv: Record<string, string | undefined> = {};

function unwrap<T>(result: { ok: true; data: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`action failed: ${result.error.code}: ${result.error.message}`);
  return result.data;
}

async function statuses(ids: string[]): Promise<Record<string, string>> {
  const rows = await handle.db
    .select({ id: conversations.conversationId, status: conversations.status })
    .from(conversations)
    .where(inArray(conversations.conversationId, ids));
  return Object.fromEntries(rows.map((r) => [r.id, r.status]));
}

async function idsWhere(where: ReturnType<typeof and>): Promise<string[]> {
  const rows = await handle.db.select({ id: conversations.conversationId }).from(conversations).where(where).orderBy(asc(conversations.conversationId));
  return rows.map((r) => r.id);
}

async function reviewLogCount(): Promise<number> {
  const [row] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(reviewLogs);
  return Number(row.n);
}

describe(`dashboard actions and routes (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    for (const key of [...PROVIDER_ENV, "BRIGHTRUN_USER", "BRIGHTRUN_EXPORT_DIR"]) savedEnv[key] = process.env[key];
    for (const key of PROVIDER_ENV) delete process.env[key];
    process.env.BRIGHTRUN_USER = "dashboard-tester";
    exportDir = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-dashboard-export-"));
    process.env.BRIGHTRUN_EXPORT_DIR = exportDir;

    handle = await createTestDatabase();

    workspaceId = (await createTestWorkspace(handle.db)).id;
    (globalThis as Record<symbol, unknown>)[DATABASE_KEY] = Promise.resolve(handle);
    // Server actions and routes run as the local owner (the guard's seam for code outside a web request).
    setProcessPrincipal(localOwner());
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 8, scenario: 6, edge_case: 4 } });
    const generated = ["tmpl-001", "tmpl-002", "tmpl-003", "tmpl-004", "tmpl-005", "tmpl-006", "scen-001", "scen-002", "scen-003", "scen-004", "edge-001", "edge-002", "edge-003"];
    await runGeneration({ handle, selection: { ids: generated }, provider: createSimulatedProvider(), model: "simulated-composer-1", userId: "local:test", concurrency: 3 });
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

  it("bulk-approves everything matching (edge cases left for one-by-one review), then Undo puts every status back and logs both with the reviewer", async () => {
    const before = await statuses(["tmpl-001", "tmpl-002", "tmpl-003", "tmpl-004", "tmpl-005", "tmpl-006", "edge-001"]);
    expect(Object.values(before).every((s) => s === "generated")).toBe(true);
    const logsBefore = await reviewLogCount();

    const outcome = unwrap(
      await reviewConversationsAction(SLUG, { target: { matching: { filter: { tier: ["template", "edge_case"], status: ["generated"] } } }, action: "approve", notes: "Reads well." }),
    );
    expect(outcome.reviewed).toEqual(["tmpl-001", "tmpl-002", "tmpl-003", "tmpl-004", "tmpl-005", "tmpl-006"]);
    expect(outcome.skipped).toEqual(["edge-001", "edge-002", "edge-003"].map((conversationId) => ({ conversationId, reason: EDGE_CASE_BULK_REASON })));
    expect(outcome.undoToken).toBeTruthy();
    expect(Object.values(await statuses(outcome.reviewed)).every((s) => s === "approved")).toBe(true);

    const undone = unwrap(await undoReviewAction(SLUG, { undoToken: outcome.undoToken as string }));
    expect(undone.restored).toEqual(outcome.reviewed);
    expect(undone.skipped).toEqual([]);
    expect(await statuses(Object.keys(before))).toEqual(before);
    const [tmpl1] = await handle.db.select().from(conversations).where(eq(conversations.conversationId, "tmpl-001"));
    expect(tmpl1).toMatchObject({ reviewerId: null, reviewerNotes: null, reviewedAt: null });

    const logs = await handle.db.select().from(reviewLogs).where(eq(reviewLogs.batchId, outcome.undoToken as string));
    expect(logs.filter((l) => l.action === "approve")).toHaveLength(6);
    expect(logs.filter((l) => l.action === "undo")).toHaveLength(6);
    expect(logs.every((l) => l.reviewerId === REVIEWER)).toBe(true);
    expect(logs.filter((l) => l.action === "approve").every((l) => l.previousStatus === "generated" && l.reviewerNotes === "Reads well.")).toBe(true);
    expect(logs.filter((l) => l.action === "undo").every((l) => l.previousStatus === "approved")).toBe(true);
    expect(await reviewLogCount()).toBe(logsBefore + 12);

    const again = await undoReviewAction(SLUG, { undoToken: outcome.undoToken as string });
    expect(again).toMatchObject({ ok: false, error: { code: "undo_already_done" } });
  });

  it("approves a single edge case from the preview (one below the edge-case bar only with a note), and Undo refuses a conversation changed since while restoring the rest", async () => {
    await handle.db.update(conversations).set({ qualityScore: 7.5 }).where(eq(conversations.conversationId, "edge-001"));
    const refused = unwrap(await reviewConversationsAction(SLUG, { target: { ids: ["edge-001"] }, action: "approve" }));
    expect(refused.reviewed).toEqual([]);
    expect(refused.skipped).toEqual([
      { conversationId: "edge-001", reason: "it does not meet edge-case criteria: its quality score 7.5 is below 8; approve it with a note saying why" },
    ]);
    const single = unwrap(await reviewConversationsAction(SLUG, { target: { ids: ["edge-001"] }, action: "approve", notes: "Stays calm under pressure; approved by hand." }));
    expect(single.reviewed).toEqual(["edge-001"]);

    const bulk = unwrap(await reviewConversationsAction(SLUG, { target: { ids: ["tmpl-001", "tmpl-002"] }, action: "reject", notes: "Too generic." }));
    expect(bulk.reviewed).toEqual(["tmpl-001", "tmpl-002"]);
    // Someone approves tmpl-001 after the reject: the undo must not put it back.
    unwrap(await reviewConversationsAction(SLUG, { target: { ids: ["tmpl-001"] }, action: "approve" }));

    const undone = unwrap(await undoReviewAction(SLUG, { undoToken: bulk.undoToken as string }));
    expect(undone.restored).toEqual(["tmpl-002"]);
    expect(undone.skipped).toEqual([{ conversationId: "tmpl-001", reason: "it was changed since (it is now approved)" }]);
    expect(await statuses(["tmpl-001", "tmpl-002", "edge-001"])).toEqual({ "tmpl-001": "approved", "tmpl-002": "generated", "edge-001": "approved" });

    // An undo is accepted only for UNDO_ACCEPT_MS (60 s) after the action.
    const late = unwrap(await reviewConversationsAction(SLUG, { target: { ids: ["tmpl-003"] }, action: "reject" }));
    await handle.db.execute(sql`update review_logs set timestamp = timestamp - interval '2 minutes' where batch_id = ${late.undoToken}::uuid`);
    expect(await undoReviewAction(SLUG, { undoToken: late.undoToken as string })).toMatchObject({ ok: false, error: { code: "undo_expired" } });
    expect(await statuses(["tmpl-003"])).toEqual({ "tmpl-003": "rejected" });
    expect(await undoReviewAction(SLUG, { undoToken: "not-a-token" })).toMatchObject({ ok: false, error: { code: "undo_invalid" } });
  });

  it("refuses a reject with 501-character notes with a plain error and changes nothing", async () => {
    const logsBefore = await reviewLogCount();
    const before = await statuses(["tmpl-004"]);
    const result = await reviewConversationsAction(SLUG, { target: { ids: ["tmpl-004"] }, action: "reject", notes: "n".repeat(501) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toEqual({ code: "invalid_input", message: REVIEW_NOTES_TOO_LONG_MESSAGE, retryable: false });
    expect(await statuses(["tmpl-004"])).toEqual(before);
    expect(await reviewLogCount()).toBe(logsBefore);
  });

  it("targets every conversation matching filter + search minus the unticked ones", async () => {
    const scenarios = await idsWhere(and(eq(conversations.tier, "scenario"), eq(conversations.status, "generated")));
    expect(scenarios.length).toBeGreaterThanOrEqual(3);
    const except = [scenarios[0], scenarios[2]];
    const result = unwrap(
      await reviewConversationsAction(SLUG, { target: { matching: { filter: { tier: ["scenario"], status: ["generated"] }, search: "scen-" }, exceptIds: except }, action: "reject" }),
    );
    expect(result.reviewed).toEqual(scenarios.filter((id) => !except.includes(id)));
    expect(await statuses(except)).toEqual(Object.fromEntries(except.map((id) => [id, "generated"])));
    unwrap(await undoReviewAction(SLUG, { undoToken: result.undoToken as string }));
  });

  it("deletes conversations with their turns in one go, skipping seeds with the reason", async () => {
    const [victim] = await handle.db.select().from(conversations).where(eq(conversations.conversationId, "tmpl-005"));
    const turnsBefore = await handle.db.select().from(conversationTurns).where(eq(conversationTurns.conversationId, victim.id));
    expect(turnsBefore.length).toBeGreaterThan(0);

    // A client that skipped the confirmation checkbox (the type forbids it; the server must too).
    const unconfirmed = await deleteConversationsAction(SLUG, { target: { ids: ["tmpl-005"] }, confirmed: false } as never);
    expect(unconfirmed).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(await statuses(["tmpl-005"])).toEqual({ "tmpl-005": "generated" });

    const outcome = unwrap(await deleteConversationsAction(SLUG, { target: { ids: ["seed-001", "tmpl-005", "scen-006"] }, confirmed: true }));
    expect(outcome.deleted).toEqual(["scen-006", "tmpl-005"]);
    expect(outcome.skipped).toEqual([{ conversationId: "seed-001", reason: "seed conversations are locked and cannot be deleted" }]);
    expect(await statuses(["seed-001", "tmpl-005", "scen-006"])).toEqual({ "seed-001": "approved" });
    expect(await handle.db.select().from(conversationTurns).where(eq(conversationTurns.conversationId, victim.id))).toHaveLength(0);
  });

  it("estimates all not-generated conversations per tier and warns that the simulated provider is not a language model", async () => {
    const notGenerated = await idsWhere(and(eq(conversations.status, "not_generated")));
    const estimate = unwrap(await estimateGenerationAction(SLUG, { scope: { kind: "all_not_generated" } }));
    expect(estimate.count).toBe(notGenerated.length);
    expect(estimate.perTier.template.conversations).toBe(notGenerated.filter((id) => id.startsWith("tmpl-")).length);
    expect(estimate.perTier.scenario.conversations).toBe(notGenerated.filter((id) => id.startsWith("scen-")).length);
    expect(estimate.perTier.edge_case.conversations).toBe(notGenerated.filter((id) => id.startsWith("edge-")).length);
    expect(estimate.provider).toEqual({ name: "simulated", model: expect.any(String), isLanguageModel: false });
    expect(estimate.warnings).toContain(SIMULATED_PROVIDER_WARNING);
  });

  it("starts generation of exactly the failed conversations, enqueued for the worker, and pauses and cancels it", async () => {
    const failing = ["scen-003", "tmpl-006"];
    for (const conversationId of failing) {
      const [row] = await handle.db.select().from(conversations).where(eq(conversations.conversationId, conversationId));
      await markConversationFailed({
        db: handle.db,
        id: row.id,
        error: { code: "malformed_response", message: "The model's reply was not the JSON conversation asked for.", retryable: true, detail: { status: 200 } },
        rawReply: `Sure! Here is a conversation about ${conversationId}…`,
        usage: { inputTokens: 10, outputTokens: 5, costUsd: 0, provider: "simulated", model: "simulated-composer-1" },
      });
    }
    const started = unwrap(await startGenerationAction(SLUG, { scope: { kind: "all_failed" }, budgetUsd: 5 }));
    expect(started.total).toBe(2);
    expect(started.runId).toBeTruthy();
    const runId = started.runId as string;
    const [run] = await handle.db.select().from(generationRuns).where(eq(generationRuns.id, runId));
    expect(run).toMatchObject({ status: "running", provider: "simulated", budgetUsd: 5, createdBy: REVIEWER, concurrency: 3 });
    expect(run.estimate).toMatchObject({ conversations: 2 });
    const items = await handle.db
      .select({ id: conversations.conversationId })
      .from(generationRunItems)
      .innerJoin(conversations, eq(conversations.id, generationRunItems.conversationId))
      .where(eq(generationRunItems.runId, runId))
      .orderBy(asc(conversations.conversationId));
    expect(items.map((i) => i.id)).toEqual(failing);
    const jobs = await handle.db.execute(sql`select count(*)::int as n from pgboss.job where name = 'generate-conversation' and data->>'runId' = ${runId}`);
    expect(Number((jobs as unknown as { rows: Array<{ n: number }> }).rows[0].n)).toBe(2);

    expect(unwrap(await pauseRunAction(SLUG, { runId })).status).toBe("paused");
    const active = (await (await getActiveRunsRoute(new Request("http://localhost/"), { params: Promise.resolve({ slug: SLUG }) })).json()) as { runs: Array<{ runId: string; status: string }> };
    expect(active.runs.map((r) => r.runId)).toContain(runId);
    const dashboard = await loadConversationsDashboard(SLUG, defaultConversationTableState());
    expect(dashboard.activeRuns[0]).toMatchObject({ runId, status: "paused" });
    expect(dashboard.failedTotal).toBe(2);

    expect(unwrap(await cancelRunAction(SLUG, { runId })).status).toBe("cancelled");
    const after = (await (await getActiveRunsRoute(new Request("http://localhost/"), { params: Promise.resolve({ slug: SLUG }) })).json()) as { runs: Array<{ runId: string }> };
    expect(after.runs.map((r) => r.runId)).not.toContain(runId);
    expect(await pauseRunAction(SLUG, { runId: "not-a-uuid" })).toMatchObject({ ok: false, error: { code: "invalid_input" } });
  });

  it("shows a failed conversation's error code, message, retryable, when it happened and the raw reply", async () => {
    const [row] = await handle.db.select().from(conversations).where(eq(conversations.conversationId, "scen-003"));
    const failedAt = new Date("2026-11-20T09:30:00.000Z");
    await insertGenerationLog({
      db: handle.db,
      values: {
        conversationId: row.id,
        provider: "simulated",
        model: "simulated-composer-1",
        requestPayload: {},
        durationMs: 12,
        errorCode: "malformed_response",
        errorMessage: "The model's reply was not the JSON conversation asked for.",
        userId: REVIEWER,
        createdAt: failedAt,
      },
    });
    const response = await getConversationRoute(new Request("http://localhost/api/conversations/scen-003"), { params: Promise.resolve({ slug: SLUG, conversationId: "scen-003" }) });
    expect(response.status).toBe(200);
    const detail = (await response.json()) as ConversationDetail;
    expect(detail).toMatchObject({ conversationId: "scen-003", status: "failed", tier: "scenario", rawReply: "Sure! Here is a conversation about scen-003…" });
    expect(detail.lastError).toEqual({
      code: "malformed_response",
      message: "The model's reply was not the JSON conversation asked for.",
      retryable: true,
      detail: { status: 200 },
      at: failedAt.toISOString(),
    });
    expect(detail.persona.name.length).toBeGreaterThan(0);

    const generated = (await (await getConversationRoute(new Request("http://localhost/"), { params: Promise.resolve({ slug: SLUG, conversationId: "tmpl-004" }) })).json()) as ConversationDetail;
    expect(generated.turns.length).toBe(generated.turnCount);
    expect(generated.turns[0]).toMatchObject({ turnNumber: 1, role: "user" });
    expect(generated.quality?.score).toBe(generated.qualityScore);
    expect(generated.lastError).toBeNull();

    const missing = await getConversationRoute(new Request("http://localhost/"), { params: Promise.resolve({ slug: SLUG, conversationId: "nope-999" }) });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "conversation_not_found" } });
  });

  it("gives the preview the Nth conversation of the sorted, filtered set, and null past the end", async () => {
    const expected = await idsWhere(and(eq(conversations.tier, "template")));
    const sort = { column: "conversation_id" as const, direction: "desc" as const };
    const descending = [...expected].reverse();
    for (const position of [1, 3, descending.length]) {
      const result = unwrap(await getPreviewPositionAction(SLUG, { filter: { tier: ["template"] }, sort, position }));
      expect(result).toEqual({ conversationId: descending[position - 1], position, total: descending.length });
    }
    const past = unwrap(await getPreviewPositionAction(SLUG, { filter: { tier: ["template"] }, sort, position: descending.length + 1 }));
    expect(past).toEqual({ conversationId: null, position: descending.length + 1, total: descending.length });
    const searched = unwrap(await getPreviewPositionAction(SLUG, { filter: {}, search: "tmpl-00", sort: { column: "conversation_id", direction: "asc" }, position: 2 }));
    expect(searched.conversationId).toBe(expected.filter((id) => id.startsWith("tmpl-00"))[1]);
  });

  it("exports the approved conversations to a downloadable file whose lines are those conversations", async () => {
    unwrap(await reviewConversationsAction(SLUG, { target: { ids: ["tmpl-002", "tmpl-004"] }, action: "approve" }));
    const approved = await idsWhere(and(eq(conversations.status, "approved")));
    expect(approved).toEqual(expect.arrayContaining(["edge-001", "tmpl-001", "tmpl-002", "tmpl-004"]));
    // hf lines carry the conversation id beside the messages.
    const outcome = unwrap(await exportApprovedAction(SLUG, { format: "hf" }));
    expect(outcome.conversationCount).toBe(approved.length);
    expect(outcome.downloadUrl).toBe(`/api/w/${SLUG}/export-downloads/${outcome.exportId}`);
    expect(fs.readdirSync(exportDir)).toHaveLength(1);

    const response = await getExportDownloadRoute(new Request(`http://localhost${outcome.downloadUrl}`), { params: Promise.resolve({ slug: SLUG, exportId: outcome.exportId }) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain(`attachment; filename="${outcome.fileName}"`);
    expect(response.headers.get("content-type")).toMatch(/jsonl/);
    const lines = (await response.text()).trim().split("\n");
    const exportedIds = lines.map((line) => (JSON.parse(line) as { conversation_id: string }).conversation_id).sort();
    expect(exportedIds).toEqual(approved);

    const unknown = await getExportDownloadRoute(new Request("http://localhost/"), { params: Promise.resolve({ slug: SLUG, exportId: "../../etc/passwd" }) });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "export_not_found" } });
  });

  it("gives two identical exports in a row two folders, and each download serves its own export's files", async () => {
    const download = async (exportId: string, file?: string) =>
      getExportDownloadRoute(new Request(`http://localhost/api/export-downloads/${exportId}${file ? `?file=${encodeURIComponent(file)}` : ""}`), {
        params: Promise.resolve({ slug: SLUG, exportId }),
      });
    const before = new Set(fs.readdirSync(exportDir));
    const first = unwrap(await exportApprovedAction(SLUG, { format: "json" }));
    const second = unwrap(await exportApprovedAction(SLUG, { format: "json" }));
    expect(second.exportId).not.toBe(first.exportId);
    // Same day, same count, same format: the same readable file name, in two folders.
    expect(second.fileName).toBe(first.fileName);
    const added = fs.readdirSync(exportDir).filter((name) => !before.has(name)).sort();
    expect(added).toHaveLength(2);
    expect(added.map((name) => name.slice(-36)).sort()).toEqual([first.exportId, second.exportId].sort());

    for (const exported of [first, second]) {
      const data = await download(exported.exportId);
      expect(data.status).toBe(200);
      const document = (await data.json()) as { manifest: { export_id: string } };
      expect(document.manifest.export_id).toBe(exported.exportId);
      const manifestName = exported.fileName.replace(/\.json$/, "-manifest.json");
      const manifest = await download(exported.exportId, manifestName);
      expect(manifest.status).toBe(200);
      expect(((await manifest.json()) as { export_id: string }).export_id).toBe(exported.exportId);
    }
    const outside = await download(first.exportId, "../../package.json");
    expect(outside.status).toBe(404);
    expect(await outside.json()).toMatchObject({ error: { code: "export_not_found", message: expect.stringContaining("has no file named") } });

    // An export made before each export had its own folder, whose files a later export replaced:
    // its link answers 404 instead of serving the later export's file.
    const legacyDir = path.join(exportDir, "training-data-legacy-json");
    fs.mkdirSync(legacyDir);
    const firstDir = added.find((name) => name.endsWith(first.exportId)) as string;
    for (const name of fs.readdirSync(path.join(exportDir, firstDir))) fs.copyFileSync(path.join(exportDir, firstDir, name), path.join(legacyDir, name));
    const legacyManifestPath = path.join(legacyDir, first.fileName.replace(/\.json$/, "-manifest.json"));
    const laterManifest = JSON.parse(fs.readFileSync(legacyManifestPath, "utf8")) as Record<string, unknown>;
    delete laterManifest.export_id;
    laterManifest.exported_at = "2026-11-22T09:00:00.000Z";
    fs.writeFileSync(legacyManifestPath, JSON.stringify(laterManifest));
    await handle.db.insert(exportLogs).values({
      workspaceId,
      exportId: "legacy-export",
      userId: REVIEWER,
      conversationCount: 1,
      filterState: {},
      format: "json",
      filePath: path.join(legacyDir, first.fileName),
      exportedAt: new Date("2026-11-21T09:00:00.000Z"),
      metadata: { files: [{ name: first.fileName, role: "data", records: 1 }] },
    });
    const replaced = await download("legacy-export");
    expect(replaced.status).toBe(404);
    expect(await replaced.json()).toMatchObject({ error: { code: "export_not_found", message: expect.stringContaining("replaced by a later export") } });
  });

  it("plans more conversations like `brightrun plan --total N`, keeping the slots already planned", async () => {
    const [before] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(conversations).where(sql`${conversations.planSlot} is not null`);
    const outcome = unwrap(await planDatasetAction(SLUG, { total: 20 }));
    expect(outcome.perTier).toEqual({ template: 9, scenario: 8, edge_case: 3 });
    expect(outcome.planned).toBe(20);
    const [after] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(conversations).where(sql`${conversations.planSlot} is not null`);
    expect(Number(after.n)).toBe(Number(before.n) + outcome.created);
    expect(await planDatasetAction(SLUG, { total: 0 })).toMatchObject({ ok: false, error: { code: "invalid_input", message: "total: Plan at least 1 conversation." } });
  });

  it("an archived workspace can be read (and its exports downloaded) but not changed; another workspace's conversations are not found through this one", async () => {
    const [approved] = await handle.db.select({ conversationId: conversations.conversationId }).from(conversations).where(eq(conversations.status, "approved")).limit(1);
    await setWorkspaceArchived(handle.db, SLUG, true);
    try {
      expect(await reviewConversationsAction(SLUG, { target: { ids: [approved.conversationId] }, action: "reject" })).toMatchObject({
        ok: false,
        error: { code: "workspace_archived", message: expect.stringMatching(/is archived, so nothing in it can be changed/) },
      });
      expect(await planDatasetAction(SLUG, { total: 30 })).toMatchObject({ ok: false, error: { code: "workspace_archived" } });
      const page = await loadConversationsDashboard(SLUG, defaultConversationTableState());
      expect(page.workspace).toMatchObject({ slug: SLUG, archived: true });
      const exported = await handle.db.select({ exportId: exportLogs.exportId }).from(exportLogs).where(eq(exportLogs.workspaceId, workspaceId)).limit(1);
      const response = await getExportDownloadRoute(new Request("http://localhost/"), { params: Promise.resolve({ slug: SLUG, exportId: exported[0].exportId }) });
      expect(response.status).toBe(200);
    } finally {
      await setWorkspaceArchived(handle.db, SLUG, false);
    }
    const other = await createWorkspace(handle.db, { name: "Another business" });
    const missing = await getConversationRoute(new Request("http://localhost/"), { params: Promise.resolve({ slug: other.slug, conversationId: approved.conversationId }) });
    expect(missing.status).toBe(404);
  });
});
