/**
 * `brightrun import` with PDF, Word and HTML files and `brightrun documents list|show` (issue 9,
 * items 4 and 5), run as a user runs them: the real binary on a temp folder and a fresh database.
 * A bad file is refused with the very message the web upload shows for it (the same core reader,
 * previewDocumentSources, gives the reference), and a folder import names every file it does not take.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors";
import { checkDocumentSize, MAX_DOCUMENT_BYTES, previewDocumentSources } from "../../src/core/import/document-sources";
import { makeDocx, makePdf, makePng } from "../support/document-fixtures";
import { createTestDatabaseUrl, testDatabaseKind } from "../support/test-database";
import { runBrightrun } from "../support/app-process";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-cli-documents-"));
let database: Awaited<ReturnType<typeof createTestDatabaseUrl>> = null;

function brightrun(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, BRIGHTRUN_DATA_DIR: path.join(work, "data"), DATABASE_URL: database?.url ?? "" };
  return runBrightrun(args, { cwd: work, env });
}

function write(file: string, content: Uint8Array | string) {
  fs.mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
  fs.writeFileSync(path.join(work, file), content);
}

/**
 * What the web upload says about a file (the reason in its preview entry): the web's route reads
 * uploads with previewDocumentSources and refuses an oversized one with checkDocumentSize unread.
 */
async function webMessage(file: string): Promise<string> {
  const full = path.join(work, file);
  const name = path.basename(file);
  const size = fs.statSync(full).size;
  if (size > MAX_DOCUMENT_BYTES) {
    try {
      checkDocumentSize({ file: name, size });
    } catch (error) {
      if (error instanceof AppError) return String(error.detail?.reason ?? error.message);
    }
    throw new Error(`${file} is over the limit but was not refused`);
  }
  const [preview] = await previewDocumentSources({ files: [{ name, bytes: new Uint8Array(fs.readFileSync(full)) }] });
  if (preview.ok) throw new Error(`the web takes ${file}`);
  return String(preview.error.detail?.reason ?? preview.error.message);
}

