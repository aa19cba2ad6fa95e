/**
 * The scenario library's rules (US8.2.1, US8.2.2), one home for the web, the CLI and tests:
 * which conversation may be re-pointed at another scenario, when a scenario may be deleted, what a
 * scenario's fields must hold, and how a new scenario's key is made. Pure: no database.
 */
import { z } from "zod";
import type { ConversationStatus } from "../../lib/constants";

/**
 * Statuses of a conversation that may be re-pointed at another scenario ("Scenario editing before
 * generation", US8.2.1): planned and not yet written, or whose generation failed. Generating,
 * generated, approved and rejected conversations keep the scenario they were written from.
 */
export const REPOINTABLE_STATUSES = ["not_generated", "failed"] as const satisfies readonly ConversationStatus[];

/**
 * Why a conversation may not be re-pointed, in plain English, or null when it may.
 * @param conversation its human id, status and seed flag
 */
export function repointRefusal(conversation: { conversationId: string; status: ConversationStatus; isSeed: boolean }): string | null {
  if (conversation.isSeed) return `${conversation.conversationId} is a seed conversation: seeds are locked and keep their scenario.`;
  if ((REPOINTABLE_STATUSES as readonly string[]).includes(conversation.status)) return null;
  const what: Record<string, string> = {
    generating: "is being generated right now",
    generated: "has been generated already",
    approved: "has been generated and approved",
    rejected: "has been generated and rejected",
  };
  return `${conversation.conversationId} ${what[conversation.status] ?? `is ${conversation.status}`}, so it keeps the scenario it was written from. Only planned conversations (not generated, or failed) can be pointed at another scenario; to use another scenario, plan a new conversation.`;
}

/**
 * Why a scenario may not be deleted, or null when it may: a scenario that conversations use is kept
 * (they were planned or written from it); archive it instead so it is not planned again.
 */
export function scenarioDeletionRefusal(scenario: { title: string }, usageCount: number): string | null {
  if (usageCount === 0) return null;
  return `“${scenario.title}” can't be deleted: ${usageCount === 1 ? "1 conversation uses" : `${usageCount} conversations use`} it. Archive it instead — it is then no longer planned, and the conversations keep it.`;
}

const text = (label: string, max: number) => z.string().trim().min(1, `${label} must not be empty.`).max(max, `${label} can be at most ${max} characters.`);

/** The fields a person writes for a scenario (the library's form, a draft being accepted). */
export const scenarioFieldsSchema = z.strictObject({
  title: text("The title", 200),
  description: z.string().trim().max(2000, "The description can be at most 2000 characters.").default(""),
  category: text("The category", 100),
  tags: z
    .array(z.string().trim().min(1).max(50, "A tag can be at most 50 characters."))
    .max(20, "A scenario can have at most 20 tags.")
    .default([])
    .transform((tags) => [...new Set(tags)]),
  problem: text("The problem", 4000),
  solution: text("The solution", 4000),
  outcome: text("The outcome", 4000),
  /** The source chunk's id (a uuid), or null for a scenario written by hand. */
  chunkId: z.uuid("Choose a source chunk from the list.").nullable().default(null),
});
export type ScenarioFieldsInput = z.input<typeof scenarioFieldsSchema>;
export type ScenarioFieldsValues = z.output<typeof scenarioFieldsSchema>;

/**
 * A new scenario's key from its title: lower-case letters, digits and dashes, at most 60
 * characters, made unique against `existing` with "-2", "-3", ….
 */
export function scenarioKeyFromTitle(title: string, existing: Iterable<string>): string {
  const taken = new Set(existing);
  const base =
    title
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60)
      .replace(/-+$/, "") || "scenario";
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
