import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors";
import type { Turn } from "../../src/core/types";
import {
  serializeExport,
  validateBedrockClaudeRecord,
  validateExportContent,
  validateHfRecord,
  validateOpenAiChatRecord,
  validateShareGptRecord,
} from "../../src/core/export";
import { makeConversation, sampleConversations } from "../support/export-fixtures";

const options = { exportedAt: new Date("2025-10-26T14:03:00.000Z"), statusLabel: "approved", systemVersion: "0.1.0" };
const codes = (problems: Array<{ code: string }>) => problems.map((problem) => problem.code);

const endsWithUser: Turn[] = [
  { role: "user", content: "How does the Roth ladder work?" },
  { role: "assistant", content: "You convert a slice of your IRA each year and wait five years per rung." },
  { role: "user", content: "And then?" },
];
const twoUsersInARow: Turn[] = [
  { role: "user", content: "Hi." },
  { role: "user", content: "Are you there?" },
  { role: "assistant", content: "I'm here! How can I help?" },
];

function catchError(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("serializeExport refuses invalid data before anything is written", () => {
  it("names the line, the conversation and the rule when a conversation ends with a user turn", () => {
    const conversations = sampleConversations();
    conversations[1] = makeConversation({ conversationId: "conv-0042", turns: endsWithUser });
    for (const format of ["openai", "anthropic", "sharegpt", "hf", "json"] as const) {
      const error = catchError(() => serializeExport(format, conversations, options));
      expect(error.code).toBe("export_invalid");
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/(Line|Entry) 2 \(conv-0042\)/);
      expect(error.message).toContain("Fix or reject these conversations, then export again.");
    }
    const bedrock = catchError(() => serializeExport("anthropic", conversations, options));
    expect(bedrock.message).toContain("Line 2 (conv-0042): the conversation ends with a message from the user; it must end with the assistant's reply.");
    const sharegpt = catchError(() => serializeExport("sharegpt", conversations, options));
    expect(sharegpt.message).toContain("LLaMA-Factory needs an even number");
  });

  it("catches two user turns in a row", () => {
    const error = catchError(() => serializeExport("anthropic", [makeConversation({ turns: twoUsersInARow })], options));
    expect(error.message).toContain("Line 1 (conv-0001): messages 1 and 2 are both from the user; user and assistant must take turns.");
    const sharegpt = catchError(() => serializeExport("sharegpt", [makeConversation({ turns: twoUsersInARow })], options));
    expect(sharegpt.message).toContain('message 2 is from "human" but the 2nd, 4th, 6th… messages must be from "gpt" or "function_call"');
  });

  it("catches empty content and an unknown role", () => {
    const turns = [
      { role: "user", content: "What's a Harbor waterfall?" },
      { role: "assistant", content: "  " },
      { role: "customer" as Turn["role"], content: "Hello?" },
      { role: "assistant", content: "Hi!" },
    ] as Turn[];
    const error = catchError(() => serializeExport("openai", [makeConversation({ turns })], options));
    expect(error.message).toContain("message 3 has empty content");
    expect(error.message).toContain('message 4 has role "customer"; use "system", "user" or "assistant"');
    const problems = (error.detail.problems as Array<{ code: string; line: number }>).map((problem) => problem.code);
    expect(problems).toEqual(["missing_content", "unrecognized_role"]);
  });

  it("lists the first five problems and counts the rest", () => {
    const broken = Array.from({ length: 7 }, (_, index) => makeConversation({ conversationId: `conv-${index + 1}`, turns: endsWithUser }));
    const error = catchError(() => serializeExport("hf", broken, options));
    expect(error.message).toContain("7 lines break the format's rules");
    expect(error.message).toContain("…and 2 more.");
    expect((error.detail.problems as unknown[]).length).toBe(7);
  });

  it("refuses an empty export with a next step", () => {
    const error = catchError(() => serializeExport("openai", [], options));
    expect(error.code).toBe("export_empty");
    expect(error.message).toContain("There are no conversations to export");
  });

  it("refuses metadata JSON cannot hold, naming the conversation", () => {
    const conversation = makeConversation({ conversationId: "conv-0099", metadata: { tokens: BigInt(12) } });
    const error = catchError(() => serializeExport("json", [conversation], options));
    expect(error.code).toBe("export_invalid");
    expect(error.message).toContain("Conversation conv-0099 could not be written as JSON");
  });
});

