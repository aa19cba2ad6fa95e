"use server";
/**
 * The planning page's server actions (issue 10 items 2 and 5). Each takes the workspace's slug
 * first, parses its input with the contract's schema (src/lib/planning-contract.ts), opens the
 * workspace through the one guard ("plan"), then calls src/server/operations/planning.ts.
 * Expected failures come back as `{ ok: false, error }` with a plain-English message.
 */
import type { ActionResult } from "@/lib/dashboard-contract";
import {
  arcConfigurationInputSchema,
  arcPresetInputSchema,
  planSettingsInputSchema,
  planWithSplitInputSchema,
  removeUngeneratedInputSchema,
  type ArcConfigurationInput,
  type ArcPresetInput,
  type FillOutcome,
  type PlanSettingsInput,
  type PlanWithSplitInput,
  type PlanWithSplitOutcome,
  type RemoveOutcome,
  type RemoveUngeneratedInput,
} from "@/lib/planning-contract";
import { runAction } from "@/server/actions/action-result";
import { fillMissing, planWithSplit, removeUngenerated, saveArcConfiguration, saveArcPreset, savePlanSettings } from "@/server/operations/planning";
import { openWorkspace } from "@/server/workspace-context";

/**
 * Plans `total` conversations split over the tiers as given (they must add up to the total); slots
 * already planned count and are kept. Saves the split as the workspace's. Input: planWithSplitInputSchema.
 */
export async function planWithSplitAction(workspace: string, input: PlanWithSplitInput): Promise<ActionResult<PlanWithSplitOutcome>> {
  return runAction("planWithSplitAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "plan");
    const parsed = planWithSplitInputSchema.parse(input);
    return planWithSplit({ db, workspaceId: ws.id, input: parsed });
  });
}

/** Saves the arc configuration (enabled arcs, percentages summing to 100, or an even split). Input: arcConfigurationInputSchema. */
export async function saveArcConfigurationAction(workspace: string, input: ArcConfigurationInput): Promise<ActionResult<null>> {
  return runAction("saveArcConfigurationAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "plan");
    const parsed = arcConfigurationInputSchema.parse(input);
    await saveArcConfiguration({ db, workspaceId: ws.id, input: parsed });
    return null;
  });
}

/** Saves the arcs as a named preset (same name = replaced). Input: arcPresetInputSchema. */
export async function saveArcPresetAction(workspace: string, input: ArcPresetInput): Promise<ActionResult<{ id: string; name: string }>> {
  return runAction("saveArcPresetAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "plan");
    const parsed = arcPresetInputSchema.parse(input);
    return saveArcPreset({ db, workspaceId: ws.id, input: parsed });
  });
}

/** Saves the category weights and "Generate from Complete Systems only". Input: planSettingsInputSchema. */
export async function savePlanSettingsAction(workspace: string, input: PlanSettingsInput): Promise<ActionResult<null>> {
  return runAction("savePlanSettingsAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "plan");
    const settings = planSettingsInputSchema.parse(input);
    await savePlanSettings({ db, workspaceId: ws.id, settings });
    return null;
  });
}

/** Adds template-tier slots for persona × arc × topic combinations not covered yet (capped per fill). */
export async function fillMissingCombinationsAction(workspace: string): Promise<ActionResult<FillOutcome>> {
  return runAction("fillMissingCombinationsAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "plan");
    return fillMissing({ db, workspaceId: ws.id });
  });
}

/** Removes slots never generated (of one tier or all); generated, reviewed, generating and seed conversations stay. Input: removeUngeneratedInputSchema. */
export async function removeUngeneratedSlotsAction(workspace: string, input: RemoveUngeneratedInput): Promise<ActionResult<RemoveOutcome>> {
  return runAction("removeUngeneratedSlotsAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "plan");
    const { tier } = removeUngeneratedInputSchema.parse(input);
    return removeUngenerated({ db, workspaceId: ws.id, tier });
  });
}
