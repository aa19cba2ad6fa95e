/**
 * Issue 10, items 3 and 4, as a user goes through them: on the Scenarios page, write a scenario
 * from a chunk picked in the searchable list (its text shown), and save a scenario the model
 * suggested from a chunk after reading it; on the Seeds page, paste a conversation as "User: /
 * Assistant:" lines, map it to the taxonomy, and see it listed with its lock and compared with the
 * generated conversations; then find it under the conversations table's Seeds quick filter.
 */
import { dataRows, expect, gotoApp, rowFor, screenshot, test, toast } from "./support/fixtures";

const SEARCH = 'input[aria-label="Search scenarios by keyword"]';

test("create a scenario from a chunk, and save one the model suggested", async ({ page, fakeLlm }) => {
  await gotoApp(page, "/scenarios", { hydrated: SEARCH });
  await expect(page.getByRole("heading", { name: "Scenarios", level: 1 })).toBeVisible();

  await page.getByRole("button", { name: "New scenario" }).click();
  const dialog = page.getByRole("dialog", { name: "New scenario" });
  await dialog.getByRole("textbox", { name: "Title" }).fill("Windfall from a grandparent");
  await dialog.getByRole("textbox", { name: "Category tags" }).fill("financial, estate planning");
  await dialog.getByRole("combobox", { name: "Source chunk" }).click();
  await page.getByPlaceholder("Search chunks by document, heading or text…").fill("emergency");
  await page.getByRole("option").first().click();
  const chunkText = dialog.getByRole("figure", { name: "Source chunk text" });
  await expect(chunkText).toBeVisible();
  await expect(chunkText).toContainText(/emergency/i);
  await dialog.getByRole("textbox", { name: "Problem context" }).fill("Inherited $80,000 and feels frozen about what to do first.");
  await dialog.getByRole("textbox", { name: "Solution action" }).fill("Park it safely, build the emergency fund, then pay down high-interest debt.");
  await dialog.getByRole("textbox", { name: "Outcome" }).fill("Leaves with a calm three-step plan.");
  await screenshot(page, "scenario-form", { overlay: true });
  await dialog.getByRole("button", { name: "Save scenario" }).click();
  await expect(toast(page, "Saved “Windfall from a grandparent” to the library")).toBeVisible();

  const row = page.getByRole("row", { name: "Windfall from a grandparent" });
  await expect(row).toBeVisible();
  await expect(row).toContainText("estate planning");
  await expect(row.getByRole("button", { name: "0 conversations use “Windfall from a grandparent”" })).toBeVisible();

  // Search by keyword finds it by its problem text.
  await page.locator(SEARCH).fill("frozen");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/\/scenarios\?q=frozen$/);
  await expect(page.getByRole("table", { name: "Scenarios" }).getByRole("row")).toHaveCount(2);

  // Suggest from a chunk: the configured model (the fake LLM here) drafts; nothing is saved until the user saves a draft.
  await gotoApp(page, "/scenarios", { hydrated: SEARCH });
  await fakeLlm.enqueue({
    kind: "ok",
    text: JSON.stringify({
      scenarios: [
        { title: "Career change at 45", description: "Leaving a corporate job.", category: "career", tags: ["career"], problem: "Wants to leave a stable job.", solution: "Build a 12-month runway first.", outcome: "Leaves with savings in place." },
      ],
    }),
  });
  await page.getByRole("button", { name: "Suggest from a chunk" }).click();
  const suggest = page.getByRole("dialog", { name: "Suggest scenarios from a chunk" });
  await suggest.getByRole("combobox", { name: "Source chunk" }).click();
  await page.getByRole("option").nth(1).click();
  await suggest.getByRole("button", { name: "Suggest scenarios" }).click();
  const draft = suggest.getByRole("article", { name: "Career change at 45" });
  await expect(draft).toContainText("Build a 12-month runway first.");
  await screenshot(page, "scenario-suggestions", { overlay: true });
  await draft.getByRole("button", { name: "Review and save…" }).click();
  const review = page.getByRole("dialog", { name: "Review the draft" });
  await expect(review.getByRole("textbox", { name: "Title" })).toHaveValue("Career change at 45");
  await review.getByRole("textbox", { name: "Title" }).fill("Career change at 45, with two kids");
  await review.getByRole("button", { name: "Save scenario" }).click();
  await expect(toast(page, "Saved “Career change at 45, with two kids” to the library")).toBeVisible();
  await expect(page.getByRole("row", { name: "Career change at 45, with two kids" })).toBeVisible();

  await screenshot(page, "scenarios");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "scenarios-dark");
  await page.emulateMedia({ colorScheme: "light" });
});

