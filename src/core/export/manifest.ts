/**
 * The export manifest: the statistics and settings that travel with every export, written as
 * `<stem>-manifest.json` beside the data file (and embedded in the `json` format's document).
 *
 * Source: US5.1.2 "Export Quality Validation" (seeds/user-stories.md): total conversations,
 * average quality score, score distribution; breakdown by tier, persona and emotion; date range;
 * export settings (format, filter state, approval status); version information (system version,
 * export format version). US5.2.1 asks for the filter state "for reproducibility", and
 * ARCHITECTURE.md ("Providers") asks that the `simulated` provider be labelled in the manifest as
 * `provider: "simulated"`, not a language model.
 */
import {
  CONVERSATION_STATUSES,
  TIERS,
  type ConversationStatus,
  type ExportFormat,
  type Tier,
} from "../../lib/constants";
import type { ExportConversation } from "../types";
import type { DatasetCheckReport } from "./dataset-checks";
import { exportFileStem } from "./file-name";
import { FORMAT_VERSIONS } from "./format-versions";
import type { ExportFileEntry } from "./types";

/** Version of the manifest's own layout (2: `file_stem`, `archive`, `dataset_checks`; data files may carry `split`). */
export const MANIFEST_VERSION = "2";

/** Name of the product, written beside its version. */
export const SYSTEM_NAME = "Bright Run";

/** Quality score bands of the distribution (scores are 1–10; below 6 is flagged for review, US4.3.1). */
export const QUALITY_BANDS = ["1-5", "6-7", "8-10"] as const;
export type QualityBand = (typeof QUALITY_BANDS)[number];

/** Key used in `by_provider` for conversations no provider generated (imported seed conversations). */
export const NO_PROVIDER_KEY = "none";

export interface QualityStatistics {
  /** Conversations that have a quality score. */
  scored_count: number;
  /** Conversations without one (e.g. imported seeds not yet scored). */
  unscored_count: number;
  /** Mean of the scores, rounded to 2 decimals; null when nothing is scored. */
  average: number | null;
  min: number | null;
  max: number | null;
  /** Scores per band: "1-5" (< 6), "6-7" (6 to < 8), "8-10" (≥ 8). */
  distribution: Record<QualityBand, number>;
  /** Scores per whole point "1" … "10" (a fractional score counts under its whole part, 7.5 → "7"). */
  by_score: Record<string, number>;
}

export interface DateRange {
  /** ISO 8601, UTC. */
  earliest: string | null;
  latest: string | null;
}

/** The manifest as written to JSON. Keys are snake_case like the rest of the exported files. */
export interface ExportManifest {
  manifest_version: string;
  /**
   * The export's id (export_logs.export_id, also the end of its folder's name), so a manifest,
   * its folder and its download can be matched; null only for a bundle built without being
   * written (a preview).
   */
  export_id: string | null;
  system_name: string;
  system_version: string;
  exported_at: string;
  format: ExportFormat;
  format_version: string;
  /** The status part of the file name: "approved", "all", "generated", "filtered"… */
  status_label: string;
  /** The filters that selected these conversations, as the caller gave them (US5.2.1). */
  filter_state: Record<string, unknown>;
  /** The stem every file name shares (the manifest is `<file_stem>-manifest.json`). */
  file_stem: string;
  /** Files of this export, data files first; the manifest does not list itself. */
  files: ExportFileEntry[];
  /** The ZIP that holds every file of the export (these files and this manifest), or null when none was made. */
  archive: string | null;
  /** What the dataset checks found (docs/dataset-checks.md); null when none ran. */
  dataset_checks: ManifestDatasetChecks | null;
  conversation_count: number;
  /** Imported seed conversations among them. */
  seed_count: number;
  /** Turns (user + assistant messages, system prompt not counted) over all conversations. */
  turn_count: number;
  turns_per_conversation: { average: number | null; min: number | null; max: number | null };
  quality: QualityStatistics;
  /** Every tier, zeros included. */
  by_tier: Record<Tier, number>;
  /** Every status, zeros included (shows whether the export is approved-only). */
  by_status: Record<ConversationStatus, number>;
  by_persona: Record<string, number>;
  by_emotion: Record<string, number>;
  by_topic: Record<string, number>;
  date_range: { created_at: DateRange; generated_at: DateRange };
  /**
   * The one provider that generated the conversations; "mixed" when several did; null when none
   * did (seeds only). `"simulated"` means composed without a language model.
   */
  provider: string | null;
  providers: string[];
  by_provider: Record<string, number>;
  /** The one model, "mixed" when several, null when none is recorded. */
  model: string | null;
  models: string[];
  /** True when any conversation came from the `simulated` provider (no language model). */
  generated_without_language_model: boolean;
  simulated_conversation_count: number;
  /** Ids in export order, so an export can be traced back and repeated. */
  conversation_ids: string[];
}

