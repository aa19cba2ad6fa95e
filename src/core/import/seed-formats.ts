/**
 * Reading seed conversations a user brings in other shapes than Bright Run's own JSON: OpenAI chat
 * JSONL, ShareGPT, and one conversation pasted as "User: … / Assistant: …" text (issue 10 item 4,
 * US10.3.1). Pure: no database. Every problem names the line or entry and says what to fix; a
 * file with any problem gives no conversations (all or nothing).
 *
 * Field names are the formats' own, the same ones the exporters write (src/core/export):
 * - OpenAI chat fine-tuning: one `{"messages":[{"role":"system"|"user"|"assistant","content":…}]}`
 *   per line (https://platform.openai.com/docs/guides/fine-tuning, "Preparing your dataset").
 * - ShareGPT (LLaMA-Factory data/README.md, "Sharegpt Format"): `{"conversations":[{"from":
 *   "human"|"gpt"|"system","value":…}],"system":"…"}` per line, or a JSON array of such records.
 * - Bright Run seed JSON (`{"conversations":[{conversation_id, persona, …, turns}]}`,
 *   seedConversationsFileSchema) is recognised too; its entries carry their own taxonomy keys.
 */
import type { Turn } from "../types";
import { splitJsonLines } from "../export/json-lines";
import { SHAREGPT_TAGS } from "../export/format-sharegpt";
import { parseJson, PLAIN_ERRORS, zodProblems } from "./json-problems";
import { seedConversationsFileSchema, type SeedConversationsFile } from "./schemas";

import type { SeedUploadFormat } from "../../lib/seed-upload-formats";

export { SEED_UPLOAD_FORMATS, SEED_UPLOAD_FORMAT_LABELS, type SeedUploadFormat } from "../../lib/seed-upload-formats";

/** One conversation read from an upload, before it is mapped to the taxonomy. */
export interface ParsedSeedConversation {
  /** Where it is in the upload, as people count: "line 3", "entry 2", "the pasted text". */
  where: string;
  /** User first, assistant last, alternating (checked). */
  turns: Turn[];
  /** A system message the file carried (OpenAI `system` role, ShareGPT `system`), else null. */
  systemPrompt: string | null;
  /** A title suggested from the first user turn (first 60 characters, cut at a word). */
  suggestedTitle: string;
}

/** One thing wrong with an upload: `where` is "line 3", "entry 2, message 4" or null for the whole upload. */
export interface SeedUploadProblem {
  where: string | null;
  message: string;
}

export type SeedUploadParse =
  | { ok: true; format: Exclude<SeedUploadFormat, "brightrun_json">; conversations: ParsedSeedConversation[] }
  | { ok: true; format: "brightrun_json"; file: SeedConversationsFile; conversations: ParsedSeedConversation[] }
  | { ok: false; format: SeedUploadFormat | null; problems: SeedUploadProblem[] };

/** Most conversations one upload may hold. */
export const MAX_SEED_UPLOAD_CONVERSATIONS = 500;

/**
 * The order rule every seed obeys, the importer's and the uploads' alike: at least 2 turns,
 * user first, strictly alternating, the assistant's last, no empty turn.
 * @returns plain-English problems (empty when the turns are fine); "turn N" counts from 1
 */
export function seedTurnOrderProblems(turns: ReadonlyArray<{ role: string; content: string }>): string[] {
  const problems: string[] = [];
  if (turns.length < 2) problems.push(`it has ${turns.length === 0 ? "no turns" : "only 1 turn"}; a seed needs at least one user turn and the assistant's answer`);
  turns.forEach((turn, t) => {
    const expected = t % 2 === 0 ? "user" : "assistant";
    if (turn.role !== expected) problems.push(`turn ${t + 1} is "${turn.role}" but must be "${expected}": turns alternate, user first`);
    if (!turn.content.trim()) problems.push(`turn ${t + 1} is empty; write its text or remove it`);
  });
  if (turns.length >= 2 && turns[turns.length - 1].role !== "assistant") problems.push("the last turn must be the assistant's; add its answer or remove the last user turn");
  return problems;
}