describe("validateOpenAiChatRecord (OpenAI cookbook checks)", () => {
  it("accepts a well-formed example", () => {
    expect(
      validateOpenAiChatRecord({ messages: [{ role: "system", content: "Be kind." }, { role: "user", content: "Hi" }, { role: "assistant", content: "Hello!" }] }),
    ).toEqual([]);
  });

  it("reports each cookbook error type", () => {
    expect(codes(validateOpenAiChatRecord([1, 2]))).toEqual(["data_type"]);
    expect(codes(validateOpenAiChatRecord({ prompt: "x" }))).toEqual(["missing_messages_list"]);
    expect(codes(validateOpenAiChatRecord({ messages: [] }))).toEqual(["missing_messages_list"]);
    expect(codes(validateOpenAiChatRecord({ messages: [{ role: "user" }, { role: "assistant", content: "ok" }] }))).toEqual(["message_missing_key"]);
    expect(
      codes(validateOpenAiChatRecord({ messages: [{ role: "user", content: "q", mood: "sad" }, { role: "assistant", content: "a" }] })),
    ).toEqual(["message_unrecognized_key"]);
    expect(codes(validateOpenAiChatRecord({ messages: [{ role: "bot", content: "q" }, { role: "assistant", content: "a" }] }))).toEqual([
      "unrecognized_role",
    ]);
    expect(codes(validateOpenAiChatRecord({ messages: [{ role: "user", content: 42 }, { role: "assistant", content: "a" }] }))).toEqual([
      "missing_content",
    ]);
    expect(codes(validateOpenAiChatRecord({ messages: [{ role: "system", content: "s" }, { role: "user", content: "q" }] }))).toEqual([
      "example_missing_assistant_message",
      "last_message_not_assistant",
    ]);
  });

  it("allows the cookbook's optional name and weight keys", () => {
    expect(validateOpenAiChatRecord({ messages: [{ role: "user", content: "q", name: "ana" }, { role: "assistant", content: "a", weight: 1 }] })).toEqual([]);
  });

  it("flags a system message that is not first", () => {
    const problems = validateOpenAiChatRecord({
      messages: [{ role: "user", content: "q" }, { role: "system", content: "s" }, { role: "assistant", content: "a" }],
    });
    expect(problems).toContainEqual({ code: "system_message_not_first", message: "message 2 is a system message; the system message may only come first" });
  });
});

describe("validateBedrockClaudeRecord (Bedrock Claude rules)", () => {
  it("accepts a record with and without system", () => {
    const messages = [{ role: "user", content: "q" }, { role: "assistant", content: "a" }];
    expect(validateBedrockClaudeRecord({ system: "Be kind.", messages })).toEqual([]);
    expect(validateBedrockClaudeRecord({ messages })).toEqual([]);
  });

  it("rejects extra keys, a system role inside messages, a single message and an assistant opening", () => {
    const extra = validateBedrockClaudeRecord({ id: "x", messages: [{ role: "user", content: "q" }, { role: "assistant", content: "a" }] });
    expect(extra).toEqual([{ code: "extraneous_key", message: 'the line has unexpected key "id"; Bedrock allows only "system" and "messages"' }]);
    const systemRole = validateBedrockClaudeRecord({ messages: [{ role: "system", content: "s" }, { role: "user", content: "q" }, { role: "assistant", content: "a" }] });
    expect(systemRole[0].message).toBe('message 1 has role "system"; put the system prompt in the top-level "system" field instead');
    expect(codes(validateBedrockClaudeRecord({ messages: [{ role: "user", content: "q" }] }))).toEqual(["too_few_messages", "last_message_not_assistant"]);
    expect(codes(validateBedrockClaudeRecord({ messages: [{ role: "assistant", content: "a" }, { role: "user", content: "q" }] }))).toEqual([
      "first_message_not_user",
      "last_message_not_assistant",
    ]);
    expect(codes(validateBedrockClaudeRecord({ system: 3, messages: [{ role: "user", content: "q" }, { role: "assistant", content: "a" }] }))).toEqual([
      "system_not_string",
    ]);
  });
});

