/**
 * The export request's pure parts: the selection rule, safe file names, the request schema's
 * plain-English refusals, the split's two data files (with the ShareGPT and Hugging Face
 * companions naming both), and the ZIP read back with yauzl.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { serializeExport } from "../../src/core/export";
import { buildExportArchive, buildRequestedExport, exportSelectionQuery } from "../../src/core/export/export-request";
import { exportRequestSchema, safeFileStem } from "../../src/lib/export-request";
import { makeConversation, sampleConversations } from "../support/export-fixtures";
import { readZipEntries } from "../support/read-zip";

const exportedAt = new Date("2026-11-29T08:00:00Z");
const base = { exportedAt, statusLabel: "approved", systemVersion: "0.0.0-test" };

describe("exportSelectionQuery", () => {
  it("takes approved conversations when nothing names a status, and respects statuses a filter names", () => {
    expect(exportSelectionQuery({ kind: "approved" })).toEqual({ filter: { status: ["approved"] }, search: "", approvedByRule: true });
    expect(exportSelectionQuery({ kind: "filtered", filter: { tier: ["template"], persona: [] }, search: " anchor " })).toEqual({
      filter: { tier: ["template"], status: ["approved"] },
      search: "anchor",
      approvedByRule: true,
    });
    expect(exportSelectionQuery({ kind: "filtered", filter: { status: ["generated", "approved"] }, search: "" })).toEqual({
      filter: { status: ["generated", "approved"] },
      search: "",
      approvedByRule: false,
    });
  });
});

describe("file names and the request schema", () => {
  it("makes a typed name safe for a file", () => {
    expect(safeFileStem("Q3 launch (v2)!")).toBe("Q3-launch-v2");
    expect(safeFileStem("../../etc/passwd")).toBe("etcpasswd");
    expect(safeFileStem("Café   données.")).toBe("Cafe-donnees");
    expect(safeFileStem("***")).toBe("");
    expect(safeFileStem("x".repeat(300))).toHaveLength(120);
  });

  it("refuses what the dialog or the CLI could send wrong, in plain English", () => {
    const message = (input: unknown) => exportRequestSchema.safeParse(input).error?.issues[0]?.message;
    expect(message({ fileStem: "a/b" })).toMatch(/only letters, digits, dots, dashes and underscores/);
    expect(message({ split: { validationPercent: 75 } })).toMatch(/1 to 50 percent/);
    expect(message({ dedup: { enabled: true, threshold: 0.1 } })).toMatch(/from 0.3 to 1/);
    expect(message({ target: { family: "mistral" } })).toMatch(/Choose a target model: llama-3/);
    expect(message({ format: "csv" })).toMatch(/must be one of openai/);
    expect(exportRequestSchema.parse({})).toMatchObject({ selection: { kind: "approved" }, format: "openai", split: null, dedup: { enabled: false }, target: null, zip: false });
  });
});

describe("split data files", () => {
  const conversations = sampleConversations();
  const ids = conversations.map((c) => c.conversationId);
  const split = { trainConversationIds: ids.slice(0, 3), validationConversationIds: ids.slice(3) };

  it("writes -train and -validation files; ShareGPT's dataset_info and the HF card name both", () => {
    const sharegpt = serializeExport("sharegpt", conversations, { ...base, fileStem: "q3", split });
    expect(sharegpt.files.map((f) => f.name)).toEqual(["q3-train.jsonl", "q3-validation.jsonl", "dataset_info.json", "q3-manifest.json"]);
    expect(sharegpt.manifest.files.filter((f) => f.role === "data")).toEqual([
      { name: "q3-train.jsonl", role: "data", records: 3, split: "train" },
      { name: "q3-validation.jsonl", role: "data", records: 1, split: "validation" },
    ]);
    expect(Object.entries(JSON.parse(sharegpt.files[2].content) as Record<string, { file_name: string }>).map(([key, value]) => [key, value.file_name])).toEqual([
      ["q3", "q3-train.jsonl"],
      ["q3_validation", "q3-validation.jsonl"],
    ]);
    const hf = serializeExport("hf", conversations, { ...base, fileStem: "q3", split });
    const card = hf.files.find((f) => f.name === "README.md")?.content ?? "";
    expect(card).toContain('  - split: train\n    path: "q3-train.jsonl"\n  - split: validation\n    path: "q3-validation.jsonl"');
  });

  it("refuses a split that does not cover the conversations exactly", () => {
    expect(() => serializeExport("openai", conversations, { ...base, split: { trainConversationIds: ids.slice(0, 2), validationConversationIds: ids.slice(3) } })).toThrow(
      /split does not match/,
    );
  });
});

describe("buildRequestedExport and the ZIP", () => {
  it("leaves out an exact copy, keeps the better-scoring one, and zips every file", async () => {
    const [first, ...rest] = sampleConversations();
    const copy = makeConversation({ ...first, conversationId: "conv-0099", qualityScore: (first.qualityScore ?? 5) - 1 });
    const built = await buildRequestedExport({
      conversations: [first, copy, ...rest],
      settings: { format: "openai", dedup: { enabled: true, threshold: 0.8 }, split: null, target: null, fileStem: null, zip: true },
      exportedAt,
      statusLabel: "approved",
      filterState: { status: ["approved"] },
      systemVersion: "0.0.0-test",
    });
    expect(built.written.map((c) => c.conversationId)).not.toContain("conv-0099");
    expect(built.bundle.manifest.dataset_checks?.duplicates?.removed).toEqual([
      expect.objectContaining({ conversation_id: "conv-0099", kept_conversation_id: first.conversationId, similarity: 1 }),
    ]);
    expect(built.bundle.stem).toBe(`training-data-2026-11-29-approved-${built.written.length}-conversations`);
    expect(built.archive?.name).toBe(`${built.bundle.stem}.zip`);
    expect(built.bundle.manifest.archive).toBe(built.archive?.name);

    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-zip-")), "export.zip");
    fs.writeFileSync(file, buildExportArchive(built.bundle.files, exportedAt));
    const entries = await readZipEntries(file);
    expect([...entries.keys()]).toEqual(built.bundle.files.map((f) => f.name));
    for (const exportFile of built.bundle.files) expect(entries.get(exportFile.name)).toBe(exportFile.content);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});
