/**
 * Hugging Face datasets format: JSONL with a `messages` column (role/content, system first) plus
 * metadata columns, and a dataset card `README.md` so the folder can be pushed to the Hub as is.
 *
 * Sources: Hugging Face `datasets`, "Load a dataset: JSON" (https://huggingface.co/docs/datasets/loading#json):
 * JSON Lines load with `load_dataset("json", data_files=…)`; the conversational `messages` list of
 * role/content dicts is what chat templates and TRL's SFTTrainer read
 * (https://huggingface.co/docs/trl/dataset_formats#conversational); dataset card metadata
 * (`license`, `task_categories`, `language`, `tags`, `size_categories`, `configs` with
 * `data_files`) per "Dataset Cards" (https://huggingface.co/docs/hub/datasets-cards) and
 * "Manual Configuration" (https://huggingface.co/docs/hub/datasets-manual-configuration).
 */
import { TIER_LABELS, TIERS, type Tier } from "../../lib/constants";
import type { ExportConversation } from "../types";
import { toChatMessages, type ChatMessage } from "./chat-messages";
import { NO_PROVIDER_KEY, type ExportManifest } from "./manifest";

/** File name the Hub reads as the dataset card. */
export const HF_DATASET_CARD_FILE = "README.md";

/** Metadata columns every line carries besides `messages`, in this order. */
export const HF_METADATA_COLUMNS = ["conversation_id", "tier", "persona", "emotion", "topic", "quality_score"] as const;

/** One line of a Hugging Face export. */
export interface HfRecord {
  messages: ChatMessage[];
  conversation_id: string;
  tier: Tier;
  persona: string;
  emotion: string;
  topic: string;
  /** 1–10, null when the conversation was never scored. */
  quality_score: number | null;
}

/**
 * One conversation as a Hugging Face row: `messages` (system prompt first when not blank, then
 * the turns) and the metadata columns, present on every row so the dataset has one schema.
 * Never throws; validate.ts judges the result.
 */
export function toHfRecord(conversation: ExportConversation): HfRecord {
  return {
    messages: toChatMessages(conversation),
    conversation_id: conversation.conversationId,
    tier: conversation.tier,
    persona: conversation.persona,
    emotion: conversation.emotion,
    topic: conversation.topic,
    quality_score: conversation.qualityScore,
  };
}

/**
 * The Hub's `size_categories` value for a row count: "n<1K", "1K<n<10K", "10K<n<100K",
 * "100K<n<1M", "1M<n<10M", … (the values the Hub's dataset card metadata offers;
 * https://github.com/huggingface/hub-docs/blob/main/datasetcard.md).
 */
export function hfSizeCategory(count: number): string {
  const steps: Array<[number, string]> = [
    [1_000, "n<1K"],
    [10_000, "1K<n<10K"],
    [100_000, "10K<n<100K"],
    [1_000_000, "100K<n<1M"],
    [10_000_000, "1M<n<10M"],
    [100_000_000, "10M<n<100M"],
    [1_000_000_000, "100M<n<1B"],
  ];
  for (const [limit, label] of steps) if (count < limit) return label;
  return "n>1B";
}

/**
 * The dataset card (`README.md`) of a Hugging Face export: YAML front matter (license `other`,
 * task `text-generation`, language `en`, tags lora / fine-tuning / synthetic / conversational,
 * `size_categories` from the conversation count, `configs` pointing the `train` split at the data
 * file), then a body with what the dataset is, its columns, counts per tier / persona / emotion,
 * quality statistics, how it was generated (provider and model; when the provider is
 * `simulated`, that the conversations were composed without a language model) and a
 * `load_dataset("json", data_files=…)` snippet. All numbers come from `manifest`.
 */
