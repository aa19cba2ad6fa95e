import Link from "next/link";
import { RoleNotice } from "@/components/accounts/role-notice";
import { isAppError } from "@/core/errors";
import { workspacePaths } from "@/lib/workspace-paths";
import { ModelSettingsForm } from "@/components/settings/model-settings-form";
import { RetentionSettingsForm } from "@/components/settings/retention-settings-form";
import { retentionSettingsOf, type RetentionSettings } from "@/core/retention/retention-policy";
import { WorkspaceSettings } from "@/components/workspaces/workspace-settings";
import type { DocumentCategoryList } from "@/lib/document-categories";
import { loadModelSettingsView, type ModelSettingsView } from "@/server/settings/model-settings";
import { openWorkspace } from "@/server/workspace-context";
import { documentCategoriesOf } from "@/server/workspaces";
import { PageProblem } from "@/components/page-problem";
import { SettingsHistory } from "@/components/settings/settings-history";
import { EMAIL_SETTINGS_PATH } from "@/lib/email-settings";
import { loadSettingsHistory, type SettingsHistoryEntry } from "@/server/settings/settings-audit";

// Reads the live database on every request.
export const dynamic = "force-dynamic";

export const metadata = { title: "Settings · Bright Run" };

/**
 * /w/:slug/settings — the workspace itself (rename, document categories, archive, delete) and the model it generates
 * with: provider, base URL, API key, model (with Load models), concurrency, rate limits (for all
 * models and per model), retries, prices, and Test connection (issue 9, items 1 and 4); retention
 * and PII redaction with a link to the database health page (issue 13 items 6 and 7); a link to the
 * installation's E-mail settings and the workspace's settings history (issue 14 items 2 and 5).
 */
export default async function SettingsPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<{ historyPage?: string }> }) {
  const { slug } = await params;
  const { historyPage } = await searchParams;
  let history: { entries: SettingsHistoryEntry[]; total: number; page: number; perPage: number } | null = null;
  let view: ModelSettingsView | null = null;
  let categories: DocumentCategoryList | undefined;
  let retention: { settings: RetentionSettings; archived: boolean } | null = null;
  let problem: string | null = null;
  let installationOwner = false;
  try {
    const { db, workspace, user } = await openWorkspace(slug, "read");
    installationOwner = user.isInstallationOwner;
    categories = documentCategoriesOf(workspace);
    retention = { settings: retentionSettingsOf(workspace), archived: workspace.archivedAt !== null };
    [view, history] = await Promise.all([loadModelSettingsView(db, workspace.id), loadSettingsHistory(db, { workspaceId: workspace.id, page: Number(historyPage ?? 1) })]);
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <div className="mx-auto max-w-3xl space-y-6 p-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Settings</h1>
        <p className="text-muted-foreground">
          This workspace, and the model its conversations are generated with. Environment variables, when set, win over what is saved here.
        </p>
        <p className="text-sm text-muted-foreground">
          The monthly budget and what generation has cost are on the{" "}
          <Link href={workspacePaths(slug).cost()} className="underline underline-offset-2">
            Cost page
          </Link>
          .
          {installationOwner ? (
            <>
              {" "}
              The mail server for run e-mails, shared by every workspace, is under{" "}
              <Link href={EMAIL_SETTINGS_PATH} className="underline underline-offset-2">
                E-mail settings
              </Link>
              .
            </>
          ) : (
            " The mail server for run e-mails is set by the installation owner."
          )}
        </p>
      </header>
      <RoleNotice permission="import" />
      <WorkspaceSettings documentCategories={categories} />
      {retention && (
        <RetentionSettingsForm
          key={JSON.stringify(retention.settings)}
          slug={slug}
          initial={retention.settings}
          disabled={retention.archived}
        />
      )}
      {problem ? (
        <PageProblem>{problem}</PageProblem>
      ) : (
        view && (
          <section aria-labelledby="model-settings" className="space-y-4">
            <h2 id="model-settings" className="text-lg font-semibold">
              Model
            </h2>
            <ModelSettingsForm initial={view} />
          </section>
        )
      )}
      {history && (
        <SettingsHistory
          history={history}
          basePath={workspacePaths(slug).settings}
          description="Every change to this workspace's settings (model, prices, rate limits, retries, retention, quality bars, document categories, monthly budget), newest first. API keys are shown masked."
        />
      )}
    </div>
  );
}
