/**
 * A small coverage report: one labelled bar per value with its count (US8.1.1 "Coverage report
 * showing distribution across emotional arcs", US8.2.1, US8.3.1).
 */
import type { DistributionEntry } from "@/lib/planning-contract";

/** The bars of one dimension, longest first; "none yet" when empty. `limit` rows at most (the rest summed). */
export function DistributionBars({ title, entries, limit = 8 }: { title: string; entries: DistributionEntry[]; limit?: number }) {
  const max = Math.max(1, ...entries.map((e) => e.count));
  const shown = entries.slice(0, limit);
  const rest = entries.slice(limit).reduce((s, e) => s + e.count, 0);
  return (
    <figure className="min-w-0 space-y-1.5">
      <figcaption className="text-xs font-medium uppercase tracking-wide text-muted-foreground">{title}</figcaption>
      {entries.length === 0 ? (
        <p className="text-sm text-muted-foreground">None yet.</p>
      ) : (
        <ul className="space-y-1" aria-label={title}>
          {shown.map((e) => (
            <li key={e.key} className="grid grid-cols-[minmax(0,1fr)_2.5rem] items-center gap-2 text-sm" aria-label={`${e.name}: ${e.count}`}>
              <div className="min-w-0">
                <div className="truncate" title={e.name}>
                  {e.name}
                </div>
                <div className="h-1.5 rounded-full bg-muted">
                  <div className="h-1.5 rounded-full bg-primary/70" style={{ width: `${(e.count / max) * 100}%` }} />
                </div>
              </div>
              <span className="text-right tabular-nums">{e.count}</span>
            </li>
          ))}
          {rest > 0 && (
            <li className="text-xs text-muted-foreground">
              and {entries.length - limit} more ({rest})
            </li>
          )}
        </ul>
      )}
    </figure>
  );
}
