/**
 * Issue 11 items 3, 5 and 6 as a user goes through them. Template analytics: empty at first (every
 * tier says it has not enough reviewed conversations from a real model); after three Template-tier
 * conversations are generated with the model (the fake LLM, OpenAI wire format) and reviewed — two
 * approved, one rejected with a note — the Real model table shows 3 generated, 67 % approved and the
 * note's words, nothing simulated, and the CSV download has the same figures. On the template's
 * editor page: the preview shows the exact system prompt and message for sample parameters and for a
 * planned conversation with token count and the cost of one call, names a missing parameter instead,
 * and Test Template shows the reply as a conversation with its quality, cost and comparison.
 */
import type { Page } from "@playwright/test";
import { confirmGeneration, createSampleWorkspace, dataRows, expect, firstIds, gotoApp, rowFor, screenshot, test, toast, waitForRunEnd } from "./support/fixtures";

/**
 * A workspace of its own (the sample business imported, 6/2/1 planned), so its figures start from
 * nothing whatever the specs before this one generated in the sample.
 */
const SLUG = "template-analytics";
let inWorkspace: (url: string) => string = (url) => url;
const TEMPLATE_KEY = "template-default";
const TEMPLATE_NAME = "Emotional arc conversation (default)";

test.beforeAll(async () => {
  test.setTimeout(180_000);
  inWorkspace = await createSampleWorkspace(SLUG, "Template Analytics", "6/2/1");
});

async function review(page: Page, id: string, action: "Approve" | "Reject", note: string) {
  const row = rowFor(page, id);
  await row.focus();
  await page.keyboard.press("Enter");
  const panel = page.getByRole("dialog").filter({ has: page.getByRole("textbox", { name: "Reviewer notes" }) });
  await expect(panel).toContainText(id);
  await panel.getByRole("textbox", { name: "Reviewer notes" }).fill(note);
  await panel.getByRole("button", { name: action, exact: true }).click();
  await expect(toast(page, `${action === "Approve" ? "Approved" : "Rejected"} ${id}`)).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();
}

