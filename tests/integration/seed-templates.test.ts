/**
 * Seeds as templates (issue 11 item 7, US10.3.2) and template choice (items 2 and 4) on a freshly
 * migrated database with the sample business: "Use as template" makes a validating draft linked to
 * its seed; "Generate variations" plans N conversations with other combinations and the seed's
 * template; a variation generates against the fake LLM server with the variation prompt; the
 * comparison counts and flags against the seed's score; planning picks an applicable active
 * template and never a draft or inactive one; generation falls back from an inactive template; the
 * conversation detail names the template version.
 */
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveConversationPrompt } from "../../src/core/generation/generate-conversation";
import { importPath } from "../../src/core/import/import-workspace";
import { createOpenAIProvider } from "../../src/core/llm/openai-provider";
import { createPlan } from "../../src/core/planning/create-plan";
import { validateTemplateText } from "../../src/core/templates";
import type { SeedStructure } from "../../src/core/templates/seed-structure";
import { getConversationDetail } from "../../src/server/conversation-detail";
import type { DatabaseHandle } from "../../src/server/db/client";
import { upsertTemplate } from "../../src/server/db/queries/templates";
import { conversations, promptTemplates, templateVersions } from "../../src/server/db/schema";
import { generateSeedVariations, makeSeedTemplate, summarizeVariationsBySeed } from "../../src/server/seed-templates";
import { listSeeds } from "../../src/server/db/queries/seeds";
import { fake, startFakeLlmServer, type FakeLlmServer } from "../support/fake-llm-server";
import { generateNow } from "../support/generate-now";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
let handle: DatabaseHandle;
let workspaceId: string;
let server: FakeLlmServer;

async function conversation(conversationId: string) {
  const [row] = await handle.db.select().from(conversations).where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.conversationId, conversationId)));
  return row;
}

async function templateByKey(key: string) {
  const [row] = await handle.db.select().from(promptTemplates).where(and(eq(promptTemplates.workspaceId, workspaceId), eq(promptTemplates.key, key)));
  return row;
}

