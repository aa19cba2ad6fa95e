import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPORT_FORMATS } from "../../src/lib/constants";
import { writeExport } from "../../src/core/export/write-export";
import { validateExportContent } from "../../src/core/export/validate";
import { generateNow as runGeneration } from "../support/generate-now";
import { importPath } from "../../src/core/import/import-workspace";
import { createSimulatedProvider } from "../../src/core/llm/simulated-provider";
import { createPlan } from "../../src/core/planning/create-plan";
import { reviewConversations } from "../../src/core/review/review-conversations";
import type { DatabaseHandle } from "../../src/server/db/client";
import { exportLogs, reviewLogs } from "../../src/server/db/schema";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
let handle: DatabaseHandle;
let workspaceId: string;
let outDir: string;

describe(`review and export (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-export-"));
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 8, scenario: 6, edge_case: 4 } });
    await runGeneration({ handle, selection: { all: true }, provider: createSimulatedProvider(), model: "simulated-composer-1", userId: "local:test", concurrency: 3 });
  });
  afterAll(async () => {
    await handle.close();
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it("bulk-approves by score but leaves edge cases for one-by-one review, logging who and when", async () => {
    const result = await reviewConversations({ db: handle.db, workspaceId, action: "approve", minScore: 1, reviewerId: "local:alice", notes: "Looks right." });
    expect(result.reviewed.length).toBe(14);
    expect(result.reviewed.every((id) => !id.startsWith("edge-"))).toBe(true);
    expect(result.skipped.filter((s) => s.conversationId.startsWith("edge-"))).toHaveLength(4);
    // On its own, with a note: the simulated composer's edge cases may score under the edge-case bar (8), which then needs one.
    const one = await reviewConversations({ db: handle.db, workspaceId, action: "approve", ids: ["edge-001"], reviewerId: "local:alice", notes: "Handled the boundary well." });
    expect(one.reviewed).toEqual(["edge-001"]);
    const rejected = await reviewConversations({ db: handle.db, workspaceId, action: "reject", ids: ["edge-002", "seed-001"], reviewerId: "local:bob", notes: "Too generic." });
    expect(rejected.reviewed).toEqual(["edge-002"]);
    expect(rejected.skipped).toEqual([{ conversationId: "seed-001", reason: "seed conversations are locked" }]);
    const logs = await handle.db.select().from(reviewLogs);
    const bob = logs.filter((l) => l.reviewerId === "local:bob");
    expect(bob).toHaveLength(1);
    expect(bob[0]).toMatchObject({ action: "reject", previousStatus: "generated", reviewerNotes: "Too generic." });
    await expect(reviewConversations({ db: handle.db, workspaceId, action: "reject", ids: ["edge-003"], reviewerId: "x", notes: "n".repeat(501) })).rejects.toThrow(/500 characters/);
  });

  it.each(EXPORT_FORMATS)("exports approved conversations as %s: every line passes the format's rules, with a manifest and an export_logs row", async (format) => {
    const result = await writeExport({ db: handle.db, workspaceId, format, outDir, userId: "local:alice", systemVersion: "0.0.0-test", now: new Date("2026-11-21T10:00:00Z") });
    // 15 approved + 10 seeds (imported approved)
    expect(result.count).toBe(25);
    const ext = format === "json" ? "json" : "jsonl";
    expect(path.basename(result.dataPath)).toBe(`training-data-2026-11-21-approved-25-conversations.${ext}`);
    const content = fs.readFileSync(result.dataPath, "utf8");
    expect(validateExportContent(format, content)).toEqual([]);
    if (format !== "json") expect(content.trim().split("\n")).toHaveLength(25);
    const manifest = JSON.parse(fs.readFileSync(result.manifestPath, "utf8"));
    expect(path.basename(result.manifestPath)).toMatch(/manifest\.json$/);
    expect(manifest).toMatchObject({ format, conversation_count: 25, seed_count: 10, export_id: result.exportId });
    expect(path.basename(path.dirname(result.dataPath))).toBe(`training-data-2026-11-21-approved-25-conversations-${format}-${result.exportId}`);
    expect(manifest.generated_without_language_model).toBe(true);
    expect(manifest.filter_state).toEqual({ status: ["approved"] });
    const logs = await handle.db.select().from(exportLogs);
    expect(logs.some((l) => l.format === format && l.conversationCount === 25 && l.userId === "local:alice")).toBe(true);
    if (format === "sharegpt") expect(fs.existsSync(path.join(path.dirname(result.dataPath), "dataset_info.json"))).toBe(true);
    if (format === "hf") expect(fs.readFileSync(path.join(path.dirname(result.dataPath), "README.md"), "utf8")).toMatch(/^---/);
  });

  it("puts the system prompt first in OpenAI lines and starts Bedrock lines with the user", async () => {
    const openai = await writeExport({ db: handle.db, workspaceId, format: "openai", outDir, userId: "u", systemVersion: "t" });
    const first = JSON.parse(fs.readFileSync(openai.dataPath, "utf8").split("\n")[0]);
    expect(first.messages[0].role).toBe("system");
    expect(first.messages[0].content).toMatch(/Harbor|plan/i);
    const anthropic = await writeExport({ db: handle.db, workspaceId, format: "anthropic", outDir, userId: "u", systemVersion: "t" });
    const line = JSON.parse(fs.readFileSync(anthropic.dataPath, "utf8").split("\n")[0]);
    expect(line.messages[0].role).toBe("user");
    expect(line.messages.at(-1).role).toBe("assistant");
    expect(typeof line.system).toBe("string");
  });

  it("exports any filter, recorded in the manifest, and refuses an empty selection", async () => {
    const result = await writeExport({ db: handle.db, workspaceId, format: "sharegpt", filter: { status: ["rejected"] }, outDir, userId: "u", systemVersion: "t" });
    expect(result.count).toBe(1);
    expect(path.basename(result.dataPath)).toMatch(/-rejected-1-conversations\.jsonl$/);
    await expect(writeExport({ db: handle.db, workspaceId, format: "openai", filter: { status: ["failed"] }, outDir, userId: "u", systemVersion: "t" })).rejects.toThrow(
      /no conversations to export/i,
    );
  });
});
