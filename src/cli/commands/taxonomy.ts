import fs from "node:fs";
import { defineCommand } from "citty";
import { taxonomyFileText } from "../../core/taxonomy/taxonomy-file";
import { taxonomyForDownload } from "../../server/taxonomy";
import { commonArgs, note, resolveUserPath, withWorkspace, writeStdout } from "../context";

const exportCommand = defineCommand({
  meta: {
    name: "export",
    description: "The workspace's whole taxonomy (personas, emotional arcs, topics, intents, tones, edge-case categories, outcomes) as the JSON file `brightrun import` reads.",
  },
  args: {
    ...commonArgs,
    out: { type: "string", description: "Write the file here instead of printing it." },
  },
  async run({ args }) {
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "export" }, async ({ handle, workspace }) => {
      const file = await taxonomyForDownload(handle.db, workspace.id);
      const text = taxonomyFileText(file);
      if (!args.out) {
        writeStdout(text);
        return;
      }
      fs.writeFileSync(resolveUserPath(args.out), text);
      const counts = Object.entries(file).map(([list, entries]) => `${(entries as unknown[]).length} ${list.replace(/_/g, " ")}`);
      note(`Wrote ${args.out}: ${counts.join(", ")}. Import it elsewhere with \`brightrun import ${args.out}\`.`);
    });
  },
});

export default defineCommand({
  meta: { name: "taxonomy", description: "The workspace's taxonomy: export [--out FILE] (the file `brightrun import` reads)." },
  subCommands: { export: exportCommand },
});
