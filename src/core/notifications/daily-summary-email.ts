/**
 * The daily summary e-mail (US14.1.1, preference `email.dailySummary`; docs/email.md): for each
 * workspace the user can read and in which something happened over the last 24 hours, the
 * conversations generated, approved, rejected and failed, the spend (USD, or "unknown" when a model
 * without a known price was called: never a guessed figure) and the runs finished, with a link.
 * Framework-free: the caller (src/server/email/daily-summary.ts) gathers the figures.
 */
import { formatCostUsd } from "../cost/estimate";
import { escapeHtml } from "../generation/run-email";

/** One workspace's figures for the period. */
export interface WorkspaceDaySummary {
  name: string;
  generated: number;
  approved: number;
  rejected: number;
  failed: number;
  runsFinished: number;
  runsFailed: number;
  /** Recorded spend, USD. */
  spendUsd: number;
  /** Models called in the period that have no known price (their calls were recorded at $0); non-empty = the spend is unknown. */
  unpricedModels: string[];
  /** Absolute link to the workspace; null when the public address is not known. */
  link: string | null;
}

/** Whether a workspace's period has anything to report (a count above zero or any spend). */
export function hasActivity(summary: Omit<WorkspaceDaySummary, "name" | "link">): boolean {
  return summary.generated + summary.approved + summary.rejected + summary.failed + summary.runsFinished + summary.runsFailed > 0 || summary.spendUsd > 0 || summary.unpricedModels.length > 0;
}

/** Everything the message says. */
export interface DailySummaryFacts {
  /** The end of the 24-hour period (the summary covers [periodEnd − 24 h, periodEnd)). */
  periodEnd: Date;
  /** The workspaces with activity, in the order to show. */
  workspaces: WorkspaceDaySummary[];
  /** Absolute link to the Preferences page (to turn the summary off); null when the public address is not known. */
  preferencesLink: string | null;
}

const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

/** The spend line: "$1.23", or "unknown" naming the models without a price. */
export function describeSpend(summary: Pick<WorkspaceDaySummary, "spendUsd" | "unpricedModels">): string {
  if (summary.unpricedModels.length) return `unknown — no price is set for ${summary.unpricedModels.join(", ")} (${formatCostUsd(summary.spendUsd)} recorded for priced calls); set one on the Settings page`;
  return formatCostUsd(summary.spendUsd);
}

/**
 * Composes the subject, text and HTML of a daily summary.
 * @returns the message; throws nothing
 */
export function composeDailySummaryEmail(facts: DailySummaryFacts): { subject: string; text: string; html: string } {
  const day = facts.periodEnd.toISOString().slice(0, 10);
  const totalGenerated = facts.workspaces.reduce((n, w) => n + w.generated, 0);
  const subject = `Bright Run daily summary for ${day}: ${plural(totalGenerated, "conversation")} generated in ${plural(facts.workspaces.length, "workspace")}`;
  const intro = `What happened in the 24 hours before ${facts.periodEnd.toISOString().slice(0, 16).replace("T", " ")} UTC.`;
  const rowsOf = (w: WorkspaceDaySummary): Array<[string, string]> => [
    ["Conversations generated", w.generated.toLocaleString("en-US")],
    ["Approved", w.approved.toLocaleString("en-US")],
    ["Rejected", w.rejected.toLocaleString("en-US")],
    ["Failed", w.failed.toLocaleString("en-US")],
    ["Spend", describeSpend(w)],
    ["Runs finished", `${w.runsFinished.toLocaleString("en-US")}${w.runsFailed ? ` (and ${plural(w.runsFailed, "run")} failed)` : ""}`],
  ];
  const footer = "You get this e-mail because your preferences ask for a daily summary. Turn it off under Preferences → E-mail.";
  const text = [
    intro,
    "",
    ...facts.workspaces.flatMap((w) => [w.name, ...rowsOf(w).map(([k, v]) => `  ${k}: ${v}`), ...(w.link ? [`  Open: ${w.link}`] : []), ""]),
    facts.preferencesLink ? `${footer} ${facts.preferencesLink}` : footer,
    "",
  ].join("\n");
  const html = [
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#111;line-height:1.5">`,
    `<p>${escapeHtml(intro)}</p>`,
    ...facts.workspaces.map((w) =>
      [
        `<h3 style="margin:16px 0 4px">${w.link ? `<a href="${escapeHtml(w.link)}">${escapeHtml(w.name)}</a>` : escapeHtml(w.name)}</h3>`,
        `<table cellpadding="4" style="border-collapse:collapse">`,
        ...rowsOf(w).map(([k, v]) => `<tr><th align="left" style="padding-right:16px">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`),
        `</table>`,
      ].join("\n"),
    ),
    `<p style="color:#666;font-size:12px">${escapeHtml(footer)}${facts.preferencesLink ? ` <a href="${escapeHtml(facts.preferencesLink)}">Preferences</a>` : ""}</p>`,
    `</body></html>`,
  ].join("\n");
  return { subject, text, html };
}