describe("validateShareGptRecord (LLaMA-Factory position rules)", () => {
  it("accepts human/gpt pairs with a system column", () => {
    expect(validateShareGptRecord({ conversations: [{ from: "human", value: "q" }, { from: "gpt", value: "a" }], system: "s" })).toEqual([]);
  });

  it("tolerates the observation/function_call tags and a leading system message as LLaMA-Factory does", () => {
    const record = {
      conversations: [
        { from: "system", value: "s" },
        { from: "human", value: "q" },
        { from: "function_call", value: "{}" },
        { from: "observation", value: "{}" },
        { from: "gpt", value: "a" },
      ],
    };
    expect(validateShareGptRecord(record)).toEqual([]);
  });

  it("reports wrong positions, an odd count, unknown tags and empty values", () => {
    expect(codes(validateShareGptRecord({ conversations: [{ from: "gpt", value: "a" }, { from: "human", value: "q" }] }))).toEqual([
      "wrong_position",
      "wrong_position",
    ]);
    expect(codes(validateShareGptRecord({ conversations: [{ from: "human", value: "q" }] }))).toEqual(["odd_message_count"]);
    expect(codes(validateShareGptRecord({ conversations: [{ from: "user", value: "q" }, { from: "gpt", value: "" }] }))).toEqual([
      "unrecognized_role",
      "missing_content",
    ]);
    expect(codes(validateShareGptRecord({ messages: [] }))).toEqual(["missing_conversations"]);
  });
});

describe("validateHfRecord", () => {
  const row = {
    messages: [{ role: "user", content: "q" }, { role: "assistant", content: "a" }],
    conversation_id: "conv-1",
    tier: "template",
    persona: "p",
    emotion: "e",
    topic: "t",
    quality_score: null,
  };

  it("accepts a row with messages and every metadata column", () => {
    expect(validateHfRecord(row)).toEqual([]);
  });

  it("requires a final assistant turn, known roles and the metadata columns", () => {
    expect(codes(validateHfRecord({ ...row, messages: [{ role: "user", content: "q" }] }))).toEqual(["last_message_not_assistant"]);
    expect(codes(validateHfRecord({ ...row, messages: [{ role: "human", content: "q" }, { role: "assistant", content: "a" }] }))).toEqual([
      "unrecognized_role",
    ]);
    const { topic: _topic, quality_score: _score, ...withoutColumns } = row;
    expect(validateHfRecord(withoutColumns)).toEqual([{ code: "missing_column", message: 'the line has no "topic", "quality_score" columns' }]);
  });
});

describe("validateExportContent", () => {
  it("numbers lines, reports blank lines and text that is not JSON", () => {
    const good = JSON.stringify({ messages: [{ role: "user", content: "q" }, { role: "assistant", content: "a" }] });
    const problems = validateExportContent("openai", `${good}\n\n{"messages": [\n${good}\n`, ["a", "b", "c", "d"]);
    expect(problems.map((problem) => [problem.line, problem.code, problem.conversationId])).toEqual([
      [2, "empty_line", "b"],
      [3, "invalid_json", "c"],
    ]);
  });

  it("reports an empty file", () => {
    expect(codes(validateExportContent("anthropic", ""))).toEqual(["empty_file"]);
    expect(codes(validateExportContent("json", '{"conversations": []}'))).toEqual(["missing_conversations"]);
  });
});
