/**
 * The export request end to end on a real database (PGlite, or PostgreSQL with
 * BRIGHTRUN_TEST_DB=postgres): the table's filters and search select the conversations, the
 * dataset checks leave out a duplicate, split 20 % for validation and render every record through
 * Llama 3's chat template; the files, the manifest's `dataset_checks` and the ZIP (read back with
 * yauzl, another library than the one that wrote it) say so; the download route serves the ZIP;
 * the dialog's preview shows the records exactly as the file holds them; presets are saved,
 * replaced and deleted.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localOwner, setProcessPrincipal } from "../../src/server/auth";
import { generateNow as runGeneration } from "../support/generate-now";
import { importPath } from "../../src/core/import/import-workspace";
import { createSimulatedProvider } from "../../src/core/llm/simulated-provider";
import { createPlan } from "../../src/core/planning/create-plan";
import { reviewConversations } from "../../src/core/review/review-conversations";
import { writeRequestedExport } from "../../src/core/export/write-export";
import { validateExportContent } from "../../src/core/export/validate";
import type { ExportManifest } from "../../src/core/export/manifest";
import { exportRequestSchema, type ExportRequestInput } from "../../src/lib/export-request";
import { GET as getExportDownloadRoute } from "../../src/app/api/w/[slug]/export-downloads/[exportId]/route";
import { deleteExportPreset, exportRequested, listExportPresetViews, previewExportRequest, saveExportPreset } from "../../src/server/operations/export";
import type { DatabaseHandle } from "../../src/server/db/client";
import { listConversationIdsByHumanIds, listTurnsByConversationId, replaceConversationTurns } from "../../src/server/db/queries/conversations";
import { exportLogs } from "../../src/server/db/schema";
import { readZipEntries as readZip } from "../support/read-zip";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const DATABASE_KEY = Symbol.for("brightrun.database");
let handle: DatabaseHandle;
let workspaceId: string;
let workspace: { id: string; slug: string };
let outDir: string;
const savedEnv: Record<string, string | undefined> = {};

const lines = (text: string) => text.split("\n").filter((line) => line.trim() !== "");
const idOf = (line: string) => (JSON.parse(line) as { conversation_id: string }).conversation_id;

describe(`export requests: filters, checks, split and ZIP (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    for (const key of ["BRIGHTRUN_USER", "BRIGHTRUN_EXPORT_DIR"]) savedEnv[key] = process.env[key];
    process.env.BRIGHTRUN_USER = "export-tester";
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-export-request-"));
    process.env.BRIGHTRUN_EXPORT_DIR = outDir;
    handle = await createTestDatabase();
    workspace = await createTestWorkspace(handle.db);
    workspaceId = workspace.id;
    (globalThis as Record<symbol, unknown>)[DATABASE_KEY] = Promise.resolve(handle);
    // Server actions and routes run as the local owner (the guard's seam for code outside a web request).
    setProcessPrincipal(localOwner());
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 10, scenario: 8, edge_case: 2 } });
    await runGeneration({ handle, selection: { all: true }, provider: createSimulatedProvider(), model: "simulated-composer-1", userId: "local:test", concurrency: 3 });
    await reviewConversations({ db: handle.db, workspaceId, action: "approve", minScore: 1, reviewerId: "local:alice" });
    // tmpl-002 becomes a word-for-word copy of tmpl-001: one of them must be left out.
    const ids = await listConversationIdsByHumanIds({ db: handle.db, workspaceId, ids: ["tmpl-001", "tmpl-002"] });
    const turns = await listTurnsByConversationId({ db: handle.db, conversationId: ids.get("tmpl-001") as string });
    await replaceConversationTurns({ db: handle.db, conversationId: ids.get("tmpl-002") as string, turns });
  }, 180_000);

  afterAll(async () => {
    delete (globalThis as Record<symbol, unknown>)[DATABASE_KEY];
    setProcessPrincipal(null);
    await handle.close();
    fs.rmSync(outDir, { recursive: true, force: true });
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  const request: ExportRequestInput = {
    selection: { kind: "filtered", filter: { tier: ["template", "scenario"] }, search: "" },
    format: "hf",
    fileStem: "q3-launch",
    split: { validationPercent: 20, seed: "q3" },
    dedup: { enabled: true, threshold: 0.8 },
    target: { family: "llama-3" },
    zip: true,
  };

  it("writes a filtered, deduplicated, split dataset whose ZIP holds the train and validation files, the card and the manifest with every check", async () => {
    const result = await writeRequestedExport({ db: handle.db, workspaceId, request: exportRequestSchema.parse(request), outDir, userId: "local:alice", systemVersion: "0.0.0-test" });
    // No status in the filter: approved conversations only (the one rule, exportSelectionQuery).
    expect(result.approvedByRule).toBe(true);
    expect(result.selected).toBe(26); // 18 planned + 8 seeds of these tiers
    expect(result.count).toBe(25);

    const manifest = JSON.parse(fs.readFileSync(result.manifestPath, "utf8")) as ExportManifest;
    const checks = manifest.dataset_checks;
    expect(checks).not.toBeNull();
    expect(checks?.conversations_checked).toBe(26);
    expect(checks?.conversations_written).toBe(25);
    expect(checks?.duplicates?.removed).toHaveLength(1);
    const removed = checks?.duplicates?.removed[0];
    expect([removed?.conversation_id, removed?.kept_conversation_id].sort()).toEqual(["tmpl-001", "tmpl-002"]);
    expect(removed?.similarity).toBe(1);
    expect(manifest.conversation_ids).not.toContain(removed?.conversation_id);

    expect(checks?.split).toMatchObject({ validation_percent: 20, seed: "q3" });
    const { train = 0, validation = 0 } = checks?.split ?? {};
    expect(train + validation).toBe(25);
    expect(validation).toBeGreaterThanOrEqual(3);
    expect(validation).toBeLessThanOrEqual(5);
    expect(checks?.split?.strata.every((s) => s.train >= 1)).toBe(true);

    expect(checks?.template_render).toMatchObject({ family: "llama-3", available: true, rendered: 25, failed: 0, failures: [] });
    expect(checks?.tokens?.family).toBe("llama-3");
    expect(checks?.tokens?.context_length).toBe(8192);
    expect(Object.keys(checks?.tokens?.per_record ?? {}).sort()).toEqual([...manifest.conversation_ids].sort());
    expect(checks?.tokens?.stats.min).toBeGreaterThan(50);

    // The files: train and validation data, the dataset card, the manifest, and the ZIP of them all.
    expect(manifest.file_stem).toBe("q3-launch");
    expect(manifest.archive).toBe("q3-launch.zip");
    expect(manifest.files.map((f) => [f.name, f.split ?? null, f.records])).toEqual([
      ["q3-launch-train.jsonl", "train", train],
      ["q3-launch-validation.jsonl", "validation", validation],
      ["README.md", null, null],
    ]);
    expect(fs.readdirSync(result.dir).sort()).toEqual(["README.md", "q3-launch-manifest.json", "q3-launch-train.jsonl", "q3-launch-validation.jsonl", "q3-launch.zip"]);

    const zip = await readZip(result.archivePath as string);
    expect([...zip.keys()]).toEqual(["q3-launch-train.jsonl", "q3-launch-validation.jsonl", "README.md", "q3-launch-manifest.json"]);
    for (const [name, content] of zip) expect(content).toBe(fs.readFileSync(path.join(result.dir, name), "utf8"));
    const trainIds = lines(zip.get("q3-launch-train.jsonl") as string).map(idOf);
    const validationIds = lines(zip.get("q3-launch-validation.jsonl") as string).map(idOf);
    expect(trainIds).toHaveLength(train);
    expect(validationIds).toEqual(checks?.split?.validation_conversation_ids);
    expect(trainIds.filter((id) => validationIds.includes(id))).toEqual([]);
    expect([...trainIds, ...validationIds].sort()).toEqual([...manifest.conversation_ids].sort());
    expect(validateExportContent("hf", zip.get("q3-launch-train.jsonl") as string)).toEqual([]);
    expect(zip.get("README.md")).toContain("- split: validation");

    const [log] = await handle.db.select().from(exportLogs).where(eq(exportLogs.exportId, result.exportId));
    expect(log.conversationCount).toBe(25);
    expect(log.filterState).toEqual({ tier: ["template", "scenario"], status: ["approved"] });
    expect((log.metadata as { archive: string }).archive).toBe("q3-launch.zip");
  }, 120_000);

  it("previews the same records the file will hold, and the dialog's export downloads the ZIP through the download route", async () => {
    const now = new Date("2026-11-29T09:00:00Z");
    const preview = await previewExportRequest({ db: handle.db, workspaceId, input: { ...request, fileStem: null }, now });
    expect(preview).toMatchObject({ selected: 26, written: 25, statuses: ["approved"], defaultFileStem: "training-data-2026-11-29-filtered-25-conversations" });
    expect(preview.checks).toMatchObject({ duplicatesRemoved: 1, duplicateGroups: 1, render: { available: true, failed: 0 }, tokens: { family: "llama-3", overContext: 0 } });
    expect((preview.checks.train ?? 0) + (preview.checks.validation ?? 0)).toBe(25);
    expect(preview.previewRecords).toHaveLength(3);

    const outcome = await exportRequested({ db: handle.db, workspace, input: { ...request, fileStem: null }, userId: "local:alice", outDir, now });
    expect(outcome).toMatchObject({ conversationCount: 25, allApproved: true, duplicatesRemoved: 1, renderFailures: 0, fileName: "training-data-2026-11-29-filtered-25-conversations.zip" });
    const response = await getExportDownloadRoute(new Request(`http://localhost${outcome.downloadUrl}`), { params: Promise.resolve({ slug: workspace.slug, exportId: outcome.exportId }) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toContain(outcome.fileName);
    const zipPath = path.join(outDir, "downloaded.zip");
    fs.writeFileSync(zipPath, Buffer.from(await response.arrayBuffer()));
    const zip = await readZip(zipPath);
    const trainFile = "training-data-2026-11-29-filtered-25-conversations-train.jsonl";
    // The preview's records are the training file's first lines, character for character.
    expect(lines(zip.get(trainFile) as string).slice(0, 3)).toEqual(preview.previewRecords);
    expect(preview.fileNames).toEqual([outcome.fileName, ...zip.keys()]);
  }, 120_000);

  it("respects a status the filters name, and the table's search text", async () => {
    const generated = await previewExportRequest({ db: handle.db, workspaceId, input: { selection: { kind: "filtered", filter: { status: ["generated"] }, search: "" } } });
    // The two edge cases were not bulk-approved.
    expect(generated).toMatchObject({ selected: 2, written: 2, statuses: ["generated"] });
    const searched = await previewExportRequest({ db: handle.db, workspaceId, input: { selection: { kind: "filtered", filter: {}, search: "scen-00" }, format: "openai" } });
    expect(searched.selected).toBe(8);
    const nothing = await previewExportRequest({ db: handle.db, workspaceId, input: { selection: { kind: "filtered", filter: { status: ["not_generated"] }, search: "" } } });
    expect(nothing).toMatchObject({ selected: 0, written: 0, previewRecords: [] });
    await expect(exportRequested({ db: handle.db, workspace, input: { selection: { kind: "filtered", filter: { status: ["not_generated"] }, search: "" } }, userId: "u", outDir })).rejects.toThrow(
      /no conversations to export/,
    );
    await expect(previewExportRequest({ db: handle.db, workspaceId, input: { fileStem: "../etc/passwd" } })).rejects.toThrow(/letters, digits/);
  }, 60_000);

  it("saves, replaces, lists and deletes presets", async () => {
    const saved = await saveExportPreset({
      db: handle.db,
      workspaceId,
      input: { name: "Q3 validation set", settings: { selection: { kind: "approved" }, format: "sharegpt", split: { validationPercent: 15 }, dedup: { enabled: true, threshold: 0.9 }, target: null } },
      userId: "local:alice",
    });
    expect(saved.settings).toMatchObject({ format: "sharegpt", split: { validationPercent: 15 }, dedup: { enabled: true, threshold: 0.9 } });
    const replaced = await saveExportPreset({ db: handle.db, workspaceId, input: { name: "Q3 validation set", settings: { format: "openai" } }, userId: "local:bob" });
    expect(replaced.id).toBe(saved.id);
    const list = await listExportPresetViews({ db: handle.db, workspaceId });
    expect(list.map((p) => [p.name, p.settings.format])).toEqual([["Q3 validation set", "openai"]]);
    await expect(saveExportPreset({ db: handle.db, workspaceId, input: { name: "  ", settings: {} }, userId: "u" })).rejects.toThrow(/name/);
    await deleteExportPreset({ db: handle.db, workspaceId, input: { id: saved.id } });
    expect(await listExportPresetViews({ db: handle.db, workspaceId })).toEqual([]);
    await expect(deleteExportPreset({ db: handle.db, workspaceId, input: { id: saved.id } })).rejects.toThrow(/no longer exists/);
  });
});
