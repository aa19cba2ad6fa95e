/**
 * "Test Template" (issue 11 item 5, US7.2.2): one request through the workspace's model for a
 * draft and one set of parameters, validated and scored exactly as generation validates and scores
 * a reply, logged as a generation_logs row of kind "template_test" (so it is audited and costed),
 * compared with the active version's recent average, and kept as the saved version's last test when
 * the draft is that version unchanged. Used by the web action and by `brightrun templates test`.
 */
import type { TemplateDraft, TemplateTestSummary } from "../../lib/template-draft";
import type { TemplateTestComparison } from "../../lib/template-test-comparison";
import type { Database } from "../../server/db/client";
import {
  getActiveTemplateOfTier,
  getRecentVersionQuality,
  getTemplateVersionContent,
  insertTemplateTestLog,
  saveTemplateVersionTest,
} from "../../server/db/queries/template-tests";
import { getTemplateWithCurrentVersionById } from "../../server/db/queries/templates";
import { costUsd, type PriceOverrides } from "../cost/prices";
import { toPlainError } from "../errors";
import { RAW_REPLY_KEPT } from "../llm/parse-reply";
import { scoreReply, validateReply } from "../generation/generate-conversation";
import type { GenerationResponse, LlmProvider } from "../llm/types";
import type { QualityResult } from "../quality/quality-types";
import type { Turn } from "../types";
import { previewTemplateDraft, type PreviewRequest, type ResolvedParameterSource, type TemplateParameterSourceChoice } from "./preview-template";

export type { TemplateTestComparison };

/** How many of the compared version's most recent generated conversations its average is over. */
export const COMPARISON_SAMPLE = 50;

/** Everything one test shows. Money in USD, time in ms. */
export interface TemplateTestResult {
  summary: TemplateTestSummary;
  /** False for the simulated composer: the reply is not from a language model. */
  languageModel: boolean;
  source: ResolvedParameterSource | null;
  request: PreviewRequest | null;
  /** The reply as the model sent it, kept even when it is not valid conversation JSON. */
  rawReply: string | null;
  /** The parsed turns when the reply was valid. */
  turns: Turn[] | null;
  /** Why the reply (or the request) could not be used, in plain English; null when valid. */
  validationError: { code: string; message: string } | null;
  quality: QualityResult | null;
  inputTokens: number;
  outputTokens: number;
  comparison: TemplateTestComparison | null;
  /** True when the summary was stored as the saved version's last test (template_versions.last_test). */
  storedWithVersion: boolean;
  /** Why it was not stored with a version, in plain English; null when it was. */
  notStoredReason: string | null;
}

/** True when the draft's generation content equals a saved version's (what "tested this version" means). */
export function draftMatchesVersion(
  draft: Pick<TemplateDraft, "systemPrompt" | "templateText" | "maxTokens" | "temperature">,
  version: { systemPrompt: string; templateText: string; maxTokens: number; temperature: number },
): boolean {
  return draft.systemPrompt === version.systemPrompt && draft.templateText === version.templateText && draft.maxTokens === version.maxTokens && draft.temperature === version.temperature;
}

/**
 * Runs one test call. The parameters are resolved as the preview resolves them; a draft that cannot
 * be rendered makes no call (ok false, the reason in `summary.error`, no log row). Otherwise exactly
 * one provider call is made (no retries: a test shows what happened), its generation_logs row is
 * written (kind "template_test", no conversation, `templateId`/`version` when given), and the reply is
 * validated (validateReply) and scored (scoreReply). When `templateId` and `version` are given and the
 * draft equals that saved version, the summary is stored as its last test.
 *
 * @param templateId prompt_templates.id of the saved template, or null for an unsaved one
 * @param version the saved version the editor shows, or null
 * @throws AppError `conversation_not_found`, `sample_parameters_unavailable`; database errors. Provider
 *   errors do not throw: they come back as `summary.ok` false with the error's message.
 */
