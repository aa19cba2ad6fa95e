/**
 * The preview beside the table and instant review feedback (issue 14 item 6; US11.1.1, US11.2.1):
 * at 1366 px the preview opens as a panel beside the table, not over it — the table still scrolls
 * and selects while it is open; Next / Previous / Jump to move the highlighted row and keep it in
 * view; the panel's width is remembered; Esc closes it; below 1024 px it is the sheet over the page.
 * Approve shows in the row at once, before the server answers (the server's reply is held back by
 * the test), and an approve the server refuses (the workspace was archived meanwhile) rolls back
 * with a toast saying what failed and what to do. Screenshots light and dark.
 */
import type { Page, Route } from "@playwright/test";
import { brightrunBesideApp, confirmGeneration, createSampleWorkspace, dataRows, expect, firstIds, gotoApp, reloadApp, rowFor, screenshot, test, toast, waitForRunEnd } from "./support/fixtures";

const SLUG = "side-panel-review";

/** The preview: the dialog (modal sheet or non-modal panel) with the reviewer notes. */
const previewOf = (page: Page) => page.getByRole("dialog").filter({ has: page.getByRole("textbox", { name: "Reviewer notes" }) });

/** Turns auto-advance off, so the preview stays on the conversation it reviewed. */
async function stayAfterReview(page: Page): Promise<void> {
  const autoAdvance = previewOf(page).getByRole("switch", { name: "Auto-advance" });
  if ((await autoAdvance.getAttribute("aria-checked")) === "true") await autoAdvance.click();
  await expect(autoAdvance).toHaveAttribute("aria-checked", "false");
}

/**
 * Holds back the server's handling of the next approve (the server action's POST) until the
 * returned release() is called: the test sees what the page shows before the server answers.
 */
async function holdNextApprove(page: Page): Promise<{ held: Promise<void>; release: () => Promise<void> }> {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let seen: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (seen = resolve));
  let done = false;
  const handler = async (route: Route) => {
    const request = route.request();
    if (!done && request.method() === "POST" && request.headers()["next-action"] && (request.postData() ?? "").includes('"action":"approve"')) {
      done = true;
      seen();
      await gate;
    }
    await route.fallback();
  };
  await page.route(`**/w/${SLUG}**`, handler);
  return {
    held,
    release: async () => {
      release();
      await page.unroute(`**/w/${SLUG}**`, handler);
    },
  };
}

