/**
 * Issue 9, item 1 (workspaces), as a new user goes through it: from the sample workspace, New
 * workspace asks for the business's name, what it does and its voice, and opens the new workspace's
 * Documents page, empty; documents uploaded there stay there (the sample keeps its own); its Settings
 * page passes Test connection; the new workspace is renamed, gets its own document categories (which
 * its Documents page then offers, its stored document keeping its own), is archived (read-only, said
 * so) and restored, then deleted with its name typed.
 */
import { expect, gotoApp, screenshot, test, toast, storedDocumentCount, UPLOADER } from "./support/fixtures";

test("create a workspace for your own business, upload into it without touching the sample, then rename, archive, restore and delete it", async ({ page }) => {
  await gotoApp(page, "/documents", { hydrated: UPLOADER });
  const sampleDocuments = await storedDocumentCount(page);
  expect(sampleDocuments).toBeGreaterThan(0);

  // New workspace, from the header's switcher.
  await page.getByRole("button", { name: /Switch workspace/ }).click();
  await page.getByRole("menuitem", { name: "New workspace…" }).click();
  const dialog = page.getByRole("dialog", { name: "New workspace" });
  await dialog.getByRole("textbox", { name: "Business name" }).fill("Acme Bakery");
  await expect(dialog).toContainText("/w/acme-bakery");
  await dialog.getByRole("textbox", { name: "What it does" }).fill("A family bakery: sourdough, custom cakes, allergen questions.");
  await dialog.getByRole("textbox", { name: /Its voice/ }).fill("You are the assistant of Acme Bakery. Answer warmly and briefly.");
  await screenshot(page, "workspace-new-dialog", { overlay: true });
  await dialog.getByRole("button", { name: "Create workspace" }).click();

  // It opens empty, on its first-run checklist (templates already in place, documents next), and the switcher names it.
  await expect(page).toHaveURL(/\/w\/acme-bakery\/get-started$/);
  await expect(page.getByRole("button", { name: /Workspace: Acme Bakery/ })).toBeVisible();
  const checklist = page.getByRole("list").filter({ hasText: "Upload your documents" });
  await expect(page.getByRole("heading", { name: "1 of 6 done" })).toBeVisible();
  await expect(checklist.getByRole("listitem").filter({ hasText: "Prompt templates in place" })).toContainText("Done:");
  await expect(checklist.getByRole("listitem").filter({ hasText: "Upload your documents" })).toContainText("No documents yet.");
  await screenshot(page, "workspace-new-get-started");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "workspace-new-get-started-dark");
  await page.emulateMedia({ colorScheme: "light" });
  await checklist.getByRole("link", { name: "Upload documents" }).click();
  await expect(page).toHaveURL(/\/w\/acme-bakery\/documents$/);
  await expect(page.getByText("No documents yet.")).toBeVisible();

  await page.locator(UPLOADER).setInputFiles([{ name: "sourdough-faq.md", mimeType: "text/markdown", buffer: Buffer.from("# Sourdough FAQ\n\nOur sourdough rises for 36 hours and has no added yeast.\n") }]);
  const files = page.getByRole("list", { name: "Files to import" });
  await expect(files.getByRole("listitem", { name: "sourdough-faq.md" }).getByText("New", { exact: true })).toBeVisible({ timeout: 30_000 });
  await page.getByRole("combobox", { name: "Category of sourdough-faq.md" }).fill("Complete Systems");
  await page.getByRole("button", { name: /^Import 1 file/ }).click();
  await expect(toast(page, /Imported 1 document/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("heading", { name: /Stored documents/ })).toContainText("1 document");
  await screenshot(page, "workspace-new-documents");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "workspace-new-documents-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // Its conversations page is its own: empty, nothing of the sample.
  await page.getByRole("link", { name: "Conversations" }).click();
  await expect(page).toHaveURL(/\/w\/acme-bakery$/);
  await expect(page.getByRole("row").filter({ hasText: "tmpl-001" })).toHaveCount(0);
  // The checklist's reminder stays above the table until every step is done.
  await expect(page.getByRole("note", { name: "Get started" })).toContainText("Get started: 2 of 6 done");
  await expect(page.getByRole("note", { name: "Get started" })).toContainText("Next: Describe your customers");

  // The sample is untouched.
  await gotoApp(page, "/documents", { hydrated: UPLOADER });
  expect(await storedDocumentCount(page)).toBe(sampleDocuments);
  await expect(page.getByRole("table", { name: "Stored documents" })).not.toContainText("Sourdough FAQ");

  // Rename, archive, restore, delete — on the new workspace's Settings page.
  await page.goto("/w/acme-bakery/settings");
  const section = page.getByRole("region", { name: "Workspace" });
  await expect(section).toBeVisible();
  await page.waitForFunction(() => {
    const element = document.querySelector("#workspace-rename");
    return element !== null && Object.keys(element).some((key) => key.startsWith("__reactProps$"));
  });
  // Its model: Test connection reaches the suite's model (the fake LLM server, set by the environment).
  await page.getByRole("button", { name: /Test connection/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "Connected" })).toContainText(/Connected: openai · .+ answered in [\d,]+ ms/, { timeout: 30_000 });

  await section.getByRole("textbox", { name: "Name", exact: true }).fill("Acme Bakery & Café");
  await section.getByRole("button", { name: "Rename" }).click();
  await expect(toast(page, "Workspace renamed.")).toBeVisible();
  await expect(page.getByRole("button", { name: /Workspace: Acme Bakery & Café/ })).toBeVisible();
  await screenshot(page, "workspace-settings");

  // Its document categories: rename one, remove one, add one, save.
  const categories = section.getByRole("group", { name: "Document categories" });
  await expect(categories).toContainText("the built-in list until you save your own");
  await categories.getByRole("textbox", { name: "Category 1" }).fill("Recipes");
  await categories.getByRole("button", { name: "Remove Proprietary Strategies" }).click();
  await categories.getByRole("textbox", { name: "New category" }).fill("recipes");
  await categories.getByRole("button", { name: "Add" }).click();
  await expect(categories.getByRole("alert")).toHaveText(`"Recipes" and "recipes" are the same category (capital letters don't make categories different): keep one.`);
  await expect(categories.getByRole("button", { name: "Save categories" })).toBeDisabled();
  await categories.getByRole("textbox", { name: "Category 3" }).fill("Allergen Notes");
  await categories.getByRole("button", { name: "Save categories" }).click();
  await expect(toast(page, "Categories saved.")).toBeVisible();
  await expect(categories.getByRole("button", { name: "Use the built-in list" })).toBeVisible();
  await categories.scrollIntoViewIfNeeded();
  await screenshot(page, "workspace-settings-categories", { overlay: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "workspace-settings-categories-dark", { overlay: true });
  await page.emulateMedia({ colorScheme: "light" });

  // The successful Test connection ticks the checklist's model step.
  await page.goto("/w/acme-bakery/get-started");
  await expect(page.getByRole("heading", { name: "3 of 6 done" })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "Set and test your model" })).toContainText(/Done:.*openai · .+, tested \d{4}-\d{2}-\d{2}\./);

  // The Documents page offers the saved list, then the category its stored document still uses ("Complete Systems", renamed in the list).
  await gotoApp(page, "/w/acme-bakery/documents", { hydrated: UPLOADER });
  await page.locator(UPLOADER).setInputFiles([{ name: "cakes.md", mimeType: "text/markdown", buffer: Buffer.from("# Custom cakes\n\nOrder three days ahead.\n") }]);
  const category = page.getByRole("combobox", { name: "Category of cakes.md" });
  await expect(category).toBeVisible({ timeout: 30_000 });
  const offered = await page.locator(`datalist#${await category.getAttribute("list")} option`).evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
  expect(offered).toEqual(["Recipes", "Client Stories", "Allergen Notes", "Complete Systems"]);
  await expect(page.getByRole("table", { name: "Stored documents" }).getByRole("row", { name: /Sourdough FAQ/ })).toContainText("Complete Systems");
  await page.getByRole("button", { name: "Clear" }).click();
  await page.goto("/w/acme-bakery/settings");
  await page.waitForFunction(() => {
    const element = document.querySelector("#workspace-rename");
    return element !== null && Object.keys(element).some((key) => key.startsWith("__reactProps$"));
  });

  await section.getByRole("button", { name: "Archive workspace" }).click();
  await expect(page.getByRole("note").filter({ hasText: "This workspace is archived" })).toBeVisible();
  await section.getByRole("button", { name: "Restore workspace" }).click();
  await expect(page.getByRole("note").filter({ hasText: "This workspace is archived" })).toBeHidden();

  await section.getByRole("button", { name: "Delete workspace…" }).click();
  const confirm = page.getByRole("alertdialog");
  const deleteButton = confirm.getByRole("button", { name: "Delete workspace" });
  await expect(deleteButton).toBeDisabled();
  await confirm.getByRole("textbox").fill("Acme Bakery");
  await expect(deleteButton).toBeDisabled();
  await confirm.getByRole("textbox").fill("Acme Bakery & Café");
  await deleteButton.click();
  await expect(toast(page, /Deleted "Acme Bakery & Café" with 1 document and 0 conversations/)).toBeVisible();
  // Back at the start, which opens the remaining workspace: the sample.
  await expect(page).toHaveURL(/\/w\/harbor-pine-sample$/);
  const gone = await page.goto("/w/acme-bakery");
  expect(gone?.status()).toBe(404);
});
