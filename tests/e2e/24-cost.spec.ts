/**
 * Issue 13 item 4 as a user goes through it, in a workspace of its own (the sample business, 6/2/1
 * planned). Before any run the Generate dialog says there is no cost history yet; three Template-tier
 * conversations are generated with the model (the fake LLM, OpenAI wire format); when the run ends
 * its summary appears in the progress panel with actual against estimated cost and time, the spread
 * per conversation and tokens, and its CSV downloads with one row per generated conversation; the
 * table's Cost column (hidden by default) shows each one's cost. The
 * Cost page (in the header) shows the month's spend, the run in its list
 * with the same summary, the accounting CSV with its three calls, and after a monthly budget below the
 * spend is saved, the budget alert; the
 * next Generate dialog shows the run's average per conversation, the accuracy of past estimates and
 * the same alert. Screenshots light and dark.
 */
import fs from "node:fs";
import { confirmGeneration, createSampleWorkspace, dataRows, dialogWith, expect, firstIds, gotoApp, progressRegion, screenshot, test, toast, waitForRunEnd } from "./support/fixtures";

const SLUG = "cost-analytics";
let inWorkspace: (url: string) => string = (url) => url;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  inWorkspace = await createSampleWorkspace(SLUG, "Cost Analytics", "6/2/1");
});

/** "$0.0042" → 0.0042 */
const usd = (text: string) => Number(/\$([\d.,]+)/.exec(text)?.[1].replaceAll(",", "") ?? NaN);