// Each test starts the real CLI a few times (a process each, with the embedded database).
describe(`brightrun import and documents (${testDatabaseKind()})`, { timeout: 180_000 }, () => {
  beforeAll(async () => {
    database = await createTestDatabaseUrl();
    write(
      "docs/anchor-guide.pdf",
      await makePdf({
        blocks: [
          { heading: "The Anchor Account Guide", level: 1 },
          { text: "An anchor account is the cash you keep for emergencies." },
          { heading: "Sizing the account", level: 2 },
          { text: "Start with three months of essential expenses. Add a month for every dependant." },
        ],
      }),
    );
    write("docs/playbook.docx", makeDocx([{ text: "Onboarding Playbook", style: "Title" }, { text: "The first meeting", style: "Heading1" }, { text: "Ask about goals and fears." }]));
    write("docs/pricing.html", "<html><body><h1>Pricing</h1><p>One flat annual fee.</p></body></html>");
    write("docs/logo.png", makePng(10, 10));
    write("bad/scan.pdf", await makePdf({ blocks: [{ image: true }] }));
    write("bad/fine.md", "# Fine\n\nThis file is fine.\n");
    // One of each refusal the web upload names (issue 9 item 2), for `import` to name the same way.
    write("worse/statement.pdf", await makePdf({ blocks: [{ text: "Confidential account statement." }], userPassword: "s3cret" }));
    const docx = makeDocx([{ text: "Intro", style: "Heading1" }, { text: "Some text that the reader will never see." }]);
    write("worse/cut.docx", docx.subarray(0, Math.floor(docx.length / 2)));
    write("worse/bomb.docx", makeDocx([{ text: "Looks harmless." }], { "word/media/filler.bin": new Uint8Array(5 * 1024 * 1024) }));
    write("worse/empty.md", "");
    write("worse/page.html", makePng(4, 4)); // a picture named .html
    write("worse/fine.txt", "This one is fine.");
    fs.writeFileSync(path.join(work, "worse/huge.pdf"), "");
    fs.truncateSync(path.join(work, "worse/huge.pdf"), MAX_DOCUMENT_BYTES + 1); // sparse: 25 MB + 1 byte, never read
    // Files a folder import passes over must be named too.
    write("docs/.DS_Store", "x");
    write("docs/.git/config", "[core]");
    write("docs/node_modules/pkg/readme.md", "# Not a document");
  });
  afterAll(async () => {
    fs.rmSync(work, { recursive: true, force: true });
    await database?.drop();
  });

  it("refuses a folder with a scanned PDF, naming it, and imports nothing", () => {
    const run = brightrun("import", "bad");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Error: Nothing was imported from bad: 1 problem must be fixed first.");
    expect(run.stderr).toContain("  - scan.pdf: this PDF has no selectable text — export it with OCR or paste the text.");
    const list = brightrun("documents", "list");
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain("No documents yet.");
  });

  it("refuses an encrypted PDF, a truncated or zip-bomb Word file, an empty, oversized or mistyped file with the web upload's own messages", async () => {
    const run = brightrun("import", "worse");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Error: Nothing was imported from worse: 6 problems must be fixed first.");
    for (const file of ["bomb.docx", "cut.docx", "empty.md", "huge.pdf", "page.html", "statement.pdf"]) {
      const message = await webMessage(`worse/${file}`);
      expect(run.stderr, file).toContain(`  - ${file}: ${message}`);
    }
    // The messages are the plain-English ones the issue asks for.
    expect(run.stderr).toMatch(/statement\.pdf: this PDF is password-protected/);
    expect(run.stderr).toMatch(/huge\.pdf: .*over the 25 MB limit/);
    expect(run.stderr).not.toContain("fine.txt");
    expect(brightrun("documents", "list").stdout).toContain("No documents yet.");

    // One file given on its own is refused the same way.
    const single = brightrun("import", "docs/logo.png");
    expect(single.code).toBe(1);
    expect(single.stderr).toContain(await webMessage("docs/logo.png"));
  });

  it("imports PDF, Word and HTML files and names every file it does not take, and why", () => {
    const run = brightrun("import", "docs");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("documents: 3 new, 0 updated, 0 unchanged");
    expect(run.stdout).toContain("not read (2 files, 2 folders):");
    expect(run.stdout).toContain('    - .DS_Store: hidden files (names starting with ".") are not imported');
    expect(run.stdout).toContain('    - .git/: hidden folders (names starting with ".") are not read');
    expect(run.stdout).toMatch(/- logo\.png: "\.png" files are not imported \(supported: .*Word \(\.docx\)/);
    expect(run.stdout).toContain("    - node_modules/: node_modules folders are not read");
  });

  it("lists documents with their chunk counts, as text and as JSON", () => {
    const text = brightrun("documents", "list");
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^3 documents, \d+ chunks\./);
    expect(text.stdout).toMatch(/anchor-guide\s+Uncategorized\s+\d+\s+The Anchor Account Guide/);

    const json = brightrun("documents", "list", "--json");
    expect(json.code, json.stderr).toBe(0);
    const documents = JSON.parse(json.stdout) as Array<{ key: string; title: string; chunks: number; source_path: string }>;
    expect(documents.map((d) => [d.key, d.title, d.source_path])).toEqual([
      ["playbook", "Onboarding Playbook", "playbook.docx"],
      ["pricing", "Pricing", "pricing.html"],
      ["anchor-guide", "The Anchor Account Guide", "anchor-guide.pdf"],
    ]);
    expect(documents.every((d) => d.chunks >= 1)).toBe(true);
  });

  it("shows a document's chunks with text, summary, key terms and dimensions", () => {
    const json = brightrun("documents", "show", "anchor-guide", "--json");
    expect(json.code, json.stderr).toBe(0);
    const shown = JSON.parse(json.stdout) as { title: string; chunks: Array<{ heading: string | null; content: string; summary: string; key_terms: string[]; dimensions: Record<string, unknown>; conversation_count: number }> };
    expect(shown.title).toBe("The Anchor Account Guide");
    const sizing = shown.chunks.find((c) => c.heading === "Sizing the account");
    expect(sizing).toMatchObject({
      content: "## Sizing the account\n\nStart with three months of essential expenses. Add a month for every dependant.",
      summary: "Start with three months of essential expenses. Add a month for every dependant.",
      conversation_count: 0,
    });
    expect(sizing?.key_terms).toContain("month");
    expect(sizing?.dimensions).toMatchObject({ audience_level: expect.any(String), content_type: expect.any(String) });

    const text = brightrun("documents", "show", "anchor-guide");
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/── Chunk 2 of 2 · anchor-guide#1 · Sizing the account · ~\d+ tokens · 0 conversations/);
    expect(text.stdout).toContain("Summary: Start with three months of essential expenses.");
    expect(text.stdout).toMatch(/Key terms: .*month/);
    expect(text.stdout).toMatch(/Dimensions: audience_level=\w+, content_type=\w+, emotional_valence=\w+, has_numbers=false, reading_time_s=\d+, word_count=13\n/);

    const missing = brightrun("documents", "show", "no-such-document");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Error: No document has the key "no-such-document". See the keys with `brightrun documents list`.');
  });

  it("traces a document as CSV, and deletes it only with --yes", () => {
    const trace = brightrun("documents", "trace", "anchor-guide");
    expect(trace.code, trace.stderr).toBe(0);
    const lines = trace.stdout.trim().split("\n");
    expect(lines[0]).toBe("document_key,document_title,chunk_key,chunk_position,chunk_heading,conversation_id,tier,status,quality_score");
    expect(lines.slice(1)).toEqual(["anchor-guide,The Anchor Account Guide,anchor-guide#0,1,,,,,", "anchor-guide,The Anchor Account Guide,anchor-guide#1,2,Sizing the account,,,,"]);

    const unconfirmed = brightrun("documents", "delete", "anchor-guide");
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toContain("Run the command again with --yes to delete it.");
    const deleted = brightrun("documents", "delete", "anchor-guide", "--yes");
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain('Deleted "The Anchor Account Guide" (anchor-guide) and its 2 chunks.');
    expect(brightrun("documents", "list").stdout).toMatch(/^2 documents,/);
  });
});
