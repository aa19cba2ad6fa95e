import path from "node:path";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPath } from "../../src/core/import/import-workspace";
import { createPlan } from "../../src/core/planning/create-plan";
import type { DatabaseHandle } from "../../src/server/db/client";
import { listGenerationErrorCodes, listGenerationErrors } from "../../src/server/db/queries/error-log";
import { conversations, generationLogs, personas } from "../../src/server/db/schema";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
let handle: DatabaseHandle;
let workspaceId: string;
/** conversations.id by human id. */
const uuidOf = new Map<string, string>();

/** Newest first: minutes ago, human id, code, message. */
const FAILURES: Array<[minutesAgo: number, conversation: string, code: string | null]> = [
  [1, "tmpl-001", "rate_limited"],
  [2, "scen-001", "malformed_response"],
  [3, "edge-001", "authentication_failed"],
  [4, "tmpl-002", "rate_limited"],
  [5, "tmpl-002", null], // a successful call: never in the log
  [60 * 48, "scen-002", "timeout"],
  [60 * 49, "edge-002", "invalid_request"],
];
const NOW = Date.now();

describe(`error log query (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 3, scenario: 3, edge_case: 3 } });
    const rows = await handle.db
      .select({ id: conversations.id, conversationId: conversations.conversationId })
      .from(conversations)
      .where(inArray(conversations.conversationId, [...new Set(FAILURES.map((f) => f[1]))]));
    for (const row of rows) uuidOf.set(row.conversationId, row.id);
    expect(uuidOf.size).toBe(6);
    for (const [minutesAgo, conversation, code] of FAILURES) {
      await handle.db.insert(generationLogs).values({
        workspaceId,
        conversationId: uuidOf.get(conversation)!,
        provider: "anthropic",
        model: "claude-sonnet-4-5",
        requestPayload: {},
        durationMs: 120,
        errorCode: code,
        errorMessage: code ? `Failed with ${code}.` : null,
        userId: "local:test",
        createdAt: new Date(NOW - minutesAgo * 60_000),
      });
    }
  });
  afterAll(async () => {
    await handle?.close();
  });

  const conversationsOf = (page: { rows: Array<{ conversationId: string | null }> }) => page.rows.map((r) => r.conversationId);

  it("lists only failed calls, newest first, with the conversation's tier and persona name and the total", async () => {
    const page = await listGenerationErrors({ db: handle.db, workspaceId, filter: {}, page: 1, perPage: 25 });
    expect(page.total).toBe(6);
    expect(conversationsOf(page)).toEqual(["tmpl-001", "scen-001", "edge-001", "tmpl-002", "scen-002", "edge-002"]);
    const first = page.rows[0];
    const [conversation] = await handle.db.select().from(conversations).where(eq(conversations.conversationId, "tmpl-001"));
    const [persona] = await handle.db.select().from(personas).where(eq(personas.key, conversation.persona));
    expect(first).toMatchObject({
      tier: "template",
      personaName: persona.name,
      errorCode: "rate_limited",
      errorMessage: "Failed with rate_limited.",
      retryable: true,
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      runId: null,
      durationMs: 120,
    });
    expect(first.createdAt).toBeInstanceOf(Date);
  });

  it("pages without gaps or repeats and keeps the total on every page", async () => {
    const first = await listGenerationErrors({ db: handle.db, workspaceId, filter: {}, page: 1, perPage: 4 });
    const second = await listGenerationErrors({ db: handle.db, workspaceId, filter: {}, page: 2, perPage: 4 });
    expect(first.total).toBe(6);
    expect(second.total).toBe(6);
    expect(conversationsOf(first)).toEqual(["tmpl-001", "scen-001", "edge-001", "tmpl-002"]);
    expect(conversationsOf(second)).toEqual(["scen-002", "edge-002"]);
    const past = await listGenerationErrors({ db: handle.db, workspaceId, filter: {}, page: 9, perPage: 4 });
    expect(past).toMatchObject({ rows: [], total: 6 });
  });

  it("narrows by code, tier, retryable and since, ANDed together", async () => {
    const byCode = await listGenerationErrors({ db: handle.db, workspaceId, filter: { code: ["rate_limited", "timeout"] }, page: 1, perPage: 25 });
    expect(conversationsOf(byCode)).toEqual(["tmpl-001", "tmpl-002", "scen-002"]);
    expect(byCode.total).toBe(3);

    const byTier = await listGenerationErrors({ db: handle.db, workspaceId, filter: { tier: ["edge_case"] }, page: 1, perPage: 25 });
    expect(conversationsOf(byTier)).toEqual(["edge-001", "edge-002"]);
    expect(byTier.total).toBe(2);

    const temporary = await listGenerationErrors({ db: handle.db, workspaceId, filter: { retryable: true }, page: 1, perPage: 25 });
    expect(conversationsOf(temporary)).toEqual(["tmpl-001", "scen-001", "tmpl-002", "scen-002"]);
    expect(temporary.rows.every((r) => r.retryable)).toBe(true);
    const permanent = await listGenerationErrors({ db: handle.db, workspaceId, filter: { retryable: false }, page: 1, perPage: 25 });
    expect(conversationsOf(permanent)).toEqual(["edge-001", "edge-002"]);
    expect(permanent.rows.map((r) => r.retryable)).toEqual([false, false]);

    const recent = await listGenerationErrors({ db: handle.db, workspaceId, filter: { since: new Date(NOW - 24 * 3_600_000) }, page: 1, perPage: 25 });
    expect(recent.total).toBe(4);

    const combined = await listGenerationErrors({
      db: handle.db,
      workspaceId,
      filter: { tier: ["template", "scenario"], retryable: true, since: new Date(NOW - 24 * 3_600_000), code: ["rate_limited", "malformed_response", "timeout"] },
      page: 1,
      perPage: 25,
    });
    expect(conversationsOf(combined)).toEqual(["tmpl-001", "scen-001", "tmpl-002"]);
    expect(combined.total).toBe(3);

    const none = await listGenerationErrors({ db: handle.db, workspaceId, filter: { code: ["overloaded"] }, page: 1, perPage: 25 });
    expect(none).toMatchObject({ rows: [], total: 0 });
  });

  it("keeps calls of deleted conversations (no tier), which a tier filter leaves out", async () => {
    await handle.db.delete(conversations).where(eq(conversations.conversationId, "edge-002"));
    const all = await listGenerationErrors({ db: handle.db, workspaceId, filter: {}, page: 1, perPage: 25 });
    expect(all.total).toBe(6);
    expect(all.rows.at(-1)).toMatchObject({ conversationId: null, tier: null, personaName: null, errorCode: "invalid_request" });
    const edge = await listGenerationErrors({ db: handle.db, workspaceId, filter: { tier: ["edge_case"] }, page: 1, perPage: 25 });
    expect(conversationsOf(edge)).toEqual(["edge-001"]);
  });

  it("counts each error code for the filter, most frequent first", async () => {
    const codes = await listGenerationErrorCodes({ db: handle.db, workspaceId });
    expect(codes[0]).toEqual({ code: "rate_limited", count: 2, retryable: true });
    expect(codes).toHaveLength(5);
    expect(codes.find((c) => c.code === "authentication_failed")).toEqual({ code: "authentication_failed", count: 1, retryable: false });
  });
});
