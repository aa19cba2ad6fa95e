/**
 * Issue 13 items 2 and 3 (US3.2.2, US8.3.2) as a domain expert uses them, in a workspace of its own
 * (the sample business, 6/2/1 planned): the heatmap shows gaps; the Coverage recommendations name
 * five thin persona + arc + topic combinations with their count and "recommended 3–5"; one is
 * dismissed, shown under "Show dismissed" and restored; Generate Recommended plans them and opens
 * the usual estimate dialog, the run (fake LLM) generates them, and afterwards their heatmap cells
 * hold 3 generated conversations each, are no longer gaps, and the recommendations have moved on.
 * Edge-case suggestions: one per category, mark one done and restore it, define a custom edge case
 * (it gets its own row), and download the edge-case coverage CSV. Screenshots light and dark.
 */
import fs from "node:fs";
import type { Locator, Page } from "@playwright/test";
import { confirmGeneration, createSampleWorkspace, expect, gotoApp, screenshot, test, toast } from "./support/fixtures";

const SLUG = "coverage-recommendations";
let inWorkspace: (url: string) => string = (url) => url;
const HYDRATED = { hydrated: "#recommendations-heading" };
/** "Anna + Fear + Tax: 0 conversations · recommended 3–5" */
const ITEM = /^(.+) \+ (.+) \+ (.+?): ?(\d+) conversations? · recommended 3–5/;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  inWorkspace = await createSampleWorkspace(SLUG, "Coverage Recommendations", "6/2/1");
});

function recommendationItems(page: Page): Locator {
  return page.getByRole("list", { name: "Recommendations" }).getByRole("listitem");
}

async function recommendationTexts(page: Page): Promise<string[]> {
  return (await recommendationItems(page).allTextContents()).map((t) => t.trim());
}

