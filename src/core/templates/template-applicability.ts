/**
 * Which prompt template a conversation uses (issue 11 items 2 and 7): one home for the rules that
 * planning (create-plan.ts), generation (resolveConversationPrompt) and the cost estimate
 * (estimate-selection.ts) share, so a planned conversation is generated with the template the
 * estimate priced and the preview names.
 *
 * - A template applies to a persona and an emotional arc when its `applicablePersonas` and
 *   `applicableArcs` lists name them; an empty list means "every one".
 * - Planning picks, per slot: the tier's default template if it is active and applies, else the
 *   first active template of the tier that applies (by key), else the tier's active default; never
 *   a draft or inactive template.
 * - Generation uses the conversation's own template unless it is `inactive` (then the tier's active
 *   default); a draft is used when it was planned explicitly (the variations of a seed template).
 */
import type { Tier } from "../../lib/constants";
import type { TemplateStatus } from "../../lib/constants";

/** The fields applicability reads. */
export interface TemplateApplicability {
  /** Persona keys; empty = every persona. */
  applicablePersonas: readonly string[];
  /** Emotional arc keys; empty = every arc. */
  applicableArcs: readonly string[];
}

/** The fields the choice rules read (a prompt_templates row has them all). */
export interface TemplateChoiceCandidate extends TemplateApplicability {
  id: string;
  key: string;
  tier: Tier;
  status: TemplateStatus;
  isDefault: boolean;
}

/**
 * True when template `t` is written for persona `persona` and emotional arc `arc`: each of its
 * lists is empty (= all) or names the key.
 */
export function templateAppliesTo(t: TemplateApplicability, { persona, arc }: { persona: string; arc: string }): boolean {
  return (t.applicablePersonas.length === 0 || t.applicablePersonas.includes(persona)) && (t.applicableArcs.length === 0 || t.applicableArcs.includes(arc));
}

/**
 * The template planning gives a new slot of `tier` with `persona` and emotional arc `arc`: the
 * tier's default if it is active and applies; else the first active template of the tier (by key)
 * that applies; else the tier's active default even though it does not apply; null when the tier
 * has no active default and no applicable active template. Drafts and inactive templates are never picked.
 */
export function chooseTemplateForSlot<T extends TemplateChoiceCandidate>(templates: readonly T[], slot: { tier: Tier; persona: string; arc: string }): T | null {
  const active = templates.filter((t) => t.tier === slot.tier && t.status === "active").sort((a, b) => a.key.localeCompare(b.key));
  const fallback = active.find((t) => t.isDefault) ?? null;
  if (fallback && templateAppliesTo(fallback, slot)) return fallback;
  return active.find((t) => templateAppliesTo(t, slot)) ?? fallback;
}

/**
 * The template a conversation is generated with: its own (`templateId`) when that exists and is
 * not inactive (drafts included: a draft is only ever set by an explicit plan, such as a seed's
 * variations); otherwise its tier's active default template; null when there is none.
 * @param templates the workspace's templates (at least the conversation's own and the tier defaults)
 */
export function pickConversationTemplate<T extends Omit<TemplateChoiceCandidate, "applicablePersonas" | "applicableArcs" | "key">>(
  templates: readonly T[],
  conversation: { templateId: string | null; tier: Tier },
): T | null {
  const own = conversation.templateId ? templates.find((t) => t.id === conversation.templateId) : undefined;
  if (own && own.status !== "inactive") return own;
  return templates.find((t) => t.tier === conversation.tier && t.isDefault && t.status === "active") ?? null;
}
