"use server";
/**
 * Workspace server actions (issue 9 items 1 and 2): create, rename, archive / restore, delete, and
 * the document category list. Each checks
 * the one guard ("import": a workspace is the business's material) and calls src/server/workspaces.ts.
 */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { ActionResult } from "@/lib/dashboard-contract";
import type { NewWorkspaceInput } from "@/lib/workspace-slug";
import type { TierRules } from "@/core/review/review-rules";
import type { RetentionSettings } from "@/core/retention/retention-policy";
import { runAction } from "@/server/actions/action-result";
import { requireUser } from "@/server/auth";
import { getDatabase } from "@/server/db/instance";
import { openWorkspace } from "@/server/workspace-context";
import {
  createWorkspace,
  deleteWorkspace,
  renameWorkspace,
  setDocumentCategories,
  setRetentionSettings,
  setTierRules,
  setWorkspaceArchived,
  type DocumentCategoryList,
  type WorkspaceDeletion,
} from "@/server/workspaces";

const slugInput = z.string().trim().min(1).max(100);

/** Creates an empty workspace; returns its slug (the page to open: /w/<slug>). */
export async function createWorkspaceAction(input: NewWorkspaceInput): Promise<ActionResult<{ slug: string }>> {
  return runAction("createWorkspaceAction", async () => {
    await requireUser("import");
    const { db } = await getDatabase();
    const row = await createWorkspace(db, input);
    revalidatePath("/", "layout");
    return { slug: row.slug };
  });
}

/** Renames a workspace (and optionally changes its short name); returns the slug to go to. */
export async function renameWorkspaceAction(workspace: string, input: { name: string; slug?: string }): Promise<ActionResult<{ slug: string }>> {
  return runAction("renameWorkspaceAction", async () => {
    const { db } = await openWorkspace(slugInput.parse(workspace), "import", { changesData: false });
    const row = await renameWorkspace(db, slugInput.parse(workspace), z.strictObject({ name: z.string(), slug: z.string().optional() }).parse(input));
    revalidatePath("/", "layout");
    return { slug: row.slug };
  });
}

/** Archives (true) or restores (false) a workspace. "workspace_busy" while one of its runs is unfinished. */
export async function setWorkspaceArchivedAction(workspace: string, archived: boolean): Promise<ActionResult<{ archived: boolean }>> {
  return runAction("setWorkspaceArchivedAction", async () => {
    const { db } = await openWorkspace(slugInput.parse(workspace), "import", { changesData: false });
    const row = await setWorkspaceArchived(db, slugInput.parse(workspace), z.boolean().parse(archived));
    revalidatePath("/", "layout");
    return { archived: row.archivedAt !== null };
  });
}

/** Deletes a workspace and everything in it; `confirmName` must be its exact name. */
export async function deleteWorkspaceAction(workspace: string, confirmName: string): Promise<ActionResult<WorkspaceDeletion>> {
  return runAction("deleteWorkspaceAction", async () => {
    const { db } = await openWorkspace(slugInput.parse(workspace), "manage_members", { changesData: false });
    const deleted = await deleteWorkspace(db, slugInput.parse(workspace), z.string().parse(confirmName));
    revalidatePath("/", "layout");
    return deleted;
  });
}

/**
 * Saves the workspace's document category list (null = back to the built-in list); returns the list
 * now in effect. Documents keep their categories. Fails with "document_categories_invalid" (the
 * first bad entry, in plain English) or "workspace_archived".
 */
export async function saveDocumentCategoriesAction(workspace: string, categories: string[] | null): Promise<ActionResult<DocumentCategoryList>> {
  return runAction("saveDocumentCategoriesAction", async () => {
    const { user, db } = await openWorkspace(slugInput.parse(workspace), "import", { changesData: false });
    const list = await setDocumentCategories(db, slugInput.parse(workspace), z.array(z.string()).nullable().parse(categories), user);
    revalidatePath("/", "layout");
    return list;
  });
}

/**
 * Saves the workspace's tier rules: the minimum approval score and the edge-case bar (quality
 * scores 1–10). Fails with "settings_invalid" (a bar out of range) or "workspace_archived".
 */
export async function saveTierRulesAction(workspace: string, rules: TierRules): Promise<ActionResult<TierRules>> {
  return runAction("saveTierRulesAction", async () => {
    const { user, db } = await openWorkspace(slugInput.parse(workspace), "import", { changesData: false });
    const parsed = z.strictObject({ minApprovalScore: z.number(), edgeCaseMinScore: z.number() }).parse(rules);
    const saved = await setTierRules(db, slugInput.parse(workspace), parsed, user);
    revalidatePath("/", "layout");
    return saved;
  });
}

/** Days: a number; whole, in range and the payload-window rule are checked by checkRetentionSettings (its messages name the field). */
const retentionDays = (label: string) => z.number({ error: `${label}: enter a number of days.` });

/**
 * Saves the workspace's retention settings (issue 13 item 6). Fails with "invalid_input" or
 * "settings_invalid" naming the field and what to enter, or "workspace_archived".
 */
export async function saveRetentionSettingsAction(workspace: string, settings: RetentionSettings): Promise<ActionResult<RetentionSettings>> {
  return runAction("saveRetentionSettingsAction", async () => {
    const { user, db } = await openWorkspace(slugInput.parse(workspace), "import", { changesData: false });
    const parsed = z
      .strictObject({
        generationLogRetentionDays: retentionDays("Keep generation logs for"),
        exportRetentionDays: retentionDays("Keep exports and export logs for"),
        payloadRetentionDays: retentionDays("Drop request and response payloads after").nullable(),
        redactPii: z.boolean(),
      })
      .parse(settings);
    const saved = await setRetentionSettings(db, slugInput.parse(workspace), parsed, user);
    revalidatePath("/", "layout");
    return saved;
  });
}
