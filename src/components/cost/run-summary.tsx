"use client";
/**
 * A finished run's cost summary (US13.2.1, US12.3.2): actual against estimated cost (± %), by tier,
 * min / average / median / max per conversation, tokens in and out, actual against estimated time,
 * and how its cost per conversation compares with the workspace's earlier runs, with the CSV
 * download. The figures are the report `brightrun runs show` prints (src/core/generation/run-report.ts),
 * read from GET /api/w/:slug/runs/:id/summary.
 */
import { useEffect, useState } from "react";
import { Download, Loader2 } from "lucide-react";
import type { RunReport } from "@/core/generation/run-report";
import { formatCostUsd, formatDurationMs } from "@/core/cost/estimate";
import { TIER_LABELS, TIERS } from "@/lib/constants";
import { pluralize } from "@/lib/format";
import { workspacePaths } from "@/lib/workspace-paths";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

/** RunReport as JSON: its dates are ISO 8601 strings. */
export type RunSummaryJson = Omit<RunReport, "run"> & { run: Omit<RunReport["run"], "startedAt" | "finishedAt"> & { startedAt: string; finishedAt: string | null } };

/** "12.5 % over", "3.0 % under", "as estimated"; null → "—". */
export function differenceText(percent: number | null, over = "over", under = "under", same = "as estimated"): string {
  if (percent === null) return "—";
  if (percent === 0) return same;
  return `${Math.abs(percent).toFixed(1)} % ${percent > 0 ? over : under}`;
}

/**
 * Loads and shows one run's summary; `refreshKey` changing reloads it.
 * @param showTitle false inside a dialog that is already titled "Run summary"
 */
export function RunSummary({ slug, runId, refreshKey = 0, showTitle = true }: { slug: string; runId: string; refreshKey?: number; showTitle?: boolean }) {
  const [summary, setSummary] = useState<RunSummaryJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    fetch(workspacePaths(slug).api.runSummary(runId), { cache: "no-store" })
      .then(async (response) => {
        const body = (await response.json()) as RunSummaryJson | { error: { message: string } };
        if (cancelled) return;
        if ("error" in body) setError(body.error.message);
        else {
          setSummary(body);
          setError(null);
        }
      })
      .catch(() => !cancelled && setError("The run's summary could not be loaded. Check that the server is running, then reopen it."));
    return () => {
      cancelled = true;
    };
  }, [slug, runId, refreshKey]);

  if (error) return <p className="text-sm text-red-700 dark:text-red-400" role="alert">{error}</p>;
  if (!summary) {
    return (
      <p className="flex items-center gap-2 text-sm text-muted-foreground" role="status">
        <Loader2 aria-hidden className="size-4 animate-spin" /> Loading the run&apos;s cost summary…
      </p>
    );
  }
  return <RunSummaryView slug={slug} summary={summary} showTitle={showTitle} />;
}

/** The summary's figures (no loading). */
export function RunSummaryView({ slug, summary, showTitle = true }: { slug: string; summary: RunSummaryJson; showTitle?: boolean }) {
  const s = summary;
  const simulated = s.run.provider === "simulated";
  const tiers = TIERS.filter((t) => s.byTier[t].conversations > 0);
  const per = s.perConversation;
  const withCalls = s.conversations.filter((c) => c.attempts > 0).length;
  return (
    <section aria-label="Run summary" className="space-y-3 rounded-md border bg-background p-3 text-sm" data-testid="run-summary">
      <div className={`flex flex-wrap items-center gap-2 ${showTitle ? "justify-between" : "justify-end"}`}>
        {showTitle && <h3 className="font-semibold">Run summary</h3>}
        <Button variant="outline" size="sm" asChild>
          <a href={workspacePaths(slug).api.runSummaryCsv(s.run.id)} download>
            <Download aria-hidden className="size-4" />
            Download cost report (CSV)
          </a>
        </Button>
      </div>
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
        <Figure label="Actual cost" value={formatCostUsd(s.actualCostUsd)} />
        <Figure
          label="Estimated cost"
          value={s.estimatedCostUsd === null ? "not recorded" : formatCostUsd(s.estimatedCostUsd)}
          note={s.estimatedCostUsd === null ? undefined : s.differencePercent === null ? "the estimate was $0" : differenceText(s.differencePercent, "over the estimate", "under the estimate")}
          testId="run-summary-variance"
        />
        <Figure label="Time" value={s.run.durationMs === null ? "still running" : formatDurationMs(s.run.durationMs)} note={s.estimatedTimeMs === null ? "no time estimate" : `estimated ${formatDurationMs(s.estimatedTimeMs)} · ${differenceText(s.timeDifferencePercent, "slower", "faster")}`} />
        <Figure label="Tokens" value={`${s.tokens.input.toLocaleString("en-US")} in`} note={`${s.tokens.output.toLocaleString("en-US")} out · ${pluralize(s.calls, "call")}${s.failedCalls ? `, ${s.failedCalls} failed` : ""}`} />
      </dl>
      {withCalls > 0 && (
        <p className="tabular-nums">
          <span className="text-muted-foreground">Per conversation ({withCalls}):</span> min {formatCostUsd(per.minUsd)} · average {formatCostUsd(per.avgUsd)} · median {formatCostUsd(per.medianUsd)} · max {formatCostUsd(per.maxUsd)}
        </p>
      )}
      <p className="text-muted-foreground" data-testid="run-summary-comparison">
        {s.comparison.previousAvgPerConversationUsd === null
          ? "No earlier finished run in this workspace to compare with."
          : `${formatCostUsd(per.avgUsd)} per conversation is ${differenceText(s.comparison.differencePercent, "higher than", "lower than", "the same as")} the average of ${formatCostUsd(s.comparison.previousAvgPerConversationUsd)} over ${pluralize(s.comparison.previousRuns, "earlier run")}${simulated ? " (simulated runs)" : ""}.`}
      </p>
      {tiers.length > 0 && (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Tier</TableHead>
              <TableHead className="text-right">Conversations</TableHead>
              <TableHead className="text-right">Cost</TableHead>
              <TableHead className="text-right">Input tokens</TableHead>
              <TableHead className="text-right">Output tokens</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {tiers.map((tier) => (
              <TableRow key={tier}>
                <TableCell>{TIER_LABELS[tier]}</TableCell>
                <TableCell className="text-right tabular-nums">{s.byTier[tier].conversations}</TableCell>
                <TableCell className="text-right tabular-nums">{formatCostUsd(s.byTier[tier].costUsd)}</TableCell>
                <TableCell className="text-right tabular-nums">{s.byTier[tier].inputTokens.toLocaleString("en-US")}</TableCell>
                <TableCell className="text-right tabular-nums">{s.byTier[tier].outputTokens.toLocaleString("en-US")}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {simulated && <p className="text-muted-foreground">Simulated provider: not a language model{s.actualCostUsd === 0 ? "; it costs nothing" : "; its cost comes from a price set in Settings or BRIGHTRUN_PRICES"}.</p>}
    </section>
  );
}

function Figure({ label, value, note, testId }: { label: string; value: string; note?: string; testId?: string }) {
  return (
    <div className="rounded-md border p-2" data-testid={testId}>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="text-base font-semibold tabular-nums">{value}</dd>
      {note && <dd className="text-xs text-muted-foreground">{note}</dd>}
    </div>
  );
}
