import "server-only";
/**
 * The audit trail in the browser (issue 13 item 5; US9.3.1–US9.3.3, US5.2.2, FR1.2.x): what the
 * audit page's three tabs show, their CSVs, the compliance report and an export's Re-run.
 * Reads generation_logs, review_logs and export_logs and never changes a row of them (audit rows
 * are append-only); Re-run writes a new export through the export dialog's own code path.
 */
import { stringify } from "csv-stringify/sync";
import { AppError } from "../core/errors";
import type { TargetFamily } from "../core/export/dataset-checks/target-families";
import { STATUS_LABELS, TIER_LABELS, type ConversationStatus, type Tier } from "../lib/constants";
import { conversationFilterSchema, type ConversationFilter } from "../lib/conversation-filter";
import { serializeConversationTableParams } from "../lib/conversation-table-params";
import type { ExportRequestInput, ExportRequestOutcome } from "../lib/export-request";
import { auditDateRange, AUDIT_PER_PAGE, type AuditState } from "../lib/audit-params";
import type { Database, DbOrTx } from "./db/client";
import {
  getGenerationLogById,
  listExportLogs,
  listExportUsers,
  listGenerationLogFilterOptions,
  listGenerationLogs,
  getComplianceScope,
  listComplianceFindings,
  listReviewActivityByReviewer,
  listReviewLogs,
  type GenerationLogFilter,
  type GenerationLogListRow,
} from "./db/queries/audit";
import { getExportLogByExportId } from "./db/queries/exports";
import type { ExportLogRow } from "./db/schema";
import { exportRequested, type WorkspaceRef } from "./operations/export";
import { QUERY_KINDS } from "../lib/database-health";
import { timedQuery } from "./query-timing";

/** Dates as ISO 8601 strings: plain JSON for client components. */
export type GenerationLogView = Omit<GenerationLogListRow, "createdAt"> & { createdAt: string };

export interface GenerationCallView extends GenerationLogView {
  requestPayload: unknown;
  responsePayload: unknown;
  /** ISO 8601: when retention dropped the payloads; null while they are kept. */
  payloadsDroppedAt: string | null;
  parameters: Record<string, unknown>;
}

export interface GenerationLogPage {
  rows: GenerationLogView[];
  /** Calls matching the filters. */
  total: number;
  page: number;
  perPage: number;
  options: { users: string[]; templates: Array<{ key: string; name: string }>; errorCodes: string[] };
  /** The call opened with `?call=`, or null; `callMissing` when the id matched no call of this workspace. */
  call: GenerationCallView | null;
  callMissing: boolean;
}

/** The generation log filter of a parsed URL state. */
export function generationLogFilterOf(state: AuditState): GenerationLogFilter {
  return {
    ...auditDateRange(state),
    conversationId: state.conversation ?? undefined,
    runId: state.run ?? undefined,
    userId: state.user ?? undefined,
    templateKey: state.template ?? undefined,
    kind: state.kind ?? undefined,
    errorCode: state.error ?? undefined,
  };
}

const toView = <T extends { createdAt: Date }>(row: T): Omit<T, "createdAt"> & { createdAt: string } => ({ ...row, createdAt: row.createdAt.toISOString() });

/**
 * One page (AUDIT_PER_PAGE rows) of the generation log for `state`, the filters' options, and
 * the call opened with `state.call`.
 */
export async function loadGenerationLog({ db, workspaceId, state }: { db: DbOrTx; workspaceId: string; state: AuditState }): Promise<GenerationLogPage> {
  const [page, options, call] = await timedQuery({ db, kind: QUERY_KINDS.auditGenerationLog, workspaceId }, () =>
    Promise.all([
      listGenerationLogs({ db, workspaceId, filter: generationLogFilterOf(state), page: state.page, perPage: AUDIT_PER_PAGE }),
      listGenerationLogFilterOptions({ db, workspaceId }),
      state.call ? getGenerationLogById({ db, workspaceId, id: state.call }) : Promise.resolve(null),
    ]),
  );
  return {
    rows: page.rows.map(toView),
    total: page.total,
    page: state.page,
    perPage: AUDIT_PER_PAGE,
    options,
    call: call ? { ...toView(call), payloadsDroppedAt: call.payloadsDroppedAt?.toISOString() ?? null } : null,
    callMissing: state.call !== null && call === null,
  };
}

