/**
 * Dataset checks at export (issue 12, item 4): duplicates, a train/validation split, token
 * counts and a chat-template render check against the model that will be fine-tuned.
 * Framework-free and pure apart from loading a tokenizer package; nothing is written.
 * docs/dataset-checks.md describes every check for people.
 */
import type { ExportConversation } from "../../types";
import { assertUniqueIds, findDuplicates, type DuplicateReport, type DuplicateSettings } from "./duplicates";
import { splitTrainValidation, type SplitReport, type SplitSettings } from "./split";
import { checkAgainstTarget, type TargetSettings, type TemplateRenderReport, type TokenCountReport } from "./target-checks";

export * from "./duplicates";
export * from "./split";
export * from "./target-checks";
export { TARGET_FAMILIES, TARGET_FAMILY_LABELS, TARGET_MODELS, UNAVAILABLE_TARGET_FAMILIES, loadTargetModel, type TargetFamily, type TargetModelInfo } from "./target-models";

/** What to check. Leave a part out (or set it to null) to skip that check. */
export interface DatasetCheckOptions {
  /** Duplicate detection; default on with DuplicateSettings' defaults. `false` skips it (nothing dropped). */
  duplicates?: (DuplicateSettings & { dropDuplicates?: boolean }) | false;
  /** Train/validation split of the conversations kept; null or absent: no split. */
  split?: SplitSettings | null;
  /** The model to count tokens and render records for; null or absent: neither check runs. */
  target?: TargetSettings | null;
}

export interface DatasetCheckSummary {
  /** Conversations given. */
  conversations: number;
  /** Conversations to export after duplicates are dropped. */
  kept: number;
  droppedDuplicates: number;
  duplicateClusters: number;
  train: number | null;
  validation: number | null;
  overContext: number | null;
  renderFailures: number | null;
  /** Plain-English lines for the export dialog and the manifest, most important first. */
  messages: string[];
}

export interface DatasetCheckReport {
  duplicates: DuplicateReport | null;
  split: SplitReport | null;
  tokens: TokenCountReport | null;
  templateRender: TemplateRenderReport | null;
  summary: DatasetCheckSummary;
  /** Wall time of each check, in milliseconds (tokenizer loading included in `targetMs`). */
  timings: { duplicatesMs: number; splitMs: number; targetMs: number };
}

/**
 * Runs the dataset checks on the conversations about to be exported.
 *
 * Order: duplicates first (clusters found on all conversations; with `dropDuplicates`, default
 * true, the best-scoring of each cluster is kept and the rest left out); then, on the
 * conversations kept, the split and the checks against the target model.
 *
 * Units: similarities are Jaccard similarities 0–1 of 5-word shingles (DuplicateSettings);
 * percentages 0–100; token counts and context lengths in tokens of the target's tokenizer;
 * timings in ms. Sources: the duplicate threshold from Lee et al. 2022 (duplicates.ts), the
 * MinHash/LSH method from Broder 1997 and Mining of Massive Datasets ch. 3 (minhash.ts), each
 * family's tokenizer package, chat template and context length in TARGET_MODELS (target-models.ts).
 *
 * Speed (10,000 conversations of about 780 words, a busy 2-core machine): duplicates 6–10 s,
 * split 0.1–0.3 s; tokens and template 3–7 ms per record for Llama 3 and Qwen3, 44 ms for
 * Gemma 3, under 1 ms for GPT and Claude, plus a one-off tokenizer load of 0.4–5 s
 * (docs/benchmarks.md, "Dataset checks").
 *
 * Throws AppError `duplicate_conversation_id` (an id twice), `invalid_dataset_check_settings`
 * (threshold, shingle size, permutations, validation share or context length out of range),
 * `unknown_target_model` and `tokenizer_unavailable` (target model).
 */
export async function checkDataset(conversations: readonly ExportConversation[], options: DatasetCheckOptions = {}): Promise<DatasetCheckReport> {
  assertUniqueIds(conversations);
  const messages: string[] = [];

  let started = performance.now();
  let duplicates: DuplicateReport | null = null;
  let kept: readonly ExportConversation[] = conversations;
  if (options.duplicates !== false) {
    const { dropDuplicates = true, ...settings } = options.duplicates ?? {};
    duplicates = findDuplicates(conversations, settings);
    if (dropDuplicates) {
      const keptIds = new Set(duplicates.keptConversationIds);
      kept = conversations.filter((conversation) => keptIds.has(conversation.conversationId));
    }
    if (duplicates.clusters.length > 0) {
      const exact = duplicates.clusters.filter((cluster) => cluster.kind === "exact").length;
      messages.push(
        `${duplicates.clusters.length} duplicate ${duplicates.clusters.length === 1 ? "group" : "groups"} found (${exact} exact, ${duplicates.clusters.length - exact} near); ` +
          (dropDuplicates
            ? `${duplicates.dropped.length} ${duplicates.dropped.length === 1 ? "conversation is" : "conversations are"} left out, keeping the best-scoring of each group.`
            : "nothing is left out because dropping duplicates is turned off."),
      );
    }
  }
  const duplicatesMs = performance.now() - started;

  started = performance.now();
  const split = options.split ? splitTrainValidation(kept, options.split) : null;
  if (split) {
    messages.push(`Split: ${split.trainConversationIds.length} for training and ${split.validationConversationIds.length} for validation (seed "${split.settings.seed}").`);
    messages.push(...split.messages);
  }
  const splitMs = performance.now() - started;

  started = performance.now();
  const checked = options.target ? await checkAgainstTarget(kept, options.target) : null;
  if (checked) {
    messages.push(...checked.templateRender.messages, ...checked.tokens.messages);
  }
  const targetMs = performance.now() - started;

  return {
    duplicates,
    split,
    tokens: checked?.tokens ?? null,
    templateRender: checked?.templateRender ?? null,
    summary: {
      conversations: conversations.length,
      kept: kept.length,
      droppedDuplicates: conversations.length - kept.length,
      duplicateClusters: duplicates?.clusters.length ?? 0,
      train: split ? split.trainConversationIds.length : null,
      validation: split ? split.validationConversationIds.length : null,
      overContext: checked ? checked.tokens.overContextConversationIds.length : null,
      renderFailures: checked && checked.templateRender.available ? checked.templateRender.failed : null,
      messages,
    },
    timings: { duplicatesMs, splitMs, targetMs },
  };
}
