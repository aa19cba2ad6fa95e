/**
 * A seeded train/validation split, stratified by tier and persona. See docs/dataset-checks.md,
 * "Train/validation split".
 */
import type { Tier } from "../../../lib/constants";
import { AppError } from "../../errors";
import type { ExportConversation } from "../../types";
import { assertUniqueIds } from "./duplicates";
import { fnv1a32, mix32 } from "./minhash";

export interface SplitSettings {
  /** Share of conversations for validation, in percent, 0–50. Default 10. */
  validationPercent?: number;
  /** Any text or number; the same seed over the same conversations gives the same split. Default "brightrun". */
  seed?: string | number;
}

export const DEFAULT_VALIDATION_PERCENT = 10;
export const DEFAULT_SPLIT_SEED = "brightrun";

/** One stratum (tier × persona) and how it was split. */
export interface SplitStratum {
  tier: Tier;
  persona: string;
  total: number;
  train: number;
  validation: number;
}

export interface SplitReport {
  settings: { validationPercent: number; seed: string };
  /** Conversation ids for the training file, in input order. */
  trainConversationIds: string[];
  /** Conversation ids for the validation file, in input order. */
  validationConversationIds: string[];
  /** Every tier × persona, in tier order then persona name. */
  strata: SplitStratum[];
  /** Plain-English notes for the export dialog (small strata, an empty validation set…). */
  messages: string[];
}

const TIER_ORDER: Record<string, number> = { template: 0, scenario: 1, edge_case: 2 };
const naturalOrder = new Intl.Collator("en", { numeric: true, sensitivity: "variant" });

/** A deterministic 32-bit rank of `text` under `seed`. */
function seededRank(seed: string, text: string): number {
  return mix32(fnv1a32(`${seed}\u0000${text}`) ^ fnv1a32(text));
}

/**
 * Splits conversations into a training and a validation list.
 *
 * - Strata: every tier × persona pair. Each stratum gives validation records in proportion to
 *   its size: its quota is size × percent / 100; the whole-number parts are given first, and the
 *   records still needed to reach round(total × percent / 100) go to the strata with the largest
 *   fractional parts (largest-remainder apportionment; ties broken by a seeded order of the
 *   strata, so a different seed may pick a different small stratum).
 * - Small strata: a stratum never gives all its conversations to validation, so a tier × persona
 *   of one conversation always stays in training, and one of two gives at most one. The total can
 *   therefore fall short of round(total × percent / 100) when most strata are tiny; a message says so.
 * - Which conversations: within a stratum, ordered by a hash of (seed, conversation id), the first
 *   ones go to validation. The order of the input does not matter; the same seed and the same
 *   conversations give the same split, and adding conversations moves few of the others.
 *
 * Throws AppError `invalid_dataset_check_settings` when the percentage is not 0–50 and
 * `duplicate_conversation_id` when an id appears twice.
 */
export function splitTrainValidation(conversations: readonly ExportConversation[], settings: SplitSettings = {}): SplitReport {
  const validationPercent = settings.validationPercent ?? DEFAULT_VALIDATION_PERCENT;
  const seed = String(settings.seed ?? DEFAULT_SPLIT_SEED);
  if (!(Number.isFinite(validationPercent) && validationPercent >= 0 && validationPercent <= 50)) {
    throw new AppError(
      "invalid_dataset_check_settings",
      `The validation share must be between 0 and 50 percent (10 to 20 is usual); got ${validationPercent}.`,
      { detail: { validationPercent } },
    );
  }
  assertUniqueIds(conversations);

  const strata = new Map<string, { tier: Tier; persona: string; members: ExportConversation[] }>();
  for (const conversation of conversations) {
    const key = JSON.stringify([conversation.tier, conversation.persona]);
    const stratum = strata.get(key);
    if (stratum) stratum.members.push(conversation);
    else strata.set(key, { tier: conversation.tier, persona: conversation.persona, members: [conversation] });
  }
  const ordered = [...strata.values()].sort(
    (a, b) => (TIER_ORDER[a.tier] ?? 9) - (TIER_ORDER[b.tier] ?? 9) || naturalOrder.compare(a.persona, b.persona),
  );

  const target = Math.round((conversations.length * validationPercent) / 100);
  const quotas = ordered.map((stratum) => {
    const exact = (stratum.members.length * validationPercent) / 100;
    const cap = Math.max(0, stratum.members.length - 1);
    return { stratum, exact, cap, count: Math.min(Math.floor(exact), cap) };
  });
  let remaining = target - quotas.reduce((sum, quota) => sum + quota.count, 0);
  const byRemainder = [...quotas].sort(
    (a, b) =>
      b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)) ||
      seededRank(seed, `${a.stratum.tier}/${a.stratum.persona}`) - seededRank(seed, `${b.stratum.tier}/${b.stratum.persona}`),
  );
  // Largest remainders first; a second pass lets strata with room take what capped strata could not.
  for (let pass = 0; pass < 2 && remaining > 0; pass += 1) {
    for (const quota of byRemainder) {
      if (remaining === 0) break;
      if (quota.count < quota.cap && (pass === 1 || quota.exact - Math.floor(quota.exact) > 0)) {
        quota.count += 1;
        remaining -= 1;
      }
    }
  }

  const validationIds = new Set<string>();
  const report: SplitStratum[] = [];
  for (const quota of quotas) {
    const shuffled = [...quota.stratum.members].sort(
      (a, b) => seededRank(seed, a.conversationId) - seededRank(seed, b.conversationId) || naturalOrder.compare(a.conversationId, b.conversationId),
    );
    for (const conversation of shuffled.slice(0, quota.count)) validationIds.add(conversation.conversationId);
    report.push({
      tier: quota.stratum.tier,
      persona: quota.stratum.persona,
      total: quota.stratum.members.length,
      train: quota.stratum.members.length - quota.count,
      validation: quota.count,
    });
  }

  const messages: string[] = [];
  const singles = report.filter((stratum) => stratum.total === 1);
  if (validationPercent > 0 && singles.length > 0) {
    messages.push(
      `${singles.length} tier and persona ${singles.length === 1 ? "combination has" : "combinations have"} a single conversation; ${singles.length === 1 ? "it stays" : "they stay"} in training so the model still sees ${singles.length === 1 ? "it" : "them"}.`,
    );
  }
  if (validationIds.size < target) {
    messages.push(
      `The validation set has ${validationIds.size} ${validationIds.size === 1 ? "conversation" : "conversations"} instead of ${target}: the tier and persona groups are too small to give more without leaving a group out of training.`,
    );
  }
  if (validationPercent > 0 && validationIds.size === 0 && conversations.length > 0) {
    messages.push("No conversation went to validation: add conversations or raise the validation share.");
  }

  return {
    settings: { validationPercent, seed },
    trainConversationIds: conversations.filter((conversation) => !validationIds.has(conversation.conversationId)).map((conversation) => conversation.conversationId),
    validationConversationIds: conversations.filter((conversation) => validationIds.has(conversation.conversationId)).map((conversation) => conversation.conversationId),
    strata: report,
    messages,
  };
}