test("paste a seed conversation, see it locked on the Seeds page and under the Seeds quick filter", async ({ page }) => {
  await gotoApp(page, "/seeds", { hydrated: "main section button" });
  const seedList = page.getByRole("table", { name: "Seed conversations" });
  // The list's rows, header included, before the new seed: the seeds there are.
  const before = (await seedList.getByRole("row").count()) - 1;

  await page.getByRole("textbox", { name: /One conversation, a line per turn/ }).fill(
    [
      "User: My grandmother left me $80,000 and honestly I feel frozen. Where do I even start?",
      "Assistant: I'm sorry about your grandmother. There's no rush: put the money in a high-yield savings account while you think, and we'll go one step at a time.",
      "User: OK. What's the first real step?",
      "Assistant: Check you have three to six months of expenses set aside. After that, paying off any credit-card debt is usually the best use of the next dollar.",
    ].join("\n"),
  );
  await page.getByRole("button", { name: "Read conversation" }).click();
  await expect(page.getByText(/Read 1 conversation as Pasted text/)).toBeVisible();
  await page.getByRole("textbox", { name: "Title" }).fill("Frozen by an inheritance");
  for (const [label, option] of [
    ["Persona", "Anxious First-Time Investor"],
    ["Emotional arc", "Anxiety-to-Relief"],
    ["Topic", /Emergency Fund/],
    ["Intent", /Reassurance/],
    ["Tone", /Warm/],
  ] as const) {
    await page.getByRole("combobox", { name: label, exact: true }).click();
    await page.getByRole("option", { name: option }).first().click();
  }
  await screenshot(page, "seeds-paste");
  await page.getByRole("button", { name: "Import seed" }).click();
  const imported = toast(page, /Imported seed seed-\d+/);
  await expect(imported).toBeVisible();
  const seedId = /seed-\d+/.exec((await imported.textContent()) ?? "")?.[0] ?? "";

  const row = seedList.getByRole("row").filter({ hasText: "Frozen by an inheritance" });
  await expect(row).toBeVisible();
  await expect(row.getByRole("img", { name: "Locked seed: can't be deleted or changed" })).toBeVisible();
  await expect(seedList.getByRole("row")).toHaveCount(before + 2);
  await expect(page.getByRole("table", { name: "Seeds vs generated, all conversations" })).toContainText("Average quality score (1–10)");
  await screenshot(page, "seeds");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "seeds-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // A broken paste says which line and what to fix, and imports nothing.
  await page.getByRole("textbox", { name: /One conversation, a line per turn/ }).fill("Hello, is anyone there?\nAssistant: Yes.");
  await page.getByRole("button", { name: "Read conversation" }).click();
  await expect(page.getByRole("region", { name: "Add seed conversations" }).getByRole("alert")).toContainText('line 1: the conversation must start with a "User:" line');

  // The conversations table's Seeds quick filter shows seeds only, this one among them.
  await gotoApp(page, "/");
  await page.getByRole("button", { name: "Seeds", exact: true }).click();
  await expect(page).toHaveURL(/[?&]seed=yes/);
  await expect(page.getByRole("button", { name: "Seeds", exact: true })).toHaveAttribute("aria-pressed", "true");
  await expect(rowFor(page, seedId)).toBeVisible();
  await expect(rowFor(page, seedId).getByLabel("Seed conversation (locked)")).toBeVisible();
  await expect(dataRows(page).filter({ hasText: /tmpl-0|scen-0|edge-0/ })).toHaveCount(0);
  await expect(page.getByText(`Showing ${before + 1} of`)).toBeVisible();
  await expect(page.getByLabel("Active filters")).toContainText("Seeds only");
});
