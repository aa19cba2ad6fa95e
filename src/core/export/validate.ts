/**
 * Validators that check each produced line against its format's published rules, and the guard
 * the exporter calls before anything is handed back to be written.
 *
 * Every validator returns plain-English problems; an empty list means valid. Record validators
 * judge one parsed line; `validateExportContent` parses a whole file and numbers the lines.
 *
 * Sources, per format:
 * - openai: OpenAI Cookbook, "Data preparation and analysis for chat model fine-tuning"
 *   (https://cookbook.openai.com/examples/chat_finetuning_data_prep; openai/openai-cookbook
 *   examples/Chat_finetuning_data_prep.ipynb), "Format validation": data_type,
 *   missing_messages_list, message_missing_key, message_unrecognized_key, unrecognized_role,
 *   missing_content, example_missing_assistant_message.
 * - anthropic: Anthropic Cookbook, "Finetuning Claude 3 Haiku on Bedrock"
 *   (https://platform.claude.com/cookbook/finetuning-finetuning-on-bedrock): system optional, at
 *   least two messages, first from the user, last from the assistant, alternating, no extraneous keys.
 * - sharegpt: LLaMA-Factory data/README.md "Sharegpt Format" and
 *   src/llamafactory/data/converter.py `SharegptDatasetConverter` (human/observation at 0-based
 *   even indexes, gpt/function_call at odd ones, an even number of messages; otherwise the
 *   example is skipped with "Invalid role tag" / "Invalid message count").
 * - hf: the conversational `messages` format of Hugging Face TRL
 *   (https://huggingface.co/docs/trl/dataset_formats#conversational): role/content dicts,
 *   roles system/user/assistant, and for supervised fine-tuning a final assistant turn.
 *
 * Bright Run adds one house rule to every format (codes `first_message_not_user`,
 * `consecutive_same_role`, `last_message_not_assistant`, `system_message_not_first`): after an
 * optional system prompt, user and assistant take turns, starting with the user and ending with
 * the assistant, as every generated conversation must (ARCHITECTURE.md, conversation contract).
 */
import type { ExportFormat } from "../../lib/constants";
import { AppError } from "../errors";
import { FORMAT_LABELS } from "./format-versions";
import { HF_METADATA_COLUMNS } from "./format-hf";
import { splitJsonLines } from "./json-lines";
import type { ExportProblem, RecordProblem } from "./types";

/** How many problems an `export_invalid` error message lists before "and N more". */
export const PROBLEMS_IN_ERROR_MESSAGE = 5;

/** Message keys the OpenAI cookbook accepts (`message_unrecognized_key` otherwise). */
const OPENAI_MESSAGE_KEYS = ["role", "content", "name", "function_call", "weight"];
/** Roles Bright Run emits and accepts. The cookbook also tolerates the legacy "function", which Bright Run never writes. */
const CHAT_ROLES = ["system", "user", "assistant"];
/** ShareGPT tags LLaMA-Factory accepts at 0-based even / odd indexes (converter.py `accept_tags`). */
const SHAREGPT_EVEN_INDEX_TAGS = ["human", "observation"];
const SHAREGPT_ODD_INDEX_TAGS = ["gpt", "function_call"];

// ---------------------------------------------------------------------------------------------
// OpenAI

/**
 * Checks one OpenAI chat fine-tuning line, `{"messages":[{role, content}, …]}`.
 *
 * Ports the OpenAI cookbook's format checks (codes as in the cookbook): `data_type` (not an
 * object), `missing_messages_list` (no or empty `messages`), `message_missing_key` (no `role` or
 * `content`), `message_unrecognized_key` (keys other than role, content, name, function_call,
 * weight), `unrecognized_role` (Bright Run accepts system, user, assistant), `missing_content`
 * (content not a string, or blank without a function_call), `example_missing_assistant_message`.
 * Adds the house turn-order rules described at the top of this file.
 */