describe(`seeds as templates (${testDatabaseKind()})`, { timeout: 120_000 }, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 4, scenario: 0, edge_case: 0 } });
    server = await startFakeLlmServer();
  });
  afterAll(async () => {
    await server.close();
    await handle.close();
  });

  let variationIds: string[] = [];

  it("Use as template makes a draft of the seed's tier at version 1, linked to the seed, with its structure, that validates", async () => {
    const seed = await conversation("seed-001");
    const made = await makeSeedTemplate({ db: handle.db, workspaceId, userId: "local:alice", seedId: "seed-001" });

    expect(made.key).toBe("seed-001-variation");
    const row = await templateByKey(made.key);
    expect(row).toMatchObject({ status: "draft", isDefault: false, tier: seed.tier, sourceSeedId: seed.id, currentVersion: 1 });
    expect(row.name).toBe(`Variation of ${seed.title}`);
    expect((row.seedStructure as unknown as SeedStructure).turnCount).toBe(seed.turnCount);
    const [version] = await handle.db.select().from(templateVersions).where(eq(templateVersions.templateId, row.id));
    expect(version).toMatchObject({ version: 1, author: "local:alice" });
    expect(version.templateText).toContain("VARIATION");
    expect(validateTemplateText(version.templateText, seed.tier).filter((p) => p.severity === "error")).toEqual([]);

    const again = await makeSeedTemplate({ db: handle.db, workspaceId, userId: "local:alice", seedId: seed.id, name: "Second try" });
    expect(again.key).toBe("seed-001-variation-2");
    await expect(makeSeedTemplate({ db: handle.db, workspaceId, userId: "local:alice", seedId: "tmpl-001" })).rejects.toMatchObject({ code: "seed_not_found" });
  });

  it("planning never gives a slot the draft", async () => {
    const before = (await handle.db.select({ id: conversations.id }).from(conversations).where(eq(conversations.workspaceId, workspaceId))).length;
    await createPlan({ db: handle.db, workspaceId, split: { template: 8, scenario: 0, edge_case: 0 } });
    const draftIds = (await handle.db.select({ id: promptTemplates.id }).from(promptTemplates).where(eq(promptTemplates.status, "draft"))).map((r) => r.id);
    const rows = await handle.db.select().from(conversations).where(and(eq(conversations.workspaceId, workspaceId), inArray(conversations.templateId, draftIds)));
    expect(rows.length).toBe(0);
    expect((await handle.db.select({ id: conversations.id }).from(conversations).where(eq(conversations.workspaceId, workspaceId))).length).toBe(before + 4);
  });

  it("Generate variations plans N slots with the seed's template and other combinations than the seed's", async () => {
    const seed = await conversation("seed-001");
    const planned = await generateSeedVariations({ db: handle.db, workspaceId, seedId: "seed-001", count: 3 });
    variationIds = planned.conversationIds;
    expect(variationIds).toHaveLength(3);
    expect(planned.template.key).toBe("seed-001-variation-2"); // the newest template of the seed
    for (const id of variationIds) {
      const c = await conversation(id);
      expect(c).toMatchObject({ status: "not_generated", tier: seed.tier, templateId: planned.template.id });
      expect(`${c.persona}|${c.emotion}|${c.topic}`).not.toBe(`${seed.persona}|${seed.emotion}|${seed.topic}`);
    }
    await expect(generateSeedVariations({ db: handle.db, workspaceId, seedId: "seed-001", count: 51 })).rejects.toMatchObject({ code: "plan_invalid" });
    await expect(generateSeedVariations({ db: handle.db, workspaceId, seedId: "seed-002", count: 2 })).rejects.toMatchObject({ code: "seed_template_missing" });

    const detail = await getConversationDetail({ db: handle.db, workspaceId, conversationId: variationIds[0] });
    expect(detail.template).toMatchObject({ key: "seed-001-variation-2", name: "Second try", status: "draft", version: 1, latestVersion: 1, planned: true });
  });

  it("a variation generates against the fake LLM with the variation prompt, and the comparison counts and flags it", async () => {
    server.reset();
    server.enqueue(fake.ok(), fake.ok(), fake.ok());
    const result = await generateNow({
      handle,
      workspaceId,
      selection: { ids: variationIds },
      provider: createOpenAIProvider({ apiKey: "sk-test", baseURL: server.openaiBaseUrl }),
      model: "gpt-4.1-mini",
      concurrency: 1,
    });
    expect(result.run?.status).toBe("completed");
    const prompts = server.requests.map((r) => JSON.stringify(r.body));
    expect(prompts.length).toBeGreaterThanOrEqual(3);
    expect(prompts.every((p) => p.includes("VARIATION of the example conversation"))).toBe(true);
    for (const id of variationIds) {
      const c = await conversation(id);
      expect(c.status).toBe("generated");
      expect(c.templateVersion).toBe(1);
    }
    const detail = await getConversationDetail({ db: handle.db, workspaceId, conversationId: variationIds[0] });
    expect(detail.template).toMatchObject({ name: "Second try", version: 1, status: "draft", planned: false });

    const seed = await conversation("seed-001");
    expect(seed.qualityScore).not.toBeNull();
    const seedScore = Number(seed.qualityScore);
    // One variation well below the seed, one exactly 1 below (not flagged).
    await handle.db.update(conversations).set({ qualityScore: Math.max(1, seedScore - 2) }).where(eq(conversations.id, (await conversation(variationIds[0])).id));
    await handle.db.update(conversations).set({ qualityScore: seedScore - 1 }).where(eq(conversations.id, (await conversation(variationIds[1])).id));
    const seeds = await listSeeds({ db: handle.db, workspaceId });
    const bySeed = await summarizeVariationsBySeed({ db: handle.db, workspaceId, seeds });
    const summary = bySeed[seed.id];
    const scores = await Promise.all(variationIds.map(async (id) => Number((await conversation(id)).qualityScore)));
    expect(summary).toMatchObject({ planned: 3, generated: 3, seedQuality: seedScore, template: { key: "seed-001-variation-2", status: "draft" } });
    expect(summary.averageQuality).toBeCloseTo(scores.reduce((s, v) => s + v, 0) / 3, 5);
    expect(summary.flagged.map((f) => f.conversationId)).toContain(variationIds[0]);
    expect(summary.flagged.map((f) => f.conversationId)).not.toContain(variationIds[1]);
    expect(bySeed[(await conversation("seed-002")).id]).toBeUndefined();
  });

  it("planning picks the default when it applies, else an applicable active template, never an inactive one", async () => {
    const defaultRow = (await handle.db.select().from(promptTemplates).where(and(eq(promptTemplates.workspaceId, workspaceId), eq(promptTemplates.tier, "template"), eq(promptTemplates.isDefault, true))))[0];
    const base = { tier: "template" as const, description: "", isDefault: false, systemPrompt: "Reply with JSON turns.", templateText: "Write about {topic} for {persona}.", maxTokens: 2000, temperature: 0.7 };
    await upsertTemplate({ db: handle.db, workspaceId, input: { ...base, key: "a-inactive", name: "Old one" } });
    await upsertTemplate({ db: handle.db, workspaceId, input: { ...base, key: "b-any-persona", name: "For everyone else" } });
    await handle.db.update(promptTemplates).set({ status: "inactive" }).where(and(eq(promptTemplates.workspaceId, workspaceId), eq(promptTemplates.key, "a-inactive")));
    const seed = await conversation("seed-001");
    // The default now applies only to the seed's persona.
    await handle.db.update(promptTemplates).set({ applicablePersonas: [seed.persona] }).where(eq(promptTemplates.id, defaultRow.id));
    const before = new Set((await handle.db.select({ id: conversations.id }).from(conversations).where(eq(conversations.workspaceId, workspaceId))).map((r) => r.id));
    const plan = await createPlan({ db: handle.db, workspaceId, split: { template: 30, scenario: 0, edge_case: 0 } });
    expect(plan.created).toBeGreaterThan(5);
    const other = await templateByKey("b-any-persona");
    const inactive = await templateByKey("a-inactive");
    const newRows = await handle.db.select().from(conversations).where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.tier, "template"), eq(conversations.isSeed, false)));
    const fresh = newRows.filter((c) => !before.has(c.id));
    expect(fresh.length).toBe(plan.created);
    for (const c of fresh) expect(c.templateId).toBe(c.persona === seed.persona ? defaultRow.id : other.id);
    expect(fresh.some((c) => c.persona === seed.persona)).toBe(true);
    expect(fresh.some((c) => c.persona !== seed.persona)).toBe(true);
    expect(newRows.some((c) => c.templateId === inactive.id)).toBe(false);

    // Generation: a conversation whose template is inactive falls back to the tier's active default.
    const target = fresh[0];
    await handle.db.update(conversations).set({ templateId: inactive.id }).where(eq(conversations.id, target.id));
    const resolved = await resolveConversationPrompt({ db: handle.db, id: target.id });
    expect(resolved.ok && resolved.template.template.id).toBe(defaultRow.id);
    const detail = await getConversationDetail({ db: handle.db, workspaceId, conversationId: target.conversationId });
    expect(detail.template).toMatchObject({ key: defaultRow.key, planned: true, status: "active" });
  });
});
