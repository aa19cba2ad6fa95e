"use server";
/**
 * The audit page's one action (issue 13 item 5): Re-run an export from the export history. It
 * parses its input, checks the user ("export"), then calls rerunExport (src/server/audit.ts),
 * which goes through the export dialog's own path. Expected failures come back as an ActionResult.
 */
import { z } from "zod";
import type { ActionResult } from "@/lib/dashboard-contract";
import type { ExportRequestOutcome } from "@/lib/export-request";
import { runAction } from "@/server/actions/action-result";
import { rerunExport } from "@/server/audit";
import { openWorkspace } from "@/server/workspace-context";

const rerunInputSchema = z.strictObject({ exportId: z.string().trim().min(1, "Choose an export to re-run.").max(200) });

/** Re-runs export `exportId` with its recorded filters, format and checks; returns the new export's download. */
export async function rerunExportAction(workspace: string, input: z.input<typeof rerunInputSchema>): Promise<ActionResult<ExportRequestOutcome>> {
  return runAction("rerunExportAction", async () => {
    const { user, db, workspace: ws } = await openWorkspace(workspace, "export");
    const { exportId } = rerunInputSchema.parse(input);
    return rerunExport({ db, workspace: ws, exportId, userId: user.id });
  });
}
