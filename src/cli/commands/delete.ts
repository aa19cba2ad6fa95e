import { defineCommand } from "citty";
import { deleteConversations } from "../../core/conversations/delete-conversations";
import { AppError } from "../../core/errors";
import { commonArgs, positionals, withWorkspace } from "../context";
import { printOutcome } from "../print-outcome";

export default defineCommand({
  meta: {
    name: "delete",
    description:
      "Delete conversations for good, with their turns: `delete ID… --yes`. Seeds, conversations being generated and conversations waiting in an unfinished run are kept (the dashboard's rules).",
  },
  args: {
    ...commonArgs,
    yes: { type: "boolean", description: "Confirm: deleting cannot be undone (generation and review logs are kept)." },
  },
  async run({ args }) {
    const ids = positionals(args);
    if (!ids.length) throw new AppError("argument_invalid", "Say which conversations to delete: `brightrun delete ID… --yes` (see `brightrun status`).");
    if (!args.yes) {
      throw new AppError(
        "argument_invalid",
        `Deleting ${ids.length === 1 ? "a conversation" : `${ids.length} conversations`} cannot be undone (their turns go with them). Run the command again with --yes to delete.`,
      );
    }
    // Deleting changes the dataset's plan: the same permission as the dashboard's delete.
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "plan" }, async ({ handle, workspace }) => {
      const result = await deleteConversations({ db: handle.db, workspaceId: workspace.id, ids });
      printOutcome({ verb: "deleted", done: result.deleted, skipped: result.skipped });
    });
  },
});
