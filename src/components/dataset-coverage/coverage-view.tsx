"use client";
/**
 * The coverage page's body (issue 13 item 1, US3.2.1): the status filter (kept in the URL), the CSV
 * download with the same filter, the persona × emotional-arc heatmap with its gaps, the
 * recommendations, warnings and edge-case suggestions (coverage-suggestions.tsx), and the five
 * charts. Every bar, slice and cell links into the conversations table with the matching filter.
 */
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Download } from "lucide-react";

import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import {
  COVERAGE_BUCKETS,
  COVERAGE_GAP_THRESHOLD,
  COVERAGE_STATUS_FILTER_LABELS,
  COVERAGE_STATUS_FILTERS,
  type CoverageBucket,
  type CoverageReport,
  type CoverageStatusFilter,
} from "@/core/dataset-coverage/coverage";
import type { Tier } from "@/lib/constants";
import { coverageQuery, coverageTableQuery } from "@/lib/coverage-filter";
import { workspacePaths } from "@/lib/workspace-paths";
import { ArcChart, CategoryChart, PersonaChart, ScenarioChart, TierChart, type ChartEntry } from "./coverage-charts";
import { CoverageHeatmap } from "./coverage-heatmap";
import { CoverageSuggestionPanels } from "./coverage-suggestions";
import type { CoverageSuggestions } from "@/server/coverage-suggestions";

/** What the heatmap's counts are under each filter. */
const IN_VIEW_NOUN: Record<CoverageStatusFilter, string> = {
  all: "conversations",
  planned: "planned conversations",
  generated: "generated conversations",
  approved: "approved conversations",
};

export function CoverageView({ slug, report, suggestions, workerProblem }: { slug: string; report: CoverageReport; suggestions: CoverageSuggestions; workerProblem: string | null }) {
  const router = useRouter();
  const paths = workspacePaths(slug);
  const { status } = report;
  const table = (query: string) => paths.conversations(query);
  const cellCount = report.heatmap.cells.length;

  const personaRows: ChartEntry[] = report.personas.map((entry) => ({ entry, href: table(coverageTableQuery({ persona: entry.value! }, status)) }));
  const arcRows: ChartEntry[] = report.emotionalArcs.map((entry) => ({ entry, href: table(coverageTableQuery({ emotion: entry.value! }, status)) }));
  const tierRows: ChartEntry[] = report.tiers.map((entry) => ({
    entry,
    href: table(coverageTableQuery({ tier: entry.value as Tier }, "all")),
    bucketHrefs: Object.fromEntries(COVERAGE_BUCKETS.map((b) => [b, table(coverageTableQuery({ tier: entry.value as Tier, bucket: b }, "all"))])) as Record<CoverageBucket, string>,
  }));
  // The table's `source` filter matches a category; conversations without one cannot be selected by it, so that bar has no link.
  const categoryRows: ChartEntry[] = report.documentCategories.map((entry) => ({
    entry,
    href: entry.value === null ? null : table(coverageTableQuery({ sourceCategory: entry.value }, status)),
  }));
  const scenarioRows: ChartEntry[] = report.scenarios.map((entry) => ({ entry, href: null }));

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-end gap-3">
        <label className="space-y-1 text-sm">
          <span className="block text-muted-foreground">Status</span>
          <Select value={status} onValueChange={(v) => router.push(paths.coverage(coverageQuery(v as CoverageStatusFilter)))}>
            <SelectTrigger className="w-60" aria-label="Status">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {COVERAGE_STATUS_FILTERS.map((s) => (
                <SelectItem key={s} value={s}>
                  {COVERAGE_STATUS_FILTER_LABELS[s]}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </label>
        <p className="pb-2 text-sm text-muted-foreground" aria-live="polite">
          {report.totals.total} conversations in this workspace (seed examples not counted)
          {status !== "all" && `; ${report.totals.inView} in view (${COVERAGE_STATUS_FILTER_LABELS[status].toLowerCase()})`}.
        </p>
        <Button asChild variant="outline" className="ml-auto">
          <a href={paths.api.coverageCsv(coverageQuery(status))} download>
            <Download aria-hidden className="size-4" /> Download CSV
          </a>
        </Button>
      </div>

      {report.totals.total === 0 ? (
        <p className="rounded-md border p-4 text-sm text-muted-foreground">
          No conversations planned yet, so there is nothing to measure. Plan conversations on the{" "}
          <Link href={paths.plan} className="underline underline-offset-2">
            Plan page
          </Link>
          ; coverage counts them as they are planned, generated and reviewed.
        </p>
      ) : (
        <>
          <section aria-labelledby="heatmap-heading" className="space-y-2">
            <h2 id="heatmap-heading" className="text-lg font-semibold">
              Persona × emotional arc
            </h2>
            <p className="text-sm text-muted-foreground">
              {report.heatmap.gaps === 0
                ? `No gaps: every combination has at least ${COVERAGE_GAP_THRESHOLD} ${IN_VIEW_NOUN[status]}.`
                : `${report.heatmap.gaps} of ${cellCount} combinations are gaps (fewer than ${COVERAGE_GAP_THRESHOLD} ${IN_VIEW_NOUN[status]}).`}{" "}
              Click a cell to open its conversations.
            </p>
            <CoverageHeatmap
              personas={report.heatmap.personas}
              emotionalArcs={report.heatmap.emotionalArcs}
              cells={report.heatmap.cells}
              inViewLabel={IN_VIEW_NOUN[status]}
              hrefFor={(persona, emotion) => table(coverageTableQuery({ persona, emotion }, status))}
            />
          </section>
          <CoverageSuggestionPanels suggestions={suggestions} workerProblem={workerProblem} />
          <section aria-labelledby="charts-heading" className="space-y-3">
            <h2 id="charts-heading" className="text-lg font-semibold">
              Distribution
            </h2>
            <div className="grid gap-4 lg:grid-cols-2">
              <PersonaChart rows={personaRows} status={status} slug={slug} />
              <ArcChart rows={arcRows} status={status} slug={slug} />
              <TierChart rows={tierRows} slug={slug} />
              <CategoryChart rows={categoryRows} status={status} slug={slug} />
              <div className="lg:col-span-2">
                <ScenarioChart rows={scenarioRows} status={status} slug={slug} />
              </div>
            </div>
          </section>
        </>
      )}
    </div>
  );
}
