/**
 * The template preview, "Test Template" and template analytics (issue 11 items 3, 5 and 6) on the
 * sample workspace: a draft resolved for a planned conversation is exactly what generation sends; a
 * missing parameter is named before any call; a test against the fake LLM (real OpenAI SDK) is
 * validated, scored, costed, logged as "template_test" and kept as the version's last test; a
 * malformed reply is not ok and stays visible; analytics keep simulated conversations apart, compute
 * the approval rate and the rejection-note words, and export the same figures as CSV.
 */
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveConversationPrompt } from "../../src/core/generation/generate-conversation";
import { importPath } from "../../src/core/import/import-workspace";
import { createOpenAIProvider } from "../../src/core/llm/openai-provider";
import { createSimulatedProvider } from "../../src/core/llm/simulated-provider";
import { createPlan } from "../../src/core/planning/create-plan";
import { previewTemplateDraft } from "../../src/core/templates/preview-template";
import { testTemplateDraft } from "../../src/core/templates/test-template";
import type { TemplateDraft } from "../../src/lib/template-draft";
import type { DatabaseHandle } from "../../src/server/db/client";
import { listDefaultTemplates, getTemplateWithCurrentVersionById } from "../../src/server/db/queries/templates";
import { conversations, generationLogs, reviewLogs, templateVersions } from "../../src/server/db/schema";
import { loadTemplateAnalytics, templateAnalyticsCsv } from "../../src/server/template-analytics";
import { fake, startFakeLlmServer, type FakeLlmServer } from "../support/fake-llm-server";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const PRICES = { "fake-model-large": { input: 1, output: 2 } };
let handle: DatabaseHandle;
let workspaceId: string;
let server: FakeLlmServer;
let templateId: string;
let version: number;
let draft: TemplateDraft;

