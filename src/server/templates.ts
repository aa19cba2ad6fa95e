import "server-only";
/**
 * Prompt templates in the browser and the CLI (issue 11; US7.1.1, US7.2.2): the Templates page's
 * rows, the editor's data, and every lifecycle operation (create, save, activate, deactivate,
 * restore, make default, delete, the require-test option). The rules are
 * src/core/templates/template-lifecycle.ts; this module applies them through the queries, each
 * write in one transaction. The server actions (src/server/actions/templates.ts) and
 * `brightrun templates` both call it.
 */
import { createTwoFilesPatch } from "diff";
import { AppError } from "../core/errors";
import {
  activationRefusal,
  approvalRate,
  createOutcome,
  deletionRefusal,
  saveOutcome,
  templateContentChanged,
  templateKeyFromName,
  templateMetadataChanged,
  type TemplateSaveMode,
  type TemplateVersionContent,
} from "../core/templates/template-lifecycle";
import { validateTemplateText } from "../core/templates/validate-template";
import type { TemplateStatus, Tier } from "../lib/constants";
import { templateDraftSchema, type TemplateDraft, type TemplateTestSummary } from "../lib/template-draft";
import type { Database, DbOrTx } from "./db/client";
import {
  countTemplateDeletionFacts,
  deleteTemplateById,
  getTemplateByKey,
  getTemplateVersion,
  insertTemplate,
  insertTemplateVersion,
  listTemplateApplicabilityOptions,
  listTemplateKeys,
  listTemplateOverview,
  listTemplateVersions,
  setTemplateDefault,
  setWorkspaceRequireTemplateTest,
  updateTemplateById,
} from "./db/queries/templates";
import type { PromptTemplateRow, TemplateVersionRow, WorkspaceRow } from "./db/schema";
import { listTaxonomy } from "./db/queries/taxonomy";
import { openWorkspace } from "./workspace-context";

/** Who and where: the database, the workspace row and the user id of the one guard. */
export interface TemplateContext {
  db: Database;
  workspace: Pick<WorkspaceRow, "id" | "requireTemplateTest">;
  userId: string;
}

/** One row of the Templates page and of `brightrun templates list` (dates as ISO 8601). */
export interface TemplateListItem {
  id: string;
  key: string;
  name: string;
  tier: Tier;
  status: TemplateStatus;
  isDefault: boolean;
  currentVersion: number;
  /** Newest version; greater than currentVersion when a draft version waits to be activated. */
  latestVersion: number;
  updatedAt: string;
  usageCount: number;
  /** Mean quality score (1–10) of its scored conversations; null when none. */
  averageQuality: number | null;
  scoredCount: number;
  /** approved / (approved + rejected), 0–1; null when none reviewed. */
  approvalRate: number | null;
  approvedCount: number;
  rejectedCount: number;
}

/** One version in the editor's History and `templates show` (dates as ISO 8601). */
export interface TemplateVersionItem extends TemplateVersionContent {
  version: number;
  author: string;
  changeNote: string;
  createdAt: string;
  /** The version's last "Test Template", null when never tested. */
  lastTest: TemplateTestSummary | null;
  isCurrent: boolean;
}

/** A saved template as the editor shows it. */
export interface TemplateEditorTemplate {
  id: string;
  key: string;
  status: TemplateStatus;
  isDefault: boolean;
  currentVersion: number;
  latestVersion: number;
  updatedAt: string;
  /** The content of the newest version (what the editor opens with), and the template's fields. */
  draft: TemplateDraft;
}

/** Everything the editor page renders. */
export interface TemplateEditorData {
  /** Null for a new template. */
  template: TemplateEditorTemplate | null;
  versions: TemplateVersionItem[];
  options: { personas: Array<{ key: string; name: string }>; arcs: Array<{ key: string; name: string }> };
  requireTemplateTest: boolean;
  /** The workspace is archived: the editor is read-only. */
  archived: boolean;
  /** The workspace's own parameter values (they count as fixed text for prompt caching). */
  workspaceValues: { business_name: string; training_system_prompt: string };
}

