/**
 * The export dialog (issue 12 items 4–5; US5.1.1, US5.2.1): filter the table by tier, open the
 * dialog with Ctrl+E (not while typing in the search box), read "Exporting N approved
 * conversations matching current filters" and the preview, ask for a 20 % validation split,
 * duplicate removal and Llama 3 as the target model, name the file, export, and open the ZIP the
 * browser downloads: training and validation files, the manifest with every check, and a
 * chat-template render check that reports 0 failures. The settings are saved as a preset and
 * applied again from the Conversations menu. Screenshots of the dialog in light and dark.
 *
 * Runs on the data earlier specs leave, or alone on a fresh server (the 10 approved seeds).
 */
import type { Page } from "@playwright/test";
import type { ExportManifest } from "../../src/core/export/manifest";
import { readZipEntries } from "../support/read-zip";
import { dialogWith, expect, gotoApp, screenshot, test, toast } from "./support/fixtures";

const FILTERED = "/?tier=template,scenario&perPage=100";

/** N from the table's "Showing N of M". */
async function shownCount(page: Page): Promise<number> {
  const text = (await page.getByText(/Showing \d+ of \d+/).textContent()) ?? "";
  return Number(/Showing (\d+)/.exec(text)?.[1]);
}

test("export a filtered, deduplicated, split dataset checked against Llama 3 as one ZIP", async ({ page }) => {
  // How many approved conversations the filter holds, as the table shows them.
  await gotoApp(page, `${FILTERED}&status=approved`);
  await expect(page.getByText(/Showing \d+ of \d+/)).toBeVisible();
  const approved = await shownCount(page);
  expect(approved).toBeGreaterThanOrEqual(5);

  // The view without a status filter: Template and Scenario, every status.
  await gotoApp(page, FILTERED);
  await expect(page.getByRole("button", { name: "Remove filter Tier: Template" })).toBeVisible();

  // Ctrl+E in the search box types, it does not open the dialog.
  const searchBox = page.getByRole("searchbox", { name: "Search conversations" });
  await searchBox.focus();
  await page.keyboard.press("Control+e");
  const dialog = dialogWith(page, "Export conversations");
  await expect(dialog).toBeHidden();

  await page.getByRole("heading", { name: "Conversations" }).click();
  await page.keyboard.press("Control+e");
  await expect(dialog).toBeVisible();
  // Only approved conversations are exported: the filter names no status.
  await expect(dialog.getByText(`Exporting ${approved} approved conversations matching current filters`)).toBeVisible();
  await expect(dialog.getByRole("combobox", { name: "Conversations" })).toContainText("Matching current filters");

  // The preview: the first records exactly as the OpenAI file holds them.
  const firstRecord = dialog.getByRole("region", { name: "Preview" }).getByLabel("Record 1");
  await expect(firstRecord).toContainText('{"messages":[');

  // 20 % for validation, duplicates removed, Llama 3 as the target.
  await dialog.getByRole("checkbox", { name: "Split off a validation set" }).check();
  await dialog.getByRole("textbox", { name: "Validation share in percent" }).fill("20");
  await expect(dialog.getByRole("checkbox", { name: "Remove duplicates" })).toBeChecked();
  await dialog.getByRole("combobox", { name: "Target model" }).click();
  await page.getByRole("option", { name: "Llama 3" }).click();
  await dialog.getByRole("textbox", { name: "File name" }).fill("e2e dialog export!");
  await dialog.getByRole("textbox", { name: "File name" }).blur();
  await expect(dialog.getByRole("textbox", { name: "File name" })).toHaveValue("e2e-dialog-export");

  const checks = dialog.getByRole("region", { name: "Dataset checks" });
  await expect(checks).toContainText(/Chat template: all \d+ records render, 0 failures\./, { timeout: 60_000 });
  await expect(checks).toContainText(/Split: \d+ for training, \d+ for validation\./);
  await expect(checks).toContainText(/Tokens \(Meta Llama 3 Instruct/);
  await expect(checks).toContainText(/Duplicates: /);
  await expect(dialog.getByRole("region", { name: "Preview" })).toContainText("e2e-dialog-export-train.jsonl");
  await screenshot(page, "export-dialog", { overlay: true });

  // Saved as a preset: it is offered under Conversations and names itself in the headline.
  await dialog.getByRole("textbox", { name: "Preset name" }).fill("E2E Llama split");
  await dialog.getByRole("button", { name: "Save preset" }).click();
  await expect(toast(page, "Preset “E2E Llama split” saved")).toBeVisible();
  await expect(dialog.getByRole("combobox", { name: "Conversations" })).toContainText("E2E Llama split");
  await expect(dialog.getByText(`Exporting ${approved} approved conversations (preset: E2E Llama split)`)).toBeVisible();
  await expect(checks).toContainText(/Chat template: all \d+ records render, 0 failures\./, { timeout: 60_000 });

  const exportButton = dialog.getByRole("button", { name: /^Export \d+ conversations?$/ });
  const written = Number(/Export (\d+)/.exec((await exportButton.textContent()) ?? "")?.[1]);
  const split = /Split: (\d+) for training, (\d+) for validation/.exec((await checks.textContent()) ?? "");
  const previewed = (await firstRecord.textContent()) ?? "";

  const download = page.waitForEvent("download", { timeout: 90_000 });
  await exportButton.click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("e2e-dialog-export.zip");
  await expect(toast(page, `Exported ${written} approved conversation`)).toBeVisible();
  await expect(dialog).toBeHidden();

  // The ZIP: training and validation data, the manifest with the checks.
  const zip = await readZipEntries(await file.path());
  expect([...zip.keys()]).toEqual(["e2e-dialog-export-train.jsonl", "e2e-dialog-export-validation.jsonl", "e2e-dialog-export-manifest.json"]);
  const lines = (name: string) => (zip.get(name) ?? "").split("\n").filter((line) => line.trim() !== "");
  const train = lines("e2e-dialog-export-train.jsonl");
  const validation = lines("e2e-dialog-export-validation.jsonl");
  expect([train.length, validation.length]).toEqual([Number(split?.[1]), Number(split?.[2])]);
  expect(train.length + validation.length).toBe(written);
  expect(train[0]).toBe(previewed);
  for (const line of [...train, ...validation]) expect(JSON.parse(line)).toHaveProperty("messages");

  const manifest = JSON.parse(zip.get("e2e-dialog-export-manifest.json") ?? "{}") as ExportManifest;
  expect(manifest.conversation_count).toBe(written);
  expect(manifest.by_status.approved).toBe(written);
  expect(manifest.filter_state).toEqual({ tier: ["template", "scenario"], status: ["approved"] });
  const datasetChecks = manifest.dataset_checks;
  expect(datasetChecks?.conversations_checked).toBe(approved);
  expect(datasetChecks?.duplicates?.removed_count).toBe(approved - written);
  expect(datasetChecks?.split).toMatchObject({ validation_percent: 20, train: train.length, validation: validation.length });
  expect(datasetChecks?.tokens).toMatchObject({ family: "llama-3", context_length: 8192 });
  expect(datasetChecks?.template_render).toMatchObject({ family: "llama-3", available: true, rendered: written, failed: 0, failures: [] });

  // The same dialog in the dark theme, opened from the header's Export button.
  await page.getByRole("button", { name: "Change theme" }).click();
  await page.getByRole("menuitemradio", { name: "Dark" }).click();
  await page.getByRole("button", { name: "Export", exact: true }).click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText(/Exporting \d+ approved conversations matching current filters/)).toBeVisible();
  // Choosing the saved preset applies its split and target model.
  await dialog.getByRole("combobox", { name: "Conversations" }).click();
  await page.getByRole("option", { name: "E2E Llama split" }).click();
  await expect(dialog.getByRole("checkbox", { name: "Split off a validation set" })).toBeChecked();
  await expect(dialog.getByRole("combobox", { name: "Target model" })).toContainText("Llama 3");
  await expect(dialog.getByRole("region", { name: "Dataset checks" })).toContainText(/Chat template: all \d+ records render, 0 failures\./, { timeout: 60_000 });
  await expect(dialog.getByRole("region", { name: "Preview" }).getByLabel("Record 1")).toBeVisible();
  await screenshot(page, "export-dialog-dark", { overlay: true });
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  // The theme is saved on the account: back to System (the default) for the specs after this one.
  await page.getByRole("button", { name: "Change theme" }).click();
  await page.getByRole("menuitemradio", { name: "System" }).click();
});
