"use client";
/**
 * The coverage page's five charts (issue 13 item 1, US3.2.1), drawn with recharts: conversations per
 * persona (bar), per emotional arc (pie), per tier stacked by status, per document category and per
 * scenario (bars). Each bar and slice opens the conversations table filtered to what it counts; each
 * chart has the same figures as a table with the same links.
 */
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Legend, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { COVERAGE_BUCKET_LABELS, COVERAGE_BUCKETS, COVERAGE_STATUS_FILTER_LABELS, type CoverageBucket, type CoverageEntry, type CoverageStatusFilter } from "@/core/dataset-coverage/coverage";
import { CoverageChartCard } from "./coverage-chart-card";

/** One entry as a chart draws it: its name (archived marked), its figures, and where a click goes (null: the table has no such filter). */
export interface ChartEntry {
  entry: CoverageEntry;
  href: string | null;
  /** For the tier chart: where each stack goes. */
  bucketHrefs?: Record<CoverageBucket, string>;
}

/** Bucket colours (the same in light and dark: mid-tone, legible on both backgrounds). */
export const BUCKET_COLORS: Record<CoverageBucket, string> = { planned: "#94a3b8", generated: "#3b82f6", approved: "#16a34a", rejected: "#dc2626" };
const BAR_COLOR = "#2563eb";
const PIE_COLORS = ["#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2", "#db2777", "#4b5563", "#65a30d", "#7c3aed"];
const TICK = { fontSize: 12, fill: "currentColor" };
const TOOLTIP_STYLE = { background: "var(--popover)", color: "var(--popover-foreground)", border: "1px solid var(--border)" };

export const entryName = (e: CoverageEntry) => (e.archived ? `${e.label} (archived)` : e.label);

/** What a chart counts under the filter, for its description. */
function countedLine(status: CoverageStatusFilter): string {
  return status === "all" ? "All conversations, planned to approved." : `Counting: ${COVERAGE_STATUS_FILTER_LABELS[status]}.`;
}

/** Datum shape for recharts (plain numbers and strings only) with the link beside it. */
interface Datum {
  name: string;
  count: number;
  href: string | null;
  fill?: string;
}

function useOpen() {
  const router = useRouter();
  return (href: string | null | undefined) => {
    if (href) router.push(href);
  };
}