/** A new template's starting content (the tier's fields are the person's to write). */
export function blankTemplateDraft(tier: Tier): TemplateDraft {
  return {
    name: "",
    description: "",
    tier,
    applicablePersonas: [],
    applicableArcs: [],
    systemPrompt: "",
    templateText: "",
    maxTokens: 2000,
    temperature: 0.7,
  };
}

function notFound(key: string): AppError {
  return new AppError("template_not_found", `There is no template "${key}" in this workspace. See the Templates page (or \`brightrun templates list\`).`);
}

async function requireTemplate(db: DbOrTx, workspaceId: string, key: string): Promise<PromptTemplateRow> {
  const row = await getTemplateByKey({ db, workspaceId, key });
  if (!row) throw notFound(key);
  return row;
}

async function requireVersion(db: DbOrTx, template: PromptTemplateRow, version: number): Promise<TemplateVersionRow> {
  const row = await getTemplateVersion({ db, templateId: template.id, version });
  if (!row) throw new AppError("template_version_not_found", `"${template.name}" has no version ${version}. Its History lists the versions it has.`);
  return row;
}

/** The stored last_test as a TemplateTestSummary, or null when absent or not of that shape. */
export function readLastTest(value: Record<string, unknown> | null): TemplateTestSummary | null {
  if (!value || typeof value.ok !== "boolean") return null;
  return value as unknown as TemplateTestSummary;
}

/**
 * Parses the editor's draft (templateDraftSchema) and runs the importer's validateTemplateText on
 * its text: errors block saving, warnings do not.
 * @throws ZodError for an invalid field; AppError "template_invalid" naming the first error with its line and column
 */
export function parseTemplateDraft(input: unknown): TemplateDraft {
  const draft = templateDraftSchema.parse(input);
  const errors = validateTemplateText(draft.templateText, draft.tier, { templateName: draft.name }).filter((p) => p.severity === "error");
  if (errors.length > 0) {
    const where = errors[0].line ? ` (line ${errors[0].line}, column ${errors[0].column})` : "";
    throw new AppError("template_invalid", `The template text has ${errors.length === 1 ? "a problem" : `${errors.length} problems`}; fix ${errors.length === 1 ? "it" : "them"} before saving. First${where}: ${errors[0].message}`);
  }
  return draft;
}

/**
 * Refuses applicability keys that name no persona / emotional arc of the workspace (archived ones
 * count: a template may keep naming an entry archived since).
 * @throws AppError "template_invalid" naming the unknown keys
 */
async function checkApplicability(tx: DbOrTx, workspaceId: string, draft: Pick<TemplateDraft, "applicablePersonas" | "applicableArcs">): Promise<void> {
  if (draft.applicablePersonas.length === 0 && draft.applicableArcs.length === 0) return;
  const taxonomy = await listTaxonomy({ db: tx, workspaceId });
  const problems: string[] = [];
  const unknown = (keys: string[], rows: Array<{ key: string }>) => keys.filter((k) => !rows.some((r) => r.key === k));
  const personas = unknown(draft.applicablePersonas, taxonomy.personas);
  const arcs = unknown(draft.applicableArcs, taxonomy.emotionalArcs);
  if (personas.length) problems.push(`persona${personas.length === 1 ? "" : "s"} ${personas.join(", ")}`);
  if (arcs.length) problems.push(`emotional arc${arcs.length === 1 ? "" : "s"} ${arcs.join(", ")}`);
  if (problems.length) throw new AppError("template_invalid", `This workspace has no ${problems.join(" and no ")}. Choose the template's personas and arcs from the lists (none chosen = all).`);
}

