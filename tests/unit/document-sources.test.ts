/**
 * One uploaded file → its chunks or a plain-English refusal (issue 9, items 2 and 5): what a user
 * sees in the preview. Every test document is made here (tests/support/document-fixtures.ts).
 */
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import type { AppError } from "../../src/core/errors";
import { MAX_DOCUMENT_BYTES, previewDocumentSources, readDocumentSource, type DocumentDraft } from "../../src/core/import/document-sources";
import { docxParts, makeDocx, makePdf, makePng, withDeclaredSize } from "../support/document-fixtures";

const MiB = 1024 * 1024;

async function refusal(file: string, bytes: Uint8Array): Promise<AppError> {
  const error = await readDocumentSource({ file, bytes }).then(
    () => null,
    (e: unknown) => e as AppError,
  );
  expect(error, `${file} should have been refused`).not.toBeNull();
  expect(error?.message.startsWith(`${file}: `), error?.message).toBe(true);
  expect(error?.detail.file).toBe(file);
  return error as AppError;
}

const headings = (doc: DocumentDraft) => doc.chunks.map((c) => c.heading);
const allText = (doc: DocumentDraft) => doc.chunks.map((c) => c.content).join("\n\n");
const squash = (text: string) => text.replace(/\s+/g, " ").trim();

const LONG_PARAGRAPH = Array.from(
  { length: 60 },
  (_, i) => `Sentence ${i + 1} of the long paragraph explains how the anchor account is refilled after a withdrawal, one month at a time.`,
).join(" ");

