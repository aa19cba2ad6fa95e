/**
 * The run e-mail's text (src/core/generation/run-email.ts): counts, cost in USD or "unknown" when the
 * model has no known price (never a guessed figure), the quality summary, the spending-limit pause,
 * links or where to look without them, and HTML that escapes what it shows.
 */
import { describe, expect, it } from "vitest";
import { composeRunEmail, type RunEmailFacts } from "../../src/core/generation/run-email";
import { buildRunReport } from "../../src/core/generation/run-report";

function report({ provider = "openai", model = "gpt-5.6-luna", succeeded = 2, failed = 1, costs = [0.12, 0.08], scores = [7, 9, null] as Array<number | null> } = {}) {
  const startedAt = new Date("2026-11-29T10:00:00Z");
  return buildRunReport({
    run: {
      id: "0f1e2d3c-0000-4000-8000-000000000000", workspaceId: "w", kind: "live", status: failed ? "completed_with_failures" : "completed", provider, model, concurrency: 3,
      total: succeeded + failed, succeeded, failed, startedAt, finishedAt: new Date(startedAt.getTime() + 125_000), estimate: { costUsd: 0.25 }, selection: {},
    },
    logs: costs.map((costUsd, i) => ({ conversationId: `c${i}`, inputTokens: 100, outputTokens: 50, costUsd, errorCode: null })),
    conversations: scores.map((qualityScore, i) => ({ id: `c${i}`, conversationId: `tmpl-00${i + 1}`, tier: "template", status: qualityScore === null ? "failed" : "generated", qualityScore })),
  } as never);
}

const facts = (overrides: Partial<RunEmailFacts> = {}): RunEmailFacts => ({
  event: "finished",
  workspaceName: "Harbor & Pine",
  report: report(),
  budgetUsd: null,
  priceKnown: true,
  links: { runSummary: "https://br.example.com/w/hp/cost?run=1", conversations: "https://br.example.com/w/hp" },
  ...overrides,
});

describe("composeRunEmail", () => {
  it("gives the counts, the cost against the estimate, the quality and the links", () => {
    const email = composeRunEmail(facts());
    expect(email.subject).toBe("Run finished with 1 failure: 2 of 3 conversations generated · Harbor & Pine");
    expect(email.text).toContain("Conversations: 2 succeeded, 1 failed, 3 total");
    expect(email.text).toContain("Cost: $0.20 (estimated $0.25)");
    expect(email.text).toContain("Quality: average 8.0 of 10 over 2 scored conversations (lowest 7.0, highest 9.0)");
    expect(email.text).toContain("Run summary: https://br.example.com/w/hp/cost?run=1");
    expect(email.html).toContain("Harbor &amp; Pine");
    expect(email.html).not.toContain("Harbor & Pine");
  });

  it("says the cost is unknown when the model has no price, instead of $0", () => {
    const email = composeRunEmail(facts({ priceKnown: false, report: report({ model: "my-local-model", costs: [0, 0] }) }));
    expect(email.text).toContain("Cost: unknown — no price is set for my-local-model");
    expect(email.text).not.toContain("$0.00");
  });

  it("explains a pause on the spending limit and says where to look without a public address", () => {
    const email = composeRunEmail(facts({ event: "paused_spending_limit", budgetUsd: 0.2, links: null, report: report({ succeeded: 2, failed: 0, scores: [7, 9] }) }));
    expect(email.subject).toMatch(/^Run paused at its spending limit: 2 of 2 conversations generated/);
    expect(email.text).toContain("reached its spending limit of $0.20");
    expect(email.text).toContain('Open Bright Run, workspace "Harbor & Pine", to see the run');
  });

  it("says when no conversation has a quality score", () => {
    expect(composeRunEmail(facts({ event: "failed", report: report({ succeeded: 0, failed: 2, costs: [], scores: [null, null] }) })).text).toContain("Quality: no quality scores yet");
  });

  it("says why the person gets it: the box they ticked, or their 'run failed' preference", () => {
    expect(composeRunEmail(facts()).text).toContain('because you ticked "E-mail me when it finishes"');
    const byPreference = composeRunEmail(facts({ event: "failed", reason: "run_failed_preference" }));
    expect(byPreference.text).toContain("because you started the run and your preferences ask for an e-mail when a run fails or stops at its spending limit (Preferences → E-mail)");
    expect(byPreference.text).not.toContain("you ticked");
    expect(byPreference.html).toContain("your preferences ask");
  });
});
