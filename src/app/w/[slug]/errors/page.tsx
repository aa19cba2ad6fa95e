import Link from "next/link";
import { ArrowLeft } from "lucide-react";
import { isAppError } from "@/core/errors";
import { parseErrorLogParams } from "@/lib/error-log-params";
import { loadErrorLog, type ErrorLog } from "@/server/error-log";
import { ErrorLogView } from "@/components/errors/error-log-view";
import { workspacePaths } from "@/lib/workspace-paths";
import { PageProblem } from "@/components/page-problem";

// Reads the live database on every request.
export const dynamic = "force-dynamic";

export const metadata = { title: "Generation errors · Bright Run" };

/** /errors — every failed generation call, newest first, with filters (US2.2.2, US11.3.1). */
export default async function ErrorLogPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug } = await params;
  const paths = workspacePaths(slug);
  const { state, issues } = parseErrorLogParams(await searchParams);
  let log: ErrorLog | null = null;
  let problem: string | null = null;
  try {
    log = await loadErrorLog(slug, state);
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <div className="mx-auto max-w-7xl space-y-6 p-6">
      <header className="space-y-2">
        <Link href={paths.conversations()} className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
          <ArrowLeft aria-hidden className="size-4" />
          Conversations
        </Link>
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div>
            <h1 className="text-2xl font-bold">Generation errors</h1>
            <p className="text-muted-foreground">
              Every failed call to the model, newest first. Open a conversation id for the full details and Retry.
            </p>
          </div>
          <Link href={paths.conversations("status=failed")} className="text-sm font-medium text-primary underline-offset-4 hover:underline">
            Show failed conversations
          </Link>
        </div>
      </header>
      {issues.length > 0 && (
        <div role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
          Some parts of this link could not be used: {issues.map((issue) => issue.message).join(" ")}
        </div>
      )}
      {problem ? (
        <PageProblem>{problem}</PageProblem>
      ) : (
        log && <ErrorLogView state={state} log={log} />
      )}
    </div>
  );
}
