/**
 * Formatting shared by the dashboard's components (client-safe, no server imports). Money and
 * durations use formatCostUsd / formatDurationMs from core/cost/estimate, as the CLI does.
 */

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 24 * 3600_000],
  ["month", 30 * 24 * 3600_000],
  ["week", 7 * 24 * 3600_000],
  ["day", 24 * 3600_000],
  ["hour", 3600_000],
  ["minute", 60_000],
];

/** "2 hours ago", "in 5 minutes", "just now" for a Date or ISO string, relative to `now` (ms). */
export function formatRelativeTime(value: Date | string, now: number = Date.now()): string {
  const at = typeof value === "string" ? new Date(value).getTime() : value.getTime();
  const diff = at - now;
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return relative.format(Math.round(diff / ms), unit);
  }
  return "just now";
}

/** "21 Nov 2026, 09:14" in the viewer's time zone. */
export function formatDateTime(value: Date | string): string {
  const at = typeof value === "string" ? new Date(value) : value;
  return at.toLocaleString("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** "21 Nov 2026". */
export function formatDate(value: Date | string): string {
  const at = typeof value === "string" ? new Date(value) : value;
  return at.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" });
}

/** "1 conversation" / "3 conversations". */
export function pluralize(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? singular : plural}`;
}