test("a finished run's summary and CSV, the cost page, and the monthly budget alert", async ({ page, fakeLlm }) => {
  test.setTimeout(240_000);
  await fakeLlm.reset();
  await gotoApp(page, inWorkspace("/?tier=template&perPage=100&sort=conversation_id.asc"));
  const ids = await firstIds(dataRows(page).filter({ hasText: "Not generated" }), 3);
  for (const id of ids) await page.getByRole("checkbox", { name: `Select ${id}`, exact: true }).check();
  await page.getByRole("button", { name: "Generate Selected (3)" }).click();

  // No history yet: the dialog says so rather than showing a made-up accuracy.
  const dialog = dialogWith(page, /Generate 3 conversations\?/);
  const history = dialog.getByRole("group", { name: "Cost history" });
  await expect(history).toContainText(/per conversation/);
  await expect(history).toContainText("no finished run of gpt-5.6-luna in this workspace yet to compare with");
  await expect(history).toContainText("No finished runs with an estimate yet, so the accuracy of estimates is not known.");
  expect(await confirmGeneration(page)).toBe(3);
  await waitForRunEnd(page, { total: 3, succeeded: 3, failed: 0 });

  // The run's summary, in the progress panel.
  const summary = progressRegion(page).getByRole("region", { name: "Run summary" });
  await expect(summary).toBeVisible({ timeout: 30_000 });
  await expect(summary).toContainText("Actual cost");
  await expect(summary.getByTestId("run-summary-variance")).toContainText(/\d+\.\d % (over|under) the estimate|as estimated/);
  await expect(summary).toContainText(/Per conversation \(3\): min \$\S+ · average \$\S+ · median \$\S+ · max \$\S+/);
  await expect(summary).toContainText(/Time.*estimated/);
  await expect(summary).toContainText("No earlier finished run in this workspace to compare with.");
  await expect(summary.getByRole("row", { name: /Template 3 \$/ })).toBeVisible();
  const actual = usd((await summary.getByText("Actual cost").locator("..").textContent()) ?? "");
  expect(actual).toBeGreaterThan(0);
  await screenshot(page, "run-summary");

  // Its CSV: one row per conversation the run generated, adding up to the actual cost.
  const download = page.waitForEvent("download");
  await summary.getByRole("link", { name: "Download cost report (CSV)" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(new RegExp(`^${SLUG}-run-[0-9a-f]{8}-cost\\.csv$`));
  const [header, ...lines] = fs.readFileSync((await file.path())!, "utf8").trim().split("\n");
  expect(header).toBe("conversation_id,tier,status,attempts,input_tokens,output_tokens,cost_usd,quality_score");
  expect(lines.map((l) => l.split(",")[0]).sort()).toEqual([...ids].sort());
  for (const line of lines) expect(line).toMatch(/^tmpl-\d+,template,generated,1,\d+,\d+,\d+\.\d{6},[\d.]*$/);
  const csvTotal = lines.reduce((n, l) => n + Number(l.split(",")[6]), 0);
  expect(Math.abs(csvTotal - actual)).toBeLessThan(Math.max(actual * 0.01, 0.00001));

  // The Cost column: hidden until shown from the Columns menu, then each generated conversation's recorded cost.
  const table = page.getByRole("table").filter({ has: page.getByRole("columnheader", { name: /^Conversation ID/ }) });
  await expect(table.getByRole("columnheader", { name: "Cost", exact: true })).toHaveCount(0);
  await page.getByRole("button", { name: "Columns" }).click();
  await page.getByRole("menuitemcheckbox", { name: "Cost (USD)" }).click();
  await page.keyboard.press("Escape");
  await expect(table.getByRole("columnheader", { name: "Cost", exact: true })).toBeVisible();
  for (const id of ids) await expect(dataRows(page).filter({ hasText: id })).toContainText(/\$0\.\d+/);
  await expect(dataRows(page).filter({ hasText: "Not generated" }).first()).toContainText("—");

  // The Cost page, one click from any page of the workspace (the header).
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Cost", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Cost", level: 1 })).toBeVisible();
  const monthSpend = page.getByTestId("month-spend");
  expect(Math.abs(usd((await monthSpend.textContent()) ?? "") - actual)).toBeLessThan(Math.max(actual * 0.01, 0.00001));
  await expect(page.getByRole("figure", { name: "Spend per day" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Spend by model" })).toContainText("openai · gpt-5.6-luna");
  await expect(page.getByRole("region", { name: "Recommendations" })).toContainText("not enough data yet");
  const runs = page.getByRole("table", { name: "Finished runs" });
  await expect(runs.getByRole("row")).toHaveCount(2);
  await expect(runs).toContainText("gpt-5.6-luna");
  await runs.getByRole("button", { name: /^Summary of the run started/ }).click();
  const summaryDialog = page.getByRole("dialog", { name: "Run summary" });
  await expect(summaryDialog.getByRole("region", { name: "Run summary" })).toContainText("Actual cost");
  await expect(summaryDialog.getByRole("link", { name: "Download cost report (CSV)" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(summaryDialog).toBeHidden();
  await expect(page.getByTestId("budget-alert")).toHaveCount(0);
  await screenshot(page, "cost-page");

  // The accounting CSV of this month: the run's three calls.
  const ledger = page.waitForEvent("download");
  await page.getByRole("link", { name: "Cost CSV for accounting" }).click();
  const ledgerFile = await ledger;
  expect(ledgerFile.suggestedFilename()).toMatch(new RegExp(`^${SLUG}-cost-\\d{4}-\\d{2}-01-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const [ledgerHeader, ...calls] = fs.readFileSync((await ledgerFile.path())!, "utf8").trim().split("\n");
  expect(ledgerHeader.split(",").slice(0, 3)).toEqual(["created_at", "run_id", "conversation_id"]);
  expect(calls.map((l) => l.split(",")[2]).sort()).toEqual([...ids].sort());
  expect(calls.every((l) => l.includes(",openai,gpt-5.6-luna,no,yes,"))).toBe(true);

  // A monthly budget below this month's spend: the alert.
  await page.getByLabel("Monthly budget (USD)").fill("0.0001");
  await page.getByRole("button", { name: "Save budget" }).click();
  await expect(toast(page, "Monthly budget set to $0.0001")).toBeVisible();
  const alert = page.getByTestId("budget-alert");
  await expect(alert).toContainText("Monthly budget reached");
  await expect(alert).toContainText("has reached the monthly budget of $0.0001");
  await screenshot(page, "cost-page-budget-alert");

  // The next Generate dialog: the past average per conversation, the accuracy of the one estimate, the alert.
  await gotoApp(page, inWorkspace("/?tier=template&perPage=100&sort=conversation_id.asc"));
  const [next] = await firstIds(dataRows(page).filter({ hasText: "Not generated" }), 1);
  await page.getByRole("checkbox", { name: `Select ${next}`, exact: true }).check();
  await page.getByRole("button", { name: "Generate Selected (1)" }).click();
  const again = dialogWith(page, /Generate 1 conversation\?/);
  await expect(again.getByRole("group", { name: "Cost history" })).toContainText(/past runs of gpt-5\.6-luna averaged \$\S+ per conversation \(1 run\)/);
  await expect(again.getByTestId("estimate-accuracy")).toContainText(/Past estimates within ±\d+ % for 1 of 1 finished run/);
  await expect(again.getByTestId("generate-budget-alert")).toContainText("Monthly budget reached");
  await screenshot(page, "generate-dialog-cost-history", { overlay: true });
  await page.keyboard.press("Escape");

  // Dark theme.
  await page.emulateMedia({ colorScheme: "dark" });
  await gotoApp(page, inWorkspace("/cost"));
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await screenshot(page, "cost-page-dark");
  await page.getByRole("table", { name: "Finished runs" }).getByRole("button", { name: /^Summary of the run started/ }).click();
  await expect(page.getByRole("dialog", { name: "Run summary" }).getByRole("region", { name: "Run summary" })).toContainText("Actual cost");
  await screenshot(page, "run-summary-dark", { overlay: true });
  await page.keyboard.press("Escape");
  await page.emulateMedia({ colorScheme: "light" });
  await gotoApp(page, inWorkspace("/cost"));
  await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
});
