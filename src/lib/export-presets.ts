/**
 * The export dialog's built-in presets (US5.2.1 "Quick export presets: Export Template Tier,
 * Export High Quality Only, Export By Persona"). Each one is a selection filter; the status rule
 * (exportSelectionQuery: no status named means approved) applies to them like to any filter.
 * Saved custom presets live in the database (export_presets). Client-safe data.
 */
import { HIGH_QUALITY_THRESHOLD } from "./constants";
import type { ConversationFilter } from "./conversation-filter";

export type BuiltInExportPresetId = "template-tier" | "high-quality" | "by-persona";

export interface BuiltInExportPreset {
  id: BuiltInExportPresetId;
  label: string;
  /** What it selects, in words, for the dialog. */
  description: string;
  /** The filter; `persona` is the persona key chosen for "By persona…" (ignored by the others). */
  filter: (persona?: string) => ConversationFilter;
}

export const BUILT_IN_EXPORT_PRESETS: readonly BuiltInExportPreset[] = [
  { id: "template-tier", label: "Template tier", description: "approved conversations of the Template tier", filter: () => ({ tier: ["template"] }) },
  {
    id: "high-quality",
    label: "High quality only",
    // The quality module's own "high" band (src/core/quality/score-conversation.ts qualityBand).
    description: `approved conversations scoring ${HIGH_QUALITY_THRESHOLD} or more`,
    filter: () => ({ minQuality: HIGH_QUALITY_THRESHOLD }),
  },
  { id: "by-persona", label: "By persona…", description: "approved conversations of one persona", filter: (persona) => (persona ? { persona: [persona] } : {}) },
];
