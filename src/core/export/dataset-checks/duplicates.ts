/**
 * Exact and near-duplicate conversations in a dataset, grouped in clusters, keeping the
 * best-scoring conversation of each cluster. See docs/dataset-checks.md, "Duplicates".
 */
import { AppError } from "../../errors";
import type { ExportConversation } from "../../types";
import {
  bandKey,
  chooseBanding,
  estimatedJaccard,
  jaccard,
  minHashSeeds,
  minHashSignature,
  shingleSet,
  shingleWords,
  type LshBanding,
} from "./minhash";

/** Settings of the duplicate check. */
export interface DuplicateSettings {
  /**
   * Jaccard similarity (0–1) of two conversations' word shingles from which they count as
   * near-duplicates. Default 0.8: the near-duplicate threshold of Lee et al. 2022,
   * "Deduplicating Training Data Makes Language Models Better" (ACL), who used MinHash over
   * 5-word shingles with this threshold. Lower finds more paraphrases and more false alarms.
   */
  threshold?: number;
  /** Words per shingle, 1–10. Default 5 (Lee et al. 2022). */
  shingleWords?: number;
  /** MinHash permutations, 16–512. Default 128. More is more precise and slower. */
  permutations?: number;
}

export const DEFAULT_DUPLICATE_THRESHOLD = 0.8;
export const DEFAULT_SHINGLE_WORDS = 5;
export const DEFAULT_PERMUTATIONS = 128;

/** One conversation of a duplicate cluster. */
export interface DuplicateMember {
  conversationId: string;
  qualityScore: number | null;
  /** Exact Jaccard similarity (0–1) of this conversation's shingles to the kept one's (1 for the kept one). */
  similarityToKept: number;
  /** The MinHash estimate of the same similarity (0–1). */
  estimatedSimilarityToKept: number;
  /** True when its turns are word for word those of the kept one (roles and text, ends trimmed). */
  exactCopyOfKept: boolean;
}

/** A group of conversations that are duplicates of each other (directly or through a chain of near-duplicates). */
export interface DuplicateCluster {
  /** "exact" when every member is a word-for-word copy of the kept one, else "near". */
  kind: "exact" | "near";
  keptConversationId: string;
  /** Every member, the kept one first, then by similarity to it (highest first). */
  members: DuplicateMember[];
  /** Plain English for the export dialog. */
  message: string;
}

/** A conversation left out because another one of its cluster is kept. */
export interface DroppedDuplicate {
  conversationId: string;
  keptConversationId: string;
  similarityToKept: number;
  /** Plain English: why this one and not the kept one. */
  reason: string;
}

export interface DuplicateReport {
  settings: { threshold: number; shingleWords: number; permutations: number; bands: number; rows: number };
  clusters: DuplicateCluster[];
  /** Conversation ids to export, in input order (every conversation not dropped). */
  keptConversationIds: string[];
  dropped: DroppedDuplicate[];
  /** Conversations with no words in their turns: they cannot be compared and are kept. */
  notComparedConversationIds: string[];
}

const naturalOrder = new Intl.Collator("en", { numeric: true, sensitivity: "variant" });

/** Validated settings with defaults applied. Throws AppError `invalid_dataset_check_settings`. */
export function resolveDuplicateSettings(settings: DuplicateSettings = {}): Required<DuplicateSettings> {
  const threshold = settings.threshold ?? DEFAULT_DUPLICATE_THRESHOLD;
  const words = settings.shingleWords ?? DEFAULT_SHINGLE_WORDS;
  const permutations = settings.permutations ?? DEFAULT_PERMUTATIONS;
  if (!(Number.isFinite(threshold) && threshold >= 0.3 && threshold <= 1)) {
    throw new AppError("invalid_dataset_check_settings", `The duplicate threshold must be a similarity between 0.3 and 1 (for example 0.8); got ${threshold}.`, { detail: { threshold } });
  }
  if (!(Number.isInteger(words) && words >= 1 && words <= 10)) {
    throw new AppError("invalid_dataset_check_settings", `Shingles must be 1 to 10 words long (5 is usual); got ${words}.`, { detail: { shingleWords: words } });
  }
  if (!(Number.isInteger(permutations) && permutations >= 16 && permutations <= 512)) {
    throw new AppError("invalid_dataset_check_settings", `The number of MinHash permutations must be a whole number from 16 to 512 (128 is usual); got ${permutations}.`, { detail: { permutations } });
  }
  return { threshold, shingleWords: words, permutations };
}

/** Turns as compared for exact copies: role and content with the ends trimmed. */
function exactFingerprint(conversation: ExportConversation): string {
  return JSON.stringify(conversation.turns.map((turn) => [turn.role, turn.content.trim()]));
}

