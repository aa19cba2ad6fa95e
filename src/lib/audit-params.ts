/**
 * The audit page's state in the URL (issue 13 item 5): `/w/<slug>/audit?tab=…` and each tab's
 * filters, so every view of the audit trail is a link a compliance officer can keep. Client-safe.
 *
 * | param | tab | example | meaning |
 * |---|---|---|---|
 * | `tab` | all | `tab=reviews` | `generation` (default), `reviews`, `exports` |
 * | `from`, `to` | all | `from=2026-11-01&to=2026-11-30` | UTC days, both inclusive |
 * | `user` | all | `user=local` | the user who made the call / review / export |
 * | `conversation` | generation | `conversation=tmpl-004` | one conversation's calls |
 * | `run` | generation | `run=<uuid>` | one generation run's calls |
 * | `template` | generation | `template=tier1-default` | a prompt template's key |
 * | `kind` | generation | `kind=judge` | generate, judge, template_test |
 * | `error` | generation | `error=any` / `error=rate_limited` | failed calls only / one error code |
 * | `call` | generation | `call=<uuid>` | open one call's request and response |
 * | `export` | exports | `export=<export id>` | open one export's manifest |
 * | `page` | generation, exports | `page=2` | 1-based, 50 rows a page |
 *
 * A value that cannot be used is dropped and reported in `issues`, so a hand-edited link still loads.
 */
import { z } from "zod";
import { GENERATION_LOG_KINDS, type GenerationLogKind } from "./constants";
import { readSearchParam, type SearchParamIssue, type SearchParamSource } from "./search-param-parsing";

export const AUDIT_TABS = ["generation", "reviews", "exports"] as const;
export type AuditTab = (typeof AUDIT_TABS)[number];

export const AUDIT_TAB_LABELS: Record<AuditTab, string> = { generation: "Generation log", reviews: "Reviews", exports: "Export history" };

/** Rows per page of the generation log and the export history. */
export const AUDIT_PER_PAGE = 50;
export const AUDIT_MAX_PAGE = 100_000;

export interface AuditState {
  tab: AuditTab;
  /** YYYY-MM-DD (UTC), inclusive; null = open. */
  from: string | null;
  to: string | null;
  user: string | null;
  conversation: string | null;
  run: string | null;
  template: string | null;
  kind: GenerationLogKind | null;
  /** "any" = failed calls only, else one error code. */
  error: string | null;
  call: string | null;
  export: string | null;
  page: number;
}

export function defaultAuditState(): AuditState {
  return { tab: "generation", from: null, to: null, user: null, conversation: null, run: null, template: null, kind: null, error: null, call: null, export: null, page: 1 };
}

const daySchema = z.iso.date();
const textSchema = z.string().trim().min(1).max(200);
const keySchema = z.string().regex(/^[A-Za-z0-9._:@-]{1,200}$/);

const PARSERS: { [K in Exclude<keyof AuditState, "tab" | "page">]: { schema: z.ZodType<AuditState[K]>; message: string } } = {
  from: { schema: daySchema, message: "The start date must be a day like 2026-11-01; ignored." },
  to: { schema: daySchema, message: "The end date must be a day like 2026-11-30; ignored." },
  user: { schema: textSchema, message: "The user must be 1–200 characters; ignored." },
  conversation: { schema: textSchema, message: "The conversation id must be 1–200 characters; ignored." },
  run: { schema: z.uuid(), message: "The run must be a run id (a UUID, as `brightrun runs list` shows); ignored." },
  template: { schema: keySchema, message: "The template must be a template key; ignored." },
  kind: { schema: z.enum(GENERATION_LOG_KINDS), message: `The kind must be one of ${GENERATION_LOG_KINDS.join(", ")}; ignored.` },
  error: { schema: z.string().regex(/^[a-z0-9_]{1,64}$/), message: 'The error must be "any" or an error code (lower-case letters, digits and "_"); ignored.' },
  call: { schema: z.uuid(), message: "The call must be a generation log id; ignored." },
  export: { schema: keySchema, message: "The export must be an export id; ignored." },
};

/**
 * Parses the audit page's state from URL search params. Never throws: unusable values are
 * dropped and listed in `issues` (param, value, plain-English reason). A `to` before `from` is
 * reported and dropped.
 */
export function parseAuditParams(source: SearchParamSource): { state: AuditState; issues: SearchParamIssue[] } {
  const state = defaultAuditState();
  const issues: SearchParamIssue[] = [];
  const tab = readSearchParam(source, "tab")?.trim();
  if (tab) {
    if ((AUDIT_TABS as readonly string[]).includes(tab)) state.tab = tab as AuditTab;
    else issues.push({ param: "tab", value: tab, message: `Unknown tab "${tab.slice(0, 40)}" (expected ${AUDIT_TABS.join(", ")}); showing the generation log.` });
  }
  for (const [param, { schema, message }] of Object.entries(PARSERS) as Array<[keyof typeof PARSERS, { schema: z.ZodType<unknown>; message: string }]>) {
    const raw = readSearchParam(source, param)?.trim();
    if (!raw) continue;
    const parsed = schema.safeParse(raw);
    if (parsed.success) (state as unknown as Record<string, unknown>)[param] = parsed.data;
    else issues.push({ param, value: raw.slice(0, 200), message });
  }
  if (state.from && state.to && state.to < state.from) {
    issues.push({ param: "to", value: state.to, message: "The end date is before the start date; ignored." });
    state.to = null;
  }
  const page = readSearchParam(source, "page")?.trim();
  if (page) {
    const n = /^\d+$/.test(page) ? Number(page) : NaN;
    if (Number.isInteger(n) && n >= 1 && n <= AUDIT_MAX_PAGE) state.page = n;
    else issues.push({ param: "page", value: page.slice(0, 20), message: `Page must be a whole number from 1 to ${AUDIT_MAX_PAGE}; showing page 1.` });
  }
  return { state, issues };
}

/** The query string (no "?") for a state, leaving out empty values, page 1 and the default tab; `patch` overrides fields. */
export function serializeAuditParams(state: AuditState, patch: Partial<AuditState> = {}): string {
  const next = { ...state, ...patch };
  const params = new URLSearchParams();
  if (next.tab !== "generation") params.set("tab", next.tab);
  for (const key of ["from", "to", "user", "conversation", "run", "template", "kind", "error", "call", "export"] as const) {
    const value = next[key];
    if (value) params.set(key, value);
  }
  if (next.page > 1) params.set("page", String(next.page));
  return params.toString();
}

/** [start, end) instants of the state's inclusive UTC day range. */
export function auditDateRange(state: Pick<AuditState, "from" | "to">): { from?: Date; before?: Date } {
  return {
    from: state.from ? new Date(`${state.from}T00:00:00.000Z`) : undefined,
    before: state.to ? new Date(new Date(`${state.to}T00:00:00.000Z`).getTime() + 86_400_000) : undefined,
  };
}
