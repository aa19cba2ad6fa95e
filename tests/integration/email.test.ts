/**
 * E-mail (issue 14 item 5; US1.3.1, US1.3.2) against a local SMTP server started by the test (the
 * `smtp-server` package), never a real one: SMTP settings saved with the password sealed and the
 * change audited with it masked; Send test e-mail delivered, and refused logins / a closed port
 * explained in plain English; queueing without SMTP refused plainly and writing nothing; a failing
 * server retried by the pg-boss job and recorded; a TLS / STARTTLS mismatch explained; a simulated
 * generation run with "E-mail me when it finishes" e-mails its owner once, with the right counts and
 * cost; a run that pauses on its spending limit (the simulated model priced high) e-mails that once.
 */
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPath } from "../../src/core/import/import-workspace";
import { createSimulatedProvider, SIMULATED_MODEL } from "../../src/core/llm/simulated-provider";
import { createPlan } from "../../src/core/planning/create-plan";
import type { DatabaseHandle } from "../../src/server/db/client";
import { emailMessages, settingsAudit, smtpSettings, users } from "../../src/server/db/schema";
import { rememberServerUrl } from "../../src/server/email/public-url";
import { notifyUserIdFor, runEmailAvailability } from "../../src/server/email/run-notification";
import { loadSmtpSettingsView, saveSmtpSettings, sendTestEmail, type SmtpSettingsInput } from "../../src/server/email/smtp-settings";
import { isEmailConfigured, queueEmail, startEmailWorker, type EmailWorker } from "../../src/server/jobs/email-job";
import { runGeneration } from "../../src/server/runs/run-generation";
import { testEngineSettings } from "../support/generate-now";
import { closedPort, startLocalSmtpServer, type LocalSmtpServer } from "../support/local-smtp-server";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const OWNER = { id: "owner-olive", displayName: "Olive Owner", email: "olive@example.com" };
const SMTP_LOGIN = { user: "brightrun", password: "correct horse battery staple" };

let handle: DatabaseHandle;
let workspaceId: string;
let smtp: LocalSmtpServer;
let emailWorker: EmailWorker;

const settingsFor = (port: number, password: SmtpSettingsInput["password"] = { action: "keep" }): SmtpSettingsInput => ({
  host: "127.0.0.1",
  port,
  security: "none",
  username: SMTP_LOGIN.user,
  password,
  fromAddress: "Bright Run <brightrun@example.com>",
});

