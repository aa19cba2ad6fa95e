import { describe, expect, it } from "vitest";
import { EXPORT_FORMATS } from "../../src/lib/constants";
import {
  HF_METADATA_COLUMNS,
  RECORD_VALIDATORS,
  serializeConversation,
  serializeExport,
  splitJsonLines,
  validateExportContent,
  validateJsonConversationEntry,
} from "../../src/core/export";
import { makeConversation, sampleConversations, SYSTEM_PROMPT } from "../support/export-fixtures";

const options = { exportedAt: new Date("2025-10-26T14:03:00.000Z"), statusLabel: "approved", systemVersion: "0.1.0" };

function parsedLines(content: string): Array<Record<string, unknown>> {
  return splitJsonLines(content).map(({ text }) => JSON.parse(text) as Record<string, unknown>);
}

describe("every format", () => {
  for (const format of EXPORT_FORMATS) {
    it(`${format}: writes one parsable, valid record per conversation, in order`, () => {
      const conversations = sampleConversations();
      const bundle = serializeExport(format, conversations, options);

      expect(validateExportContent(format, bundle.dataFile.content)).toEqual([]);
      if (format === "json") {
        const document = JSON.parse(bundle.dataFile.content) as { conversations: unknown[] };
        expect(document.conversations).toHaveLength(4);
        for (const entry of document.conversations) expect(validateJsonConversationEntry(entry)).toEqual([]);
      } else {
        expect(bundle.dataFile.content.endsWith("\n")).toBe(true);
        const records = parsedLines(bundle.dataFile.content);
        expect(records).toHaveLength(4);
        for (const record of records) expect(RECORD_VALIDATORS[format](record)).toEqual([]);
      }
      expect(bundle.files[0]).toBe(bundle.dataFile);
      expect(bundle.files[bundle.files.length - 1]).toBe(bundle.manifestFile);
      expect(bundle.manifestFile.name).toBe(`${bundle.stem}-manifest.json`);
      expect(JSON.parse(bundle.manifestFile.content)).toEqual(bundle.manifest);
    });
  }
});