function versionItem(row: TemplateVersionRow, currentVersion: number): TemplateVersionItem {
  return {
    version: row.version,
    author: row.author,
    changeNote: row.changeNote,
    createdAt: row.createdAt.toISOString(),
    lastTest: readLastTest(row.lastTest),
    isCurrent: row.version === currentVersion,
    systemPrompt: row.systemPrompt,
    templateText: row.templateText,
    maxTokens: row.maxTokens,
    temperature: row.temperature,
  };
}

/** Every template of the workspace with the list's figures (one query). */
export async function listTemplateItems({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<TemplateListItem[]> {
  const rows = await listTemplateOverview({ db, workspaceId });
  return rows.map((r) => ({
    id: r.template.id,
    key: r.template.key,
    name: r.template.name,
    tier: r.template.tier,
    status: r.template.status,
    isDefault: r.template.isDefault,
    currentVersion: r.template.currentVersion,
    latestVersion: r.latestVersion,
    updatedAt: r.template.updatedAt.toISOString(),
    usageCount: r.usageCount,
    averageQuality: r.averageQuality,
    scoredCount: r.scoredCount,
    approvalRate: approvalRate({ approved: r.approvedCount, rejected: r.rejectedCount }),
    approvedCount: r.approvedCount,
    rejectedCount: r.rejectedCount,
  }));
}

/**
 * The Templates page: every template with its figures and the workspace's require-test option.
 * @throws AppError "forbidden" without "read", "workspace_not_found"
 */
export async function loadTemplatesPage(workspaceSlug: string): Promise<{ templates: TemplateListItem[]; requireTemplateTest: boolean; archived: boolean }> {
  const { db, workspace } = await openWorkspace(workspaceSlug, "read");
  return { templates: await listTemplateItems({ db, workspaceId: workspace.id }), requireTemplateTest: workspace.requireTemplateTest, archived: workspace.archivedAt !== null };
}

/** A template's editor data: its row and newest version as a draft, every version, the applicability options. */
export async function getTemplateEditorData({
  db,
  workspace,
  key,
}: {
  db: DbOrTx;
  workspace: Pick<WorkspaceRow, "id" | "requireTemplateTest" | "businessName" | "trainingSystemPrompt" | "archivedAt">;
  key: string | null;
}): Promise<TemplateEditorData> {
  const options = await listTemplateApplicabilityOptions({ db, workspaceId: workspace.id });
  const workspaceValues = { business_name: workspace.businessName, training_system_prompt: workspace.trainingSystemPrompt };
  if (key === null) return { template: null, versions: [], options, requireTemplateTest: workspace.requireTemplateTest, workspaceValues, archived: workspace.archivedAt !== null };
  const row = await requireTemplate(db, workspace.id, key);
  const versions = await listTemplateVersions({ db, templateId: row.id });
  const newest = versions[0];
  return {
    template: {
      id: row.id,
      key: row.key,
      status: row.status,
      isDefault: row.isDefault,
      currentVersion: row.currentVersion,
      latestVersion: newest?.version ?? row.currentVersion,
      updatedAt: row.updatedAt.toISOString(),
      draft: {
        name: row.name,
        description: row.description,
        tier: row.tier,
        applicablePersonas: row.applicablePersonas,
        applicableArcs: row.applicableArcs,
        systemPrompt: newest?.systemPrompt ?? "",
        templateText: newest?.templateText ?? "",
        maxTokens: newest?.maxTokens ?? 2000,
        temperature: newest?.temperature ?? 0.7,
      },
    },
    versions: versions.map((v) => versionItem(v, row.currentVersion)),
    options,
    requireTemplateTest: workspace.requireTemplateTest,
    workspaceValues,
    archived: workspace.archivedAt !== null,
  };
}

/**
 * The editor page's data for template `key` (null = a new template).
 * @throws AppError "forbidden", "workspace_not_found", "template_not_found"
 */
export async function loadTemplateEditor(workspaceSlug: string, key: string | null): Promise<TemplateEditorData> {
  const { db, workspace } = await openWorkspace(workspaceSlug, "read");
  return getTemplateEditorData({ db, workspace, key });
}

/** What a save did, for the toast and the page's refresh. */
export interface TemplateSaveResult {
  key: string;
  name: string;
  status: TemplateStatus;
  currentVersion: number;
  /** The version written, null when only the template's fields changed (or nothing). */
  newVersion: number | null;
  /** Plain-English summary: "Saved v2; it is in use now." */
  message: string;
}

/**
 * Creates a template from the editor's draft: key from the name (unique, fixed afterwards), version 1
 * by `userId`, status draft, or active with `mode` "activate" (refused while the workspace requires a
 * test before activation).
 * @throws ZodError / AppError "template_invalid" (parseTemplateDraft), AppError "template_test_required"
 */
export async function createTemplate(ctx: TemplateContext, input: { draft: unknown; mode: TemplateSaveMode; changeNote?: string }): Promise<TemplateSaveResult> {
  const draft = parseTemplateDraft(input.draft);
  const outcome = createOutcome({ mode: input.mode, requireTest: ctx.workspace.requireTemplateTest });
  if ("refusal" in outcome) throw new AppError("template_test_required", outcome.refusal);
  return ctx.db.transaction(async (tx) => {
    await checkApplicability(tx, ctx.workspace.id, draft);
    const key = templateKeyFromName(draft.name, await listTemplateKeys({ db: tx, workspaceId: ctx.workspace.id }));
    const row = await insertTemplate({
      db: tx,
      workspaceId: ctx.workspace.id,
      values: { key, name: draft.name.trim(), tier: draft.tier, description: draft.description, status: outcome.status, applicablePersonas: draft.applicablePersonas, applicableArcs: draft.applicableArcs },
    });
    await insertTemplateVersion({ db: tx, templateId: row.id, values: { version: 1, ...content(draft), author: ctx.userId, changeNote: (input.changeNote ?? "").trim() } });
    return {
      key,
      name: row.name,
      status: row.status,
      currentVersion: 1,
      newVersion: 1,
      message: outcome.status === "active" ? `Created "${row.name}" (v1) and activated it.` : `Created "${row.name}" as a draft (v1). Activate it when it is ready.`,
    };
  });
}

function content(draft: TemplateVersionContent): TemplateVersionContent {
  return { systemPrompt: draft.systemPrompt, templateText: draft.templateText, maxTokens: draft.maxTokens, temperature: draft.temperature };
}

/** Adds version N+1 with `values`; current or not as saveOutcome says. Runs inside the caller's transaction. */
async function addVersion(
  tx: DbOrTx,
  ctx: TemplateContext,
  row: PromptTemplateRow,
  values: TemplateVersionContent,
  { mode, changeNote, fields }: { mode: "save" | "draft"; changeNote: string; fields: Parameters<typeof updateTemplateById>[0]["values"] },
): Promise<TemplateSaveResult> {
  const versions = await listTemplateVersions({ db: tx, templateId: row.id });
  const version = (versions[0]?.version ?? 0) + 1;
  await insertTemplateVersion({ db: tx, templateId: row.id, values: { version, ...values, author: ctx.userId, changeNote } });
  const { makeCurrent } = saveOutcome({ mode, status: row.status, requireTest: ctx.workspace.requireTemplateTest });
  const updated = (await updateTemplateById({ db: tx, workspaceId: ctx.workspace.id, id: row.id, values: { ...fields, ...(makeCurrent ? { currentVersion: version } : {}) } }))!;
  let message: string;
  if (makeCurrent) message = row.status === "active" ? `Saved v${version}; generation uses it from now on.` : `Saved v${version}.`;
  else if (mode === "draft") message = `Saved v${version} as a draft version, not in use; v${updated.currentVersion} stays current. Activate v${version} when it is ready.`;
  else message = `Saved v${version} as a draft version, not in use; v${updated.currentVersion} stays in use. This workspace requires a successful test before activation: test v${version}, then activate it.`;
  return { key: row.key, name: updated.name, status: updated.status, currentVersion: updated.currentVersion, newVersion: version, message };
}

/**
 * Saves the editor's draft over template `key`. Content changed (system prompt, text, max_tokens,
 * temperature, compared with the newest version) → version N+1 by `userId` with `changeNote`,
 * current or a draft version as saveOutcome rules; otherwise only the template's fields change
 * (no new version). The key never changes.
 * @throws ZodError / AppError "template_invalid", AppError "template_not_found"
 */
export async function saveTemplate(ctx: TemplateContext, input: { key: string; draft: unknown; mode: "save" | "draft"; changeNote?: string }): Promise<TemplateSaveResult> {
  const draft = parseTemplateDraft(input.draft);
  return ctx.db.transaction(async (tx) => {
    const row = await requireTemplate(tx, ctx.workspace.id, input.key);
    await checkApplicability(tx, ctx.workspace.id, draft);
    const newest = (await listTemplateVersions({ db: tx, templateId: row.id }))[0];
    const fields = { name: draft.name.trim(), description: draft.description, tier: draft.tier, applicablePersonas: draft.applicablePersonas, applicableArcs: draft.applicableArcs };
    if (!newest || templateContentChanged(newest, draft)) {
      return addVersion(tx, ctx, row, content(draft), { mode: input.mode, changeNote: (input.changeNote ?? "").trim(), fields });
    }
    const metaChanged = templateMetadataChanged({ ...fields }, { name: row.name, description: row.description, tier: row.tier, applicablePersonas: row.applicablePersonas, applicableArcs: row.applicableArcs });
    if (!metaChanged) return { key: row.key, name: row.name, status: row.status, currentVersion: row.currentVersion, newVersion: null, message: "Nothing changed since the last save." };
    const updated = (await updateTemplateById({ db: tx, workspaceId: ctx.workspace.id, id: row.id, values: fields }))!;
    return { key: row.key, name: updated.name, status: updated.status, currentVersion: updated.currentVersion, newVersion: null, message: `Saved the details of "${updated.name}" (no new version: the prompt did not change).` };
  });
}

/**
 * Makes template `key` active with version `version` (default: its newest) current.
 * @throws AppError "template_not_found", "template_version_not_found", "template_test_required"
 *   (the workspace requires a successful test and that version's last test is not ok)
 */
export async function activateTemplate(ctx: TemplateContext, input: { key: string; version?: number }): Promise<TemplateSaveResult> {
  return ctx.db.transaction(async (tx) => {
    const row = await requireTemplate(tx, ctx.workspace.id, input.key);
    const version = input.version ?? (await listTemplateVersions({ db: tx, templateId: row.id }))[0]?.version ?? row.currentVersion;
    const target = await requireVersion(tx, row, version);
    const refusal = activationRefusal({ requireTest: ctx.workspace.requireTemplateTest, version: { version, lastTest: target.lastTest } });
    if (refusal) throw new AppError("template_test_required", refusal);
    const updated = (await updateTemplateById({ db: tx, workspaceId: ctx.workspace.id, id: row.id, values: { status: "active", currentVersion: version } }))!;
    return { key: row.key, name: updated.name, status: "active", currentVersion: version, newVersion: null, message: `Activated "${updated.name}" v${version}: generation uses it from now on.` };
  });
}

/**
 * Makes template `key` inactive: planning and generation stop choosing it; its conversations keep it.
 * @throws AppError "template_not_found"
 */
export async function deactivateTemplate(ctx: TemplateContext, input: { key: string }): Promise<TemplateSaveResult> {
  const row = await requireTemplate(ctx.db, ctx.workspace.id, input.key);
  const updated = (await updateTemplateById({ db: ctx.db, workspaceId: ctx.workspace.id, id: row.id, values: { status: "inactive" } }))!;
  return { key: row.key, name: updated.name, status: "inactive", currentVersion: updated.currentVersion, newVersion: null, message: `Deactivated "${updated.name}": it is no longer used for new conversations.` };
}

/**
 * Restores version `version` of template `key` as a new version N+1 with its content (then the
 * same rule as Save: current at once, or a draft version while a test is required for an active template).
 * @throws AppError "template_not_found", "template_version_not_found"
 */
export async function restoreTemplateVersion(ctx: TemplateContext, input: { key: string; version: number }): Promise<TemplateSaveResult> {
  return ctx.db.transaction(async (tx) => {
    const row = await requireTemplate(tx, ctx.workspace.id, input.key);
    const source = await requireVersion(tx, row, input.version);
    const result = await addVersion(tx, ctx, row, content(source), { mode: "save", changeNote: `Restored from v${input.version}.`, fields: {} });
    return { ...result, message: `Restored v${input.version} as v${result.newVersion}. ${result.message}` };
  });
}

/**
 * Makes template `key` the default of its tier (the tier's other templates lose the flag).
 * @throws AppError "template_not_found"
 */
export async function makeTemplateDefault(ctx: TemplateContext, input: { key: string }): Promise<TemplateSaveResult> {
  return ctx.db.transaction(async (tx) => {
    const row = await requireTemplate(tx, ctx.workspace.id, input.key);
    await setTemplateDefault({ db: tx, workspaceId: ctx.workspace.id, id: row.id, tier: row.tier });
    const hint = row.status === "active" ? "" : " It is not active yet: activate it so planning can use it.";
    return { key: row.key, name: row.name, status: row.status, currentVersion: row.currentVersion, newVersion: null, message: `"${row.name}" is now the default template of its tier.${hint}` };
  });
}

/**
 * Deletes template `key` and its versions; conversations that used it keep their text (their
 * template link becomes empty). Refused by deletionRefusal.
 * @throws AppError "template_not_found", "template_in_use"
 */
export async function deleteTemplate(ctx: TemplateContext, input: { key: string }): Promise<{ name: string }> {
  return ctx.db.transaction(async (tx) => {
    const row = await requireTemplate(tx, ctx.workspace.id, input.key);
    const facts = await countTemplateDeletionFacts({ db: tx, workspaceId: ctx.workspace.id, id: row.id, tier: row.tier });
    const refusal = deletionRefusal({ name: row.name, tier: row.tier, status: row.status, ...facts });
    if (refusal) throw new AppError("template_in_use", refusal, { detail: facts });
    await deleteTemplateById({ db: tx, workspaceId: ctx.workspace.id, id: row.id });
    return { name: row.name };
  });
}

/** Turns the workspace option "require a successful test before activation" on or off. */
export async function setRequireTemplateTest(ctx: TemplateContext, input: { requireTemplateTest: boolean }): Promise<{ requireTemplateTest: boolean }> {
  await setWorkspaceRequireTemplateTest({ db: ctx.db, workspaceId: ctx.workspace.id, requireTemplateTest: input.requireTemplateTest });
  return { requireTemplateTest: input.requireTemplateTest };
}

/** A version as diffable text: the settings, then the system prompt, then the template text. */
export function templateVersionText(v: TemplateVersionContent): string {
  return `max_tokens: ${v.maxTokens}\ntemperature: ${v.temperature}\n\n--- system prompt ---\n${v.systemPrompt}\n\n--- template text ---\n${v.templateText}\n`;
}

/**
 * The unified diff (createTwoFilesPatch of the `diff` package) between versions `a` and `b` of
 * template `key`, over templateVersionText.
 * @throws AppError "template_not_found", "template_version_not_found"
 */
export async function diffTemplateVersions({ db, workspaceId, key, a, b }: { db: DbOrTx; workspaceId: string; key: string; a: number; b: number }): Promise<string> {
  const row = await requireTemplate(db, workspaceId, key);
  const [va, vb] = [await requireVersion(db, row, a), await requireVersion(db, row, b)];
  return createTwoFilesPatch(`${key} v${a}`, `${key} v${b}`, templateVersionText(va), templateVersionText(vb), va.createdAt.toISOString(), vb.createdAt.toISOString());
}
