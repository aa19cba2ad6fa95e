/**
 * Tier rules (issue 10 items 6 and 8): the workspace's approval bars on the Settings page; an edge
 * case below its bar is flagged "does not meet edge-case criteria" on its badge and in the
 * preview, and cannot be approved without a note; Needs Review lists only flagged conversations.
 * The bars go back to 6 and 8 at the end, so later specs see the defaults.
 */
import { confirmGeneration, dataRows, expect, firstIds, GENERATED, gotoApp, rowId, screenshot, test, toast, waitForRunEnd } from "./support/fixtures";

const TIER_RULES_INPUT = 'input[id$="-edge"]';

async function setTierRules(page: import("@playwright/test").Page, edgeBar: string | null) {
  await gotoApp(page, "/settings", { hydrated: TIER_RULES_INPUT });
  const rules = page.getByRole("form", { name: "Tier rules" });
  if (edgeBar === null) {
    await rules.getByRole("button", { name: "Reset to 6 and 8" }).click();
    await expect(toast(page, "Tier rules saved: approve from 6, edge cases from 8.")).toBeVisible();
    return;
  }
  await rules.getByRole("spinbutton", { name: "Edge-case bar" }).fill("11");
  await expect(rules.getByRole("alert")).toHaveText("Each bar is a quality score from 1 to 10.");
  await expect(rules.getByRole("button", { name: "Save tier rules" })).toBeDisabled();
  await rules.getByRole("spinbutton", { name: "Edge-case bar" }).fill(edgeBar);
  await rules.getByRole("button", { name: "Save tier rules" }).click();
  await expect(toast(page, `Tier rules saved: approve from 6, edge cases from ${edgeBar}.`)).toBeVisible();
  // The page refreshes with the saved bars (the form is drawn again): Save is disabled once it has.
  await expect(rules.getByRole("button", { name: "Save tier rules" })).toBeDisabled();
  await expect(rules.getByRole("spinbutton", { name: "Edge-case bar" })).toHaveValue(edgeBar);
  // The refresh may draw the form again after the checks above passed on the old one: retry the scroll.
  await expect(async () => rules.scrollIntoViewIfNeeded({ timeout: 2_000 })).toPass();
  await screenshot(page, "settings-tier-rules");
}

test("an edge case below its bar is flagged and needs a note to be approved; Needs Review lists the flagged ones", async ({ page, fakeLlm }) => {
  // Two generated edge cases, whatever ran before (this spec also runs alone on a fresh database).
  await fakeLlm.reset();
  await gotoApp(page, "/?tier=edge_case&perPage=100&sort=conversation_id.asc");
  await expect(dataRows(page).first()).toBeVisible();
  if ((await dataRows(page).filter({ hasText: GENERATED }).count()) < 2) {
    const ids = await firstIds(dataRows(page).filter({ hasText: "Not generated" }), 2);
    for (const id of ids) await page.getByRole("checkbox", { name: `Select ${id}`, exact: true }).check();
    await page.getByRole("button", { name: "Generate Selected (2)" }).click();
    expect(await confirmGeneration(page)).toBe(2);
    await waitForRunEnd(page, { total: 2, succeeded: 2, failed: 0 });
  }

  // A bar no generated edge case reaches, so every one of them is below it.
  await setTierRules(page, "10");

  await gotoApp(page, "/?tier=edge_case&flagged=1&sort=conversation_id.asc");
  const rows = dataRows(page);
  await expect(rows.first()).toBeVisible();
  const target = rows.first();
  const id = await rowId(target);
  await expect(target.getByRole("button", { name: /does not meet edge-case criteria \(\d+(\.\d)? is below 10\): show details/ })).toBeVisible();

  await target.focus();
  await page.keyboard.press("Enter");
  const panel = page.getByRole("dialog").filter({ has: page.getByRole("textbox", { name: "Reviewer notes" }) });
  await expect(panel).toContainText(id);
  const approve = panel.getByRole("button", { name: "Approve", exact: true });
  await expect(panel.getByRole("note")).toContainText(/Does not meet edge-case criteria \(.+ is below 10\)\. Write a note saying why to approve it\./);
  await expect(approve).toBeDisabled();
  await screenshot(page, "preview-edge-case-below-bar", { overlay: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "preview-edge-case-below-bar-dark", { overlay: true });
  await page.emulateMedia({ colorScheme: "light" });

  // The A shortcut goes to the server, which refuses it too and says why.
  await panel.getByRole("button", { name: "Next", exact: true }).focus();
  await page.keyboard.press("a");
  await expect(toast(page, `${id} was not approved`)).toContainText("does not meet edge-case criteria");

  await panel.getByRole("textbox", { name: "Reviewer notes" }).fill("Stays calm and honest under pressure; approved below the bar on purpose.");
  await expect(panel.getByRole("note")).toContainText("Your note will be kept with the approval.");
  await expect(approve).toBeEnabled();
  await approve.click();
  await expect(toast(page, `Approved ${id}`)).toBeVisible();
  await page.keyboard.press("Escape");

  // Needs Review: generated conversations below their bar only.
  await gotoApp(page, "/");
  await page.getByRole("button", { name: "Needs Review" }).click();
  await expect(page).toHaveURL(/status=generated/);
  await expect(page).toHaveURL(/flagged=1/);
  await expect(page.getByRole("group", { name: "Active filters" }).or(page.getByLabel("Active filters"))).toContainText("Below the approval bar");
  const flagged = dataRows(page);
  const count = await flagged.count();
  for (let index = 0; index < Math.min(count, 10); index += 1) {
    await expect(flagged.nth(index).getByRole("button", { name: /(does not meet edge-case criteria|below the approval bar)/ })).toBeVisible();
  }

  await setTierRules(page, null);
});