test("template analytics: per-version figures from a real model, rejection words, CSV", async ({ page, fakeLlm }) => {
  await gotoApp(page, inWorkspace("/templates/analytics"));
  await expect(page.getByRole("heading", { name: "Template analytics", level: 1 })).toBeVisible();
  const recommendations = page.getByRole("region", { name: "Recommendations" });
  await expect(recommendations).toContainText("Template tier: not enough reviewed conversations from a real model yet (a recommendation needs at least 10 reviewed conversations");
  await expect(page.getByText("No conversations generated from a template in this view yet.")).toBeVisible();

  // Generate three Template-tier conversations with the model, then review them.
  await fakeLlm.reset();
  await gotoApp(page, inWorkspace("/?tier=template&perPage=100&sort=conversation_id.asc"));
  const ids = await firstIds(dataRows(page).filter({ hasText: "Not generated" }), 3);
  for (const id of ids) await page.getByRole("checkbox", { name: `Select ${id}`, exact: true }).check();
  await page.getByRole("button", { name: "Generate Selected (3)" }).click();
  expect(await confirmGeneration(page)).toBe(3);
  await waitForRunEnd(page, { total: 3, succeeded: 3, failed: 0 });
  await review(page, ids[0], "Approve", "Warm and specific.");
  await review(page, ids[1], "Approve", "Good pacing.");
  await review(page, ids[2], "Reject", "Robotic tone and generic advice.");

  await gotoApp(page, inWorkspace("/templates/analytics"));
  const real = page.getByRole("region", { name: "Real model" });
  const row = real.getByRole("row").filter({ hasText: TEMPLATE_NAME });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("v1");
  await expect(row).toContainText("current");
  await expect(row.getByRole("cell").nth(2)).toHaveText("3");
  await expect(row).toContainText("67 %(2/3)");
  await expect(row).toContainText("robotic (1)");
  await expect(row).toContainText("generic (1)");
  await expect(page.getByRole("region", { name: "Simulated (not a language model)" })).toContainText("No simulated conversations in this view.");
  // Three reviews are below the minimum sample: still no recommendation, and it says how far off it is.
  await expect(recommendations).toContainText("the most any version has is 3");
  await expect(page.getByRole("region", { name: "Quality trend" })).toBeVisible();
  await page.getByText("Show the figures as a table").click();
  await expect(page.getByRole("table", { name: "Quality per day" }).getByRole("row")).toHaveCount(2);
  await screenshot(page, "template-analytics");

  // The CSV has the same figures, with the same filter.
  const csvLink = page.getByRole("link", { name: "Download CSV" });
  const href = await csvLink.getAttribute("href");
  expect(href).toMatch(/\/api\/w\/[^/]+\/templates\/analytics\.csv$/);
  const csv = await (await page.request.get(href!)).text();
  const [header, ...lines] = csv.trim().split("\n");
  expect(header).toBe("template_key,template_name,tier,version,current_version,model_kind,conversations_generated,average_quality,approved,rejected,approval_rate,top_rejection_words,last_generated_at");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^${TEMPLATE_KEY},${TEMPLATE_NAME.replace(/[()]/g, "\\$&")},template,1,yes,real,3,[0-9.]+,2,1,0\\.6667,`));

  // Filter by tier: the URL keeps it, and the Scenario tier has nothing yet.
  await page.getByRole("combobox", { name: "Tier" }).click();
  await page.getByRole("option", { name: "Scenario" }).click();
  await expect(page).toHaveURL(/\/templates\/analytics\?tier=scenario$/);
  await expect(page.getByText("No conversations generated from a template in this view yet.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Download CSV" })).toHaveAttribute("href", /analytics\.csv\?tier=scenario$/);

  await page.emulateMedia({ colorScheme: "dark" });
  await gotoApp(page, inWorkspace("/templates/analytics"));
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await screenshot(page, "template-analytics-dark");
  await page.emulateMedia({ colorScheme: "light" });
});

test("preview the exact prompt and test the template on the editor page", async ({ page, fakeLlm }) => {
  await gotoApp(page, inWorkspace(`/templates/${TEMPLATE_KEY}`));
  const preview = page.getByRole("region", { name: "Preview" });
  await expect(preview.getByLabel("System prompt sent")).not.toBeEmpty();
  const message = preview.getByLabel("User message sent");
  await expect(message).not.toBeEmpty();
  await expect(preview).toContainText("Sample #1:");
  await expect(preview).toContainText("gpt-5.6-luna");
  await expect(preview).toContainText("(counted with the o200k_base tokenizer)");
  await expect(preview).toContainText(/at most \$[0-9.]+ \(the prompt plus a full max_tokens reply\)/);

  // Shuffle: another sample, another message.
  const first = await message.textContent();
  await preview.getByRole("button", { name: "Shuffle" }).click();
  await expect(preview).toContainText("Sample #2:");
  await expect.poll(async () => (await message.textContent()) !== first).toBe(true);

  // A planned conversation: its id, persona, arc and topic in the list; the preview names it.
  await preview.getByRole("radio", { name: "A planned conversation" }).click();
  await expect(preview.getByRole("radio", { name: "A planned conversation" })).toBeChecked();
  await preview.getByRole("combobox", { name: "Conversation to preview with" }).click();
  await page.getByPlaceholder("Search by id, persona, arc or topic…").fill("tmpl-004");
  await page.getByRole("option", { name: /tmpl-004/ }).click();
  await expect(preview).toContainText("Parameters: tmpl-004");
  await screenshot(page, "template-preview");

  // Test Template: one request through the workspace's model (the fake LLM).
  await fakeLlm.reset();
  const testPanel = page.getByRole("region", { name: "Test" });
  await testPanel.getByRole("button", { name: "Test Template" }).click();
  const result = page.getByTestId("template-test-result");
  await expect(result).toContainText("Valid reply");
  await expect(result).toContainText(/Quality \d+\.\d\/10/);
  await expect(result.getByRole("list", { name: "Test conversation" }).getByRole("listitem")).toHaveCount(10);
  await expect(result.getByRole("table", { name: "Quality breakdown" })).toBeVisible();
  await expect(result).toContainText(/vs [0-9.]+ for v1 of "Emotional arc conversation \(default\)" over the last \d+ generated language-model conversations?\./);
  await expect(result).toContainText("Kept as this version's last test.");
  expect((await fakeLlm.stats()).byStatus[200]).toBe(1);
  await screenshot(page, "template-test");

  // A malformed reply: not usable, and the raw reply is kept on screen.
  await fakeLlm.enqueue("malformed");
  await testPanel.getByRole("button", { name: "Test Template" }).click();
  await expect(result).toContainText("Reply not usable");
  await expect(result.getByLabel("Raw reply")).toBeVisible();

  await page.emulateMedia({ colorScheme: "dark" });
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await screenshot(page, "template-preview-test-dark");
  await page.emulateMedia({ colorScheme: "light" });
});