/** A title from the first user turn: its first 60 characters, cut at a word, with "…" when cut. */
export function suggestSeedTitle(turns: readonly Turn[]): string {
  const first = turns.find((t) => t.role === "user")?.content.replace(/\s+/g, " ").trim() ?? "";
  if (first.length <= 60) return first || "Seed conversation";
  const cut = first.slice(0, 60);
  const space = cut.lastIndexOf(" ");
  return `${(space > 30 ? cut.slice(0, space) : cut).replace(/[,.;:!?-]+$/, "")}…`;
}

/**
 * Reads an upload in any supported shape. `format` forces one; without it the shape is recognised:
 * a JSON document whose `conversations` entries have `turns` is Bright Run seed JSON, records with
 * `conversations` of `from`/`value` are ShareGPT (one record, an array, or one per line), records
 * with `messages` are OpenAI chat (one per line, or an array), and anything that is not JSON is
 * read as pasted "User: … / Assistant: …" text.
 * @param text the upload's text (UTF-8 decoded)
 * @returns the conversations, or every problem found (none imported); never throws
 */
export function parseSeedUpload({ text, format }: { text: string; format?: SeedUploadFormat }): SeedUploadParse {
  const body = text.replace(/^\uFEFF/, "");
  if (!body.trim()) return { ok: false, format: format ?? null, problems: [{ where: null, message: "the upload is empty: choose a file or paste a conversation" }] };
  const chosen = format ?? detectSeedFormat(body);
  switch (chosen) {
    case "brightrun_json":
      return parseBrightRunSeeds(body);
    case "openai_jsonl":
    case "sharegpt":
      return parseRecords(body, chosen);
    case "text":
      return parsePastedText(body);
  }
}

/** The shape of an upload from its text (see parseSeedUpload). */
export function detectSeedFormat(text: string): SeedUploadFormat {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return "text";
  const whole = parseJson(trimmed);
  const first = whole.ok ? (Array.isArray(whole.value) ? whole.value[0] : whole.value) : firstJsonLine(trimmed);
  if (first && typeof first === "object") {
    const record = first as Record<string, unknown>;
    if (Array.isArray(record.messages)) return "openai_jsonl";
    if (Array.isArray(record.conversations)) {
      const entry = record.conversations[0] as Record<string, unknown> | undefined;
      if (entry && typeof entry === "object" && ("from" in entry || "value" in entry)) return "sharegpt";
      return whole.ok && !Array.isArray(whole.value) ? "brightrun_json" : "sharegpt";
    }
  }
  return whole.ok ? "brightrun_json" : "openai_jsonl";
}

function firstJsonLine(text: string): unknown {
  const line = splitJsonLines(text).find((l) => l.text.trim());
  if (!line) return null;
  const parsed = parseJson(line.text);
  return parsed.ok ? parsed.value : null;
}

function parseBrightRunSeeds(text: string): SeedUploadParse {
  const parsed = parseJson(text);
  if (!parsed.ok) return { ok: false, format: "brightrun_json", problems: [{ where: parsed.where, message: parsed.message }] };
  const result = seedConversationsFileSchema.safeParse(parsed.value, PLAIN_ERRORS);
  if (!result.success) {
    return { ok: false, format: "brightrun_json", problems: zodProblems("upload", result.error, text, parsed.tree).map((p) => ({ where: p.where, message: p.message })) };
  }
  const problems: SeedUploadProblem[] = [];
  result.data.conversations.forEach((c, i) => {
    for (const message of seedTurnOrderProblems(c.turns)) problems.push({ where: `entry ${i + 1} ("${c.conversation_id}")`, message });
  });
  if (problems.length) return { ok: false, format: "brightrun_json", problems };
  return {
    ok: true,
    format: "brightrun_json",
    file: result.data,
    conversations: result.data.conversations.map((c, i) => ({ where: `entry ${i + 1}`, turns: c.turns, systemPrompt: null, suggestedTitle: c.title })),
  };
}

