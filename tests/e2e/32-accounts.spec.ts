/**
 * Accounts and roles (issue 14 items 1–2, 7) as a business owner and their reviewer go through them:
 * - a fresh install (a server of its own) opens on the set-up page; the owner makes their account
 *   and lands in the app, signed in;
 * - without a session every page of the app redirects to sign-in (pages listed from src/app);
 * - a wrong password is refused in plain English;
 * - the owner invites a reviewer by link from the Members page; the reviewer makes an account
 *   from the link, sees the workspace with Generate disabled and the reason, can approve, and
 *   cannot manage members.
 * Screenshots of the set-up, sign-in, invitation, Members and Account pages, light and dark.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import { brightrunBesideApp, createSampleWorkspace, dialogWith, expect, gotoApp, inSample, screenshot, skipConversationsTour, test, toast } from "./support/fixtures";
import { startAppServer } from "./support/app-server";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SLUG = "team-review";
let inWorkspace: (url: string) => string = (url) => url;

// A workspace of its own with three generated conversations (the simulated provider), whatever ran before.
test.beforeAll(async () => {
  test.setTimeout(180_000);
  inWorkspace = await createSampleWorkspace(SLUG, "Team Review", "2/1/0");
  await brightrunBesideApp("generate", "--all", "--provider", "simulated", "--workspace", SLUG);
});

const SIGNED_OUT = { cookies: [], origins: [] };

/** Screenshots of the page in light and in dark mode (the system theme; the page is reloaded in dark so the theme script applies it from the start). */
async function lightAndDark(page: Page, name: string) {
  await screenshot(page, name);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await screenshot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: "light" });
  await page.reload();
  await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
}

/** Every page route of the app (src/app/**\/page.tsx) as a URL, its dynamic segments filled in. */
function everyPagePath(): string[] {
  const appDir = path.join(ROOT, "src/app");
  const fill: Record<string, string> = { "[slug]": "harbor-pine-sample", "[key]": "some-key", "[kind]": "personas", "[section]": "getting-started", "[token]": "inv_x" };
  return (fs.readdirSync(appDir, { recursive: true }) as string[])
    .filter((f) => f.endsWith(`page.tsx`))
    .map((f) => `/${path.dirname(f).split(path.sep).filter((s) => s !== ".").map((s) => fill[s] ?? s).join("/")}`.replace(/\/$/, "") || "/")
    .map((p) => (p === "" ? "/" : p));
}

test("a fresh install asks for the owner's account, then opens the app signed in", async ({ browser }) => {
  test.setTimeout(300_000);
  const fresh = await startAppServer({ owner: false, logFile: path.join(ROOT, "test-results/app-server-setup.log") });
  const context = await browser.newContext({ baseURL: fresh.baseURL, storageState: SIGNED_OUT });
  await skipConversationsTour(context); // spec 28 covers the tour
  try {
    const page = await context.newPage();
    await page.goto("/");
    await expect(page).toHaveURL(/\/setup$/);
    await expect(page.getByRole("heading", { name: "Welcome to Bright Run" })).toBeVisible();
    await lightAndDark(page, "accounts-setup");
    await page.getByLabel("Your name").fill("Fresh Owner");
    await page.getByLabel("E-mail").fill("fresh@example.com");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create the owner's account" }).click();
    // The browser's own check (minlength) or the server's: either way nothing is created.
    await expect(page).toHaveURL(/\/setup$/);
    await page.getByLabel("Password").fill("a long enough passphrase");
    await page.getByRole("button", { name: "Create the owner's account" }).click();
    await expect(page).toHaveURL(/\/w\/[^/]+\/?/, { timeout: 30_000 });
    await expect(page.getByRole("heading", { name: "Conversations" })).toBeVisible();
    await page.getByRole("button", { name: /^Account: Fresh Owner/ }).click();
    await expect(page.getByRole("menuitem", { name: "Sign out" })).toBeVisible();
    // The set-up is done once: it now sends people to sign in.
    await page.keyboard.press("Escape");
    const again = await context.request.get(`${fresh.baseURL}/setup`, { maxRedirects: 0 });
    expect(again.status()).toBe(307);
    expect(again.headers().location).toMatch(/\/sign-in$/);
  } finally {
    await context.close();
    await fresh.stop();
  }
});