export function validateOpenAiChatRecord(record: unknown): RecordProblem[] {
  if (!isObject(record)) return [{ code: "data_type", message: `the line is ${describe(record)}, not a JSON object` }];
  const messages = record.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    return [{ code: "missing_messages_list", message: missingListMessage("messages", messages) }];
  }
  const problems: RecordProblem[] = [];
  messages.forEach((message, index) => {
    const n = index + 1;
    if (!isObject(message)) {
      problems.push({ code: "message_missing_key", message: `message ${n} is ${describe(message)}, not an object with "role" and "content"` });
      return;
    }
    for (const key of ["role", "content"]) {
      if (!(key in message)) problems.push({ code: "message_missing_key", message: `message ${n} has no "${key}"` });
    }
    const unknown = Object.keys(message).filter((key) => !OPENAI_MESSAGE_KEYS.includes(key));
    if (unknown.length > 0) {
      problems.push({
        code: "message_unrecognized_key",
        message: `message ${n} has ${keyList(unknown)}; only role, content, name, function_call and weight are allowed`,
      });
    }
    if ("role" in message && !CHAT_ROLES.includes(message.role as string)) {
      problems.push({ code: "unrecognized_role", message: `message ${n} has role ${show(message.role)}; use "system", "user" or "assistant"` });
    }
    const content = message.content;
    const hasFunctionCall = message.function_call !== undefined && message.function_call !== null;
    if ("content" in message && (typeof content !== "string" || (content.trim() === "" && !hasFunctionCall))) {
      problems.push({ code: "missing_content", message: contentMessage(n, content) });
    }
  });
  if (!messages.some((message) => isObject(message) && message.role === "assistant")) {
    problems.push({ code: "example_missing_assistant_message", message: "there is no assistant message, so there is nothing to learn from" });
  }
  problems.push(...chatOrderProblems(messages));
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Anthropic (Amazon Bedrock, Claude 3 Haiku)

/**
 * Checks one Bedrock Claude fine-tuning line, `{"system"?: string, "messages":[…]}`, against the
 * Anthropic cookbook's Bedrock rules: only `system` and `messages` at the top level
 * (`extraneous_key`); `system`, when present, a string (`system_not_string`); at least two
 * messages (`missing_messages`, `too_few_messages`); each message exactly `role` and `content`
 * (`message_missing_key`, `message_unrecognized_key`); roles user/assistant only
 * (`unrecognized_role`; a system message belongs in `system`); content a non-blank string
 * (`missing_content`); first user, last assistant, alternating.
 */
export function validateBedrockClaudeRecord(record: unknown): RecordProblem[] {
  if (!isObject(record)) return [{ code: "data_type", message: `the line is ${describe(record)}, not a JSON object` }];
  const problems: RecordProblem[] = [];
  const extra = Object.keys(record).filter((key) => key !== "system" && key !== "messages");
  if (extra.length > 0) {
    problems.push({ code: "extraneous_key", message: `the line has ${keyList(extra)}; Bedrock allows only "system" and "messages"` });
  }
  if ("system" in record && typeof record.system !== "string") {
    problems.push({ code: "system_not_string", message: `"system" is ${describe(record.system)}; it must be a string (or left out)` });
  }
  const messages = record.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    problems.push({ code: "missing_messages", message: missingListMessage("messages", messages) });
    return problems;
  }
  if (messages.length < 2) {
    problems.push({ code: "too_few_messages", message: "there is only one message; Bedrock needs at least a user message and the assistant's reply" });
  }
  const roles: unknown[] = [];
  messages.forEach((message, index) => {
    const n = index + 1;
    if (!isObject(message)) {
      problems.push({ code: "message_missing_key", message: `message ${n} is ${describe(message)}, not an object with "role" and "content"` });
      roles.push(undefined);
      return;
    }
    roles.push(message.role);
    for (const key of ["role", "content"]) {
      if (!(key in message)) problems.push({ code: "message_missing_key", message: `message ${n} has no "${key}"` });
    }
    const extraKeys = Object.keys(message).filter((key) => key !== "role" && key !== "content");
    if (extraKeys.length > 0) {
      problems.push({ code: "message_unrecognized_key", message: `message ${n} has ${keyList(extraKeys)}; only "role" and "content" are allowed` });
    }
    if ("role" in message && message.role !== "user" && message.role !== "assistant") {
      const hint = message.role === "system" ? '; put the system prompt in the top-level "system" field instead' : '; use "user" or "assistant"';
      problems.push({ code: "unrecognized_role", message: `message ${n} has role ${show(message.role)}${hint}` });
    }
    if ("content" in message && !isNonBlankString(message.content)) {
      problems.push({ code: "missing_content", message: contentMessage(n, message.content) });
    }
  });
  problems.push(...turnOrderProblems(roles, { user: "user", assistant: "assistant", firstNumber: 1, userWord: "the user", assistantWord: "the assistant" }));
  return problems;
}

