/**
 * The cost page's URL state and the accounting CSV's range (issue 13 item 4). `?period=day|week|month`
 * (default day; anything else falls back to it, so an old bookmark still opens), `?run=<id>` opens
 * that run's summary; the CSV takes `from` and `to` as YYYY-MM-DD (UTC, `to` inclusive). Safe for client code.
 */
import type { CostPeriod } from "../core/cost/cost-analytics";
import { AppError } from "../core/errors";

export const COST_PERIODS = ["day", "week", "month"] as const satisfies readonly CostPeriod[];

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

function first(params: Params, key: string): string | undefined {
  const raw = params instanceof URLSearchParams ? (params.get(key) ?? undefined) : params[key];
  return Array.isArray(raw) ? raw[0] : raw;
}

/** `?period=`: "day", "week" or "month"; anything else is "day". */
export function parseCostPeriod(params: Params): CostPeriod {
  const value = first(params, "period");
  return (COST_PERIODS as readonly string[]).includes(value ?? "") ? (value as CostPeriod) : "day";
}

/** `?run=`: a run id (uuid) whose summary the page opens, or null. */
export function parseCostRun(params: Params): string | null {
  const value = first(params, "run");
  return value && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? value : null;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDay(text: string, name: string): Date {
  const m = DAY.exec(text);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== text) {
    throw new AppError("argument_invalid", `"${name}" must be a date written YYYY-MM-DD, e.g. 2026-11-01; got "${text}".`);
  }
  return date;
}

/**
 * The accounting CSV's range: `from` and `to` (YYYY-MM-DD, UTC, both days included); without them,
 * the calendar month of `now` so far.
 * @returns [from, to) as Dates
 * @throws AppError `argument_invalid` for a date that is not YYYY-MM-DD or a `from` after `to`
 */
export function parseCostCsvRange(params: Params, now = new Date()): { from: Date; to: Date } {
  const fromText = first(params, "from");
  const toText = first(params, "to");
  const from = fromText ? parseDay(fromText, "from") : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const lastDay = toText ? parseDay(toText, "to") : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const to = new Date(lastDay.getTime() + 86_400_000);
  if (from >= to) throw new AppError("argument_invalid", `"from" (${from.toISOString().slice(0, 10)}) must be on or before "to" (${lastDay.toISOString().slice(0, 10)}).`);
  return { from, to };
}