/** The records of a JSONL text, or of a JSON array / single object, each with where it is. */
function readRecords(text: string): { records: Array<{ where: string; value: unknown }>; problems: SeedUploadProblem[] } {
  const trimmed = text.trim();
  const whole = parseJson(trimmed);
  if (whole.ok) {
    if (Array.isArray(whole.value)) return { records: whole.value.map((value, i) => ({ where: `entry ${i + 1}`, value })), problems: [] };
    return { records: [{ where: trimmed.includes("\n") ? "the conversation" : "line 1", value: whole.value }], problems: [] };
  }
  const records: Array<{ where: string; value: unknown }> = [];
  const problems: SeedUploadProblem[] = [];
  for (const line of splitJsonLines(text)) {
    if (!line.text.trim()) continue;
    const parsed = parseJson(line.text);
    if (parsed.ok) records.push({ where: `line ${line.line}`, value: parsed.value });
    else problems.push({ where: `line ${line.line}`, message: `${parsed.message} (${parsed.where.replace(/^line 1, /, "")}); each line must be one complete JSON object` });
  }
  return { records, problems };
}

const OPENAI_ROLES: Record<string, "system" | "user" | "assistant"> = { system: "system", developer: "system", user: "user", assistant: "assistant" };
const SHAREGPT_ROLES: Record<string, "system" | "user" | "assistant"> = { [SHAREGPT_TAGS.user]: "user", [SHAREGPT_TAGS.assistant]: "assistant", system: "system" };

function parseRecords(text: string, format: "openai_jsonl" | "sharegpt"): SeedUploadParse {
  const { records, problems } = readRecords(text);
  const conversations: ParsedSeedConversation[] = [];
  const listKey = format === "openai_jsonl" ? "messages" : "conversations";
  const example =
    format === "openai_jsonl"
      ? '{"messages":[{"role":"user","content":"…"},{"role":"assistant","content":"…"}]}'
      : '{"conversations":[{"from":"human","value":"…"},{"from":"gpt","value":"…"}]}';
  if (!records.length && !problems.length) problems.push({ where: null, message: `no conversations found; each line must look like ${example}` });
  if (records.length > MAX_SEED_UPLOAD_CONVERSATIONS) {
    problems.push({ where: null, message: `${records.length} conversations is more than ${MAX_SEED_UPLOAD_CONVERSATIONS} in one upload; split the file` });
  }
  for (const { where, value } of records) {
    const record = value as Record<string, unknown> | null;
    const list = record && typeof record === "object" && !Array.isArray(record) ? record[listKey] : undefined;
    if (!Array.isArray(list)) {
      problems.push({ where, message: `has no "${listKey}" list; it must look like ${example}` });
      continue;
    }
    const turns: Turn[] = [];
    let systemPrompt: string | null = null;
    let broken = false;
    list.forEach((raw, m) => {
      const at = `${where}, message ${m + 1}`;
      const message = raw as Record<string, unknown> | null;
      const roleField = format === "openai_jsonl" ? "role" : "from";
      const contentField = format === "openai_jsonl" ? "content" : "value";
      if (!message || typeof message !== "object") {
        problems.push({ where: at, message: `must be an object with "${roleField}" and "${contentField}"` });
        broken = true;
        return;
      }
      const tag = message[roleField];
      const role = typeof tag === "string" ? (format === "openai_jsonl" ? OPENAI_ROLES[tag] : SHAREGPT_ROLES[tag]) : undefined;
      if (!role) {
        const allowed = format === "openai_jsonl" ? '"system", "user" or "assistant"' : `"${SHAREGPT_TAGS.user}", "${SHAREGPT_TAGS.assistant}" or "system"`;
        problems.push({
          where: at,
          message: tag === undefined ? `has no "${roleField}"; give ${allowed}` : `has ${roleField} ${JSON.stringify(tag)}; a seed may only use ${allowed} (tool and function messages are not supported)`,
        });
        broken = true;
        return;
      }
      const content = message[contentField];
      if (typeof content !== "string") {
        problems.push({ where: at, message: `its "${contentField}" must be text${Array.isArray(content) ? " (content parts such as images are not supported)" : ""}` });
        broken = true;
        return;
      }
      if (role === "system") {
        if (turns.length) {
          problems.push({ where: at, message: "a system message may only come first; move it to the start or remove it" });
          broken = true;
        } else systemPrompt = content;
        return;
      }
      turns.push({ role, content });
    });
    if (format === "sharegpt" && typeof record?.system === "string" && record.system.trim()) systemPrompt = systemPrompt ?? record.system;
    if (broken) continue;
    for (const message of seedTurnOrderProblems(turns)) problems.push({ where, message });
    conversations.push({ where, turns, systemPrompt, suggestedTitle: suggestSeedTitle(turns) });
  }
  if (problems.length) return { ok: false, format, problems };
  return { ok: true, format, conversations };
}

