/**
 * Issue 13 item 1 (US3.2.1) as a domain expert uses it: Coverage in the header opens the page; the
 * persona × emotional-arc heatmap shows counts with gap cells (fewer than 3) marked; clicking a cell
 * opens the conversations table filtered to that persona and arc with as many rows as the cell said;
 * a persona bar opens the table for that persona; the status filter stays in the URL and in the CSV
 * link; the CSV downloads with the heatmap's figures; a chart downloads as a PNG. Counts are read
 * from the page, so the spec holds on a fresh database and after the specs before it.
 */
import fs from "node:fs";
import { dataRows, expect, gotoApp, screenshot, test, SAMPLE_SLUG } from "./support/fixtures";

const GAP = /\(gap: fewer than 3\)$/;
/** "Young Professional × Fear to Confidence: 2 conversations (gap: fewer than 3)" */
const CELL_NAME = /^(.+) × (.+): (\d+) conversations/;

test("coverage: heatmap with gaps, a cell opens the filtered table, CSV and PNG", async ({ page }) => {
  await gotoApp(page, "/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Coverage" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${SAMPLE_SLUG}/dataset-coverage$`));
  await expect(page.getByRole("heading", { name: "Coverage", level: 1 })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Coverage", exact: true })).toHaveAttribute("aria-current", "page");

  const heatmap = page.getByRole("table", { name: "Persona × emotional arc heatmap" });
  await expect(heatmap).toBeVisible();
  const cells = heatmap.getByRole("link");
  // One cell per persona (row header) × emotional arc (column header); the sample has 7 × 5.
  const personaCount = await heatmap.locator("tbody th").count();
  const arcCount = (await heatmap.locator("thead th").count()) - 1;
  expect(personaCount).toBeGreaterThanOrEqual(7);
  expect(arcCount).toBeGreaterThanOrEqual(5);
  const cellCount = personaCount * arcCount;
  await expect(cells).toHaveCount(cellCount);
  const gapCells = heatmap.getByRole("link", { name: GAP });
  const gapCount = await gapCells.count();
  expect(gapCount).toBeGreaterThan(0);
  await expect(page.getByRole("region", { name: "Persona × emotional arc" })).toContainText(`${gapCount} of ${cellCount} combinations are gaps (fewer than 3 conversations).`);
  await expect(gapCells.first()).toContainText("gap");
  await expect(heatmap.locator("td[data-gap]")).toHaveCount(gapCount);
  await screenshot(page, "coverage");

  // A cell with conversations: clicking it opens the table filtered to its persona and arc.
  const names = await cells.evaluateAll((links) => links.map((l) => l.getAttribute("aria-label") ?? ""));
  const target = names.find((n) => Number(CELL_NAME.exec(n)?.[3] ?? 0) > 0);
  expect(target, "some cell has conversations").toBeTruthy();
  const [, personaLabel, arcLabel, countText] = CELL_NAME.exec(target!)!;
  const [personaName, arcName] = [personaLabel, arcLabel].map((name) => name.replace(/ \(archived\)$/, ""));
  await heatmap.getByRole("link", { name: target!, exact: true }).click();
  await expect(page).toHaveURL(/\/w\/[^/]+\?persona=[^&]+&emotion=[^&]+&seed=no$/);
  await expect(page.getByText(/Showing \d+ of \d+/)).toHaveText(new RegExp(`^Showing ${countText} of \\d+$`));
  // Every row is of that persona and arc.
  const rows = dataRows(page);
  await expect(rows).toHaveCount(Math.min(Number(countText), 25));
  for (const row of await rows.all()) {
    await expect(row).toContainText(personaName);
    await expect(row).toContainText(arcName);
  }

  // A persona bar opens the table for that persona.
  await gotoApp(page, "/dataset-coverage");
  const personaChart = page.getByRole("figure", { name: "Conversations per persona" });
  await personaChart.locator(".recharts-bar-rectangle path").first().click();
  await expect(page).toHaveURL(/\/w\/[^/]+\?persona=[^&]+&seed=no$/);

  // The CSV: the heatmap's cells with their gap flags.
  await gotoApp(page, "/dataset-coverage");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`${SAMPLE_SLUG}-coverage.csv`);
  const [header, ...lines] = fs.readFileSync((await file.path())!, "utf8").trim().split("\n");
  expect(header).toBe("dimension,value,label,archived,planned,generated,approved,rejected,total,count_in_view,status_filter,gap");
  const cellLines = lines.filter((l) => l.startsWith("persona_emotional_arc,"));
  expect(cellLines).toHaveLength(cellCount);
  expect(cellLines.filter((l) => l.endsWith(",all,yes"))).toHaveLength(gapCount);
  expect(lines.filter((l) => l.startsWith("tier,"))).toHaveLength(3);

  // A chart as PNG.
  const png = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download Conversations per persona as PNG" }).click();
  const image = await png;
  expect(image.suggestedFilename()).toBe(`${SAMPLE_SLUG}-coverage-personas.png`);
  const bytes = fs.readFileSync((await image.path())!);
  expect(bytes.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  expect(bytes.length).toBeGreaterThan(2_000);

  // The status filter: kept in the URL and in the CSV link; the figures table shows the in-view column.
  await page.getByRole("combobox", { name: "Status" }).click();
  await page.getByRole("option", { name: "Approved" }).click();
  await expect(page).toHaveURL(/\/dataset-coverage\?status=approved$/);
  await expect(page.getByRole("link", { name: "Download CSV" })).toHaveAttribute("href", /coverage\.csv\?status=approved$/);
  await expect(page.getByText(/in view \(approved\)/)).toBeVisible();
  await expect(page.getByRole("region", { name: "Persona × emotional arc" })).toContainText(/combinations are gaps \(fewer than 3 approved conversations\)|No gaps/);
  const approvedCell = heatmap.getByRole("link").first();
  await expect(approvedCell).toHaveAttribute("href", /status=approved&seed=no$/);

  await page.emulateMedia({ colorScheme: "dark" });
  await gotoApp(page, "/dataset-coverage");
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await screenshot(page, "coverage-dark");
  await page.emulateMedia({ colorScheme: "light" });
});
