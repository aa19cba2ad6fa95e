import { isAppError } from "@/core/errors";
import { PageProblem } from "@/components/page-problem";
import { TemplateAnalyticsView, type TemplateAnalyticsViewData } from "@/components/templates/template-analytics-view";
import { RECOMMENDATION_MIN_REVIEWED } from "@/core/templates/template-analytics";
import { parseTemplateAnalyticsFilter } from "@/lib/template-analytics-filter";
import { loadTemplateAnalytics } from "@/server/template-analytics";
import { openWorkspace } from "@/server/workspace-context";

// Reads the live database on every request.
export const dynamic = "force-dynamic";

export const metadata = { title: "Template analytics · Bright Run" };

/**
 * /templates/analytics — which template versions make the best conversations (issue 11 item 6,
 * US7.1.2). `?tier=`, `?period=30|90|365|all`, `?a=` / `?b=` (`<template id>:<version>`) compared.
 */
export default async function TemplateAnalyticsPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { slug } = await params;
  const filter = parseTemplateAnalyticsFilter(await searchParams);
  let data: TemplateAnalyticsViewData | null = null;
  let problem: string | null = null;
  try {
    const { db, workspace } = await openWorkspace(slug, "read");
    const analytics = await loadTemplateAnalytics({ db, workspaceId: workspace.id, filter });
    data = { ...analytics, minReviewed: RECOMMENDATION_MIN_REVIEWED };
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <div className="mx-auto max-w-7xl space-y-6 p-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Template analytics</h1>
        <p className="text-muted-foreground">
          How each prompt template version performs: conversations generated, average quality, how often reviewers approve them and the words they use when they reject. Counts conversations generated from a template that are generated, approved or rejected.
        </p>
      </header>
      {problem ? <PageProblem>{problem}</PageProblem> : data && <TemplateAnalyticsView slug={slug} filter={filter} data={data} />}
    </div>
  );
}
