import Link from "next/link";
import { AlertTriangle } from "lucide-react";

import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { QUERY_TIMING_RETENTION_DAYS } from "@/core/retention/retention-policy";
import { HEALTH_WINDOWS, QUERY_KIND_LABELS, type HealthWindow, type QueryKind } from "@/lib/database-health";
import { pluralize } from "@/lib/format";
import { cn } from "@/lib/utils";
import { workspacePaths } from "@/lib/workspace-paths";
import type { DatabaseHealthView } from "@/server/database-health";

const WINDOW_LABELS: Record<HealthWindow, string> = { "24h": "Last 24 hours", "7d": "Last 7 days", "30d": "Last 30 days" };

/** "12.3 ms", "1.24 s" */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

/** "8.0 kB", "12.4 MB" (powers of 1024, as PostgreSQL's pg_size_pretty). */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

const count = (n: number) => n.toLocaleString("en-US");
const kindLabel = (kind: string) => QUERY_KIND_LABELS[kind as QueryKind] ?? kind;
const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

function Section({ id, title, description, children }: { id: string; title: string; description: React.ReactNode; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3 rounded-lg border p-4">
      <div className="space-y-1">
        <h2 id={id} className="text-lg font-semibold">
          {title}
        </h2>
        <p className="text-sm text-muted-foreground">{description}</p>
      </div>
      {children}
    </section>
  );
}

/**
 * The database health page's body (issue 13 item 7): the list-query alert, query kinds with their
 * timings, slow queries, table sizes and index usage. Server-rendered; the window is a link.
 */
export function DatabaseHealthContent({ slug, view }: { slug: string; view: DatabaseHealthView }) {
  const paths = workspacePaths(slug);
  return (
    <div className="space-y-6">
      {view.listAlert && (
        <Alert variant="destructive">
          <AlertTriangle aria-hidden />
          <AlertTitle>The conversations table is slow</AlertTitle>
          <AlertDescription>
            Its list query took {formatMs(view.listAlert.p95Ms)} or less 95 % of the time ({pluralize(view.listAlert.count, "load")}, {WINDOW_LABELS[view.window].toLowerCase()}), over
            the {view.slowMs} ms target. See the table sizes and index usage below.
          </AlertDescription>
        </Alert>
      )}
      <nav aria-label="Time window" className="flex flex-wrap items-center gap-1 text-sm">
        {(Object.keys(HEALTH_WINDOWS) as HealthWindow[]).map((w) => (
          <Link
            key={w}
            href={`${paths.health}?window=${w}`}
            aria-current={w === view.window ? "page" : undefined}
            className={cn("rounded-md px-3 py-1.5", w === view.window ? "bg-primary text-primary-foreground" : "text-muted-foreground hover:bg-muted hover:text-foreground")}
          >
            {WINDOW_LABELS[w]}
          </Link>
        ))}
        <span className="ml-2 text-muted-foreground">Database: {view.database}</span>
      </nav>

      <Section
        id="query-kinds"
        title="Query timings"
        description={
          <>
            Measured by the app around its own queries on this workspace&apos;s pages (wall time in the server, including waiting for the database), since {utc(view.since)}. Slowest 95th
            percentile first.
          </>
        }
      >
        {view.kinds.length === 0 ? (
          <p className="text-sm text-muted-foreground">No queries timed in this window yet. Open the conversations table, Coverage or Audit and come back.</p>
        ) : (
          <Table aria-label="Query timings by kind">
            <TableHeader>
              <TableRow>
                <TableHead>Query</TableHead>
                <TableHead className="text-right">Count</TableHead>
                <TableHead className="text-right">p50</TableHead>
                <TableHead className="text-right">p95</TableHead>
                <TableHead className="text-right">Max</TableHead>
                <TableHead className="text-right">Over {view.slowMs} ms</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {view.kinds.map((k) => (
                <TableRow key={k.kind}>
                  <TableCell>
                    <div>{kindLabel(k.kind)}</div>
                    <div className="font-mono text-xs text-muted-foreground">{k.kind}</div>
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{count(k.count)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatMs(k.p50Ms)}</TableCell>
                  <TableCell className={cn("text-right tabular-nums", k.p95Ms > view.slowMs && "font-semibold text-destructive")}>{formatMs(k.p95Ms)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatMs(k.maxMs)}</TableCell>
                  <TableCell className="text-right tabular-nums">{count(k.slowCount)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Section>

      <Section id="slow-queries" title={`Queries over ${view.slowMs} ms`} description={`${pluralize(view.slowTotal, "query", "queries")} in this window; the 50 most recent are listed.`}>
        {view.slow.length === 0 ? (
          <p className="text-sm text-muted-foreground">None: every timed query finished within {view.slowMs} ms.</p>
        ) : (
          <Table aria-label="Slow queries">
            <TableHeader>
              <TableRow>
                <TableHead>When</TableHead>
                <TableHead>Query</TableHead>
                <TableHead className="text-right">Took</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {view.slow.map((s, i) => (
                <TableRow key={`${s.recordedAt}-${i}`}>
                  <TableCell className="whitespace-nowrap">{utc(s.recordedAt)}</TableCell>
                  <TableCell>{kindLabel(s.kind)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatMs(s.durationMs)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Section>

      <Section
        id="table-sizes"
        title="Tables"
        description="Every table of the installation (all workspaces share them): size on disk including indexes, and rows. Estimated rows come from PostgreSQL's statistics (ANALYZE); tables never analysed are counted exactly."
      >
        <Table aria-label="Table sizes">
          <TableHeader>
            <TableRow>
              <TableHead>Table</TableHead>
              <TableHead className="text-right">Size</TableHead>
              <TableHead className="text-right">Rows</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {view.tables.map((t) => (
              <TableRow key={t.table}>
                <TableCell className="font-mono text-xs">{t.table}</TableCell>
                <TableCell className="text-right tabular-nums">{formatBytes(t.totalBytes)}</TableCell>
                <TableCell className="text-right tabular-nums">
                  {t.rowsSource === "estimate" ? "≈ " : ""}
                  {count(t.rows)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Section>

      <Section
        id="index-usage"
        title="Index usage"
        description="Scans per index since PostgreSQL's statistics were last reset (pg_stat_user_indexes), least used first. An index that enforces a unique rule is needed even when never scanned."
      >
        {!view.indexes.available ? (
          <p role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
            Index usage is not available: {view.indexes.reason} {pluralize(view.indexes.rows.length, "index", "indexes")} exist.
          </p>
        ) : (
          <Table aria-label="Index usage">
            <TableHeader>
              <TableRow>
                <TableHead>Index</TableHead>
                <TableHead>Table</TableHead>
                <TableHead className="text-right">Scans</TableHead>
                <TableHead className="text-right">Entries read</TableHead>
                <TableHead className="text-right">Size</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {view.indexes.rows.map((r) => (
                <TableRow key={r.index}>
                  <TableCell className="font-mono text-xs">
                    {r.index}
                    {r.scans === 0 && <span className="ml-2 font-sans text-muted-foreground">{r.enforcesConstraint ? "(unused; enforces a unique rule)" : "(unused)"}</span>}
                  </TableCell>
                  <TableCell className="font-mono text-xs">{r.table}</TableCell>
                  <TableCell className="text-right tabular-nums">{count(r.scans)}</TableCell>
                  <TableCell className="text-right tabular-nums">{count(r.tuplesRead)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatBytes(r.bytes)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Section>
      <p className="text-xs text-muted-foreground">
        Query timings are kept for {QUERY_TIMING_RETENTION_DAYS} days, then removed by the retention job.
      </p>
    </div>
  );
}
