/**
 * The filter every list, review and export uses (US3.1.1, US5.2.1). AND across dimensions,
 * OR within one dimension. Plain data so it can sit in a URL, a CLI flag set and an export manifest.
 */
import { z } from "zod";
import { CONVERSATION_STATUSES, TIERS } from "./constants";

/**
 * A chunk dimension's name as a filter may name it: letters, digits, `_` and `-`, 1–64 characters
 * ("audience_level", "expertise-level"). Upstream chunk files may bring any such name.
 */
export const CHUNK_DIMENSION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export const conversationFilterSchema = z.strictObject({
  /** Human ids ("conv-0042", "seed-001"). */
  ids: z.array(z.string().min(1)).optional(),
  status: z.array(z.enum(CONVERSATION_STATUSES)).optional(),
  tier: z.array(z.enum(TIERS)).optional(),
  persona: z.array(z.string().min(1)).optional(),
  emotion: z.array(z.string().min(1)).optional(),
  topic: z.array(z.string().min(1)).optional(),
  intent: z.array(z.string().min(1)).optional(),
  tone: z.array(z.string().min(1)).optional(),
  /** Outcome keys (how the conversation should end); conversations without an outcome match none. */
  outcome: z.array(z.string().min(1)).optional(),
  sourceCategory: z.array(z.string().min(1)).optional(),
  /** Keys of the documents the conversations were planned from (issue 9, traceability). */
  document: z.array(z.string().min(1)).optional(),
  /**
   * Dimensions of the chunk each conversation was planned from: dimension name → values, e.g.
   * `{ audience_level: ["advanced"], content_type: ["narrative", "procedural"] }`. AND across
   * names, OR within one name's values. Values are compared as text (`chunks.dimensions ->> name`):
   * a flag is "true" / "false", a number its decimal text. A conversation without a chunk matches
   * no chunk-dimension filter.
   */
  chunkDimension: z.record(z.string().regex(CHUNK_DIMENSION_NAME), z.array(z.string().min(1))).optional(),
  /** Inclusive quality score bounds, 1–10. */
  minQuality: z.number().min(1).max(10).optional(),
  maxQuality: z.number().min(1).max(10).optional(),
  isSeed: z.boolean().optional(),
  /**
   * Only conversations scoring below their tier's approval bar (the workspace's tier rules: the
   * minimum approval score, or the edge-case bar for edge cases). Unscored conversations never match.
   */
  belowBar: z.literal(true).optional(),
  /** Custom metadata keys that must hold these values (JSONB containment, FR1.1.2). */
  metadata: z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

export type ConversationFilter = z.infer<typeof conversationFilterSchema>;

/**
 * Drops empty lists and undefined bounds (and chunk dimensions with no values), so two equivalent
 * filters serialise the same way.
 */
export function normalizeFilter(filter: ConversationFilter): ConversationFilter {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (key === "metadata" && Object.keys(value as object).length === 0) continue;
    if (key === "chunkDimension") {
      const dimensions = activeChunkDimensions(value as Record<string, string[]>);
      if (Object.keys(dimensions).length) out[key] = dimensions;
      continue;
    }
    out[key] = value;
  }
  return out as ConversationFilter;
}

/** The chunk-dimension filter's names that have at least one value, by name (A–Z), values as given. */
export function activeChunkDimensions(chunkDimension: Record<string, string[]> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of Object.keys(chunkDimension ?? {}).sort()) {
    const values = chunkDimension?.[name] ?? [];
    if (values.length) out[name] = values;
  }
  return out;
}