describe("openai", () => {
  it("puts the system prompt first, then the turns unchanged", () => {
    const record = serializeConversation("openai", makeConversation());
    expect(record.messages[0]).toEqual({ role: "system", content: SYSTEM_PROMPT });
    expect(record.messages.slice(1).map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(record.messages[3].content).toBe("About $3,200 between rent, insurance and the car.");
    expect(Object.keys(record)).toEqual(["messages"]);
  });

  it("leaves the system message out when the system prompt is blank", () => {
    const record = serializeConversation("openai", makeConversation({ systemPrompt: "   " }));
    expect(record.messages[0].role).toBe("user");
    expect(record.messages).toHaveLength(4);
  });

  it("keeps line breaks inside one line and escapes U+2028 so no reader splits a record", () => {
    const bundle = serializeExport("openai", sampleConversations(), options);
    const lines = bundle.dataFile.content.split("\n").filter((line) => line !== "");
    expect(lines).toHaveLength(4);
    expect(bundle.dataFile.content).not.toContain("\u2028");
    expect(bundle.dataFile.content).toContain("\\u2028");
    const seed = JSON.parse(lines[3]) as { messages: Array<{ content: string }> };
    expect(seed.messages[2].content).toContain("Cash for 2 years\n2. Bonds");
    expect(seed.messages[2].content).toContain("8+\u2028That's");
  });

  it("names the file after the date, status and count, with the .jsonl extension", () => {
    const bundle = serializeExport("openai", sampleConversations(), options);
    expect(bundle.dataFile.name).toBe("training-data-2025-10-26-approved-4-conversations.jsonl");
    expect(bundle.manifestFile.name).toBe("training-data-2025-10-26-approved-4-conversations-manifest.json");
    expect(bundle.files.map((file) => file.role)).toEqual(["data", "manifest"]);
  });
});

describe("anthropic (Bedrock)", () => {
  it("puts the system prompt in the top-level system field, user first and assistant last", () => {
    const record = serializeConversation("anthropic", makeConversation());
    expect(Object.keys(record)).toEqual(["system", "messages"]);
    expect(record.system).toBe(SYSTEM_PROMPT);
    expect(record.messages[0].role).toBe("user");
    expect(record.messages[record.messages.length - 1].role).toBe("assistant");
    expect(record.messages.some((message) => (message.role as string) === "system")).toBe(false);
  });

  it("leaves system out entirely when there is no system prompt", () => {
    const record = serializeConversation("anthropic", makeConversation({ systemPrompt: "" }));
    expect(record).not.toHaveProperty("system");
    expect(RECORD_VALIDATORS.anthropic(record)).toEqual([]);
  });
});

describe("sharegpt (LLaMA-Factory)", () => {
  it("writes human/gpt tags in LLaMA-Factory positions and the system prompt in its own column", () => {
    const record = serializeConversation("sharegpt", makeConversation());
    expect(record.conversations.map((message) => message.from)).toEqual(["human", "gpt", "human", "gpt"]);
    expect(record.conversations[0].value).toContain("Anchor Account");
    expect(record.system).toBe(SYSTEM_PROMPT);
  });

  it("ships the dataset_info.json entry LLaMA-Factory needs to load the file", () => {
    const bundle = serializeExport("sharegpt", sampleConversations(), { ...options, datasetName: "harbor_pine_v1" });
    const info = bundle.files.find((file) => file.role === "dataset_info");
    expect(info?.name).toBe("dataset_info.json");
    expect(JSON.parse(info!.content)).toEqual({
      harbor_pine_v1: {
        file_name: "training-data-2025-10-26-approved-4-conversations.jsonl",
        formatting: "sharegpt",
        columns: { messages: "conversations", system: "system" },
        tags: { role_tag: "from", content_tag: "value", user_tag: "human", assistant_tag: "gpt" },
      },
    });
  });

  it("uses the file stem as the dataset name when none is given", () => {
    const bundle = serializeExport("sharegpt", sampleConversations(), options);
    const info = JSON.parse(bundle.files[1].content) as Record<string, unknown>;
    expect(Object.keys(info)).toEqual(["training-data-2025-10-26-approved-4-conversations"]);
  });
});

describe("hf (Hugging Face)", () => {
  it("writes messages with the system prompt plus the metadata columns on every row", () => {
    const bundle = serializeExport("hf", sampleConversations(), options);
    const rows = parsedLines(bundle.dataFile.content);
    for (const row of rows) expect(Object.keys(row)).toEqual(["messages", ...HF_METADATA_COLUMNS]);
    expect(rows[0]).toMatchObject({
      conversation_id: "conv-0001",
      tier: "template",
      persona: "Anxious first-time investor",
      emotion: "Confusion to clarity",
      topic: "Anchor Account",
      quality_score: 8.5,
    });
    expect((rows[0].messages as Array<{ role: string }>)[0].role).toBe("system");
    expect(rows[3].quality_score).toBeNull();
  });

  it("ships a dataset card with front matter, counts, provenance and a load snippet", () => {
    const bundle = serializeExport("hf", sampleConversations(), { ...options, datasetName: "Harbor & Pine client conversations" });
    const card = bundle.files.find((file) => file.role === "dataset_card")!;
    expect(card.name).toBe("README.md");
    const [, frontMatter, body] = card.content.split(/^---$/m);
    expect(frontMatter).toContain("license: other");
    expect(frontMatter).toContain("task_categories:\n- text-generation");
    expect(frontMatter).toContain("language:\n- en");
    expect(frontMatter).toContain("tags:\n- lora\n- fine-tuning\n- synthetic\n- conversational");
    expect(frontMatter).toContain('size_categories:\n- "n<1K"');
    expect(frontMatter).toContain('  - split: train\n    path: "training-data-2025-10-26-approved-4-conversations.jsonl"');
    expect(body).toContain("# Harbor & Pine client conversations");
    expect(body).toContain("| Template | 2 |");
    expect(body).toContain("| Edge case | 1 |");
    expect(body).toContain("| Grieving heir | 1 |");
    expect(body).toContain("average 7.83");
    expect(body).toContain("`anthropic` provider (model `claude-sonnet-4-5`)");
    expect(body).toContain("1 seed conversation was imported as written, not generated.");
    expect(body).toContain("Every conversation was approved by a reviewer before export.");
    expect(body).toContain("1 conversation has no score.");
    expect(body).toContain('load_dataset("json", data_files="training-data-2025-10-26-approved-4-conversations.jsonl", split="train")');
    expect(body).not.toContain("without a language model");
  });

  it("does not claim a review that did not happen when unreviewed conversations are exported", () => {
    const conversations = sampleConversations();
    conversations[1] = { ...conversations[1], status: "generated", reviewedAt: null };
    const card = serializeExport("hf", conversations, { ...options, statusLabel: "all" }).files[1].content;
    expect(card).toContain("3 of the 4 conversations were approved by a reviewer; the others were not (1 generated).");
    expect(card).not.toContain("Every conversation was approved");
  });

  it("says plainly when the conversations were composed without a language model", () => {
    const simulated = sampleConversations().map((c) => ({ ...c, provider: "simulated" as const, model: "simulated-composer-1" }));
    const card = serializeExport("hf", simulated, options).files[1].content;
    expect(card).toContain("All conversations were composed by Bright Run's `simulated` provider, without a language model");
  });
});

describe("json", () => {
  it("writes one JSON document with the manifest header and every field, dates as ISO strings", () => {
    const bundle = serializeExport("json", sampleConversations(), options);
    expect(bundle.dataFile.name).toBe("training-data-2025-10-26-approved-4-conversations.json");
    const document = JSON.parse(bundle.dataFile.content) as {
      format_version: string;
      manifest: { conversation_count: number };
      conversations: Array<Record<string, unknown>>;
    };
    expect(document.format_version).toBe("brightrun-conversations-json/1");
    expect(document.manifest.conversation_count).toBe(4);
    expect(document.conversations[0]).toEqual({
      conversation_id: "conv-0001",
      title: "What is an Anchor Account?",
      tier: "template",
      status: "approved",
      is_seed: false,
      persona: "Anxious first-time investor",
      emotion: "Confusion to clarity",
      topic: "Anchor Account",
      intent: "Understand a method",
      tone: "Warm",
      source_category: "methods",
      source_document: "anchor-account-cash-flow.md",
      chunk_key: "anchor-account-cash-flow-01",
      quality_score: 8.5,
      system_prompt: SYSTEM_PROMPT,
      turn_count: 4,
      turns: makeConversation().turns,
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      created_at: "2025-10-20T09:00:00.000Z",
      generated_at: "2025-10-21T10:30:00.000Z",
      reviewed_at: "2025-10-22T16:45:00.000Z",
      reviewer_id: "local-user",
      reviewer_notes: "Good worked example.",
      metadata: { generation_run: "run-7", temperature: 0.7 },
    });
    expect(document.conversations[3]).toMatchObject({ conversation_id: "seed-001", is_seed: true, generated_at: null, provider: null });
  });
});
