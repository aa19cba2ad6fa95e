import "server-only";
/**
 * Workspaces (issue 9 item 1): one business each, named by a slug in URLs (`/w/<slug>/…`) and on
 * the CLI (`--workspace SLUG`). The one home of the workspace rules — how a slug is made, which
 * workspace a command means, when a workspace may be deleted, which document categories it offers,
 * when the sample is loaded (once per installation) — for the web, the CLI and the server's first
 * start alike.
 */
import type { DbOrTx, Database } from "./db/client";
import { claimSampleLoaded, clearSampleLoaded, getInstallation } from "./db/queries/installation";
import {
  countWorkspaceContents,
  deleteWorkspaceById,
  getWorkspaceBySlug,
  insertWorkspace,
  listWorkspaces,
  updateWorkspace,
  type WorkspaceCounts,
} from "./db/queries/workspace";
import type { WorkspaceRow } from "./db/schema";
import { checkTierRules, type TierRules } from "../core/review/review-rules";
import { checkRetentionSettings, type RetentionSettings } from "../core/retention/retention-policy";
import { installStarterTemplates } from "../core/templates/install-starter-templates";
import { AppError } from "./errors";
import { memberWorkspaceIds } from "./accounts/accounts";
import { recordSettingsChanges, type SettingsActor } from "./settings/settings-audit";
import { DEFAULT_DOCUMENT_CATEGORIES, documentCategoryListSchema, type DocumentCategoryList } from "../lib/document-categories";
import { newWorkspaceSchema, slugify, WORKSPACE_SLUG_PATTERN, type NewWorkspaceInput } from "../lib/workspace-slug";

export type { DocumentCategoryList, WorkspaceRow };

/** The bundled sample business, loaded into its own workspace on a fresh install. */
export const SAMPLE_WORKSPACE = {
  slug: "harbor-pine-sample",
  name: "Harbor & Pine Financial Planning — sample",
} as const;

/** The environment variable naming the CLI's default workspace. */
export const WORKSPACE_ENV = "BRIGHTRUN_WORKSPACE";

/** A workspace as the switcher and `brightrun workspaces list` show it. */
export interface WorkspaceSummary {
  id: string;
  slug: string;
  name: string;
  businessName: string;
  isSample: boolean;
  archived: boolean;
  documents: number;
  conversations: number;
  openRuns: number;
}

function summarize(row: WorkspaceRow, counts: WorkspaceCounts | undefined): WorkspaceSummary {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    businessName: row.businessName,
    isSample: row.isSample,
    archived: row.archivedAt !== null,
    documents: counts?.documents ?? 0,
    conversations: counts?.conversations ?? 0,
    openRuns: counts?.openRuns ?? 0,
  };
}

/** A workspace as the header's switcher lists it (no counts: it is read on every page). */
export interface WorkspaceChoice {
  slug: string;
  name: string;
  isSample: boolean;
  archived: boolean;
}

/** Every workspace for the switcher and the start page: one small read, sample last, then by name. */
export async function listWorkspaceChoices(db: DbOrTx, viewer?: { id: string; isInstallationOwner: boolean }): Promise<WorkspaceChoice[]> {
  const rows = await listWorkspaces({ db });
  // An account that is not the installation owner sees the workspaces it is a member of.
  const visible = viewer && !viewer.isInstallationOwner ? await memberWorkspaceIds(db, viewer.id) : null;
  return rows.filter((row) => !visible || visible.has(row.id)).map((row) => ({ slug: row.slug, name: row.name, isSample: row.isSample, archived: row.archivedAt !== null }));
}

/** Every workspace with what it holds (archived ones too unless `activeOnly`): counts over every conversation, for the CLI's list. */
export async function listWorkspaceSummaries(db: DbOrTx, options: { activeOnly?: boolean } = {}): Promise<WorkspaceSummary[]> {
  const [rows, counts] = await Promise.all([listWorkspaces({ db, activeOnly: options.activeOnly }), countWorkspaceContents({ db })]);
  return rows.map((row) => summarize(row, counts.get(row.id)));
}

