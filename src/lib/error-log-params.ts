/**
 * The error log page's state in the URL (US2.2.2 "Error log accessible showing full error history
 * with filters") and the plain facts about error codes the log and the error dialog share
 * (US11.3.1: retryable vs permanent, user / system / API error). Client-safe: plain zod, no
 * server imports.
 *
 * Query parameters of `/errors` (all optional; defaults are left out when serialising):
 *
 * | param | example | meaning |
 * |---|---|---|
 * | `code` | `code=rate_limited,timeout` | error codes (lower-case letters, digits, `_`), OR within the list |
 * | `tier` | `tier=template,edge_case` | tiers of the failed conversation |
 * | `retryable` | `retryable=yes` / `no` | temporary (retrying usually works) or permanent problems |
 * | `since` | `since=24h` | `1h`, `24h`, `7d` or `30d` back from now |
 * | `page` | `page=2` | 1-based |
 * | `perPage` | `perPage=50` | 25, 50 or 100 |
 *
 * A value that is not valid falls back to its default and is reported in `issues`, so an old or
 * hand-edited link still loads.
 */
import { workspacePaths } from "./workspace-paths";
import { z } from "zod";
import { TIERS, type Tier } from "./constants";
import { parseListParam, parseSingleParam, type SearchParamIssue, type SearchParamSource } from "./search-param-parsing";

/**
 * Error codes a new attempt usually fixes. generation_logs keeps the code but not the flag, so the
 * log derives it from the code; the list mirrors the `retryable` flags set in core/llm/errors.ts
 * (429, 529, 5xx, timeouts, connection problems), core/llm/parse-reply.ts (malformed reply),
 * core/generation/generate-conversation.ts (truncated reply) and server/jobs/batch-runner.ts.
 */
export const RETRYABLE_ERROR_CODES = [
  "rate_limited",
  "overloaded",
  "server_error",
  "timeout",
  "connection_error",
  "malformed_response",
  "truncated_response",
  "batch_expired",
  "batch_canceled",
  "batch_result_missing",
] as const;

/** Whether a new attempt usually fixes an error with this code (see RETRYABLE_ERROR_CODES). */
export function isRetryableErrorCode(code: string): boolean {
  return (RETRYABLE_ERROR_CODES as readonly string[]).includes(code);
}

/**
 * US11.3.1's error categories: "user" (red — something the user must fix: API key, request,
 * spend limit, template), "system" (orange — a fault in Bright Run or its database), "api"
 * (yellow — the model provider had a problem or replied with something unusable).
 */
export type ErrorCategory = "user" | "system" | "api";

export const ERROR_CATEGORY_LABELS: Record<ErrorCategory, string> = {
  user: "User error",
  system: "System error",
  api: "API error",
};

const USER_ERROR_CODES = new Set([
  "authentication_failed",
  "invalid_request",
  "spend_limit_reached",
  "cancelled",
  "template_missing",
  "template_invalid",
  "template_parameter_missing",
  "invalid_budget",
  "invalid_spending_limit",
  "forbidden",
]);

/** The US11.3.1 category of an error code; unknown codes count as system errors. */
export function errorCategoryFor(code: string): ErrorCategory {
  if (isRetryableErrorCode(code)) return "api";
  if (USER_ERROR_CODES.has(code)) return "user";
  return "system";
}

/** What to do next, in plain English, for the codes people meet most (US11.3.1 "Error recovery suggestions"). */
export function errorRecoverySuggestion(code: string): string {
  switch (code) {
    case "rate_limited":
      return "Rate limit hit. Wait 60 seconds or reduce the concurrency, then retry.";
    case "overloaded":
    case "server_error":
      return "The provider is having trouble. Wait a minute, then retry.";
    case "timeout":
    case "connection_error":
      return "The provider did not answer in time. Check the network and retry.";
    case "malformed_response":
    case "truncated_response":
      return "The model's reply could not be used. Retrying usually gives a usable reply; if it keeps happening, raise the template's max tokens.";
    case "authentication_failed":
      return "Check the API key (ANTHROPIC_API_KEY or OPENAI_API_KEY), then retry.";
    case "spend_limit_reached":
      return "Raise the provider account's spend limit or add credit, then retry.";
    case "invalid_request":
      return "Check the model name, base URL and template; retrying unchanged will fail again.";
    case "cancelled":
      return "The generation was cancelled. Retry to generate it again.";
    default:
      return isRetryableErrorCode(code) ? "This is usually temporary: retry." : "Fix the cause first; if you cannot tell what it is, copy the details for support.";
  }
}

/** Time windows the log can be narrowed to, and their length in ms. */
export const ERROR_LOG_SINCE_OPTIONS = {
  "1h": 3_600_000,
  "24h": 86_400_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
} as const;
export type ErrorLogSince = keyof typeof ERROR_LOG_SINCE_OPTIONS;

export const ERROR_LOG_SINCE_LABELS: Record<ErrorLogSince, string> = {
  "1h": "Last hour",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
};

