/**
 * Seed uploads (issue 10 item 4, US10.3.1): OpenAI chat JSONL, ShareGPT, pasted "User:/Assistant:"
 * text and Bright Run seed JSON are read by one core parser; each problem names its line or entry
 * and what to fix; an upload is stored all or nothing, as locked, approved seeds; archived taxonomy
 * entries can't be chosen; the Seeds filter and the seed-vs-generated comparison see them.
 */
import fs from "node:fs";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importSeedUpload, nextSeedIds, type SeedMapping } from "../../src/core/import/import-seeds";
import { importPath } from "../../src/core/import/import-workspace";
import { detectSeedFormat, parseSeedUpload } from "../../src/core/import/seed-formats";
import { createPlan } from "../../src/core/planning/create-plan";
import { parseConversationTableParams, serializeConversationTableParams } from "../../src/lib/conversation-table-params";
import type { DatabaseHandle } from "../../src/server/db/client";
import { listConversations } from "../../src/server/db/queries/conversation-list";
import { listTurnsByConversationId } from "../../src/server/db/queries/conversations";
import { compareSeedsWithGenerated, listSeeds } from "../../src/server/db/queries/seeds";
import { conversations, personas } from "../../src/server/db/schema";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
let handle: DatabaseHandle;
let workspaceId: string;

const MAPPING: SeedMapping = {
  title: "Inherited money, no plan",
  persona: "anxious-first-time-investor",
  emotionalArc: "anxiety-to-relief",
  topic: "emergency-fund",
  intent: "get-reassurance",
  tone: "warm-reassuring",
};

const openAiLine = (user: string, assistant: string, system?: string) =>
  JSON.stringify({ messages: [...(system ? [{ role: "system", content: system }] : []), { role: "user", content: user }, { role: "assistant", content: assistant }] });

const problemsOf = (text: string) => {
  const parsed = parseSeedUpload({ text });
  if (parsed.ok) throw new Error("expected problems");
  return parsed.problems.map((p) => `${p.where ?? ""}: ${p.message}`);
};

describe("seed upload formats (core parser)", () => {
  it("reads OpenAI chat JSONL, one conversation per line, keeping a leading system message", () => {
    const text = [openAiLine("Where do I start with my 401(k)?", "Start with the employer match.", "You are Harbor & Pine's assistant."), "", openAiLine("Is a Roth better?", "It depends on your tax bracket now and later.")].join("\n");
    const parsed = parseSeedUpload({ text });
    expect(parsed.ok && parsed.format).toBe("openai_jsonl");
    if (!parsed.ok) return;
    expect(parsed.conversations).toHaveLength(2);
    expect(parsed.conversations[0]).toMatchObject({ where: "line 1", systemPrompt: "You are Harbor & Pine's assistant.", suggestedTitle: "Where do I start with my 401(k)?" });
    expect(parsed.conversations[1].where).toBe("line 3");
    expect(parsed.conversations[1].turns.map((t) => t.role)).toEqual(["user", "assistant"]);
  });

  it("reads ShareGPT as JSONL, as a JSON array and as one record, with its system column", () => {
    const record = { conversations: [{ from: "human", value: "Can I retire at 60?" }, { from: "gpt", value: "Let's look at your savings rate first." }], system: "Be plain." };
    for (const text of [JSON.stringify(record), JSON.stringify([record, record]), `${JSON.stringify(record)}\n${JSON.stringify(record)}\n`]) {
      const parsed = parseSeedUpload({ text });
      expect(parsed.ok && parsed.format, text).toBe("sharegpt");
      if (parsed.ok) expect(parsed.conversations[0]).toMatchObject({ systemPrompt: "Be plain.", turns: [{ role: "user", content: "Can I retire at 60?" }, { role: "assistant" }] });
    }
  });

  it("reads pasted User:/Assistant: text, joining continuation lines into the turn", () => {
    const parsed = parseSeedUpload({ text: "User: I just inherited $80,000.\nWhat should I do first?\n\nAssistant: Park it somewhere safe while you decide.\nUser: How long?\nAssistant: A few months is fine." });
    expect(parsed.ok && parsed.format).toBe("text");
    if (!parsed.ok) return;
    expect(parsed.conversations[0].turns).toEqual([
      { role: "user", content: "I just inherited $80,000.\nWhat should I do first?" },
      { role: "assistant", content: "Park it somewhere safe while you decide." },
      { role: "user", content: "How long?" },
      { role: "assistant", content: "A few months is fine." },
    ]);
  });

  it("recognises Bright Run seed JSON by its entries", () => {
    expect(detectSeedFormat(fs.readFileSync(path.join(SAMPLE, "seed-conversations.json"), "utf8"))).toBe("brightrun_json");
  });

  it("names the line and what to fix for each broken JSONL line", () => {
    const text = [
      openAiLine("Hi", "Hello."),
      '{"messages": [{"role": "user", "content": "cut off"}',
      JSON.stringify({ messages: [{ role: "user", content: "Weather?" }, { role: "tool", content: "{}" }] }),
      JSON.stringify({ prompt: "old completions format" }),
      JSON.stringify({ messages: [{ role: "assistant", content: "I start" }, { role: "user", content: "then me" }] }),
      JSON.stringify({ messages: [{ role: "user", content: "Only a question" }] }),
    ].join("\n");
    const problems = problemsOf(text);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^line 2: not valid JSON.*each line must be one complete JSON object/),
        expect.stringMatching(/^line 3, message 2: has role "tool"; a seed may only use "system", "user" or "assistant"/),
        expect.stringMatching(/^line 4: has no "messages" list/),
        expect.stringMatching(/^line 5: turn 1 is "assistant" but must be "user"/),
        expect.stringMatching(/^line 6: it has only 1 turn/),
      ]),
    );
  });

  it("refuses ShareGPT tags it does not know and a system message in the middle", () => {
    const problems = problemsOf(
      JSON.stringify({ conversations: [{ from: "human", value: "Hi" }, { from: "function_call", value: "{}" }, { from: "gpt", value: "Hello" }] }) +
        "\n" +
        JSON.stringify({ conversations: [{ from: "human", value: "Hi" }, { from: "system", value: "late" }, { from: "gpt", value: "Hello" }] }),
    );
    expect(problems[0]).toMatch(/^line 1, message 2: has from "function_call"; a seed may only use "human", "gpt" or "system"/);
    expect(problems[1]).toMatch(/^line 2, message 2: a system message may only come first/);
  });

  it("says where pasted text goes wrong: no speaker label, two user turns, no answer at the end", () => {
    expect(problemsOf("Hello there\nAssistant: hi")[0]).toMatch(/^line 1: the conversation must start with a "User:" line/);
    expect(problemsOf("User: one\nUser: two\nAssistant: three")).toContain('line 2: turn 2 is "user" but must be "assistant": turns alternate, user first');
    expect(problemsOf("User: one\nAssistant: two\nUser: three")).toContain("the pasted text: the last turn must be the assistant's; add its answer or remove the last user turn");
    expect(problemsOf("   \n")).toEqual([": the upload is empty: choose a file or paste a conversation"]);
  });

  it("gives the next free seed ids after the highest in use", () => {
    expect(nextSeedIds(["seed-001", "seed-010", "conv-0042", "seed-x"], 2)).toEqual(["seed-011", "seed-012"]);
    expect(nextSeedIds([], 1)).toEqual(["seed-001"]);
  });
});

