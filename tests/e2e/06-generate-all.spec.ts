/**
 * Flow c (US1.1.1, US1.3.1, US13.1.1): "Generate All" from the header asks for confirmation with an
 * estimate and a spending limit, then the banner and the progress panel follow the run to the end.
 * The fake LLM takes 1.5 s per reply here, so the run can be seen in progress (at concurrency 6
 * the run would otherwise end before the page shows what paces it).
 */
import { confirmGeneration, dataRows, expandProgress, expect, gotoApp, progressRegion, screenshot, test, toast, waitForRunEnd } from "./support/fixtures";

test("generate all remaining conversations from the header", async ({ page, fakeLlm }) => {
  await fakeLlm.reset();
  await fakeLlm.setDefault({ kind: "latency", ms: 1_500, then: { kind: "ok" } });

  await gotoApp(page, "/?status=not_generated&perPage=100");
  await expect(page.getByRole("heading", { name: "Conversations" })).toBeVisible();
  const remaining = await dataRows(page).count();
  expect(remaining).toBeGreaterThan(10);

  await gotoApp(page, "/");
  await expect(page.getByRole("button", { name: "Retry All Failed" })).toBeHidden(); // nothing failed now
  await page.getByRole("button", { name: "Generate All" }).click();
  const count = await confirmGeneration(page, { spendingLimitUsd: 50, concurrency: 6, screenshotName: "generate-all-dialog" });
  expect(count).toBe(remaining);

  // While it runs: the banner, and progress short of the end.
  await expect(page.getByText("Generation in progress")).toBeVisible();
  const progress = progressRegion(page);
  await expandProgress(page);
  await expect(progress).toContainText(new RegExp(`\\d+ of ${remaining} – \\d+%`));
  // The concurrency chosen in the dialog is the run's, and the card says what paces it.
  await expect(progress).toContainText("concurrency 6");
  await expect(progress.getByTestId("run-pacing")).toContainText(/paced by concurrency 6, your setting/i);
  await screenshot(page, "progress-running");

  await waitForRunEnd(page, { total: remaining, succeeded: remaining, failed: 0 }, 110_000);
  await expect(page.getByText("Generation in progress")).toBeHidden();
  await expect(progress).toContainText("Generation finished");
  await expect(toast(page, "Generation finished")).toBeVisible();
  expect((await fakeLlm.stats()).byStatus).toEqual({ 200: remaining });
  await expect(page.getByRole("button", { name: "Generate All" })).toBeDisabled();

  await gotoApp(page, "/?status=not_generated&perPage=100");
  await expect(page.getByRole("button", { name: "Remove filter Status: Not generated" })).toBeVisible();
  await expect(dataRows(page)).toHaveCount(0);
});