export const ERROR_LOG_PER_PAGE_OPTIONS = [25, 50, 100] as const;
export type ErrorLogPerPage = (typeof ERROR_LOG_PER_PAGE_OPTIONS)[number];
export const ERROR_LOG_DEFAULT_PER_PAGE: ErrorLogPerPage = 25;
/** Highest page number accepted. */
export const ERROR_LOG_MAX_PAGE = 100_000;
/** Most error codes kept in the `code` filter. */
export const ERROR_LOG_MAX_CODES = 50;

/** Everything the error log shows, as plain data. */
export interface ErrorLogState {
  /** Error codes, OR; empty = all. */
  code: string[];
  /** Tiers, OR; empty = all. */
  tier: Tier[];
  /** null = both. */
  retryable: boolean | null;
  since: ErrorLogSince | null;
  /** 1-based. */
  page: number;
  perPage: ErrorLogPerPage;
}

/** One parameter that could not be used and was replaced by its default. */
export type ErrorLogParamIssue = SearchParamIssue;

export function defaultErrorLogState(): ErrorLogState {
  return { code: [], tier: [], retryable: null, since: null, page: 1, perPage: ERROR_LOG_DEFAULT_PER_PAGE };
}

const codeSchema = z.string().regex(/^[a-z0-9_]{1,64}$/);
const pageSchema = z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(1).max(ERROR_LOG_MAX_PAGE));
const perPageSchema = z.enum(["25", "50", "100"]).transform((v) => Number(v) as ErrorLogPerPage);
const retryableSchema = z.enum(["yes", "no"]).transform((v) => v === "yes");
const sinceSchema = z.enum(Object.keys(ERROR_LOG_SINCE_OPTIONS) as [ErrorLogSince, ...ErrorLogSince[]]);

/**
 * Parses the error log state from URL search params (a `URLSearchParams` or Next.js's
 * `searchParams` record). Never throws: unusable values fall back to defaults and are listed in
 * `issues` (param, offending value, plain-English reason).
 */
export function parseErrorLogParams(source: SearchParamSource): { state: ErrorLogState; issues: ErrorLogParamIssue[] } {
  const state = defaultErrorLogState();
  const issues: ErrorLogParamIssue[] = [];

  state.code =
    parseListParam({
      source,
      param: "code",
      issues,
      isValid: (value) => codeSchema.safeParse(value).success,
      invalidMessage: (value) => `"${value}" is not an error code (lower-case letters, digits and "_"); ignored.`,
      limit: { max: ERROR_LOG_MAX_CODES, message: `Only the first ${ERROR_LOG_MAX_CODES} error codes are used.` },
    }) ?? [];

  state.tier = (parseListParam({
    source,
    param: "tier",
    issues,
    isValid: (value) => (TIERS as readonly string[]).includes(value),
    invalidMessage: (value) => `Unknown tier "${value}" (expected one of ${TIERS.join(", ")}); ignored.`,
  }) ?? []) as Tier[];

  // Single values: surrounding white space is ignored; an unusable one keeps the default.
  const single = <T,>(param: string, parse: (value: string) => T | undefined, message: string) =>
    parseSingleParam({ source, param, issues, parse, message, trim: true });
  state.retryable = single("retryable", (v) => retryableSchema.safeParse(v).data, 'Retryable must be "yes" or "no"; showing both.') ?? state.retryable;
  state.since =
    single("since", (v) => sinceSchema.safeParse(v).data, `Since must be one of ${Object.keys(ERROR_LOG_SINCE_OPTIONS).join(", ")}; showing all time.`) ?? state.since;
  state.page = single("page", (v) => pageSchema.safeParse(v).data, `Page must be a whole number from 1 to ${ERROR_LOG_MAX_PAGE}; showing page 1.`) ?? state.page;
  state.perPage =
    single(
      "perPage",
      (v) => perPageSchema.safeParse(v).data,
      `Rows per page must be ${ERROR_LOG_PER_PAGE_OPTIONS.join(", ")}; showing ${ERROR_LOG_DEFAULT_PER_PAGE}.`,
    ) ?? state.perPage;

  return { state, issues };
}

/**
 * The URL search params for an error log state, in a fixed order, leaving out defaults (page 1,
 * 25 per page, empty filters) so equal states give equal URLs.
 */
export function serializeErrorLogParams(state: Partial<ErrorLogState>): URLSearchParams {
  const params = new URLSearchParams();
  if (state.code?.length) params.set("code", state.code.join(","));
  if (state.tier?.length) params.set("tier", state.tier.join(","));
  if (state.retryable !== undefined && state.retryable !== null) params.set("retryable", state.retryable ? "yes" : "no");
  if (state.since) params.set("since", state.since);
  if (state.page && state.page !== 1) params.set("page", String(state.page));
  if (state.perPage && state.perPage !== ERROR_LOG_DEFAULT_PER_PAGE) params.set("perPage", String(state.perPage));
  return params;
}

/** `/w/<slug>/errors?…` for a state (defaults left out). */
export function errorLogHref(slug: string, state: Partial<ErrorLogState>): string {
  return workspacePaths(slug).errors(serializeErrorLogParams(state).toString());
}

/** When a `since` window starts, counted back from `now` (ms since the epoch); null for all time. */
export function sinceToDate(since: ErrorLogSince | null, now: number = Date.now()): Date | null {
  return since ? new Date(now - ERROR_LOG_SINCE_OPTIONS[since]) : null;
}
