/**
 * Flow e (US4.2.2, US6.2.2): select two generated rows (one by its checkbox, one with Space on the
 * focused row), "Reject Selected (2)", confirm, see "2 conversations rejected" and undo it from the toast.
 */
import { dataRows, dialogWith, expect, firstIds, GENERATED, gotoApp, reloadApp, rowFor, test, toast } from "./support/fixtures";

test("reject selected conversations, then undo from the toast", async ({ page }) => {
  await gotoApp(page, "/?perPage=100&sort=conversation_id.asc");
  await expect(page.getByRole("heading", { name: "Conversations" })).toBeVisible();
  const ids = await firstIds(dataRows(page).filter({ hasText: GENERATED }), 2);
  const [a, b] = ids.map((id) => rowFor(page, id));

  await page.getByRole("checkbox", { name: `Select ${ids[0]}`, exact: true }).check();
  await b.focus();
  await page.keyboard.press("Space");
  await expect(page.getByRole("checkbox", { name: `Select ${ids[1]}`, exact: true })).toBeChecked();
  await expect(page.getByText("2 conversations selected")).toBeVisible();

  await page.getByRole("button", { name: "Reject Selected (2)" }).click();
  const dialog = dialogWith(page, "Reject 2 conversations?");
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Reject 2 conversations" }).click();
  await expect(dialog).toBeHidden();

  const rejected = toast(page, "2 conversations rejected");
  await expect(rejected).toBeVisible();
  await expect(a).toContainText("Rejected");
  await expect(b).toContainText("Rejected");

  await rejected.getByRole("button", { name: "Undo" }).click();
  await expect(toast(page, "2 conversations restored")).toBeVisible();
  for (const row of [a, b]) {
    await expect(row).not.toContainText("Rejected");
    await expect(row).toContainText(GENERATED);
  }
  // Still so after a reload: the undo reached the database.
  await reloadApp(page);
  for (const row of [a, b]) await expect(row).toContainText(GENERATED);
});
