/**
 * Issue 11 item 7 (and the seeds part of item 9) as a user goes through it: on the Seeds page, use
 * a seed of the sample as a template and land in the template editor; back on the Seeds page,
 * "Generate variations" 3, confirm the usual generation estimate, generate them against the fake
 * LLM, and see them compared with the seed (generated count, average vs the seed's score, flagged
 * ones); the preview of a generated variation names the template and its version.
 */
import { confirmGeneration, dataRows, expect, gotoApp, screenshot, test, toast } from "./support/fixtures";

test("use a seed as a template, generate 3 variations and compare them with the seed", async ({ page }) => {
  test.setTimeout(240_000);
  await gotoApp(page, "/seeds", { hydrated: "main section button" });
  const seedList = page.getByRole("table", { name: "Seed conversations" });
  const seedRow = seedList.getByRole("row").filter({ hasText: "seed-001" });
  await expect(seedRow).toBeVisible();
  // No template yet: variations need one.
  await expect(seedRow.getByRole("button", { name: /^Generate variations of / })).toBeDisabled();
  await expect(page.getByRole("region", { name: "Variations vs their seeds" })).toContainText("No seed is used as a template yet");

  await seedRow.getByRole("button", { name: /^Use .* as template$/ }).click();
  await expect(toast(page, /Draft template "Variation of .*" created/)).toBeVisible();
  await expect(page).toHaveURL(/\/templates\/seed-001-variation(-\d+)?$/);
  const templateKey = /\/templates\/(seed-001-variation(?:-\d+)?)$/.exec(page.url())?.[1] ?? "";
  // The editor opens the draft with the seed as its example.
  await expect(page.getByText("Draft", { exact: true }).first()).toBeVisible();
  await expect(page.getByText(/VARIATION of the example conversation/).first()).toBeVisible();

  await gotoApp(page, "/seeds", { hydrated: "main section button" });
  const variations = page.getByRole("table", { name: "Variations vs their seeds" });
  const variationRow = variations.getByRole("row").filter({ hasText: "seed-001" });
  await expect(variationRow).toContainText("Draft");
  await expect(variationRow.getByRole("link", { name: /^Variation of / })).toHaveAttribute("href", new RegExp(`/templates/${templateKey}$`));
  await expect(variationRow).toContainText("Nothing generated yet");

  await seedList.getByRole("row").filter({ hasText: "seed-001" }).getByRole("button", { name: /^Generate variations of / }).click();
  const ask = page.getByRole("dialog", { name: "Generate variations of seed-001" });
  await expect(ask).toBeVisible();
  await ask.getByLabel(/How many variations/).fill("51");
  await ask.getByRole("button", { name: "Plan variations" }).click();
  await expect(ask.getByRole("alert")).toContainText("from 1 to 50");
  await ask.getByLabel(/How many variations/).fill("3");
  await screenshot(page, "seed-variations-ask", { overlay: true });
  await ask.getByRole("button", { name: "Plan variations" }).click();
  const planned = toast(page, "3 variations planned");
  await expect(planned).toBeVisible();
  const ids = [...new Set(((await planned.textContent()) ?? "").match(/(?:tmpl|scen|edge)-\d{3}/g) ?? [])];
  expect(ids).toHaveLength(3);

  // The usual Generate dialog, for exactly these 3.
  expect(await confirmGeneration(page, { screenshotName: "seed-variations-generate" })).toBe(3);
  await expect(toast(page, "Variations of seed-001 generated")).toBeVisible({ timeout: 120_000 });

  await expect(variationRow.getByRole("cell", { name: "3 generated of 3 planned" })).toBeVisible();
  const cells = variationRow.getByRole("cell");
  await expect(cells.nth(3)).toHaveText(/^\d+\.\d$/); // average quality of the variations
  await expect(cells.nth(4)).toHaveText(/^\d+\.\d$/); // the seed's quality score
  await expect(cells.nth(5)).toHaveText(/None flagged|\d+ flagged/);
  const average = Number(await cells.nth(3).textContent());
  const seedScore = Number(await cells.nth(4).textContent());
  expect(average).toBeGreaterThanOrEqual(1);
  expect(seedScore).toBeGreaterThanOrEqual(1);
  await screenshot(page, "seeds-variations");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "seeds-variations-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // The preview of a generated variation names the template and its version.
  await gotoApp(page, `/?q=${ids[0]}`);
  const row = dataRows(page).first();
  await expect(row).toContainText(ids[0]);
  await row.focus();
  await page.keyboard.press("Enter");
  const panel = page.getByRole("dialog").filter({ has: page.getByRole("textbox", { name: "Reviewer notes" }) });
  const details = panel.getByRole("region", { name: "Conversation details" });
  const templateLink = details.getByRole("link", { name: /^Variation of .* v1 draft$/ });
  await expect(templateLink).toBeVisible();
  await expect(templateLink).toHaveAttribute("href", new RegExp(`/templates/${templateKey}$`));
  await screenshot(page, "preview-template-version", { overlay: true });
});
