/**
 * The delete rule's words: an entry that conversations or scenarios use is not deleted but archived.
 * Free of server code, so the page says it before asking the server (which checks again).
 */
import { TAXONOMY_KIND_INFO, type TaxonomyKind } from "../../lib/taxonomy-kinds";

/** How many conversations (any status, seeds included) and scenarios name one entry. */
export interface TaxonomyUsage {
  conversations: number;
  scenarios: number;
}

/** Whether an entry with this usage may be deleted (nothing uses it). */
export function canDeleteTaxonomyEntry(usage: TaxonomyUsage): boolean {
  return usage.conversations === 0 && usage.scenarios === 0;
}

/** "12 conversations use this persona; archive it instead." / "1 conversation and 2 scenarios use this topic; …" */
export function usageRefusal(kind: TaxonomyKind, usage: TaxonomyUsage): string {
  const parts = [
    usage.conversations ? `${usage.conversations} ${usage.conversations === 1 ? "conversation" : "conversations"}` : null,
    usage.scenarios ? `${usage.scenarios} ${usage.scenarios === 1 ? "scenario" : "scenarios"}` : null,
  ].filter(Boolean);
  const single = parts.length === 1 && usage.conversations + usage.scenarios === 1;
  return `${parts.join(" and ")} ${single ? "uses" : "use"} this ${TAXONOMY_KIND_INFO[kind].singular}; archive it instead.`;
}
