/**
 * The daily summary e-mail's text (src/core/notifications/daily-summary-email.ts): the figures per
 * workspace, the spend as "unknown" naming the models without a price (never a guessed figure),
 * links or none, what counts as nothing to report, and HTML that escapes what it shows.
 */
import { describe, expect, it } from "vitest";
import { composeDailySummaryEmail, hasActivity, type WorkspaceDaySummary } from "../../src/core/notifications/daily-summary-email";

const workspace = (overrides: Partial<WorkspaceDaySummary> = {}): WorkspaceDaySummary => ({
  name: "Harbor & Pine",
  generated: 12,
  approved: 5,
  rejected: 2,
  failed: 1,
  runsFinished: 2,
  runsFailed: 0,
  spendUsd: 3.5,
  unpricedModels: [],
  link: "https://br.example.com/w/hp",
  ...overrides,
});
const periodEnd = new Date("2026-11-29T07:00:00Z");

describe("composeDailySummaryEmail", () => {
  it("gives each workspace's figures with its link, and the way to turn it off", () => {
    const email = composeDailySummaryEmail({ periodEnd, workspaces: [workspace(), workspace({ name: "Second", generated: 1, link: null })], preferencesLink: "https://br.example.com/preferences" });
    expect(email.subject).toBe("Bright Run daily summary for 2026-11-29: 13 conversations generated in 2 workspaces");
    expect(email.text).toContain("What happened in the 24 hours before 2026-11-29 07:00 UTC.");
    expect(email.text).toContain(
      ["Harbor & Pine", "  Conversations generated: 12", "  Approved: 5", "  Rejected: 2", "  Failed: 1", "  Spend: $3.50", "  Runs finished: 2", "  Open: https://br.example.com/w/hp"].join("\n"),
    );
    expect(email.text).toContain("Second\n  Conversations generated: 1");
    expect(email.text).not.toContain("Open: null");
    expect(email.text).toContain("Turn it off under Preferences → E-mail. https://br.example.com/preferences");
    expect(email.html).toContain("Harbor &amp; Pine");
    expect(email.html).not.toContain("Harbor & Pine");
  });

  it("says the spend is unknown when a model without a price was called, and counts failed runs", () => {
    const email = composeDailySummaryEmail({ periodEnd, workspaces: [workspace({ unpricedModels: ["my-local-model"], spendUsd: 0, runsFailed: 1 })], preferencesLink: null });
    expect(email.text).toContain("  Spend: unknown — no price is set for my-local-model ($0.00 recorded for priced calls); set one on the Settings page");
    expect(email.text).toContain("  Runs finished: 2 (and 1 run failed)");
    expect(email.subject).toMatch(/in 1 workspace$/);
  });

  it("has nothing to report only when every figure is zero and no model was called", () => {
    const idle = { generated: 0, approved: 0, rejected: 0, failed: 0, runsFinished: 0, runsFailed: 0, spendUsd: 0, unpricedModels: [] };
    expect(hasActivity(idle)).toBe(false);
    expect(hasActivity({ ...idle, rejected: 1 })).toBe(true);
    expect(hasActivity({ ...idle, spendUsd: 0.01 })).toBe(true);
    expect(hasActivity({ ...idle, unpricedModels: ["m"] })).toBe(true);
  });
});
