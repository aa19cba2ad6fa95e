"use server";
/**
 * Coverage page actions (issue 13 items 2 and 3): "Generate Recommended" and "Generate Suggested
 * Edge Cases" plan conversations (permission "plan"; the page then opens the usual Generate dialog
 * for exactly the planned ids), and dismiss / mark done / restore suggestions (permission "plan":
 * they steer what is planned next). Each parses its input and calls src/server/coverage-suggestions.ts.
 */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { ActionResult } from "@/lib/dashboard-contract";
import { runAction } from "@/server/actions/action-result";
import { planEdgeCaseSuggestions, planRecommendations, setSuggestionState } from "@/server/coverage-suggestions";
import { openWorkspace } from "@/server/workspace-context";

const keys = z.array(z.string().trim().min(1).max(600)).min(1, "Pick at least one suggestion.").max(500, "Pick at most 500 suggestions at a time.");
const planInput = z.strictObject({ keys });
const stateInput = z.strictObject({
  kind: z.enum(["recommendation", "edge_case"], { error: "Choose recommendations or edge-case suggestions." }),
  keys,
  state: z.enum(["dismissed", "done"]).nullable(),
});

/** Plans the recommended conversations for the given recommendation keys ("persona|arc|topic"). */
export async function planRecommendationsAction(workspace: string, input: z.input<typeof planInput>): Promise<ActionResult<{ conversationIds: string[]; combinations: number }>> {
  return runAction("planRecommendationsAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "plan");
    const parsed = planInput.parse(input);
    const planned = await planRecommendations({ db, workspaceId: ws.id, keys: parsed.keys });
    revalidatePath("/", "layout");
    return planned;
  });
}

/** Plans one edge-case conversation per suggestion key ("persona|arc|edge_case"). */
export async function planEdgeCaseSuggestionsAction(workspace: string, input: z.input<typeof planInput>): Promise<ActionResult<{ conversationIds: string[] }>> {
  return runAction("planEdgeCaseSuggestionsAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "plan");
    const parsed = planInput.parse(input);
    const planned = await planEdgeCaseSuggestions({ db, workspaceId: ws.id, keys: parsed.keys });
    revalidatePath("/", "layout");
    return planned;
  });
}

/** Dismisses, marks done (edge cases) or restores (`state: null`) suggestions. */
export async function setSuggestionStateAction(workspace: string, input: z.input<typeof stateInput>): Promise<ActionResult<{ changed: number }>> {
  return runAction("setSuggestionStateAction", async () => {
    const { db, user, workspace: ws } = await openWorkspace(workspace, "plan");
    const parsed = stateInput.parse(input);
    const changed = await setSuggestionState({ db, workspaceId: ws.id, userId: user.id, kind: parsed.kind, keys: parsed.keys, state: parsed.state });
    revalidatePath("/", "layout");
    return { changed };
  });
}
