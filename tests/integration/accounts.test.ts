/**
 * Accounts and roles end to end on a real database (PGlite, or PostgreSQL with
 * BRIGHTRUN_TEST_DB=postgres): the set-up of the owner, sign-in through better-auth's HTTP
 * handler (cookie attributes, rate limit, per-account lockout), invitations and roles, and the one
 * guard refusing every server action and route handler without a session (401 / "unauthenticated")
 * and every mutating action to a viewer (403 / "forbidden"). docs/accounts.md.
 */
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPrincipal } from "../../src/cli/context";
import {
  acceptInvitation,
  createAccount,
  createInvitation,
  createOwnerAccount,
  createPersonalAccessToken,
  needsSetup,
  revokePersonalAccessToken,
} from "../../src/server/accounts/accounts";
import { getAuth } from "../../src/server/accounts/better-auth";
import { localOwner, requireUser, runAsPrincipal, setProcessPrincipal, type Principal } from "../../src/server/auth";
import type { DatabaseHandle } from "../../src/server/db/client";
import { authAccounts, emailMessages, users } from "../../src/server/db/schema";
import { saveSmtpSettings } from "../../src/server/email/smtp-settings";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const DATABASE_KEY = Symbol.for("brightrun.database");
const SLUG = "test-business";
const OWNER = { name: "Olivia Owner", email: "owner@example.com", password: "correct horse battery" };
const REVIEWER = { name: "Riley Reviewer", email: "reviewer@example.com", password: "reviewer passphrase 1" };
const VIEWER = { name: "Val Viewer", email: "viewer@example.com", password: "viewer passphrase 1" };

let handle: DatabaseHandle;
let workspaceId: string;
let ownerId: string;
let reviewer: Principal;
let viewer: Principal;

const principalOf = (row: { id: string; name: string; email: string }): Principal => ({ id: row.id, displayName: row.name, email: row.email, isInstallationOwner: false, kind: "account" });

