/**
 * The prompt template lifecycle rules (issue 11; US7.1.1, US7.2.2), in one home: what a save does
 * (new version or not, current or draft), when activation is refused, when deletion is refused, how
 * a key is made from a name. Pure functions, no database: src/server/templates.ts applies them for
 * the web actions and the CLI alike. docs/templates.md ("Versions and status") states them for people.
 */
import type { TemplateStatus, Tier } from "../../lib/constants";
import { TIER_LABELS } from "../../lib/constants";
import type { TemplateDraft } from "../../lib/template-draft";

/** The parts of a template version that decide what is sent to the model. */
export interface TemplateVersionContent {
  systemPrompt: string;
  templateText: string;
  maxTokens: number;
  temperature: number;
}

/** How the person saves: "save" (the normal button), "draft" (Save as draft), "activate" (Save and activate, new templates only). */
export type TemplateSaveMode = "save" | "draft" | "activate";

/** Whether two versions differ in anything sent to the model (system prompt, text, max_tokens, temperature). */
export function templateContentChanged(a: TemplateVersionContent, b: TemplateVersionContent): boolean {
  return a.systemPrompt !== b.systemPrompt || a.templateText !== b.templateText || a.maxTokens !== b.maxTokens || a.temperature !== b.temperature;
}

/** Whether the template row's own fields differ (name, description, tier, applicability): saved without a new version. */
export function templateMetadataChanged(
  a: Pick<TemplateDraft, "name" | "description" | "tier" | "applicablePersonas" | "applicableArcs">,
  b: Pick<TemplateDraft, "name" | "description" | "tier" | "applicablePersonas" | "applicableArcs">,
): boolean {
  const sameList = (x: string[], y: string[]) => x.length === y.length && [...x].sort().every((v, i) => v === [...y].sort()[i]);
  return a.name.trim() !== b.name.trim() || a.description !== b.description || a.tier !== b.tier || !sameList(a.applicablePersonas, b.applicablePersonas) || !sameList(a.applicableArcs, b.applicableArcs);
}

/** Keys a template may not have: they are pages under /templates/ (the editor of a new template, analytics). */
export const RESERVED_TEMPLATE_KEYS = ["new", "analytics"] as const;

/**
 * A template key from its name: lower-case words joined by "-" (at most 60 characters), made unique
 * among `existingKeys` with "-2", "-3"…; "template" when the name has no letters or digits.
 * Keys are fixed once created (conversations, the CLI and URLs name templates by key). Never one of
 * RESERVED_TEMPLATE_KEYS ("new" becomes "new-2").
 */
export function templateKeyFromName(name: string, existingKeys: Iterable<string>): string {
  const base =
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60)
      .replace(/-+$/g, "") || "template";
  const taken = new Set([...existingKeys, ...RESERVED_TEMPLATE_KEYS]);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** What creating a template does: its status (draft unless "Save and activate"). */
export function createOutcome({ mode, requireTest }: { mode: TemplateSaveMode; requireTest: boolean }): { status: TemplateStatus } | { refusal: string } {
  if (mode !== "activate") return { status: "draft" };
  if (requireTest) return { refusal: "This workspace requires a successful test before activation: save it as a draft, test it, then activate it." };
  return { status: "active" };
}

/**
 * What saving changed content of an existing template does with the new version N+1:
 * - "draft" mode: never current (a draft version, not in use);
 * - a template that is not active (draft or inactive): the new version becomes current (nothing
 *   generates with it until it is activated, so there is nothing to protect);
 * - an active template: current at once, unless the workspace requires a successful test before
 *   activation, then a draft version until activated.
 */
export function saveOutcome({ mode, status, requireTest }: { mode: Exclude<TemplateSaveMode, "activate">; status: TemplateStatus; requireTest: boolean }): { makeCurrent: boolean } {
  if (mode === "draft") return { makeCurrent: false };
  if (status !== "active") return { makeCurrent: true };
  return { makeCurrent: !requireTest };
}

/** The stored last test of a version (template_versions.last_test), as far as activation reads it. */
export interface VersionTestState {
  version: number;
  lastTest: { ok?: unknown } | null;
}

/**
 * Why version `version` may not be activated, or null when it may: with the workspace option
 * "require a successful test before activation" on, its last test must have `ok: true`.
 */
export function activationRefusal({ requireTest, version }: { requireTest: boolean; version: VersionTestState }): string | null {
  if (!requireTest || version.lastTest?.ok === true) return null;
  const tested = version.lastTest ? "its last test failed" : "it has not been tested";
  return `Test v${version.version} first: this workspace requires a successful test before activation, and ${tested}.`;
}

/**
 * Why a template may not be deleted, or null when it may: refused while it is the only active
 * template of its tier and that tier still has planned conversations (not generated, or failed)
 * in the workspace, because they would have no template to generate with.
 */
export function deletionRefusal({
  name,
  tier,
  status,
  otherActiveOfTier,
  plannedOfTier,
}: {
  name: string;
  tier: Tier;
  status: TemplateStatus;
  /** Active templates of the same tier other than this one. */
  otherActiveOfTier: number;
  /** Conversations of the tier with status not_generated or failed. */
  plannedOfTier: number;
}): string | null {
  if (status !== "active" || otherActiveOfTier > 0 || plannedOfTier === 0) return null;
  const n = plannedOfTier === 1 ? "1 planned conversation" : `${plannedOfTier} planned conversations`;
  return `"${name}" is the only active ${TIER_LABELS[tier]} template and ${n} of that tier still need it. Activate another ${TIER_LABELS[tier]} template first, or delete those conversations.`;
}

/**
 * The version column's text: "v3", or "v3 · v4 draft" when a newer version exists that is not in
 * use yet (`latest` > `current`).
 */
export function versionLabel({ current, latest }: { current: number; latest: number }): string {
  return latest > current ? `v${current} · v${latest} draft` : `v${current}`;
}

/**
 * Approval rate of reviewed conversations: approved / (approved + rejected), 0–1; null when none
 * was reviewed (shown as "—", never as 0 %).
 */
export function approvalRate({ approved, rejected }: { approved: number; rejected: number }): number | null {
  return approved + rejected === 0 ? null : approved / (approved + rejected);
}