describe(`seed uploads into a workspace (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
  });
  afterAll(async () => {
    await handle.close();
  });

  const upload = (text: string, mappings: SeedMapping[], label = "seeds.jsonl") => importSeedUpload({ db: handle.db, workspaceId, userId: "local:test", text, mappings, label });
  const seedCount = async () => (await listSeeds({ db: handle.db, workspaceId })).length;

  it("stores a pasted conversation as a locked, approved, scored seed with the next id", async () => {
    const before = await seedCount();
    const result = await upload(
      "User: I just inherited $80,000 from my grandmother and I feel frozen. Where do I even start?\nAssistant: First, there is no rush. Put the money in a high-yield savings account while you grieve and think. Then we can look at your emergency fund, any high-interest debt, and your retirement accounts, one at a time.\nUser: That actually helps. What comes first?\nAssistant: Check that you have three to six months of expenses set aside. If you do, paying off any credit card debt is usually the next best step.",
      [MAPPING],
      "the pasted text",
    );
    expect(result).toMatchObject({ format: "text", created: ["seed-011"], unchanged: 0 });
    expect(await seedCount()).toBe(before + 1);
    const [row] = await handle.db.select().from(conversations).where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.conversationId, "seed-011")));
    expect(row).toMatchObject({ isSeed: true, status: "approved", title: MAPPING.title, persona: MAPPING.persona, emotion: MAPPING.emotionalArc, turnCount: 4 });
    expect(row.qualityScore).toBeGreaterThan(0);
    expect((await listTurnsByConversationId({ db: handle.db, conversationId: row.id }))[0].content).toMatch(/^I just inherited/);
    // Locked by the database: a seed can't be deleted.
    await expect(handle.db.delete(conversations).where(eq(conversations.id, row.id))).rejects.toThrow();
  });

  it("stores nothing when one conversation of the upload refers to a key that does not exist", async () => {
    const before = await seedCount();
    const text = `${openAiLine("Should I pay off my car loan early?", "Compare its rate with what your savings earn.")}\n${openAiLine("And my student loans?", "Same test: the rate decides.")}`;
    const error = await upload(text, [MAPPING, { ...MAPPING, persona: "no-such-persona" }]).catch((e: Error & { code?: string }) => e);
    expect(error).toMatchObject({ code: "seed_upload_invalid" });
    expect((error as Error).message).toMatch(/No seed was imported from seeds\.jsonl/);
    expect((error as Error).message).toMatch(/line 2 \(persona\): refers to persona "no-such-persona"/);
    expect(await seedCount()).toBe(before);
  });

  it("refuses an archived persona for a new seed and a mapping count that does not match", async () => {
    await handle.db.update(personas).set({ archivedAt: new Date() }).where(and(eq(personas.workspaceId, workspaceId), eq(personas.key, "cautious-pre-retiree")));
    const text = openAiLine("When can I retire?", "Let's run the numbers together.");
    await expect(upload(text, [{ ...MAPPING, persona: "cautious-pre-retiree" }])).rejects.toThrow(/line 1: persona "cautious-pre-retiree" is archived; choose another or restore it/);
    await expect(upload(text, [])).rejects.toThrow(/it holds 1 conversation\(s\) but 0 were described/);
    await expect(upload(text, [{ ...MAPPING, title: "  " }])).rejects.toThrow(/line 1: give it a title/);
  });

  it("imports ShareGPT lines as seeds, each with its own mapping and the file's system prompt", async () => {
    const record = (q: string) => JSON.stringify({ conversations: [{ from: "human", value: q }, { from: "gpt", value: "Here is how I would think about it." }], system: "You are a careful planner." });
    const result = await upload(`${record("Is gold a good hedge?")}\n${record("Should I buy bonds now?")}`, [MAPPING, { ...MAPPING, title: "Bonds now?" }], "share.jsonl");
    expect(result.created).toEqual(["seed-012", "seed-013"]);
    const [row] = await handle.db.select().from(conversations).where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.conversationId, "seed-013")));
    expect(row).toMatchObject({ title: "Bonds now?", systemPrompt: "You are a careful planner.", isSeed: true });
  });

  it("takes Bright Run seed JSON as the CLI does: stored ids are left as they are", async () => {
    const text = fs.readFileSync(path.join(SAMPLE, "seed-conversations.json"), "utf8");
    const result = await upload(text, [], "seed-conversations.json");
    expect(result).toMatchObject({ format: "brightrun_json", created: [], unchanged: 10 });
  });

  it("the Seeds quick filter (seed=yes in the URL) lists only seeds", async () => {
    const { state } = parseConversationTableParams(new URLSearchParams("seed=yes"));
    expect(state.filter.isSeed).toBe(true);
    expect(serializeConversationTableParams(state).toString()).toBe("seed=yes");
    const { issues } = parseConversationTableParams(new URLSearchParams("seed=maybe"));
    expect(issues[0]).toMatchObject({ param: "seed" });
    const listed = await listConversations({ db: handle.db, workspaceId, filter: state.filter, sort: { column: "conversation_id", direction: "asc" }, page: 1, perPage: 100 });
    expect(listed.total).toBe(await seedCount());
    expect(listed.rows.every((r) => r.isSeed)).toBe(true);
  });

  it("compares seeds with generated conversations: quality, its criteria, turns and characters per turn", async () => {
    await createPlan({ db: handle.db, workspaceId, split: { template: 2, scenario: 0, edge_case: 0 } });
    const seeds = await listSeeds({ db: handle.db, workspaceId });
    const comparison = await compareSeedsWithGenerated({ db: handle.db, workspaceId });
    expect(comparison.seeds.conversations).toBe(seeds.length);
    // Planned conversations have no text yet: the generated side is empty.
    expect(comparison.generated.conversations).toBe(0);
    const expectedQuality = seeds.reduce((sum, s) => sum + (s.qualityScore ?? 0), 0) / seeds.length;
    expect(comparison.seeds.averageQuality).toBeCloseTo(expectedQuality, 5);
    expect(comparison.seeds.averageTurns).toBeCloseTo(seeds.reduce((sum, s) => sum + s.turnCount, 0) / seeds.length, 5);
    expect(Object.keys(comparison.seeds.criteria)).toEqual(expect.arrayContaining(["turn_count", "relevance"]));
    const chars = await handle.db.execute(
      sql`select avg(length(t.content))::float8 as avg from conversation_turns t join conversations c on c.id = t.conversation_id where c.workspace_id = ${workspaceId} and c.is_seed`,
    );
    expect(comparison.seeds.averageTurnCharacters).toBeCloseTo(Number((chars as unknown as { rows: Array<{ avg: number }> }).rows[0].avg), 5);
    expect(comparison.byPersona.find((p) => p.key === MAPPING.persona)?.name).toBe("Anxious First-Time Investor");
    expect(comparison.byArc.length).toBeGreaterThan(0);
  });
});