export function buildHfDatasetCard(input: {
  manifest: ExportManifest;
  dataFileName: string;
  datasetName: string;
  /** The validation file of a train/validation split (listed as the `validation` split), or null/absent. */
  validationFileName?: string | null;
}): string {
  const { manifest, dataFileName, datasetName } = input;
  const validationFileName = input.validationFileName ?? null;
  const lines: string[] = [
    "---",
    `pretty_name: ${yamlString(datasetName)}`,
    "license: other",
    "task_categories:",
    "- text-generation",
    "language:",
    "- en",
    "tags:",
    "- lora",
    "- fine-tuning",
    "- synthetic",
    "- conversational",
    "size_categories:",
    `- ${yamlString(hfSizeCategory(manifest.conversation_count))}`,
    "configs:",
    "- config_name: default",
    "  data_files:",
    "  - split: train",
    `    path: ${yamlString(dataFileName)}`,
    ...(validationFileName ? ["  - split: validation", `    path: ${yamlString(validationFileName)}`] : []),
    "---",
    "",
    `# ${escapeMarkdown(datasetName)}`,
    "",
    `${manifest.conversation_count} multi-turn conversations (${manifest.turn_count} turns) for LoRA fine-tuning of a ` +
      "customer-facing assistant, exported by Bright Run " +
      `${manifest.system_version} on ${manifest.exported_at.slice(0, 10)} (status: ${manifest.status_label}). ` +
      "Conversations are planned from the business's own documents and taxonomy (persona, emotional arc, topic, " +
      `intent, tone). ${reviewSentence(manifest)}`,
    "",
    "License: `other` until the dataset owner chooses one; the content belongs to the business that produced it.",
    "",
    "## Columns",
    "",
    "| column | type | meaning |",
    "|---|---|---|",
    "| `messages` | list of `{role, content}` | the system prompt (when there is one), then user and assistant turns, ending with the assistant |",
    "| `conversation_id` | string | Bright Run's id of the conversation |",
    "| `tier` | string | `template`, `scenario` or `edge_case` |",
    "| `persona` | string | who the user is |",
    "| `emotion` | string | the emotional arc of the conversation |",
    "| `topic` | string | what the conversation is about |",
    "| `quality_score` | number or null | Bright Run's quality score, 1–10 |",
    "",
    "## Contents",
    "",
    "| tier | conversations |",
    "|---|---|",
    ...TIERS.map((tier) => `| ${TIER_LABELS[tier]} | ${manifest.by_tier[tier]} |`),
    "",
    ...countTable("persona", manifest.by_persona),
    ...countTable("emotion", manifest.by_emotion),
    ...qualityLines(manifest),
    "## How it was generated",
    "",
    ...generationLines(manifest),
    "",
    "## Load it",
    "",
    "```python",
    "from datasets import load_dataset",
    "",
    ...(validationFileName
      ? [
          `dataset = load_dataset("json", data_files={"train": ${JSON.stringify(dataFileName)}, "validation": ${JSON.stringify(validationFileName)}})`,
          'print(dataset["train"][0]["messages"])',
        ]
      : [`dataset = load_dataset("json", data_files=${JSON.stringify(dataFileName)}, split="train")`, 'print(dataset[0]["messages"])']),
    "```",
    "",
    `Or, from the Hub after uploading this folder: \`load_dataset("<user>/<dataset>", split="train")\`.`,
    "",
  ];
  return lines.join("\n");
}

/** Whether a person approved the conversations, from the status breakdown. */
function reviewSentence(manifest: ExportManifest): string {
  const approved = manifest.by_status.approved;
  if (approved === manifest.conversation_count) return "Every conversation was approved by a reviewer before export.";
  const others = Object.entries(manifest.by_status)
    .filter(([status, count]) => status !== "approved" && count > 0)
    .map(([status, count]) => `${count} ${status.replace(/_/g, " ")}`)
    .join(", ");
  return `${approved} of the ${manifest.conversation_count} conversations were approved by a reviewer; the others were not (${others}).`;
}

function countTable(label: string, counts: Record<string, number>): string[] {
  const rows = Object.entries(counts).map(([name, count]) => `| ${escapeMarkdown(name)} | ${count} |`);
  return [`| ${label} | conversations |`, "|---|---|", ...rows, ""];
}

function qualityLines(manifest: ExportManifest): string[] {
  const quality = manifest.quality;
  if (quality.scored_count === 0) return ["Quality: no conversation has a quality score yet.", ""];
  const unscored =
    quality.unscored_count === 0 ? "" : ` ${quality.unscored_count} conversation${quality.unscored_count === 1 ? " has" : "s have"} no score.`;
  return [
    `Quality score (1–10): average ${quality.average}, lowest ${quality.min}, highest ${quality.max}; ` +
      `${quality.distribution["8-10"]} scored 8–10, ${quality.distribution["6-7"]} scored 6–7, ` +
      `${quality.distribution["1-5"]} scored 1–5.${unscored}`,
    "",
  ];
}

function generationLines(manifest: ExportManifest): string[] {
  const lines: string[] = [];
  const others = manifest.providers.filter((provider) => provider !== "simulated");
  if (others.length > 0) {
    const models = manifest.models.length > 0 ? ` (model${manifest.models.length > 1 ? "s" : ""} ${manifest.models.map((m) => `\`${m}\``).join(", ")})` : "";
    lines.push(`Generated with the ${others.map((p) => `\`${p}\``).join(" and ")} provider${others.length > 1 ? "s" : ""}${models} from Bright Run prompt templates.`);
  }
  if (manifest.generated_without_language_model) {
    const share =
      manifest.simulated_conversation_count === manifest.conversation_count
        ? "All conversations"
        : `${manifest.simulated_conversation_count} of the ${manifest.conversation_count} conversations`;
    lines.push(
      `**${share} were composed by Bright Run's \`simulated\` provider, without a language model**: a deterministic composer ` +
        "that assembles turns from the scenario, persona, emotional arc and source text. Use them to test a training " +
        "pipeline, not to train a production model.",
    );
  }
  const seeds = manifest.by_provider[NO_PROVIDER_KEY] ?? 0;
  if (seeds > 0) lines.push(`${seeds} seed conversation${seeds > 1 ? "s were" : " was"} imported as written, not generated.`);
  if (lines.length === 0) lines.push("No generation provider is recorded for these conversations.");
  return lines;
}

/** A YAML double-quoted scalar. JSON string syntax is valid YAML double-quoted syntax. */
function yamlString(value: string): string {
  return JSON.stringify(value);
}

/** Keeps a name from breaking a Markdown table or heading. */
function escapeMarkdown(value: string): string {
  return value.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
