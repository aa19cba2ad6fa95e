/**
 * The scenario library's operations (US8.2.2) and scenario editing before generation (US8.2.1),
 * used by the web's server actions and the CLI alike. Each checks its rule (scenario-rules.ts) and
 * writes through the queries.
 */
import type { DbOrTx } from "../../server/db/client";
import {
  countConversationsOfScenario,
  deleteScenarioById,
  getChunkWithDocumentById,
  getConversationScenarioRef,
  getScenarioById,
  getScenarioByKey,
  insertScenario,
  listScenarioKeys,
  updateConversationScenario,
  updateScenarioById,
} from "../../server/db/queries/scenarios";
import type { ScenarioRow } from "../../server/db/schema";
import { AppError } from "../errors";
import { REPOINTABLE_STATUSES, repointRefusal, scenarioDeletionRefusal, scenarioFieldsSchema, scenarioKeyFromTitle, type ScenarioFieldsInput } from "./scenario-rules";

function notFound(what: string): AppError {
  return new AppError("scenario_not_found", `There is no scenario ${what} in this workspace any more. Reload the Scenarios page.`);
}

async function requireScenario(db: DbOrTx, workspaceId: string, id: string): Promise<ScenarioRow> {
  const scenario = await getScenarioById({ db, workspaceId, id });
  if (!scenario) throw notFound("with that id");
  return scenario;
}

async function checkChunk(db: DbOrTx, workspaceId: string, chunkId: string | null): Promise<void> {
  if (chunkId && !(await getChunkWithDocumentById({ db, workspaceId, id: chunkId }))) {
    throw new AppError("chunk_not_found", "The chosen source chunk is not in this workspace any more (its document was deleted or re-imported). Choose another chunk.");
  }
}

/**
 * Creates a scenario from the fields a person wrote (or a draft they accepted); its key is made from
 * the title (scenarioKeyFromTitle).
 * @throws ZodError for invalid fields; AppError "chunk_not_found" for a chunk not in the workspace
 */
export async function createScenario({ db, workspaceId, input }: { db: DbOrTx; workspaceId: string; input: ScenarioFieldsInput }): Promise<ScenarioRow> {
  const values = scenarioFieldsSchema.parse(input);
  await checkChunk(db, workspaceId, values.chunkId);
  const key = scenarioKeyFromTitle(values.title, await listScenarioKeys({ db, workspaceId }));
  return insertScenario({ db, workspaceId, key, values: { ...values, personaKey: null, emotionalArcKey: null, topicKey: null } });
}

/**
 * Changes a scenario's written fields (its key, persona/arc/topic hints, favourite and archive state stay).
 * @throws ZodError for invalid fields; AppError "scenario_not_found", "chunk_not_found"
 */
export async function editScenario({ db, workspaceId, id, input }: { db: DbOrTx; workspaceId: string; id: string; input: ScenarioFieldsInput }): Promise<ScenarioRow> {
  const values = scenarioFieldsSchema.parse(input);
  await requireScenario(db, workspaceId, id);
  await checkChunk(db, workspaceId, values.chunkId);
  return (await updateScenarioById({ db, workspaceId, id, values })) as ScenarioRow;
}

/**
 * Copies a scenario as "<title> (copy)" with a new key, not a favourite, not archived, used by nothing.
 * @throws AppError "scenario_not_found"
 */
export async function duplicateScenario({ db, workspaceId, id }: { db: DbOrTx; workspaceId: string; id: string }): Promise<ScenarioRow> {
  const source = await requireScenario(db, workspaceId, id);
  const title = `${source.title} (copy)`.slice(0, 200);
  const key = scenarioKeyFromTitle(title, await listScenarioKeys({ db, workspaceId }));
  const { title: _t, key: _k, id: _i, createdAt: _c, updatedAt: _u, workspaceId: _w, favourite: _f, archivedAt: _a, ...rest } = source;
  return insertScenario({ db, workspaceId, key, values: { ...rest, title } });
}

