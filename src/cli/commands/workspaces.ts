import { defineCommand } from "citty";
import { AppError } from "../../core/errors";
import { parseCategoryListArg } from "../../lib/document-categories";
import {
  createWorkspace,
  deleteWorkspace,
  documentCategoriesOf,
  getWorkspaceOrThrow,
  setDocumentCategories,
  listWorkspaceSummaries,
  renameWorkspace,
  setWorkspaceArchived,
  WORKSPACE_ENV,
} from "../../server/workspaces";
import { commonArgs, formatCount, say, withDatabase } from "../context";

const dataDirArg = { "data-dir": commonArgs["data-dir"] } as const;
const slugArg = { slug: { type: "positional", description: "The workspace's short name (see `brightrun workspaces list`).", required: true } } as const;

const list = defineCommand({
  meta: { name: "list", description: "Every workspace: short name, name, documents, conversations, unfinished runs; archived ones marked." },
  args: { ...dataDirArg, json: { type: "boolean", description: "Print JSON: [{ slug, name, business_name, is_sample, archived, documents, conversations, open_runs }]." } },
  async run({ args }) {
    await withDatabase({ dataDir: args["data-dir"], permission: "read" }, async ({ handle }) => {
      const all = await listWorkspaceSummaries(handle.db);
      if (args.json) {
        say(
          JSON.stringify(
            all.map((w) => ({
              slug: w.slug,
              name: w.name,
              business_name: w.businessName,
              is_sample: w.isSample,
              archived: w.archived,
              documents: w.documents,
              conversations: w.conversations,
              open_runs: w.openRuns,
            })),
            null,
            2,
          ),
        );
        return;
      }
      if (!all.length) {
        say('No workspaces yet. Create one with `brightrun workspaces create "Business name"`, or load the sample with `brightrun init --sample financial-planning`.');
        return;
      }
      const current = process.env[WORKSPACE_ENV]?.trim();
      for (const w of all) {
        const flags = [w.isSample ? "sample" : null, w.archived ? "archived" : null, current === w.slug ? `$${WORKSPACE_ENV}` : null].filter(Boolean);
        say(
          `${w.slug}  ${w.name}${flags.length ? ` [${flags.join(", ")}]` : ""} · ${formatCount(w.documents)} documents · ${formatCount(w.conversations)} conversations` +
            (w.openRuns ? ` · ${w.openRuns} unfinished ${w.openRuns === 1 ? "run" : "runs"}` : ""),
        );
      }
    });
  },
});

const create = defineCommand({
  meta: { name: "create", description: 'Create an empty workspace: `workspaces create "Business name" [--slug SHORT] [--description TEXT] [--voice TEXT]`.' },
  args: {
    ...dataDirArg,
    name: { type: "positional", description: "The business's name (what the switcher shows).", required: true },
    slug: { type: "string", description: "Short name for the web address and --workspace (default: made from the name).", valueHint: "SHORT" },
    description: { type: "string", description: "What the business does.", valueHint: "TEXT" },
    voice: { type: "string", description: "Its voice: the system prompt of the assistant being trained.", valueHint: "TEXT" },
  },
  async run({ args }) {
    await withDatabase({ dataDir: args["data-dir"], permission: "import" }, async ({ handle }) => {
      const row = await createWorkspace(handle.db, { name: args.name, slug: args.slug, description: args.description, trainingSystemPrompt: args.voice });
      say(`Created the workspace ${row.slug} ("${row.name}"). Use it with --workspace ${row.slug} or ${WORKSPACE_ENV}=${row.slug}; in the web app at /w/${row.slug}.`);
    });
  },
});

const rename = defineCommand({
  meta: { name: "rename", description: 'Rename a workspace: `workspaces rename SLUG "New name" [--slug NEW]` (a new short name changes its web address).' },
  args: {
    ...dataDirArg,
    ...slugArg,
    name: { type: "positional", description: "The new name.", required: true },
    "new-slug": { type: "string", description: "A new short name.", valueHint: "NEW" },
  },
  async run({ args }) {
    await withDatabase({ dataDir: args["data-dir"], permission: "import" }, async ({ handle }) => {
      const row = await renameWorkspace(handle.db, args.slug, { name: args.name, slug: args["new-slug"] });
      say(`Renamed: ${row.slug} is now "${row.name}".`);
    });
  },
});

