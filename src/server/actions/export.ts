"use server";
/**
 * The dashboard's export server actions (US5.1.1, US5.2.1; issue 12 item 5): each parses its
 * input, checks the user ("export"), then calls src/server/operations/export.ts. None throws for
 * an expected failure: they return an ActionResult with a plain-English message.
 */
import type { z } from "zod";
import { exportInputSchema, type ActionResult, type ExportOutcome } from "@/lib/dashboard-contract";
import type {
  deleteExportPresetInputSchema,
  ExportPresetView,
  ExportPreviewView,
  ExportRequestInput,
  ExportRequestOutcome,
  saveExportPresetInputSchema,
} from "@/lib/export-request";
import { openWorkspace } from "@/server/workspace-context";
import { runAction } from "@/server/actions/action-result";
import { deleteExportPreset, exportApproved, exportRequested, listExportPresetViews, previewExportRequest, saveExportPreset } from "@/server/operations/export";

/**
 * Exports the approved conversations (seeds included, as `brightrun export`) in the chosen format
 * and returns where to download the data file; "export_empty" when nothing is approved yet.
 * Input: exportInputSchema.
 */
export async function exportApprovedAction(workspace: string, input: z.input<typeof exportInputSchema> = {}): Promise<ActionResult<ExportOutcome>> {
  return runAction("exportApprovedAction", async () => {
    const { user, db, workspace: ws } = await openWorkspace(workspace, "export");
    const parsed = exportInputSchema.parse(input ?? {});
    return exportApproved({ db, workspace: ws, input: parsed, userId: user.id });
  });
}

/**
 * The export dialog's preview of a request (exportRequestSchema): counts, checks, file names and
 * the first records exactly as written. Writes nothing. "invalid_input" for a bad request.
 */
export async function previewExportAction(workspace: string, input: ExportRequestInput): Promise<ActionResult<ExportPreviewView>> {
  return runAction("previewExportAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "export", { changesData: false });
    return previewExportRequest({ db, workspaceId: ws.id, input });
  });
}

/**
 * The export dialog's Export: writes the request's files and one ZIP of them, logs the export, and
 * returns the ZIP's download URL and the real counts. "export_empty" when nothing is left to export.
 */
export async function exportAction(workspace: string, input: ExportRequestInput): Promise<ActionResult<ExportRequestOutcome>> {
  return runAction("exportAction", async () => {
    const { user, db, workspace: ws } = await openWorkspace(workspace, "export");
    return exportRequested({ db, workspace: ws, input, userId: user.id });
  });
}

/** The saved export presets, by name. */
export async function listExportPresetsAction(workspace: string): Promise<ActionResult<ExportPresetView[]>> {
  return runAction("listExportPresetsAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "export", { changesData: false });
    return listExportPresetViews({ db, workspaceId: ws.id });
  });
}

/** Saves the dialog's settings as a named preset (replacing one of the same name). */
export async function saveExportPresetAction(workspace: string, input: z.input<typeof saveExportPresetInputSchema>): Promise<ActionResult<ExportPresetView>> {
  return runAction("saveExportPresetAction", async () => {
    const { user, db, workspace: ws } = await openWorkspace(workspace, "export");
    return saveExportPreset({ db, workspaceId: ws.id, input, userId: user.id });
  });
}

/** Deletes a saved preset; "export_preset_not_found" when it is already gone. */
export async function deleteExportPresetAction(workspace: string, input: z.input<typeof deleteExportPresetInputSchema>): Promise<ActionResult<{ deleted: true }>> {
  return runAction("deleteExportPresetAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "export");
    await deleteExportPreset({ db, workspaceId: ws.id, input });
    return { deleted: true as const };
  });
}
