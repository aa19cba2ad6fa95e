"use server";
/**
 * Template preview and "Test Template" server actions (issue 11 items 3 and 5): list the
 * conversations a preview can use, resolve a draft into the exact request, send one test call.
 * Each takes `(workspaceSlug, input)`, validates with zod, checks the permission and returns an ActionResult.
 */
import { z } from "zod";
import { previewTemplateDraft, type TemplatePreview } from "@/core/templates/preview-template";
import { testTemplateDraft, type TemplateTestResult } from "@/core/templates/test-template";
import { TIERS } from "@/lib/constants";
import type { ActionResult } from "@/lib/dashboard-contract";
import { templateDraftSchema } from "@/lib/template-draft";
import { runAction } from "@/server/actions/action-result";
import { listPreviewConversations, type PreviewConversationOption } from "@/server/db/queries/template-tests";
import { readEngineSettings } from "@/server/env";
import { engineSettingsWithSettings, selectProviderWithSettings } from "@/server/settings/model-settings";
import { openWorkspace } from "@/server/workspace-context";

export type { PreviewConversationOption };

const sourceSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("conversation"), id: z.uuid("Choose a conversation from the list.") }),
  z.strictObject({ kind: z.literal("sample"), seed: z.number().int().min(0).max(1_000_000) }),
]);

const draftInput = z.strictObject({
  draft: templateDraftSchema,
  source: sourceSchema,
  templateId: z.uuid().nullable(),
  version: z.number().int().min(1).nullable(),
});

/** What the preview and test actions take: the unsaved draft, where its parameters come from, and the saved template/version the editor shows (or nulls). */
export type TemplateDraftActionInput = z.input<typeof draftInput>;

const listInput = z.strictObject({ tier: z.enum(TIERS), search: z.string().max(200).optional() });

/** Conversations of a tier the preview can be resolved for, planned ones first (permission "read"). */
export async function listPreviewConversationsAction(workspace: string, input: z.input<typeof listInput>): Promise<ActionResult<PreviewConversationOption[]>> {
  return runAction("listPreviewConversationsAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "read");
    const { tier, search } = listInput.parse(input);
    return listPreviewConversations({ db, workspaceId: ws.id, tier, search });
  });
}

/** A preview plus what the pane needs to say about the model: whether it is the simulated composer. */
export type TemplatePreviewData = TemplatePreview & { languageModel: boolean };

/**
 * Resolves the draft for the chosen parameters into the exact request (permission "read"; no API
 * call). The model and prices are the workspace's settings (Settings page, environment over them).
 */
export async function previewTemplateDraftAction(workspace: string, input: TemplateDraftActionInput): Promise<ActionResult<TemplatePreviewData>> {
  return runAction("previewTemplateDraftAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "read");
    const { draft, source } = draftInput.parse(input);
    const selection = await selectProviderWithSettings(db, ws.id);
    const { priceOverrides } = await engineSettingsWithSettings(db, ws.id, readEngineSettings());
    const preview = await previewTemplateDraft({ db, workspaceId: ws.id, draft, source, provider: selection.provider.name, model: selection.model, priceOverrides });
    return { ...preview, languageModel: selection.provider.isLanguageModel };
  });
}

/**
 * Sends one test request for the draft through the workspace's model (permission "generate": it
 * costs money), logs it as a "template_test" generation log, and keeps it as the saved version's
 * last test when the draft is that version unchanged.
 */
export async function testTemplateDraftAction(workspace: string, input: TemplateDraftActionInput): Promise<ActionResult<TemplateTestResult>> {
  return runAction("testTemplateDraftAction", async () => {
    const { db, user, workspace: ws } = await openWorkspace(workspace, "generate");
    const { draft, source, templateId, version } = draftInput.parse(input);
    const selection = await selectProviderWithSettings(db, ws.id);
    const { priceOverrides } = await engineSettingsWithSettings(db, ws.id, readEngineSettings());
    return testTemplateDraft({ db, workspaceId: ws.id, userId: user.id, draft, source, templateId, version, provider: selection.provider, model: selection.model, priceOverrides });
  });
}
