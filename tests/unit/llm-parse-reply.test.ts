import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors";
import { parseConversationReply } from "../../src/core/llm/parse-reply";

const good = {
  turns: [
    { role: "user", content: "I'm worried about my retirement savings." },
    { role: "assistant", content: "That's a common worry. Let's look at where you stand." },
    { role: "user", content: "I have about $40k saved." },
    { role: "assistant", content: "That's a real start. What's your timeline?" },
  ],
};

/** Runs the parser and returns the AppError it threw (fails the test if it did not throw one). */
function failure(text: string): AppError {
  try {
    parseConversationReply(text);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected parseConversationReply to throw");
}

describe("parseConversationReply", () => {
  it("returns the turns of a valid reply, in order", () => {
    const turns = parseConversationReply(JSON.stringify(good));
    expect(turns).toEqual(good.turns);
  });

  it("tolerates a ```json fence, a bare ``` fence and surrounding whitespace", () => {
    const body = JSON.stringify(good, null, 2);
    expect(parseConversationReply("```json\n" + body + "\n```")).toEqual(good.turns);
    expect(parseConversationReply("\n\n  ```\n" + body + "\n```  \n")).toEqual(good.turns);
    expect(parseConversationReply("   " + body + "\n\n")).toEqual(good.turns);
  });

  it("ignores extra keys and trims each turn's text", () => {
    const turns = parseConversationReply(
      JSON.stringify({ title: "Retirement worries", turns: [{ role: "user", content: "  Hi  ", mood: "anxious" }, { role: "assistant", content: "Hello.\n" }] }),
    );
    expect(turns).toEqual([
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello." },
    ]);
  });

  it("rejects text that is not JSON, saying so and where, and is retryable", () => {
    const error = failure('{"turns": [{"role": "user" "content": "hi"}]}');
    expect(error.code).toBe("malformed_response");
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/^The model's reply was not valid JSON \(.+ at position 27\)\. The raw reply is kept on the conversation\.$/);
    expect(error.detail).toMatchObject({ reason: "invalid_json", position: 27 });
  });

  it("rejects prose without echoing the whole reply in the message", () => {
    const error = failure("Sure! Here is the conversation you asked for.");
    expect(error.message).toBe("The model's reply was not valid JSON (Unexpected token 'S'). The raw reply is kept on the conversation.");
    expect(error.detail.reason).toBe("invalid_json");
  });

  it("rejects an empty reply", () => {
    const error = failure("   \n ");
    expect(error.message).toBe("The model's reply was empty. The raw reply is kept on the conversation.");
  });

  it("rejects JSON that is not an object with turns", () => {
    expect(failure("[1, 2]").message).toContain('the reply is JSON but a list, not an object with a "turns" list');
    expect(failure('{"conversation": []}').message).toContain('the reply has no "turns" list');
    expect(failure('{"turns": "hello"}').message).toContain(`"turns" is 'hello', not a list`);
  });

  it("names the turn with a wrong role and keeps zod's issues in detail", () => {
    const reply = JSON.stringify({
      turns: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello" },
        { role: "system", content: "You are a planner" },
        { role: "assistant", content: "Sure" },
      ],
    });
    const error = failure(reply);
    expect(error.message).toBe(
      "The model's reply is not a valid conversation: turn 3 has role 'system' (only 'user' and 'assistant' are allowed). The raw reply is kept on the conversation.",
    );
    expect(error.detail.issues).toEqual([expect.objectContaining({ path: ["turns", 2, "role"], code: "invalid_value" })]);
  });

  it("rejects empty or non-text content", () => {
    const reply = JSON.stringify({
      turns: [
        { role: "user", content: "   " },
        { role: "assistant", content: 42 },
        { role: "user" },
        { role: "assistant", content: "ok" },
      ],
    });
    const error = failure(reply);
    expect(error.message).toContain("turn 1 has empty content");
    expect(error.message).toContain("turn 2 has content 42, not text");
    expect(error.message).toContain("turn 3 has no content");
  });

  it("requires at least two turns", () => {
    const error = failure(JSON.stringify({ turns: [{ role: "user", content: "Hi" }] }));
    expect(error.message).toContain("it has 1 turn; a conversation needs at least 2");
    expect(failure(JSON.stringify({ turns: [] })).message).toContain("it has 0 turns");
  });

  it("requires the user to speak first and the assistant last", () => {
    const error = failure(
      JSON.stringify({
        turns: [
          { role: "assistant", content: "Hello" },
          { role: "user", content: "Hi" },
        ],
      }),
    );
    expect(error.message).toContain("turn 1 is from 'assistant'; the first turn must be from 'user'");
    expect(error.message).toContain("the last turn (turn 2) is from 'user'; the conversation must end with 'assistant'");
  });

  it("requires strict alternation and lists at most three problems", () => {
    const error = failure(
      JSON.stringify({
        turns: [
          { role: "user", content: "a" },
          { role: "user", content: "b" },
          { role: "assistant", content: "c" },
          { role: "assistant", content: "d" },
          { role: "user", content: "e" },
          { role: "user", content: "f" },
          { role: "assistant", content: "g" },
          { role: "assistant", content: "h" },
        ],
      }),
    );
    expect(error.message).toContain("turns 1 and 2 are both from 'user'; roles must alternate user, assistant, user…");
    expect(error.message).toContain("turns 3 and 4 are both from 'assistant'");
    expect(error.message).toContain("; and 1 more problem.");
    expect(error.detail.issues).toHaveLength(4);
  });
});
