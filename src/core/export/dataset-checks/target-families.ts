/**
 * The model families an export can be checked against, as plain data with no imports, so the
 * export request's schema (src/lib/export-request.ts), the export dialog and the CLI can name them
 * without loading a tokenizer or a template engine. What each family is (tokenizer, template,
 * context length and their sources) lives in target-models.ts.
 */

/** The model families with a tokenizer available here, in the order the export dialog lists them. */
export const TARGET_FAMILIES = ["llama-3", "qwen-3", "gemma-3", "gpt-4o-mini", "claude-3-haiku"] as const;
export type TargetFamily = (typeof TARGET_FAMILIES)[number];

/** Each family's name for people (the dialog's menu, the CLI's help, the manifest). */
export const TARGET_FAMILY_LABELS: Record<TargetFamily, string> = {
  "llama-3": "Meta Llama 3 Instruct (8B, 70B)",
  "qwen-3": "Qwen3 (dense models, 0.6B–32B)",
  "gemma-3": "Google Gemma 3 instruction-tuned (4B, 12B, 27B)",
  "gpt-4o-mini": "OpenAI GPT-4o mini (fine-tuning snapshot gpt-4o-mini-2024-07-18)",
  "claude-3-haiku": "Anthropic Claude 3 Haiku (fine-tuning on Amazon Bedrock)",
};