// ---------------------------------------------------------------------------------------------
// ShareGPT (LLaMA-Factory)

/**
 * Checks one LLaMA-Factory ShareGPT line, `{"conversations":[{from, value}, …], "system"?: string}`,
 * against LLaMA-Factory's rules: a non-empty `conversations` list (`missing_conversations`); each
 * message an object with string `from` and `value` (`message_missing_key`); `from` one of human,
 * gpt, function_call, observation (`unrecognized_role`; a leading "system" message is tolerated,
 * as the converter lifts it out); human/observation at the 1st, 3rd, 5th… position and
 * gpt/function_call at the 2nd, 4th… (`wrong_position`, the converter's position check); an even
 * number of messages (`odd_message_count`); non-blank values (`missing_content`); `system`, when
 * present, a string (`system_not_string`).
 */
export function validateShareGptRecord(record: unknown): RecordProblem[] {
  if (!isObject(record)) return [{ code: "data_type", message: `the line is ${describe(record)}, not a JSON object` }];
  const problems: RecordProblem[] = [];
  if ("system" in record && typeof record.system !== "string") {
    problems.push({ code: "system_not_string", message: `"system" is ${describe(record.system)}; it must be a string` });
  }
  const all = record.conversations;
  if (!Array.isArray(all) || all.length === 0) {
    problems.push({ code: "missing_conversations", message: missingListMessage("conversations", all) });
    return problems;
  }
  const leadingSystem = isObject(all[0]) && all[0].from === "system";
  const messages = leadingSystem ? all.slice(1) : all;
  const offset = leadingSystem ? 1 : 0;
  messages.forEach((message, index) => {
    const n = index + 1 + offset;
    if (!isObject(message)) {
      problems.push({ code: "message_missing_key", message: `message ${n} is ${describe(message)}, not an object with "from" and "value"` });
      return;
    }
    for (const key of ["from", "value"]) {
      if (!(key in message)) problems.push({ code: "message_missing_key", message: `message ${n} has no "${key}"` });
    }
    if (!("from" in message)) return;
    const from = message.from;
    const expected = index % 2 === 0 ? SHAREGPT_EVEN_INDEX_TAGS : SHAREGPT_ODD_INDEX_TAGS;
    if (![...SHAREGPT_EVEN_INDEX_TAGS, ...SHAREGPT_ODD_INDEX_TAGS].includes(from as string)) {
      problems.push({ code: "unrecognized_role", message: `message ${n} is from ${show(from)}; LLaMA-Factory expects "human" or "gpt"` });
    } else if (!expected.includes(from as string)) {
      const place = index % 2 === 0 ? "1st, 3rd, 5th…" : "2nd, 4th, 6th…";
      problems.push({
        code: "wrong_position",
        message: `message ${n} is from ${show(from)} but the ${place} messages must be from ${expected.map((tag) => `"${tag}"`).join(" or ")}; LLaMA-Factory skips this conversation ("Invalid role tag")`,
      });
    }
    if ("value" in message && !isNonBlankString(message.value)) {
      problems.push({ code: "missing_content", message: contentMessage(n, message.value) });
    }
  });
  if (messages.length % 2 !== 0) {
    problems.push({
      code: "odd_message_count",
      message: `there are ${messages.length} messages; LLaMA-Factory needs an even number (every human message answered by gpt) and skips this conversation ("Invalid message count")`,
    });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Hugging Face

/**
 * Checks one Hugging Face line: a non-empty `messages` list of `{role, content}`
 * (`missing_messages_list`, `message_missing_key`, `message_unrecognized_key`), roles system, user,
 * assistant (`unrecognized_role`), non-blank string content (`missing_content`), the system message
 * only first, turns alternating and ending with the assistant; plus every metadata column present
 * (`missing_column`) with a non-empty string `conversation_id` and a number-or-null `quality_score`
 * (`column_type`).
 */
export function validateHfRecord(record: unknown): RecordProblem[] {
  if (!isObject(record)) return [{ code: "data_type", message: `the line is ${describe(record)}, not a JSON object` }];
  const problems: RecordProblem[] = [];
  const missing = HF_METADATA_COLUMNS.filter((column) => !(column in record));
  if (missing.length > 0) {
    problems.push({ code: "missing_column", message: `the line has no ${missing.map((c) => `"${c}"`).join(", ")} column${missing.length > 1 ? "s" : ""}` });
  }
  if ("conversation_id" in record && !isNonBlankString(record.conversation_id)) {
    problems.push({ code: "column_type", message: `"conversation_id" is ${describe(record.conversation_id)}; it must be a non-empty string` });
  }
  if ("quality_score" in record && record.quality_score !== null && typeof record.quality_score !== "number") {
    problems.push({ code: "column_type", message: `"quality_score" is ${describe(record.quality_score)}; it must be a number or null` });
  }
  const messages = record.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    problems.push({ code: "missing_messages_list", message: missingListMessage("messages", messages) });
    return problems;
  }
  messages.forEach((message, index) => {
    const n = index + 1;
    if (!isObject(message)) {
      problems.push({ code: "message_missing_key", message: `message ${n} is ${describe(message)}, not an object with "role" and "content"` });
      return;
    }
    for (const key of ["role", "content"]) {
      if (!(key in message)) problems.push({ code: "message_missing_key", message: `message ${n} has no "${key}"` });
    }
    const extraKeys = Object.keys(message).filter((key) => key !== "role" && key !== "content");
    if (extraKeys.length > 0) {
      problems.push({ code: "message_unrecognized_key", message: `message ${n} has ${keyList(extraKeys)}; only "role" and "content" are allowed` });
    }
    if ("role" in message && !CHAT_ROLES.includes(message.role as string)) {
      problems.push({ code: "unrecognized_role", message: `message ${n} has role ${show(message.role)}; use "system", "user" or "assistant"` });
    }
    if ("content" in message && !isNonBlankString(message.content)) {
      problems.push({ code: "missing_content", message: contentMessage(n, message.content) });
    }
  });
  problems.push(...chatOrderProblems(messages));
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Bright Run JSON

/**
 * Checks one entry of the `json` export's `conversations` list: a non-empty string
 * `conversation_id` (`column_type`), a string `system_prompt`, and a non-empty `turns` list of
 * `{role, content}` with roles user/assistant, non-blank content, alternating from the user to
 * the assistant.
 */
export function validateJsonConversationEntry(entry: unknown): RecordProblem[] {
  if (!isObject(entry)) return [{ code: "data_type", message: `the entry is ${describe(entry)}, not a JSON object` }];
  const problems: RecordProblem[] = [];
  if (!isNonBlankString(entry.conversation_id)) {
    problems.push({ code: "column_type", message: `"conversation_id" is ${describe(entry.conversation_id)}; it must be a non-empty string` });
  }
  if (typeof entry.system_prompt !== "string") {
    problems.push({ code: "column_type", message: `"system_prompt" is ${describe(entry.system_prompt)}; it must be a string` });
  }
  const turns = entry.turns;
  if (!Array.isArray(turns) || turns.length === 0) {
    problems.push({ code: "missing_turns", message: missingListMessage("turns", turns) });
    return problems;
  }
  const roles: unknown[] = [];
  turns.forEach((turn, index) => {
    const n = index + 1;
    if (!isObject(turn)) {
      problems.push({ code: "message_missing_key", message: `turn ${n} is ${describe(turn)}, not an object with "role" and "content"` });
      roles.push(undefined);
      return;
    }
    roles.push(turn.role);
    if (turn.role !== "user" && turn.role !== "assistant") {
      problems.push({ code: "unrecognized_role", message: `turn ${n} has role ${show(turn.role)}; use "user" or "assistant"` });
    }
    if (!isNonBlankString(turn.content)) problems.push({ code: "missing_content", message: contentMessage(n, turn.content, "turn") });
  });
  problems.push(...turnOrderProblems(roles, { user: "user", assistant: "assistant", firstNumber: 1, userWord: "the user", assistantWord: "the assistant", noun: "turn" }));
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Whole files

/** The record validator of each JSON Lines format. */
export const RECORD_VALIDATORS: Record<Exclude<ExportFormat, "json">, (record: unknown) => RecordProblem[]> = {
  openai: validateOpenAiChatRecord,
  anthropic: validateBedrockClaudeRecord,
  sharegpt: validateShareGptRecord,
  hf: validateHfRecord,
};

/**
 * Validates a whole data file of `format` as it will be written.
 *
 * JSON Lines formats: every line must parse (`invalid_json`), must not be blank (`empty_line`),
 * and must pass the format's record validator; `line` is the 1-based line number. `json`: the
 * document must parse and hold a non-empty `conversations` list whose entries pass
 * `validateJsonConversationEntry`; `line` is the entry's 1-based position. An empty file is one
 * problem on line 0. `conversationIds[i]`, when given, is named in the problem of line/entry i+1.
 *
 * Returns problems in file order; an empty list means the file is valid. Never throws.
 */
export function validateExportContent(format: ExportFormat, content: string, conversationIds: readonly string[] = []): ExportProblem[] {
  const idFor = (line: number): string | null => conversationIds[line - 1] ?? null;
  if (content.trim() === "") return [{ line: 0, conversationId: null, code: "empty_file", message: "the file is empty; there is nothing to train on" }];

  if (format === "json") {
    let document: unknown;
    try {
      document = JSON.parse(content);
    } catch (error) {
      return [{ line: 0, conversationId: null, code: "invalid_json", message: `the file is not valid JSON (${errorText(error)})` }];
    }
    if (!isObject(document) || !Array.isArray(document.conversations) || document.conversations.length === 0) {
      const found = isObject(document) ? describe(document.conversations) : describe(document);
      return [{ line: 0, conversationId: null, code: "missing_conversations", message: `the file needs a non-empty "conversations" list; found ${found}` }];
    }
    return document.conversations.flatMap((entry, index) => {
      const ownId = isObject(entry) && typeof entry.conversation_id === "string" ? entry.conversation_id : null;
      return validateJsonConversationEntry(entry).map((problem) => ({ line: index + 1, conversationId: idFor(index + 1) ?? ownId, ...problem }));
    });
  }

  const validateRecord = RECORD_VALIDATORS[format];
  const problems: ExportProblem[] = [];
  for (const { line, text } of splitJsonLines(content)) {
    const conversationId = idFor(line);
    if (text.trim() === "") {
      problems.push({ line, conversationId, code: "empty_line", message: "the line is empty; JSON Lines needs one JSON object on every line" });
      continue;
    }
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      problems.push({ line, conversationId, code: "invalid_json", message: `the line is not valid JSON (${errorText(error)})` });
      continue;
    }
    for (const problem of validateRecord(record)) problems.push({ line, conversationId, ...problem });
  }
  return problems;
}

/**
 * One problem as people read it: `Line 3 (conv-0042): the conversation ends with a user message; …`.
 * For the `json` format, `Entry 3 …`; for line 0, `The file: …`.
 */
export function describeProblem(problem: ExportProblem, format: ExportFormat): string {
  const where = problem.line === 0 ? "The file" : `${format === "json" ? "Entry" : "Line"} ${problem.line}`;
  const who = problem.conversationId ? ` (${problem.conversationId})` : "";
  return `${where}${who}: ${problem.message}.`;
}

/**
 * Refuses an invalid export: validates `content` with `validateExportContent` and throws
 * `AppError` code `export_invalid` (not retryable) when anything is wrong. The message names the
 * format, how many lines are affected and the first `PROBLEMS_IN_ERROR_MESSAGE` problems; `detail`
 * holds `{ format, problemCount, problems }` with every problem.
 */
export function assertValidExport(format: ExportFormat, content: string, conversationIds: readonly string[] = []): void {
  const problems = validateExportContent(format, content, conversationIds);
  if (problems.length === 0) return;
  const lines = new Set(problems.map((problem) => problem.line)).size;
  const shown = problems.slice(0, PROBLEMS_IN_ERROR_MESSAGE).map((problem) => describeProblem(problem, format));
  const more = problems.length > shown.length ? ` …and ${problems.length - shown.length} more.` : "";
  const unit = format === "json" ? "conversation" : "line";
  throw new AppError(
    "export_invalid",
    `The ${FORMAT_LABELS[format]} export was not written: ${lines} ${unit}${lines === 1 ? "" : "s"} break${lines === 1 ? "s" : ""} the format's rules. ` +
      `${shown.join(" ")}${more} Fix or reject these conversations, then export again.`,
    { detail: { format, problemCount: problems.length, problems } },
  );
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Turn-order problems of a role/content list that may start with one system message. */
function chatOrderProblems(messages: unknown[]): RecordProblem[] {
  const roles = messages.map((message) => (isObject(message) ? message.role : undefined));
  const problems: RecordProblem[] = [];
  roles.forEach((role, index) => {
    if (role === "system" && index > 0) {
      problems.push({ code: "system_message_not_first", message: `message ${index + 1} is a system message; the system message may only come first` });
    }
  });
  const startsWithSystem = roles[0] === "system";
  const turnRoles = startsWithSystem ? roles.slice(1) : roles;
  return [
    ...problems,
    ...turnOrderProblems(turnRoles, {
      user: "user",
      assistant: "assistant",
      firstNumber: startsWithSystem ? 2 : 1,
      userWord: "the user",
      assistantWord: "the assistant",
    }),
  ];
}

/**
 * The house turn-order rules over a list of roles: first from the user, no two in a row from the
 * same side, last from the assistant. Skipped when a role is unknown (already reported).
 */
function turnOrderProblems(
  roles: unknown[],
  words: { user: string; assistant: string; firstNumber: number; userWord: string; assistantWord: string; noun?: string },
): RecordProblem[] {
  const noun = words.noun ?? "message";
  if (roles.length === 0) return [{ code: "no_turns", message: `there are no user or assistant ${noun}s, only a system prompt` }];
  if (roles.some((role) => role !== words.user && role !== words.assistant)) return [];
  const who = (role: unknown): string => (role === words.user ? words.userWord : words.assistantWord);
  const problems: RecordProblem[] = [];
  if (roles[0] !== words.user) {
    problems.push({
      code: "first_message_not_user",
      message: `the first ${noun}${words.firstNumber > 1 ? " after the system prompt" : ""} is from ${who(roles[0])}; it must be from ${words.userWord}`,
    });
  }
  for (let index = 1; index < roles.length; index += 1) {
    if (roles[index] === roles[index - 1]) {
      const a = index - 1 + words.firstNumber;
      problems.push({
        code: "consecutive_same_role",
        message: `${noun}s ${a} and ${a + 1} are both from ${who(roles[index])}; ${words.userWord.replace(/^the /, "")} and ${words.assistantWord.replace(/^the /, "")} must take turns`,
      });
    }
  }
  if (roles[roles.length - 1] !== words.assistant) {
    problems.push({
      code: "last_message_not_assistant",
      message: `the conversation ends with a ${noun} from ${who(roles[roles.length - 1])}; it must end with ${words.assistantWord}'s reply`,
    });
  }
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isNonBlankString(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

/** "a string", "a number", "null", "a list", "an object", "missing". */
function describe(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return value.trim() === "" ? "an empty string" : "a string";
  return `a ${typeof value}`;
}

function show(value: unknown): string {
  return value === undefined ? "missing" : JSON.stringify(value);
}

function keyList(keys: string[]): string {
  return `unexpected key${keys.length > 1 ? "s" : ""} ${keys.map((key) => `"${key}"`).join(", ")}`;
}

function missingListMessage(key: string, value: unknown): string {
  if (value === undefined) return `there is no "${key}" list`;
  if (Array.isArray(value)) return `"${key}" is an empty list`;
  return `"${key}" is ${describe(value)} instead of a list`;
}

function contentMessage(n: number, content: unknown, noun = "message"): string {
  return typeof content === "string" ? `${noun} ${n} has empty content` : `${noun} ${n} has content that is ${describe(content)}, not text`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