export interface BuildManifestInput {
  /** The export's id (export_logs.export_id); omitted or null for a bundle that is not written. */
  exportId?: string | null;
  conversations: readonly ExportConversation[];
  format: ExportFormat;
  /** Active filters (persona, emotion, topic, status, quality…); must be JSON-safe. */
  filterState: Record<string, unknown>;
  statusLabel: string;
  /** Bright Run's version (package.json `version`). */
  systemVersion: string;
  exportedAt: Date;
  files: readonly ExportFileEntry[];
  /** The files' shared stem; absent: the default `training-data-YYYY-MM-DD-<status>-<N>-conversations`. */
  fileStem?: string;
  datasetChecks?: ManifestDatasetChecks | null;
  /** Name of the ZIP holding the export, or null. */
  archiveName?: string | null;
}

/**
 * Computes the manifest of an export from its conversations.
 *
 * Counts: `conversation_count`, `seed_count`, `turn_count` (turns, system prompt excluded).
 * Quality: average (2 decimals), min, max over conversations with a score; bands "1-5" / "6-7" /
 * "8-10" and per whole point "1"…"10" (scores outside 1–10 are clamped into it); unscored
 * conversations are counted apart, never as 0. Breakdowns: every tier and status with zeros;
 * persona, emotion, topic and provider by count, largest first. Date ranges: earliest/latest
 * `createdAt` and `generatedAt` as ISO strings (null when absent). Providers and models are
 * those recorded on the conversations; any `simulated` one sets
 * `generated_without_language_model: true`.
 *
 * Pure: reads nothing but its input. Throws only the `RangeError` of `Date.toISOString` when
 * `exportedAt` is an invalid date.
 */
export function buildManifest(input: BuildManifestInput): ExportManifest {
  const { conversations } = input;
  const turnCounts = conversations.map((conversation) => conversation.turns.length);
  const providerCounts = countBy(conversations.map((conversation) => conversation.provider ?? NO_PROVIDER_KEY));
  const providers = Object.keys(providerCounts).filter((name) => name !== NO_PROVIDER_KEY).sort();
  const models = [...new Set(conversations.map((c) => c.model).filter((m): m is string => m !== null && m !== ""))].sort();
  const simulatedCount = conversations.filter((conversation) => conversation.provider === "simulated").length;

  return {
    manifest_version: MANIFEST_VERSION,
    export_id: input.exportId ?? null,
    system_name: SYSTEM_NAME,
    system_version: input.systemVersion,
    exported_at: input.exportedAt.toISOString(),
    format: input.format,
    format_version: FORMAT_VERSIONS[input.format],
    status_label: input.statusLabel,
    filter_state: input.filterState,
    file_stem: input.fileStem ?? exportFileStem({ date: input.exportedAt, statusLabel: input.statusLabel, count: conversations.length }),
    files: input.files.map((file) => ({ ...file })),
    archive: input.archiveName ?? null,
    dataset_checks: input.datasetChecks ?? null,
    conversation_count: conversations.length,
    seed_count: conversations.filter((conversation) => conversation.isSeed).length,
    turn_count: sum(turnCounts),
    turns_per_conversation: {
      average: turnCounts.length === 0 ? null : round2(sum(turnCounts) / turnCounts.length),
      min: minOf(turnCounts),
      max: maxOf(turnCounts),
    },
    quality: qualityStatistics(conversations.map((conversation) => conversation.qualityScore)),
    by_tier: countEvery(TIERS, conversations.map((conversation) => conversation.tier)),
    by_status: countEvery(CONVERSATION_STATUSES, conversations.map((conversation) => conversation.status)),
    by_persona: countBy(conversations.map((conversation) => conversation.persona)),
    by_emotion: countBy(conversations.map((conversation) => conversation.emotion)),
    by_topic: countBy(conversations.map((conversation) => conversation.topic)),
    date_range: {
      created_at: dateRange(conversations.map((conversation) => conversation.createdAt)),
      generated_at: dateRange(conversations.map((conversation) => conversation.generatedAt)),
    },
    provider: providers.length === 0 ? null : providers.length === 1 ? providers[0] : "mixed",
    providers,
    by_provider: providerCounts,
    model: models.length === 0 ? null : models.length === 1 ? models[0] : "mixed",
    models,
    generated_without_language_model: simulatedCount > 0,
    simulated_conversation_count: simulatedCount,
    conversation_ids: conversations.map((conversation) => conversation.conversationId),
  };
}