/** Speaker labels a pasted line may start with (case-insensitive), and the role each stands for. */
const SPEAKERS: Array<[RegExp, "system" | "user" | "assistant"]> = [
  [/^(user|human|customer|client)\s*:\s?/i, "user"],
  [/^(assistant|ai|gpt|advisor|agent)\s*:\s?/i, "assistant"],
  [/^system\s*:\s?/i, "system"],
];

function parsePastedText(text: string): SeedUploadParse {
  const problems: SeedUploadProblem[] = [];
  const turns: Array<Turn & { line: number }> = [];
  let systemPrompt: string | null = null;
  let current: { role: "system" | "user" | "assistant"; lines: string[]; line: number } | null = null;
  const flush = () => {
    if (!current) return;
    const content = current.lines.join("\n").trim();
    if (current.role === "system") {
      if (turns.length) problems.push({ where: `line ${current.line}`, message: 'a "System:" line may only come first; move it to the start or remove it' });
      else systemPrompt = content;
    } else turns.push({ role: current.role, content, line: current.line });
  };
  text.split(/\r?\n/).forEach((raw, i) => {
    const speaker = SPEAKERS.find(([pattern]) => pattern.test(raw.trimStart()));
    if (speaker) {
      flush();
      current = { role: speaker[1], lines: [raw.trimStart().replace(speaker[0], "")], line: i + 1 };
    } else if (current) {
      current.lines.push(raw);
    } else if (raw.trim()) {
      problems.push({ where: `line ${i + 1}`, message: 'the conversation must start with a "User:" line (each turn starts with "User:" or "Assistant:")' });
      current = null;
    }
  });
  flush();
  if (problems.length) return { ok: false, format: "text", problems };
  const orderProblems = seedTurnOrderProblems(turns).map((message) => {
    const turn = /^turn (\d+)/.exec(message);
    return { where: turn ? `line ${turns[Number(turn[1]) - 1].line}` : "the pasted text", message };
  });
  if (orderProblems.length) return { ok: false, format: "text", problems: orderProblems };
  const clean = turns.map(({ role, content }) => ({ role, content }));
  return { ok: true, format: "text", conversations: [{ where: "the pasted text", turns: clean, systemPrompt, suggestedTitle: suggestSeedTitle(clean) }] };
}

/** Problems as "where: message" lines, for an error message or the CLI. */
export function formatSeedUploadProblems(problems: readonly SeedUploadProblem[], max = 25): string {
  const lines = problems.slice(0, max).map((p) => `  - ${p.where ? `${p.where}: ` : ""}${p.message}`);
  if (problems.length > max) lines.push(`  …and ${problems.length - max} more`);
  return lines.join("\n");
}
