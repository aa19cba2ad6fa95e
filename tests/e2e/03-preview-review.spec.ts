/**
 * Flow d (US4.1.1, US4.1.2, US4.2.1): open a conversation's preview from the keyboard, read its
 * USER / ASSISTANT turns, write a reviewer note, approve with the A key, move on with ArrowRight,
 * close with Esc.
 * The view is the whole table on one page (sorted by id), so the approved conversation stays in it
 * and its position is its row number.
 */
import { dataRows, expect, GENERATED, gotoApp, reloadApp, rowFor, rowId, screenshot, test, toast } from "./support/fixtures";

test("preview a conversation, approve it with a note, move to the next one", async ({ page }) => {
  await gotoApp(page, "/?perPage=100&sort=conversation_id.asc");
  const rows = dataRows(page);
  await expect(rows).toHaveCount(50);
  const target = rows.filter({ hasText: GENERATED }).first();
  const id = await rowId(target);
  const position = (await rows.evaluateAll((all, wanted) => all.findIndex((row) => row.textContent?.includes(wanted)), id)) + 1;
  expect(position).toBeGreaterThan(0);

  // Rows are focusable; Enter opens the preview.
  await target.focus();
  await page.keyboard.press("Enter");
  const panel = page.getByRole("dialog").filter({ has: page.getByRole("textbox", { name: "Reviewer notes" }) });
  await expect(panel).toBeVisible();
  await expect(panel).toContainText(`Conversation ${position} of 50`);
  await expect(panel).toContainText(id);
  await expect(panel.getByText(/^user:?$/i).first()).toBeVisible();
  await expect(panel.getByText(/^assistant:?$/i).first()).toBeVisible();

  // Stay on this conversation after approving, to see its new status.
  const autoAdvance = panel.getByRole("switch", { name: "Auto-advance" });
  if ((await autoAdvance.getAttribute("aria-checked")) === "true") await autoAdvance.click();
  await expect(autoAdvance).toHaveAttribute("aria-checked", "false");

  const note = "Clear, warm answers; the fee question is handled well.";
  await panel.getByRole("textbox", { name: "Reviewer notes" }).fill(note);
  await screenshot(page, "preview-panel", { overlay: true });
  // Approve from the keyboard: leave the notes box (Tab), then the A shortcut.
  await page.keyboard.press("Tab");
  await expect(panel.getByRole("textbox", { name: "Reviewer notes" })).not.toBeFocused();
  await page.keyboard.press("a");
  await expect(toast(page, `Approved ${id}`)).toBeVisible();
  await expect(panel).toContainText("Approved");
  await expect(panel).toContainText(note); // the saved note, in the details
  await expect(panel).toContainText(`Conversation ${position} of 50`);

  // ArrowRight (focus not in a text field): the next conversation of the view.
  await panel.getByRole("button", { name: "Next", exact: true }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(panel).toContainText(`Conversation ${position + 1} of 50`);
  await expect(panel).not.toContainText(id);

  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();

  // The table shows it approved.
  await expect(rowFor(page, id)).toContainText("Approved");
  await reloadApp(page);
  await expect(rowFor(page, id)).toContainText("Approved");
});
