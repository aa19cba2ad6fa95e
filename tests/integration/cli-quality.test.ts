/**
 * `brightrun quality score FILE.jsonl [--json]` (issue 12, item 2), run as a user runs it: the real
 * binary with raw arguments, on a file with good, bad and malformed lines. It must not import
 * anything or open the database: the data directory is never created and DATABASE_URL points at
 * a server that does not exist.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GOOD_CONVERSATIONS, deriveDefectiveConversations } from "../support/quality-conversations.fixture";

const ROOT = path.resolve(__dirname, "../..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-quality-"));
const dataDir = path.join(work, "data");

function brightrun(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, BRIGHTRUN_DATA_DIR: dataDir, DATABASE_URL: "postgres://nobody@127.0.0.1:1/not_there" };
  const result = spawnSync(process.execPath, [path.join(ROOT, "bin/brightrun.mjs"), ...args], { cwd: work, env, encoding: "utf8", timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const bakery = GOOD_CONVERSATIONS[0];
const salad = deriveDefectiveConversations(bakery, GOOD_CONVERSATIONS[1]).find((conversation) => conversation.defect === "word_salad")!;
const record = (turns: { role: string; content: string }[], metadata?: Record<string, string>) =>
  JSON.stringify({ messages: [{ role: "system", content: "You are Crumb & Co. Bakery's assistant." }, ...turns], ...(metadata ? { metadata } : {}) });

const lines = [
  record(bakery.turns, { persona: bakery.persona.name, emotion: bakery.emotion, topic: bakery.topic.name, intent: bakery.intent, tone: bakery.tone, tier: "template" }),
  '{"messages": [{"role": "user", "content": "Do you deliver?"}, ',
  record(salad.turns),
  "",
  record(bakery.turns.map((turn, index) => (index === 0 ? { ...turn, content: `As a ${bakery.persona.name} feeling ${bakery.emotion}, ${turn.content}` } : turn)), { persona: bakery.persona.name, emotion: bakery.emotion }),
];
const file = path.join(work, "conversations.jsonl");
fs.writeFileSync(file, `${lines.join("\n")}\n`);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe("brightrun quality score", () => {
  it("--json: one entry per line in order, an error for the malformed line, the rest scored", () => {
    const run = brightrun("quality", "score", file, "--json");
    expect(run.code, run.stderr).toBe(0);
    const entries = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(entries.map((entry) => entry.line)).toEqual([1, 2, 3, 5]);

    expect(entries[0]).toMatchObject({ line: 1, flagged: false });
    expect(entries[0].score).toBeGreaterThanOrEqual(8);
    expect(Array.isArray(entries[0].breakdown)).toBe(true);
    expect((entries[0].breakdown as Array<{ id: string }>).map((row) => row.id)).toContain("fluency");

    expect(entries[1]).not.toHaveProperty("score");
    expect(entries[1].error).toMatch(/^Line 2 is not valid JSON/);

    expect(entries[2]).toMatchObject({ line: 3, flagged: true });
    expect(entries[2].score).toBeLessThan(6);
    expect((entries[2].reasons as string[]).join(" ")).toMatch(/word salad/);

    expect(entries[3]).toMatchObject({ line: 5, flagged: true });
    expect((entries[3].reasons as string[]).join(" ")).toMatch(/template labels pasted in/);
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it("without --json: a readable table with the main reasons and a summary", () => {
    const run = brightrun("quality", "score", file);
    expect(run.code, run.stderr).toBe(0);
    const rows = run.stdout.split("\n");
    expect(rows[0]).toMatch(/^Line\s+Score\s+Flagged\s+Main reasons/);
    expect(rows.find((row) => /^\s+2\s/.test(row))).toMatch(/error\s+Line 2 is not valid JSON/);
    expect(rows.find((row) => /^\s+3\s/.test(row))).toMatch(/yes\s+.*word salad/);
    expect(run.stdout).toMatch(/Scored 3 conversations from .*conversations\.jsonl: 1 high \(8-10\), 0 medium \(6 to under 8\), 2 flagged for review \(under 6\); average \d+\.\d\. 1 line could not be read/);
  });

  it("fails plainly, with a non-zero exit code, when the file cannot be read", () => {
    const missing = brightrun("quality", "score", path.join(work, "nope.jsonl"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Cannot score ".*nope\.jsonl": no such file\. Check the path and try again\./);
    const folder = brightrun("quality", "score", work, "--json");
    expect(folder.code).toBe(1);
    expect(folder.stderr).toMatch(/it is a folder/);
    expect(folder.stdout).toBe("");
  });
});