test("the preview is a panel beside the table: the table scrolls and selects, the highlight follows Next and Previous, the width is kept", async ({ page }) => {
  await gotoApp(page, "/?perPage=100&sort=conversation_id.asc");
  const rows = dataRows(page);
  await expect(rows.nth(49)).toBeVisible();
  const ids = await firstIds(rows, 4);

  await rows.nth(2).click();
  const panel = previewOf(page);
  await expect(panel).toBeVisible();
  await expect(panel).toContainText("Conversation 3 of");
  await expect(panel).toHaveAttribute("aria-modal", "false");
  // Beside the table, not over it: the table's side and the panel side by side, both in view.
  const table = page.getByRole("table", { name: "Conversations" });
  const tableSide = page.locator('[data-panel][id="conversations-table"]');
  const tableBox = (await tableSide.boundingBox())!;
  const panelBox = (await panel.boundingBox())!;
  expect(panelBox.x).toBeGreaterThanOrEqual(tableBox.x + tableBox.width - 2);
  expect(tableBox.width).toBeGreaterThan(400);
  await expect(table).toBeInViewport();
  await expect(rowFor(page, ids[2])).toHaveAttribute("aria-current", "true");
  await expect(rowFor(page, ids[2])).toBeInViewport();
  await screenshot(page, "side-panel", { overlay: true });

  // The table stays usable: tick a row while the preview is open.
  await page.getByRole("checkbox", { name: `Select ${ids[0]}`, exact: true }).check();
  await expect(page.getByText("1 conversation selected")).toBeVisible();
  await expect(panel).toBeVisible();
  await page.getByRole("button", { name: "Clear selection" }).click();

  // …and scrolls: the wheel over the table moves its rows, the panel stays where it is.
  await table.hover();
  await page.mouse.wheel(0, 4000);
  await expect(rows.nth(49)).toBeInViewport();
  await expect(rows.first()).not.toBeInViewport();
  await expect(panel.getByRole("button", { name: "Approve" })).toBeInViewport();

  // Next / Previous / Jump to move the highlight, and the table scrolls to it.
  await panel.getByRole("button", { name: "Next", exact: true }).click();
  await expect(panel).toContainText("Conversation 4 of");
  await expect(rowFor(page, ids[3])).toHaveAttribute("aria-current", "true");
  await expect(rowFor(page, ids[3])).toBeInViewport();
  await expect(rowFor(page, ids[2])).not.toHaveAttribute("aria-current", "true");
  await panel.getByRole("button", { name: "Previous", exact: true }).click();
  await expect(panel).toContainText("Conversation 3 of");
  await expect(rowFor(page, ids[2])).toHaveAttribute("aria-current", "true");
  await panel.getByRole("spinbutton", { name: "Jump to conversation" }).fill("45");
  await page.keyboard.press("Enter");
  await expect(panel).toContainText("Conversation 45 of");
  const row45 = rows.nth(44);
  await expect(row45).toHaveAttribute("aria-current", "true");
  await expect(row45).toBeInViewport();
  // ArrowLeft, the preview's key, once the focus is out of the number field.
  await panel.getByRole("button", { name: "Previous", exact: true }).focus();
  await page.keyboard.press("ArrowLeft");
  await expect(panel).not.toContainText("Conversation 45 of");
  const at = Number(/Conversation (\d+) of/.exec((await panel.textContent()) ?? "")?.[1]);
  await expect(rows.nth(at - 1)).toHaveAttribute("aria-current", "true");
  await expect(rows.nth(at - 1)).toBeInViewport();

  // Drag the bar between them: the panel widens, and keeps that width after a reload.
  const before = (await panel.boundingBox())!.width;
  const bar = page.getByRole("separator", { name: "Resize the preview" });
  const barBox = (await bar.boundingBox())!;
  await page.mouse.move(barBox.x + barBox.width / 2, barBox.y + barBox.height / 2);
  await page.mouse.down();
  await page.mouse.move(barBox.x - 150, barBox.y + barBox.height / 2, { steps: 8 });
  await page.mouse.up();
  const widened = (await panel.boundingBox())!.width;
  expect(widened).toBeGreaterThan(before + 100);
  await reloadApp(page);
  await rows.nth(2).click();
  await expect(panel).toBeVisible();
  expect(Math.abs((await panel.boundingBox())!.width - widened)).toBeLessThan(8);

  // Esc closes it, and the focus is back on the row it showed.
  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();
  await expect(rowFor(page, ids[2])).toBeFocused();

  // Dark theme screenshot.
  await rows.nth(2).click();
  await expect(panel).toBeVisible();
  await page.evaluate(() => document.documentElement.classList.add("dark"));
  await screenshot(page, "side-panel-dark", { overlay: true });
  await page.evaluate(() => document.documentElement.classList.remove("dark"));
  await page.keyboard.press("Escape");

  // Below 1024 px: the sheet over the page, as before.
  await page.setViewportSize({ width: 900, height: 700 });
  await rows.nth(2).click();
  await expect(panel).toBeVisible();
  await expect(page.locator('[data-slot="sheet-content"]')).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();
});

