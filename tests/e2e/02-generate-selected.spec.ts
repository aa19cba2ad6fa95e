/**
 * Flow b (US1.2.1, US1.3.1, US6.1.2): select rows, "Generate Selected (3)", confirm the estimate,
 * watch the progress panel reach "3 of 3 – 100%", and the rows turn Generated. The fake LLM answers
 * each request with a valid conversation (OpenAI Chat Completions wire format).
 */
import { confirmGeneration, dataRows, expect, firstIds, GENERATED, gotoApp, rowFor, screenshot, test, waitForRunEnd } from "./support/fixtures";

test("generate three selected conversations and watch the progress to the end", async ({ page, fakeLlm }) => {
  await fakeLlm.reset();
  await gotoApp(page, "/?perPage=100&sort=conversation_id.asc");
  await expect(page.getByRole("heading", { name: "Conversations" })).toBeVisible();
  const ids = await firstIds(dataRows(page).filter({ hasText: "Not generated" }), 3);

  for (const id of ids) await page.getByRole("checkbox", { name: `Select ${id}`, exact: true }).check();
  await expect(page.getByText("3 conversations selected")).toBeVisible();
  await page.getByRole("button", { name: "Generate Selected (3)" }).click();

  expect(await confirmGeneration(page, { screenshotName: "generate-dialog" })).toBe(3);
  const progress = await waitForRunEnd(page, { total: 3, succeeded: 3, failed: 0 });
  await expect(progress).toBeVisible();
  // Each conversation is ticked off in the panel as it finishes (US1.2.2).
  const finished = progress.getByLabel("Recently finished");
  for (const id of ids) await expect(finished).toContainText(id);
  await expect(finished.getByLabel("succeeded")).toHaveCount(3);
  await screenshot(page, "progress-panel");

  // The rows on screen change without a reload.
  for (const id of ids) {
    const row = rowFor(page, id);
    await expect(row).not.toContainText("Not generated");
    await expect(row).toContainText(GENERATED);
  }
  expect((await fakeLlm.stats()).byStatus[200]).toBe(3);
});
