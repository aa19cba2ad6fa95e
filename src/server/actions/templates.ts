"use server";
/**
 * Prompt template server actions (issue 11; US7.1.1, US7.2.2): create, save, save as draft,
 * activate / deactivate, restore a version, make default, delete, and the workspace option "require a
 * successful test before activation". Each takes `(workspaceSlug, input)`, validates with zod, checks
 * the permission through openWorkspace (the one guard) and returns an ActionResult. The rules live in
 * src/core/templates/template-lifecycle.ts, applied by src/server/templates.ts.
 */
import { z } from "zod";
import type { ActionResult } from "@/lib/dashboard-contract";
import { runAction } from "@/server/actions/action-result";
import {
  activateTemplate,
  createTemplate,
  deactivateTemplate,
  deleteTemplate,
  makeTemplateDefault,
  restoreTemplateVersion,
  saveTemplate,
  setRequireTemplateTest,
  type TemplateContext,
  type TemplateSaveResult,
} from "@/server/templates";
import { openWorkspace } from "@/server/workspace-context";

const key = z.string().trim().min(1, "Choose a template.").max(200);
const changeNote = z.string().max(500, "Keep the change note under 500 characters.").optional();

async function context(workspace: string): Promise<TemplateContext> {
  const { db, workspace: ws, user } = await openWorkspace(workspace, "import");
  return { db, workspace: ws, userId: user.id };
}

const createInput = z.strictObject({ draft: z.unknown(), mode: z.enum(["save", "draft", "activate"]), changeNote });

/** Creates a template from the editor's draft (permission "import"): draft v1, or active with mode "activate". */
export async function createTemplateAction(workspace: string, input: z.input<typeof createInput>): Promise<ActionResult<TemplateSaveResult>> {
  return runAction("createTemplateAction", async () => {
    const ctx = await context(workspace);
    return createTemplate(ctx, createInput.parse(input));
  });
}

const saveInput = z.strictObject({ key, draft: z.unknown(), mode: z.enum(["save", "draft"]), changeNote });

/** Saves the editor's draft over a template (permission "import"): a new version when the prompt or settings changed. */
export async function saveTemplateAction(workspace: string, input: z.input<typeof saveInput>): Promise<ActionResult<TemplateSaveResult>> {
  return runAction("saveTemplateAction", async () => {
    const ctx = await context(workspace);
    return saveTemplate(ctx, saveInput.parse(input));
  });
}

const activateInput = z.strictObject({ key, version: z.number().int().positive().optional() });

/** Activates a template with the given (default: newest) version current (permission "import"). */
export async function activateTemplateAction(workspace: string, input: z.input<typeof activateInput>): Promise<ActionResult<TemplateSaveResult>> {
  return runAction("activateTemplateAction", async () => activateTemplate(await context(workspace), activateInput.parse(input)));
}

const keyInput = z.strictObject({ key });

/** Deactivates a template (permission "import"). */
export async function deactivateTemplateAction(workspace: string, input: z.input<typeof keyInput>): Promise<ActionResult<TemplateSaveResult>> {
  return runAction("deactivateTemplateAction", async () => deactivateTemplate(await context(workspace), keyInput.parse(input)));
}

const restoreInput = z.strictObject({ key, version: z.number().int().positive() });

/** Restores an old version as a new one (permission "import"). */
export async function restoreTemplateVersionAction(workspace: string, input: z.input<typeof restoreInput>): Promise<ActionResult<TemplateSaveResult>> {
  return runAction("restoreTemplateVersionAction", async () => restoreTemplateVersion(await context(workspace), restoreInput.parse(input)));
}

/** Makes a template the default of its tier (permission "import"). */
export async function makeTemplateDefaultAction(workspace: string, input: z.input<typeof keyInput>): Promise<ActionResult<TemplateSaveResult>> {
  return runAction("makeTemplateDefaultAction", async () => makeTemplateDefault(await context(workspace), keyInput.parse(input)));
}

/** Deletes a template (permission "import"); refused while it is the only active one of a tier with planned conversations. */
export async function deleteTemplateAction(workspace: string, input: z.input<typeof keyInput>): Promise<ActionResult<{ name: string }>> {
  return runAction("deleteTemplateAction", async () => deleteTemplate(await context(workspace), keyInput.parse(input)));
}

const requireTestInput = z.strictObject({ requireTemplateTest: z.boolean() });

/** Sets the workspace option "require a successful test before activation" (permission "import"). */
export async function setRequireTemplateTestAction(workspace: string, input: z.input<typeof requireTestInput>): Promise<ActionResult<{ requireTemplateTest: boolean }>> {
  return runAction("setRequireTemplateTestAction", async () => setRequireTemplateTest(await context(workspace), requireTestInput.parse(input)));
}