async function freeSlug(db: DbOrTx, base: string): Promise<string> {
  const stem = base || "workspace";
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? stem : `${stem.slice(0, 44)}-${n}`;
    if (!(await getWorkspaceBySlug({ db, slug: candidate }))) return candidate;
  }
}

/**
 * Creates a workspace with no documents, taxonomy or plan, and the project's starter prompt template
 * for each tier (installStarterTemplates; not for the sample, which imports its own).
 * @param input name (required), slug (optional: made from the name, with "-2", "-3"… when taken),
 *   business name (default: the name), what it does, its voice (the training system prompt)
 * @throws ZodError for a bad field; AppError "workspace_slug_invalid" / "workspace_slug_taken"
 */
export async function createWorkspace(db: DbOrTx, input: NewWorkspaceInput & { isSample?: boolean }): Promise<WorkspaceRow> {
  const { isSample, ...fields } = input;
  const parsed = newWorkspaceSchema.parse(fields);
  let slug: string;
  if (parsed.slug) {
    if (!WORKSPACE_SLUG_PATTERN.test(parsed.slug)) {
      throw new AppError("workspace_slug_invalid", `"${parsed.slug}" can't be a workspace's short name: use lower-case letters and digits, with single dashes between them.`);
    }
    if (await getWorkspaceBySlug({ db, slug: parsed.slug })) {
      throw new AppError("workspace_slug_taken", `A workspace is already called "${parsed.slug}". Choose another short name.`);
    }
    slug = parsed.slug;
  } else {
    slug = await freeSlug(db, slugify(parsed.name));
  }
  return db.transaction(async (tx) => {
    const row = await insertWorkspace({
      db: tx,
      values: {
        slug,
        name: parsed.name,
        businessName: parsed.businessName || parsed.name,
        description: parsed.description,
        trainingSystemPrompt: parsed.trainingSystemPrompt,
        isSample: isSample ?? false,
      },
    });
    // The sample brings its own templates; every other workspace starts with the project's.
    if (!isSample) await installStarterTemplates({ db: tx, workspaceId: row.id });
    return row;
  });
}

/**
 * The workspace with this slug.
 * @throws AppError "workspace_not_found" naming the workspaces there are
 */
export async function getWorkspaceOrThrow(db: DbOrTx, slug: string): Promise<WorkspaceRow> {
  const row = await getWorkspaceBySlug({ db, slug });
  if (row) return row;
  const all = await listWorkspaces({ db });
  throw new AppError(
    "workspace_not_found",
    all.length
      ? `There is no workspace "${slug}". Workspaces: ${all.map((w) => w.slug).join(", ")}.`
      : `There is no workspace "${slug}": none exists yet. Create one with \`brightrun workspaces create "Business name"\` or in the web app.`,
  );
}

/**
 * The workspace a CLI command works in: `--workspace SLUG`, else $BRIGHTRUN_WORKSPACE, else the only
 * active workspace. With none at all and `createIfNone`, a workspace of that name is created (so
 * `brightrun import` on a fresh data directory just works).
 * @throws AppError "workspace_not_found"; "workspace_ambiguous" when several exist and none is named;
 *   "workspace_archived" when the one named is archived and `allowArchived` is not set
 */
