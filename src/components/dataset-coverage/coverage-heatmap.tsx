"use client";
/**
 * The persona × emotional-arc heatmap (issue 13 item 1, US3.2.1): a table with one row per persona
 * and one column per arc; each cell shows how many conversations the status filter counts, shaded by
 * count, and opens the conversations table filtered to that persona and arc. Cells under the gap
 * threshold are highlighted as gaps (amber, dashed outline, "gap" in their accessible name).
 */
import Link from "next/link";

import { COVERAGE_GAP_THRESHOLD, type CoverageCell, type CoverageEntry } from "@/core/dataset-coverage/coverage";
import { cn } from "@/lib/utils";
import { entryName } from "./coverage-charts";

/** Background of a non-gap cell: blue, more opaque with more conversations (translucent, so it reads on light and dark). */
function shade(count: number, max: number): { backgroundColor: string; color?: string } {
  const alpha = max <= 0 ? 0.15 : 0.15 + 0.7 * (count / max);
  return { backgroundColor: `rgba(37, 99, 235, ${alpha.toFixed(2)})`, ...(alpha > 0.5 ? { color: "#ffffff" } : {}) };
}

export function CoverageHeatmap({
  personas,
  emotionalArcs,
  cells,
  hrefFor,
  inViewLabel,
}: {
  personas: CoverageEntry[];
  emotionalArcs: CoverageEntry[];
  cells: CoverageCell[];
  /** Where a cell goes: the conversations table filtered to its persona and arc (and the status filter). */
  hrefFor: (persona: string, emotion: string) => string;
  /** What the counts are, e.g. "conversations" or "approved conversations". */
  inViewLabel: string;
}) {
  const byKey = new Map(cells.map((c) => [`${c.persona}\u0000${c.emotion}`, c]));
  const max = Math.max(0, ...cells.map((c) => c.counts.inView));
  if (personas.length === 0 || emotionalArcs.length === 0) {
    return <p className="text-sm text-muted-foreground">The heatmap needs at least one persona and one emotional arc. Add them on the Customers page.</p>;
  }
  return (
    <div className="space-y-2">
      <div className="overflow-x-auto">
        <table aria-label="Persona × emotional arc heatmap" className="w-full border-separate border-spacing-1 text-sm">
          <thead>
            <tr>
              <th scope="col" className="p-1 text-left font-medium text-muted-foreground">
                Persona \ Emotional arc
              </th>
              {emotionalArcs.map((a) => (
                <th key={a.value} scope="col" className="min-w-24 p-1 text-center align-bottom font-medium">
                  {entryName(a)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {personas.map((p) => (
              <tr key={p.value}>
                <th scope="row" className="p-1 pr-3 text-left font-medium whitespace-nowrap">
                  {entryName(p)}
                </th>
                {emotionalArcs.map((a) => {
                  const cell = byKey.get(`${p.value}\u0000${a.value}`);
                  const count = cell?.counts.inView ?? 0;
                  const gap = cell?.gap ?? true;
                  const name = `${entryName(p)} × ${entryName(a)}: ${count} ${inViewLabel}${gap ? ` (gap: fewer than ${COVERAGE_GAP_THRESHOLD})` : ""}`;
                  return (
                    <td key={a.value} className="p-0" data-gap={gap ? "true" : undefined}>
                      <Link
                        href={hrefFor(p.value!, a.value!)}
                        aria-label={name}
                        title={name}
                        className={cn(
                          "flex h-10 items-center justify-center rounded-md font-semibold tabular-nums outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50 hover:opacity-80",
                          gap && "border-2 border-dashed border-amber-500 bg-amber-100 text-amber-950 dark:border-amber-400 dark:bg-amber-950/70 dark:text-amber-100",
                        )}
                        style={gap ? undefined : shade(count, max)}
                      >
                        {count}
                        {gap && <span className="ml-1 text-xs font-normal">gap</span>}
                      </Link>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-muted-foreground">
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden className="inline-block size-3 rounded-sm border-2 border-dashed border-amber-500 bg-amber-100 dark:border-amber-400 dark:bg-amber-950/70" />
          Gap: fewer than {COVERAGE_GAP_THRESHOLD} {inViewLabel}
        </span>
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden className="inline-block h-3 w-12 rounded-sm" style={{ background: "linear-gradient(to right, rgba(37,99,235,0.15), rgba(37,99,235,0.85))" }} />
          Darker: more {inViewLabel} (most in one cell: {max})
        </span>
      </p>
    </div>
  );
}
