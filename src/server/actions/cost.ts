"use server";
/**
 * Cost server actions (issue 13 item 4, US13.2.2): set or clear the workspace's monthly budget. Checks
 * the one permission guard ("generate": spending is part of generating).
 */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { ActionResult } from "@/lib/dashboard-contract";
import { workspacePaths } from "@/lib/workspace-paths";
import { runAction } from "@/server/actions/action-result";
import { setMonthlyBudget } from "@/server/cost";
import { openWorkspace } from "@/server/workspace-context";

const monthlyBudgetSchema = z.strictObject({
  budgetUsd: z
    .number({ error: "Enter the monthly budget in US dollars, e.g. 200, or clear it." })
    .positive("The monthly budget must be more than $0; clear it to have none.")
    .max(10_000_000, "The monthly budget can be at most $10,000,000.")
    .nullable(),
});

/**
 * Sets the workspace's monthly budget (USD, rounded to micro-dollars like every recorded cost) or clears it (null). Input:
 * `{ budgetUsd: number | null }`. Errors: `invalid_input` with what to enter.
 */
export async function setMonthlyBudgetAction(workspace: string, input: { budgetUsd: number | null }): Promise<ActionResult<{ budgetUsd: number | null }>> {
  return runAction("setMonthlyBudgetAction", async () => {
    const { user, db, workspace: ws } = await openWorkspace(workspace, "generate");
    const { budgetUsd } = monthlyBudgetSchema.parse(input);
    const rounded = await setMonthlyBudget(db, { workspaceId: ws.id, budgetUsd, user });
    revalidatePath(workspacePaths(ws.slug).cost());
    return { budgetUsd: rounded };
  });
}
