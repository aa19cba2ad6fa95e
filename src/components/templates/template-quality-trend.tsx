"use client";
/**
 * The template analytics quality trend (issue 11 item 6): mean quality per UTC day per template, one
 * line each (simulated conversations as their own dashed line), with a data table for screen
 * readers and anyone who wants the figures.
 */
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

/** One point of the trend: a day, a template (real or simulated), its mean quality (1–10) that day. */
export interface QualityTrendPoint {
  day: string;
  templateName: string;
  simulated: boolean;
  averageQuality: number | null;
  generated: number;
}

const COLORS = ["#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2", "#4b5563"];

const seriesName = (p: Pick<QualityTrendPoint, "templateName" | "simulated">) => (p.simulated ? `${p.templateName} (simulated)` : p.templateName);

export function TemplateQualityTrend({ points }: { points: QualityTrendPoint[] }) {
  const series = [...new Map(points.map((p) => [seriesName(p), p.simulated])).entries()];
  const byDay = new Map<string, Record<string, number | string | null>>();
  for (const p of points) {
    const row = byDay.get(p.day) ?? { day: p.day };
    row[seriesName(p)] = p.averageQuality === null ? null : Math.round(p.averageQuality * 100) / 100;
    byDay.set(p.day, row);
  }
  const data = [...byDay.values()];
  if (points.length === 0) {
    return <p className="text-sm text-muted-foreground">No generated conversations in this period, so there is no trend to draw.</p>;
  }
  return (
    <figure aria-labelledby="quality-trend-title" className="space-y-2">
      <figcaption id="quality-trend-title" className="text-sm text-muted-foreground">
        Average quality score (1–10) per day of generation (UTC), per template.
      </figcaption>
      <div className="h-72 w-full" role="img" aria-label="Line chart of average quality per day per template; the same figures are in the table below.">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" className="stroke-border" />
            <XAxis dataKey="day" tick={{ fontSize: 12, fill: "currentColor" }} />
            <YAxis domain={[0, 10]} ticks={[0, 2, 4, 6, 8, 10]} tick={{ fontSize: 12, fill: "currentColor" }} width={32} />
            <Tooltip contentStyle={{ background: "var(--popover)", color: "var(--popover-foreground)", border: "1px solid var(--border)" }} />
            <Legend />
            {series.map(([name, simulated], index) => (
              <Line
                key={name}
                type="monotone"
                dataKey={name}
                stroke={COLORS[index % COLORS.length]}
                strokeDasharray={simulated ? "5 4" : undefined}
                dot
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <details className="text-sm">
        <summary className="cursor-pointer text-muted-foreground">Show the figures as a table</summary>
        <Table aria-label="Quality per day">
          <TableHeader>
            <TableRow>
              <TableHead>Day</TableHead>
              <TableHead>Template</TableHead>
              <TableHead className="text-right">Conversations</TableHead>
              <TableHead className="text-right">Average quality</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {points.map((p) => (
              <TableRow key={`${p.day}:${seriesName(p)}`}>
                <TableCell>{p.day}</TableCell>
                <TableCell>{seriesName(p)}</TableCell>
                <TableCell className="text-right tabular-nums">{p.generated}</TableCell>
                <TableCell className="text-right tabular-nums">{p.averageQuality === null ? "—" : p.averageQuality.toFixed(1)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </details>
    </figure>
  );
}