test("approve shows in the row at once; an approve the server refuses rolls back with a toast", async ({ page }) => {
  test.setTimeout(300_000);
  const inWorkspace = await createSampleWorkspace(SLUG, "Side Panel Review", "6/2/1");
  await gotoApp(page, inWorkspace("/?tier=template&perPage=100&sort=conversation_id.asc"));
  const ids = await firstIds(dataRows(page).filter({ hasText: "Not generated" }), 2);
  for (const id of ids) await page.getByRole("checkbox", { name: `Select ${id}`, exact: true }).check();
  await page.getByRole("button", { name: "Generate Selected (2)" }).click();
  expect(await confirmGeneration(page)).toBe(2);
  await waitForRunEnd(page, { total: 2, succeeded: 2, failed: 0 });
  await reloadApp(page);
  const [first, second] = ids;
  await expect(rowFor(page, first)).toContainText("Generated");

  // Approve while the server's answer is held back: the row and the panel already say Approved.
  await rowFor(page, first).click();
  const panel = previewOf(page);
  await expect(panel).toContainText(first);
  await stayAfterReview(page);
  let hold = await holdNextApprove(page);
  await panel.getByRole("textbox", { name: "Reviewer notes" }).fill("Reads well.");
  await panel.getByRole("button", { name: "Approve" }).click();
  await hold.held;
  await expect(rowFor(page, first)).toContainText("Approved");
  await expect(panel).toContainText("Approved");
  await expect(toast(page, `Approved ${first}`)).toHaveCount(0); // the server has not answered yet
  await hold.release();
  await expect(toast(page, `Approved ${first}`)).toBeVisible();
  await expect(rowFor(page, first)).toContainText("Approved");
  await reloadApp(page);
  await expect(rowFor(page, first)).toContainText("Approved");

  // The workspace is archived meanwhile (another window, the CLI): the server refuses the next approve.
  await rowFor(page, second).click();
  await expect(panel).toContainText(second);
  await expect(rowFor(page, second)).toContainText("Generated");
  await brightrunBesideApp("workspaces", "archive", SLUG);
  try {
    hold = await holdNextApprove(page);
    await panel.getByRole("textbox", { name: "Reviewer notes" }).fill("Fine.");
    await panel.getByRole("button", { name: "Approve" }).click();
    await hold.held;
    await expect(rowFor(page, second)).toContainText("Approved");
    await hold.release();
    const refused = toast(page, `Could not approve ${second}`);
    await expect(refused).toBeVisible();
    await expect(refused).toContainText("is archived, so nothing in it can be changed. Restore it from the workspace menu first.");
    await expect(rowFor(page, second)).toContainText("Generated");
    await expect(rowFor(page, second)).not.toContainText("Approved");
    await expect(panel).not.toContainText("Approved");
    // The note typed is kept for the next try.
    await expect(panel.getByRole("textbox", { name: "Reviewer notes" })).toHaveValue("Fine.");
    await reloadApp(page);
    await expect(rowFor(page, second)).toContainText("Generated");
  } finally {
    await brightrunBesideApp("workspaces", "restore", SLUG);
  }
});

test("a preview that cannot be shown says so beside the table, and Report issue copies the error id, time and page", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  // The seam: the server's answer for one conversation arrives without its persona (as a broken
  // server or proxy might send it); the preview fails to render it.
  await page.route("**/api/w/*/conversations/*", async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as Record<string, unknown>;
    await route.fulfill({ response, json: { ...body, persona: null } });
  });
  await gotoApp(page, "/?perPage=100&sort=conversation_id.asc");
  await dataRows(page).nth(1).click();
  const fallback = page.getByRole("alert").filter({ hasText: "Conversation preview failed to load" });
  await expect(fallback).toBeVisible();
  await expect(fallback).toContainText("The rest of the page still works");
  await expect(fallback).toContainText(/Error id c-[0-9a-f]{8}/);
  // The table is still there and usable beside it.
  await expect(dataRows(page).first()).toBeVisible();
  await screenshot(page, "error-boundary", { overlay: true });
  await page.evaluate(() => document.documentElement.classList.add("dark"));
  await screenshot(page, "error-boundary-dark", { overlay: true });
  await page.evaluate(() => document.documentElement.classList.remove("dark"));

  await fallback.getByRole("button", { name: "Report issue" }).click();
  await expect(toast(page, "Report copied")).toBeVisible();
  const report = await page.evaluate(() => navigator.clipboard.readText());
  const shownId = /Error id (c-[0-9a-f]{8})/.exec((await fallback.textContent()) ?? "")?.[1];
  expect(report).toContain(`Error id: ${shownId}`);
  expect(report).toMatch(/Time: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  expect(report).toContain(`Page: ${page.url()}`);
  expect(report).toContain("What failed: Conversation preview");
  expect(report).toMatch(/Message: .+/);
});