/** True when `a` should be kept over `b`: the higher quality score (unscored counts lowest), then the smaller id in natural order. */
export function keepsOver(a: ExportConversation, b: ExportConversation): boolean {
  const scoreA = a.qualityScore ?? Number.NEGATIVE_INFINITY;
  const scoreB = b.qualityScore ?? Number.NEGATIVE_INFINITY;
  if (scoreA !== scoreB) return scoreA > scoreB;
  return naturalOrder.compare(a.conversationId, b.conversationId) < 0;
}

function percent(value: number): string {
  return `${Math.floor(value * 100)} %`;
}

function scoreText(score: number | null): string {
  return score === null ? "no quality score" : `quality ${score}`;
}

/**
 * Finds exact and near-duplicate conversations and picks one to keep in each cluster.
 *
 * - Text compared: the turns only (not the system prompt, which is usually the same for every
 *   conversation of a workspace), as lower-cased words without punctuation.
 * - Exact duplicates: the same roles and contents (ends trimmed) in the same order.
 * - Near-duplicates: MinHash signatures (`permutations` hash functions) of the `shingleWords`-word
 *   shingles, LSH banding chosen for `threshold` to find candidate pairs, then each candidate
 *   pair's exact Jaccard similarity compared with `threshold`.
 * - Clusters join pairs transitively (single linkage): if A is like B and B like C, A, B and C are
 *   one cluster even when A and C are less alike than the threshold; each member's similarity to
 *   the kept one is reported.
 * - Kept: the highest quality score (1–10; unscored counts lowest); on a tie, the smaller
 *   conversation id in natural order ("conv-2" before "conv-10"), so the result does not depend
 *   on the order of the input.
 *
 * Conversation ids must be unique. Throws AppError `invalid_dataset_check_settings` for bad
 * settings and `duplicate_conversation_id` when an id appears twice.
 */
