/**
 * The conversation contract (ARCHITECTURE.md, "The conversation contract"): the generator model
 * replies with JSON text `{"turns":[{"role":"user"|"assistant","content":"…"}, …]}`.
 * This module turns that text into `Turn[]`, or says in plain English what was wrong with it.
 */
import { z } from "zod";
import { AppError } from "../errors";
import { TURN_ROLES } from "../../lib/constants";
import type { Turn } from "../types";

/** Fewest turns a conversation can have: one user message and one assistant reply. */
export const MIN_TURNS = 2;

/** How many problems a `malformed_response` message lists before saying "and N more". */
const MAX_PROBLEMS_IN_MESSAGE = 3;

/** The sentence a malformed_response message ends with; callers that keep the reply elsewhere (Test Template) replace it. */
export const RAW_REPLY_KEPT = "The raw reply is kept on the conversation.";

const turnSchema = z.object({
  role: z.enum(TURN_ROLES),
  content: z.string().refine((value) => value.trim().length > 0, { message: "content is empty" }),
});

const replySchema = z.object({
  turns: z.array(turnSchema),
});

/** One thing wrong with a reply, as kept in `AppError.detail.issues`. */
export interface ReplyIssue {
  /** JSON path inside the reply, e.g. `["turns", 2, "role"]`. */
  path: Array<string | number>;
  /** Plain-English description, e.g. "turn 3 has role 'system'…". */
  message: string;
  /** zod's issue code, or "sequence" for the alternation rules checked after the schema. */
  code: string;
}

/**
 * Parses a generator model's reply into conversation turns.
 *
 * Accepts exactly the contract `{"turns":[{"role":"user"|"assistant","content":"…"}, …]}`,
 * optionally wrapped in a ```json (or bare ```) fence, with any leading/trailing whitespace.
 * Extra keys are ignored. Rules: at least 2 turns, every `content` a non-empty string, the first
 * turn from `user`, the last from `assistant`, and roles strictly alternating. Turn text is
 * returned trimmed of surrounding whitespace.
 *
 * @param text the raw reply text (GenerationResponse.text)
 * @returns the validated turns, in order
 * @throws AppError code `malformed_response`, `retryable: true` (a new attempt usually yields a
 *   valid reply). `message` says what was wrong in plain English; `detail` carries
 *   `{ reason: "empty" | "invalid_json" | "invalid_shape", jsonError?, position?, issues?, replyLength }`.
 */
export function parseConversationReply(text: string): Turn[] {
  const body = stripFence(text.trim());
  if (body.length === 0) {
    throw malformed("The model's reply was empty.", { reason: "empty", replyLength: text.length });
  }

  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    const jsonError = error instanceof Error ? error.message : String(error);
    const position = jsonErrorPosition(jsonError);
    const where = plainJsonError(jsonError) + (position === null ? "" : ` at position ${position}`);
    throw malformed(`The model's reply was not valid JSON (${where}).`, {
      reason: "invalid_json",
      jsonError,
      position,
      replyLength: text.length,
    });
  }

  const issues: ReplyIssue[] = [];
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    issues.push({
      path: [],
      code: "invalid_type",
      message: `the reply is JSON ${describeJsonType(data)}, not an object with a "turns" list`,
    });
    throw invalidShape(issues, text);
  }

  const parsed = replySchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((key): key is string | number => typeof key !== "symbol");
      issues.push({ path, code: issue.code, message: describeIssue(path, data, issue.message) });
    }
    throw invalidShape(issues, text);
  }

  const turns = parsed.data.turns;
  issues.push(...sequenceIssues(turns));
  if (issues.length > 0) throw invalidShape(issues, text);

  return turns.map((turn) => ({ role: turn.role, content: turn.content.trim() }));
}

/** Removes one ```json / ``` fence around the whole reply, if there is one. */
export function stripFence(text: string): string {
  const fenced = /^```[ \t]*(?:json|JSON)?[ \t]*\r?\n?([\s\S]*?)\r?\n?[ \t]*```$/.exec(text);
  return fenced ? fenced[1].trim() : text;
}

