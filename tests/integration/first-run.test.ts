/**
 * The first-run checklist on a real workspace (issue 10 item 7): a new workspace starts with the
 * project's starter template for each tier; documents, taxonomy, a plan and reading conversations in
 * the preview tick their steps; archived taxonomy entries do not count.
 */
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { importPath } from "../../src/core/import/import-workspace";
import { createPlan } from "../../src/core/planning/create-plan";
import type { DatabaseHandle } from "../../src/server/db/client";
import { getFirstRunFacts, markConversationViewed } from "../../src/server/db/queries/first-run";
import { listDefaultTemplates } from "../../src/server/db/queries/templates";
import { conversations, personas } from "../../src/server/db/schema";
import { loadFirstRunChecklist } from "../../src/server/first-run-checklist";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
let handle: DatabaseHandle;

describe(`first-run checklist (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    vi.stubEnv("BRIGHTRUN_PROVIDER", "");
    vi.stubEnv("ANTHROPIC_API_KEY", "");
    vi.stubEnv("OPENAI_API_KEY", "");
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await handle?.close();
  });

  it("a new workspace has the starter template of each tier as its default, and only the templates step done", async () => {
    const workspace = await createTestWorkspace(handle.db, "Acme Bakery");
    const defaults = await listDefaultTemplates({ db: handle.db, workspaceId: workspace.id });
    expect(defaults.map((t) => `${t.tier}:${t.key}`).sort()).toEqual(["edge_case:starter-edge-case", "scenario:starter-scenario", "template:starter-template"]);
    const checklist = await loadFirstRunChecklist(handle.db, workspace);
    expect(checklist.steps.filter((s) => s.done).map((s) => s.id)).toEqual(["templates"]);
    expect(checklist.next?.id).toBe("documents");
  });

  it("documents, taxonomy and a plan tick their steps; reading in the preview counts once per conversation", async () => {
    const workspace = await createTestWorkspace(handle.db, "Harbor copy");
    const { db } = handle;
    await importPath({ db, workspaceId: workspace.id, target: SAMPLE, userId: "local:test" });
    // The sample's own templates take over as the defaults.
    expect((await listDefaultTemplates({ db, workspaceId: workspace.id })).map((t) => t.key).sort()).toEqual(["edge-case-default", "scenario-default", "template-default"]);
    await createPlan({ db, workspaceId: workspace.id, split: { template: 4, scenario: 2, edge_case: 1 } });
    const ids = ["tmpl-001", "tmpl-002", "tmpl-003", "tmpl-004", "scen-001", "scen-002"];
    await db.update(conversations).set({ status: "generated", qualityScore: 8, turnCount: 4 }).where(and(eq(conversations.workspaceId, workspace.id), inArray(conversations.conversationId, ids)));
    for (const id of [...ids.slice(0, 4), "tmpl-001"]) await markConversationViewed({ db, workspaceId: workspace.id, conversationId: id });

    const facts = await getFirstRunFacts({ db, workspaceId: workspace.id });
    expect(facts).toMatchObject({ personas: 7, enabledArcs: 5, topics: 10, planned: 7, generated: 6, read: 4 });
    const checklist = await loadFirstRunChecklist(db, workspace);
    const done = Object.fromEntries(checklist.steps.map((s) => [s.id, s.done]));
    expect(done).toEqual({ documents: true, customers: true, templates: true, model: false, plan: true, "first-conversations": false });

    await markConversationViewed({ db, workspaceId: workspace.id, conversationId: "scen-001" });
    expect((await getFirstRunFacts({ db, workspaceId: workspace.id })).read).toBe(5);

    // Archived personas are not customers described.
    await db.update(personas).set({ archivedAt: new Date() }).where(eq(personas.workspaceId, workspace.id));
    const after = await loadFirstRunChecklist(db, workspace);
    expect(after.steps.find((s) => s.id === "customers")).toMatchObject({ done: false, detail: expect.stringContaining("Still needed: personas.") });
  });
});
