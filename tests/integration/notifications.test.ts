/**
 * E-mail notification preferences that do something (US1.3.1, US1.3.2, US14.1.1; docs/email.md,
 * docs/preferences.md), on a real database (PGlite, or PostgreSQL with BRIGHTRUN_TEST_DB=postgres)
 * and a local SMTP server started by the test:
 * - "run finished" decides whether the Generate dialog's "E-mail me when it finishes" starts ticked;
 * - "run failed": the user who started a run that pauses on its spending limit, or fails, gets that
 *   e-mail without ticking the box when the preference is on, and nothing when it is off; a run of
 *   the CLI's local owner e-mails nobody;
 * - "daily summary": each account with the preference on gets one summary of the workspaces it can
 *   read that had activity (the installation owner: every workspace; a member: its own), nobody
 *   else; a second pass the same day, and the scheduled job, send nothing more.
 */
import path from "node:path";
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors";
import { DEFAULT_RETRY_POLICY } from "../../src/core/generation/retry-policy";
import { importPath } from "../../src/core/import/import-workspace";
import { createSimulatedProvider, SIMULATED_MODEL } from "../../src/core/llm/simulated-provider";
import { createPlan } from "../../src/core/planning/create-plan";
import { reviewConversations } from "../../src/core/review/review-conversations";
import { DEFAULT_PREFERENCES, type Preferences } from "../../src/lib/preferences";
import { createAccount, createOwnerAccount, setMemberRole } from "../../src/server/accounts/accounts";
import { estimateGenerationAction } from "../../src/server/actions/generation";
import { localOwner, runAsPrincipal, setProcessPrincipal, type Principal } from "../../src/server/auth";
import type { DatabaseHandle } from "../../src/server/db/client";
import { conversations, emailMessages, type UserRow, type WorkspaceRow } from "../../src/server/db/schema";
import { sendDailySummaries } from "../../src/server/email/daily-summary";
import { rememberServerUrl } from "../../src/server/email/public-url";
import { saveSmtpSettings } from "../../src/server/email/smtp-settings";
import { startDailySummarySchedule } from "../../src/server/jobs/daily-summary-job";
import { startEmailWorker, type EmailWorker } from "../../src/server/jobs/email-job";
import { savePreferences } from "../../src/server/preferences";
import { cancelGenerationRun } from "../../src/server/runs/run-control";
import { runGeneration } from "../../src/server/runs/run-generation";
import { testEngineSettings } from "../support/generate-now";
import { startLocalSmtpServer, type LocalSmtpServer } from "../support/local-smtp-server";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const DATABASE_KEY = Symbol.for("brightrun.database");
const PASSWORD = "correct horse battery";

let handle: DatabaseHandle;
let smtp: LocalSmtpServer;
let emailWorker: EmailWorker;
let main: WorkspaceRow;
let other: WorkspaceRow;
let owner: UserRow;
let admin: UserRow;
let loner: UserRow;
let quiet: UserRow;

const principalOf = (row: UserRow, isInstallationOwner = false): Principal => ({ id: row.id, displayName: row.name, email: row.email, isInstallationOwner, kind: "account" });
const withEmail = (email: Partial<Preferences["email"]>): Preferences => ({ ...DEFAULT_PREFERENCES, email: { ...DEFAULT_PREFERENCES.email, ...email } });

/** Starts a simulated run as `userId` over `tier` of `workspaceId`; with `pause`, the model is priced so high that the run pauses on its $0.01 limit. */
function run(userId: string, workspaceId: string, tier: "template" | "scenario" | "edge_case" | Array<"template" | "scenario" | "edge_case">, pause: boolean, { fail = false } = {}) {
  // fail: every call is refused by the provider and never retried, so the run ends "failed".
  const provider = fail
    ? { ...createSimulatedProvider(), generate: async () => Promise.reject(new AppError("auth_failed", "The provider refused the API key.")) }
    : createSimulatedProvider();
  return runGeneration({
    handle,
    userId,
    settings: testEngineSettings({
      ...(pause ? { priceOverrides: { [SIMULATED_MODEL]: { input: 1_000, output: 1_000 } } } : {}),
      ...(fail ? { retryPolicy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 } } : {}),
    }),
    providerFor: () => ({ provider, model: SIMULATED_MODEL }),
    pollMs: 50,
    input: {
      workspaceId,
      selection: { tier: [tier].flat() },
      kind: "live",
      provider: "simulated",
      model: SIMULATED_MODEL,
      userId,
      concurrency: 1,
      ...(pause ? { budgetUsd: 0.01 } : {}),
      notifyUserId: null,
    },
  });
}

