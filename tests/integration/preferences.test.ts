/**
 * A user's preferences (US14.1.1) end to end on a real database (PGlite, or PostgreSQL with
 * BRIGHTRUN_TEST_DB=postgres): the server actions save, validate and reset them through the one
 * guard, per user; a stored value that is no longer valid falls back to its default; and the
 * conversations page's rules apply the rows per page and the default filters only when the URL
 * has none of its own.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PREFERENCES, paramsWithRowsPerPage, queryWithDefaultFilters, type Preferences } from "../../src/lib/preferences";
import { parseConversationTableParams } from "../../src/lib/conversation-table-params";
import { getPreferencesAction, resetPreferencesAction, savePreferencesAction } from "../../src/server/actions/preferences";
import { localOwner, requireUser, runAsPrincipal, setProcessPrincipal } from "../../src/server/auth";
import type { DatabaseHandle } from "../../src/server/db/client";
import { userPreferences } from "../../src/server/db/schema";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";

const DATABASE_KEY = Symbol.for("brightrun.database");
let handle: DatabaseHandle;
let savedUser: string | undefined;

function unwrap<T>(result: { ok: true; data: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`action failed: ${result.error.code}: ${result.error.message}`);
  return result.data;
}

const CHANGED: Preferences = {
  rowsPerPage: 50,
  defaultFilters: { status: ["generated"], tier: ["template", "edge_case"] },
  toastSeconds: 12,
  density: "compact",
  theme: "dark",
  email: { runFinished: false, runFailed: true, dailySummary: true },
  shortcuts: { approve: { key: "y" }, openExport: { key: "x", mod: true } },
};

describe(`preferences (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    savedUser = process.env.BRIGHTRUN_USER;
    process.env.BRIGHTRUN_USER = "prefs-tester";
    handle = await createTestDatabase();
    (globalThis as Record<symbol, unknown>)[DATABASE_KEY] = Promise.resolve(handle);
    // The actions run as one person (the guard's seam for code outside a web request).
    setProcessPrincipal(localOwner("prefs-tester"));
  });

  afterAll(async () => {
    (globalThis as Record<symbol, unknown>)[DATABASE_KEY] = undefined;
    setProcessPrincipal(null);
    if (savedUser === undefined) delete process.env.BRIGHTRUN_USER;
    else process.env.BRIGHTRUN_USER = savedUser;
    await handle?.close();
  });

  it("starts from the defaults, saves every preference under the guard's user id, and reads them back", async () => {
    expect(unwrap(await getPreferencesAction())).toEqual(DEFAULT_PREFERENCES);
    expect(unwrap(await savePreferencesAction(CHANGED))).toEqual(CHANGED);
    expect(unwrap(await getPreferencesAction())).toEqual(CHANGED);
    const user = await requireUser("read");
    const [row] = await handle.db.select().from(userPreferences).where(eq(userPreferences.userId, user.id));
    expect(row.preferences).toEqual(CHANGED);
  });

  it("keeps each user's preferences apart", async () => {
    await runAsPrincipal(localOwner("someone-else"), async () => {
      expect(unwrap(await getPreferencesAction())).toEqual(DEFAULT_PREFERENCES);
    });
    expect(unwrap(await getPreferencesAction()).rowsPerPage).toBe(50);
  });

  it("refuses values it cannot use with a plain message, and stores nothing then", async () => {
    const refusals: Array<[Partial<Preferences> | Record<string, unknown>, RegExp]> = [
      [{ rowsPerPage: 30 }, /Rows per page must be one of 25, 50, 100/],
      [{ toastSeconds: 1 }, /at least 2 seconds/],
      [{ toastSeconds: 600 }, /at most 60 seconds/],
      [{ density: "tiny" }, /Density must be comfortable or compact/],
      [{ defaultFilters: { status: ["done"], tier: [] } }, /default status filter must be one of/],
      // R is already Reject: two shortcuts on one key are refused, naming both.
      [{ shortcuts: { approve: { key: "r" } } }, /R is already the key for "Reject \(with the notes typed so far\)".*cannot also be "Approve/],
      [{ shortcuts: { closePanel: { key: "q" } } }, /"closePanel" is not a keyboard shortcut that can be changed/],
      [{ shortcuts: { approve: { key: "Tab" } } }, /Tab cannot be a shortcut/],
    ];
    for (const [patch, message] of refusals) {
      const result = await savePreferencesAction({ ...CHANGED, ...patch } as Preferences);
      expect(result.ok, JSON.stringify(patch)).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe("invalid_input");
        expect(result.error.message).toMatch(message);
      }
    }
    expect(unwrap(await getPreferencesAction())).toEqual(CHANGED);
  });

  it("reads a stored value that is no longer valid as its default, keeping the valid ones", async () => {
    const user = await requireUser("read");
    await handle.db
      .update(userPreferences)
      .set({ preferences: { ...CHANGED, rowsPerPage: 30, density: "tiny", unknownKey: true } })
      .where(eq(userPreferences.userId, user.id));
    const read = unwrap(await getPreferencesAction());
    expect(read.rowsPerPage).toBe(DEFAULT_PREFERENCES.rowsPerPage);
    expect(read.density).toBe(DEFAULT_PREFERENCES.density);
    expect(read.toastSeconds).toBe(12);
    expect(read.shortcuts).toEqual(CHANGED.shortcuts);
  });

  it("Reset to defaults forgets them", async () => {
    expect(unwrap(await resetPreferencesAction())).toEqual(DEFAULT_PREFERENCES);
    expect(unwrap(await getPreferencesAction())).toEqual(DEFAULT_PREFERENCES);
    const user = await requireUser("read");
    expect(await handle.db.select().from(userPreferences).where(eq(userPreferences.userId, user.id))).toHaveLength(0);
  });

  it("the conversations page uses the rows per page and default filters only when the URL has none of its own", () => {
    // No filter in the URL: the defaults are added (the page redirects to them), other params kept.
    expect(queryWithDefaultFilters({ sort: "tier.asc" }, CHANGED)?.toString()).toBe("sort=tier.asc&status=generated&tier=template%2Cedge_case");
    // The URL's own filter, search, or defaults=off: used as it is.
    expect(queryWithDefaultFilters({ tier: "scenario" }, CHANGED)).toBeNull();
    expect(queryWithDefaultFilters({ q: "fees" }, CHANGED)).toBeNull();
    expect(queryWithDefaultFilters({ defaults: "off" }, CHANGED)).toBeNull();
    expect(queryWithDefaultFilters({}, DEFAULT_PREFERENCES)).toBeNull();
    // Rows per page: the URL's when it has one.
    expect(parseConversationTableParams(paramsWithRowsPerPage({}, CHANGED)).state.perPage).toBe(50);
    expect(parseConversationTableParams(paramsWithRowsPerPage({ perPage: "25" }, CHANGED)).state.perPage).toBe(25);
    const redirected = queryWithDefaultFilters({}, CHANGED)!;
    expect(parseConversationTableParams(Object.fromEntries(redirected)).state.filter).toEqual({ status: ["generated"], tier: ["template", "edge_case"] });
  });
});
