/**
 * Retention and database health (issue 13 items 6 and 7), on PGlite and on PostgreSQL when
 * TEST_DATABASE_URL is set: the retention pass removes exactly what is past each window (and the
 * export folders on disk), drops payloads while the call's figures stay, leaves review history and
 * other workspaces alone; the hourly pg-boss schedule really runs it; the Settings action refuses
 * bad windows in plain English; redaction applies before a log row is written; `brightrun
 * retention run` prints what it removed; the health page's queries return on both databases.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { localOwner, setProcessPrincipal } from "../../src/server/auth";
import { importPath } from "../../src/core/import/import-workspace";
import { describeRetentionFailure, enforceRetention, enforceWorkspaceRetention } from "../../src/core/retention/enforce-retention";
import { defaultAuditState } from "../../src/lib/audit-params";
import { EMAIL_REDACTION, PHONE_REDACTION } from "../../src/lib/redact-pii";
import { saveRetentionSettingsAction } from "../../src/server/actions/workspaces";
import { loadGenerationLog } from "../../src/server/audit";
import { loadDatabaseHealth } from "../../src/server/database-health";
import { openDatabase, type DatabaseHandle } from "../../src/server/db/client";
import { insertQueryTimings } from "../../src/server/db/queries/database-health";
import { insertGenerationLog } from "../../src/server/db/queries/runs";
import { insertTemplateTestLog } from "../../src/server/db/queries/template-tests";
import { conversations, exportLogs, generationLogs, queryTimings, reviewLogs, workspaces } from "../../src/server/db/schema";
import { startRetentionSchedule } from "../../src/server/jobs/retention-job";
import { flushQueryTimings, timedQuery } from "../../src/server/query-timing";
import { setRetentionSettings } from "../../src/server/workspaces";
import { runBrightrun } from "../support/app-process";
import { createTestDatabase, createTestDatabaseUrl, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

/** Who changes the settings in these tests (the settings audit records the name). */
const TEST_ACTOR = { id: "local:test", displayName: "test" };

// Outside a Next.js request there is no page cache to revalidate; the action's own work is real.
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const DATABASE_KEY = Symbol.for("brightrun.database");
const DAY = 86_400_000;
const NOW = Date.now();
const daysAgo = (days: number) => new Date(NOW - days * DAY);

let handle: DatabaseHandle;
let exportDir: string;

/** One generation_logs row `days` old with payloads and figures. */
async function logRow(workspaceId: string, days: number, tag: string): Promise<string> {
  const [row] = await handle.db
    .insert(generationLogs)
    .values({
      workspaceId,
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      requestPayload: { messages: [{ role: "user", content: `request ${tag}` }] },
      responsePayload: { content: `reply ${tag}` },
      inputTokens: 1200,
      outputTokens: 800,
      costUsd: 0.0156,
      durationMs: 4321,
      userId: "local:retention-tester",
      createdAt: daysAgo(days),
    })
    .returning({ id: generationLogs.id });
  return row.id;
}

/** One export `days` old with its folder on disk (as write-export lays it out). */
async function exportRow(workspaceId: string, days: number, exportId: string): Promise<string> {
  const folder = path.join(exportDir, `dataset-openai-${exportId}`);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, "dataset.jsonl"), "{}\n");
  fs.writeFileSync(path.join(folder, "dataset-manifest.json"), "{}");
  await handle.db.insert(exportLogs).values({
    workspaceId,
    exportId,
    userId: "local:retention-tester",
    conversationCount: 1,
    filterState: { status: ["approved"] },
    format: "openai",
    filePath: path.join(folder, "dataset.jsonl"),
    exportedAt: daysAgo(days),
    metadata: {},
  });
  return folder;
}