/** The dataset checks as the manifest records them (snake_case, ids rather than whole records). */
export interface ManifestDatasetChecks {
  /** Conversations the selection matched, before duplicates were left out. */
  conversations_checked: number;
  /** Conversations written. */
  conversations_written: number;
  duplicates: {
    /** Jaccard similarity of `shingle_words`-word shingles from which two conversations are near-duplicates. */
    threshold: number;
    shingle_words: number;
    permutations: number;
    groups: number;
    exact_groups: number;
    near_groups: number;
    removed_count: number;
    /** Every conversation left out, with the one kept in its place and their similarity (0–1). */
    removed: Array<{ conversation_id: string; kept_conversation_id: string; similarity: number; reason: string }>;
    groups_detail: Array<{ kind: "exact" | "near"; kept_conversation_id: string; member_ids: string[] }>;
    not_compared_ids: string[];
  } | null;
  split: {
    validation_percent: number;
    seed: string;
    train: number;
    validation: number;
    /** Every tier × persona with its counts. */
    strata: Array<{ tier: string; persona: string; total: number; train: number; validation: number }>;
    validation_conversation_ids: string[];
  } | null;
  tokens: {
    family: string;
    model: string;
    tokenizer_package: string;
    /** False when the tokenizer only approximates the model's (Claude). */
    exact_tokenizer: boolean;
    /** Tokens. */
    context_length: number;
    context_length_source: string;
    counting_note: string;
    /** Over the records written, in tokens. */
    stats: { records: number; total: number; min: number; max: number; mean: number; median: number; p95: number };
    over_context_ids: string[];
    /** Tokens of each record, by conversation id. */
    per_record: Record<string, number>;
  } | null;
  template_render: {
    family: string;
    /** False when the model's vendor publishes no chat template: nothing was rendered. */
    available: boolean;
    source: string;
    rendered: number;
    failed: number;
    failures: Array<{ conversation_id: string; problems: Array<{ code: string; message: number | null; text: string }> }>;
  } | null;
  /** Plain-English summary lines, most important first. */
  messages: string[];
}

/**
 * The manifest's `dataset_checks` from a `checkDataset` report: counts, every removed duplicate
 * with the conversation kept in its place, split sizes per tier × persona, token statistics with
 * each record's count and the ids over the context length, and every render failure. Pure.
 */
