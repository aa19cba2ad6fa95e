/**
 * The settings audit (US14.1.2; issue 14 item 2) on a real database: saving the model settings with
 * an API key writes a row with the key masked ("sk-…abcd"), never the key; only settings that
 * changed are written; retention and the monthly budget are audited too; the history reads newest
 * first, paged; the table refuses UPDATE and DELETE (its trigger).
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setMonthlyBudget } from "../../src/server/cost";
import type { DatabaseHandle } from "../../src/server/db/client";
import { settingsAudit } from "../../src/server/db/schema";
import { saveModelSettings } from "../../src/server/settings/model-settings";
import { loadSettingsHistory } from "../../src/server/settings/settings-audit";
import { setRetentionSettings } from "../../src/server/workspaces";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const ALICE = { id: "user-alice", displayName: "Alice Admin" };
const KEY = "sk-test-9f8e7d6c5b4a3210abcd";
const NEW_KEY = "sk-test-0000111122223333wxyz";
const env = { BRIGHTRUN_SECRET_KEY: "a".repeat(64) };
let handle: DatabaseHandle;
let workspaceId: string;
let slug: string;

describe(`settings audit (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    const ws = await createTestWorkspace(handle.db);
    workspaceId = ws.id;
    slug = ws.slug;
  });
  afterAll(async () => {
    await handle.close();
  });

  it("records a change of the API key masked, never the key itself, and only the settings that changed", async () => {
    const base = { provider: "openai" as const, baseUrl: null, model: "gpt-5.6-luna", concurrency: 4, rateLimits: null };
    await saveModelSettings(handle.db, workspaceId, { ...base, apiKey: { action: "replace", value: KEY } }, ALICE, env);
    let rows = await handle.db.select().from(settingsAudit).where(eq(settingsAudit.workspaceId, workspaceId));
    expect(rows.find((r) => r.setting === "model.apiKey")).toMatchObject({ userId: ALICE.id, userName: ALICE.displayName, oldValue: "(not set)", newValue: "sk-…abcd" });
    expect(rows.find((r) => r.setting === "model.concurrency")).toMatchObject({ oldValue: null, newValue: "4" });
    expect(JSON.stringify(rows)).not.toContain(KEY);

    // Same values, key kept: nothing new.
    await saveModelSettings(handle.db, workspaceId, { ...base, apiKey: { action: "keep" } }, ALICE, env);
    expect(await handle.db.select().from(settingsAudit).where(eq(settingsAudit.workspaceId, workspaceId))).toHaveLength(rows.length);

    await saveModelSettings(handle.db, workspaceId, { ...base, concurrency: 8, apiKey: { action: "replace", value: NEW_KEY } }, ALICE, env);
    rows = await handle.db.select().from(settingsAudit).where(eq(settingsAudit.workspaceId, workspaceId));
    const keyRows = rows.filter((r) => r.setting === "model.apiKey");
    expect(keyRows.map((r) => [r.oldValue, r.newValue])).toContainEqual(["sk-…abcd", "sk-…wxyz"]);
    expect(rows.filter((r) => r.setting === "model.concurrency").map((r) => [r.oldValue, r.newValue])).toContainEqual(["4", "8"]);
    expect(JSON.stringify(rows)).not.toContain(NEW_KEY);
  });

  it("records retention and monthly budget changes, and reads the history newest first, paged", async () => {
    await setRetentionSettings(handle.db, slug, { generationLogRetentionDays: 30, exportRetentionDays: 365, payloadRetentionDays: null, redactPii: true }, ALICE);
    await setMonthlyBudget(handle.db, { workspaceId, budgetUsd: 200, user: ALICE });
    const first = await loadSettingsHistory(handle.db, { workspaceId, page: 1, perPage: 2 });
    expect(first.entries.map((e) => [e.setting, e.oldValue, e.newValue])).toEqual([["cost.monthlyBudgetUsd", null, "200"], expect.anything()]);
    expect(first.entries[0]).toMatchObject({ label: "Cost: monthly budget (USD)", userName: ALICE.displayName });
    const all = await loadSettingsHistory(handle.db, { workspaceId, page: 1, perPage: 100 });
    expect(all.entries.filter((e) => e.setting.startsWith("retention.")).map((e) => [e.setting, e.oldValue, e.newValue])).toEqual(
      expect.arrayContaining([
        ["retention.generationLogRetentionDays", "90", "30"],
        ["retention.redactPii", "false", "true"],
      ]),
    );
    expect(first.total).toBe(all.entries.length);
    const second = await loadSettingsHistory(handle.db, { workspaceId, page: 2, perPage: 2 });
    expect(second.entries[0].id).toBe(all.entries[2].id);
  });

  it("refuses to change or delete a row of the audit", async () => {
    await expect(handle.db.execute(sql`update settings_audit set new_value = 'forged'`)).rejects.toThrow();
    await expect(handle.db.execute(sql`delete from settings_audit`)).rejects.toThrow();
    const rows = await handle.db.select().from(settingsAudit);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.newValue === "forged")).toBe(false);
  });
});
