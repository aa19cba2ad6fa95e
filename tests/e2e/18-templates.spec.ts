/**
 * Issue 11, items 1, 2, 4 and 5 as a user goes through them: on the Templates page, New template;
 * write a template with a typo'd placeholder and see the inline error with its "did you mean"; fix
 * it and save (a draft, v1); activate it; edit it and save (v2, in use); open History and see the
 * diff between v1 and v2.
 */
import { expect, gotoApp, screenshot, test, toast } from "./support/fixtures";

const LIST_READY = "#require-template-test";
const EDITOR_READY = "#template-name";

test("write a template, fix a typo'd placeholder, save, activate, edit to v2 and see the diff", async ({ page }) => {
  await gotoApp(page, "/templates", { hydrated: LIST_READY });
  await expect(page.getByRole("heading", { name: "Templates", level: 1 })).toBeVisible();
  const table = page.getByRole("table", { name: "Prompt templates" });
  await expect(table.getByRole("row", { name: /Emotional arc conversation \(default\)/ })).toContainText("Active");
  await screenshot(page, "templates");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "templates-dark");
  await page.emulateMedia({ colorScheme: "light" });

  await page.getByRole("link", { name: "New template" }).click();
  await expect(page.getByRole("heading", { name: "New template", level: 1 })).toBeVisible();
  await page.waitForFunction((s) => {
    const el = document.querySelector(s);
    return el !== null && Object.keys(el).some((k) => k.startsWith("__reactProps$"));
  }, EDITOR_READY);

  await page.getByRole("textbox", { name: "Name" }).fill("Warm expert");
  await page.getByRole("textbox", { name: "System prompt" }).click();
  await page.keyboard.type("You write realistic training conversations. Reply only with JSON turns.");
  const text = page.getByRole("textbox", { name: "Template text" });
  await text.click();
  await page.keyboard.type("Write a conversation for {business_name} with {persna} about {topic}.");
  await page.keyboard.press("Escape");

  // The same check the importer runs, inline in the editor and listed with line:column.
  const problems = page.getByRole("list", { name: "Template problems" });
  await expect(problems).toContainText("1:47");
  await expect(problems).toContainText("Did you mean {persona}?");
  await expect(page.locator(".cm-lintRange-error")).toHaveCount(1);
  await expect(page.getByRole("button", { name: "Save", exact: true })).toBeDisabled();
  await expect(page.getByTestId("caching-note")).toContainText("prompt caching needs at least 1,024");
  await screenshot(page, "template-editor-error");

  // Fix it.
  await text.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("Write a conversation for {business_name} with {persona} about {topic}.");
  await page.keyboard.press("Escape");
  await expect(problems).toHaveCount(0);
  await expect(page.locator(".cm-lintRange-error")).toHaveCount(0);
  await expect(page.getByText("No problems found in the template text.")).toBeVisible();
  await screenshot(page, "template-editor-new");

  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(toast(page, "Created \"Warm expert\" as a draft (v1)")).toBeVisible();
  await expect(page).toHaveURL(/\/templates\/warm-expert$/);
  await expect(page.getByRole("heading", { name: "Warm expert", level: 1 })).toBeVisible();
  await expect(page.getByTestId("template-version-state")).toHaveText("v1");
  await expect(page.getByText("Draft", { exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Activate v1" }).click();
  await expect(toast(page, /Activated "Warm expert" v1/)).toBeVisible();
  await expect(page.getByText("Active", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Deactivate" })).toBeVisible();

  // Edit and save: an active template's save is v2, in use at once (no test required here).
  const editor = page.getByRole("textbox", { name: "Template text" });
  await editor.click();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.type(" Keep every turn warm and plain.");
  await page.keyboard.press("Escape");
  await expect(page.getByText("Unsaved changes")).toBeVisible();
  await page.getByRole("textbox", { name: "Change note (optional)" }).fill("Warmer turns");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(toast(page, "Saved v2; generation uses it from now on.")).toBeVisible();
  await expect(page.getByTestId("template-version-state")).toHaveText("v2");
  await screenshot(page, "template-editor");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "template-editor-dark");
  await page.emulateMedia({ colorScheme: "light" });

  await page.getByRole("tab", { name: /History/ }).click();
  const versions = page.getByRole("list", { name: "Versions" });
  await expect(versions.getByRole("listitem")).toHaveCount(2);
  await expect(versions.getByRole("listitem").first()).toContainText("v2");
  await expect(versions.getByRole("listitem").first()).toContainText("current");
  await expect(versions.getByRole("listitem").first()).toContainText("Warmer turns");
  const diff = page.getByRole("region", { name: "Changes from v1 to v2" });
  await expect(diff.getByRole("region", { name: "Template text diff" })).toContainText("Added: Write a conversation for {business_name} with {persona} about {topic}. Keep every turn warm and plain.");
  await expect(diff.getByRole("region", { name: "Template text diff" })).toContainText("Removed: Write a conversation for {business_name} with {persona} about {topic}.");
  await expect(diff.getByRole("region", { name: "Template text diff" }).locator("mark")).toContainText("Keep every turn warm and plain.");
  await expect(diff.getByRole("region", { name: "System prompt diff" })).toContainText("unchanged");
  await screenshot(page, "template-history");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "template-history-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // The list shows it, active at v2.
  await gotoApp(page, "/templates", { hydrated: LIST_READY });
  await expect(page.getByRole("table", { name: "Prompt templates" }).getByRole("row", { name: /Warm expert/ })).toContainText("v2");

  // Require a successful test: a save of the active template waits as a draft version, and activation is refused until tested.
  await page.getByRole("switch", { name: "Require a successful test before activation" }).click();
  await expect(toast(page, "A version must now pass a test before it is activated.")).toBeVisible();
  await gotoApp(page, "/templates/warm-expert", { hydrated: EDITOR_READY });
  await page.getByRole("textbox", { name: "Template text" }).click();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.type(" End with a next step.");
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(toast(page, /Saved v3 as a draft version, not in use; v2 stays in use/)).toBeVisible();
  await expect(page.getByTestId("template-version-state")).toHaveText("v2 · v3 draft (v3 not in use; v2 in use)");
  await expect(page.getByRole("button", { name: "Activate v3" })).toBeDisabled();
  await expect(page.getByTestId("require-test-state")).toContainText("Test v3 first: this workspace requires a successful test before activation, and it has not been tested.");
});