export async function testTemplateDraft(options: {
  db: Database;
  workspaceId: string;
  userId: string;
  draft: TemplateDraft;
  source: TemplateParameterSourceChoice;
  templateId: string | null;
  version: number | null;
  provider: LlmProvider;
  model: string;
  priceOverrides?: PriceOverrides;
  signal?: AbortSignal;
  now?: () => Date;
}): Promise<TemplateTestResult> {
  const { db, workspaceId, draft, provider, model } = options;
  const now = options.now ?? (() => new Date());
  const saved = options.templateId && options.version !== null ? await getTemplateVersionContent({ db, workspaceId, templateId: options.templateId, version: options.version }) : null;
  const templateId = saved ? options.templateId : null;
  const version = saved ? options.version : null;
  const comparison = await compareWith({ db, workspaceId, draft, templateId, simulated: !provider.isLanguageModel });

  const preview = await previewTemplateDraft({ db, workspaceId, draft, source: options.source, provider: provider.name, model, priceOverrides: options.priceOverrides });
  const base = { languageModel: provider.isLanguageModel, comparison, inputTokens: 0, outputTokens: 0, quality: null, turns: null };
  if (!preview.ok) {
    const summary: TemplateTestSummary = { ok: false, qualityScore: null, costUsd: null, latencyMs: 0, provider: provider.name, model, logId: null, error: preview.error.message, testedAt: now().toISOString() };
    return { ...base, summary, source: preview.source, request: null, rawReply: null, validationError: preview.error, storedWithVersion: false, notStoredReason: "Nothing was sent: fix the template first." };
  }

  const request = preview.request;
  const prompt = request.messages[0].content;
  const started = performance.now();
  let response: GenerationResponse | null = null;
  let callError: unknown = null;
  try {
    response = await provider.generate({
      model,
      system: request.system,
      prompt,
      cachePrefix: preview.cachePrefix || undefined,
      maxTokens: request.max_tokens,
      temperature: request.temperature,
      signal: options.signal,
      context: preview.context,
    });
  } catch (error) {
    callError = error;
  }
  const latencyMs = Math.round(performance.now() - started);
  const callCost = response
    ? costUsd(
        { model: response.model || model, inputTokens: response.inputTokens, outputTokens: response.outputTokens, cacheWriteTokens: response.cacheWriteTokens ?? 0, cacheReadTokens: response.cacheReadTokens ?? 0 },
        options.priceOverrides,
      )
    : 0;

  let turns: Turn[] | null = null;
  let quality: QualityResult | null = null;
  let validationError: unknown = callError;
  if (response && !callError) {
    try {
      turns = validateReply(response, request.max_tokens);
      quality = scoreReply(preview.context, turns, response);
    } catch (error) {
      validationError = error;
    }
  }
  // A test has no conversation: its raw reply is shown with the result and kept in the test's log row.
  const plainError = validationError ? toPlainError(validationError) : null;
  if (plainError) plainError.message = plainError.message.replace(RAW_REPLY_KEPT, "The raw reply is shown with the result and kept in the generation log.");

  const logId = await insertTemplateTestLog({
    db,
    workspaceId,
    values: {
      templateId,
      templateVersion: version,
      provider: provider.name,
      model: response?.model || model,
      requestPayload: (response?.rawRequest ?? request) as object,
      responsePayload: (response?.rawResponse ?? (plainError?.detail.body as object | undefined) ?? null) as object | null,
      parameters: {
        template: preview.parameters,
        source: preview.source,
        max_tokens: request.max_tokens,
        temperature: request.temperature,
        request_id: response?.requestId ?? null,
        stop_reason: response?.stopReason ?? null,
        cache: { write: response?.cacheWriteTokens ?? 0, read: response?.cacheReadTokens ?? 0 },
        quality_score: quality?.score ?? null,
      },
      costUsd: callCost,
      inputTokens: response?.inputTokens ?? 0,
      outputTokens: response?.outputTokens ?? 0,
      durationMs: latencyMs,
      errorCode: plainError?.code ?? null,
      errorMessage: plainError?.message ?? null,
      userId: options.userId,
    },
  });

  const testedAt = now();
  const summary: TemplateTestSummary = {
    ok: Boolean(turns),
    qualityScore: quality?.score ?? null,
    costUsd: response ? callCost : null,
    latencyMs,
    provider: provider.name,
    model: response?.model || model,
    logId,
    ...(plainError ? { error: plainError.message } : {}),
    testedAt: testedAt.toISOString(),
  };

  let storedWithVersion = false;
  let notStoredReason: string | null = "Save the template to keep this test with a version.";
  if (saved && templateId && version !== null) {
    if (draftMatchesVersion(draft, saved)) {
      await saveTemplateVersionTest({ db, templateId, version, summary: summary as unknown as Record<string, unknown>, testedAt });
      storedWithVersion = true;
      notStoredReason = null;
    } else {
      notStoredReason = `The editor has changes that are not in v${version}. Save the template to keep this test with a version.`;
    }
  }

  return {
    ...base,
    summary,
    source: preview.source,
    request,
    rawReply: response?.text ?? null,
    turns,
    quality,
    validationError: plainError ? { code: plainError.code, message: plainError.message } : null,
    inputTokens: response?.inputTokens ?? 0,
    outputTokens: response?.outputTokens ?? 0,
    storedWithVersion,
    notStoredReason,
  };
}

/**
 * What a test compares with: the saved template's current (active) version, else (an unsaved
 * template) the tier's active default template's current version; null when the tier has none.
 * Only that version's conversations of the same kind count: from a language model for a test through
 * one, from the simulated composer for a simulated test (their scores are not comparable).
 */
async function compareWith({
  db,
  workspaceId,
  draft,
  templateId,
  simulated,
}: {
  db: Database;
  workspaceId: string;
  draft: Pick<TemplateDraft, "tier">;
  templateId: string | null;
  /** Compare like with like: a simulated test with simulated conversations, a model's with a model's. */
  simulated: boolean;
}): Promise<TemplateTestComparison | null> {
  let target: { id: string; name: string; version: number } | null = null;
  if (templateId) {
    const content = await getCurrentVersionOf({ db, workspaceId, templateId });
    if (content) target = content;
  }
  if (!target) {
    const active = await getActiveTemplateOfTier({ db, workspaceId, tier: draft.tier });
    if (active) target = { id: active.id, name: active.name, version: active.currentVersion };
  }
  if (!target) return null;
  const recent = await getRecentVersionQuality({ db, workspaceId, templateId: target.id, version: target.version, simulated, limit: COMPARISON_SAMPLE });
  return { templateId: target.id, templateName: target.name, version: target.version, simulated, count: recent.count, averageQuality: recent.averageQuality };
}

async function getCurrentVersionOf({ db, workspaceId, templateId }: { db: Database; workspaceId: string; templateId: string }) {
  const row = await getTemplateWithCurrentVersionById({ db, id: templateId });
  if (!row || row.template.workspaceId !== workspaceId) return null;
  return { id: row.template.id, name: row.template.name, version: row.template.currentVersion };
}