async function waitForRow(id: string, done: (row: typeof emailMessages.$inferSelect) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await handle.db.select().from(emailMessages).where(eq(emailMessages.id, id));
    if (row && done(row)) return row;
    if (Date.now() > deadline) throw new Error(`E-mail ${id} did not reach the expected state: ${JSON.stringify(row)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe(`e-mail (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    handle = await createTestDatabase();
    workspaceId = (await createTestWorkspace(handle.db)).id;
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:test" });
    await createPlan({ db: handle.db, workspaceId, split: { template: 3, scenario: 2, edge_case: 1 } });
    await handle.db.insert(users).values({ id: OWNER.id, name: OWNER.displayName, email: OWNER.email });
    smtp = await startLocalSmtpServer({ auth: SMTP_LOGIN });
  }, 120_000);
  afterAll(async () => {
    await emailWorker?.stop();
    await smtp?.close();
    await handle?.close();
  });

  it("refuses to queue an e-mail while SMTP is not set up, writing nothing, and the Generate dialog says why", async () => {
    expect(await isEmailConfigured(handle.db)).toBe(false);
    await expect(queueEmail(handle.db, { kind: "invitation", to: "new@example.com", subject: "Join", text: "Hello" })).rejects.toMatchObject({
      code: "email_not_configured",
      message: expect.stringContaining("Settings → E-mail"),
    });
    expect(await handle.db.select().from(emailMessages)).toEqual([]);
    expect(await runEmailAvailability(handle.db, OWNER)).toEqual({ available: false, reason: expect.stringContaining("E-mail is not set up") });
    await expect(notifyUserIdFor(handle.db, OWNER, true)).rejects.toMatchObject({ code: "email_unavailable" });
  });

  it("saves the SMTP settings with the password sealed, never shown, and audited masked", async () => {
    const view = await saveSmtpSettings(handle.db, settingsFor(smtp.port, { action: "replace", value: SMTP_LOGIN.password }), OWNER);
    expect(view).toMatchObject({ configured: true, host: "127.0.0.1", port: smtp.port, security: "none", username: SMTP_LOGIN.user, passwordSet: true });
    expect(JSON.stringify(view)).not.toContain(SMTP_LOGIN.password);
    const [row] = await handle.db.select().from(smtpSettings);
    expect(row.passwordSealed).toMatch(/^v1:/);
    expect(row.passwordSealed).not.toContain(SMTP_LOGIN.password);
    const audit = await handle.db.select().from(settingsAudit).where(eq(settingsAudit.setting, "smtp.password"));
    expect(audit).toEqual([expect.objectContaining({ workspaceId: null, userName: OWNER.displayName, oldValue: "(not set)", newValue: "(set)" })]);
    const all = await handle.db.select().from(settingsAudit);
    expect(all.map((a) => `${a.oldValue} ${a.newValue}`).join(" ")).not.toContain(SMTP_LOGIN.password);
    expect(await runEmailAvailability(handle.db, { email: null })).toEqual({ available: false, reason: "Your account has no e-mail address." });
    expect(await runEmailAvailability(handle.db, OWNER)).toEqual({ available: true, reason: null });
    await expect(saveSmtpSettings(handle.db, { ...settingsFor(smtp.port), fromAddress: "not an address" }, OWNER)).rejects.toThrow(/from address must be an e-mail address/);
    await expect(saveSmtpSettings(handle.db, { ...settingsFor(smtp.port), port: 70000 }, OWNER)).rejects.toThrow(/port is a number from 1 to 65535/);
  });

  it("sends a test e-mail through the local server and remembers the success", async () => {
    const result = await sendTestEmail(handle.db, { to: "tester@example.com", user: OWNER });
    expect(result).toEqual({ ok: true, to: "tester@example.com" });
    const [message] = await smtp.waitFor(1);
    expect(message.to).toEqual(["tester@example.com"]);
    expect(message.mail.subject).toBe("Bright Run test e-mail");
    expect(message.mail.from?.text).toContain("brightrun@example.com");
    expect((await loadSmtpSettingsView(handle.db)).testedAt).toBeInstanceOf(Date);
  });

  it("explains a refused login and a closed port in plain English", async () => {
    await saveSmtpSettings(handle.db, settingsFor(smtp.port, { action: "replace", value: "wrong password" }), OWNER);
    const refused = await sendTestEmail(handle.db, { to: "tester@example.com", user: OWNER });
    expect(refused).toEqual({ ok: false, message: expect.stringMatching(/^The mail server refused the user name or password\..*Check both under Settings → E-mail/) });
    const port = await closedPort();
    await saveSmtpSettings(handle.db, settingsFor(port), OWNER);
    const closed = await sendTestEmail(handle.db, { to: "tester@example.com", user: OWNER });
    expect(closed).toEqual({ ok: false, message: expect.stringMatching(new RegExp(`^Nothing answered at 127\\.0\\.0\\.1:${port}: the connection was refused\\..*Check the host and port`)) });
    expect((await loadSmtpSettingsView(handle.db)).testedAt).toBeNull();
  });

  it("explains a security setting the server does not speak: TLS on a plain port, STARTTLS it does not offer", async () => {
    await saveSmtpSettings(handle.db, { ...settingsFor(smtp.port, { action: "replace", value: SMTP_LOGIN.password }), security: "tls" }, OWNER);
    expect(await sendTestEmail(handle.db, { to: "tester@example.com", user: OWNER })).toEqual({
      ok: false,
      message: expect.stringMatching(/^The TLS handshake with 127\.0\.0\.1:\d+ failed: the server does not speak TLS on this port\..*Check Security: port 465 usually uses TLS/),
    });
    await saveSmtpSettings(handle.db, { ...settingsFor(smtp.port), security: "starttls" }, OWNER);
    expect(await sendTestEmail(handle.db, { to: "tester@example.com", user: OWNER })).toEqual({
      ok: false,
      message: expect.stringMatching(/^127\.0\.0\.1:\d+ does not offer STARTTLS, so the connection was not encrypted and nothing was sent\./),
    });
  });

  it("retries a message the server refuses, recording each attempt and the plain error, then marks it failed", async () => {
    await saveSmtpSettings(handle.db, settingsFor(smtp.port, { action: "replace", value: "wrong password" }), OWNER);
    emailWorker = await startEmailWorker({ handle, pollSeconds: 0.5 });
    const row = await queueEmail(handle.db, { kind: "invitation", to: "new@example.com", subject: "Join the workspace", text: "Hello" }, { retry: { limit: 1, delaySeconds: 1 } });
    expect(row).toMatchObject({ status: "queued", attempts: 0 });
    const failed = await waitForRow(row!.id, (r) => r.status === "failed");
    expect(failed.attempts).toBe(2);
    expect(failed.lastError).toMatch(/^The mail server refused the user name or password/);
    expect(failed.sentAt).toBeNull();
  }, 60_000);

  it("e-mails the owner of a run with 'E-mail me when it finishes' once, with its counts, cost and links", async () => {
    await saveSmtpSettings(handle.db, settingsFor(smtp.port, { action: "replace", value: SMTP_LOGIN.password }), OWNER);
    rememberServerUrl("http://localhost:3999");
    const before = smtp.received.length;
    const result = await runGeneration({
      handle,
      userId: OWNER.id,
      settings: testEngineSettings(),
      providerFor: () => ({ provider: createSimulatedProvider(), model: SIMULATED_MODEL }),
      pollMs: 50,
      input: {
        workspaceId,
        selection: { tier: ["template"] },
        kind: "live",
        provider: "simulated",
        model: SIMULATED_MODEL,
        userId: OWNER.id,
        concurrency: 2,
        notifyUserId: await notifyUserIdFor(handle.db, OWNER, true),
      },
    });
    const run = result.run!;
    expect(run.total).toBe(3);
    const [message] = (await smtp.waitFor(before + 1)).slice(before);
    expect(message.to).toEqual([OWNER.email]);
    expect(message.mail.subject).toBe("Run finished: 3 of 3 conversations generated · Test business");
    expect(message.mail.text).toContain("Conversations: 3 succeeded, 0 failed, 3 total");
    expect(message.mail.text).toContain("Cost: $0.00 — simulated, not a language model");
    expect(message.mail.text).toMatch(/Quality: average \d+\.\d of 10 over 3 scored conversations/);
    expect(message.mail.text).toContain(`Run summary: http://localhost:3999/w/test-business/cost?run=${run.id}`);
    expect(message.mail.html).toContain("<table");
    const rows = await handle.db.select().from(emailMessages).where(eq(emailMessages.runId, run.id));
    expect(rows).toEqual([expect.objectContaining({ kind: "run_finished", status: "sent", attempts: 1, toAddress: OWNER.email, userId: OWNER.id })]);
    expect(rows[0].sentAt).toBeInstanceOf(Date);
  }, 120_000);

  it("e-mails once when a run pauses on its spending limit, saying so", async () => {
    const before = smtp.received.length;
    const priced = { [SIMULATED_MODEL]: { input: 1_000, output: 1_000 } };
    const result = await runGeneration({
      handle,
      userId: OWNER.id,
      settings: testEngineSettings({ priceOverrides: priced }),
      providerFor: () => ({ provider: createSimulatedProvider(), model: SIMULATED_MODEL }),
      pollMs: 50,
      input: {
        workspaceId,
        selection: { tier: ["scenario"] },
        kind: "live",
        provider: "simulated",
        model: SIMULATED_MODEL,
        userId: OWNER.id,
        concurrency: 1,
        budgetUsd: 0.01,
        notifyUserId: OWNER.id,
      },
    });
    const run = result.run!;
    const [message] = (await smtp.waitFor(before + 1)).slice(before);
    expect(message.to).toEqual([OWNER.email]);
    expect(message.mail.subject).toMatch(/^Run paused at its spending limit: \d of 2 conversations generated · Test business$/);
    expect(message.mail.text).toContain("reached its spending limit of $0.01");
    const rows = await handle.db.select().from(emailMessages).where(eq(emailMessages.runId, run.id));
    expect(rows).toEqual([expect.objectContaining({ kind: "run_paused", status: "sent" })]);
  }, 120_000);
});
