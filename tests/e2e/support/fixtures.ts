/**
 * The browser tests' `test` and `expect`, with the app server's address as `baseURL`, the fake LLM
 * control as `fakeLlm`, and small helpers that find things the way a user does (roles and
 * accessible names; see docs/browser-tests.md).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test as base, expect, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { CONVERSATIONS_TOUR_DONE_KEY } from "../../../src/lib/conversations-tour";
import { cleanAppEnv, runBrightrunAsync } from "../../support/app-process";
import { FakeLlmControl } from "./fake-llm-control";

export { expect };

/** Marks the conversations page's tour as taken in every page of `context` (src/lib/conversations-tour.ts). */
export async function skipConversationsTour(context: BrowserContext): Promise<void> {
  await context.addInitScript((key) => window.localStorage.setItem(key, "skipped by the browser tests"), CONVERSATIONS_TOUR_DONE_KEY);
}

// The fixture callback is named `provide`, not Playwright's usual `use`, so React's hook lint rule leaves it alone.
export const test = base.extend<{ fakeLlm: FakeLlmControl }>({
  // The conversations page's first-visit tour would cover what every other spec clicks: it is
  // marked as taken in each test's browser (spec 28 opens a browser context of its own to see it).
  context: async ({ context }, provide) => {
    await skipConversationsTour(context);
    await provide(context);
  },
  // global-setup.ts starts the server and puts its address in the environment the workers inherit.
  baseURL: async ({}, provide) => {
    const url = process.env.BRIGHTRUN_E2E_BASE_URL;
    if (!url) throw new Error("BRIGHTRUN_E2E_BASE_URL is not set: run the suite through playwright.config.ts, whose globalSetup starts the app.");
    await provide(url);
  },
  fakeLlm: async ({}, provide) => {
    const url = process.env.BRIGHTRUN_E2E_FAKE_LLM_CONTROL;
    if (!url) throw new Error("BRIGHTRUN_E2E_FAKE_LLM_CONTROL is not set: this test needs the fake LLM started by global-setup.ts.");
    const control = new FakeLlmControl(url);
    await provide(control);
    // Nothing queued by one test may answer another test's requests.
    await control.reset();
    await control.setDefault("ok");
  },
});

/**
 * Opens `url` and waits until React has hydrated the page: the server-rendered HTML shows buttons
 * before their handlers are attached, and a click in that window is lost (a test would then wait
 * for a dialog that never opens). Hydration is seen on the page's <h1>: React sets its
 * `__reactProps$…` key on every element it hydrates (the dashboard's <h1> is in the same client
 * tree as the table, filters and dialogs).
 */
export async function gotoApp(page: Page, url: string, options: { hydrated?: string } = {}): Promise<void> {
  await page.goto(inSample(url));
  await waitForHydration(page, options.hydrated);
}

/** The slug of the sample workspace the server loads on its first start (src/server/workspaces.ts). */
export const SAMPLE_SLUG = "harbor-pine-sample";

/**
 * A page of the sample workspace by its path inside the workspace: "/" and "/?status=…" are its
 * conversations, "/documents" its Documents page, "/api/…" its API. Paths already under `/w/` or
 * `/api/w/`, and the installation's user guide (`/guide…`), are left as they are.
 */
export function inSample(url: string): string {
  if (!url.startsWith("/") || url.startsWith("/w/") || url.startsWith("/api/w/") || url === "/guide" || url.startsWith("/guide/")) return url;
  if (url.startsWith("/api/")) return `/api/w/${SAMPLE_SLUG}/${url.slice("/api/".length)}`;
  return url === "/" || url.startsWith("/?") ? `/w/${SAMPLE_SLUG}${url.slice(1)}` : `/w/${SAMPLE_SLUG}${url}`;
}

/** Reloads the page and waits for hydration (see gotoApp). */
export async function reloadApp(page: Page, options: { hydrated?: string } = {}): Promise<void> {
  await page.reload();
  await waitForHydration(page, options.hydrated);
}

/** Waits until React has hydrated `selector` (default the page's <h1>; a page whose <h1> is server-only names one of its client elements). */
async function waitForHydration(page: Page, selector = "main h1"): Promise<void> {
  await page.waitForFunction((target) => {
    const element = document.querySelector(target);
    return element !== null && Object.keys(element).some((key) => key.startsWith("__reactProps$"));
  }, selector);
}

/** Where the screenshots of the main screens go (an artifact of the run; test-results/ is gitignored). */
export const SCREENSHOT_DIR = fileURLToPath(new URL("../../../test-results/screenshots", import.meta.url));

/**
 * Saves a screenshot as test-results/screenshots/<name>.png: the full page, or with
 * `{ overlay: true }` (an open dialog or side panel) the viewport, because fixed overlays are
 * only one viewport tall and a full-page capture shows them cut off above the page's rest.
 */
export async function screenshot(page: Page, name: string, options: { overlay?: boolean } = {}): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: !options.overlay });
}

/** The table's data rows: the rows with a "Select <id>" checkbox (not the header's "Select all on this page"). */
export function dataRows(page: Page): Locator {
  return page.getByRole("row").filter({ has: page.getByRole("checkbox", { name: /^Select (?!all\b)/ }) });
}

/** The table row of one conversation. */
export function rowFor(page: Page, conversationId: string): Locator {
  return page.getByRole("row").filter({ has: page.getByRole("checkbox", { name: `Select ${conversationId}`, exact: true }) });
}

/** The conversation id of a row, from its "Select <id>" checkbox. */
export async function rowId(row: Locator): Promise<string> {
  const label = (await row.getByRole("checkbox").first().getAttribute("aria-label")) ?? "";
  const id = /^Select (\S+)$/.exec(label)?.[1];
  if (!id) throw new Error(`No "Select <id>" checkbox in the row "${((await row.textContent()) ?? "").slice(0, 200)}"`);
  return id;
}