export async function resolveCommandWorkspace(
  db: DbOrTx,
  options: { slug?: string; env?: Record<string, string | undefined>; createIfNone?: NewWorkspaceInput & { isSample?: boolean }; allowArchived?: boolean },
): Promise<WorkspaceRow> {
  const named = options.slug?.trim() || options.env?.[WORKSPACE_ENV]?.trim();
  if (named) {
    const row = await getWorkspaceOrThrow(db, named);
    if (row.archivedAt && !options.allowArchived) {
      throw new AppError("workspace_archived", `The workspace "${row.slug}" is archived. Restore it first: brightrun workspaces restore ${row.slug}`);
    }
    return row;
  }
  const active = await listWorkspaces({ db, activeOnly: true });
  if (active.length === 1) return active[0];
  if (active.length === 0) {
    if (options.createIfNone) {
      if (options.createIfNone.isSample) return (await ensureSampleWorkspace(db)).workspace;
      return createWorkspace(db, options.createIfNone);
    }
    throw new AppError(
      "workspace_not_found",
      "There is no workspace yet. Create one with `brightrun workspaces create \"Business name\"` (or in the web app), or load the sample with `brightrun init`.",
    );
  }
  throw new AppError(
    "workspace_ambiguous",
    `There are ${active.length} workspaces (${active.map((w) => w.slug).join(", ")}). Say which one with --workspace SLUG or ${WORKSPACE_ENV}=SLUG.`,
  );
}

/** The sample workspace, created when missing. */
export async function ensureSampleWorkspace(db: DbOrTx): Promise<{ workspace: WorkspaceRow; created: boolean }> {
  const existing = await getWorkspaceBySlug({ db, slug: SAMPLE_WORKSPACE.slug });
  if (existing) return { workspace: existing, created: false };
  const workspace = await createWorkspace(db, { name: SAMPLE_WORKSPACE.name, slug: SAMPLE_WORKSPACE.slug, businessName: "Harbor & Pine Financial Planning", isSample: true });
  return { workspace, created: true };
}

/**
 * Renames a workspace (and, when `slug` is given, changes its short name: old links stop working).
 * @throws ZodError for a bad name; AppError "workspace_not_found", "workspace_slug_invalid", "workspace_slug_taken"
 */
export async function renameWorkspace(db: DbOrTx, slug: string, input: { name: string; slug?: string }): Promise<WorkspaceRow> {
  const row = await getWorkspaceOrThrow(db, slug);
  const { name } = newWorkspaceSchema.pick({ name: true }).parse({ name: input.name });
  const nextSlug = input.slug?.trim();
  if (nextSlug && nextSlug !== row.slug) {
    if (!WORKSPACE_SLUG_PATTERN.test(nextSlug)) {
      throw new AppError("workspace_slug_invalid", `"${nextSlug}" can't be a workspace's short name: use lower-case letters and digits, with single dashes between them.`);
    }
    if (await getWorkspaceBySlug({ db, slug: nextSlug })) throw new AppError("workspace_slug_taken", `A workspace is already called "${nextSlug}". Choose another short name.`);
  }
  await updateWorkspace({ db, id: row.id, values: { name, ...(nextSlug ? { slug: nextSlug } : {}) } });
  return { ...row, name, slug: nextSlug || row.slug };
}

/**
 * Archives (hides from the switcher and from the CLI's default) or restores a workspace. Its data
 * stays; an archived workspace's pages still open read-only by URL.
 * @throws AppError "workspace_not_found"; "workspace_busy" when archiving one with an unfinished run
 */
export async function setWorkspaceArchived(db: DbOrTx, slug: string, archived: boolean): Promise<WorkspaceRow> {
  const row = await getWorkspaceOrThrow(db, slug);
  if (archived) refuseWhileRunsOpen(row, await contentsOf(db, row), "archived");
  const archivedAt = archived ? (row.archivedAt ?? new Date()) : null;
  await updateWorkspace({ db, id: row.id, values: { archivedAt } });
  return { ...row, archivedAt };
}

/** What the workspace holds (one workspace's counts only). */
async function contentsOf(db: DbOrTx, row: WorkspaceRow): Promise<WorkspaceCounts | undefined> {
  return (await countWorkspaceContents({ db, workspaceId: row.id })).get(row.id);
}

/** @throws AppError "workspace_busy" when `counts` has unfinished runs; `what` ends the message ("archived", "deleted"). */
function refuseWhileRunsOpen(row: WorkspaceRow, counts: WorkspaceCounts | undefined, what: string): void {
  if (counts?.openRuns) {
    throw new AppError(
      "workspace_busy",
      `"${row.name}" has ${counts.openRuns === 1 ? "a generation run" : `${counts.openRuns} generation runs`} not finished (running or paused). Cancel ${counts.openRuns === 1 ? "it" : "them"} first; then it can be ${what}.`,
    );
  }
}