export function toManifestDatasetChecks(report: DatasetCheckReport): ManifestDatasetChecks {
  const { duplicates, split, tokens, templateRender } = report;
  return {
    conversations_checked: report.summary.conversations,
    conversations_written: report.summary.kept,
    duplicates: duplicates
      ? {
          threshold: duplicates.settings.threshold,
          shingle_words: duplicates.settings.shingleWords,
          permutations: duplicates.settings.permutations,
          groups: duplicates.clusters.length,
          exact_groups: duplicates.clusters.filter((cluster) => cluster.kind === "exact").length,
          near_groups: duplicates.clusters.filter((cluster) => cluster.kind === "near").length,
          removed_count: report.summary.droppedDuplicates,
          removed:
            report.summary.droppedDuplicates === 0
              ? []
              : duplicates.dropped.map((dropped) => ({
                  conversation_id: dropped.conversationId,
                  kept_conversation_id: dropped.keptConversationId,
                  similarity: Math.round(dropped.similarityToKept * 1000) / 1000,
                  reason: dropped.reason,
                })),
          groups_detail: duplicates.clusters.map((cluster) => ({
            kind: cluster.kind,
            kept_conversation_id: cluster.keptConversationId,
            member_ids: cluster.members.map((member) => member.conversationId),
          })),
          not_compared_ids: duplicates.notComparedConversationIds,
        }
      : null,
    split: split
      ? {
          validation_percent: split.settings.validationPercent,
          seed: split.settings.seed,
          train: split.trainConversationIds.length,
          validation: split.validationConversationIds.length,
          strata: split.strata.map((stratum) => ({ ...stratum })),
          validation_conversation_ids: split.validationConversationIds,
        }
      : null,
    tokens: tokens
      ? {
          family: tokens.family,
          model: tokens.modelLabel,
          tokenizer_package: tokens.tokenizerPackage,
          exact_tokenizer: tokens.exactTokenizer,
          context_length: tokens.contextLength,
          context_length_source: tokens.contextLengthSource,
          counting_note: tokens.countingNote,
          stats: { ...tokens.stats },
          over_context_ids: tokens.overContextConversationIds,
          per_record: Object.fromEntries(tokens.records.map((record) => [record.conversationId, record.tokens])),
        }
      : null,
    template_render: templateRender
      ? {
          family: templateRender.family,
          available: templateRender.available,
          source: templateRender.source,
          rendered: templateRender.rendered,
          failed: templateRender.failed,
          failures: templateRender.failures.map((failure) => ({
            conversation_id: failure.conversationId,
            problems: failure.problems.map((problem) => ({ ...problem })),
          })),
        }
      : null,
    messages: report.summary.messages,
  };
}

/**
 * Quality statistics of a list of scores (1–10, null = not scored); see `buildManifest`.
 * Exported for the dataset card and the export preview.
 */
export function qualityStatistics(scores: ReadonlyArray<number | null>): QualityStatistics {
  const scored = scores.filter((score): score is number => typeof score === "number" && Number.isFinite(score));
  const distribution: Record<QualityBand, number> = { "1-5": 0, "6-7": 0, "8-10": 0 };
  const byScore: Record<string, number> = {};
  for (let point = 1; point <= 10; point += 1) byScore[String(point)] = 0;
  for (const score of scored) {
    const point = Math.min(10, Math.max(1, Math.floor(score)));
    byScore[String(point)] += 1;
    distribution[point <= 5 ? "1-5" : point <= 7 ? "6-7" : "8-10"] += 1;
  }
  return {
    scored_count: scored.length,
    unscored_count: scores.length - scored.length,
    average: scored.length === 0 ? null : round2(sum(scored) / scored.length),
    min: minOf(scored),
    max: maxOf(scored),
    distribution,
    by_score: byScore,
  };
}

/** Occurrences of each value, largest count first, ties in alphabetical order. */
function countBy(values: readonly string[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const entries = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return Object.fromEntries(entries);
}

/** Occurrences of each of `keys` (zeros included, in `keys` order). */
function countEvery<K extends string>(keys: readonly K[], values: readonly K[]): Record<K, number> {
  const counts = Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function dateRange(dates: ReadonlyArray<Date | null>): DateRange {
  const times = dates.filter((date): date is Date => date instanceof Date && !Number.isNaN(date.getTime())).map((date) => date.getTime());
  const earliest = minOf(times);
  const latest = maxOf(times);
  return {
    earliest: earliest === null ? null : new Date(earliest).toISOString(),
    latest: latest === null ? null : new Date(latest).toISOString(),
  };
}

/** Smallest value, null for none (a loop, not `Math.min(...values)`, which overflows the stack on large exports). */
function minOf(values: readonly number[]): number | null {
  let result: number | null = null;
  for (const value of values) if (result === null || value < result) result = value;
  return result;
}

function maxOf(values: readonly number[]): number | null {
  let result: number | null = null;
  for (const value of values) if (result === null || value > result) result = value;
  return result;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
