import Link from "next/link";
import { isAppError } from "@/core/errors";
import { AUDIT_TAB_LABELS, AUDIT_TABS, parseAuditParams, serializeAuditParams, type AuditState } from "@/lib/audit-params";
import { workspacePaths } from "@/lib/workspace-paths";
import { cn } from "@/lib/utils";
import { loadExportHistory, loadGenerationLog, loadReviewAudit, type GenerationLogPage } from "@/server/audit";
import { openWorkspace } from "@/server/workspace-context";
import { PageProblem } from "@/components/page-problem";
import { GenerationLogTab } from "@/components/audit/generation-log-tab";
import { ReviewsTab } from "@/components/audit/reviews-tab";
import { ExportHistoryTab, type ExportHistoryData } from "@/components/audit/export-history-tab";

// Reads the live database on every request.
export const dynamic = "force-dynamic";

export const metadata = { title: "Audit · Bright Run" };

type TabData =
  | { tab: "generation"; log: GenerationLogPage }
  | { tab: "reviews"; data: Awaited<ReturnType<typeof loadReviewAudit>> }
  | { tab: "exports"; data: ExportHistoryData };

function Tabs({ slug, state }: { slug: string; state: AuditState }) {
  const paths = workspacePaths(slug);
  return (
    <nav aria-label="Audit sections" className="flex gap-1 border-b">
      {AUDIT_TABS.map((tab) => {
        const current = tab === state.tab;
        // Days carry over between tabs; each tab's own filters do not.
        const query = serializeAuditParams({ ...state, tab, page: 1, conversation: null, run: null, template: null, kind: null, error: null, call: null, export: null, user: null });
        return (
          <Link
            key={tab}
            href={paths.audit(query)}
            aria-current={current ? "page" : undefined}
            className={cn(
              "-mb-px border-b-2 px-3 py-2 text-sm font-medium",
              current ? "border-primary text-foreground" : "border-transparent text-muted-foreground hover:text-foreground",
            )}
          >
            {AUDIT_TAB_LABELS[tab]}
          </Link>
        );
      })}
    </nav>
  );
}

/**
 * /audit — the audit trail (issue 13 item 5; US9.3.1–US9.3.3, US5.2.2): `?tab=generation` (every
 * call to a model, with its request and response), `?tab=reviews` (review activity per reviewer
 * and the compliance report), `?tab=exports` (export history with manifest, Recreate filters and
 * Re-run). Parameters: src/lib/audit-params.ts.
 */
export default async function AuditPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { slug } = await params;
  const { state, issues } = parseAuditParams(await searchParams);
  let data: TabData | null = null;
  let problem: string | null = null;
  try {
    const { db, workspace } = await openWorkspace(slug, "read");
    const workspaceId = workspace.id;
    if (state.tab === "generation") data = { tab: "generation", log: await loadGenerationLog({ db, workspaceId, state }) };
    else if (state.tab === "reviews") data = { tab: "reviews", data: await loadReviewAudit({ db, workspaceId, state }) };
    else data = { tab: "exports", data: await loadExportHistory({ db, workspaceId, state }) };
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <div className="mx-auto max-w-7xl space-y-6 p-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Audit</h1>
        <p className="text-muted-foreground">
          Who generated, reviewed and exported what, and when. These records are only ever added to; times are in UTC, as in the CSV downloads.
        </p>
      </header>
      <Tabs slug={slug} state={state} />
      {issues.length > 0 && (
        <div role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
          Some parts of this link could not be used: {issues.map((issue) => issue.message).join(" ")}
        </div>
      )}
      {problem ? (
        <PageProblem>{problem}</PageProblem>
      ) : data?.tab === "generation" ? (
        <GenerationLogTab slug={slug} state={state} log={data.log} />
      ) : data?.tab === "reviews" ? (
        <ReviewsTab slug={slug} state={state} activity={data.data.activity} compliance={data.data.compliance} />
      ) : data?.tab === "exports" ? (
        <ExportHistoryTab slug={slug} state={state} data={data.data} />
      ) : null}
    </div>
  );
}
