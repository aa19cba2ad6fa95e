/**
 * Issue 10, item 1 (the taxonomy pages), as a new user goes through it: a new workspace's Customers
 * page offers the starter taxonomy, which brings the seeds' five emotional arcs; two personas are
 * added through the form (the first after the form refuses an empty description, as the importer
 * would); in the sample workspace, the model's suggestions are listed and one is edited and
 * accepted (then deleted: nothing uses it), and deleting a persona that conversations use is
 * refused with the reason, the persona archived instead (then restored, leaving the sample as it was).
 * Screenshots (light and dark) go to the system's temporary folder, not into the repository.
 */
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import type { Page } from "@playwright/test";
import { expect, gotoApp, SAMPLE_SLUG, test, toast, UPLOADER } from "./support/fixtures";

const SHOTS = path.join(os.tmpdir(), "brightrun-taxonomy-screens");

/** A full-page screenshot (the viewport for an open dialog) under the temporary folder. */
async function shot(page: Page, name: string, overlay = false): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: !overlay });
}

/** Waits until the taxonomy view (a client component; the page's <h1> is server-rendered) has hydrated. */
async function waitForTaxonomyView(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const element = document.querySelector("main h2");
    return element !== null && Object.keys(element).some((key) => key.startsWith("__reactProps$"));
  });
}

