"use server";
/**
 * Scenario library server actions (issue 10 item 3; US8.2.1, US8.2.2): create, edit, duplicate,
 * favourite, archive / restore, delete (refused while conversations use it), suggest drafts from a
 * chunk with the workspace's model, and re-point a planned conversation at another scenario. Each
 * takes `(workspaceSlug, input)`, validates with zod, checks the permission and returns an ActionResult.
 */
import { z } from "zod";
import { AppError } from "@/core/errors";
import { createScenario, deleteScenario, duplicateScenario, editScenario, repointConversation, setScenarioArchived, setScenarioFavourite } from "@/core/scenarios/scenario-library";
import { scenarioFieldsSchema } from "@/core/scenarios/scenario-rules";
import { DEFAULT_DRAFT_COUNT, suggestScenarioDrafts, type ScenarioDraft } from "@/core/scenarios/suggest-scenarios";
import type { ActionResult } from "@/lib/dashboard-contract";
import { runAction } from "@/server/actions/action-result";
import { getChunkWithDocumentById, listScenarios } from "@/server/db/queries/scenarios";
import { selectProviderWithSettings } from "@/server/settings/model-settings";
import { loadScenarioConversations, type ScenarioConversation } from "@/server/scenario-library";
import { openWorkspace } from "@/server/workspace-context";

const idInput = z.strictObject({ id: z.uuid("Choose a scenario from the list.") });

/** What the page needs back after a change: the scenario's id, title and key. */
export interface ScenarioActionData {
  id: string;
  key: string;
  title: string;
}

const brief = (row: { id: string; key: string; title: string }): ScenarioActionData => ({ id: row.id, key: row.key, title: row.title });

/** Creates a scenario (permission "import"). Input: the form's fields (scenarioFieldsSchema). */
export async function createScenarioAction(workspace: string, input: z.input<typeof scenarioFieldsSchema>): Promise<ActionResult<ScenarioActionData>> {
  return runAction("createScenarioAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "import");
    return brief(await createScenario({ db, workspaceId: ws.id, input }));
  });
}

const editInput = z.strictObject({ id: z.uuid("Choose a scenario from the list."), fields: z.unknown() });

/** Edits a scenario's fields (permission "import"). Input: `{ id, fields }`. */
export async function editScenarioAction(workspace: string, input: { id: string; fields: z.input<typeof scenarioFieldsSchema> }): Promise<ActionResult<ScenarioActionData>> {
  return runAction("editScenarioAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "import");
    const { id, fields } = editInput.parse(input);
    return brief(await editScenario({ db, workspaceId: ws.id, id, input: fields as z.input<typeof scenarioFieldsSchema> }));
  });
}

/** Duplicates a scenario as "<title> (copy)" (permission "import"). */
export async function duplicateScenarioAction(workspace: string, input: z.input<typeof idInput>): Promise<ActionResult<ScenarioActionData>> {
  return runAction("duplicateScenarioAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "import");
    const { id } = idInput.parse(input);
    return brief(await duplicateScenario({ db, workspaceId: ws.id, id }));
  });
}

const favouriteInput = z.strictObject({ id: z.uuid("Choose a scenario from the list."), favourite: z.boolean() });

/** Stars or un-stars a scenario (permission "import"). */
export async function setScenarioFavouriteAction(workspace: string, input: z.input<typeof favouriteInput>): Promise<ActionResult<ScenarioActionData>> {
  return runAction("setScenarioFavouriteAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "import");
    const { id, favourite } = favouriteInput.parse(input);
    return brief(await setScenarioFavourite({ db, workspaceId: ws.id, id, favourite }));
  });
}

const archiveInput = z.strictObject({ id: z.uuid("Choose a scenario from the list."), archived: z.boolean() });

/** Archives (no longer planned) or restores a scenario (permission "import"). */
export async function setScenarioArchivedAction(workspace: string, input: z.input<typeof archiveInput>): Promise<ActionResult<ScenarioActionData>> {
  return runAction("setScenarioArchivedAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "import");
    const { id, archived } = archiveInput.parse(input);
    return brief(await setScenarioArchived({ db, workspaceId: ws.id, id, archived }));
  });
}

