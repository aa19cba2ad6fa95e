import "server-only";
/** One conversation as the preview panel and its dialogs show it (GET /api/conversations/:conversationId). */
import { AppError } from "../core/errors";
import type { QualityResult } from "../core/quality/quality-types";
import { readStoredJudge, type StoredJudgeResult } from "../core/quality/judge/rubric";
import type { ConversationDetail } from "../lib/dashboard-contract";
import type { DbOrTx } from "./db/client";
import { openWorkspace } from "./workspace-context";
import { getConversationDetailByHumanId, getLatestGenerationErrorByConversationId } from "./db/queries/conversation-details";
import { getDocumentSummaryById, listChunksWithDocumentByIds } from "./db/queries/documents";
import { markConversationViewed } from "./db/queries/first-run";
import { listReviewLogsByConversationId } from "./db/queries/audit";
import { listScenariosByIds } from "./db/queries/scenarios";
import { listTemplatesWithLatestVersion } from "./db/queries/conversation-templates";
import { pickConversationTemplate } from "../core/templates/template-applicability";

/** Longest conversation id accepted from a URL. */
const MAX_CONVERSATION_ID_LENGTH = 200;

/**
 * The stored judge verdict for display. A damaged one is shown as a failed verdict that says so
 * (with the problem), rather than hiding the whole conversation.
 */
function judgeOf(value: unknown): StoredJudgeResult | null {
  try {
    return readStoredJudge(value);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      rubricVersion: 0,
      status: "failed",
      score: null,
      criteria: [],
      summary: "",
      error: { code: "judge_unreadable", message, retryable: true },
      rawReply: null,
      provider: "",
      model: "",
      runId: null,
      judgedAt: "",
      usage: { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
    };
  }
}

/**
 * A conversation's detail by human id ("tmpl-001"), from `db`.
 * `lastError.at` is when the failure happened: the newest generation_logs row with an error
 * code, else the conversation's updated_at.
 * @throws AppError "conversation_not_found" (HTTP 404) for an unknown or malformed id.
 */
export async function getConversationDetail({ db, workspaceId, conversationId }: { db: DbOrTx; workspaceId: string; conversationId: string }): Promise<ConversationDetail> {
  const id = conversationId.trim();
  const row = id && id.length <= MAX_CONVERSATION_ID_LENGTH ? await getConversationDetailByHumanId({ db, workspaceId, conversationId: id }) : null;
  if (!row) {
    throw new AppError("conversation_not_found", `There is no conversation "${conversationId.slice(0, MAX_CONVERSATION_ID_LENGTH)}". It may have been deleted; reload the table.`);
  }
  const c = row.conversation;
  let lastError: ConversationDetail["lastError"] = null;
  if (c.lastError) {
    const logged = await getLatestGenerationErrorByConversationId({ db, conversationId: c.id });
    lastError = {
      code: c.lastError.code,
      message: c.lastError.message,
      retryable: c.lastError.retryable,
      detail: c.lastError.detail ?? {},
      at: (logged?.createdAt ?? c.updatedAt).toISOString(),
    };
  }
  return {
    id: c.id,
    conversationId: c.conversationId,
    title: c.title,
    tier: c.tier,
    status: c.status,
    isSeed: c.isSeed,
    persona: { key: c.persona, name: row.personaName },
    emotion: { key: c.emotion, name: row.emotionName },
    topic: { key: c.topic, name: row.topicName },
    intent: { key: c.intent, name: row.intentName },
    tone: { key: c.tone, name: row.toneName },
    outcome: c.outcome ? { key: c.outcome, name: row.outcomeName ?? c.outcome } : null,
    sourceCategory: c.sourceCategory,
    scenario: c.scenarioId ? ((await listScenariosByIds({ db, ids: [c.scenarioId] })).map((s) => ({ id: s.id, key: s.key, title: s.title }))[0] ?? null) : null,
    source: await sourceOf(db, c),
    qualityScore: c.qualityScore,
    quality: (c.qualityBreakdown as QualityResult | null) ?? null,
    judgeScore: c.judgeScore,
    judge: judgeOf(c.judgeBreakdown),
    turns: row.turns,
    turnCount: c.turnCount,
    provider: c.provider,
    model: c.model,
    costUsd: Number(c.costUsd),
    inputTokens: c.inputTokens,
    outputTokens: c.outputTokens,
    generationAttempts: c.generationAttempts,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    generatedAt: c.generatedAt?.toISOString() ?? null,
    reviewedAt: c.reviewedAt?.toISOString() ?? null,
    reviewerId: c.reviewerId,
    reviewerNotes: c.reviewerNotes,
    reviewHistory: (await listReviewLogsByConversationId({ db, workspaceId, conversationUuid: c.id })).map(({ timestamp, ...event }) => ({ ...event, at: timestamp.toISOString() })),
    lastError,
    rawReply: c.rawReply,
    metadata: c.metadata ?? {},
    template: await templateOf(db, c),
  };
}

