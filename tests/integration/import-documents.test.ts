/**
 * PDF, Word and HTML documents through the all-or-nothing imports (issue 9, items 2, 3 and 5):
 * `importPath` (what `brightrun import` runs) and `importDocumentSources` (uploads). A folder's
 * other files are named with why; a bad file stores nothing, not even the good files beside it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { strToU8 } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppError } from "../../src/core/errors";
import { MAX_DOCUMENT_BYTES } from "../../src/core/import/document-sources";
import { importDocumentSources } from "../../src/core/import/import-documents";
import { importPath } from "../../src/core/import/import-workspace";
import type { DatabaseHandle } from "../../src/server/db/client";
import { getDocumentWithChunksByKey, listDocumentsWithChunkCounts } from "../../src/server/db/queries/documents";
import { chunks, documents } from "../../src/server/db/schema";
import { makeDocx, makePdf, makePng } from "../support/document-fixtures";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

let handle: DatabaseHandle;
let workspaceId: string;
const work = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-documents-"));

async function stored(): Promise<{ documents: number; chunks: number }> {
  const [d] = await handle.db.select({ n: count() }).from(documents);
  const [c] = await handle.db.select({ n: count() }).from(chunks);
  return { documents: Number(d.n), chunks: Number(c.n) };
}

/** A folder with the given files (name → bytes) under the temp folder. */
function folderWith(name: string, files: Record<string, Uint8Array | string>): string {
  const dir = path.join(work, name);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

async function refused(run: Promise<unknown>): Promise<AppError> {
  const error = await run.then(
    () => null,
    (e: unknown) => e as AppError,
  );
  expect(error, "the import should have been refused").not.toBeNull();
  expect(error?.code).toBe("import_invalid");
  return error as AppError;
}

const guidePdf = () =>
  makePdf({
    blocks: [
      { heading: "The Anchor Account Guide", level: 1 },
      { text: "An anchor account is the cash you keep for emergencies." },
      { heading: "Sizing the account", level: 2 },
      { text: "Start with three months of essential expenses." },
    ],
  });
const playbookDocx = () => makeDocx([{ text: "Onboarding Playbook", style: "Title" }, { text: "The first meeting", style: "Heading1" }, { text: "Ask about goals and fears." }]);

describe(`documents of every kind through the all-or-nothing imports (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
  });
  afterAll(async () => {
    await handle.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("refuses a folder with bad files, naming each with what to do, and stores none of its files", async () => {
    const dir = folderWith("bad", {
      "good.md": "# Good\n\nThis one is fine.\n",
      "guide.pdf": await guidePdf(),
      "scan.pdf": await makePdf({ blocks: [{ image: true }] }),
      "locked.pdf": await makePdf({ blocks: [{ text: "Private." }], userPassword: "pw" }),
      "cut.docx": playbookDocx().subarray(0, 300),
      "photo.pdf": makePng(10, 10),
      "empty.txt": "",
      "huge.pdf": new Uint8Array(MAX_DOCUMENT_BYTES + 1),
      "logo.png": makePng(10, 10),
    });
    const error = await refused(importPath({ db: handle.db, workspaceId, target: dir, userId: "local:test" }));
    expect(error.message).toMatch(/^Nothing was imported from .*: 6 problems must be fixed first\./);
    const lines = error.message.split("\n");
    expect(lines).toContain("  - scan.pdf: this PDF has no selectable text — export it with OCR or paste the text. (Its page is images, as in a scan; a PDF reader's \"Recognize text\" / OCR function, or exporting from the original program, makes text Bright Run can read.)");
    expect(lines.find((l) => l.startsWith("  - locked.pdf: "))).toContain("this PDF is password-protected");
    expect(lines.find((l) => l.startsWith("  - cut.docx: "))).toContain("the Word file is damaged or incomplete");
    expect(lines.find((l) => l.startsWith("  - photo.pdf: "))).toContain("the name says PDF, but the file is a PNG image");
    expect(lines.find((l) => l.startsWith("  - empty.txt: "))).toContain("the file is empty (0 bytes)");
    expect(lines.find((l) => l.startsWith("  - huge.pdf: "))).toContain("the file is 25.1 MB, over the 25 MB limit for one document");
    expect(lines.find((l) => l.startsWith("  - logo.png: "))).toContain('".png" files are not imported (supported: Markdown (.md)');
    expect(await stored()).toEqual({ documents: 0, chunks: 0 });
  });

  it("imports a folder of PDF, Word, HTML and Markdown documents, naming the files it does not take", async () => {
    const dir = folderWith("good", {
      "README.md": "# About this folder\n",
      "Client Stories/anchor-guide.pdf": await guidePdf(),
      "Client Stories/part-scanned.pdf": await makePdf({ blocks: [{ heading: "Intake form", level: 1 }, { text: "The intake form asks about income, debts and goals." }, { pageBreak: true }, { image: true }] }),
      "playbook.docx": playbookDocx(),
      "pricing.html": "<html><head><title>Pricing</title></head><body><h1>Pricing</h1><h2>Flat fee</h2><p>One flat annual fee.</p></body></html>",
      "documents/notes.md": "---\ncategory: Complete Systems\n---\n\n# Notes\n\n## Follow-up\n\nSend the summary within two days.\n",
      "logo.png": makePng(10, 10),
      "budget.xlsx": strToU8("not really a spreadsheet"),
    });
    const summary = await importPath({ db: handle.db, workspaceId, target: dir, userId: "local:test" });
    expect(summary.documents).toEqual({ created: 5, updated: 0, unchanged: 0 });
    expect(summary.warnings).toEqual([
      {
        file: path.join("Client Stories", "part-scanned.pdf"),
        message: "Page 2 of 2 has no selectable text (scanned or blank), so its content is not included; run OCR on the PDF to include it",
      },
    ]);
    expect(summary.skipped).toEqual([
      { file: "budget.xlsx", reason: expect.stringMatching(/^"\.xlsx" files are not imported \(supported: Markdown \(\.md\), plain text \(\.txt\), PDF \(\.pdf\), Word \(\.docx\), HTML \(\.html, \.htm\) and chunk JSON \(\.json\)\)$/) },
      { file: "logo.png", reason: expect.stringContaining('".png" files are not imported') },
      { file: "README.md", reason: "README and LICENSE files are notes for people, not documents" },
    ]);

    const listed = await listDocumentsWithChunkCounts({ db: handle.db, workspaceId });
    expect(listed.map((d) => [d.key, d.title, d.category, d.sourcePath])).toEqual([
      ["part-scanned", "Intake form", "Client Stories", path.join("Client Stories", "part-scanned.pdf")],
      ["anchor-guide", "The Anchor Account Guide", "Client Stories", path.join("Client Stories", "anchor-guide.pdf")],
      ["notes", "Notes", "Complete Systems", path.join("documents", "notes.md")],
      ["playbook", "Onboarding Playbook", "Uncategorized", "playbook.docx"],
      ["pricing", "Pricing", "Uncategorized", "pricing.html"],
    ]);
    expect(listed.every((d) => d.chunkCount > 0 && d.tokenCount > 0)).toBe(true);

    const pdf = await getDocumentWithChunksByKey({ db: handle.db, workspaceId, key: "anchor-guide" });
    const sizing = pdf?.chunks.find((c) => c.heading === "Sizing the account");
    expect(sizing?.content).toBe("## Sizing the account\n\nStart with three months of essential expenses.");
    expect(sizing?.summary).toBe("Start with three months of essential expenses.");
    expect(sizing?.dimensions).toHaveProperty("audience_level");
    expect(sizing?.conversationCount).toBe(0);
    const docx = await getDocumentWithChunksByKey({ db: handle.db, workspaceId, key: "playbook" });
    expect(docx?.chunks.map((c) => c.heading)).toEqual(["The first meeting"]);

    const again = await importPath({ db: handle.db, workspaceId, target: dir, userId: "local:test" });
    expect(again.documents).toEqual({ created: 0, updated: 0, unchanged: 5 });
  });

  it("uploads: all or nothing, and a changed file replaces its document's chunks", async () => {
    const before = await stored();
    const error = await refused(
      importDocumentSources({
        db: handle.db,
        workspaceId,
        files: [
          { name: "fresh.md", bytes: strToU8("# Fresh\n\nNew text.\n") },
          { name: "scan.pdf", bytes: await makePdf({ blocks: [{ image: true }] }) },
        ],
      }),
    );
    expect(error.message).toMatch(/^Nothing was imported: 1 file of 2 can't be imported\.\n {2}- scan\.pdf: this PDF has no selectable text — export it with OCR or paste the text\./);
    expect(await stored()).toEqual(before);

    const changed = await makePdf({ blocks: [{ heading: "The Anchor Account Guide", level: 1 }, { heading: "Refilling", level: 2 }, { text: "Refill the account before investing again." }] });
    const result = await importDocumentSources({
      db: handle.db,
      workspaceId,
      files: [
        { name: "anchor-guide.pdf", bytes: changed },
        { name: "fresh.md", bytes: strToU8("# Fresh\n\nNew text.\n") },
      ],
      defaultCategory: "Client Stories",
    });
    expect(result.documents.map((d) => [d.key, d.outcome])).toEqual([
      ["anchor-guide", "updated"],
      ["fresh", "created"],
    ]);
    const pdf = await getDocumentWithChunksByKey({ db: handle.db, workspaceId, key: "anchor-guide" });
    expect(pdf?.chunks.map((c) => c.heading)).toEqual(["Refilling"]);
    const [fresh] = await handle.db.select().from(documents).where(eq(documents.key, "fresh"));
    expect(fresh.category).toBe("Client Stories");
  });
});
