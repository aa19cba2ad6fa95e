import { defineCommand } from "citty";
import { repointConversation, setScenarioArchived, setScenarioFavourite } from "../../core/scenarios/scenario-library";
import { AppError } from "../../core/errors";
import { getScenarioByKey, listScenarioLibrary } from "../../server/db/queries/scenarios";
import type { DbOrTx } from "../../server/db/client";
import { commonArgs, say, withWorkspace } from "../context";

async function scenarioId(db: DbOrTx, workspaceId: string, key: string): Promise<string> {
  const row = await getScenarioByKey({ db, workspaceId, key });
  if (!row) throw new AppError("scenario_not_found", `There is no scenario "${key}" in this workspace. See \`brightrun scenarios list\`.`);
  return row.id;
}

const keyArg = { key: { type: "positional", description: "Scenario key (from `brightrun scenarios list`).", required: true } } as const;

const list = defineCommand({
  meta: { name: "list", description: "The scenario library: favourites first, with usage counts. --archived lists archived ones; --search filters by keyword." },
  args: {
    ...commonArgs,
    archived: { type: "boolean", description: "List archived scenarios instead." },
    search: { type: "string", description: "Only scenarios whose text contains this.", valueHint: "WORDS" },
    json: { type: "boolean", description: "Print JSON: [{ key, title, category, tags, favourite, archived, used_by, chunk }]." },
  },
  async run({ args }) {
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "read" }, async ({ handle, workspace }) => {
      const rows = await listScenarioLibrary({ db: handle.db, workspaceId: workspace.id, search: args.search ?? "", view: args.archived ? "archived" : "active" });
      if (args.json) {
        say(JSON.stringify(rows.map((s) => ({ key: s.key, title: s.title, category: s.category, tags: s.tags, favourite: s.favourite, archived: s.archivedAt !== null, used_by: s.usageCount, chunk: s.chunk?.key ?? null })), null, 2));
        return;
      }
      if (!rows.length) {
        say(args.search ? `No scenario matches "${args.search}".` : args.archived ? "No archived scenarios." : "No scenarios yet. Add them on the Scenarios page or import a scenarios file.");
        return;
      }
      const width = Math.max(3, ...rows.map((s) => s.key.length));
      say(`   ${"KEY".padEnd(width)}  USED  TITLE`);
      for (const s of rows) say(`${s.favourite ? "★" : " "}  ${s.key.padEnd(width)}  ${String(s.usageCount).padStart(4)}  ${s.title}`);
    });
  },
});

const archive = defineCommand({
  meta: { name: "archive", description: "Archive a scenario: it is no longer planned; conversations keep it." },
  args: { ...commonArgs, ...keyArg },
  async run({ args }) {
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "import" }, async ({ handle, workspace }) => {
      const row = await setScenarioArchived({ db: handle.db, workspaceId: workspace.id, id: await scenarioId(handle.db, workspace.id, args.key), archived: true });
      say(`Archived "${row.title}": it is no longer planned.`);
    });
  },
});

const restore = defineCommand({
  meta: { name: "restore", description: "Restore an archived scenario: it is planned again." },
  args: { ...commonArgs, ...keyArg },
  async run({ args }) {
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "import" }, async ({ handle, workspace }) => {
      const row = await setScenarioArchived({ db: handle.db, workspaceId: workspace.id, id: await scenarioId(handle.db, workspace.id, args.key), archived: false });
      say(`Restored "${row.title}": it is planned again.`);
    });
  },
});

const favourite = defineCommand({
  meta: { name: "favourite", description: "Star a scenario (--off to un-star it)." },
  args: { ...commonArgs, ...keyArg, off: { type: "boolean", description: "Remove the star." } },
  async run({ args }) {
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "import" }, async ({ handle, workspace }) => {
      const row = await setScenarioFavourite({ db: handle.db, workspaceId: workspace.id, id: await scenarioId(handle.db, workspace.id, args.key), favourite: !args.off });
      say(row.favourite ? `Starred "${row.title}".` : `Removed the star from "${row.title}".`);
    });
  },
});

const repoint = defineCommand({
  meta: { name: "repoint", description: "Point a planned conversation (not generated, or failed) at another scenario before it is generated." },
  args: {
    ...commonArgs,
    conversation: { type: "positional", description: "Conversation id, e.g. scen-007.", required: true },
    scenario: { type: "positional", description: "Key of the scenario to use.", required: true },
  },
  async run({ args }) {
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "plan" }, async ({ handle, workspace }) => {
      const result = await handle.db.transaction((tx) => repointConversation({ db: tx, workspaceId: workspace.id, conversationId: args.conversation, scenario: { key: args.scenario } }));
      say(`${result.conversationId} now uses "${result.scenario.title}"${result.previousScenarioTitle ? ` (was "${result.previousScenarioTitle}")` : ""}.`);
    });
  },
});

export default defineCommand({
  meta: { name: "scenarios", description: "The scenario library: list, archive, restore, favourite, repoint a planned conversation." },
  subCommands: { list, archive, restore, favourite, repoint },
});
