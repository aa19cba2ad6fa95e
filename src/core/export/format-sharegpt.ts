/**
 * LLaMA-Factory ShareGPT format: JSONL, one
 * `{"conversations":[{"from":"human","value":…},{"from":"gpt","value":…},…],"system":"…"}` per line,
 * plus the `dataset_info.json` entry LLaMA-Factory needs to load it.
 *
 * Source: LLaMA-Factory data/README.md, "Sharegpt Format" (https://github.com/hiyouga/LLaMA-Factory/blob/main/data/README.md):
 * "the human and observation should appear in odd positions, while gpt and function should appear
 * in even positions", the system prompt in its own `system` column, and the dataset description
 * `{"formatting": "sharegpt", "columns": {"messages": "conversations", "system": "system"}}`.
 * Its loader (src/llamafactory/data/converter.py, `SharegptDatasetConverter`) skips any example
 * whose tag at 0-based index i is not human/observation for even i and gpt/function_call for odd
 * i, or whose message count is odd. LLaMA-Factory reads `.jsonl` files with the `json` loader
 * (`FILEEXT2TYPE` in src/llamafactory/extras/constants.py).
 */
import type { ExportConversation } from "../types";

/** File name LLaMA-Factory looks for in its `dataset_dir`. */
export const LLAMA_FACTORY_DATASET_INFO_FILE = "dataset_info.json";

/** ShareGPT speaker tags: LLaMA-Factory's defaults for `user_tag` and `assistant_tag`. */
export const SHAREGPT_TAGS = { user: "human", assistant: "gpt" } as const;

/** One line of a ShareGPT file. `system` is always present (empty when there is no system prompt) so every line has the same columns. */
export interface ShareGptRecord {
  conversations: Array<{ from: "human" | "gpt"; value: string }>;
  system: string;
}

/** LLaMA-Factory's description of one dataset (one key of `dataset_info.json`). */
export interface LlamaFactoryDatasetDescription {
  file_name: string;
  formatting: "sharegpt";
  columns: { messages: "conversations"; system: "system" };
  tags: { role_tag: "from"; content_tag: "value"; user_tag: "human"; assistant_tag: "gpt" };
}

/**
 * One conversation as a ShareGPT record: user turns become `{"from":"human"}`, assistant turns
 * `{"from":"gpt"}`, in order; the system prompt goes in the separate `system` column (never as a
 * message). Never throws; validate.ts checks LLaMA-Factory's position rules on the result.
 */
export function toShareGptRecord(conversation: ExportConversation): ShareGptRecord {
  return {
    conversations: conversation.turns.map((turn) => ({
      from: turn.role === "user" ? SHAREGPT_TAGS.user : SHAREGPT_TAGS.assistant,
      value: turn.content,
    })),
    system: conversation.systemPrompt.trim() === "" ? "" : conversation.systemPrompt,
  };
}

/**
 * The `dataset_info.json` document for one ShareGPT export:
 * `{ [datasetName]: { file_name, formatting: "sharegpt", columns, tags } }`.
 * Put it next to the data file in LLaMA-Factory's `dataset_dir` and train with
 * `dataset: <datasetName>` (and, with a split, `eval_dataset: <datasetName>_validation`). To add the export to an existing `dataset_info.json`, copy the one key.
 */
export function buildLlamaFactoryDatasetInfo(input: {
  datasetName: string;
  dataFileName: string;
  /** With a train/validation split: the validation file, described under `<datasetName>_validation` (LLaMA-Factory's `eval_dataset`). */
  validationFileName?: string | null;
}): Record<string, LlamaFactoryDatasetDescription> {
  const describe = (fileName: string): LlamaFactoryDatasetDescription => ({
    file_name: fileName,
    formatting: "sharegpt",
    columns: { messages: "conversations", system: "system" },
    tags: { role_tag: "from", content_tag: "value", user_tag: SHAREGPT_TAGS.user, assistant_tag: SHAREGPT_TAGS.assistant },
  });
  const info: Record<string, LlamaFactoryDatasetDescription> = { [input.datasetName]: describe(input.dataFileName) };
  if (input.validationFileName) info[`${input.datasetName}_validation`] = describe(input.validationFileName);
  return info;
}