/** Columns of the generation log CSV, in order. */
export const GENERATION_LOG_CSV_COLUMNS = [
  "log_id",
  "created_at",
  "kind",
  "conversation_id",
  "run_id",
  "template_key",
  "template_version",
  "provider",
  "model",
  "user_id",
  "input_tokens",
  "output_tokens",
  "cost_usd",
  "duration_ms",
  "error_code",
  "error_message",
] as const;

/**
 * Every generation log call matching `filter` as CSV (RFC 4180 quoting by csv-stringify), newest
 * first: GENERATION_LOG_CSV_COLUMNS, times in ISO 8601 (UTC), cost in USD (empty when no price was
 * known), duration in ms. Payloads are left out (they are read one call at a time on the page).
 */
export async function generationLogCsv({ db, workspaceId, filter }: { db: DbOrTx; workspaceId: string; filter: GenerationLogFilter }): Promise<string> {
  const { rows } = await listGenerationLogs({ db, workspaceId, filter, perPage: null });
  return stringify([
    [...GENERATION_LOG_CSV_COLUMNS],
    ...rows.map((r) => [
      r.id,
      r.createdAt.toISOString(),
      r.kind,
      r.conversationId ?? "",
      r.runId ?? "",
      r.templateKey ?? "",
      r.templateVersion ?? "",
      r.provider,
      r.model,
      r.userId,
      r.inputTokens,
      r.outputTokens,
      r.costUsd ?? "",
      r.durationMs,
      r.errorCode ?? "",
      r.errorMessage ?? "",
    ]),
  ]);
}

/** Review activity of one reviewer in the chosen days. */
export interface ReviewActivityView {
  reviewerId: string;
  approved: number;
  rejected: number;
  undone: number;
  withNotes: number;
  firstAt: string;
  lastAt: string;
}

/** Why an exported conversation fails "approved by a reviewer". */
export type ComplianceReason = "no_review" | "seed" | "rejected" | "undone" | "deleted";

export const COMPLIANCE_REASON_LABELS: Record<ComplianceReason, string> = {
  no_review: "No review before the export (never approved by a reviewer)",
  seed: "A seed conversation imported as approved; no reviewer approved it here",
  rejected: "Its latest review before the export was a rejection",
  undone: "Its latest review before the export was an undo",
  deleted: "Deleted since the export, so its reviews can no longer be checked",
};

export interface ComplianceException {
  exportId: string;
  exportedAt: string;
  exportedBy: string;
  conversationId: string;
  reason: ComplianceReason;
  /** Who made the latest review before the export, and when; null with no review. */
  lastReviewBy: string | null;
  lastReviewAt: string | null;
}

export interface ComplianceReport {
  /** Exports looked at (those in the chosen days). */
  exports: number;
  /** Exported conversations checked (counted once per export). */
  checked: number;
  exceptions: ComplianceException[];
  /** Exports whose log does not record which conversations it held (manifests without `conversation_ids`): they cannot be checked. */
  unverifiable: Array<{ exportId: string; exportedAt: string }>;
}

/**
 * The compliance report "every exported conversation was approved by a reviewer" (US9.3.2): for
 * each export in [from, before) and each conversation its manifest lists (`conversation_ids`,
 * recorded in export_logs.metadata), the latest review event before the export must be an
 * approval. Exceptions: no review at all (seeds imported as approved land here), a rejection or
 * an undo as the latest event, or a conversation deleted since (its reviews are no longer tied
 * to it). Exports whose manifest has no `conversation_ids` are listed as unverifiable, never guessed.
 */