/** RFC 4180 CSV (quoted fields, doubled quotes) into records keyed by the header row. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = "";
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") endField();
    else if (ch === "\n") {
      endField();
      rows.push(row);
      row = [];
    } else if (ch !== "\r") field += ch;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  const [header, ...records] = rows;
  return records.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
}

async function conversationsOfTier(tier: "template" | "scenario") {
  return handle.db
    .select()
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.tier, tier), eq(conversations.isSeed, false)))
    .orderBy(conversations.conversationId);
}

describe(`template preview, test and analytics (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 14, scenario: 2, edge_case: 0 } });
    const tier1 = (await listDefaultTemplates({ db: handle.db, workspaceId })).find((t) => t.tier === "template")!;
    const withVersion = (await getTemplateWithCurrentVersionById({ db: handle.db, id: tier1.id }))!;
    templateId = tier1.id;
    version = withVersion.version.version;
    draft = {
      name: tier1.name,
      description: tier1.description,
      tier: "template",
      applicablePersonas: [],
      applicableArcs: [],
      systemPrompt: withVersion.version.systemPrompt,
      templateText: withVersion.version.templateText,
      maxTokens: withVersion.version.maxTokens,
      temperature: withVersion.version.temperature,
    };
    server = await startFakeLlmServer();
  });
  afterAll(async () => {
    await server.close();
    await handle.close();
  });

  const openai = () => createOpenAIProvider({ apiKey: "sk-test", baseURL: server.openaiBaseUrl, model: "fake-model-large", timeoutMs: 5_000 });

  it("resolves a draft for a planned conversation into exactly the system prompt and message generation sends", async () => {
    const [conversation] = await conversationsOfTier("template");
    const generation = await resolveConversationPrompt({ db: handle.db, id: conversation.id });
    expect(generation.ok).toBe(true);
    const preview = await previewTemplateDraft({ db: handle.db, workspaceId, draft, source: { kind: "conversation", id: conversation.id }, provider: "anthropic", model: "claude-sonnet-5-5" });
    if (!preview.ok || !generation.ok) throw new Error("expected both to resolve");
    expect(preview.request.system).toBe(generation.template.version.systemPrompt);
    expect(preview.request.messages).toEqual([{ role: "user", content: generation.prompt }]);
    expect(preview.request.max_tokens).toBe(draft.maxTokens);
    expect(preview.source.label).toBe(conversation.conversationId);
    // Claude has no tokenizer here: an estimate of characters / 4, priced at the table's $2 / $10 per million.
    expect(preview.tokenMethod).toBe("estimate");
    expect(preview.inputTokens).toBe(Math.ceil(draft.systemPrompt.length / 4) + Math.ceil(generation.prompt.length / 4));
    expect(preview.maxCostUsd).toBeCloseTo((preview.inputTokens * 2 + draft.maxTokens * 10) / 1_000_000, 10);
  });

  it("shows the draft's unsaved text, counts OpenAI tokens with o200k_base and leaves an unpriced model's cost unknown", async () => {
    const [conversation] = await conversationsOfTier("template");
    const edited = { ...draft, templateText: `Speak as {persona}. ${draft.templateText}` };
    const preview = await previewTemplateDraft({ db: handle.db, workspaceId, draft: edited, source: { kind: "conversation", id: conversation.id }, provider: "openai", model: "gpt-5.6-luna" });
    if (!preview.ok) throw new Error(preview.error.message);
    expect(preview.request.messages[0].content.startsWith(`Speak as ${preview.parameters.persona}. `)).toBe(true);
    expect(preview.tokenMethod).toBe("o200k_base");
    const unpriced = await previewTemplateDraft({ db: handle.db, workspaceId, draft, source: { kind: "sample", seed: 1 }, provider: "openai", model: "my-local-llama" });
    if (!unpriced.ok) throw new Error(unpriced.error.message);
    expect(unpriced.maxCostUsd).toBeNull();
    expect(unpriced.priceKnown).toBe(false);
  });

  it("names a missing required parameter instead of resolving, before any call", async () => {
    const [conversation] = await conversationsOfTier("template");
    const broken = { ...draft, templateText: "Problem: {scenario_problem}" };
    const preview = await previewTemplateDraft({ db: handle.db, workspaceId, draft: broken, source: { kind: "conversation", id: conversation.id }, provider: "anthropic", model: "claude-sonnet-5-5" });
    expect(preview.ok).toBe(false);
    if (preview.ok) return;
    expect(preview.error.code).toBe("template_parameter_missing");
    expect(preview.error.message).toMatch(/\{scenario_problem\}/);
    const unknown = await previewTemplateDraft({ db: handle.db, workspaceId, draft: { ...draft, templateText: "Hello {persona_name}" }, source: { kind: "sample", seed: 1 }, provider: "anthropic", model: "claude-sonnet-5-5" });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error.message).toMatch(/persona_name/);
  });

  it("draws the same sample parameters for the same number and another combination on shuffle", async () => {
    const one = await previewTemplateDraft({ db: handle.db, workspaceId, draft, source: { kind: "sample", seed: 1 }, provider: "simulated", model: "simulated-composer-1" });
    const again = await previewTemplateDraft({ db: handle.db, workspaceId, draft, source: { kind: "sample", seed: 1 }, provider: "simulated", model: "simulated-composer-1" });
    if (!one.ok || !again.ok) throw new Error("sample did not resolve");
    expect(again.request).toEqual(one.request);
    const labels = new Set<string>();
    for (let seed = 1; seed <= 6; seed++) {
      const p = await previewTemplateDraft({ db: handle.db, workspaceId, draft, source: { kind: "sample", seed }, provider: "simulated", model: "simulated-composer-1" });
      if (p.ok) labels.add(p.source.label.replace(/^Sample #\d+: /, ""));
    }
    expect(labels.size).toBeGreaterThan(1);
  });

  it("tests the saved version against the fake model: valid, scored, costed, logged as template_test and kept as its last test", async () => {
    server.reset();
    const [conversation] = await conversationsOfTier("template");
    const result = await testTemplateDraft({
      db: handle.db,
      workspaceId,
      userId: "local:test",
      draft,
      source: { kind: "conversation", id: conversation.id },
      templateId,
      version,
      provider: openai(),
      model: "fake-model-large",
      priceOverrides: PRICES,
    });
    expect(result.summary.ok).toBe(true);
    expect(result.turns?.length).toBe(10);
    expect(result.quality?.score).toBeGreaterThanOrEqual(1);
    expect(result.summary.qualityScore).toBe(result.quality?.score);
    expect(result.summary.costUsd).toBeCloseTo((result.inputTokens * 1 + result.outputTokens * 2) / 1_000_000, 10);
    expect(result.summary.costUsd).toBeGreaterThan(0);
    expect(result.languageModel).toBe(true);
    expect(result.storedWithVersion).toBe(true);
    expect(server.requests).toHaveLength(1);

    const [log] = await handle.db.select().from(generationLogs).where(eq(generationLogs.id, result.summary.logId!));
    expect(log.kind).toBe("template_test");
    expect(log.conversationId).toBeNull();
    expect(log.runId).toBeNull();
    expect(log.workspaceId).toBe(workspaceId);
    expect(log.templateId).toBe(templateId);
    expect(log.templateVersion).toBe(version);
    expect(log.costUsd).toBeCloseTo(result.summary.costUsd!, 6);
    expect(log.errorCode).toBeNull();

    const [stored] = await handle.db.select().from(templateVersions).where(and(eq(templateVersions.templateId, templateId), eq(templateVersions.version, version)));
    expect(stored.lastTest).toMatchObject({ ok: true, logId: result.summary.logId, qualityScore: result.quality?.score });
    expect(stored.testedAt).not.toBeNull();
  });

  it("keeps a malformed reply visible, marks the test not ok, and does not store a test of unsaved changes with the version", async () => {
    server.reset();
    server.enqueue(fake.malformed());
    const result = await testTemplateDraft({ db: handle.db, workspaceId, userId: "local:test", draft, source: { kind: "sample", seed: 2 }, templateId, version, provider: openai(), model: "fake-model-large", priceOverrides: PRICES });
    expect(result.summary.ok).toBe(false);
    expect(result.validationError?.code).toBe("malformed_response");
    // A test has no conversation to keep the reply on: the message says where it is instead.
    expect(result.validationError?.message).toMatch(/The raw reply is shown with the result and kept in the generation log\.$/);
    expect(result.rawReply).toBeTruthy();
    expect(result.turns).toBeNull();
    const [stored] = await handle.db.select().from(templateVersions).where(and(eq(templateVersions.templateId, templateId), eq(templateVersions.version, version)));
    expect(stored.lastTest).toMatchObject({ ok: false });
    const [log] = await handle.db.select().from(generationLogs).where(eq(generationLogs.id, result.summary.logId!));
    expect(log.errorCode).toBe("malformed_response");

    server.reset();
    const changed = await testTemplateDraft({ db: handle.db, workspaceId, userId: "local:test", draft: { ...draft, temperature: 0.1 }, source: { kind: "sample", seed: 2 }, templateId, version, provider: openai(), model: "fake-model-large", priceOverrides: PRICES });
    expect(changed.summary.ok).toBe(true);
    expect(changed.storedWithVersion).toBe(false);
    expect(changed.notStoredReason).toMatch(/Save the template/);
    const [still] = await handle.db.select().from(templateVersions).where(and(eq(templateVersions.templateId, templateId), eq(templateVersions.version, version)));
    expect(still.lastTest).toMatchObject({ ok: false });
  });

  it("labels a simulated test as not a language model and makes no network call", async () => {
    server.reset();
    const result = await testTemplateDraft({ db: handle.db, workspaceId, userId: "local:test", draft, source: { kind: "sample", seed: 3 }, templateId: null, version: null, provider: createSimulatedProvider(), model: "simulated-composer-1" });
    expect(result.languageModel).toBe(false);
    expect(result.summary.provider).toBe("simulated");
    expect(result.notStoredReason).toBe("Save the template to keep this test with a version.");
    expect(server.requests).toHaveLength(0);
  });

  it("compares a test with the active version's recent average, and aggregates analytics with simulated conversations apart", async () => {
    const rows = await conversationsOfTier("template");
    // 12 real-model conversations of v1: 9 approved, 3 rejected (notes); 2 simulated ones (approved).
    const real = rows.slice(0, 12);
    const simulated = rows.slice(12, 14);
    const day = new Date("2026-11-20T10:00:00Z");
    for (const [i, c] of real.entries()) {
      const status = i < 9 ? "approved" : "rejected";
      await handle.db
        .update(conversations)
        .set({ status, qualityScore: i < 9 ? 8 : 5, provider: "openai", model: "fake-model-large", templateId, templateVersion: version, generatedAt: day, turnCount: 10 })
        .where(eq(conversations.id, c.id));
      if (status === "rejected") {
        await handle.db.insert(reviewLogs).values({ workspaceId, conversationId: c.id, action: "reject", previousStatus: "generated", reviewerId: "local:test", reviewerNotes: i === 9 ? "Too robotic, and the advice is generic." : "Robotic tone; generic advice" });
      }
    }
    for (const c of simulated) {
      await handle.db.update(conversations).set({ status: "approved", qualityScore: 9.5, provider: "simulated", model: "simulated-composer-1", templateId, templateVersion: version, generatedAt: day, turnCount: 10 }).where(eq(conversations.id, c.id));
    }

    server.reset();
    const result = await testTemplateDraft({ db: handle.db, workspaceId, userId: "local:test", draft, source: { kind: "sample", seed: 1 }, templateId, version, provider: openai(), model: "fake-model-large" });
    // A test through a language model compares with that version's language-model conversations only.
    expect(result.comparison).toMatchObject({ templateId, version, simulated: false, count: 12 });
    expect(result.comparison?.averageQuality).toBeCloseTo((9 * 8 + 3 * 5) / 12, 6);
    const simulatedTest = await testTemplateDraft({ db: handle.db, workspaceId, userId: "local:test", draft, source: { kind: "sample", seed: 1 }, templateId, version, provider: createSimulatedProvider(), model: "simulated-composer-1" });
    expect(simulatedTest.comparison).toMatchObject({ simulated: true, count: 2, averageQuality: 9.5 });

    const analytics = await loadTemplateAnalytics({ db: handle.db, workspaceId, filter: { period: "all" } });
    const realRow = analytics.real.find((r) => r.templateId === templateId && r.version === version)!;
    expect(realRow).toMatchObject({ generated: 12, approved: 9, rejected: 3, simulated: false });
    expect(realRow.approvalRate).toBeCloseTo(0.75, 6);
    expect(realRow.averageQuality).toBeCloseTo((9 * 8 + 3 * 5) / 12, 6);
    expect(realRow.rejectionWords.slice(0, 2)).toEqual([
      { word: "advice", count: 3 },
      { word: "generic", count: 3 },
    ]);
    const simRow = analytics.simulated.find((r) => r.templateId === templateId)!;
    expect(simRow).toMatchObject({ generated: 2, approved: 2, simulated: true });
    const tier1 = analytics.recommendations.find((r) => r.tier === "template")!;
    expect(tier1.line).toBe(`Use '${draft.name}' v${version} for Template tier: highest approval rate, 75 %, over 12 reviewed conversations.`);
    const scenarioTier = analytics.recommendations.find((r) => r.tier === "scenario")!;
    expect(scenarioTier.pick).toBeNull();
    expect(analytics.trend.filter((p) => p.templateId === templateId).map((p) => [p.day, p.simulated, p.generated])).toEqual([
      ["2026-11-20", false, 12],
      ["2026-11-20", true, 2],
    ]);

    const csv = parseCsv(templateAnalyticsCsv(analytics));
    const realCsv = csv.find((r) => r.model_kind === "real" && r.template_name === draft.name)!;
    expect(realCsv).toMatchObject({ conversations_generated: "12", approved: "9", rejected: "3", approval_rate: "0.7500", current_version: "yes" });
    expect(realCsv.top_rejection_words).toMatch(/^advice \(3\); generic \(3\)/);
    expect(csv.find((r) => r.model_kind === "simulated")).toMatchObject({ conversations_generated: "2" });

    const lastMonth = await loadTemplateAnalytics({ db: handle.db, workspaceId, filter: { period: "all", tier: "scenario" } });
    expect(lastMonth.real).toHaveLength(0);
  });
});