/** Deletes a scenario no conversation uses (permission "import"); `scenario_in_use` with the reason otherwise. */
export async function deleteScenarioAction(workspace: string, input: z.input<typeof idInput>): Promise<ActionResult<{ title: string }>> {
  return runAction("deleteScenarioAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "import");
    const { id } = idInput.parse(input);
    return db.transaction((tx) => deleteScenario({ db: tx, workspaceId: ws.id, id }));
  });
}

const suggestInput = z.strictObject({ chunkId: z.uuid("Choose a source chunk first.") });

/** Drafts suggested from a chunk, with who made them: `languageModel` false for the simulated composer. */
export interface ScenarioSuggestions {
  drafts: ScenarioDraft[];
  provider: string;
  model: string;
  languageModel: boolean;
}

/**
 * Suggests scenario drafts from one chunk with the workspace's configured model (permission
 * "import"; nothing is stored). The simulated provider composes labelled drafts locally.
 */
export async function suggestScenariosAction(workspace: string, input: z.input<typeof suggestInput>): Promise<ActionResult<ScenarioSuggestions>> {
  return runAction("suggestScenariosAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "import");
    const { chunkId } = suggestInput.parse(input);
    const chunk = await getChunkWithDocumentById({ db, workspaceId: ws.id, id: chunkId });
    if (!chunk) throw new AppError("chunk_not_found", "That chunk is not in this workspace any more. Reload the page and choose another.");
    const selection = await selectProviderWithSettings(db, ws.id);
    const drafts = await suggestScenarioDrafts({
      provider: selection.provider,
      model: selection.model,
      source: { documentTitle: chunk.documentTitle, category: chunk.category, heading: chunk.heading, content: chunk.content },
      count: DEFAULT_DRAFT_COUNT,
      signal: AbortSignal.timeout(120_000),
    });
    return { drafts, provider: selection.provider.name, model: selection.model, languageModel: selection.provider.isLanguageModel };
  });
}

const repointInput = z.strictObject({
  conversationId: z.string().trim().min(1, "Name the conversation to change.").max(200),
  scenarioId: z.uuid("Choose the scenario to use."),
});

/**
 * Points a planned conversation (not generated, or failed) at another scenario (permission "plan");
 * `conversation_not_repointable` with the reason for any other.
 */
export async function repointConversationAction(
  workspace: string,
  input: z.input<typeof repointInput>,
): Promise<ActionResult<{ conversationId: string; scenarioTitle: string; previousScenarioTitle: string | null }>> {
  return runAction("repointConversationAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "plan");
    const { conversationId, scenarioId } = repointInput.parse(input);
    const result = await db.transaction((tx) => repointConversation({ db: tx, workspaceId: ws.id, conversationId, scenario: { id: scenarioId } }));
    return { conversationId: result.conversationId, scenarioTitle: result.scenario.title, previousScenarioTitle: result.previousScenarioTitle };
  });
}

/** The conversations that use a scenario, each saying whether it may be re-pointed (permission "read"). */
export async function listScenarioConversationsAction(workspace: string, input: z.input<typeof idInput>): Promise<ActionResult<ScenarioConversation[]>> {
  return runAction("listScenarioConversationsAction", async () => {
    // The guard first (loadScenarioConversations checks it again): a signed-out caller learns nothing about the input.
    await openWorkspace(workspace, "read");
    const { id } = idInput.parse(input);
    return loadScenarioConversations(workspace, id);
  });
}

/** The scenarios a planned conversation can be pointed at: the workspace's active ones, by title (permission "read"). */
export async function listScenarioChoicesAction(workspace: string): Promise<ActionResult<Array<{ id: string; title: string; category: string }>>> {
  return runAction("listScenarioChoicesAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "read");
    const rows = await listScenarios({ db, workspaceId: ws.id });
    return rows.map((s) => ({ id: s.id, title: s.title, category: s.category })).sort((a, b) => a.title.localeCompare(b.title));
  });
}