/** A horizontal bar chart of `entries`' in-view counts; one bar per entry, names on the left. */
function HorizontalBars({ data, onOpen, labelWidth = 170 }: { data: Datum[]; onOpen: (href: string | null) => void; labelWidth?: number }) {
  const height = Math.max(140, data.length * 30 + 40);
  return (
    <div style={{ height }} className="w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="#94a3b8" strokeOpacity={0.35} />
          <XAxis type="number" allowDecimals={false} tick={TICK} />
          <YAxis type="category" dataKey="name" width={labelWidth} tick={TICK} interval={0} />
          <Tooltip contentStyle={TOOLTIP_STYLE} cursor={{ fillOpacity: 0.1 }} />
          <Bar
            dataKey="count"
            name="Conversations"
            fill={BAR_COLOR}
            isAnimationActive={false}
            onClick={(item) => onOpen((item.payload as Datum | undefined)?.href ?? null)}
            className={data.some((d) => d.href) ? "cursor-pointer" : undefined}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** The figures of a chart as a table: name (a link into the conversations table when there is one), counts by bucket, total and, under a filter, the count in view. */
function FiguresTable({ label, firstColumn, rows, status }: { label: string; firstColumn: string; rows: ChartEntry[]; status: CoverageStatusFilter }) {
  return (
    <Table aria-label={label}>
      <TableHeader>
        <TableRow>
          <TableHead>{firstColumn}</TableHead>
          {COVERAGE_BUCKETS.map((b) => (
            <TableHead key={b} className="text-right">
              {COVERAGE_BUCKET_LABELS[b]}
            </TableHead>
          ))}
          <TableHead className="text-right">Total</TableHead>
          {status !== "all" && <TableHead className="text-right">In view</TableHead>}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map(({ entry, href, bucketHrefs }) => (
          <TableRow key={entry.value ?? "none"}>
            <TableCell className="whitespace-normal">
              {href ? (
                <Link href={href} className="underline-offset-2 hover:underline">
                  {entryName(entry)}
                </Link>
              ) : (
                entryName(entry)
              )}
            </TableCell>
            {COVERAGE_BUCKETS.map((b) => (
              <TableCell key={b} className="text-right tabular-nums">
                {bucketHrefs && entry.counts[b] > 0 ? (
                  <Link href={bucketHrefs[b]} className="underline-offset-2 hover:underline" aria-label={`${entryName(entry)}, ${COVERAGE_BUCKET_LABELS[b]}: ${entry.counts[b]}`}>
                    {entry.counts[b]}
                  </Link>
                ) : (
                  entry.counts[b]
                )}
              </TableCell>
            ))}
            <TableCell className="text-right tabular-nums">{entry.counts.total}</TableCell>
            {status !== "all" && <TableCell className="text-right font-medium tabular-nums">{entry.counts.inView}</TableCell>}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

const toData = (rows: ChartEntry[]): Datum[] => rows.map(({ entry, href }) => ({ name: entryName(entry), count: entry.counts.inView, href }));

export function PersonaChart({ rows, status, slug }: { rows: ChartEntry[]; status: CoverageStatusFilter; slug: string }) {
  const open = useOpen();
  return (
    <CoverageChartCard
      id="chart-personas"
      title="Conversations per persona"
      description={`${countedLine(status)} Click a bar to open those conversations.`}
      fileName={`${slug}-coverage-personas.png`}
      chartLabel="Bar chart of conversations per persona; the same figures are in the table below."
      table={<FiguresTable label="Conversations per persona" firstColumn="Persona" rows={rows} status={status} />}
    >
      <HorizontalBars data={toData(rows)} onOpen={open} />
    </CoverageChartCard>
  );
}

export function ArcChart({ rows, status, slug }: { rows: ChartEntry[]; status: CoverageStatusFilter; slug: string }) {
  const open = useOpen();
  const data: Datum[] = toData(rows).map((d, i) => ({ ...d, fill: PIE_COLORS[i % PIE_COLORS.length] }));
  const drawn = data.filter((d) => d.count > 0);
  return (
    <CoverageChartCard
      id="chart-arcs"
      title="Emotional arc distribution"
      description={`${countedLine(status)} Click a slice to open those conversations.`}
      fileName={`${slug}-coverage-emotional-arcs.png`}
      legend={drawn.map((d) => ({ label: `${d.name}: ${d.count}`, color: d.fill! }))}
      chartLabel="Pie chart of conversations per emotional arc; the same figures are in the table below."
      table={<FiguresTable label="Conversations per emotional arc" firstColumn="Emotional arc" rows={rows} status={status} />}
    >
      {drawn.length === 0 ? (
        <p className="py-10 text-center text-sm text-muted-foreground">No conversations in this view, so there is no pie to draw.</p>
      ) : (
        <div className="h-72 w-full">
          <ResponsiveContainer width="100%" height="100%">
            <PieChart>
              <Pie
                data={drawn}
                dataKey="count"
                nameKey="name"
                outerRadius="75%"
                isAnimationActive={false}
                label={{ fill: "currentColor", fontSize: 12 }}
                onClick={(item) => open((item.payload as Datum | undefined)?.href ?? null)}
                className="cursor-pointer"
              />
              <Tooltip contentStyle={TOOLTIP_STYLE} />
              <Legend />
            </PieChart>
          </ResponsiveContainer>
        </div>
      )}
    </CoverageChartCard>
  );
}

export function TierChart({ rows, slug }: { rows: ChartEntry[]; slug: string }) {
  const open = useOpen();
  const data = rows.map(({ entry, bucketHrefs }) => ({
    name: entry.label,
    ...Object.fromEntries(COVERAGE_BUCKETS.map((b) => [b, entry.counts[b]])),
    hrefs: bucketHrefs,
  }));
  return (
    <CoverageChartCard
      id="chart-tiers"
      title="Tier distribution by status"
      description="Every conversation of each tier, stacked by status (the status filter does not apply: the stacks are the statuses). Click a stack to open those conversations."
      fileName={`${slug}-coverage-tiers.png`}
      legend={COVERAGE_BUCKETS.map((b) => ({ label: COVERAGE_BUCKET_LABELS[b], color: BUCKET_COLORS[b] }))}
      chartLabel="Stacked bar chart of conversations per tier by status; the same figures are in the table below."
      table={<FiguresTable label="Conversations per tier" firstColumn="Tier" rows={rows} status="all" />}
    >
      <div className="h-72 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#94a3b8" strokeOpacity={0.35} />
            <XAxis dataKey="name" tick={TICK} />
            <YAxis allowDecimals={false} tick={TICK} width={40} />
            <Tooltip contentStyle={TOOLTIP_STYLE} cursor={{ fillOpacity: 0.1 }} />
            <Legend />
            {COVERAGE_BUCKETS.map((b) => (
              <Bar
                key={b}
                dataKey={b}
                name={COVERAGE_BUCKET_LABELS[b]}
                stackId="status"
                fill={BUCKET_COLORS[b]}
                isAnimationActive={false}
                className="cursor-pointer"
                onClick={(item) => open((item.payload as { hrefs?: Record<CoverageBucket, string> } | undefined)?.hrefs?.[b])}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </CoverageChartCard>
  );
}

export function CategoryChart({ rows, status, slug }: { rows: ChartEntry[]; status: CoverageStatusFilter; slug: string }) {
  const open = useOpen();
  return (
    <CoverageChartCard
      id="chart-categories"
      title="Conversations per document category"
      description={`${countedLine(status)} By the category of the document each conversation was planned from. Click a bar to open those conversations.`}
      fileName={`${slug}-coverage-document-categories.png`}
      chartLabel="Bar chart of conversations per document category; the same figures are in the table below."
      table={<FiguresTable label="Conversations per document category" firstColumn="Document category" rows={rows} status={status} />}
    >
      {rows.length === 0 ? <p className="py-6 text-sm text-muted-foreground">No conversations yet.</p> : <HorizontalBars data={toData(rows)} onOpen={open} />}
    </CoverageChartCard>
  );
}

export function ScenarioChart({ rows, status, slug }: { rows: ChartEntry[]; status: CoverageStatusFilter; slug: string }) {
  return (
    <CoverageChartCard
      id="chart-scenarios"
      title="Conversations per scenario"
      description={`${countedLine(status)} The conversations table has no scenario filter, so these bars do not open it; each scenario's conversations are listed on the Scenarios page.`}
      fileName={`${slug}-coverage-scenarios.png`}
      chartLabel="Bar chart of conversations per scenario; the same figures are in the table below."
      table={<FiguresTable label="Conversations per scenario" firstColumn="Scenario" rows={rows} status={status} />}
    >
      {rows.length === 0 ? <p className="py-6 text-sm text-muted-foreground">No conversations yet.</p> : <HorizontalBars data={toData(rows)} onOpen={() => {}} labelWidth={360} />}
    </CoverageChartCard>
  );
}
