import "server-only";
/**
 * The dashboard's estimate, kept between the Generate dialog and the Generate click (issue 8,
 * item 7): the dialog estimates a selection; the click that follows reuses that estimate when the
 * selection is unchanged instead of sizing every prompt again, and recomputes it otherwise.
 *
 * "Unchanged" is decided by a key over the provider, model, concurrency, price overrides and the
 * resolved selection — the uuids of the conversations that would be generated, each with its
 * `updated_at` to the microsecond — so a conversation added to or dropped from the selection, or changed in any way
 * that touches its row, gives another key. Not in the key (they change nothing of a conversation
 * row): an edited template, taxonomy or chunk, and newly finished conversations of the model that
 * move its history averages; within the entry's 10 minutes the estimate shown in the dialog is
 * the one stored on the run.
 *
 * One cache per process (kept on globalThis, as Next.js bundles server actions and routes
 * separately), bounded to ESTIMATE_CACHE_MAX_ENTRIES, least recently used first out.
 */
import { createHash } from "node:crypto";
import type { RunEstimate } from "../../core/cost/estimate";
import type { PriceOverrides } from "../../core/cost/prices";
import type { RateLimits } from "../../core/llm/rate-limiter";
import { estimateChosen, loadSelectionSizing, type EstimateOptions } from "../../core/generation/estimate-selection";
import type { GenerationSelection, SkippedConversation } from "../../core/generation/resolve-selection";

/** How long an estimate is reused: 10 minutes (ms), long enough to read the dialog and click Generate. */
export const ESTIMATE_CACHE_TTL_MS = 10 * 60_000;

/** Estimates kept at most (a few people's dialogs open at once); the least recently used goes first. */
export const ESTIMATE_CACHE_MAX_ENTRIES = 32;

/** What an estimate depends on, besides the catalogue data named in the module comment. */
export interface EstimateCacheKeyInput {
  provider: string;
  model: string;
  /** Conversations generated at the same time. */
  concurrency: number;
  priceOverrides?: PriceOverrides;
  /** Rate limits the estimate's time assumes (per minute). */
  limits?: RateLimits;
  /** The judge model when the run will have one (null/absent = no judge). */
  judgeModel?: string | null;
  /** The resolved selection: the conversations that would be generated, in a fixed order (plan order), each with its row's version (updated_at). */
  conversations: ReadonlyArray<{ id: string; version: string }>;
}

/**
 * The cache key: a SHA-256 (hex) over the provider, model, concurrency, price overrides and the
 * selection's conversations in the order given, each uuid with its version (updated_at, to the
 * microsecond). Give them in a fixed order — loadSelectionSizing reads them in plan order, the
 * same order for the same rows — so the same selection gives the same key. Throws nothing.
 */
export function estimateCacheKey(input: EstimateCacheKeyInput): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify([input.provider, input.model, input.concurrency, input.priceOverrides ?? null, input.limits ?? null, input.judgeModel ?? null]));
  // In slices of 1,000 lines: one hash update per line would cost more than the hashing itself.
  for (let i = 0; i < input.conversations.length; i += KEY_SLICE) {
    let text = "";
    for (const c of input.conversations.slice(i, i + KEY_SLICE)) text += `\n${c.id}@${c.version}`;
    hash.update(text);
  }
  return hash.digest("hex");
}

const KEY_SLICE = 1_000;

/** Counters a caller (a test, a benchmark) can read: reused estimates, computed ones, entries held. */
export interface EstimateCacheStats {
  hits: number;
  misses: number;
  entries: number;
}

/** A bounded, time-limited map of estimates by key (least recently used evicted first). */
export class EstimateCache {
  private readonly entries = new Map<string, { estimate: RunEstimate; expiresAt: number }>();
  private hits = 0;
  private misses = 0;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  /**
   * @param ttlMs how long an entry is reused, ms (default ESTIMATE_CACHE_TTL_MS)
   * @param maxEntries entries held at most (default ESTIMATE_CACHE_MAX_ENTRIES)
   * @param now clock in ms (tests pass a fake one)
   */
  constructor(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}) {
    this.ttlMs = options.ttlMs ?? ESTIMATE_CACHE_TTL_MS;
    this.maxEntries = options.maxEntries ?? ESTIMATE_CACHE_MAX_ENTRIES;
    this.now = options.now ?? Date.now;
  }

  /** A copy of the estimate stored under `key` if it has not expired (counted as a hit), else undefined (a miss). */
  get(key: string): RunEstimate | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt <= this.now()) {
      if (entry) this.entries.delete(key);
      this.misses += 1;
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry); // most recently used last
    this.hits += 1;
    return structuredClone(entry.estimate);
  }

  /** Stores a copy of `estimate` under `key` for the TTL, evicting the least recently used beyond the bound. */
  set(key: string, estimate: RunEstimate): void {
    this.entries.delete(key);
    this.entries.set(key, { estimate: structuredClone(estimate), expiresAt: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  stats(): EstimateCacheStats {
    return { hits: this.hits, misses: this.misses, entries: this.entries.size };
  }
}

const CACHE_KEY = Symbol.for("brightrun.estimate-cache");

/** The process's estimate cache (one per process, whatever bundle asks). */
export function sharedEstimateCache(): EstimateCache {
  const holder = globalThis as unknown as Record<symbol, EstimateCache | undefined>;
  holder[CACHE_KEY] ??= new EstimateCache();
  return holder[CACHE_KEY];
}

/**
 * estimateSelection through the cache: reads the selection (loadSelectionSizing, one query), and
 * returns the estimate stored for the same key when there is one (`reused: true`), else sizes the
 * prompts and estimates (estimateChosen) and stores it. `skipped` always comes from this call's read.
 * @throws AppError "selection_invalid" like resolveSelection; "invalid_estimate_input" like estimateRun.
 */
export async function estimateSelectionCached(
  options: EstimateOptions & { selection: GenerationSelection; cache?: EstimateCache },
): Promise<{ estimate: RunEstimate; skipped: SkippedConversation[]; reused: boolean }> {
  const cache = options.cache ?? sharedEstimateCache();
  const { chosen, skipped } = await loadSelectionSizing({ db: options.db, workspaceId: options.workspaceId, selection: options.selection });
  const key = estimateCacheKey({
    provider: options.provider.name,
    model: options.model,
    concurrency: options.concurrency,
    priceOverrides: options.priceOverrides,
    limits: options.limits,
    judgeModel: options.judgeModel ?? null,
    conversations: chosen,
  });
  const cached = cache.get(key);
  if (cached) return { estimate: cached, skipped, reused: true };
  const estimate = await estimateChosen({ ...options, chosen });
  cache.set(key, estimate);
  return { estimate, skipped, reused: false };
}
