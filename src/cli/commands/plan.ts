import { defineCommand } from "citty";
import { DEFAULT_TIER_SPLIT, TIER_LABELS, TIERS, type Tier } from "../../lib/constants";
import { AppError } from "../../core/errors";
import { createPlan, fillMissingCombinations, removeUngeneratedSlots, splitTotal, tierSplitProblems } from "../../core/planning/create-plan";
import { commonArgs, say, withWorkspace } from "../context";

function count(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 100_000) throw new AppError("plan_invalid", `${flag} must be a whole number from 0 to 100000 (got "${value}").`);
  return n;
}

/**
 * Parses `--split T/S/E` ("20/15/5": template / scenario / edge-case conversations).
 * @throws AppError "plan_invalid" for anything but three whole numbers separated by "/"
 */
export function parseSplitArg(value: string): Record<Tier, number> {
  const parts = value.split("/").map((p) => p.trim());
  if (parts.length !== 3 || parts.some((p) => !/^\d+$/.test(p))) {
    throw new AppError("plan_invalid", `--split takes three whole numbers, template/scenario/edge-case, e.g. --split 20/15/5 (got "${value}").`);
  }
  const [template, scenario, edge_case] = parts.map(Number);
  return { template, scenario, edge_case };
}

/**
 * The tier split the flags ask for, or undefined for the workspace's own: --split, else --total
 * split 40/35/15, then --template / --scenario / --edge-case override single tiers.
 * @throws AppError "plan_invalid" when --split and --total disagree, or a split is not valid
 */
export function splitFromArgs(args: { total?: string; split?: string; template?: string; scenario?: string; "edge-case"?: string }): Record<Tier, number> | undefined {
  const total = count(args.total, "--total");
  const explicit = { template: count(args.template, "--template"), scenario: count(args.scenario, "--scenario"), edge_case: count(args["edge-case"], "--edge-case") };
  let split: Record<Tier, number> | undefined = args.split !== undefined ? parseSplitArg(args.split) : total !== undefined ? splitTotal(total) : undefined;
  if (Object.values(explicit).some((v) => v !== undefined)) {
    split = { ...(split ?? DEFAULT_TIER_SPLIT) };
    for (const tier of TIERS) if (explicit[tier] !== undefined) split[tier] = explicit[tier] as number;
  }
  if (split) {
    const problems = tierSplitProblems(split, args.split !== undefined ? total : undefined);
    if (problems.length) throw new AppError("plan_invalid", problems.join(" ").replace("change a tier or the total", "change --split or --total"));
  }
  return split;
}

export default defineCommand({
  meta: {
    name: "plan",
    description:
      "Create conversation slots across the tiers (default 40 Template / 35 Scenario / 15 Edge case). Slots already planned count and are never changed: running it again adds only missing slots.",
  },
  args: {
    ...commonArgs,
    total: { type: "string", description: "Total conversations, split 40/35/15 across the tiers (with --split: must equal its sum).", valueHint: "N" },
    split: { type: "string", description: "Conversations per tier, template/scenario/edge-case, e.g. 20/15/5; saved as the workspace's split.", valueHint: "T/S/E" },
    template: { type: "string", description: "Template-tier conversations (overrides the split).", valueHint: "N" },
    scenario: { type: "string", description: "Scenario-tier conversations.", valueHint: "N" },
    "edge-case": { type: "string", description: "Edge-case-tier conversations.", valueHint: "N" },
    "fill-missing": { type: "boolean", description: "Add a template slot for each persona × arc × topic combination no conversation covers yet (at most 100 at a time)." },
    "remove-unplanned": { type: "boolean", description: "First remove the slots never generated (generated, reviewed, failed and seed conversations stay); needs --yes." },
    yes: { type: "boolean", description: "Confirm --remove-unplanned." },
  },
  async run({ args }) {
    const split = splitFromArgs(args);
    const removing = Boolean(args["remove-unplanned"]);
    const filling = Boolean(args["fill-missing"]);
    if (removing && !args.yes) {
      throw new AppError("plan_invalid", "--remove-unplanned deletes every slot not generated yet: add --yes to confirm (generated, reviewed, failed and seed conversations are kept).");
    }
    // With only --fill-missing or --remove-unplanned, nothing else is planned.
    const planning = split !== undefined || (!removing && !filling);
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "plan" }, async ({ handle, workspace }) => {
      if (removing) {
        const removed = await removeUngeneratedSlots({ db: handle.db, workspaceId: workspace.id });
        say(`Removed ${removed.deleted.length} slots not generated yet${removed.skipped.length ? `; kept ${removed.skipped.length} (${removed.skipped[0].reason})` : ""}.`);
      }
      if (planning) {
        const result = await createPlan({ db: handle.db, workspaceId: workspace.id, split, saveSplit: args.split !== undefined });
        const planned = TIERS.map((t) => `${TIER_LABELS[t]} ${result.held[t]}`).join(" / ");
        say(`Plan: ${planned} = ${TIERS.reduce((s, t) => s + result.held[t], 0)} conversations.`);
        say(`${result.created} new slots created, ${result.existing} already planned.`);
      }
      if (filling) {
        const filled = await fillMissingCombinations({ db: handle.db, workspaceId: workspace.id });
        say(
          filled.missing === 0
            ? "Every persona × arc × topic combination is already covered."
            : `Filled missing combinations: ${filled.created} template slots added for ${filled.missing} missing${filled.capped ? `; ${filled.missing - filled.created} still missing, run --fill-missing again` : ""}.`,
        );
      }
    });
  },
});
