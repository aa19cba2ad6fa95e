"use server";
/**
 * Conversation server actions: delete (US11.4.2), the preview's position in the table
 * (US6.1.1), and the empty state's "Plan the dataset" (US8.1.1). Each parses its input with the
 * contract's schema, checks the user, then calls src/server/operations/conversations.ts.
 */
import type { z } from "zod";
import {
  deleteInputSchema,
  planInputSchema,
  previewPositionInputSchema,
  type ActionResult,
  type DeleteOutcome,
  type PlanInput,
  type PlanOutcome,
  type PreviewPosition,
  type PreviewPositionInput,
} from "@/lib/dashboard-contract";
import { openWorkspace } from "@/server/workspace-context";
import { runAction } from "@/server/actions/action-result";
import { deleteTarget, getPreviewPosition, planDataset } from "@/server/operations/conversations";

/**
 * Permanently deletes the target's conversations with their turns, in one transaction; seeds and
 * conversations being generated are skipped with the reason. Permission "plan" (deleting
 * changes the dataset's plan). Input: deleteInputSchema (confirmed must be true).
 */
export async function deleteConversationsAction(workspace: string, input: z.input<typeof deleteInputSchema>): Promise<ActionResult<DeleteOutcome>> {
  return runAction("deleteConversationsAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "plan");
    const parsed = deleteInputSchema.parse(input);
    return deleteTarget({ db, workspaceId: ws.id, input: parsed });
  });
}

/** The conversation at a 1-based position of the table's filtered, searched, sorted set (null past the end). Input: previewPositionInputSchema. */
export async function getPreviewPositionAction(workspace: string, input: PreviewPositionInput): Promise<ActionResult<PreviewPosition>> {
  return runAction("getPreviewPositionAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "read");
    const parsed = previewPositionInputSchema.parse(input);
    return getPreviewPosition({ db, workspaceId: ws.id, input: parsed });
  });
}

/** Plans the dataset like `brightrun plan` (`total` split 40/35/15; none = the workspace's split). Input: planInputSchema. */
export async function planDatasetAction(workspace: string, input: PlanInput = {}): Promise<ActionResult<PlanOutcome>> {
  return runAction("planDatasetAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "plan");
    const { total } = planInputSchema.parse(input ?? {});
    return planDataset({ db, workspaceId: ws.id, total });
  });
}