/** What deleting a workspace removed. */
export interface WorkspaceDeletion {
  slug: string;
  name: string;
  documents: number;
  conversations: number;
}

/**
 * Deletes a workspace and everything in it — documents, chunks, taxonomy, scenarios, templates,
 * conversations, runs, logs, presets, settings — in one transaction. Export files already written
 * to disk are not touched.
 * @param confirmName must equal the workspace's name exactly (the typed confirmation)
 * @throws AppError "workspace_not_found"; "confirmation_invalid" when the typed name differs;
 *   "workspace_busy" while a run is unfinished
 */
export async function deleteWorkspace(db: Database, slug: string, confirmName: string): Promise<WorkspaceDeletion> {
  return db.transaction(async (tx) => {
    const row = await getWorkspaceOrThrow(tx, slug);
    if (confirmName.trim() !== row.name) {
      throw new AppError("confirmation_invalid", `To delete this workspace, type its name exactly: ${row.name}`);
    }
    const counts = await contentsOf(tx, row);
    refuseWhileRunsOpen(row, counts, "deleted");
    await deleteWorkspaceById({ db: tx, workspaceId: row.id });
    return { slug: row.slug, name: row.name, documents: counts?.documents ?? 0, conversations: counts?.conversations ?? 0 };
  });
}

/** The document categories a workspace offers (null in the row = DEFAULT_DOCUMENT_CATEGORIES). */
export function documentCategoriesOf(row: Pick<WorkspaceRow, "documentCategories">): DocumentCategoryList {
  return row.documentCategories ? { categories: [...row.documentCategories], isDefault: false } : { categories: [...DEFAULT_DOCUMENT_CATEGORIES], isDefault: true };
}

/**
 * Saves a workspace's document category list (Settings → Workspace, `brightrun workspaces
 * categories SLUG --set`), or `null` to go back to the built-in list. Documents keep their own
 * category: removing or renaming an entry changes no document, and a category still used by a
 * document is still offered on the Documents page.
 * @param categories names in the order to offer them; checked by documentCategoryListSchema
 *   (1–60 characters each after trimming, no duplicates ignoring capital letters, at most 50)
 * The change is written to the settings audit by `user` in the same transaction.
 * @returns the list now in effect
 * @throws AppError "document_categories_invalid" naming the first bad entry and what to do;
 *   "workspace_not_found"; "workspace_archived" (an archived workspace is read-only)
 */
export async function setDocumentCategories(db: DbOrTx, slug: string, categories: string[] | null, user: SettingsActor): Promise<DocumentCategoryList> {
  const row = await getWorkspaceOrThrow(db, slug);
  if (row.archivedAt) {
    throw new AppError("workspace_archived", `"${row.name}" is archived, so its categories can't be changed. Restore it first.`);
  }
  let list: string[] | null = null;
  if (categories !== null) {
    const parsed = documentCategoryListSchema.safeParse(categories);
    if (!parsed.success) {
      throw new AppError("document_categories_invalid", parsed.error.issues[0]?.message ?? "The category list is not valid.", {
        detail: { issues: parsed.error.issues.map((i) => ({ path: i.path, message: i.message })) },
      });
    }
    list = parsed.data;
  }
  await db.transaction(async (tx) => {
    await updateWorkspace({ db: tx, id: row.id, values: { documentCategories: list } });
    await recordSettingsChanges(tx, { workspaceId: row.id, user, changes: [{ setting: "documents.categories", oldValue: row.documentCategories, newValue: list }] });
  });
  return documentCategoriesOf({ documentCategories: list });
}

