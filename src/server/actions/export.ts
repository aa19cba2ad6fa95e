"use server";
/**
 * The dashboard's "Export approved" server action (US5.1.1): parses the input, checks the user
 * ("export"), then calls src/server/operations/export.ts.
 */
import type { z } from "zod";
import { exportInputSchema, type ActionResult, type ExportOutcome } from "@/lib/dashboard-contract";
import { requireUser } from "@/server/auth";
import { getDatabase } from "@/server/db/instance";
import { runAction } from "@/server/actions/action-result";
import { exportApproved } from "@/server/operations/export";

/**
 * Exports the approved conversations (seeds included, as `brightrun export`) in the chosen format
 * and returns where to download the data file; "export_empty" when nothing is approved yet.
 * Input: exportInputSchema.
 */
export async function exportApprovedAction(input: z.input<typeof exportInputSchema> = {}): Promise<ActionResult<ExportOutcome>> {
  return runAction("exportApprovedAction", async () => {
    const parsed = exportInputSchema.parse(input ?? {});
    const user = await requireUser("export");
    const { db } = await getDatabase();
    return exportApproved({ db, input: parsed, userId: user.id });
  });
}