describe(`retention and database health (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    exportDir = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-retention-"));
    handle = await createTestDatabase();
    (globalThis as Record<symbol, unknown>)[DATABASE_KEY] = Promise.resolve(handle);
    // Server actions and routes run as the local owner (the guard's seam for code outside a web request).
    setProcessPrincipal(localOwner());
  });

  afterAll(async () => {
    (globalThis as Record<symbol, unknown>)[DATABASE_KEY] = undefined;
    setProcessPrincipal(null);
    await handle?.close();
    fs.rmSync(exportDir, { recursive: true, force: true });
  });

  it("deletes exactly the rows past each window, drops old payloads keeping the figures, and leaves review history and other workspaces alone", async () => {
    const ws = await createTestWorkspace(handle.db, "Retention business");
    const other = await createTestWorkspace(handle.db, "Other business");
    await setRetentionSettings(handle.db, ws.slug, { generationLogRetentionDays: 90, exportRetentionDays: 365, payloadRetentionDays: 30, redactPii: false }, TEST_ACTOR);
    const ids = {
      expired: await logRow(ws.id, 91, "expired"),
      payloadOld: await logRow(ws.id, 45, "old"),
      recent: await logRow(ws.id, 29, "recent"),
      otherOld: await logRow(other.id, 91, "other"),
    };
    const expiredFolder = await exportRow(ws.id, 366, "exp-expired");
    const keptFolder = await exportRow(ws.id, 300, "exp-kept");
    const otherFolder = await exportRow(other.id, 400, "exp-other");
    await handle.db.insert(reviewLogs).values({ workspaceId: ws.id, action: "approve", previousStatus: "generated", reviewerId: "local:r", timestamp: daysAgo(1000) });
    await insertQueryTimings({
      db: handle.db,
      rows: [
        { workspaceId: ws.id, kind: "conversations.list", durationMs: 12, recordedAt: daysAgo(31) },
        { workspaceId: ws.id, kind: "conversations.list", durationMs: 14, recordedAt: daysAgo(1) },
      ],
    });

    const outcome = await enforceWorkspaceRetention({ db: handle.db, workspaceId: ws.id, now: new Date(NOW) });
    expect(outcome).toMatchObject({ generationLogsDeleted: 1, payloadsDropped: 1, exportLogsDeleted: 1, queryTimingsDeleted: 1, exportFolderProblems: [] });
    expect(outcome.exportFoldersRemoved).toEqual([expiredFolder]);
    expect(fs.existsSync(expiredFolder)).toBe(false);
    expect(fs.existsSync(keptFolder)).toBe(true);
    expect(fs.existsSync(otherFolder)).toBe(true);

    const logs = await handle.db.select().from(generationLogs);
    const byId = new Map(logs.map((l) => [l.id, l]));
    expect(byId.has(ids.expired)).toBe(false);
    const dropped = byId.get(ids.payloadOld);
    expect(dropped).toMatchObject({ requestPayload: null, responsePayload: null, inputTokens: 1200, outputTokens: 800, durationMs: 4321 });
    expect(Number(dropped?.costUsd)).toBeCloseTo(0.0156, 6);
    expect(dropped?.payloadsDroppedAt?.getTime()).toBe(NOW);
    expect(byId.get(ids.recent)).toMatchObject({ requestPayload: { messages: [{ role: "user", content: "request recent" }] }, payloadsDroppedAt: null });
    expect(byId.has(ids.otherOld)).toBe(true);
    expect((await handle.db.select().from(exportLogs)).map((e) => e.exportId).sort()).toEqual(["exp-kept", "exp-other"]);
    expect(await handle.db.select().from(reviewLogs).where(eq(reviewLogs.workspaceId, ws.id))).toHaveLength(1);
    expect((await handle.db.select().from(queryTimings).where(eq(queryTimings.workspaceId, ws.id))).map((q) => q.durationMs)).toEqual([14]);

    // The Audit page's call view says when the payload was dropped instead of showing nothing.
    const page = await loadGenerationLog({ db: handle.db, workspaceId: ws.id, state: { ...defaultAuditState(), call: ids.payloadOld } });
    expect(page.call).toMatchObject({ requestPayload: null, responsePayload: null, payloadsDroppedAt: new Date(NOW).toISOString(), inputTokens: 1200 });

    // A second pass finds nothing more to do.
    const again = await enforceWorkspaceRetention({ db: handle.db, workspaceId: ws.id, now: new Date(NOW) });
    expect(again).toMatchObject({ generationLogsDeleted: 0, payloadsDropped: 0, exportLogsDeleted: 0, queryTimingsDeleted: 0 });

    // The other workspace keeps its own (default) windows: its 400-day export goes, its 91-day log goes.
    const all = await enforceRetention({ db: handle.db, now: new Date(NOW) });
    const otherOutcome = all.workspaces.find((w) => w.workspaceId === other.id);
    expect(otherOutcome).toMatchObject({ generationLogsDeleted: 1, exportLogsDeleted: 1, payloadsDropped: 0 });
    expect(fs.existsSync(otherFolder)).toBe(false);
    expect(all.failures).toEqual([]);

    // A workspace whose pass fails (here a window no date can hold, written past the Settings
    // check) is reported with what to do, and every other workspace is still done.
    const broken = await createTestWorkspace(handle.db, "Broken retention");
    await handle.db.update(workspaces).set({ generationLogRetentionDays: 1_000_000_000 }).where(eq(workspaces.id, broken.id));
    const withBroken = await enforceRetention({ db: handle.db, now: new Date(NOW) });
    expect(withBroken.failures.map((f) => f.workspaceSlug)).toEqual([broken.slug]);
    expect(describeRetentionFailure(withBroken.failures[0])).toMatch(new RegExp(`^${broken.slug}: retention could not run .*brightrun retention run --workspace ${broken.slug}`));
    expect(withBroken.workspaces.map((w) => w.workspaceId)).toEqual(expect.arrayContaining([ws.id, other.id]));
    await handle.db.delete(workspaces).where(eq(workspaces.id, broken.id));
  });

  it("the Settings action saves retention windows and refuses bad ones with a message that says what to enter", async () => {
    const ws = await createTestWorkspace(handle.db, "Settings business");
    const saved = await saveRetentionSettingsAction(ws.slug, { generationLogRetentionDays: 30, exportRetentionDays: 180, payloadRetentionDays: 7, redactPii: true });
    expect(saved).toEqual({ ok: true, data: { generationLogRetentionDays: 30, exportRetentionDays: 180, payloadRetentionDays: 7, redactPii: true } });
    const [row] = await handle.db.select().from(workspaces).where(eq(workspaces.id, ws.id));
    expect(row).toMatchObject({ generationLogRetentionDays: 30, exportRetentionDays: 180, payloadRetentionDays: 7, redactPii: true });

    const zero = await saveRetentionSettingsAction(ws.slug, { generationLogRetentionDays: 0, exportRetentionDays: 180, payloadRetentionDays: null, redactPii: false });
    expect(zero).toMatchObject({ ok: false, error: { code: "settings_invalid" } });
    expect(zero.ok ? "" : zero.error.message).toBe("Keep generation logs for must be a whole number of days from 1 to 3650 (got 0).");
    const fraction = await saveRetentionSettingsAction(ws.slug, { generationLogRetentionDays: 30, exportRetentionDays: 12.5, payloadRetentionDays: null, redactPii: false });
    expect(fraction.ok ? "" : fraction.error.message).toBe("Keep exports and export logs for must be a whole number of days from 1 to 3650 (got 12.5).");
    const longer = await saveRetentionSettingsAction(ws.slug, { generationLogRetentionDays: 30, exportRetentionDays: 180, payloadRetentionDays: 60, redactPii: false });
    expect(longer.ok ? "" : longer.error.message).toMatch(/Enter fewer days than 30, or leave it empty/);
    const [unchanged] = await handle.db.select().from(workspaces).where(eq(workspaces.id, ws.id));
    expect(unchanged.generationLogRetentionDays).toBe(30);
  });

  it("redacts e-mail addresses and phone numbers in payloads before the log row is written, only when the workspace asks", async () => {
    const ws = await createTestWorkspace(handle.db, "Redaction business");
    await importPath({ db: handle.db, workspaceId: ws.id, target: SAMPLE, userId: "local:test" });
    const [conversation] = await handle.db.select().from(conversations).where(eq(conversations.workspaceId, ws.id)).limit(1);
    const payloads = {
      requestPayload: { messages: [{ role: "user", content: "I'm Ann, ann@example.com, +1 (555) 123-4567; 1,200 USD." }] },
      responsePayload: { content: "Thanks, I'll write to ann@example.com." },
    };
    const common = { provider: "anthropic" as const, model: "claude-sonnet-4-5", durationMs: 10, userId: "local:r", ...payloads };
    await insertGenerationLog({ db: handle.db, values: { ...common, conversationId: conversation.id, parameters: { tag: "plain" } } });
    await setRetentionSettings(handle.db, ws.slug, { generationLogRetentionDays: 90, exportRetentionDays: 365, payloadRetentionDays: null, redactPii: true }, TEST_ACTOR);
    await insertGenerationLog({ db: handle.db, values: { ...common, conversationId: conversation.id, parameters: { tag: "redacted" } } });
    const testLogId = await insertTemplateTestLog({ db: handle.db, workspaceId: ws.id, values: { ...common, parameters: {} } });

    const rows = await handle.db.select().from(generationLogs).where(eq(generationLogs.workspaceId, ws.id));
    const plain = rows.find((r) => r.parameters.tag === "plain");
    const redacted = rows.find((r) => r.parameters.tag === "redacted");
    expect(plain?.requestPayload).toEqual(payloads.requestPayload);
    const expected = {
      request: { messages: [{ role: "user", content: `I'm Ann, ${EMAIL_REDACTION}, ${PHONE_REDACTION}; 1,200 USD.` }] },
      response: { content: `Thanks, I'll write to ${EMAIL_REDACTION}.` },
    };
    expect(redacted).toMatchObject({ requestPayload: expected.request, responsePayload: expected.response });
    expect(rows.find((r) => r.id === testLogId)).toMatchObject({ requestPayload: expected.request, responsePayload: expected.response });
  });

  it("pg-boss's own schedule runs the retention job on this database", { timeout: 120_000 }, async () => {
    const ws = await createTestWorkspace(handle.db, "Scheduled business");
    await setRetentionSettings(handle.db, ws.slug, { generationLogRetentionDays: 10, exportRetentionDays: 365, payloadRetentionDays: null, redactPii: false }, TEST_ACTOR);
    const old = await logRow(ws.id, 11, "scheduled");
    const lines: string[] = [];
    const schedule = await startRetentionSchedule({ handle, cron: "* * * * *", pollSeconds: 1, cronCheckSeconds: 1, log: (line) => lines.push(line) });
    try {
      // "* * * * *" fires at the next minute boundary (up to 60 s away), then pg-boss's 1 s checks take it.
      const deadline = Date.now() + 80_000;
      while (Date.now() < deadline) {
        const left = await handle.db.select({ id: generationLogs.id }).from(generationLogs).where(eq(generationLogs.id, old));
        if (!left.length) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(await handle.db.select({ id: generationLogs.id }).from(generationLogs).where(eq(generationLogs.id, old))).toEqual([]);
      expect(lines.some((l) => l.startsWith(`${ws.slug}: 1 generation log row older than 10 days deleted`))).toBe(true);
      const { rows } = await handle.executeSql("select name, cron from pgboss.schedule where name = $1", ["enforce-retention"]);
      expect(rows).toEqual([{ name: "enforce-retention", cron: "* * * * *" }]);
    } finally {
      await schedule.stop();
    }
  });

  it("records timings around queries off the request path and shows kinds, slow queries, the list alert, tables and indexes", async () => {
    const ws = await createTestWorkspace(handle.db, "Health business");
    for (let i = 0; i < 5; i++) {
      const n = await timedQuery({ db: handle.db, kind: "coverage.report", workspaceId: ws.id }, async () => (await handle.db.select().from(conversations)).length);
      expect(typeof n).toBe("number");
    }
    await expect(timedQuery({ db: handle.db, kind: "audit.reviews", workspaceId: ws.id }, () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    // Nothing is written during the request; the buffer is written afterwards.
    expect(await handle.db.select().from(queryTimings).where(eq(queryTimings.workspaceId, ws.id))).toEqual([]);
    await flushQueryTimings(handle.db);
    const recorded = await handle.db.select().from(queryTimings).where(eq(queryTimings.workspaceId, ws.id));
    expect(recorded.map((r) => r.kind)).toEqual(Array(5).fill("coverage.report"));

    let view = await loadDatabaseHealth({ handle, workspaceId: ws.id, window: "24h" });
    expect(view.kinds.map((k) => k.kind)).toEqual(["coverage.report"]);
    expect(view.kinds[0]).toMatchObject({ count: 5, slowCount: 0 });
    expect(view.listAlert).toBeNull();

    await insertQueryTimings({
      db: handle.db,
      rows: [100, 200, 300, 900, 1200].map((durationMs, i) => ({ workspaceId: ws.id, kind: "conversations.list", durationMs, recordedAt: new Date(Date.now() - i * 60_000) })),
    });
    view = await loadDatabaseHealth({ handle, workspaceId: ws.id, window: "24h" });
    const list = view.kinds.find((k) => k.kind === "conversations.list");
    expect(list).toMatchObject({ count: 5, p50Ms: 300, maxMs: 1200, slowCount: 2 });
    expect(list?.p95Ms).toBeCloseTo(1140, 5);
    expect(view.kinds[0].kind).toBe("conversations.list");
    expect(view.listAlert).toEqual({ p95Ms: list?.p95Ms, count: 5 });
    expect(view.slow.map((s) => s.durationMs)).toEqual([900, 1200]);
    expect(view.slowTotal).toBe(2);

    const conversationsTable = view.tables.find((t) => t.table === "conversations");
    expect(conversationsTable?.totalBytes).toBeGreaterThan(0);
    expect(view.tables.find((t) => t.table === "query_timings")?.rows).toBeGreaterThanOrEqual(10);
    expect(view.indexes.rows.map((r) => r.index)).toContain("query_timings_kind_recorded_idx");
    if (handle.kind === "pglite") {
      expect(view.database).toBe("PGlite (embedded)");
      expect(view.indexes).toMatchObject({ available: false, reason: expect.stringContaining("PGlite") });
    } else {
      expect(view.database).toBe("PostgreSQL");
    }
  });
});

describe(`brightrun retention run (${testDatabaseKind()})`, { timeout: 120_000 }, () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-retention-cli-"));
  let database: Awaited<ReturnType<typeof createTestDatabaseUrl>> = null;
  const brightrun = (...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, BRIGHTRUN_DATA_DIR: path.join(work, "data"), DATABASE_URL: database?.url ?? "" };
    return runBrightrun(args, { cwd: work, env, timeoutMs: 120_000 });
  };
  beforeAll(async () => {
    database = await createTestDatabaseUrl();
  });
  afterAll(async () => {
    fs.rmSync(work, { recursive: true, force: true });
    await database?.drop();
  });

  it("applies the windows to one workspace and prints what it removed", async () => {
    for (const name of ["Cli Shop", "Cli Other"]) expect(brightrun("workspaces", "create", name).code).toBe(0);
    const db = await openDatabase(database ? { url: database.url } : { dataDir: path.join(work, "data") });
    try {
      const rows = await db.db.select().from(workspaces);
      for (const ws of rows) {
        await db.db.insert(generationLogs).values([91, 5].map((days) => ({ workspaceId: ws.id, provider: "anthropic" as const, model: "m", durationMs: 1, userId: "u", createdAt: daysAgo(days) })));
      }
    } finally {
      await db.close();
    }
    const run = brightrun("retention", "run", "--workspace", "cli-shop");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("cli-shop: 1 generation log row older than 90 days deleted; payloads kept (no payload window); 0 exports older than 365 days deleted");
    expect(run.stdout).not.toContain("cli-other");

    const everything = brightrun("retention", "run");
    expect(everything.code, everything.stderr).toBe(0);
    expect(everything.stdout).toContain("cli-other: 1 generation log row older than 90 days deleted");
    expect(everything.stdout).toContain("cli-shop: 0 generation log rows older than 90 days deleted");

    const unknown = brightrun("retention", "run", "--workspace", "nope");
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('There is no workspace "nope"');
  });
});
