/**
 * The e-mail about a generation run (US1.3.1, US1.3.2; docs/email.md): sent when a run the user
 * asked to hear about ("E-mail me when it finishes") finishes, pauses on a spending limit, or
 * fails. Counts, cost (or "unknown" when no price is known for the model: never a guessed figure),
 * a quality summary and links, as plain text and simple HTML. Framework-free: the caller
 * (src/server/email/run-notification.ts) gathers the figures.
 */
import { formatCostUsd, formatDurationMs } from "../cost/estimate";
import type { RunReport } from "./run-report";

/** What happened to the run. */
export type RunEmailEvent = "finished" | "paused_spending_limit" | "paused_provider_limit" | "failed";

/** Everything the message says, gathered by the caller. */
export interface RunEmailFacts {
  event: RunEmailEvent;
  workspaceName: string;
  report: RunReport;
  /** The run's spending limit, USD; null = none. */
  budgetUsd: number | null;
  /** False when the model has no known price (its calls were recorded at $0): the cost is then "unknown". */
  priceKnown: boolean;
  /** Absolute links; null when the public address is not known (BRIGHTRUN_PUBLIC_URL unset and no web server in this process). */
  links: { runSummary: string; conversations: string } | null;
  /**
   * Why this person gets the message, said at its foot: "asked" = they ticked "E-mail me when it
   * finishes" for this run (the default); "run_failed_preference" = they started the run and their
   * preference "When a run fails or stops at its spending limit" is on.
   */
  reason?: RunEmailReason;
}

/** Why a run's e-mail goes to someone (see RunEmailFacts.reason). */
export type RunEmailReason = "asked" | "run_failed_preference";

const REASON_LINES: Record<RunEmailReason, string> = {
  asked: 'You get this e-mail because you ticked "E-mail me when it finishes" when you started the run.',
  run_failed_preference: "You get this e-mail because you started the run and your preferences ask for an e-mail when a run fails or stops at its spending limit (Preferences → E-mail).",
};

/** A composed message. */
export interface RunEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * Quality of the run's conversations that have a quality score (1–10): how many, average, lowest,
 * highest. @returns null when none has a score
 */
export function summarizeRunQuality(report: RunReport): { scored: number; average: number; lowest: number; highest: number } | null {
  const scores = report.conversations.map((c) => c.qualityScore).filter((s): s is number => typeof s === "number");
  if (!scores.length) return null;
  return { scored: scores.length, average: scores.reduce((a, b) => a + b, 0) / scores.length, lowest: Math.min(...scores), highest: Math.max(...scores) };
}

const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

/**
 * Composes the subject, text and HTML of a run's e-mail.
 * @returns the message; throws nothing
 */
export function composeRunEmail(facts: RunEmailFacts): RunEmail {
  const { report, event } = facts;
  const run = report.run;
  const done = run.succeeded + run.failed;
  const counts = `${run.succeeded} succeeded, ${run.failed} failed, ${run.total} total`;
  const headline: Record<RunEmailEvent, string> = {
    finished: run.failed ? `Run finished with ${plural(run.failed, "failure")}` : "Run finished",
    paused_spending_limit: "Run paused at its spending limit",
    paused_provider_limit: "Run paused: the provider account's spend limit is reached",
    failed: "Run failed",
  };
  const subject = `${headline[event]}: ${run.succeeded} of ${run.total} conversations generated · ${facts.workspaceName}`;
  const intro: Record<RunEmailEvent, string> = {
    finished: `Your generation run in "${facts.workspaceName}" has finished.`,
    paused_spending_limit: `Your generation run in "${facts.workspaceName}" paused because it reached its spending limit${facts.budgetUsd === null ? "" : ` of ${formatCostUsd(facts.budgetUsd)}`}. ${plural(Math.max(0, run.total - done), "conversation")} are waiting: resume it with a higher limit, or cancel it.`,
    paused_provider_limit: `Your generation run in "${facts.workspaceName}" paused because the provider account's spend limit is reached. Raise the limit in the provider's console, then resume the run.`,
    failed: `Your generation run in "${facts.workspaceName}" failed: none of its conversations could be generated. The conversations page shows each one's error and what to do.`,
  };
  const cost = facts.priceKnown
    ? `${formatCostUsd(report.actualCostUsd)}${report.estimatedCostUsd === null ? "" : ` (estimated ${formatCostUsd(report.estimatedCostUsd)})`}${run.provider === "simulated" ? " — simulated, not a language model" : ""}`
    : `unknown — no price is set for ${run.model}; set one on the Settings page`;
  const quality = summarizeRunQuality(report);
  const qualityLine = quality
    ? `average ${quality.average.toFixed(1)} of 10 over ${plural(quality.scored, "scored conversation")} (lowest ${quality.lowest.toFixed(1)}, highest ${quality.highest.toFixed(1)})`
    : "no quality scores yet";
  const rows: Array<[string, string]> = [
    ["Run", `${run.id.slice(0, 8)} · ${run.kind} · ${run.provider} ${run.model}`],
    ["Conversations", counts],
    ["Cost", cost],
    ["Quality", qualityLine],
  ];
  if (run.durationMs !== null) rows.push(["Time", formatDurationMs(run.durationMs)]);
  const linkLines = facts.links
    ? [`Run summary: ${facts.links.runSummary}`, `Conversations: ${facts.links.conversations}`]
    : [`Open Bright Run, workspace "${facts.workspaceName}", to see the run (its Cost page has the run summary).`];
  const text = [intro[event], "", ...rows.map(([k, v]) => `${k}: ${v}`), "", ...linkLines, "", REASON_LINES[facts.reason ?? "asked"], ""].join("\n");
  const html = [
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#111;line-height:1.5">`,
    `<p>${escapeHtml(intro[event])}</p>`,
    `<table cellpadding="4" style="border-collapse:collapse">`,
    ...rows.map(([k, v]) => `<tr><th align="left" style="padding-right:16px">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`),
    `</table>`,
    facts.links
      ? `<p><a href="${escapeHtml(facts.links.runSummary)}">Run summary</a> · <a href="${escapeHtml(facts.links.conversations)}">Conversations</a></p>`
      : `<p>${escapeHtml(linkLines[0] as string)}</p>`,
    `<p style="color:#666;font-size:12px">${escapeHtml(REASON_LINES[facts.reason ?? "asked"])}</p>`,
    `</body></html>`,
  ].join("\n");
  return { subject, text, html };
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}
