/**
 * One version string per export format, written into every manifest (US5.1.2: "Version
 * information: system version, export format version"). Bump a format's number whenever the
 * shape of its lines changes, so that a pipeline reading an old export can tell.
 */
import type { ExportFormat } from "../../lib/constants";

export const FORMAT_VERSIONS: Record<ExportFormat, string> = {
  /** format-openai.ts: `{"messages":[…]}` per line. */
  openai: "openai-chat-jsonl/1",
  /** format-anthropic.ts: `{"system"?, "messages":[…]}` per line. */
  anthropic: "bedrock-claude-jsonl/1",
  /** format-sharegpt.ts: `{"conversations":[{from,value}…],"system"}` per line + dataset_info.json. */
  sharegpt: "llamafactory-sharegpt-jsonl/1",
  /** format-hf.ts: `{"messages":[…], conversation_id, tier, persona, emotion, topic, quality_score}` per line + README.md. */
  hf: "hf-messages-jsonl/1",
  /** format-json.ts: one `{"format_version","manifest","conversations":[…]}` document. */
  json: "brightrun-conversations-json/1",
};

/** Names people read in the UI, the CLI and error messages. */
export const FORMAT_LABELS: Record<ExportFormat, string> = {
  openai: "OpenAI chat fine-tuning (JSONL)",
  anthropic: "Anthropic Claude on Amazon Bedrock (JSONL)",
  sharegpt: "LLaMA-Factory ShareGPT (JSONL)",
  hf: "Hugging Face datasets (JSONL)",
  json: "Bright Run JSON",
};

/** Extension of each format's data file: every format is JSON Lines except `json`. */
export const FORMAT_EXTENSIONS: Record<ExportFormat, "jsonl" | "json"> = {
  openai: "jsonl",
  anthropic: "jsonl",
  sharegpt: "jsonl",
  hf: "jsonl",
  json: "json",
};