function archiveCommand(archived: boolean) {
  return defineCommand({
    meta: {
      name: archived ? "archive" : "restore",
      description: archived
        ? "Archive a workspace: hidden from the switcher and from the CLI's default, read-only, nothing deleted."
        : "Restore an archived workspace.",
    },
    args: { ...dataDirArg, ...slugArg },
    async run({ args }) {
      await withDatabase({ dataDir: args["data-dir"], permission: "import" }, async ({ handle }) => {
        const row = await setWorkspaceArchived(handle.db, args.slug, archived);
        say(archived ? `Archived ${row.slug} ("${row.name}"). Restore it with \`brightrun workspaces restore ${row.slug}\`.` : `Restored ${row.slug} ("${row.name}").`);
      });
    },
  });
}

const remove = defineCommand({
  meta: {
    name: "delete",
    description: 'Delete a workspace and everything in it, in one transaction: `workspaces delete SLUG --confirm "Exact name"`.',
  },
  args: {
    ...dataDirArg,
    ...slugArg,
    confirm: { type: "string", description: "The workspace's name, typed exactly: deleting cannot be undone.", valueHint: "NAME" },
  },
  async run({ args }) {
    if (args.confirm === undefined) {
      throw new AppError(
        "argument_invalid",
        `Deleting the workspace "${args.slug}" removes its documents, taxonomy, templates, conversations, runs and logs, and cannot be undone. Run it again with --confirm "<the workspace's name>".`,
      );
    }
    await withDatabase({ dataDir: args["data-dir"], permission: "import" }, async ({ handle }) => {
      const deleted = await deleteWorkspace(handle.db, args.slug, args.confirm as string);
      say(`Deleted the workspace ${deleted.slug} ("${deleted.name}") with ${formatCount(deleted.documents)} documents and ${formatCount(deleted.conversations)} conversations.`);
    });
  },
});

const categories = defineCommand({
  meta: {
    name: "categories",
    description:
      'Print the document categories a workspace offers, or set them: `workspaces categories SLUG [--set "A,B,C"] [--reset]`. Documents keep their own category.',
  },
  args: {
    ...dataDirArg,
    ...slugArg,
    set: { type: "string", description: 'The new list, comma-separated, in order ("" = none). Each 1–60 characters, no duplicates, at most 50.', valueHint: "A,B,C" },
    reset: { type: "boolean", description: "Go back to the built-in list (Complete Systems, Proprietary Strategies, Client Stories)." },
    json: { type: "boolean", description: "Print JSON: { slug, categories, is_default }." },
  },
  async run({ args }) {
    if (args.set !== undefined && args.reset) throw new AppError("argument_invalid", "Use either --set or --reset, not both.");
    const changing = args.set !== undefined || Boolean(args.reset);
    await withDatabase({ dataDir: args["data-dir"], permission: changing ? "import" : "read" }, async ({ handle, user }) => {
      const list = changing
        ? await setDocumentCategories(handle.db, args.slug, args.reset ? null : parseCategoryListArg(args.set as string), user)
        : documentCategoriesOf(await getWorkspaceOrThrow(handle.db, args.slug));
      if (args.json) {
        say(JSON.stringify({ slug: args.slug, categories: list.categories, is_default: list.isDefault }, null, 2));
        return;
      }
      if (changing) say(`Saved. Documents keep their own category; a category a document still uses is still offered on the Documents page.`);
      const source = list.isDefault ? "the built-in list" : "this workspace's own list";
      if (!list.categories.length) {
        say(`${args.slug} offers no categories of its own (${source}): the Documents page offers only those its documents already use.`);
        return;
      }
      say(`Document categories of ${args.slug} (${source}):`);
      for (const name of list.categories) say(`  ${name}`);
    });
  },
});

export default defineCommand({
  meta: { name: "workspaces", description: "Workspaces (one business each): list, create, rename, archive, restore, delete, and their document categories." },
  subCommands: { list, create, rename, archive: archiveCommand(true), restore: archiveCommand(false), delete: remove, categories },
});