export async function buildComplianceReport({ db, workspaceId, from, before }: { db: DbOrTx; workspaceId: string; from?: Date; before?: Date }): Promise<ComplianceReport> {
  const [scope, findings] = await Promise.all([getComplianceScope({ db, workspaceId, from, before }), listComplianceFindings({ db, workspaceId, from, before })]);
  const exceptions: ComplianceException[] = findings.map((f) => ({
    exportId: f.exportId,
    exportedAt: f.exportedAt.toISOString(),
    exportedBy: f.exportedBy,
    conversationId: f.conversationId,
    reason: !f.exists ? "deleted" : f.action === null ? (f.isSeed ? "seed" : "no_review") : f.action === "reject" ? "rejected" : "undone",
    lastReviewBy: f.exists ? f.reviewerId : null,
    lastReviewAt: f.exists ? (f.at?.toISOString() ?? null) : null,
  }));
  return {
    exports: scope.exports,
    checked: scope.checked,
    exceptions,
    unverifiable: scope.unverifiable.map((u) => ({ exportId: u.exportId, exportedAt: u.exportedAt.toISOString() })),
  };
}

/** The Reviews tab: activity per reviewer and the compliance report, for the state's days. */
export async function loadReviewAudit({ db, workspaceId, state }: { db: DbOrTx; workspaceId: string; state: AuditState }): Promise<{ activity: ReviewActivityView[]; compliance: ComplianceReport }> {
  const range = auditDateRange(state);
  const [activity, compliance] = await timedQuery({ db, kind: QUERY_KINDS.auditReviews, workspaceId }, () =>
    Promise.all([listReviewActivityByReviewer({ db, workspaceId, ...range }), buildComplianceReport({ db, workspaceId, ...range })]),
  );
  return {
    activity: activity.map((a) => ({ ...a, firstAt: a.firstAt.toISOString(), lastAt: a.lastAt.toISOString() })),
    compliance,
  };
}

export const REVIEW_LOG_CSV_COLUMNS = ["review_id", "timestamp", "conversation_id", "action", "reviewer_id", "previous_status", "reviewer_notes"] as const;

/**
 * Every review event (approve, reject, undo) in the state's days, of `state.conversation` when
 * set, as CSV (US9.3.2 "Export audit trail for specific conversations or date ranges"), oldest
 * first: REVIEW_LOG_CSV_COLUMNS, times ISO 8601 UTC; conversation_id empty when deleted since.
 */
export async function reviewLogCsv({ db, workspaceId, state }: { db: DbOrTx; workspaceId: string; state: AuditState }): Promise<string> {
  const rows = await listReviewLogs({ db, workspaceId, ...auditDateRange(state), conversationId: state.conversation ?? undefined });
  return stringify([
    [...REVIEW_LOG_CSV_COLUMNS],
    ...rows.map((r) => [r.id, r.timestamp.toISOString(), r.conversationId ?? "", r.action, r.reviewerId, r.previousStatus, r.reviewerNotes ?? ""]),
  ]);
}

/** Plain-English lines for an export's filter state ("Status: Approved", "Tier: Template", "Search: “fees”"). */
export function describeFilterState(filterState: Record<string, unknown>): string[] {
  const lines: string[] = [];
  const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
  for (const [key, value] of Object.entries(filterState)) {
    if (value === undefined || value === null) continue;
    switch (key) {
      case "status":
        lines.push(`Status: ${list(value).map((s) => STATUS_LABELS[s as ConversationStatus] ?? s).join(", ")}`);
        break;
      case "tier":
        lines.push(`Tier: ${list(value).map((t) => TIER_LABELS[t as Tier] ?? t).join(", ")}`);
        break;
      case "search":
        if (String(value).trim()) lines.push(`Search: “${String(value)}”`);
        break;
      case "minQuality":
        lines.push(`Quality at least ${String(value)}`);
        break;
      case "maxQuality":
        lines.push(`Quality at most ${String(value)}`);
        break;
      case "isSeed":
        lines.push(value ? "Seeds only" : "No seeds");
        break;
      case "belowBar":
        lines.push("Below the approval bar only");
        break;
      case "ids":
        lines.push(`Conversations: ${list(value).length} chosen by id`);
        break;
      case "chunkDimension":
        for (const [name, values] of Object.entries(value as Record<string, unknown>)) lines.push(`Chunk ${name}: ${list(values).join(", ")}`);
        break;
      case "metadata":
        for (const [name, v] of Object.entries(value as Record<string, unknown>)) lines.push(`Metadata ${name} = ${String(v)}`);
        break;
      case "sourceCategory":
        lines.push(`Source category: ${list(value).join(", ")}`);
        break;
      default:
        lines.push(`${key[0].toUpperCase()}${key.slice(1)}: ${Array.isArray(value) ? list(value).join(", ") : String(value)}`);
    }
  }
  return lines.length ? lines : ["No filter (every conversation)"];
}