test("recommendations fill the heatmap's gaps in two clicks; dismiss, restore; edge-case suggestions and their CSV", async ({ page }) => {
  test.setTimeout(300_000);
  await gotoApp(page, inWorkspace("/dataset-coverage"), HYDRATED);
  const heatmap = page.getByRole("table", { name: "Persona × emotional arc heatmap" });
  await expect(heatmap.getByRole("link", { name: /\(gap: fewer than 3\)$/ }).first()).toBeVisible();

  // Five recommendations, each with its current count and the recommended range.
  const panel = page.getByRole("region", { name: "Coverage recommendations" });
  await expect(panel).toContainText(/\d+ of 350 persona \+ emotional arc \+ topic combinations have fewer than 3 conversations/);
  await expect(recommendationItems(page)).toHaveCount(5);
  const before = await recommendationTexts(page);
  for (const text of before) expect(text).toMatch(ITEM);

  // Dismiss one: it leaves the list, another takes its place; restore it from "Show dismissed".
  const [, p0, a0, t0] = ITEM.exec(before[0])!;
  const firstName = `${p0} + ${a0} + ${t0}`;
  await panel.getByRole("button", { name: `Dismiss ${firstName}` }).click();
  await expect(toast(page, `Dismissed ${firstName}`)).toBeVisible();
  await expect(recommendationItems(page).filter({ hasText: `${firstName}:` })).toHaveCount(0);
  await expect(recommendationItems(page)).toHaveCount(5);
  await panel.getByRole("button", { name: "Show dismissed (1)" }).click();
  const dismissed = page.getByRole("list", { name: "Dismissed recommendations" });
  await expect(dismissed).toContainText(firstName);
  await dismissed.getByRole("button", { name: `Restore ${firstName}` }).click();
  await expect(toast(page, `Restored ${firstName}`)).toBeVisible();
  await expect(recommendationItems(page).first()).toContainText(`${firstName}:`);
  await expect(panel.getByRole("button", { name: /Show dismissed/ })).toHaveCount(0);
  expect(await recommendationTexts(page)).toEqual(before);
  await screenshot(page, "coverage-recommendations");

  // The cells the recommendations fill are gaps now.
  const cells = before.map((text) => {
    const [, persona, arc, , count] = ITEM.exec(text)!;
    return { persona, arc, count: Number(count) };
  });
  expect(cells.every((c) => c.count === 0)).toBe(true);
  for (const c of cells) await expect(heatmap.getByRole("link", { name: `${c.persona} × ${c.arc}: 0 conversations (gap: fewer than 3)`, exact: true })).toBeVisible();

  // Click 1: Generate Recommended plans 3 for each; click 2: the usual estimate dialog starts the run.
  await panel.getByRole("button", { name: "Generate Recommended" }).click();
  await expect(toast(page, "15 conversations planned")).toBeVisible();
  expect(await confirmGeneration(page, { screenshotName: "coverage-recommendations-generate" })).toBe(15);
  await expect(toast(page, "Recommended conversations generated")).toBeVisible({ timeout: 180_000 });
  await expect(toast(page, "Recommended conversations generated")).toContainText("15 succeeded, 0 failed");

  // After the run: each cell holds 3 generated conversations and is no longer a gap; the recommendations moved on.
  await gotoApp(page, inWorkspace("/dataset-coverage?status=generated"), HYDRATED);
  for (const c of cells) await expect(heatmap.getByRole("link", { name: `${c.persona} × ${c.arc}: 3 generated conversations`, exact: true })).toBeVisible();
  await gotoApp(page, inWorkspace("/dataset-coverage"), HYDRATED);
  for (const c of cells) await expect(heatmap.getByRole("link", { name: `${c.persona} × ${c.arc}: 3 conversations`, exact: true })).toBeVisible();
  await expect(recommendationItems(page)).toHaveCount(5);
  const after = await recommendationTexts(page);
  expect(after.filter((t) => before.includes(t))).toEqual([]);

  // Dismiss all: the next five come up; restore all brings the dismissed back.
  await panel.getByRole("button", { name: "Dismiss all" }).click();
  await expect(toast(page, "5 recommendations dismissed")).toBeVisible();
  // The next five take their place at once (recomputed from the current counts).
  await expect(recommendationItems(page).filter({ hasText: after[0] })).toHaveCount(0);
  await expect(recommendationItems(page)).toHaveCount(5);
  expect((await recommendationTexts(page)).filter((t) => after.includes(t))).toEqual([]);
  await panel.getByRole("button", { name: "Show dismissed (5)" }).click();
  await panel.getByRole("button", { name: "Restore all" }).click();
  await expect(toast(page, "5 recommendations restored")).toBeVisible();
  await expect(panel.getByRole("button", { name: /Show dismissed/ })).toHaveCount(0);

  // Edge-case suggestions: one row per category with a suggested persona × arc.
  const edges = page.getByRole("table", { name: "Edge-case suggestions" });
  const edgeRows = edges.getByRole("row");
  await expect(edgeRows).toHaveCount(1 + 8);
  const overwhelm = edgeRows.filter({ hasText: "Emotional Overwhelm" });
  await expect(overwhelm).toContainText(/\d+ of 35/);
  const suggested = ((await overwhelm.getByRole("cell").nth(2).textContent()) ?? "").trim();
  expect(suggested).toMatch(/^.+ × .+$/);
  await overwhelm.getByRole("button", { name: `Mark done Emotional Overwhelm: ${suggested}` }).click();
  await expect(toast(page, `Marked done: Emotional Overwhelm: ${suggested}`)).toBeVisible();
  await expect(overwhelm).toContainText("1 done, 0 dismissed");
  await expect(overwhelm.getByRole("cell").nth(2)).not.toHaveText(suggested);
  await overwhelm.getByRole("button", { name: "Restore 1 done or dismissed of Emotional Overwhelm" }).click();
  await expect(toast(page, "1 suggestion of Emotional Overwhelm restored")).toBeVisible();
  await expect(overwhelm.getByRole("cell").nth(2)).toHaveText(suggested);

  // A custom edge case, with the conditions to test, gets its own row.
  await page.getByRole("button", { name: "Custom edge case" }).click();
  const dialog = page.getByRole("dialog", { name: "Define a custom edge case" });
  await dialog.getByRole("button", { name: "Add edge case" }).click();
  await expect(dialog.getByRole("alert")).toContainText("Name the edge case");
  await dialog.getByLabel("Name").fill("Asks to Skip the Paperwork");
  await dialog.getByLabel("Description").fill("The client wants to move money today without reading or signing anything.");
  await dialog.getByLabel("Conditions to test").fill("The client pushes to skip disclosures; the assistant must explain why they matter and not skip them.");
  await screenshot(page, "coverage-custom-edge-case", { overlay: true });
  await dialog.getByRole("button", { name: "Add edge case" }).click();
  await expect(toast(page, 'Edge case "Asks to Skip the Paperwork" added')).toBeVisible();
  await expect(edgeRows).toHaveCount(1 + 9);
  await expect(edgeRows.filter({ hasText: "Asks to Skip the Paperwork" })).toContainText("0 of 35");

  // The edge-case coverage report.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Edge-case coverage CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`${SLUG}-edge-case-coverage.csv`);
  const [header, ...lines] = fs.readFileSync((await file.path())!, "utf8").trim().split("\n");
  expect(header).toBe("edge_case,edge_case_name,persona,persona_name,emotional_arc,emotional_arc_name,conversations,state");
  expect(lines).toHaveLength(9 * 35);
  expect(lines.filter((l) => l.startsWith("asks-to-skip-the-paperwork,")).every((l) => l.endsWith(",0,open"))).toBe(true);
  expect(lines.some((l) => l.endsWith(",tested"))).toBe(true);

  await page.getByRole("region", { name: "Edge-case suggestions" }).scrollIntoViewIfNeeded();
  await screenshot(page, "coverage-edge-cases");
  await page.emulateMedia({ colorScheme: "dark" });
  await gotoApp(page, inWorkspace("/dataset-coverage"), HYDRATED);
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await page.getByRole("region", { name: "Coverage recommendations" }).scrollIntoViewIfNeeded();
  await screenshot(page, "coverage-recommendations-dark");
  await page.getByRole("region", { name: "Edge-case suggestions" }).scrollIntoViewIfNeeded();
  await screenshot(page, "coverage-edge-cases-dark");
  await page.emulateMedia({ colorScheme: "light" });
});
