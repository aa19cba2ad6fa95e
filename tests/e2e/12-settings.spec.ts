/**
 * Issue 9, item 4 (the Settings page), in the suite's server: its provider comes from the
 * environment (BRIGHTRUN_PROVIDER=openai, OPENAI_API_KEY, OPENAI_BASE_URL = the fake LLM), so the page
 * says those fields are set by the environment; Test connection reaches the fake LLM and shows the
 * answer and its latency, and a refused key shows "401: …"; a bad rate limit is refused with what to
 * write. Saving a key encrypted is covered by tests/integration/model-settings.test.ts.
 */
import { expect, gotoApp, screenshot, test } from "./support/fixtures";

test("the Settings page shows what the environment sets, and Test connection reaches the model or says why not", async ({ page, fakeLlm }) => {
  await gotoApp(page, "/settings", { hydrated: "form button" });
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

  await page.getByRole("textbox", { name: "Rate limits (per minute)" }).fill("rpm=fast");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("form", { name: "Model settings" }).getByRole("alert")).toContainText('"rpm=fast", which is not a rate limit');
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "settings-dark");
  await page.emulateMedia({ colorScheme: "light" });
});
