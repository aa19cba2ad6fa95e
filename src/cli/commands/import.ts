import { defineCommand } from "citty";
import { importPath } from "../../core/import/import-workspace";
import { commonArgs, resolveUserPath, say, withWorkspace } from "../context";
import { describeImport } from "./init";

export default defineCommand({
  meta: {
    name: "import",
    description:
      "Import a file or a folder: documents (.md, .txt, .pdf, .docx, .html, chunk files), taxonomy, scenarios, seed conversations, templates (docs/import-formats.md). All or nothing; a folder's other files are named as not read.",
  },
  args: {
    ...commonArgs,
    path: { type: "positional", description: "File or folder to import.", required: true },
  },
  async run({ args }) {
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "import", createIfNone: { name: "My workspace" } }, async ({ handle, user, workspace }) => {
      const summary = await importPath({ db: handle.db, workspaceId: workspace.id, target: resolveUserPath(args.path), label: args.path, userId: user.id });
      say(`Imported ${args.path}:`);
      for (const line of describeImport(summary)) say(line);
    });
  },
});
