/**
 * Prompt templates in the browser (issue 11; src/server/templates.ts over
 * src/core/templates/template-lifecycle.ts): create as a draft, save → version 2 with author and
 * note, Save as draft, the require-test option (a draft version, activation refused until tested),
 * restore an old version as a new one, delete refused for the only active template of a planned
 * tier, and the list's usage, quality and approval columns.
 */
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPath } from "../../src/core/import/import-workspace";
import { createPlan } from "../../src/core/planning/create-plan";
import type { DatabaseHandle } from "../../src/server/db/client";
import { conversations, personas, promptTemplates, templateVersions, workspaces, type WorkspaceRow } from "../../src/server/db/schema";
import {
  activateTemplate,
  createTemplate,
  deactivateTemplate,
  deleteTemplate,
  diffTemplateVersions,
  getTemplateEditorData,
  listTemplateItems,
  makeTemplateDefault,
  restoreTemplateVersion,
  saveTemplate,
  setRequireTemplateTest,
  type TemplateContext,
} from "../../src/server/templates";
import type { TemplateDraft } from "../../src/lib/template-draft";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
let handle: DatabaseHandle;
let workspace: WorkspaceRow;

const DRAFT: TemplateDraft = {
  name: "Warm expert",
  description: "Tier 1, warmer.",
  tier: "template",
  applicablePersonas: [],
  applicableArcs: [],
  systemPrompt: "You write training conversations as JSON.",
  templateText: "Write a conversation for {business_name} with {persona} about {topic}.",
  maxTokens: 3000,
  temperature: 0.7,
};

async function ctx(): Promise<TemplateContext> {
  const row = (await handle.db.select().from(workspaces).where(eq(workspaces.id, workspace.id)))[0];
  return { db: handle.db, workspace: row, userId: "local:alice" };
}