/** A POST to better-auth's handler, as a browser on `ip` would send it. */
function authPost(pathname: string, body: unknown, ip = "203.0.113.7"): Promise<Response> {
  return getAuth(handle).handler(
    new Request(`http://localhost:3000/api/auth${pathname}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:3000", "x-forwarded-for": ip },
      body: JSON.stringify(body),
    }),
  );
}

describe(`accounts and roles (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    (globalThis as Record<symbol, unknown>)[DATABASE_KEY] = Promise.resolve(handle);
    workspaceId = (await createTestWorkspace(handle.db)).id;
  });

  afterAll(async () => {
    setProcessPrincipal(null);
    (globalThis as Record<symbol, unknown>)[DATABASE_KEY] = undefined;
    await handle?.close();
  });

  it("sets up the owner once: the password is stored as a scrypt hash, and a second set-up is refused", async () => {
    expect(await needsSetup(handle.db)).toBe(true);
    await expect(createOwnerAccount(handle, { ...OWNER, password: "short" })).rejects.toMatchObject({ code: "account_invalid", message: expect.stringMatching(/at least 10 characters/) });
    const owner = await createOwnerAccount(handle, OWNER);
    ownerId = owner.id;
    expect(await needsSetup(handle.db)).toBe(false);
    const [credential] = await handle.db.select().from(authAccounts).where(eq(authAccounts.userId, owner.id));
    expect(credential.providerId).toBe("credential");
    expect(credential.password).not.toContain(OWNER.password);
    expect(credential.password).toMatch(/^[0-9a-f]+:[0-9a-f]+$/); // better-auth's scrypt "salt:key"
    await expect(createOwnerAccount(handle, { ...REVIEWER })).rejects.toMatchObject({ code: "setup_done" });
    expect(await handle.db.select().from(users).where(eq(users.email, REVIEWER.email))).toHaveLength(0);
  });

  it("signs in through better-auth with an HttpOnly, SameSite session cookie whose session the guard reads", async () => {
    const response = await authPost("/sign-in/email", { email: OWNER.email, password: OWNER.password }, "198.51.100.1");
    expect(response.status).toBe(200);
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/brightrun\.session_token=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const session = await getAuth(handle).api.getSession({ headers: new Headers({ cookie: cookie.split(";")[0]! }) });
    expect(session?.user.email).toBe(OWNER.email);
  });

  it("locks an account after five wrong passwords, from any address, and says when to retry", async () => {
    const victim = await createAccount(handle, { name: "Lock Test", email: "lock@example.com", password: "the right password" });
    for (let i = 0; i < 5; i++) {
      const wrong = await authPost("/sign-in/email", { email: victim.email, password: `wrong guess ${i}` }, `192.0.2.${10 + i}`);
      expect(wrong.status).toBe(401);
    }
    // Even the right password is refused now, from a new address, with when to retry.
    const locked = await authPost("/sign-in/email", { email: victim.email, password: "the right password" }, "192.0.2.99");
    expect(locked.status).toBe(429);
    expect((await locked.json()).message).toMatch(/locked after too many failed sign-ins\. Try again at \d\d:\d\d UTC \(in 15 minutes\)/);
    // Another account is not affected.
    expect((await authPost("/sign-in/email", { email: OWNER.email, password: OWNER.password }, "192.0.2.100")).status).toBe(200);
  });

  it("rate-limits sign-in attempts from one address (better-auth's rule: 3 per 10 s) with a Retry-After", async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const response = await authPost("/sign-in/email", { email: `nobody${i}@example.com`, password: "whatever it is" }, "198.51.100.200");
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get("x-retry-after") ?? response.headers.get("retry-after");
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it("invites a reviewer and a viewer by link; each gets exactly their role's rights in that workspace", async () => {
    const owner = { ...principalOf({ id: ownerId, ...OWNER }), isInstallationOwner: true };
    const { token: reviewerToken } = await createInvitation(handle.db, { workspaceId, role: "reviewer", createdBy: owner.id });
    const { token: viewerToken } = await createInvitation(handle.db, { workspaceId, role: "viewer", email: VIEWER.email, createdBy: owner.id });
    const reviewerRow = await createAccount(handle, REVIEWER);
    const viewerRow = await createAccount(handle, VIEWER);
    await acceptInvitation(handle.db, reviewerToken, reviewerRow.id);
    await acceptInvitation(handle.db, viewerToken, viewerRow.id);
    await expect(acceptInvitation(handle.db, reviewerToken, viewerRow.id)).rejects.toMatchObject({ code: "invitation_not_found", message: expect.stringMatching(/already used/) });
    reviewer = principalOf(reviewerRow);
    viewer = principalOf(viewerRow);

    await runAsPrincipal(reviewer, async () => {
      await expect(requireUser("review", { workspaceId })).resolves.toMatchObject({ role: "reviewer" });
      await expect(requireUser("export", { workspaceId })).resolves.toMatchObject({ role: "reviewer" });
      await expect(requireUser("generate", { workspaceId })).rejects.toMatchObject({ code: "forbidden", message: "A reviewer cannot generate conversations (it spends money). Ask a workspace owner for the admin role." });
      await expect(requireUser("import", { workspaceId })).rejects.toMatchObject({ code: "forbidden" });
      await expect(requireUser("manage_members", { workspaceId })).rejects.toMatchObject({ code: "forbidden" });
    });
    await runAsPrincipal(viewer, async () => {
      await expect(requireUser("read", { workspaceId })).resolves.toMatchObject({ role: "viewer" });
      await expect(requireUser("review", { workspaceId })).rejects.toMatchObject({ code: "forbidden" });
      await expect(requireUser("export", { workspaceId })).rejects.toMatchObject({ code: "forbidden" });
    });
    const other = await createTestWorkspace(handle.db, "Other Business");
    await runAsPrincipal(reviewer, async () => {
      await expect(requireUser("read", { workspaceId: other.id })).rejects.toMatchObject({ code: "forbidden", message: expect.stringMatching(/not a member of this workspace/) });
    });
    await runAsPrincipal(owner, async () => {
      await expect(requireUser("manage_members", { workspaceId: other.id })).resolves.toMatchObject({ role: "owner" });
    });
  });

  it("gives the CLI the account of BRIGHTRUN_TOKEN; a revoked token is refused; on PostgreSQL with accounts the CLI needs a token", async () => {
    const { token, view } = await createPersonalAccessToken(handle.db, reviewer.id, "laptop CLI");
    expect(view.hint).toBe(`brt_…${token.slice(-4)}`);
    expect(await cliPrincipal(handle, token)).toMatchObject({ id: reviewer.id, kind: "account", isInstallationOwner: false });
    await revokePersonalAccessToken(handle.db, reviewer.id, view.id);
    await expect(cliPrincipal(handle, token)).rejects.toMatchObject({ code: "token_invalid", message: expect.stringMatching(/Account page/) });
    if (handle.kind === "pglite") expect(await cliPrincipal(handle, undefined)).toMatchObject({ kind: "local", isInstallationOwner: true });
    else await expect(cliPrincipal(handle, undefined)).rejects.toMatchObject({ code: "unauthenticated", message: expect.stringMatching(/BRIGHTRUN_TOKEN/) });
  });

  describe("every server action and route handler", () => {
    const actionsDir = path.resolve(__dirname, "../../src/server/actions");
    /** Actions anyone may call: they make the account that signs in (set-up, invitations). */
    const PUBLIC_ACTIONS = new Set(["setupOwnerAction", "acceptInvitationAction"]);
    /** Actions that change nothing (reads for the page's client components, permission "read"): a viewer may call them. */
    const READ_ACTIONS = new Set(["getPreviewPositionAction", "listScenarioConversationsAction", "listScenarioChoicesAction", "listPreviewConversationsAction", "previewTemplateDraftAction"]);
    /** Actions on one's own account (tokens, sessions, preferences): any signed-in person may call them. */
    const SELF_ACTIONS = new Set(["createTokenAction", "revokeTokenAction", "signOutEverywhereAction", "getPreferencesAction", "savePreferencesAction", "resetPreferencesAction"]);

    async function everyAction(): Promise<{ name: string; fn: (...args: unknown[]) => Promise<unknown> }[]> {
      const found: { name: string; fn: (...args: unknown[]) => Promise<unknown> }[] = [];
      for (const file of fs.readdirSync(actionsDir).filter((f) => f.endsWith(".ts") && f !== "action-result.ts")) {
        const source = fs.readFileSync(path.join(actionsDir, file), "utf8");
        if (!source.startsWith('"use server"')) continue;
        const exported = (await import(path.join(actionsDir, file))) as Record<string, unknown>;
        for (const [name, fn] of Object.entries(exported)) if (typeof fn === "function") found.push({ name, fn: fn as never });
      }
      return found;
    }

    /** The outcome code of an action called with plausible arguments: its ActionResult's error code, or a thrown AppError's. */
    async function outcome(fn: (...args: unknown[]) => Promise<unknown>): Promise<string> {
      try {
        const result = (await fn(SLUG, {}, {})) as { ok: boolean; error?: { code: string } };
        return result?.ok === false ? result.error!.code : "ok";
      } catch (error) {
        return (error as { code?: string }).code ?? "threw";
      }
    }

    it("refuses every server action without a session ('unauthenticated'), the public two aside", async () => {
      setProcessPrincipal(null);
      const actions = await everyAction();
      expect(actions.length).toBeGreaterThan(40);
      const wrong: string[] = [];
      for (const { name, fn } of actions) {
        if (PUBLIC_ACTIONS.has(name)) continue;
        const code = await outcome(fn);
        if (code !== "unauthenticated") wrong.push(`${name} → ${code}`);
      }
      expect(wrong).toEqual([]);
    });

    it("refuses every mutating server action to a viewer ('forbidden'), and lets them read", async () => {
      const actions = await everyAction();
      const wrong: string[] = [];
      await runAsPrincipal(viewer, async () => {
        for (const { name, fn } of actions) {
          if (PUBLIC_ACTIONS.has(name) || SELF_ACTIONS.has(name)) continue;
          const code = await outcome(fn);
          const readOnly = READ_ACTIONS.has(name);
          if (readOnly ? code === "forbidden" : code !== "forbidden") wrong.push(`${name} → ${code}`);
        }
      });
      expect(wrong).toEqual([]);
    });

    it("lets a reviewer review and export but refuses them generating and settings", async () => {
      const { reviewConversationsAction } = await import("../../src/server/actions/review");
      const { startGenerationAction } = await import("../../src/server/actions/generation");
      const { saveModelSettingsAction } = await import("../../src/server/actions/settings");
      const { saveRetentionSettingsAction } = await import("../../src/server/actions/workspaces");
      await runAsPrincipal(reviewer, async () => {
        const reviewed = await reviewConversationsAction(SLUG, { target: { ids: ["tmpl-001"] }, action: "approve" });
        // Allowed: it gets past the guard (the test workspace has no such conversation).
        expect(reviewed.ok ? "ok" : reviewed.error.code).not.toBe("forbidden");
        const generated = await startGenerationAction(SLUG, { scope: { all: true } } as never);
        expect(generated).toMatchObject({ ok: false, error: { code: "forbidden", message: expect.stringMatching(/A reviewer cannot generate/) } });
        expect(await saveModelSettingsAction(SLUG, {} as never)).toMatchObject({ ok: false, error: { code: "forbidden" } });
        expect(await saveRetentionSettingsAction(SLUG, {} as never)).toMatchObject({ ok: false, error: { code: "forbidden" } });
      });
    });

    it("answers 403 to a viewer from the routes that change data or export", async () => {
      const importRoute = await import("../../src/app/api/w/[slug]/documents/import/route");
      const previewRoute = await import("../../src/app/api/w/[slug]/documents/preview/route");
      const downloadRoute = await import("../../src/app/api/w/[slug]/export-downloads/[exportId]/route");
      const csvRoute = await import("../../src/app/api/w/[slug]/audit/generation.csv/route");
      const params = (extra: Record<string, string> = {}) => ({ params: Promise.resolve({ slug: SLUG, ...extra }) });
      await runAsPrincipal(viewer, async () => {
        expect((await importRoute.POST(new Request("http://localhost/x", { method: "POST", body: "{}" }), params())).status).toBe(403);
        expect((await previewRoute.POST(new Request("http://localhost/x", { method: "POST", body: "{}" }), params())).status).toBe(403);
        expect((await downloadRoute.GET(new Request("http://localhost/x"), params({ exportId: "x" }) as never)).status).toBe(403);
        // Reading the audit trail is a viewer's right.
        expect((await csvRoute.GET(new Request("http://localhost/x"), params() as never)).status).toBe(200);
      });
    });

    it("answers 401 from every route handler without a session (better-auth's own endpoints aside)", async () => {
      setProcessPrincipal(null);
      const apiDir = path.resolve(__dirname, "../../src/app/api");
      const routes = (fs.readdirSync(apiDir, { recursive: true }) as string[]).filter((f) => f.endsWith("route.ts") && !f.startsWith(`auth${path.sep}`));
      expect(routes.length).toBeGreaterThan(15);
      const wrong: string[] = [];
      const id = "7d0b7c2e-6a5b-4a8e-9a44-0a0d3f2f9c11";
      for (const file of routes) {
        const exported = (await import(path.join(apiDir, file))) as Record<string, unknown>;
        for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
          const handler = exported[method] as ((request: Request, context: unknown) => Promise<Response>) | undefined;
          if (!handler) continue;
          const params = Promise.resolve({ slug: SLUG, id, conversationId: "tmpl-001", exportId: "x", key: "doc", name: "conversations" });
          const response = await handler(new Request(`http://localhost/api/${file}`, { method, ...(method === "GET" ? {} : { body: "{}" }) }), { params });
          if (response.status !== 401) wrong.push(`${method} ${file} → ${response.status}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  });

  it("resets a forgotten password by e-mail: the link's token sets a new password, the old one stops working", async () => {
    // Without a mail server nothing is queued (the answer is the same either way, so it tells nobody which addresses have accounts).
    const unsent = await authPost("/request-password-reset", { email: REVIEWER.email, redirectTo: "/reset-password" }, "198.51.100.50");
    expect(unsent.status).toBe(200);
    expect(await handle.db.select().from(emailMessages)).toHaveLength(0);

    await saveSmtpSettings(handle.db, { host: "127.0.0.1", port: 2525, security: "none", username: null, password: { action: "keep" }, fromAddress: "brightrun@example.com" }, { id: ownerId, displayName: OWNER.name });
    const asked = await authPost("/request-password-reset", { email: REVIEWER.email, redirectTo: "/reset-password" }, "198.51.100.51");
    expect(asked.status).toBe(200);
    const [message] = await handle.db.select().from(emailMessages).where(eq(emailMessages.kind, "password_reset"));
    expect(message).toMatchObject({ toAddress: REVIEWER.email, subject: "Reset your Bright Run password", status: "queued" });
    const token = /\/reset-password\/([A-Za-z0-9_-]+)\?callbackURL=%2Freset-password/.exec(message!.textBody)?.[1];
    expect(token).toBeTruthy();

    expect((await authPost("/reset-password", { newPassword: "a brand new passphrase", token }, "198.51.100.52")).status).toBe(200);
    expect((await authPost("/sign-in/email", { email: REVIEWER.email, password: REVIEWER.password }, "198.51.100.53")).status).toBe(401);
    expect((await authPost("/sign-in/email", { email: REVIEWER.email, password: "a brand new passphrase" }, "198.51.100.54")).status).toBe(200);
    // The link works once.
    expect((await authPost("/reset-password", { newPassword: "yet another passphrase", token }, "198.51.100.55")).status).toBe(400);
  });

  it("lets the local owner (the CLI on the embedded database) do everything", async () => {
    await runAsPrincipal(localOwner("cli-user"), async () => {
      await expect(requireUser("manage_members", { workspaceId })).resolves.toMatchObject({ id: "local:cli-user", role: "owner" });
    });
  });
});