/**
 * Saves the workspace's tier rules (issue 10 item 6): the minimum approval score and the edge-case
 * bar, quality scores 1–10. Existing reviews are not changed; the new bars apply to the next
 * approval, the quality badges and the Needs Review filter. Changes go to the settings audit by `user`.
 * @throws AppError "settings_invalid" (a bar outside 1–10, checkTierRules), "workspace_not_found",
 *   "workspace_archived"
 */
export async function setTierRules(db: DbOrTx, slug: string, rules: TierRules, user: SettingsActor): Promise<TierRules> {
  const row = await getWorkspaceOrThrow(db, slug);
  if (row.archivedAt) {
    throw new AppError("workspace_archived", `"${row.name}" is archived, so its tier rules can't be changed. Restore it first.`);
  }
  const checked = checkTierRules(rules);
  await db.transaction(async (tx) => {
    await updateWorkspace({ db: tx, id: row.id, values: { minApprovalScore: checked.minApprovalScore, edgeCaseMinScore: checked.edgeCaseMinScore } });
    await recordSettingsChanges(tx, {
      workspaceId: row.id,
      user,
      changes: [
        { setting: "quality.minApprovalScore", oldValue: row.minApprovalScore, newValue: checked.minApprovalScore },
        { setting: "quality.edgeCaseMinScore", oldValue: row.edgeCaseMinScore, newValue: checked.edgeCaseMinScore },
      ],
    });
  });
  return checked;
}

/**
 * Saves the workspace's retention settings (issue 13 item 6; docs/retention.md): days to keep
 * generation logs and exports, days after which payloads are dropped (null = kept as long as the
 * row), and PII redaction of new payloads. The next retention pass applies the windows. Changes go
 * to the settings audit by `user`, in the same transaction.
 * @throws AppError "settings_invalid" (checkRetentionSettings names the field), "workspace_not_found",
 *   "workspace_archived"
 */
export async function setRetentionSettings(db: DbOrTx, slug: string, settings: RetentionSettings, user: SettingsActor): Promise<RetentionSettings> {
  const row = await getWorkspaceOrThrow(db, slug);
  if (row.archivedAt) {
    throw new AppError("workspace_archived", `"${row.name}" is archived, so its retention settings can't be changed. Restore it first.`);
  }
  const checked = checkRetentionSettings(settings);
  await db.transaction(async (tx) => {
    await updateWorkspace({ db: tx, id: row.id, values: { ...checked } });
    await recordSettingsChanges(tx, {
      workspaceId: row.id,
      user,
      changes: (Object.keys(checked) as Array<keyof RetentionSettings>).map((key) => ({ setting: `retention.${key}`, oldValue: row[key], newValue: checked[key] })),
    });
  });
  return checked;
}

/** What the server's first start decided about the sample workspace (sampleOnFirstStart). */
export type FirstStartSample =
  | { load: true }
  /** Loaded on an earlier start (or by the migration for a database that had data): never again. */
  | { load: false; reason: "loaded_before"; loadedAt: Date | null }
  /** First start, but workspaces exist already (made with the CLI before the server ran): counts as loaded. */
  | { load: false; reason: "workspaces_exist" };

/**
 * Whether the server's first start loads the sample workspace: once per installation, on a
 * database that has never had it and holds no workspace. Records the decision in the same step
 * (installation.sample_loaded_at), so deleting every workspace later never brings the sample back;
 * a database that already holds workspaces counts as loaded. When the load then fails, call
 * releaseFirstStartSample so the next start tries again.
 * @throws the database's errors
 */
export async function sampleOnFirstStart(db: DbOrTx): Promise<FirstStartSample> {
  if (!(await claimSampleLoaded({ db }))) {
    return { load: false, reason: "loaded_before", loadedAt: (await getInstallation({ db }))?.sampleLoadedAt ?? null };
  }
  if ((await listWorkspaces({ db })).length > 0) return { load: false, reason: "workspaces_exist" };
  return { load: true };
}

/** Forgets that the sample was loaded (its first-start load failed): the next start loads it again. */
export async function releaseFirstStartSample(db: DbOrTx): Promise<void> {
  await clearSampleLoaded({ db });
}
