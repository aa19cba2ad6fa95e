/**
 * The filter every list, review and export uses (US3.1.1, US5.2.1). AND across dimensions,
 * OR within one dimension. Plain data so it can sit in a URL, a CLI flag set and an export manifest.
 */
import { z } from "zod";
import { CONVERSATION_STATUSES, TIERS } from "./constants";

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
  sourceCategory: z.array(z.string().min(1)).optional(),
  /** Keys of the documents the conversations were planned from (issue 9, traceability). */
  document: z.array(z.string().min(1)).optional(),
  /** Inclusive quality score bounds, 1–10. */
  minQuality: z.number().min(1).max(10).optional(),
  maxQuality: z.number().min(1).max(10).optional(),
  isSeed: z.boolean().optional(),
  /** Custom metadata keys that must hold these values (JSONB containment, FR1.1.2). */
  metadata: z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

export type ConversationFilter = z.infer<typeof conversationFilterSchema>;

/** Drops empty lists and undefined bounds, so two equivalent filters serialise the same way. */
export function normalizeFilter(filter: ConversationFilter): ConversationFilter {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (key === "metadata" && Object.keys(value as object).length === 0) continue;
    out[key] = value;
  }
  return out as ConversationFilter;
}
