/**
 * Issue 10, items 2 and 5 (the planning page), as a user goes through it in a workspace of their
 * own (its taxonomy, scenarios and documents imported with `brightrun import`, run beside the
 * server): configure the arcs at 50/30/20/0/0 and read the preview, plan 20 conversations with a
 * custom split (10/6/4), then Generate All Tier 1 against the fake LLM and watch "Generating
 * Tier 1: N of 10 complete" finish. Screenshots of the page (light and dark) go to /tmp.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import { brightrunBesideApp as brightrun, confirmGeneration, expect, gotoApp, progressRegion, test, toast } from "./support/fixtures";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SLUG = "planning-studio";
const SHOTS = "/tmp/brightrun-planning-screens";

async function shot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

test("configure the arcs 50/30/20/0/0, plan 20 with a custom split, then Generate All Tier 1 and watch it finish", async ({ page }) => {
  await brightrun("workspaces", "create", "Planning Studio", "--slug", SLUG);
  await brightrun("import", path.join(ROOT, "examples/financial-planning"), "--workspace", SLUG);

  await gotoApp(page, `/w/${SLUG}/plan`);
  await expect(page.getByRole("heading", { level: 1, name: "Plan the dataset" })).toBeVisible();
  const tier1 = page.getByRole("region", { name: /^Tier 1 · Template/ });
  const size = page.getByRole("region", { name: "Size and tier split" });
  await expect(size.getByText("0 planned now")).toHaveCount(3);

  // Arc configuration: 50 / 30 / 20 / 0 / 0.
  const arcs = page.getByRole("region", { name: "Arc configuration" });
  const preview = arcs.getByRole("status", { name: "Arc preview" });
  await expect(preview).toHaveText("40 conversations = 8 Anxiety-to-Relief + 8 Discovery + 8 Steady Confidence + 8 Struggle-to-Success + 8 Triumph");
  await arcs.getByRole("textbox", { name: "Triumph percentage" }).fill("50");
  await expect(arcs.getByTestId("arc-remaining")).toHaveText("30 % too many.");
  await expect(arcs.getByRole("button", { name: "Save arc configuration" })).toBeDisabled();
  await arcs.getByRole("textbox", { name: "Struggle-to-Success percentage" }).fill("30");
  await arcs.getByRole("textbox", { name: "Steady Confidence percentage" }).fill("20");
  await arcs.getByRole("textbox", { name: "Anxiety-to-Relief percentage" }).fill("0");
  await expect(arcs.getByTestId("arc-remaining")).toHaveText("20 % too many.");
  await arcs.getByRole("checkbox", { name: "Use Discovery" }).click();
  await expect(arcs.getByTestId("arc-remaining")).toHaveText("100 % given.");
  await expect(preview).toHaveText("40 conversations = 20 Triumph + 12 Struggle-to-Success + 8 Steady Confidence");
  await arcs.getByRole("button", { name: "Save arc configuration" }).click();
  await expect(toast(page, "Arc configuration saved")).toBeVisible();

  // Plan 20: the total splits 40/35/15 (9/8/3), then a custom split 10/6/4; the preview follows tier 1.
  await size.getByRole("textbox", { name: "Total" }).fill("20");
  await expect(size.getByRole("textbox", { name: "Tier 1 · Template" })).toHaveValue("9");
  await size.getByRole("textbox", { name: "Tier 1 · Template" }).fill("10");
  await expect(size.getByRole("alert")).toHaveText("The tiers add up to 21, not 20: change a tier or the total so they match.");
  await size.getByRole("textbox", { name: "Tier 2 · Scenario" }).fill("6");
  await size.getByRole("textbox", { name: "Tier 3 · Edge case" }).fill("4");
  await expect(size.getByRole("alert")).toBeHidden();
  await expect(preview).toHaveText("10 conversations = 5 Triumph + 3 Struggle-to-Success + 2 Steady Confidence");
  await size.getByRole("button", { name: "Plan 20 conversations" }).click();
  await expect(toast(page, "Planned 20 new slots")).toBeVisible();
  await expect(size.getByText("10 planned now")).toBeVisible();
  const generateTier1 = tier1.getByRole("button", { name: "Generate All Tier 1 (10)" });
  await expect(generateTier1).toBeEnabled();
  await expect(page.getByRole("region", { name: /^Tier 2 · Scenario/ }).getByRole("button", { name: "Generate All Tier 2 (6)" })).toBeVisible();
  await expect(page.getByRole("region", { name: /^Tier 3 · Edge case/ }).getByRole("button", { name: "Generate All Tier 3 (4)" })).toBeVisible();
  await shot(page, "plan-light");
  await page.emulateMedia({ colorScheme: "dark" });
  await shot(page, "plan-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // Generate All Tier 1 through the estimate dialog; the progress panel names the tier.
  await generateTier1.click();
  expect(await confirmGeneration(page)).toBe(10);
  const progress = progressRegion(page);
  await expect(progress.getByTestId("tier-progress")).toContainText(/Generat(ing|ed) Tier 1: \d+ of 10 complete/);
  await expect(progress.getByTestId("tier-progress")).toContainText("Generated Tier 1: 10 of 10 complete", { timeout: 90_000 });
  await expect(progress).toContainText("10 succeeded, 0 failed");
  await expect(toast(page, "Generated Tier 1: 10 of 10 complete")).toBeVisible();
  await expect(tier1.getByRole("button", { name: "Generate All Tier 1" })).toBeDisabled();
  await shot(page, "plan-after-tier1");
});