/** Marks or unmarks a scenario as a favourite. @throws AppError "scenario_not_found" */
export async function setScenarioFavourite({ db, workspaceId, id, favourite }: { db: DbOrTx; workspaceId: string; id: string; favourite: boolean }): Promise<ScenarioRow> {
  const row = await updateScenarioById({ db, workspaceId, id, values: { favourite } });
  if (!row) throw notFound("with that id");
  return row;
}

/**
 * Archives a scenario (it is no longer planned; conversations keep it) or restores it.
 * @throws AppError "scenario_not_found"
 */
export async function setScenarioArchived({ db, workspaceId, id, archived }: { db: DbOrTx; workspaceId: string; id: string; archived: boolean }): Promise<ScenarioRow> {
  const row = await updateScenarioById({ db, workspaceId, id, values: { archivedAt: archived ? new Date() : null } });
  if (!row) throw notFound("with that id");
  return row;
}

/**
 * Deletes a scenario no conversation uses.
 * @throws AppError "scenario_in_use" (with the reason, scenarioDeletionRefusal) or "scenario_not_found"
 */
export async function deleteScenario({ db, workspaceId, id }: { db: DbOrTx; workspaceId: string; id: string }): Promise<{ title: string }> {
  const scenario = await requireScenario(db, workspaceId, id);
  const refusal = scenarioDeletionRefusal(scenario, await countConversationsOfScenario({ db, workspaceId, id }));
  if (refusal) throw new AppError("scenario_in_use", refusal);
  await deleteScenarioById({ db, workspaceId, id });
  return { title: scenario.title };
}

/**
 * Points a planned conversation at another scenario (US8.2.1 "Scenario editing before generation"),
 * and at that scenario's source chunk when it has one. Its persona, arc and topic stay as planned.
 * @param conversationId the human id ("scen-007")
 * @param scenario the target's id or key; an archived scenario may not be chosen
 * @throws AppError "conversation_not_found", "scenario_not_found", "scenario_archived",
 *   "conversation_not_repointable" (repointRefusal's reason; also when its generation started meanwhile)
 */
export async function repointConversation({
  db,
  workspaceId,
  conversationId,
  scenario,
}: {
  db: DbOrTx;
  workspaceId: string;
  conversationId: string;
  scenario: { id: string } | { key: string };
}): Promise<{ conversationId: string; scenario: ScenarioRow; previousScenarioTitle: string | null }> {
  const conversation = await getConversationScenarioRef({ db, workspaceId, conversationId });
  if (!conversation) throw new AppError("conversation_not_found", `There is no conversation ${conversationId} in this workspace. Check the id.`);
  const refusal = repointRefusal(conversation);
  if (refusal) throw new AppError("conversation_not_repointable", refusal);
  const target = "id" in scenario ? await getScenarioById({ db, workspaceId, id: scenario.id }) : await getScenarioByKey({ db, workspaceId, key: scenario.key });
  if (!target) throw notFound("id" in scenario ? "with that id" : `"${scenario.key}"`);
  if (target.archivedAt) throw new AppError("scenario_archived", `“${target.title}” is archived. Restore it first, or choose another scenario.`);
  const chunk = target.chunkId ? await getChunkWithDocumentById({ db, workspaceId, id: target.chunkId }) : null;
  const changed = await updateConversationScenario({
    db,
    workspaceId,
    id: conversation.id,
    scenarioId: target.id,
    chunk: chunk ? { id: chunk.id, documentId: chunk.documentId, category: chunk.category } : null,
    statuses: REPOINTABLE_STATUSES,
  });
  if (!changed) {
    throw new AppError("conversation_not_repointable", `${conversationId} started generating meanwhile, so it keeps its scenario. Reload to see its status.`);
  }
  return { conversationId, scenario: target, previousScenarioTitle: conversation.scenarioTitle };
}