describe(`template workbench (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspace = await createTestWorkspace(handle.db);
    await importPath({ db: handle.db, workspaceId: workspace.id, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId: workspace.id, split: { template: 4, scenario: 2, edge_case: 1 } });
  });
  afterAll(async () => {
    await handle.close();
  });

  it("creates a draft v1 with the author; refuses a template text with an unknown placeholder", async () => {
    await expect(createTemplate(await ctx(), { draft: { ...DRAFT, templateText: "Hi {persna}." }, mode: "save" })).rejects.toThrow(/Did you mean \{persona\}\?/);
    const created = await createTemplate(await ctx(), { draft: DRAFT, mode: "save", changeNote: "First cut" });
    expect(created).toMatchObject({ key: "warm-expert", status: "draft", currentVersion: 1, newVersion: 1 });
    const again = await createTemplate(await ctx(), { draft: DRAFT, mode: "draft" });
    expect(again.key).toBe("warm-expert-2");
    const data = await getTemplateEditorData({ db: handle.db, workspace: await ctx().then((c) => c.workspace as WorkspaceRow), key: "warm-expert" });
    expect(data.versions).toHaveLength(1);
    expect(data.versions[0]).toMatchObject({ version: 1, author: "local:alice", changeNote: "First cut", isCurrent: true, lastTest: null });
    await deleteTemplate(await ctx(), { key: "warm-expert-2" });
  });

  it("activates, then a content save is v2 in use; a metadata-only save adds no version; Save as draft keeps v2 current", async () => {
    expect((await activateTemplate(await ctx(), { key: "warm-expert" })).status).toBe("active");
    const v2 = await saveTemplate(await ctx(), { key: "warm-expert", draft: { ...DRAFT, templateText: `${DRAFT.templateText}\nKeep it warm.` }, mode: "save", changeNote: "Warmer" });
    expect(v2).toMatchObject({ currentVersion: 2, newVersion: 2 });
    const meta = await saveTemplate(await ctx(), { key: "warm-expert", draft: { ...DRAFT, templateText: `${DRAFT.templateText}\nKeep it warm.`, name: "Warm expert (T1)" }, mode: "save" });
    expect(meta).toMatchObject({ currentVersion: 2, newVersion: null, name: "Warm expert (T1)" });
    const v3 = await saveTemplate(await ctx(), { key: "warm-expert", draft: { ...DRAFT, temperature: 0.9 }, mode: "draft" });
    expect(v3).toMatchObject({ currentVersion: 2, newVersion: 3 });
    expect(v3.message).toContain("v2 stays current");
    // Personas and arcs are chosen from the workspace's own: a key it does not have is refused, and nothing is saved.
    await expect(saveTemplate(await ctx(), { key: "warm-expert", draft: { ...DRAFT, applicablePersonas: ["no-such-persona"], applicableArcs: ["no-such-arc"] }, mode: "save" })).rejects.toThrow(
      "This workspace has no persona no-such-persona and no emotional arc no-such-arc.",
    );
    const persona = (await handle.db.select().from(personas).where(eq(personas.workspaceId, workspace.id)))[0].key;
    const narrowed = await saveTemplate(await ctx(), { key: "warm-expert", draft: { ...DRAFT, temperature: 0.9, applicablePersonas: [persona] }, mode: "draft" });
    expect(narrowed).toMatchObject({ currentVersion: 2, newVersion: null });
    const patch = await diffTemplateVersions({ db: handle.db, workspaceId: workspace.id, key: "warm-expert", a: 1, b: 2 });
    expect(patch).toContain("+Keep it warm.");
    expect(patch).toContain("--- warm-expert v1");
  });

  it("with require-test on, a save of an active template is a draft version and activation is refused until it passes a test", async () => {
    await setRequireTemplateTest(await ctx(), { requireTemplateTest: true });
    const v4 = await saveTemplate(await ctx(), { key: "warm-expert", draft: { ...DRAFT, maxTokens: 4000 }, mode: "save" });
    expect(v4).toMatchObject({ currentVersion: 2, newVersion: 4 });
    expect(v4.message).toContain("requires a successful test");
    await expect(activateTemplate(await ctx(), { key: "warm-expert", version: 4 })).rejects.toThrow(
      "Test v4 first: this workspace requires a successful test before activation, and it has not been tested.",
    );
    await expect(createTemplate(await ctx(), { draft: { ...DRAFT, name: "Other" }, mode: "activate" })).rejects.toThrow(/requires a successful test/);
    const [template] = await handle.db.select().from(promptTemplates).where(and(eq(promptTemplates.workspaceId, workspace.id), eq(promptTemplates.key, "warm-expert")));
    await handle.db
      .update(templateVersions)
      .set({ lastTest: { ok: true, qualityScore: 8.1, costUsd: 0.01, latencyMs: 900, provider: "openai", model: "m", logId: null, testedAt: new Date().toISOString() } })
      .where(and(eq(templateVersions.templateId, template.id), eq(templateVersions.version, 4)));
    expect(await activateTemplate(await ctx(), { key: "warm-expert", version: 4 })).toMatchObject({ currentVersion: 4, status: "active" });
    await setRequireTemplateTest(await ctx(), { requireTemplateTest: false });
  });

  it("restores an old version as a new version with its content", async () => {
    const restored = await restoreTemplateVersion(await ctx(), { key: "warm-expert", version: 1 });
    expect(restored).toMatchObject({ newVersion: 5, currentVersion: 5 });
    const data = await getTemplateEditorData({ db: handle.db, workspace: (await ctx()).workspace as WorkspaceRow, key: "warm-expert" });
    expect(data.versions[0]).toMatchObject({ version: 5, templateText: DRAFT.templateText, maxTokens: 3000, temperature: 0.7, changeNote: "Restored from v1.", isCurrent: true });
    expect(data.template?.draft.templateText).toBe(DRAFT.templateText);
  });

  it("refuses to delete the only active template of a tier that has planned conversations, with the count", async () => {
    // Leave one active Edge case template (the workspace also has the starter templates); the plan has 1 edge-case conversation.
    const items = await listTemplateItems({ db: handle.db, workspaceId: workspace.id });
    const [edge, ...others] = items.filter((t) => t.tier === "edge_case" && t.status === "active");
    await expect(deleteTemplate(await ctx(), { key: others[0].key })).resolves.toMatchObject({ name: others[0].name });
    for (const other of others.slice(1)) await deactivateTemplate(await ctx(), { key: other.key });
    await expect(deleteTemplate(await ctx(), { key: edge.key })).rejects.toThrow(/is the only active Edge case template and 1 planned conversation of that tier still need it/);
    // Deactivated, it may go (planning then has no edge-case template, which is the person's choice).
    await makeTemplateDefault(await ctx(), { key: "warm-expert" });
    await deactivateTemplate(await ctx(), { key: edge.key });
    await expect(deleteTemplate(await ctx(), { key: edge.key })).resolves.toMatchObject({ name: edge.name });
  });

  it("lists usage, average quality and approval rate from the template's conversations, '—' (null) without any", async () => {
    const items = await listTemplateItems({ db: handle.db, workspaceId: workspace.id });
    const tier1 = items.find((t) => t.key === "template-default")!;
    const rows = await handle.db.select().from(conversations).where(and(eq(conversations.workspaceId, workspace.id), eq(conversations.templateId, tier1.id)));
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(tier1).toMatchObject({ usageCount: rows.length, averageQuality: null, approvalRate: null });
    const set = (id: string, status: "approved" | "rejected" | "generated", qualityScore: number) =>
      handle.db.update(conversations).set({ status, qualityScore, turnCount: 2, generatedAt: new Date() }).where(eq(conversations.id, id));
    await set(rows[0].id, "approved", 9);
    await set(rows[1].id, "approved", 8);
    await set(rows[2].id, "rejected", 4);
    const after = (await listTemplateItems({ db: handle.db, workspaceId: workspace.id })).find((t) => t.key === "template-default")!;
    expect(after.averageQuality).toBeCloseTo(7, 5);
    expect(after.approvalRate).toBeCloseTo(2 / 3, 5);
    expect(after).toMatchObject({ approvedCount: 2, rejectedCount: 1, scoredCount: 3 });
    const warm = after && (await listTemplateItems({ db: handle.db, workspaceId: workspace.id })).find((t) => t.key === "warm-expert")!;
    expect(warm).toMatchObject({ usageCount: 0, averageQuality: null, approvalRate: null, isDefault: true, currentVersion: 5, latestVersion: 5 });
  });
});
