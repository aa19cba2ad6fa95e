import "server-only";
/**
 * The settings audit (US14.1.2; issue 14 item 2): every save of a setting writes one row per
 * changed setting — who, when, which setting, old → new — in the same transaction as the change, so
 * a change is never saved without its history (or the other way round). Secrets (API keys, the SMTP
 * password) are never written: only "(not set)", a hint such as "sk-…abcd", or "(set)".
 *
 * Setting names are dotted, grouped by where they live: "model.apiKey", "model.priceOverrides",
 * "retention.payloadRetentionDays", "cost.monthlyBudgetUsd", "smtp.password"…
 * (SETTING_LABELS gives the Settings page's words for each).
 */
import { insertSettingsAuditRows, listSettingsAuditByWorkspace } from "../db/queries/settings-audit";
import type { DbOrTx } from "../db/client";

/** Who changed it: the guard's user (`requireUser()`), id and name as they are now. */
export interface SettingsActor {
  id: string;
  displayName: string;
}

/** A secret's state: null = not set; `hint` = enough of it to recognise (keyHint), never the value. */
export type SecretState = null | { hint: string | null };

/** One setting that may have changed. */
export type SettingsChange =
  | { setting: string; oldValue: unknown; newValue: unknown; secret?: false }
  /** A secret: listed only when it was replaced or cleared (the caller knows; the values are not compared). */
  | { setting: string; secret: true; oldValue: SecretState; newValue: SecretState };

/** What a secret state is written as. */
export function describeSecret(state: SecretState): string {
  if (state === null) return "(not set)";
  return state.hint ? state.hint : "(set)";
}

/**
 * A setting's value as the audit stores it: null for none, strings as they are, numbers and
 * booleans as text, anything else as JSON with its keys in order (so equal values compare equal).
 */
export function formatSettingValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

/**
 * Writes one settings_audit row per change whose old and new values differ (secrets: every one
 * listed, masked), through `tx` — call it inside the transaction that saves the settings.
 * @param workspaceId the workspace the settings belong to; null for installation settings (SMTP)
 * @returns the rows written (0 when nothing changed)
 * @throws the database's errors (the caller's transaction then rolls back the change too)
 */
export async function recordSettingsChanges(
  tx: DbOrTx,
  { workspaceId, user, changes }: { workspaceId: string | null; user: SettingsActor; changes: readonly SettingsChange[] },
): Promise<number> {
  const rows = [];
  for (const change of changes) {
    const oldValue = change.secret ? describeSecret(change.oldValue) : formatSettingValue(change.oldValue);
    const newValue = change.secret ? describeSecret(change.newValue) : formatSettingValue(change.newValue);
    if (!change.secret && oldValue === newValue) continue;
    rows.push({ workspaceId, userId: user.id, userName: user.displayName, setting: change.setting, oldValue, newValue });
  }
  await insertSettingsAuditRows({ db: tx, rows });
  return rows.length;
}

/** Rows per page of the settings history. */
export const SETTINGS_HISTORY_PER_PAGE = 25;

/** The Settings page's words for each audited setting; an unknown name is shown as it is. */
export const SETTING_LABELS: Record<string, string> = {
  "model.provider": "Model: provider",
  "model.baseUrl": "Model: base URL",
  "model.apiKey": "Model: API key",
  "model.model": "Model: model",
  "model.concurrency": "Model: concurrency",
  "model.rateLimits": "Model: rate limits",
  "model.rateLimitsByModel": "Model: rate limits per model",
  "model.retryPolicy": "Model: retry policy",
  "model.priceOverrides": "Model: prices",
  "retention.generationLogRetentionDays": "Retention: keep generation logs (days)",
  "retention.exportRetentionDays": "Retention: keep exports (days)",
  "retention.payloadRetentionDays": "Retention: drop payloads after (days)",
  "retention.redactPii": "Retention: redact PII",
  "quality.minApprovalScore": "Quality: minimum approval score",
  "quality.edgeCaseMinScore": "Quality: edge-case bar",
  "documents.categories": "Documents: categories",
  "cost.monthlyBudgetUsd": "Cost: monthly budget (USD)",
  "smtp.host": "E-mail: SMTP host",
  "smtp.port": "E-mail: SMTP port",
  "smtp.security": "E-mail: security",
  "smtp.username": "E-mail: user name",
  "smtp.password": "E-mail: password",
  "smtp.fromAddress": "E-mail: from address",
};

/** One row of the settings history as the page shows it. */
export interface SettingsHistoryEntry {
  id: string;
  at: Date;
  userName: string;
  setting: string;
  label: string;
  oldValue: string | null;
  newValue: string | null;
}

/**
 * One page of the settings history of a workspace (null = the installation's), newest first.
 * @param page 1-based; a page past the end returns no entries
 */
export async function loadSettingsHistory(
  db: DbOrTx,
  { workspaceId, page, perPage = SETTINGS_HISTORY_PER_PAGE }: { workspaceId: string | null; page: number; perPage?: number },
): Promise<{ entries: SettingsHistoryEntry[]; total: number; page: number; perPage: number }> {
  const current = Number.isInteger(page) && page >= 1 ? page : 1;
  const { rows, total } = await listSettingsAuditByWorkspace({ db, workspaceId, page: current, perPage });
  return {
    entries: rows.map((r) => ({
      id: r.id,
      at: r.createdAt,
      userName: r.userName,
      setting: r.setting,
      label: SETTING_LABELS[r.setting] ?? r.setting,
      oldValue: r.oldValue,
      newValue: r.newValue,
    })),
    total,
    page: current,
    perPage,
  };
}
