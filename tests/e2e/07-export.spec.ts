/**
 * Flow g (US4.2.2, US5.1.1): approve three conversations (template and scenario tiers: edge cases
 * are approved one at a time), click "Export" in the header, keep every conversation (duplicate
 * removal off) in the export dialog, and get a ZIP whose data file is OpenAI chat JSONL with as
 * many lines as the toast reports and as there are approved conversations (10 seeds, the one
 * approved in the preview flow, these three). tests/e2e/10-export-dialog.spec.ts covers the
 * dialog's checks, split and presets.
 */
import { readZipEntries } from "../support/read-zip";
import { dataRows, dialogWith, expect, firstIds, gotoApp, test, toast } from "./support/fixtures";

test("approve selected conversations and export them as OpenAI chat JSONL", async ({ page }) => {
  await gotoApp(page, "/?status=generated&tier=template,scenario&sort=conversation_id.asc&perPage=100");
  await expect(page.getByRole("heading", { name: "Conversations" })).toBeVisible();
  const ids = await firstIds(dataRows(page), 3);
  for (const id of ids) await page.getByRole("checkbox", { name: `Select ${id}`, exact: true }).check();
  await expect(page.getByText("3 conversations selected")).toBeVisible();
  await page.getByRole("button", { name: "Approve Selected (3)" }).click();
  const confirm = dialogWith(page, "Approve 3 conversations?");
  await expect(confirm).toBeVisible();
  // A note for all: the fake LLM's conversations may score below the approval bar (6), which then needs one.
  await confirm.getByRole("textbox", { name: "Notes for all (optional)" }).fill("Read and checked by hand.");
  await confirm.getByRole("button", { name: "Approve 3 conversations" }).click();
  await expect(confirm).toBeHidden();
  await expect(toast(page, "3 conversations approved")).toBeVisible();

  await gotoApp(page, "/?status=approved&perPage=100");
  await expect(page.getByRole("button", { name: "Remove filter Status: Approved" })).toBeVisible();
  const approved = 10 + 1 + 3;
  await expect(page.getByText(/Showing \d+ of \d+/)).toHaveText(`Showing ${approved} of 50`);
  await expect(dataRows(page)).toHaveCount(approved);

  // Export = the approved conversations in the default format, OpenAI chat JSONL, in one ZIP.
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const exportDialog = dialogWith(page, "Export conversations");
  await expect(exportDialog.getByText(`Exporting ${approved} approved conversations matching current filters`)).toBeVisible();
  await exportDialog.getByRole("checkbox", { name: "Remove duplicates" }).uncheck();
  const download = page.waitForEvent("download", { timeout: 60_000 });
  await exportDialog.getByRole("button", { name: `Export ${approved} conversations` }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.zip$/);
  const zip = await readZipEntries(await file.path());
  const dataFile = [...zip.keys()].find((name) => name.endsWith(".jsonl")) as string;
  expect(dataFile).toMatch(/^training-data-\d{4}-\d{2}-\d{2}-approved-14-conversations\.jsonl$/);
  expect([...zip.keys()]).toContain(dataFile.replace(/\.jsonl$/, "-manifest.json"));
  const text = zip.get(dataFile) ?? "";
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  for (const line of lines) {
    const record = JSON.parse(line) as { messages?: Array<{ role: string; content: string }> };
    expect(Array.isArray(record.messages)).toBe(true);
    const roles = new Set(record.messages?.map((m) => m.role));
    expect(roles.has("user") && roles.has("assistant")).toBe(true);
    for (const message of record.messages ?? []) {
      expect(["system", "user", "assistant"]).toContain(message.role);
      expect(typeof message.content).toBe("string");
    }
  }

  const exported = toast(page, /Exported \d+/);
  await expect(exported).toBeVisible();
  const reported = Number(/Exported (\d+)/.exec((await exported.textContent()) ?? "")?.[1]);
  expect(lines.length).toBe(reported);
  expect(lines.length).toBe(approved);
});