test("without a session every page redirects to sign-in, and a wrong password is refused", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, storageState: SIGNED_OUT });
  try {
    const publicPages = ["/sign-in", "/setup", "/forgot-password", "/reset-password", "/invite/inv_x"];
    const pages = everyPagePath().filter((p) => !publicPages.includes(p));
    expect(pages.length).toBeGreaterThan(20);
    for (const url of pages) {
      const response = await context.request.get(url, { maxRedirects: 0 });
      expect(response.status(), url).toBe(307);
      expect(response.headers().location, url).toMatch(/\/sign-in(\?next=|$)/);
    }
    const api = await context.request.get(inSample("/api/runs/active"));
    expect(api.status()).toBe(401);

    const page = await context.newPage();
    await page.goto(inSample("/cost"));
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fw%2Fharbor-pine-sample%2Fcost/);
    await lightAndDark(page, "accounts-sign-in");
    await page.getByLabel("E-mail").fill("owner@e2e.example");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText(/do not match an account/);
  } finally {
    await context.close();
  }
});

test("the owner invites a reviewer, who can review and export but not generate or manage members", async ({ page, browser, baseURL }) => {
  test.setTimeout(180_000);
  await gotoApp(page, inWorkspace("/members"));
  await expect(page.getByRole("row", { name: /Olivia Owner/ })).toContainText("installation owner");
  await page.getByLabel("Role").selectOption("reviewer");
  await page.getByLabel(/^E-mail/).fill("riley@e2e.example");
  await page.getByRole("button", { name: "Create invitation link" }).click();
  const link = (await page.getByLabel("Invitation link").textContent())!.trim();
  expect(link).toMatch(/\/invite\/inv_/);
  await expect(page.getByRole("row", { name: /riley@e2e\.example/ })).toContainText("pending");
  await lightAndDark(page, "accounts-members");

  const context = await browser.newContext({ baseURL, storageState: SIGNED_OUT });
  await skipConversationsTour(context);
  try {
    const reviewer = await context.newPage();
    await reviewer.goto(link);
    await expect(reviewer.getByRole("heading", { name: /^Join / })).toBeVisible();
    await expect(reviewer.getByLabel("E-mail")).toHaveValue("riley@e2e.example");
    await lightAndDark(reviewer, "accounts-invitation");
    await reviewer.getByLabel("Your name").fill("Riley Reviewer");
    await reviewer.getByLabel("Password").fill("riley's passphrase");
    await reviewer.getByRole("button", { name: "Create my account and join" }).click();
    await expect(reviewer).toHaveURL(new RegExp(`/w/${SLUG}/?$`), { timeout: 30_000 });

    // The reviewer's view: Generate is disabled with the reason; Export is open to them.
    await expect(reviewer.getByRole("heading", { name: "Conversations" })).toBeVisible();
    await expect(reviewer.getByRole("button", { name: "Generate All" })).toBeDisabled();
    await expect(reviewer.getByRole("note").filter({ hasText: "A reviewer cannot generate conversations (it spends money)" })).toBeVisible();
    await expect(reviewer.getByRole("button", { name: "Export" })).toBeEnabled();
    await lightAndDark(reviewer, "accounts-reviewer-conversations");

    // Approving works: the generated conversations of the earlier specs, one selected and approved.
    await reviewer.goto(inWorkspace("/?status=generated&sort=conversation_id.asc"));
    const first = reviewer.getByRole("checkbox", { name: /^Select (?!all\b)/ }).first();
    await first.check();
    const bulk = reviewer.getByRole("toolbar", { name: "Bulk actions" });
    await expect(bulk.getByRole("button", { name: /^Generate Selected/ })).toBeDisabled();
    await expect(bulk.getByRole("button", { name: /^Delete Selected/ })).toBeDisabled();
    await bulk.getByRole("button", { name: /^Approve Selected/ }).click();
    await dialogWith(reviewer, "Approve 1 conversation?").getByRole("button", { name: "Approve 1 conversation" }).click();
    await expect(toast(reviewer, /approved/i)).toBeVisible();

    // Members: the list, without the owner's controls, and why.
    await reviewer.goto(inWorkspace("/members"));
    await expect(reviewer.getByText("A reviewer cannot manage members.")).toBeVisible();
    await expect(reviewer.getByRole("button", { name: "Create invitation link" })).toHaveCount(0);

    await reviewer.goto("/account");
    await expect(reviewer.getByRole("heading", { name: "Account" })).toBeVisible();
    await expect(reviewer.getByText("riley@e2e.example")).toBeVisible();
    await lightAndDark(reviewer, "accounts-account");
  } finally {
    await context.close();
  }
  // The owner sees the invitation used and the new member.
  await page.reload();
  await expect(page.getByRole("row", { name: /Riley Reviewer/ })).toContainText("reviewer");
});