describe("a PDF's text comes through with its headings", () => {
  it("keeps headings as chunk headings, joins wrapped lines and a paragraph running over a page break, and drops running headers and page numbers", async () => {
    const bytes = await makePdf({
      runningHeader: "Harbor & Pine — Client Guide",
      blocks: [
        { heading: "The Anchor Account Guide", level: 1 },
        { text: "An anchor account is the cash you keep for emergencies. It protects you from selling investments at a bad time, and it is the first thing we set up with every new client." },
        { heading: "Sizing the account", level: 2 },
        { text: "Start with three months of essential expenses. Add a month for every dependant." },
        { list: ["Rent or mortgage", "Groceries and utilities", "Insurance premiums"] },
        { heading: "Refilling after use", level: 2 },
        { text: LONG_PARAGRAPH },
        { heading: "When to invest again", level: 3 },
        { text: "Invest again only once the anchor account is full." },
      ],
    });
    const doc = await readDocumentSource({ file: "Anchor Guide.pdf", bytes });

    expect(doc.kind).toBe("pdf");
    expect(doc.key).toBe("anchor-guide");
    expect(doc.title).toBe("The Anchor Account Guide");
    expect(doc.category).toBe("Uncategorized");
    expect(headings(doc)).toContain("Sizing the account");
    expect(headings(doc)).toContain("Refilling after use");
    expect(headings(doc)).toContain("Refilling after use > When to invest again");
    const sizing = doc.chunks.find((c) => c.heading === "Sizing the account");
    expect(sizing?.content).toMatch(/^## Sizing the account\n\nStart with three months of essential expenses\. Add a month for every dependant\./);
    expect(sizing?.content).toMatch(/Rent or mortgage\nGroceries and utilities\nInsurance premiums/);
    expect(sizing?.summary).toBe("Start with three months of essential expenses. Add a month for every dependant.");
    expect(sizing?.keyTerms.length).toBeGreaterThan(0);
    expect(sizing?.dimensions).toMatchObject({ audience_level: expect.any(String), emotional_valence: expect.any(String), word_count: expect.any(Number) });

    // The long paragraph flows onto page 2: it is still one paragraph, whole.
    const paragraphs = (doc.content ?? "").split("\n\n").map(squash);
    expect(paragraphs).toContain(LONG_PARAGRAPH);
    expect(doc.content).not.toMatch(/Page \d of \d/);
    expect(doc.content).not.toContain("Client Guide");
    expect(doc.warnings).toEqual([]);
  });

  it("takes a PDF with some scanned pages, and says which pages have no text", async () => {
    const bytes = await makePdf({
      blocks: [{ heading: "Fee schedule", level: 1 }, { text: "Our planning fee is a flat annual amount agreed before any work starts." }, { pageBreak: true }, { image: true }, { pageBreak: true }, { image: true }],
    });
    const doc = await readDocumentSource({ file: "fees.pdf", bytes });
    expect(allText(doc)).toContain("Our planning fee is a flat annual amount agreed before any work starts.");
    expect(doc.warnings).toEqual([expect.stringMatching(/^Pages 2–3 of 3 have no selectable text \(scanned or blank\)/)]);
  });
});

describe("a Word document's text comes through with its headings", () => {
  it("maps Title and Heading styles to headings and keeps special characters as text", async () => {
    const bytes = makeDocx(
      [
        { text: "Client Onboarding Playbook", style: "Title" },
        { text: "Every new client starts with a discovery call & a questionnaire." },
        { text: "The first meeting", style: "Heading1" },
        { text: "Ask about goals and fears. Use <plain> words; avoid *jargon* and # signs." },
        { text: "Follow-up", style: "Heading2" },
        { text: "Send the summary within two working days." },
      ],
      { "word/media/image1.png": makePng(20, 20) },
    );
    const doc = await readDocumentSource({ file: "onboarding.docx", bytes, defaultCategory: "Complete Systems" });

    expect(doc.kind).toBe("docx");
    expect(doc.title).toBe("Client Onboarding Playbook");
    expect(doc.category).toBe("Complete Systems");
    expect(headings(doc)).toEqual([null, "The first meeting", "The first meeting > Follow-up"]);
    expect(doc.chunks[0].content).toContain("Every new client starts with a discovery call & a questionnaire.");
    expect(doc.chunks[1].content).toBe("# The first meeting\n\nAsk about goals and fears. Use <plain> words; avoid *jargon* and # signs.");
    expect(doc.chunks[2].summary).toBe("Send the summary within two working days.");
  });
});

describe("an HTML page's text comes through with its headings", () => {
  it("keeps h1–h3 as headings and leaves out scripts, styles, navigation and pictures", async () => {
    const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Fees &amp; Pricing | Harbor</title>
      <style>h1 { color: red }</style><script>trackVisitor()</script></head>
      <body><nav><a href="/">Home</a> <a href="/about">About us</a></nav>
      <main><h1>Fees &amp; Pricing</h1><p>We charge one flat annual fee, agreed in advance.</p>
      <h2>Hourly work</h2><p># This line is text, not a heading.</p><ul><li>Tax-return review</li><li>Second opinions</li></ul>
      <p>Charts <img src="data:image/png;base64,iVBORw0KGgo=" alt="fee chart"> are on request.</p></main></body></html>`;
    const doc = await readDocumentSource({ file: "pricing.html", bytes: strToU8(html) });

    expect(doc.kind).toBe("html");
    expect(doc.title).toBe("Fees & Pricing");
    expect(headings(doc)).toEqual([null, "Hourly work"]);
    expect(doc.chunks[1].content).toContain("\\# This line is text, not a heading.");
    expect(doc.chunks[1].content).toContain("- Tax-return review\n- Second opinions");
    const text = allText(doc);
    for (const hidden of ["trackVisitor", "color: red", "About us", "base64"]) expect(text).not.toContain(hidden);
  });

  it("uses the page's <title> when it has no h1", async () => {
    const doc = await readDocumentSource({ file: "faq.htm", bytes: strToU8("<html><head><title>Frequently asked questions</title></head><body><h2>Do you sell products?</h2><p>No: we are fee-only.</p></body></html>") });
    expect(doc.title).toBe("Frequently asked questions");
    expect(headings(doc)).toEqual(["Do you sell products?"]);
  });
});

describe("Markdown, text and chunk files read as before", () => {
  it("reads front matter, and plain text has no headings", async () => {
    const md = await readDocumentSource({ file: "notes/roth.md", bytes: strToU8("---\nkey: roth-ladder\ntitle: The Roth Ladder\ncategory: Proprietary Strategies\n---\n\n## Year 1\n\nConvert up to the top of the 12% bracket.\n") });
    expect(md).toMatchObject({ key: "roth-ladder", title: "The Roth Ladder", category: "Proprietary Strategies", kind: "markdown" });
    expect(md.chunks.map((c) => [c.key, c.heading])).toEqual([["roth-ladder#0", "Year 1"]]);

    const txt = await readDocumentSource({ file: "Call Notes.txt", bytes: strToU8("First paragraph of the notes.\n\nSecond paragraph.") });
    expect(txt).toMatchObject({ key: "call-notes", title: "Call Notes", kind: "text" });
    expect(txt.chunks[0].heading).toBeNull();
  });

  it("reads a Windows-1252 text file and says it guessed the encoding", async () => {
    const doc = await readDocumentSource({ file: "menu.txt", bytes: new Uint8Array([...strToU8("Caf"), 0xe9, ...strToU8(" au lait costs 3 "), 0x80, 0x2e]) });
    expect(doc.chunks[0].content).toBe("Café au lait costs 3 €.");
    expect(doc.warnings).toEqual([expect.stringContaining("read as Windows-1252")]);
  });

  it("stores an upstream chunk file's chunks as they are", async () => {
    const json = { document: { key: "roth", title: "Roth Playbook", category: "Proprietary Strategies" }, chunks: [{ chunk_id: "roth-07", heading: "Gap years", content: "Low-income years are a window for conversions.", dimensions: { expertise: 0.7 } }] };
    const doc = await readDocumentSource({ file: "roth.json", bytes: strToU8(JSON.stringify(json)) });
    expect(doc).toMatchObject({ key: "roth", kind: "json", content: null });
    expect(doc.chunks).toEqual([expect.objectContaining({ key: "roth-07", heading: "Gap years", summary: "Low-income years are a window for conversions.", dimensions: { expertise: 0.7 } })]);
  });
});

describe("bad files are refused with what to do", () => {
  it("an empty file", async () => {
    const error = await refusal("empty.pdf", new Uint8Array());
    expect(error.code).toBe("document_empty");
    expect(error.message).toContain("the file is empty (0 bytes)");
  });

  it("a file over the 25 MB limit, before it is read", async () => {
    const error = await refusal("huge.pdf", new Uint8Array(MAX_DOCUMENT_BYTES + 1));
    expect(error.code).toBe("document_too_large");
    expect(error.message).toMatch(/the file is 25\.1 MB, over the 25 MB limit for one document\. Split it/);
  });

  it("an unsupported type, naming what it is and the supported types", async () => {
    const error = await refusal("team-photo.png", makePng(8, 8));
    expect(error.code).toBe("document_type_unsupported");
    expect(error.message).toBe(
      'team-photo.png: Bright Run can\'t import ".png" files. This one is a PNG image. Bright Run reads text, not pictures: run OCR on it, or paste its text into a .txt or .md file. Supported: Markdown (.md), plain text (.txt), PDF (.pdf), Word (.docx), HTML (.html, .htm) and chunk JSON (.json).',
    );
  });

  it("an old Word .doc, with how to make a .docx of it", async () => {
    const oleHeader = new Uint8Array(4096);
    oleHeader.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]); // Compound File Binary, as Office 97–2003 writes
    const error = await refusal("contract.doc", oleHeader);
    expect(error.code).toBe("document_type_unsupported");
    expect(error.message).toContain("This one is an older Microsoft Office file (.doc, .xls or .ppt, Office 97–2003) or a password-protected Office file. If it is a Word file, remove any password, open it in Word and save it as .docx (Word Document).");
  });

  it("a name that does not match the bytes says what the file really is", async () => {
    const pngAsPdf = await refusal("brochure.pdf", makePng(8, 8));
    expect(pngAsPdf.code).toBe("document_type_mismatch");
    expect(pngAsPdf.message).toContain("the name says PDF, but the file is a PNG image. Bright Run reads text, not pictures");

    const pdf = await makePdf({ blocks: [{ text: "Hello there, this is a PDF." }] });
    const pdfAsMarkdown = await refusal("notes.md", pdf);
    expect(pdfAsMarkdown.message).toContain("the name says a text file (.md), but the file is a PDF document. Rename it to end in .pdf.");
    const pdfAsWord = await refusal("letter.docx", pdf);
    expect(pdfAsWord.message).toContain("the name says a Word document (.docx), but the file is a PDF document.");
  });

  it("a scanned PDF with no text layer", async () => {
    const error = await refusal("scan.pdf", await makePdf({ blocks: [{ image: true }, { pageBreak: true }, { image: true }] }));
    expect(error.code).toBe("pdf_no_text");
    expect(error.message).toContain("scan.pdf: this PDF has no selectable text — export it with OCR or paste the text.");
  });

  it("a password-protected PDF", async () => {
    const error = await refusal("statement.pdf", await makePdf({ blocks: [{ text: "Confidential account statement." }], userPassword: "s3cret" }));
    expect(error.code).toBe("pdf_encrypted");
    expect(error.message).toMatch(/this PDF is password-protected.*save or print a copy without one/);
  });

  it("a damaged PDF", async () => {
    const whole = await makePdf({ blocks: [{ text: "A complete sentence." }] });
    const error = await refusal("cut.pdf", whole.subarray(0, 600));
    expect(error.code).toBe("pdf_unreadable");
    expect(error.message).toContain("this PDF is damaged or incomplete");
  });

  it("a truncated Word file", async () => {
    const whole = makeDocx([{ text: "Intro", style: "Heading1" }, { text: "Some text that the reader will never see." }]);
    const error = await refusal("cut.docx", whole.subarray(0, Math.floor(whole.length / 2)));
    expect(error.code).toBe("docx_unreadable");
    expect(error.message).toContain("the Word file is damaged or incomplete");
    expect(error.message).toContain("save it again as .docx");
  });

  it("a zip-bomb Word file: a part that unpacks far beyond its packed size", async () => {
    const bomb = makeDocx([{ text: "Looks harmless." }], { "word/media/filler.bin": new Uint8Array(5 * MiB) });
    expect(bomb.length).toBeLessThan(100_000);
    const error = await refusal("bomb.docx", bomb);
    expect(error.code).toBe("docx_too_large_unpacked");
    expect(error.message).toMatch(/the part "word\/media\/filler\.bin" unpacks [\d,]+ times larger than it is packed\. Bright Run refuses Word files that unpack beyond 100 MB, have more than 1,000 parts, or have a part that unpacks to more than 100× its size/);
  });

  it("a Word file declaring more than 100 MB unpacked, or more than 1,000 parts", async () => {
    const declared = withDeclaredSize(makeDocx([{ text: "Small." }]), "word/document.xml", 101 * MiB);
    expect((await refusal("declared.docx", declared)).message).toContain("the Word file would unpack to more than 100 MB");

    const parts = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`word/media/p${i}.txt`, strToU8("x")]));
    const many = await refusal("many.docx", makeDocx([{ text: "Small." }], parts));
    expect(many.code).toBe("docx_too_large_unpacked");
    expect(many.message).toContain("the Word file has 1,005 parts inside");
  });

  it("a Word file whose part unpacks to more than it declares is stopped while inflating", async () => {
    const lying = withDeclaredSize(makeDocx([{ text: "Small." }], { "word/media/notes.txt": strToU8("n".repeat(300_000)) }), "word/media/notes.txt", 1000);
    const error = await refusal("lying.docx", lying);
    expect(error.code).toBe("docx_unreadable");
    expect(error.message).toMatch(/too many bytes/i);
  });

  it("a ZIP that is not a Word document, and a Word document without text", async () => {
    const zip = await refusal("archive.docx", zipSync({ "notes.txt": strToU8("hello") }));
    expect(zip.code).toBe("docx_unreadable");
    expect(zip.message).toContain("a ZIP archive without a Word document inside");

    const parts = docxParts([{ text: "" }]);
    const empty = await refusal("blank.docx", zipSync(parts));
    expect(empty.code).toBe("document_no_text");
    expect(empty.message).toContain("the Word document has no text");
  });

  it("another kind of import JSON, and a chunk file with mistakes", async () => {
    const taxonomy = await refusal("taxonomy.json", strToU8(JSON.stringify({ personas: [] })));
    expect(taxonomy.code).toBe("document_not_a_document");
    expect(taxonomy.message).toContain("this is a taxonomy file (personas, arcs, topics, intents, tones or edge cases), not a document");

    const broken = await refusal("chunks.json", strToU8(JSON.stringify({ document: { key: "x", title: "X", category: "C" }, chunks: [{ content: "" }] }, null, 2)));
    expect(broken.code).toBe("document_invalid");
    expect(broken.detail.problems).toEqual([expect.objectContaining({ file: "chunks.json", where: expect.stringContaining("$.chunks[0].content"), message: "must not be empty" })]);
  });
});

describe("previewDocumentSources", () => {
  it("gives each file its chunks or its error, in order, and flags a second file with the same key", async () => {
    const done: string[] = [];
    const previews = await previewDocumentSources({
      files: [
        { name: "guide.md", bytes: strToU8("# Guide\n\n## Step one\n\nOpen the account.\n") },
        { name: "scan.pdf", bytes: await makePdf({ blocks: [{ image: true }] }) },
        { name: "playbook.docx", bytes: makeDocx([{ text: "Playbook", style: "Heading1" }, { text: "Do the thing." }]) },
        { name: "other/guide.txt", bytes: strToU8("Another guide.") },
        { name: "empty.html", bytes: new Uint8Array() },
      ],
      defaultCategory: "Client Stories",
      onFileDone: (preview) => done.push(preview.file),
    });
    expect(done).toEqual(["guide.md", "scan.pdf", "playbook.docx", "other/guide.txt", "empty.html"]);
    expect(previews.map((p) => [p.file, p.ok ? "ok" : p.error.code])).toEqual([
      ["guide.md", "ok"],
      ["scan.pdf", "pdf_no_text"],
      ["playbook.docx", "ok"],
      ["other/guide.txt", "document_key_duplicate"],
      ["empty.html", "document_empty"],
    ]);
    const guide = previews[0].ok ? previews[0].document : null;
    expect(guide?.category).toBe("Client Stories");
    expect(guide?.chunks.map((c) => c.heading)).toEqual(["Step one"]);
    const duplicate = previews[3];
    expect(duplicate.ok ? "" : duplicate.error.message).toContain('guide.md in the same import has the same document key "guide"');
  });
});
