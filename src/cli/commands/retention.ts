import { defineCommand } from "citty";
import { AppError } from "../../core/errors";
import { describeRetentionFailure, describeRetentionOutcome, enforceRetention, enforceWorkspaceRetention } from "../../core/retention/enforce-retention";
import { resolveCommandWorkspace } from "../../server/workspaces";
import { commonArgs, say, withDatabase } from "../context";

/**
 * `brightrun retention run [--workspace SLUG]` (issue 13 item 6; docs/retention.md): applies the
 * retention windows now, exactly as the hourly job does (enforceRetention), to one workspace or,
 * without --workspace, to every workspace; prints what it removed.
 */
const run = defineCommand({
  meta: { name: "run", description: "Delete generation logs, exports and query timings older than each workspace's windows, and drop old payloads, now." },
  args: {
    "data-dir": commonArgs["data-dir"],
    workspace: { ...commonArgs.workspace, description: "Only this workspace (its short name, /w/SLUG). Default: every workspace." },
  },
  async run({ args }) {
    await withDatabase({ dataDir: args["data-dir"], permission: "import" }, async ({ handle }) => {
      if (args.workspace) {
        const workspace = await resolveCommandWorkspace(handle.db, { slug: args.workspace, env: {}, allowArchived: true });
        say(describeRetentionOutcome(await enforceWorkspaceRetention({ db: handle.db, workspaceId: workspace.id })));
        return;
      }
      const { workspaces, failures, installationQueryTimingsDeleted } = await enforceRetention({ db: handle.db });
      if (!workspaces.length && !failures.length) say("No workspace: nothing to clean up.");
      for (const outcome of workspaces) say(describeRetentionOutcome(outcome));
      if (installationQueryTimingsDeleted) say(`Installation-wide: ${installationQueryTimingsDeleted} query timings deleted.`);
      if (failures.length) throw new AppError("retention_failed", failures.map(describeRetentionFailure).join("\n"));
    });
  },
});

export default defineCommand({
  meta: { name: "retention", description: "Retention of audit records: `retention run` applies the windows set on each workspace's Settings page." },
  subCommands: { run },
});