export function findDuplicates(conversations: readonly ExportConversation[], settings: DuplicateSettings = {}): DuplicateReport {
  const resolved = resolveDuplicateSettings(settings);
  assertUniqueIds(conversations);
  const banding: LshBanding = bandingFor(resolved.threshold, resolved.permutations);
  const seeds = minHashSeeds(resolved.permutations);
  const wordHashes = new Map<string, number>();

  const parent = conversations.map((_, index) => index);
  const find = (index: number): number => {
    let root = index;
    while (parent[root] !== root) root = parent[root];
    while (parent[index] !== root) {
      const next = parent[index];
      parent[index] = root;
      index = next;
    }
    return root;
  };
  const union = (a: number, b: number) => {
    const rootA = find(a);
    const rootB = find(b);
    if (rootA !== rootB) parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
  };

  // Exact copies first: they need no shingles (and are found even when too short to shingle).
  const fingerprints = conversations.map(exactFingerprint);
  const firstWithFingerprint = new Map<string, number>();
  fingerprints.forEach((fingerprint, index) => {
    const first = firstWithFingerprint.get(fingerprint);
    if (first === undefined) firstWithFingerprint.set(fingerprint, index);
    else union(first, index);
  });

  const shingles = conversations.map((conversation) =>
    shingleSet(shingleWords(conversation.turns.map((turn) => turn.content).join("\n")), resolved.shingleWords, wordHashes),
  );
  const signatures = shingles.map((set) => minHashSignature(set, seeds));
  const notCompared: string[] = [];
  const buckets: Map<number, number[]>[] = Array.from({ length: banding.bands }, () => new Map());
  shingles.forEach((set, index) => {
    if (set.length === 0) {
      notCompared.push(conversations[index].conversationId);
      return;
    }
    // One copy of each exact duplicate group is enough for the buckets.
    if (firstWithFingerprint.get(fingerprints[index]) !== index) return;
    for (let band = 0; band < banding.bands; band += 1) {
      const key = bandKey(signatures[index], band, banding.rows);
      const bucket = buckets[band].get(key);
      if (bucket) bucket.push(index);
      else buckets[band].set(key, [index]);
    }
  });
  const checked = new Set<number>();
  for (const bandBuckets of buckets) {
    for (const bucket of bandBuckets.values()) {
      for (let i = 0; i < bucket.length; i += 1) {
        for (let j = i + 1; j < bucket.length; j += 1) {
          const a = bucket[i];
          const b = bucket[j];
          const pairKey = a * conversations.length + b;
          if (checked.has(pairKey)) continue;
          checked.add(pairKey);
          if (find(a) === find(b)) continue;
          if (jaccard(shingles[a], shingles[b]) >= resolved.threshold) union(a, b);
        }
      }
    }
  }

  const groups = new Map<number, number[]>();
  conversations.forEach((_, index) => {
    const root = find(index);
    const group = groups.get(root);
    if (group) group.push(index);
    else groups.set(root, [index]);
  });

  const clusters: DuplicateCluster[] = [];
  const dropped: DroppedDuplicate[] = [];
  const droppedIndexes = new Set<number>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const kept = group.reduce((best, index) => (keepsOver(conversations[index], conversations[best]) ? index : best));
    const keptConversation = conversations[kept];
    const members: DuplicateMember[] = group.map((index) => ({
      conversationId: conversations[index].conversationId,
      qualityScore: conversations[index].qualityScore,
      similarityToKept: index === kept ? 1 : jaccard(shingles[index], shingles[kept]),
      estimatedSimilarityToKept: index === kept ? 1 : estimatedJaccard(signatures[index], signatures[kept]),
      exactCopyOfKept: fingerprints[index] === fingerprints[kept],
    }));
    members.sort((a, b) =>
      a.conversationId === keptConversation.conversationId ? -1
      : b.conversationId === keptConversation.conversationId ? 1
      : b.similarityToKept - a.similarityToKept || naturalOrder.compare(a.conversationId, b.conversationId),
    );
    const kind = members.every((member) => member.exactCopyOfKept) ? "exact" : "near";
    const others = members.slice(1);
    for (const member of others) {
      const index = group.find((candidate) => conversations[candidate].conversationId === member.conversationId)!;
      droppedIndexes.add(index);
      const why =
        member.qualityScore === keptConversation.qualityScore
          ? `same quality score; ${keptConversation.conversationId} comes first by id`
          : `${keptConversation.conversationId} scores higher (${scoreText(keptConversation.qualityScore)} against ${scoreText(member.qualityScore)})`;
      dropped.push({
        conversationId: member.conversationId,
        keptConversationId: keptConversation.conversationId,
        similarityToKept: member.similarityToKept,
        reason: member.exactCopyOfKept
          ? `An exact copy of ${keptConversation.conversationId} (same turns word for word); ${why}.`
          : `A near-duplicate of ${keptConversation.conversationId}: ${percent(member.similarityToKept)} of their ${resolved.shingleWords}-word phrases are shared; ${why}.`,
      });
    }
    const lowest = Math.min(...others.map((member) => member.similarityToKept));
    clusters.push({
      kind,
      keptConversationId: keptConversation.conversationId,
      members,
      message:
        kind === "exact"
          ? `${others.length === 1 ? `${others[0].conversationId} is an exact copy` : `${others.length} conversations are exact copies`} of ${keptConversation.conversationId}; ${keptConversation.conversationId} is kept (${scoreText(keptConversation.qualityScore)}) and the ${others.length === 1 ? "copy is" : "copies are"} left out.`
          : `${members.length} conversations are near-duplicates (${percent(lowest)}–${percent(Math.max(...others.map((member) => member.similarityToKept)))} of their ${resolved.shingleWords}-word phrases shared with ${keptConversation.conversationId}); ${keptConversation.conversationId} is kept (${scoreText(keptConversation.qualityScore)}) and ${others.length} left out. Review them if they are meant to differ.`,
    });
  }
  clusters.sort((a, b) => naturalOrder.compare(a.keptConversationId, b.keptConversationId));
  dropped.sort((a, b) => naturalOrder.compare(a.conversationId, b.conversationId));

  return {
    settings: { ...resolved, bands: banding.bands, rows: banding.rows },
    clusters,
    keptConversationIds: conversations.filter((_, index) => !droppedIndexes.has(index)).map((conversation) => conversation.conversationId),
    dropped,
    notComparedConversationIds: notCompared,
  };
}

const bandingCache = new Map<string, LshBanding>();
function bandingFor(threshold: number, permutations: number): LshBanding {
  const key = `${threshold}:${permutations}`;
  let banding = bandingCache.get(key);
  if (!banding) {
    banding = chooseBanding(threshold, permutations);
    bandingCache.set(key, banding);
  }
  return banding;
}

/** Throws AppError `duplicate_conversation_id` when two conversations share an id. */
export function assertUniqueIds(conversations: readonly ExportConversation[]): void {
  const seen = new Set<string>();
  for (const conversation of conversations) {
    if (seen.has(conversation.conversationId)) {
      throw new AppError("duplicate_conversation_id", `Conversation ${conversation.conversationId} appears twice in the list to check; each conversation can be exported once.`, {
        detail: { conversationId: conversation.conversationId },
      });
    }
    seen.add(conversation.conversationId);
  }
}
