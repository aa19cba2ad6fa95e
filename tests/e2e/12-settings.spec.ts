/**
 * Issue 9, item 4 (the Settings page), in the suite's server: its provider comes from the
 * environment (BRIGHTRUN_PROVIDER=openai, OPENAI_API_KEY, OPENAI_BASE_URL = the fake LLM), so the page
 * says those fields are set by the environment; Test connection reaches the fake LLM and shows the
 * answer and its latency, and a refused key shows "401: …"; Load models lists the fake LLM's models
 * in the Model field; a price and a retry setting are saved and still there after a reload; a bad
 * rate limit is refused with what to write. Saving a key encrypted, and what saved prices and retries
 * change in the engine, are covered by tests/integration/model-settings.test.ts.
 */
import { expect, gotoApp, reloadApp, screenshot, test } from "./support/fixtures";

test("the Settings page shows what the environment sets, and Test connection reaches the model or says why not", async ({ page, fakeLlm }) => {
  // The settings of the workspace "/" opens (the sample's, in the suite's server).
  await gotoApp(page, "/");
  const workspaceHome = new URL(page.url()).pathname;
  await gotoApp(page, `${workspaceHome}/settings`, { hydrated: "form button" });
  await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
  const inUse = page.getByRole("region", { name: "In use now" });
  await expect(inUse).toContainText("Generation uses openai");
  await expect(inUse).toContainText("BRIGHTRUN_PROVIDER=openai");
  await expect(page.getByText("Set by the environment (BRIGHTRUN_PROVIDER)")).toBeVisible();
  await expect(page.getByText("Set by the environment (OPENAI_API_KEY)")).toBeVisible();

  await page.getByRole("button", { name: /Test connection/ }).click();
  const result = page.getByRole("status").filter({ hasText: "Connected" });
  await expect(result).toContainText(/Connected: openai · .+ answered in [\d,]+ ms/, { timeout: 30_000 });
  await expect(result).toContainText("Answer:");
  await screenshot(page, "settings-connected");

  await fakeLlm.enqueue("auth_error");
  await page.getByRole("button", { name: /Test connection/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "401" })).toContainText(/401: .*rejected the API key/, { timeout: 30_000 });

  // Load models: the fake LLM's models endpoint, offered in the Model field.
  await page.getByRole("button", { name: "Load models" }).click();
  await expect(page.getByRole("status").filter({ hasText: "models from the provider" })).toContainText("3 models from the provider");
  await expect(page.locator("datalist option")).toHaveCount(3);
  await expect(page.locator("datalist option").first()).toHaveAttribute("value", "fake-model-large");

  // A price and a retry setting, saved and shown again after a reload.
  await page.getByRole("button", { name: "Add a model's price" }).click();
  await page.getByLabel("Model of price row 1").fill("local-model");
  await page.getByRole("spinbutton", { name: "Input price of local-model, USD per million tokens" }).fill("0.5");
  await page.getByRole("spinbutton", { name: "Output price of local-model, USD per million tokens" }).fill("1.5");
  await page.getByRole("spinbutton", { name: "Attempts", exact: true }).fill("4");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Settings saved")).toBeVisible();
  await reloadApp(page, { hydrated: "form button" });
  await expect(page.getByLabel("Model of price row 1")).toHaveValue("local-model");
  await expect(page.getByRole("spinbutton", { name: "Output price of local-model, USD per million tokens" })).toHaveValue("1.5");
  await expect(page.getByRole("spinbutton", { name: "Attempts", exact: true })).toHaveValue("4");
  await screenshot(page, "settings-prices-retries");
  // Put them back, so nothing after this spec sees them.
  await page.getByRole("button", { name: "Remove the price of local-model" }).click();
  await page.getByRole("spinbutton", { name: "Attempts", exact: true }).fill("");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("button", { name: "Save", exact: true })).toBeDisabled(); // nothing left unsaved

  await page.getByRole("textbox", { name: "Rate limits (per minute)" }).fill("rpm=fast");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("form", { name: "Model settings" }).getByRole("alert")).toContainText('"rpm=fast", which is not a rate limit');
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "settings-dark");
  await page.emulateMedia({ colorScheme: "light" });
});
