import { defineCommand } from "citty";
import { TIER_LABELS, TIERS, type Tier } from "../../lib/constants";
import { AppError } from "../../core/errors";
import { createPlan, splitTotal } from "../../core/planning/create-plan";
import { commonArgs, say, withWorkspace } from "../context";

function count(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 100_000) throw new AppError("plan_invalid", `${flag} must be a whole number from 0 to 100000 (got "${value}").`);
  return n;
}

export default defineCommand({
  meta: {
    name: "plan",
    description: "Create conversation slots across the tiers (default 40 Template / 35 Scenario / 15 Edge case). Running it again adds only missing slots.",
  },
  args: {
    ...commonArgs,
    total: { type: "string", description: "Total conversations, split 40/35/15 across the tiers.", valueHint: "N" },
    template: { type: "string", description: "Template-tier conversations (overrides the split).", valueHint: "N" },
    scenario: { type: "string", description: "Scenario-tier conversations.", valueHint: "N" },
    "edge-case": { type: "string", description: "Edge-case-tier conversations.", valueHint: "N" },
  },
  async run({ args }) {
    const total = count(args.total, "--total");
    const explicit = { template: count(args.template, "--template"), scenario: count(args.scenario, "--scenario"), edge_case: count(args["edge-case"], "--edge-case") };
    let split: Record<Tier, number> | undefined = total !== undefined ? splitTotal(total) : undefined;
    if (Object.values(explicit).some((v) => v !== undefined)) {
      split = { ...(split ?? { template: 40, scenario: 35, edge_case: 15 }) };
      for (const tier of TIERS) if (explicit[tier] !== undefined) split[tier] = explicit[tier] as number;
    }
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "plan" }, async ({ handle, workspace }) => {
      const result = await createPlan({ db: handle.db, workspaceId: workspace.id, split });
      const planned = TIERS.map((t) => `${TIER_LABELS[t]} ${result.split[t]}`).join(" / ");
      say(`Plan: ${planned} = ${TIERS.reduce((s, t) => s + result.split[t], 0)} conversations.`);
      say(`${result.created} new slots created, ${result.existing} already planned.`);
    });
  },
});
