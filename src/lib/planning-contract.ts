/**
 * The planning page's contract between the browser and the server (issue 10 items 2 and 5): the
 * server actions' input schemas and the view the page renders. Safe for client code.
 */
import { z } from "zod";
import type { ConversationStatus, Tier } from "./constants";
import type { RunProgress } from "./run-states";
import { planSettingsSchema, type PlanSettings } from "../core/planning/plan-settings";

const count = (label: string) =>
  z
    .number({ error: `${label}: enter a number of conversations.` })
    .int(`${label}: enter a whole number of conversations.`)
    .min(0, `${label} cannot be negative.`)
    .max(100_000, `${label} can be at most 100,000.`);

/** Plan with a total and its split over the tiers (they must add up: checked by the operation, tierSplitProblems). */
export const planWithSplitInputSchema = z.strictObject({
  total: count("Total"),
  split: z.strictObject({ template: count("Template tier"), scenario: count("Scenario tier"), edge_case: count("Edge-case tier") }),
});
export type PlanWithSplitInput = z.input<typeof planWithSplitInputSchema>;

/** The arc configuration as the card saves it: each arc's flag and percentage; `even` = no percentages (even split). */
export const arcConfigurationInputSchema = z.strictObject({
  arcs: z
    .array(z.strictObject({ key: z.string().min(1).max(200), enabled: z.boolean(), percent: z.number().min(0).max(100) }))
    .min(1, "There is no emotional arc to configure: add arcs on the Taxonomy page first.")
    .max(500),
  even: z.boolean(),
});
export type ArcConfigurationInput = z.input<typeof arcConfigurationInputSchema>;

/** "Save as preset": a name and the arcs as in the card. */
export const arcPresetInputSchema = z.strictObject({
  name: z.string().trim().min(1, "Give the preset a name.").max(80, "A preset name can be at most 80 characters."),
  arcs: arcConfigurationInputSchema.shape.arcs,
});
export type ArcPresetInput = z.input<typeof arcPresetInputSchema>;

export const planSettingsInputSchema = planSettingsSchema;
export type PlanSettingsInput = z.input<typeof planSettingsInputSchema>;

/** "Remove slots not generated yet": of one tier or all, confirmed in the dialog. */
export const removeUngeneratedInputSchema = z.strictObject({
  tier: z.enum(["template", "scenario", "edge_case"]).optional(),
  confirmed: z.literal(true, "Confirm that the slots not generated yet may be removed."),
});
export type RemoveUngeneratedInput = z.input<typeof removeUngeneratedInputSchema>;

/** What a plan did. */
export interface PlanWithSplitOutcome {
  /** Slots per tier now. */
  perTier: Record<Tier, number>;
  created: number;
  /** Slots that were planned before. */
  existing: number;
}

/** What "Fill missing combinations" did. */
export interface FillOutcome {
  created: number;
  missing: number;
  capped: boolean;
}

/** What "Remove slots not generated yet" did. */
export interface RemoveOutcome {
  removed: number;
  skipped: Array<{ conversationId: string; reason: string }>;
}

/** One conversation of a tier section. */
export interface PlanSlotView {
  conversationId: string;
  persona: string;
  arc: string;
  topic: string;
  /** The scenario's title (scenario tier) or the edge-case category's name (edge-case tier); null otherwise. */
  detail: string | null;
  outcome: string | null;
  status: ConversationStatus;
  isSeed: boolean;
}

/** A count per taxonomy value, most first. */
export interface DistributionEntry {
  key: string;
  name: string;
  count: number;
}

/** A tier section of the planning page. */
export interface TierSectionView {
  tier: Tier;
  /** Conversations in the tier (seeds included). */
  total: number;
  /** Planned slots (seeds and imported conversations excluded). */
  planned: number;
  /** Seed conversations in the tier (counted in `total` and the distributions). */
  seeds: number;
  byStatus: Partial<Record<ConversationStatus, number>>;
  /** Not generated or failed, not seeds: what "Generate All Tier N" takes. */
  generatable: number;
  /** Slots never generated: what "Remove slots not generated yet" removes. */
  ungenerated: number;
  /** The first SLOT_DISPLAY_LIMIT conversations, in plan order. */
  slots: PlanSlotView[];
  distributions: { arcs: DistributionEntry[]; personas: DistributionEntry[]; topics: DistributionEntry[]; details: DistributionEntry[]; outcomes: DistributionEntry[] };
}

/** Most conversations a tier section lists (the counts and bars cover all). */
export const SLOT_DISPLAY_LIMIT = 200;

/** An arc in the arc configuration card. */
export interface ArcConfigView {
  key: string;
  name: string;
  enabled: boolean;
  /** Its saved percentage (even split when none is saved). */
  percent: number;
}

/** A document category the workspace's documents use. */
export interface CategoryView {
  name: string;
  documents: number;
  chunks: number;
  /** Conversations planned from its chunks. */
  conversations: number;
}

export interface PlanningPageView {
  /** The workspace's tier split (default 40/35/15 when it saved none). */
  split: Record<Tier, number>;
  tiers: TierSectionView[];
  arcs: ArcConfigView[];
  /** True when no percentages are saved (even split over the enabled arcs). */
  arcsEven: boolean;
  presets: Array<{ id: string; name: string; distribution: Record<string, number> }>;
  categories: CategoryView[];
  planSettings: PlanSettings;
  /** Whether some document is in the "Complete Systems" category. */
  hasCompleteSystems: boolean;
  /** Persona × arc × topic combinations no conversation covers yet. */
  missingCombinations: number;
  /** Most slots one fill adds. */
  maxFillSlots: number;
  /** Slots never generated, every tier. */
  ungeneratedTotal: number;
  /** Why planning cannot work yet (plan_impossible's message), or null. */
  planProblem: string | null;
  activeRuns: RunProgress[];
  /** Why no worker will take a run now, or null. */
  workerProblem: string | null;
}
