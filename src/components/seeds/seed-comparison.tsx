/**
 * Seeds beside generated conversations (US10.3.1 "Quality comparison: seed vs. generated
 * conversation metrics"): mean quality score and each criterion's mean, mean turns, and mean turn
 * length in characters, side by side; then the same per persona and per emotional arc that seeds use.
 */
import { QUALITY_CRITERIA, QUALITY_CRITERION_LABELS } from "@/core/quality/quality-types";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/utils";
import type { ConversationGroupStats, SeedComparison as Comparison } from "@/server/seeds";

const one = (n: number | null) => (n === null ? "—" : n.toFixed(1));
const whole = (n: number | null) => (n === null ? "—" : Math.round(n).toLocaleString("en-US"));

/** The difference generated − seeds, signed, or "" when either is missing. */
function delta(seed: number | null, generated: number | null, digits = 1): string {
  if (seed === null || generated === null) return "";
  const d = generated - seed;
  if (Math.abs(d) < 0.05) return "±0";
  return `${d > 0 ? "+" : "−"}${Math.abs(d).toFixed(digits)}`;
}

function Row({
  label,
  seed,
  generated,
  format = one,
  digits = 1,
  strong = false,
  compare = true,
}: {
  label: string;
  seed: number | null;
  generated: number | null;
  format?: (n: number | null) => string;
  digits?: number;
  strong?: boolean;
  /** False for counts, whose difference means nothing. */
  compare?: boolean;
}) {
  return (
    <TableRow>
      <TableHead scope="row" className={cn("font-normal", strong && "font-medium text-foreground")}>
        {label}
      </TableHead>
      <TableCell className={cn("text-right tabular-nums", strong && "font-semibold")}>{format(seed)}</TableCell>
      <TableCell className={cn("text-right tabular-nums", strong && "font-semibold")}>{format(generated)}</TableCell>
      <TableCell className="text-right text-xs tabular-nums text-muted-foreground">{compare ? delta(seed, generated, digits) : ""}</TableCell>
    </TableRow>
  );
}

function GroupTable({ caption, seeds, generated, criteria = true }: { caption: string; seeds: ConversationGroupStats; generated: ConversationGroupStats; criteria?: boolean }) {
  return (
    <Table aria-label={caption}>
      <TableHeader>
        <TableRow>
          <TableHead>Measure</TableHead>
          <TableHead className="text-right">Seeds</TableHead>
          <TableHead className="text-right">Generated</TableHead>
          <TableHead className="text-right">Difference</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        <Row label="Conversations" seed={seeds.conversations} generated={generated.conversations} format={whole} compare={false} />
        <Row label="Average quality score (1–10)" seed={seeds.averageQuality} generated={generated.averageQuality} strong />
        {criteria &&
          QUALITY_CRITERIA.filter((id) => seeds.criteria[id] !== undefined || generated.criteria[id] !== undefined).map((id) => (
            <Row key={id} label={`· ${QUALITY_CRITERION_LABELS[id]}`} seed={seeds.criteria[id] ?? null} generated={generated.criteria[id] ?? null} />
          ))}
        <Row label="Average turns per conversation" seed={seeds.averageTurns} generated={generated.averageTurns} />
        <Row label="Average turn length (characters)" seed={seeds.averageTurnCharacters} generated={generated.averageTurnCharacters} format={whole} digits={0} />
        <Row label="Average assistant turn (characters)" seed={seeds.averageAssistantTurnCharacters} generated={generated.averageAssistantTurnCharacters} format={whole} digits={0} />
      </TableBody>
    </Table>
  );
}

export function SeedComparison({ comparison }: { comparison: Comparison }) {
  const { seeds, generated } = comparison;
  return (
    <section aria-labelledby="seed-comparison" className="space-y-3">
      <div className="space-y-1">
        <h2 id="seed-comparison" className="text-lg font-semibold">
          Seeds vs generated
        </h2>
        <p className="text-sm text-muted-foreground">
          Your hand-written seeds are the benchmark. Generated means generated, approved or rejected conversations (not planned or failed ones). Turn length is counted in characters.
        </p>
      </div>
      {seeds.conversations === 0 ? (
        <p className="rounded-lg border p-6 text-center text-sm text-muted-foreground">Add a seed to compare generated conversations with it.</p>
      ) : (
        <div className="grid gap-4 lg:grid-cols-2">
          <div className="rounded-lg border">
            <GroupTable caption="Seeds vs generated, all conversations" seeds={seeds} generated={generated} />
          </div>
          <div className="space-y-4">
            <p className="text-xs text-muted-foreground">Per persona and arc that seeds use: average quality · average turns (conversations).</p>
            {[
              { title: "By persona", rows: comparison.byPersona },
              { title: "By emotional arc", rows: comparison.byArc },
            ].map(({ title, rows }) => (
              <div key={title} className="rounded-lg border">
                <Table aria-label={`Seeds vs generated ${title.toLowerCase()}`}>
                  <TableHeader>
                    <TableRow>
                      <TableHead>{title}</TableHead>
                      <TableHead className="text-right">Seeds</TableHead>
                      <TableHead className="text-right">Generated</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {rows.map((r) => (
                      <TableRow key={r.key}>
                        <TableCell className="max-w-56 truncate" title={r.name}>
                          {r.name}
                        </TableCell>
                        <TableCell className="text-right tabular-nums">
                          {one(r.seeds.averageQuality)} · {one(r.seeds.averageTurns)} <span className="text-xs text-muted-foreground">({r.seeds.conversations})</span>
                        </TableCell>
                        <TableCell className="text-right tabular-nums">
                          {one(r.generated.averageQuality)} · {one(r.generated.averageTurns)} <span className="text-xs text-muted-foreground">({r.generated.conversations})</span>
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
            ))}
          </div>
        </div>
      )}
    </section>
  );
}