/**
 * The template a conversation was generated with (its recorded template and version), or for one
 * not generated yet, the template generation will use (pickConversationTemplate) at its current version.
 */
async function templateOf(
  db: DbOrTx,
  c: { workspaceId: string; templateId: string | null; templateVersion: number | null; tier: ConversationDetail["tier"]; isSeed: boolean },
): Promise<ConversationDetail["template"]> {
  if (c.isSeed && c.templateVersion === null) return null;
  const templates = await listTemplatesWithLatestVersion({ db, workspaceId: c.workspaceId });
  if (c.templateVersion !== null) {
    const used = templates.find((t) => t.id === c.templateId);
    return used ? { key: used.key, name: used.name, status: used.status, version: c.templateVersion, latestVersion: used.latestVersion, planned: false } : null;
  }
  const next = pickConversationTemplate(templates, c);
  return next ? { key: next.key, name: next.name, status: next.status, version: next.currentVersion, latestVersion: next.latestVersion, planned: true } : null;
}

/**
 * Where a conversation came from. A conversation planned from a chunk holds its document and chunk
 * ids (set null by the foreign keys when they are deleted) and the chunk's category. So: a document
 * updated after the conversation was created → "changed" (re-importing a changed document points its
 * conversations at the new chunk in the same position); no document but a source category → its
 * document was deleted ("removed"); neither → null.
 */
async function sourceOf(
  db: DbOrTx,
  c: { documentId: string | null; chunkId: string | null; sourceCategory: string | null; createdAt: Date },
): Promise<ConversationDetail["source"]> {
  const document = c.documentId ? await getDocumentSummaryById({ db, id: c.documentId }) : null;
  if (!document) return c.sourceCategory !== null ? { state: "removed", category: c.sourceCategory } : null;
  const [chunk] = c.chunkId ? await listChunksWithDocumentByIds({ db, ids: [c.chunkId] }) : [];
  return {
    state: document.updatedAt.getTime() > c.createdAt.getTime() ? "changed" : "linked",
    documentKey: document.key,
    documentTitle: document.title,
    category: document.category,
    documentUpdatedAt: document.updatedAt.toISOString(),
    chunk: chunk ? { key: chunk.key, ordinal: chunk.ordinal, heading: chunk.heading, summary: chunk.summary, dimensions: chunk.dimensions } : null,
  };
}

/**
 * A conversation's detail for the current user (permission "read"); `asRead` also marks it read (first time only).
 * @throws AppError "conversation_not_found", "forbidden", or the database's errors.
 */
export async function loadConversationDetail(workspaceSlug: string, conversationId: string, options: { asRead?: boolean } = {}): Promise<ConversationDetail> {
  const { db, workspace } = await openWorkspace(workspaceSlug, "read");
  const detail = await getConversationDetail({ db, workspaceId: workspace.id, conversationId });
  // An archived workspace is read-only: reading it records nothing.
  if (options.asRead && !workspace.archivedAt) await markConversationViewed({ db, workspaceId: workspace.id, conversationId });
  return detail;
}

