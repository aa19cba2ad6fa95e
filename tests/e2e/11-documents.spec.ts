/**
 * Issue 9, item 2 (the Documents page): a user uploads a PDF, a Word file and a Markdown file, sees
 * each file's chunks before anything is saved, imports them, and reads a document's chunks with
 * their dimensions. Bad files — a PDF without text, a password-protected PDF, a file over 25 MB and a
 * truncated Word file — each show their own message, cannot be imported, and nothing is stored.
 * The files are made in memory by tests/support/document-fixtures.ts (no binary fixture committed).
 */
import fs from "node:fs";
import { dataRows, expect, gotoApp, inSample, rowId, screenshot, test, toast, storedDocumentCount, UPLOADER } from "./support/fixtures";
import { makeDocx, makePdf } from "../support/document-fixtures";

test("upload a PDF, a Word file and a Markdown file, preview their chunks, import them all, and read a document's chunks", async ({ page }) => {
  await gotoApp(page, "/documents", { hydrated: UPLOADER });
  await expect(page.getByRole("heading", { name: "Documents", level: 1 })).toBeVisible();
  const before = await storedDocumentCount(page);

  const pdf = await makePdf({
    title: "Emergency Fund Guide",
    blocks: [
      { heading: "The Emergency Fund Guide", level: 1 },
      { text: "An emergency fund is the cash you keep for the unexpected: a lost job, a repair, a medical bill." },
      { heading: "How much to keep", level: 2 },
      { text: "Start with three months of essential expenses, then build toward six months if your income varies." },
    ],
  });
  const docx = makeDocx([
    { text: "New Client Onboarding Playbook", style: "Title" },
    { text: "The first meeting", style: "Heading1" },
    { text: "Ask about goals, fears and the money conversations they avoid at home." },
  ]);
  const markdown = "# Client story: the Patels\n\nThe Patels paid off their car loan early and then built a six-month cushion before investing.\n";

  await page.locator(UPLOADER).setInputFiles([
    { name: "Emergency Fund Guide.pdf", mimeType: "application/pdf", buffer: Buffer.from(pdf) },
    { name: "Onboarding Playbook.docx", mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", buffer: Buffer.from(docx) },
    { name: "patels-story.md", mimeType: "text/markdown", buffer: Buffer.from(markdown) },
  ]);

  const files = page.getByRole("list", { name: "Files to import" });
  const pdfRow = files.getByRole("listitem", { name: "Emergency Fund Guide.pdf" });
  const docxRow = files.getByRole("listitem", { name: "Onboarding Playbook.docx" });
  const mdRow = files.getByRole("listitem", { name: "patels-story.md" });
  for (const row of [pdfRow, docxRow, mdRow]) await expect(row.getByText("New", { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(pdfRow).toContainText("PDF");
  await expect(docxRow).toContainText("New Client Onboarding Playbook");

  // The chunk preview, before anything is stored.
  await pdfRow.getByRole("button", { name: /Show the \d+ chunks?/ }).click();
  const pdfChunks = pdfRow.getByRole("list", { name: "Chunks of Emergency Fund Guide.pdf" });
  await expect(pdfChunks).toContainText("How much to keep");
  await expect(pdfChunks).toContainText("three months of essential expenses");

  // A category chosen for one file.
  await mdRow.getByRole("combobox", { name: "Category of patels-story.md" }).fill("Client Stories");
  await screenshot(page, "documents-upload-preview");

  await page.getByRole("button", { name: /^Import 3 files \(\d+ chunks?\)$/ }).click();
  await expect(toast(page, /Imported 3 documents \(\d+ chunks?\)/)).toBeVisible({ timeout: 30_000 });
  await expect(files).toBeHidden();

  // The list is rendered on the server and refreshed after the import: wait for it (retrying).
  await expect(page.getByRole("heading", { name: /Stored documents/ })).toContainText(`${before + 3} documents`);
  const stored = page.getByRole("table", { name: "Stored documents" });
  const patelRow = stored.getByRole("row").filter({ hasText: "Client story: the Patels" });
  await expect(patelRow).toContainText("Client Stories");

  // A document's page: its chunks with summary, key terms and dimensions.
  await stored.getByRole("link", { name: "The Emergency Fund Guide" }).click();
  await expect(page.getByRole("heading", { name: "The Emergency Fund Guide", level: 1 })).toBeVisible();
  const chunks = page.getByRole("list", { name: "Chunks" });
  await expect(chunks.getByRole("heading", { name: /How much to keep/ })).toBeVisible();
  await expect(chunks).toContainText("Audience level:");
  await expect(chunks).toContainText(/Reading time:\s*\d+ s/);
  await expect(chunks).toContainText("no conversations yet");
  await screenshot(page, "document-chunks");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "document-chunks-dark");
  await page.goto(inSample("/documents"));
  await screenshot(page, "documents-dark");
  await page.emulateMedia({ colorScheme: "light" });
});

test("a PDF without text, a password-protected PDF, a file over 25 MB and a truncated Word file each say what is wrong, and nothing is stored", async ({ page }) => {
  await gotoApp(page, "/documents", { hydrated: UPLOADER });
  const before = await storedDocumentCount(page);

  const scan = await makePdf({ blocks: [{ image: true }] });
  const locked = await makePdf({ blocks: [{ text: "Confidential account statement." }], userPassword: "s3cret" });
  const whole = makeDocx([{ text: "Intro", style: "Heading1" }, { text: "Some text that the reader will never see." }]);
  const truncated = whole.subarray(0, Math.floor(whole.length / 2));
  const oversized = Buffer.alloc(26 * 1024 * 1024, "a");

  await page.locator(UPLOADER).setInputFiles([
    { name: "scan.pdf", mimeType: "application/pdf", buffer: Buffer.from(scan) },
    { name: "statement.pdf", mimeType: "application/pdf", buffer: Buffer.from(locked) },
    { name: "huge-notes.md", mimeType: "text/markdown", buffer: oversized },
    { name: "cut.docx", mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", buffer: Buffer.from(truncated) },
    { name: "good.md", mimeType: "text/markdown", buffer: Buffer.from("# A good note\n\nThis one is fine on its own.\n") },
  ], { timeout: 120_000 }); // 26 MB travel to the browser first

  const files = page.getByRole("list", { name: "Files to import" });
  const expectations: Array<[string, RegExp]> = [
    ["scan.pdf", /this PDF has no selectable text — export it with OCR or paste the text/],
    ["statement.pdf", /this PDF is password-protected/],
    ["huge-notes.md", /25 MB/],
    ["cut.docx", /the Word file is damaged or incomplete/],
  ];
  for (const [name, message] of expectations) {
    await expect(files.getByRole("listitem", { name }).getByRole("alert")).toHaveText(message, { timeout: 60_000 });
  }
  await expect(files.getByRole("listitem", { name: "good.md" }).getByText("New", { exact: true })).toBeVisible();
  await expect(page.getByText("4 files can't be imported: remove them or fix and add them again.")).toBeVisible();
  await expect(page.getByRole("button", { name: /^Import 1 file/ })).toBeDisabled();
  await screenshot(page, "documents-upload-refused");

  // The import itself is all or nothing too: sent a good file beside a bad one, it stores neither
  // and names the bad one (what the page would get if a file went bad between preview and import).
  const form = new FormData();
  form.append("file", new File([Buffer.from("# Another good note\n\nFine.\n")], "another-good.md", { type: "text/markdown" }));
  form.append("category", "");
  form.append("file", new File([Buffer.from(truncated)], "cut.docx"));
  form.append("category", "");
  const response = await page.request.post(inSample("/api/documents/import"), { multipart: form });
  expect(response.status()).toBe(400);
  const body = (await response.json()) as { error: { code: string; message: string; problems: Array<{ file: string; message: string }> } };
  expect(body.error.code).toBe("import_invalid");
  expect(body.error.message).toContain("Nothing was imported");
  expect(body.error.problems.map((p) => p.file)).toEqual(["cut.docx"]);

  // Nothing was stored: the list after a reload has the same documents as before.
  await gotoApp(page, "/documents", { hydrated: UPLOADER });
  expect(await storedDocumentCount(page)).toBe(before);
});

test("a conversation's preview names the document and chunk it was planned from, and opens that chunk in one click", async ({ page }) => {
  await gotoApp(page, "/?tier=template&sort=conversation_id.asc");
  const target = dataRows(page).first();
  const conversationId = await rowId(target);
  await target.focus();
  await page.keyboard.press("Enter");
  const panel = page.getByRole("dialog").filter({ has: page.getByRole("textbox", { name: "Reviewer notes" }) });
  await expect(panel).toBeVisible();
  const details = panel.getByRole("region", { name: "Conversation details" });
  await expect(details).toContainText("Source document and chunk");
  await expect(details).toContainText(/Audience level: \w+/);
  const link = details.getByRole("link", { name: /›/ });
  const [documentTitle, chunkName] = ((await link.textContent()) ?? "").split(" › ");
  await screenshot(page, "preview-source-chunk", { overlay: true });

  await link.click();
  await expect(page).toHaveURL(/\/documents\/[^/]+#chunk-\d+$/);
  await expect(page.getByRole("heading", { name: documentTitle, level: 1 })).toBeVisible();
  const chunk = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: chunkName }) });
  await expect(chunk).toBeVisible();
  await expect(chunk).toContainText(/fed \d+ conversations?/);

  // The traceability CSV: this conversation under its chunk.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Traceability (CSV)" }).click();
  const csv = fs.readFileSync(await (await download).path(), "utf8").trim().split("\n");
  expect(csv[0]).toBe("document_key,document_title,chunk_key,chunk_position,chunk_heading,conversation_id,tier,status,quality_score");
  expect(csv.some((line) => line.includes(`,${conversationId},`))).toBe(true);

  // Back to the table, filtered to this document's conversations: the Document filter shows it.
  const planned = page.getByRole("link", { name: /^\d+ conversations? planned from it$/ });
  const count = Number(/^(\d+)/.exec((await planned.textContent()) ?? "")?.[1]);
  await planned.click();
  await expect(page).toHaveURL(/[?&]document=/);
  await expect(page.getByRole("button", { name: `Remove filter Document: ${documentTitle}` })).toBeVisible();
  await expect(page.getByText(/Showing \d+ of \d+/)).toHaveText(new RegExp(`^Showing ${count} of \\d+$`));
});

test("delete a document: the confirmation says what goes and what stays, and the document leaves the list", async ({ page }) => {
  await gotoApp(page, "/documents/emergency-fund-guide", { hydrated: "main button" });
  await expect(page.getByRole("heading", { name: "The Emergency Fund Guide", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "Delete document" }).click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText("Delete “The Emergency Fund Guide”?");
  await expect(confirm).toContainText("Its 2 chunks are deleted. No conversation was planned from it.");
  await confirm.getByRole("button", { name: "Delete document" }).click();
  await expect(toast(page, "Deleted “The Emergency Fund Guide”")).toBeVisible();
  await expect(page).toHaveURL(/\/documents$/);
  await expect(page.getByRole("table", { name: "Stored documents" })).not.toContainText("The Emergency Fund Guide");
});
