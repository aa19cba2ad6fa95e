/**
 * Retention rules (issue 13 item 6; FR1.2.1 "Logs retained for 90 days (configurable)", FR1.2.3
 * "Retention policy: 365 days (configurable)"): a workspace's windows, how they are checked when a
 * user sets them, and the cut-off instants the retention job deletes before. Framework-free: the
 * Settings page, `brightrun retention run` and the scheduled pg-boss job all use these.
 */
import { AppError } from "../errors";

/** A workspace's retention settings (columns of `workspaces`). */
export interface RetentionSettings {
  /** generation_logs rows older than this many days are deleted (default 90, FR1.2.1). */
  generationLogRetentionDays: number;
  /** export_logs rows and their export folders older than this many days are deleted (default 365, FR1.2.3). */
  exportRetentionDays: number;
  /** Request and response payloads of generation_logs rows older than this many days are dropped; null = kept as long as the row. */
  payloadRetentionDays: number | null;
  /** Replace e-mail addresses and phone numbers in logged payloads before they are written. */
  redactPii: boolean;
}

/** The defaults of the seeds (FR1.2.1: 90 days, FR1.2.3: 365 days), payloads kept, no redaction. */
export const DEFAULT_RETENTION: RetentionSettings = {
  generationLogRetentionDays: 90,
  exportRetentionDays: 365,
  payloadRetentionDays: null,
  redactPii: false,
};

/** Longest window a user may set, in days (ten years): beyond that "keep" is the honest setting, and dates stay well inside PostgreSQL's range. */
export const MAX_RETENTION_DAYS = 3650;

/**
 * How long the app keeps its own query timings (query_timings, the database health page), in
 * days. Not a user setting: the health page looks back at most this far.
 */
export const QUERY_TIMING_RETENTION_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

function checkDays(label: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > MAX_RETENTION_DAYS) {
    throw new AppError(
      "settings_invalid",
      `${label} must be a whole number of days from 1 to ${MAX_RETENTION_DAYS} (got ${Number.isFinite(value) ? value : "nothing"}).`,
    );
  }
}

/**
 * Checks retention settings a user enters: each window a whole number of days from 1 to
 * MAX_RETENTION_DAYS, and the payload window (when set) no longer than the generation log's (a
 * payload cannot outlive its row).
 * @returns the same settings
 * @throws AppError "settings_invalid" naming the field and what to enter
 */
export function checkRetentionSettings(settings: RetentionSettings): RetentionSettings {
  checkDays("Keep generation logs for", settings.generationLogRetentionDays);
  checkDays("Keep exports and export logs for", settings.exportRetentionDays);
  if (settings.payloadRetentionDays !== null) {
    checkDays("Drop request and response payloads after", settings.payloadRetentionDays);
    if (settings.payloadRetentionDays >= settings.generationLogRetentionDays) {
      throw new AppError(
        "settings_invalid",
        `Payloads are dropped after ${settings.payloadRetentionDays} days but the whole generation log row is deleted after ${settings.generationLogRetentionDays} days, so the payload window would never apply. Enter fewer days than ${settings.generationLogRetentionDays}, or leave it empty to keep payloads as long as the row.`,
      );
    }
  }
  return settings;
}

/** A workspace row's retention settings. */
export function retentionSettingsOf(workspace: RetentionSettings): RetentionSettings {
  return {
    generationLogRetentionDays: workspace.generationLogRetentionDays,
    exportRetentionDays: workspace.exportRetentionDays,
    payloadRetentionDays: workspace.payloadRetentionDays,
    redactPii: workspace.redactPii,
  };
}

/** The instants the retention job deletes before: a row created strictly before its cut-off is removed. */
export interface RetentionCutoffs {
  generationLogsBefore: Date;
  exportsBefore: Date;
  /** null when payloads are kept as long as their row. */
  payloadsBefore: Date | null;
  queryTimingsBefore: Date;
}

/**
 * The cut-offs of `settings` at `now`: now minus each window in whole days of 24 hours (UTC; no
 * calendar arithmetic, so a daylight-saving change never shifts a window). A row exactly at the
 * cut-off is kept.
 */
export function retentionCutoffs(settings: RetentionSettings, now: Date): RetentionCutoffs {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  return {
    generationLogsBefore: before(settings.generationLogRetentionDays),
    exportsBefore: before(settings.exportRetentionDays),
    payloadsBefore: settings.payloadRetentionDays === null ? null : before(settings.payloadRetentionDays),
    queryTimingsBefore: before(QUERY_TIMING_RETENTION_DAYS),
  };
}
