import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineCommand } from "citty";
import { AppError } from "../../core/errors";
import { importPath, type ImportSummary } from "../../core/import/import-workspace";
import { commonArgs, say, withDatabase } from "../context";
import { ensureSampleWorkspace, resolveCommandWorkspace } from "../../server/workspaces";

/** Folder of the bundled sample workspaces (`examples/`). */
export const EXAMPLES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../examples");

/** The sample workspaces that ship with Bright Run. */
export function listSamples(): string[] {
  return fs.existsSync(EXAMPLES_DIR) ? fs.readdirSync(EXAMPLES_DIR).filter((n) => fs.statSync(path.join(EXAMPLES_DIR, n)).isDirectory()) : [];
}

/** "1 file", "3 files", "2 files, 1 folder" (a skipped folder's path ends in "/"). */
function describeSkippedCount(skipped: ImportSummary["skipped"]): string {
  const folders = skipped.filter((s) => s.file.endsWith("/")).length;
  const files = skipped.length - folders;
  const parts = [];
  if (files || !folders) parts.push(files === 1 ? "1 file" : `${files} files`);
  if (folders) parts.push(folders === 1 ? "1 folder" : `${folders} folders`);
  return parts.join(", ");
}

/** One line per kind of thing imported, for the CLI. */
export function describeImport(summary: ImportSummary): string[] {
  const docs = summary.documents;
  return [
    `  files read: ${summary.files}`,
    `  workspace: ${summary.workspace ? "set" : "unchanged"}`,
    `  personas ${summary.personas}, emotional arcs ${summary.emotionalArcs}, topics ${summary.topics}, intents ${summary.intents}, tones ${summary.tones}, edge-case categories ${summary.edgeCaseCategories}, outcomes ${summary.outcomes}`,
    `  documents: ${docs.created} new, ${docs.updated} updated, ${docs.unchanged} unchanged (${summary.chunks} chunks written)`,
    `  scenarios: ${summary.scenarios}`,
    `  templates: ${summary.templates.changed} new or changed, ${summary.templates.unchanged} unchanged`,
    `  seed conversations: ${summary.seeds.created} new, ${summary.seeds.unchanged} already present (seeds are locked)`,
    ...summary.warnings.map((w) => `  warning: ${w.file}: ${w.message}`),
    ...(summary.skipped.length ? [`  not read (${describeSkippedCount(summary.skipped)}):`, ...summary.skipped.map((s) => `    - ${s.file}: ${s.reason}`)] : []),
  ];
}

export default defineCommand({
  meta: { name: "init", description: "Create the database (embedded or DATABASE_URL) and optionally load a sample workspace." },
  args: {
    ...commonArgs,
    sample: { type: "string", description: "Load a bundled sample workspace, e.g. financial-planning.", valueHint: "NAME" },
  },
  async run({ args }) {
    const sample = args.sample;
    if (sample !== undefined && !listSamples().includes(sample)) {
      throw new AppError("sample_unknown", `There is no sample workspace called "${sample}". Available: ${listSamples().join(", ") || "none"}.`);
    }
    await withDatabase({ dataDir: args["data-dir"], permission: "import" }, async ({ handle, user }) => {
      say(`Database ready (${handle.kind === "pglite" ? `embedded, ${handle.location}` : `PostgreSQL, ${handle.location}`}).`);
      if (sample) {
        // Into the workspace named by --workspace, else the sample's own workspace (created when missing).
        const workspace = args.workspace
          ? await resolveCommandWorkspace(handle.db, { slug: args.workspace })
          : (await ensureSampleWorkspace(handle.db)).workspace;
        const summary = await importPath({ db: handle.db, workspaceId: workspace.id, target: path.join(EXAMPLES_DIR, sample), userId: user.id });
        say(`Loaded the sample "${sample}" into the workspace ${workspace.slug} ("${workspace.name}"):`);
        for (const line of describeImport(summary)) say(line);
      }
    });
  },
});
