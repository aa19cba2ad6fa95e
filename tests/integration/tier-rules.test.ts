/**
 * Tier rules in a workspace (issue 10 item 6): the Needs Review filter (`flagged=1`) lists the
 * generated conversations below their tier's bar, follows the workspace's own bars when they change,
 * and never reads another workspace's bars.
 */
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPath } from "../../src/core/import/import-workspace";
import { createPlan } from "../../src/core/planning/create-plan";
import { parseConversationTableParams, serializeConversationTableParams } from "../../src/lib/conversation-table-params";
import type { DatabaseHandle } from "../../src/server/db/client";
import { listConversations } from "../../src/server/db/queries/conversation-list";
import { conversations } from "../../src/server/db/schema";
import { setTierRules } from "../../src/server/workspaces";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

/** Who changes the settings in these tests (the settings audit records the name). */
const TEST_ACTOR = { id: "local:test", displayName: "test" };

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const SCORES: Record<string, number> = { "tmpl-001": 5.5, "tmpl-002": 6, "tmpl-003": 7.2, "scen-001": 6.8, "edge-001": 7.9, "edge-002": 8, "edge-003": 9.1 };

let handle: DatabaseHandle;
let workspaceId: string;
let otherId: string;

async function flagged(id = workspaceId): Promise<string[]> {
  const { state } = parseConversationTableParams(new URLSearchParams("status=generated&flagged=1"));
  const page = await listConversations({ db: handle.db, workspaceId: id, filter: state.filter, sort: { column: "conversation_id", direction: "asc" }, page: 1, perPage: 100 });
  return page.rows.map((r) => r.conversationId);
}

describe(`tier rules (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    for (const name of ["Test business", "Other business"]) {
      const id = (await createTestWorkspace(handle.db, name)).id;
      await importPath({ db: handle.db, workspaceId: id, target: SAMPLE, userId: "local:test" });
      await createPlan({ db: handle.db, workspaceId: id, split: { template: 3, scenario: 1, edge_case: 3 } });
      for (const [conversationId, score] of Object.entries(SCORES)) {
        await handle.db.update(conversations).set({ status: "generated", qualityScore: score, turnCount: 4 }).where(and(eq(conversations.workspaceId, id), eq(conversations.conversationId, conversationId)));
      }
      if (name === "Test business") workspaceId = id;
      else otherId = id;
    }
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("Needs Review lists what scores below its tier's bar: under 6, and edge cases under 8", async () => {
    expect(await flagged()).toEqual(["edge-001", "tmpl-001"]);
    expect(serializeConversationTableParams({ filter: { status: ["generated"], belowBar: true } }).toString()).toBe("status=generated&flagged=1");
  });

  it("follows the workspace's own bars, and only that workspace's", async () => {
    await setTierRules(handle.db, "test-business", { minApprovalScore: 7, edgeCaseMinScore: 9.5 }, TEST_ACTOR);
    expect(await flagged()).toEqual(["edge-001", "edge-002", "edge-003", "scen-001", "tmpl-001", "tmpl-002"]);
    expect(await flagged(otherId)).toEqual(["edge-001", "tmpl-001"]);
    await expect(setTierRules(handle.db, "test-business", { minApprovalScore: 7, edgeCaseMinScore: 12 }, TEST_ACTOR)).rejects.toThrow("The edge-case bar must be a quality score from 1 to 10 (got 12).");
  });
});