/** V8 says "… in JSON at position 12" (older) or gives no position (newer wording). */
function jsonErrorPosition(message: string): number | null {
  const match = /position (\d+)/.exec(message);
  return match ? Number(match[1]) : null;
}

/**
 * Shortens V8's wording for people: drops the echoed reply (`, "…" is not valid JSON`) and the
 * position suffix, which is reported separately.
 */
function plainJsonError(message: string): string {
  return message
    .replace(/,\s*".*"(?:\.\.\.)? is not valid JSON$/s, "")
    .replace(/\s*(?:in JSON )?at position \d+.*$/s, "")
    .trim();
}

function describeJsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "but a list";
  return `but a ${typeof value}`;
}

/** Reads the value at `path` inside the parsed reply, for quoting it back in a message. */
function valueAt(data: unknown, path: Array<string | number>): unknown {
  let current: unknown = data;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function quote(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  return JSON.stringify(value) ?? String(value);
}

function describeIssue(path: Array<string | number>, data: unknown, zodMessage: string): string {
  const [root, index, field] = path;
  if (root !== "turns") return `the reply ${zodMessage}`;
  if (index === undefined) {
    const value = valueAt(data, ["turns"]);
    return value === undefined ? `the reply has no "turns" list` : `"turns" is ${quote(value)}, not a list`;
  }
  const turnNumber = typeof index === "number" ? index + 1 : index;
  const value = valueAt(data, path);
  if (field === undefined) return `turn ${turnNumber} is ${quote(value)}, not an object with role and content`;
  if (field === "role") {
    return value === undefined
      ? `turn ${turnNumber} has no role (expected 'user' or 'assistant')`
      : `turn ${turnNumber} has role ${quote(value)} (only 'user' and 'assistant' are allowed)`;
  }
  if (field === "content") {
    if (value === undefined) return `turn ${turnNumber} has no content`;
    if (typeof value !== "string") return `turn ${turnNumber} has content ${quote(value)}, not text`;
    return `turn ${turnNumber} has empty content`;
  }
  return `turn ${turnNumber}: ${zodMessage}`;
}

/** The ordering rules zod's shape check does not cover. */
function sequenceIssues(turns: Array<{ role: Turn["role"] }>): ReplyIssue[] {
  const issues: ReplyIssue[] = [];
  if (turns.length < MIN_TURNS) {
    issues.push({
      path: ["turns"],
      code: "sequence",
      message: `it has ${turns.length} turn${turns.length === 1 ? "" : "s"}; a conversation needs at least ${MIN_TURNS}`,
    });
    return issues;
  }
  if (turns[0].role !== "user") {
    issues.push({ path: ["turns", 0, "role"], code: "sequence", message: `turn 1 is from '${turns[0].role}'; the first turn must be from 'user'` });
  }
  for (let i = 1; i < turns.length; i += 1) {
    if (turns[i].role === turns[i - 1].role) {
      issues.push({
        path: ["turns", i, "role"],
        code: "sequence",
        message: `turns ${i} and ${i + 1} are both from '${turns[i].role}'; roles must alternate user, assistant, user…`,
      });
    }
  }
  const last = turns[turns.length - 1];
  if (last.role !== "assistant") {
    issues.push({
      path: ["turns", turns.length - 1, "role"],
      code: "sequence",
      message: `the last turn (turn ${turns.length}) is from '${last.role}'; the conversation must end with 'assistant'`,
    });
  }
  return issues;
}

function invalidShape(issues: ReplyIssue[], text: string): AppError {
  const listed = issues.slice(0, MAX_PROBLEMS_IN_MESSAGE).map((issue) => issue.message);
  const more = issues.length - listed.length;
  const summary = listed.join("; ") + (more > 0 ? `; and ${more} more problem${more === 1 ? "" : "s"}` : "");
  return malformed(`The model's reply is not a valid conversation: ${summary}.`, {
    reason: "invalid_shape",
    issues,
    replyLength: text.length,
  });
}

function malformed(what: string, detail: Record<string, unknown>): AppError {
  return new AppError("malformed_response", `${what} ${RAW_REPLY_KEPT}`, { retryable: true, detail });
}