const emailsOfRun = (runId: string) => handle.db.select().from(emailMessages).where(eq(emailMessages.runId, runId));
const summariesTo = (userId: string) => handle.db.select().from(emailMessages).where(and(eq(emailMessages.kind, "daily_summary"), eq(emailMessages.userId, userId)));

describe(`e-mail notification preferences (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    (globalThis as Record<symbol, unknown>)[DATABASE_KEY] = Promise.resolve(handle);
    main = await createTestWorkspace(handle.db);
    await importPath({ db: handle.db, workspaceId: main.id, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId: main.id, split: { template: 3, scenario: 2, edge_case: 2 } });
    other = await createTestWorkspace(handle.db, "Other business");
    await importPath({ db: handle.db, workspaceId: other.id, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId: other.id, split: { template: 1, scenario: 0, edge_case: 0 } });
    owner = await createOwnerAccount(handle, { name: "Olive Owner", email: "olive@example.com", password: PASSWORD });
    admin = await createAccount(handle, { name: "Adam Admin", email: "adam@example.com", password: PASSWORD });
    loner = await createAccount(handle, { name: "Lou Loner", email: "lou@example.com", password: PASSWORD });
    quiet = await createAccount(handle, { name: "Quinn Quiet", email: "quinn@example.com", password: PASSWORD });
    await setMemberRole(handle.db, { workspaceId: main.id, userId: admin.id, role: "admin", addedBy: owner.id });
    await setMemberRole(handle.db, { workspaceId: main.id, userId: quiet.id, role: "viewer", addedBy: owner.id });
    smtp = await startLocalSmtpServer();
    rememberServerUrl("http://localhost:3999");
  }, 180_000);

  afterAll(async () => {
    setProcessPrincipal(null);
    await emailWorker?.stop();
    await smtp?.close();
    (globalThis as Record<symbol, unknown>)[DATABASE_KEY] = undefined;
    await handle?.close();
  });

  it("ticks 'E-mail me when it finishes' by default when the 'run finished' preference is on, and not when it is off or e-mail cannot be used", async () => {
    const estimate = async (principal: Principal) => {
      const result = await runAsPrincipal(principal, () => estimateGenerationAction(main.slug, { scope: { kind: "tier", tier: "template" } }));
      if (!result.ok) throw new Error(result.error.message);
      return result.data.notifyByEmail;
    };
    // No mail server yet: disabled with its reason, and not ticked whatever the preference says.
    expect(await estimate(principalOf(owner, true))).toEqual({ available: false, reason: expect.stringContaining("E-mail is not set up"), preferred: false });
    await saveSmtpSettings(handle.db, { host: "127.0.0.1", port: smtp.port, security: "none", username: null, password: { action: "keep" }, fromAddress: "Bright Run <brightrun@example.com>" }, { id: owner.id, displayName: owner.name });
    emailWorker = await startEmailWorker({ handle, pollSeconds: 0.5 });
    expect(await estimate(principalOf(owner, true))).toEqual({ available: true, reason: null, preferred: true });
    await savePreferences(handle.db, owner.id, withEmail({ runFinished: false }));
    expect(await estimate(principalOf(owner, true))).toEqual({ available: true, reason: null, preferred: false });
    // The CLI's local owner has no address: never ticked.
    expect(await estimate(localOwner("cli-user"))).toEqual({ available: false, reason: "Your account has no e-mail address.", preferred: false });
  });

  it("e-mails the user who started a run that pauses on its spending limit when 'run failed' is on, without the box ticked", async () => {
    const before = smtp.received.length;
    const paused = (await run(admin.id, main.id, "scenario", true)).run!;
    expect(paused.status).toBe("paused");
    const [message] = (await smtp.waitFor(before + 1)).slice(before);
    expect(message.to).toEqual([admin.email]);
    expect(message.mail.subject).toMatch(/^Run paused at its spending limit: \d of 2 conversations generated · Test business$/);
    expect(message.mail.text).toContain("you started the run and your preferences ask for an e-mail when a run fails or stops at its spending limit");
    expect(message.mail.text).not.toContain("you ticked");
    expect(await emailsOfRun(paused.id)).toEqual([expect.objectContaining({ kind: "run_paused", userId: admin.id, toAddress: admin.email })]);
    await cancelGenerationRun({ handle, runId: paused.id });
  }, 120_000);

  it("sends nothing about a paused run when the starter's 'run failed' preference is off, nor for a run of the CLI's local owner", async () => {
    await savePreferences(handle.db, admin.id, withEmail({ runFailed: false }));
    const quietRun = (await run(admin.id, main.id, "template", true)).run!;
    expect(quietRun.status).toBe("paused");
    const localRun = (await run(localOwner("cli-user").id, main.id, "edge_case", true)).run!;
    expect(localRun.status).toBe("paused");
    expect(await emailsOfRun(quietRun.id)).toEqual([]);
    expect(await emailsOfRun(localRun.id)).toEqual([]);
    await cancelGenerationRun({ handle, runId: quietRun.id });
    await cancelGenerationRun({ handle, runId: localRun.id });
    await savePreferences(handle.db, admin.id, withEmail({}));
  }, 120_000);

  it("e-mails the starter of a run that fails when 'run failed' is on, without the box ticked", async () => {
    const before = smtp.received.length;
    const failed = (await run(admin.id, main.id, "scenario", false, { fail: true })).run!;
    expect(failed.status).toBe("failed");
    const [message] = (await smtp.waitFor(before + 1)).slice(before);
    expect(message.to).toEqual([admin.email]);
    expect(message.mail.subject).toMatch(/^Run failed: 0 of [12] conversations generated · Test business$/);
    expect(message.mail.text).toContain("your preferences ask for an e-mail when a run fails");
    expect(await emailsOfRun(failed.id)).toEqual([expect.objectContaining({ kind: "run_failed", userId: admin.id })]);
  }, 120_000);

  it("sends each account with 'daily summary' on one summary of the workspaces it can read, once a day, and nobody else", async () => {
    // Activity: every conversation of the main workspace generated and some reviewed; one of the other workspace generated.
    const finished = (await run(owner.id, main.id, ["template", "scenario", "edge_case"], false)).run!;
    expect(finished.status).toBe("completed");
    const generated = await handle.db
      .select({ id: conversations.conversationId })
      .from(conversations)
      .where(and(eq(conversations.workspaceId, main.id), inArray(conversations.status, ["generated"])))
      .orderBy(conversations.conversationId);
    expect(generated.length).toBeGreaterThanOrEqual(3);
    // Every conversation generated today (the paused runs may have generated some before pausing), seeds aside.
    const [{ count: generatedToday }] = await handle.db
      .select({ count: sql<number>`count(*)::int` })
      .from(conversations)
      .where(and(eq(conversations.workspaceId, main.id), eq(conversations.isSeed, false), inArray(conversations.status, ["generated", "approved", "rejected"])));
    for (const [action, conversation] of [["approve", generated[0]], ["approve", generated[1]], ["reject", generated[2]]] as const) {
      expect((await reviewConversations({ db: handle.db, workspaceId: main.id, action, ids: [conversation.id], notes: "Read in full.", reviewerId: admin.id })).reviewed).toEqual([conversation.id]);
    }
    expect((await run(owner.id, other.id, "template", false)).run!.status).toBe("completed");

    // On: the owner, the admin (member of the main workspace only) and the loner (no workspace). Off: quiet (a viewer of the main workspace).
    for (const user of [owner, admin, loner]) await savePreferences(handle.db, user.id, withEmail({ dailySummary: true }));

    const dry = await sendDailySummaries(handle.db, { dryRun: true });
    expect(dry.configured).toBe(true);
    expect(dry.users.map((u) => [u.email, u.outcome, u.workspaces])).toEqual([
      [owner.email, "would_send", ["Other business", "Test business"]],
      [admin.email, "would_send", ["Test business"]],
      [loner.email, "nothing_to_report", []],
    ]);
    expect(await handle.db.select().from(emailMessages).where(eq(emailMessages.kind, "daily_summary"))).toEqual([]);

    const before = smtp.received.length;
    // Two passes at once (two processes taking the job): each account's summary is queued by exactly one.
    const passes = await Promise.all([sendDailySummaries(handle.db), sendDailySummaries(handle.db)]);
    for (const user of [owner, admin]) {
      expect(passes.map((p) => p.users.find((u) => u.userId === user.id)?.outcome).sort()).toEqual(["already_sent", "queued"]);
    }
    expect(passes.every((p) => p.users.find((u) => u.userId === loner.id)?.outcome === "nothing_to_report")).toBe(true);
    const messages = (await smtp.waitFor(before + 2)).slice(before);
    const to = (address: string) => messages.find((m) => m.to.includes(address))!;
    const ownerMail = to(owner.email).mail;
    expect(ownerMail.subject).toMatch(new RegExp(`^Bright Run daily summary for \\d{4}-\\d{2}-\\d{2}: ${generatedToday + 1} conversations generated in 2 workspaces$`));
    // Approved: the sample's 10 hand-written seed conversations (approved on import, today) and the 2 above.
    expect(ownerMail.text).toContain(["Test business", `  Conversations generated: ${generatedToday}`, "  Approved: 12", "  Rejected: 1", "  Failed: 1"].join("\n"));
    expect(ownerMail.text).toContain("  Runs finished: 1 (and 1 run failed)\n");
    // The paused runs' calls were priced (the simulated model at $1,000 per million tokens): their recorded cost is the spend.
    expect(ownerMail.text).toMatch(/Test business\n(?: {2}.*\n){4} {2}Spend: \$\d+\.\d\d\n/);
    expect(ownerMail.text).toContain(`  Open: http://localhost:3999/w/${main.slug}`);
    expect(ownerMail.text).toContain(`Other business\n  Conversations generated: 1`);
    expect(ownerMail.text).toContain("http://localhost:3999/preferences");
    const adminMail = to(admin.email).mail;
    expect(adminMail.subject).toMatch(new RegExp(`: ${generatedToday} conversations generated in 1 workspace$`));
    expect(adminMail.text).not.toContain("Other business");
    expect(messages.some((m) => m.to.includes(loner.email) || m.to.includes(quiet.email))).toBe(false);

    // A second pass the same day (a retried job, the CLI) sends nothing more.
    const again = await sendDailySummaries(handle.db);
    expect(again.users.map((u) => [u.email, u.outcome])).toEqual([
      [owner.email, "already_sent"],
      [admin.email, "already_sent"],
      [loner.email, "nothing_to_report"],
    ]);
    expect(await summariesTo(owner.id)).toHaveLength(1);
    expect(await summariesTo(admin.id)).toHaveLength(1);
    expect(await summariesTo(quiet.id)).toEqual([]);
  }, 180_000);

  it("runs the summary from pg-boss's daily schedule, which finds today's summaries sent and sends nothing twice", async () => {
    const lines: string[] = [];
    const schedule = await startDailySummarySchedule({ handle, cron: "* * * * *", pollSeconds: 1, cronCheckSeconds: 1, log: (line) => lines.push(line) });
    try {
      // "* * * * *" fires at the next minute boundary (up to 60 s away), then pg-boss's 1 s checks take it.
      const deadline = Date.now() + 80_000;
      while (Date.now() < deadline && !lines.some((l) => l.includes(admin.email))) await new Promise((r) => setTimeout(r, 500));
      expect(lines).toContain(`daily summary: ${owner.email}: already has today's summary`);
      expect(lines).toContain(`daily summary: ${admin.email}: already has today's summary`);
      const { rows } = await handle.executeSql("select name, cron, timezone from pgboss.schedule where name = $1", ["daily-summary"]);
      expect(rows).toEqual([{ name: "daily-summary", cron: "* * * * *", timezone: "UTC" }]);
      expect(await summariesTo(owner.id)).toHaveLength(1);
    } finally {
      await schedule.stop();
    }
  }, 120_000);
});