/** An export's filter state as a conversation filter and search, or null when it no longer reads as one. */
function filterOf(row: ExportLogRow): { filter: ConversationFilter; search: string } | null {
  const { search, ...rest } = row.filterState;
  const parsed = conversationFilterSchema.safeParse(rest);
  if (!parsed.success) return null;
  return { filter: parsed.data, search: typeof search === "string" ? search : "" };
}

/** One export as the history lists it. */
export interface ExportHistoryView {
  exportId: string;
  exportedAt: string;
  userId: string;
  conversationCount: number;
  format: string;
  filterLines: string[];
  /** The conversations table's query string for this export's filters, or null when they cannot be shown there. */
  tableQuery: string | null;
  /** Filter parts the table's URL cannot carry (chosen ids, metadata), told rather than dropped silently. */
  tableQueryNote: string | null;
  /** Checks the export ran ("Duplicates removed at 0.8", "Split 10 % validation", "Target: llama3"). */
  settingsLines: string[];
  /** The manifest (export_logs.metadata) of the export opened with `?export=`, else null. */
  manifest: Record<string, unknown> | null;
}

function settingsLinesOf(row: ExportLogRow): string[] {
  const checks = row.metadata.dataset_checks as { duplicates?: { threshold?: number } | null; split?: { validation_percent?: number; seed?: string } | null; tokens?: { family?: string } | null; template_render?: { family?: string } | null } | null | undefined;
  if (!checks) return [];
  const lines: string[] = [];
  if (checks.duplicates) lines.push(`Duplicates removed (similarity ${checks.duplicates.threshold})`);
  if (checks.split) lines.push(`Split: ${checks.split.validation_percent} % validation (seed “${checks.split.seed}”)`);
  const family = checks.tokens?.family ?? checks.template_render?.family;
  if (family) lines.push(`Checked for ${family}`);
  return lines;
}

function toHistoryView(row: ExportLogRow, withManifest: boolean): ExportHistoryView {
  const parsed = filterOf(row);
  const unsupported = parsed ? [parsed.filter.ids?.length ? "the chosen conversation ids" : null, parsed.filter.metadata ? "metadata" : null].filter(Boolean) : [];
  return {
    exportId: row.exportId,
    exportedAt: row.exportedAt.toISOString(),
    userId: row.userId,
    conversationCount: row.conversationCount,
    format: row.format,
    filterLines: describeFilterState(row.filterState),
    tableQuery: parsed ? serializeConversationTableParams({ filter: parsed.filter, search: parsed.search }).toString() : null,
    tableQueryNote: unsupported.length ? `The table's link cannot carry ${unsupported.join(" or ")}; those parts are left out.` : null,
    settingsLines: settingsLinesOf(row),
    manifest: withManifest ? row.metadata : null,
  };
}

/** The Export history tab: one page of exports (newest first), the users who exported, and the export opened with `?export=`. */
export async function loadExportHistory({
  db,
  workspaceId,
  state,
}: {
  db: DbOrTx;
  workspaceId: string;
  state: AuditState;
}): Promise<{ rows: ExportHistoryView[]; total: number; page: number; perPage: number; users: string[]; opened: ExportHistoryView | null; openedMissing: boolean }> {
  const filter = { ...auditDateRange(state), userId: state.user ?? undefined };
  const [page, users, opened] = await timedQuery({ db, kind: QUERY_KINDS.auditExports, workspaceId }, () =>
    Promise.all([
      listExportLogs({ db, workspaceId, filter, page: state.page, perPage: AUDIT_PER_PAGE }),
      listExportUsers({ db, workspaceId }),
      state.export ? getExportLogByExportId({ db, workspaceId, exportId: state.export }) : Promise.resolve(null),
    ]),
  );
  return {
    rows: page.rows.map((row) => toHistoryView(row, false)),
    total: page.total,
    page: state.page,
    perPage: AUDIT_PER_PAGE,
    users,
    opened: opened ? toHistoryView(opened, true) : null,
    openedMissing: state.export !== null && opened === null,
  };
}