/** Ids of the first `count` rows of `rows` (fails when there are fewer). */
export async function firstIds(rows: Locator, count: number): Promise<string[]> {
  await expect(rows.nth(count - 1)).toBeVisible();
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) ids.push(await rowId(rows.nth(index)));
  return ids;
}

/** "Generated" as a status, not the end of "Not generated". */
export const GENERATED = /(?<!not )generated/i;

/** A toast (sonner) containing `text`. */
export function toast(page: Page, text: string | RegExp): Locator {
  return page.locator("[data-sonner-toast]").filter({ hasText: text });
}

/** The open confirmation dialog (role alertdialog or dialog) whose text matches `text`. */
export function dialogWith(page: Page, text: string | RegExp): Locator {
  return page.getByRole("alertdialog").or(page.getByRole("dialog")).filter({ hasText: text });
}

const GENERATE_TITLE = /Generate (\d+) conversations?\?/;

/**
 * Goes through the generate confirmation: checks the title and that an estimate in USD is shown,
 * optionally sets the spending limit, ticks "I have reviewed the estimate" and clicks "Start
 * generation". Returns N from the title "Generate N conversations?".
 */
export async function confirmGeneration(page: Page, options: { spendingLimitUsd?: number; concurrency?: number; screenshotName?: string } = {}): Promise<number> {
  const dialog = dialogWith(page, GENERATE_TITLE);
  await expect(dialog).toBeVisible();
  const title = (await dialog.textContent()) ?? "";
  const count = Number(GENERATE_TITLE.exec(title)?.[1]);
  // The estimate: a cost in USD.
  await expect(dialog).toContainText(/\$\s?\d/);
  if (options.spendingLimitUsd !== undefined) await dialog.getByLabel("Spending limit (USD)").fill(String(options.spendingLimitUsd));
  if (options.concurrency !== undefined) await dialog.getByLabel("Requests to the model at the same time").fill(String(options.concurrency));
  await dialog.getByRole("checkbox", { name: "I have reviewed the estimate" }).check();
  if (options.screenshotName) await screenshot(page, options.screenshotName, { overlay: true });
  await dialog.getByRole("button", { name: "Start generation" }).click();
  await expect(dialog).toBeHidden();
  return count;
}

/** The "Generation progress" region. */
export function progressRegion(page: Page): Locator {
  return page.getByRole("region", { name: "Generation progress" });
}

/**
 * Waits for the progress panel to show "total of total – 100%" and "succeeded succeeded, failed
 * failed", expanding it with "View progress" when it is collapsed. Returns the panel.
 */
export async function waitForRunEnd(page: Page, expected: { total: number; succeeded: number; failed: number }, timeoutMs = 90_000): Promise<Locator> {
  const progress = progressRegion(page);
  await expect(progress).toBeVisible({ timeout: timeoutMs });
  await expandProgress(page);
  await expect(progress).toContainText(`${expected.total} of ${expected.total} – 100%`, { timeout: timeoutMs });
  await expect(progress).toContainText(`${expected.succeeded} succeeded, ${expected.failed} failed`, { timeout: timeoutMs });
  return progress;
}

/** Expands the progress panel when it shows only its banner. */
export async function expandProgress(page: Page): Promise<void> {
  const viewProgress = progressRegion(page).getByRole("button", { name: "View progress" });
  if (await viewProgress.isVisible()) await viewProgress.click();
  await expect(progressRegion(page).getByRole("button", { name: "Hide progress" })).toBeVisible();
}

/** The Documents page's file input (its accessible name), also the element to wait on for hydration. */
export const UPLOADER = 'input[aria-label="Choose documents to upload"]';

/** The Documents page's stored-document count: "Stored documents 12 documents, 40 chunks" → 12. */
export async function storedDocumentCount(page: Page): Promise<number> {
  const heading = page.getByRole("heading", { name: /Stored documents/ });
  await expect(heading).toBeVisible();
  const match = /(\d+) documents?/.exec((await heading.textContent()) ?? "");
  return Number(match?.[1] ?? 0);
}

const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/**
 * Runs `brightrun ARGS…` beside the app server (on its data directory, as reviewer "e2e-reviewer"),
 * from the repository root, and fails the test unless it exits 0.
 */
export async function brightrunBesideApp(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const dataDir = process.env.BRIGHTRUN_E2E_DATA_DIR;
  if (!dataDir) throw new Error("BRIGHTRUN_E2E_DATA_DIR is not set: run the suite through playwright.config.ts, whose globalSetup starts the app.");
  const result = await runBrightrunAsync(args, { cwd: REPO_ROOT, env: cleanAppEnv({ BRIGHTRUN_DATA_DIR: dataDir, BRIGHTRUN_USER: "e2e-reviewer" }) });
  expect(result.code, `brightrun ${args.join(" ")}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

/**
 * A workspace of a spec's own: created with the CLI, the sample business imported into it, and
 * `split` (e.g. "6/2/1") planned, so the spec's figures start from nothing whatever ran before it.
 * @returns `inWorkspace(url)`: a path inside it ("/" and "/?…" are its conversations)
 */
export async function createSampleWorkspace(slug: string, name: string, split: string): Promise<(url: string) => string> {
  await brightrunBesideApp("workspaces", "create", name, "--slug", slug);
  await brightrunBesideApp("import", path.join(REPO_ROOT, "examples/financial-planning"), "--workspace", slug);
  await brightrunBesideApp("plan", "--split", split, "--workspace", slug);
  return (url: string) => `/w/${slug}${url === "/" || url.startsWith("/?") ? url.slice(1) : url}`;
}