test("a new workspace starts from the starter taxonomy and adds its own personas; a persona in use is archived, not deleted", async ({ page, fakeLlm }) => {
  await gotoApp(page, "/documents", { hydrated: UPLOADER });
  await page.getByRole("button", { name: /Switch workspace/ }).click();
  await page.getByRole("menuitem", { name: "New workspace…" }).click();
  const newWorkspace = page.getByRole("dialog", { name: "New workspace" });
  await newWorkspace.getByRole("textbox", { name: "Business name" }).fill("Rivet Plumbing");
  await newWorkspace.getByRole("textbox", { name: "What it does" }).fill("Emergency call-outs, boiler servicing and bathroom fitting.");
  await newWorkspace.getByRole("textbox", { name: /Its voice/ }).fill("You are the assistant of Rivet Plumbing. Be calm, clear and practical.");
  await newWorkspace.getByRole("button", { name: "Create workspace" }).click();
  await expect(page).toHaveURL(/\/w\/rivet-plumbing\/get-started$/);

  // The checklist's "Describe customers" opens Customers: empty, so the starter taxonomy is offered.
  await page.getByRole("link", { name: "Describe customers" }).click();
  await expect(page).toHaveURL(/\/w\/rivet-plumbing\/taxonomy\/personas$/);
  await waitForTaxonomyView(page);
  await expect(page.getByText("No personas yet.")).toBeVisible();
  await shot(page, "taxonomy-empty");
  await page.getByRole("button", { name: "Start from the starter taxonomy" }).click();
  await expect(toast(page, /Added the starter taxonomy: 5 emotional arcs/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Start from the starter taxonomy" })).toHaveCount(0);

  // The seeds' five arcs, each with its emotional progression; enabling them is the Plan page's job.
  await page.getByRole("navigation", { name: "Taxonomy" }).getByRole("link", { name: "Emotional arcs" }).click();
  await expect(page).toHaveURL(/\/taxonomy\/emotional-arcs$/);
  const arcs = page.getByRole("table", { name: "Emotional arcs" });
  for (const name of ["Triumph", "Struggle-to-Success", "Steady Confidence", "Anxiety-to-Relief", "Discovery"]) {
    await expect(arcs.getByRole("row").filter({ hasText: name })).toHaveCount(1);
  }
  await expect(arcs.getByRole("row").filter({ hasText: "Anxiety-to-Relief" })).toContainText("fear and worry → relief and calm");
  await expect(page.getByRole("link", { name: "Arc configuration on the Plan page" })).toHaveAttribute("href", "/w/rivet-plumbing/plan");
  await shot(page, "taxonomy-arcs");

  // Two personas through the form; the first is refused while its description is empty.
  await page.getByRole("navigation", { name: "Taxonomy" }).getByRole("link", { name: "Personas" }).click();
  await waitForTaxonomyView(page);
  await page.getByRole("button", { name: "New persona" }).click();
  let form = page.getByRole("dialog", { name: "New persona" });
  await form.getByRole("textbox", { name: "Name" }).fill("Panicked Homeowner");
  await expect(form.getByRole("textbox", { name: "Key" })).toHaveValue("panicked-homeowner");
  await form.getByRole("textbox", { name: /Traits/ }).fill("water on the floor\nnever called a plumber before");
  await form.getByRole("button", { name: "Create" }).click();
  await expect(form.getByText("Description must not be empty.")).toBeVisible();
  await expect(form.getByRole("textbox", { name: "Description" })).toHaveAttribute("aria-invalid", "true");
  await shot(page, "taxonomy-persona-form-error", true);
  await form.getByRole("textbox", { name: "Description" }).fill("A leak or burst pipe right now; wants to know what to do before help arrives.");
  await form.getByRole("button", { name: "Create" }).click();
  await expect(toast(page, "Added persona “Panicked Homeowner”")).toBeVisible();
  await expect(form).toBeHidden();

  await page.getByRole("button", { name: "New persona" }).click();
  form = page.getByRole("dialog", { name: "New persona" });
  await form.getByRole("textbox", { name: "Name" }).fill("Landlord With Three Flats");
  await form.getByRole("textbox", { name: "Description" }).fill("Owns rentals; wants servicing booked around tenants and a clear invoice.");
  await form.getByRole("textbox", { name: /Goals/ }).fill("keep tenants happy\nstay compliant");
  await form.getByRole("button", { name: "Create" }).click();
  await expect(toast(page, "Added persona “Landlord With Three Flats”")).toBeVisible();

  const personas = page.getByRole("table", { name: "Personas" });
  await expect(personas.getByRole("row").filter({ hasText: "Panicked Homeowner" })).toContainText("water on the floor, never called a plumber before");
  await expect(personas.getByRole("row").filter({ hasText: "landlord-with-three-flats" })).toContainText("Not used");
  await shot(page, "taxonomy-personas");
  await page.emulateMedia({ colorScheme: "dark" });
  await shot(page, "taxonomy-personas-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // In the sample business (it has documents), the model suggests personas and topics; one is edited, then accepted.
  await page.goto(`/w/${SAMPLE_SLUG}/taxonomy/personas`);
  await waitForTaxonomyView(page);
  const sample = page.getByRole("table", { name: "Personas" });
  await fakeLlm.enqueue({
    kind: "ok",
    text: JSON.stringify({
      personas: [{ key: "recent-widow", name: "Recent Widow", description: "Lost a spouse who handled the money; now has to learn it all.", traits: ["grieving", "overwhelmed"], communication_style: "Long, apologetic messages", goals: ["understand the accounts"] }],
      topics: [{ key: "survivor-benefits", name: "Survivor Benefits", description: "Claiming a late spouse's pension and benefits.", key_terms: ["survivor benefit"] }],
    }),
  });
  await page.getByRole("button", { name: "Suggest personas and topics from my documents" }).click();
  const suggestions = page.getByRole("dialog", { name: "Suggested personas and topics" });
  await expect(suggestions.getByRole("listitem")).toHaveCount(2);
  await expect(suggestions).toContainText("From openai");
  await shot(page, "taxonomy-suggestions", true);
  await expect(sample.getByRole("row").filter({ hasText: "Recent Widow" })).toHaveCount(0); // nothing saved yet
  await suggestions.getByRole("button", { name: "Review and accept Recent Widow" }).click();
  const accept = page.getByRole("dialog", { name: "Accept suggested persona" });
  await expect(accept.getByRole("textbox", { name: "Key" })).toHaveValue("recent-widow");
  await accept.getByRole("textbox", { name: "Name" }).fill("Recently Widowed Client");
  await accept.getByRole("button", { name: "Accept" }).click();
  await expect(toast(page, "Added persona “Recently Widowed Client”")).toBeVisible();
  await expect(suggestions.getByRole("listitem").filter({ hasText: "Recent Widow" })).toContainText("Added");
  await page.keyboard.press("Escape");
  await expect(suggestions).toBeHidden();
  const accepted = sample.getByRole("row").filter({ hasText: "Recently Widowed Client" });
  await expect(accepted).toContainText("grieving, overwhelmed");
  await expect(sample.getByRole("row").filter({ hasText: "Survivor Benefits" })).toHaveCount(0);

  // Nothing uses it yet, so it can be deleted.
  await accepted.getByRole("button", { name: "Actions for Recently Widowed Client" }).click();
  await page.getByRole("menuitem", { name: "Delete" }).click();
  const confirmDelete = page.getByRole("alertdialog", { name: "Delete “Recently Widowed Client”?" });
  await expect(confirmDelete).toContainText("No conversation or scenario uses this persona.");
  await confirmDelete.getByRole("button", { name: "Delete persona" }).click();
  await expect(toast(page, "Deleted “Recently Widowed Client”")).toBeVisible();
  await expect(sample.getByRole("row").filter({ hasText: "Recently Widowed Client" })).toHaveCount(0);

  // Conversations use the sample's own personas: delete is refused, archive instead.
  const used = sample.getByRole("row").filter({ hasText: /\d+ conversations?/ }).first();
  const name = (await used.getByRole("cell").first().locator("div").first().textContent())!.trim();
  const uses = /(\d+) conversations?/.exec((await used.textContent()) ?? "")![1];
  await used.getByRole("button", { name: `Actions for ${name}` }).click();
  await page.getByRole("menuitem", { name: "Delete" }).click();
  const refusal = page.getByRole("alertdialog", { name: `“${name}” can’t be deleted` });
  await expect(refusal).toContainText(new RegExp(`${uses} conversations?( and \\d+ scenarios?)? uses? this persona; archive it instead\\.`));
  await expect(refusal.getByRole("button", { name: /^Delete/ })).toHaveCount(0);
  await shot(page, "taxonomy-delete-refused", true);
  await refusal.getByRole("button", { name: "Archive instead" }).click();
  await expect(toast(page, `Archived “${name}”: hidden from planning and new choices`)).toBeVisible();
  const archivedRow = sample.getByRole("row").filter({ hasText: name });
  await expect(archivedRow.getByText("Archived", { exact: true })).toBeVisible();
  await expect(archivedRow).toContainText(`${uses} conversation`); // the conversations keep it
  await page.emulateMedia({ colorScheme: "dark" });
  await shot(page, "taxonomy-sample-archived-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // Restored, the sample is as it was for any later test.
  await archivedRow.getByRole("button", { name: `Actions for ${name}` }).click();
  await page.getByRole("menuitem", { name: "Restore" }).click();
  await expect(toast(page, `Restored “${name}”`)).toBeVisible();
  await expect(sample.getByRole("row").filter({ hasText: name }).getByText("Active", { exact: true })).toBeVisible();
});