export const EXPORT_HISTORY_CSV_COLUMNS = ["export_id", "exported_at", "user_id", "conversation_count", "format", "filter_state", "filter_state_json", "checks", "file_path"] as const;

/** The export history matching the user and days as CSV, newest first (EXPORT_HISTORY_CSV_COLUMNS; times ISO 8601 UTC). */
export async function exportHistoryCsv({ db, workspaceId, state }: { db: DbOrTx; workspaceId: string; state: AuditState }): Promise<string> {
  const { rows } = await listExportLogs({ db, workspaceId, filter: { ...auditDateRange(state), userId: state.user ?? undefined }, perPage: null });
  return stringify([
    [...EXPORT_HISTORY_CSV_COLUMNS],
    ...rows.map((row) => [
      row.exportId,
      row.exportedAt.toISOString(),
      row.userId,
      row.conversationCount,
      row.format,
      describeFilterState(row.filterState).join("; "),
      JSON.stringify(row.filterState),
      settingsLinesOf(row).join("; "),
      row.filePath,
    ]),
  ]);
}

/**
 * The export request that repeats a logged export: the same filter state (as a filtered
 * selection, so the status it recorded is kept), format, and the checks its manifest records
 * (duplicate threshold, split share and seed, target family and a context length set for it).
 * The file name is the default for the new date, not the old export's.
 * @throws AppError "export_rerun_unreadable" when the recorded filter no longer reads as a filter.
 */
export function rerunRequestOf(row: ExportLogRow): ExportRequestInput {
  const parsed = filterOf(row);
  if (!parsed) {
    throw new AppError("export_rerun_unreadable", "This export's recorded filters cannot be read by this version of Bright Run, so it cannot be re-run. Export again from the conversations page.", {
      detail: { exportId: row.exportId, filterState: row.filterState },
    });
  }
  const checks = (row.metadata.dataset_checks ?? null) as {
    duplicates?: { threshold: number } | null;
    split?: { validation_percent: number; seed: string } | null;
    tokens?: { family: string; context_length: number; context_length_source: string } | null;
    template_render?: { family: string } | null;
  } | null;
  const family = checks?.tokens?.family ?? checks?.template_render?.family;
  return {
    selection: { kind: "filtered", filter: parsed.filter, search: parsed.search },
    format: row.format,
    dedup: checks?.duplicates ? { enabled: true, threshold: checks.duplicates.threshold } : { enabled: false },
    split: checks?.split ? { validationPercent: checks.split.validation_percent, seed: checks.split.seed } : null,
    target: family
      ? {
          family: family as TargetFamily,
          ...(checks?.tokens?.context_length_source === "set for this export" ? { contextLength: checks.tokens.context_length } : {}),
        }
      : null,
  };
}

/**
 * Re-runs a logged export (US5.2.2 "Re-run export button to recreate exact same export") through
 * the export dialog's own path (exportRequested): a new export, with its own id, files and
 * export_logs row; the old one is left as it was.
 * @throws AppError "export_not_found" for an unknown export id, "export_rerun_unreadable", and
 *   exportRequested's errors ("export_empty" when nothing matches the filters any more).
 */
export async function rerunExport({ db, workspace, exportId, userId, outDir }: { db: Database; workspace: WorkspaceRef; exportId: string; userId: string; outDir?: string }): Promise<ExportRequestOutcome> {
  const row = exportId.length <= 200 ? await getExportLogByExportId({ db, workspaceId: workspace.id, exportId }) : null;
  if (!row) throw new AppError("export_not_found", "There is no such export in this workspace's history. Reload the page.");
  return exportRequested({ db, workspace, input: rerunRequestOf(row), userId, outDir });
}
