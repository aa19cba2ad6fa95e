import { PageProblem } from "@/components/page-problem";
import { SettingsHistory } from "@/components/settings/settings-history";
import { SmtpSettingsForm } from "@/components/settings/smtp-settings-form";
import { isAppError } from "@/core/errors";
import { EMAIL_SETTINGS_PATH } from "@/lib/email-settings";
import { requireInstallationOwner } from "@/server/auth";
import { getDatabase } from "@/server/db/instance";
import { loadSmtpSettingsView, type SmtpSettingsView } from "@/server/email/smtp-settings";
import { loadSettingsHistory } from "@/server/settings/settings-audit";

// Reads the live database on every request.
export const dynamic = "force-dynamic";

export const metadata = { title: "E-mail settings · Bright Run" };

/**
 * /settings/email — the installation's mail server (issue 14 item 5; docs/email.md), for every
 * workspace: SMTP host, port, security, login, from address, Send test e-mail, and the history of
 * these settings. Installation owners only (requireInstallationOwner).
 */
export default async function EmailSettingsPage({ searchParams }: { searchParams: Promise<{ historyPage?: string }> }) {
  const { historyPage } = await searchParams;
  let data: { view: SmtpSettingsView; history: Awaited<ReturnType<typeof loadSettingsHistory>>; testAddress: string } | null = null;
  let problem: string | null = null;
  try {
    const user = await requireInstallationOwner();
    const { db } = await getDatabase();
    const [view, history] = await Promise.all([loadSmtpSettingsView(db), loadSettingsHistory(db, { workspaceId: null, page: Number(historyPage ?? 1) })]);
    data = { view, history, testAddress: user.email ?? "" };
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <div className="mx-auto max-w-3xl space-y-6 p-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">E-mail</h1>
        <p className="text-muted-foreground">
          The mail server Bright Run sends e-mail through, for every workspace: &ldquo;E-mail me when it finishes&rdquo; on a generation run, and invitations.
        </p>
      </header>
      {problem ? (
        <PageProblem>{problem}</PageProblem>
      ) : (
        data && (
          <>
            <SmtpSettingsForm initial={data.view} defaultTestAddress={data.testAddress} />
            <SettingsHistory history={data.history} basePath={EMAIL_SETTINGS_PATH} description="Changes to the e-mail settings, newest first. The password is never shown." />
          </>
        )
      )}
    </div>
  );
}
