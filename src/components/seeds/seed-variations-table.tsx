/**
 * Variations vs their seeds (issue 11 item 7, US10.3.2): per seed used as a template, how many of
 * its variations are generated, their average quality against the seed's quality score, and the
 * ones below the seed's score − 1 (isBelowSeedBar), each linked to the conversations table.
 */
import Link from "next/link";
import { AlertTriangle } from "lucide-react";
import { SEED_BAR_MARGIN } from "@/core/templates/seed-variations";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { TEMPLATE_STATUS_LABELS, type TemplateStatus } from "@/lib/constants";
import { workspacePaths } from "@/lib/workspace-paths";
import type { SeedsPageData } from "@/server/seeds";

const one = (n: number | null) => (n === null ? "—" : n.toFixed(1));

export function SeedVariationsTable({ slug, seeds, variations }: { slug: string; seeds: SeedsPageData["seeds"]; variations: SeedsPageData["variations"] }) {
  const paths = workspacePaths(slug);
  const rows = seeds.filter((s) => variations[s.id]).map((s) => ({ seed: s, v: variations[s.id] }));
  return (
    <section aria-labelledby="seed-variations" className="space-y-3">
      <div className="space-y-1">
        <h2 id="seed-variations" className="text-lg font-semibold">
          Variations vs their seeds
        </h2>
        <p className="text-sm text-muted-foreground">
          Conversations planned from a seed&rsquo;s template (&ldquo;Use as template&rdquo;, then &ldquo;Generate variations&rdquo;). A variation is flagged when its quality score is more than {SEED_BAR_MARGIN} point below its seed&rsquo;s.
        </p>
      </div>
      {rows.length === 0 ? (
        <p className="rounded-lg border p-6 text-center text-sm text-muted-foreground">No seed is used as a template yet. Choose &ldquo;Use as template&rdquo; on a seed above, then &ldquo;Generate variations&rdquo;.</p>
      ) : (
        <div className="rounded-lg border">
          <Table aria-label="Variations vs their seeds">
            <TableHeader>
              <TableRow>
                <TableHead>Seed</TableHead>
                <TableHead>Template</TableHead>
                <TableHead className="text-right">Generated / planned</TableHead>
                <TableHead className="text-right">Average quality</TableHead>
                <TableHead className="text-right">Seed quality</TableHead>
                <TableHead>Below the seed&rsquo;s score − {SEED_BAR_MARGIN}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map(({ seed, v }) => (
                <TableRow key={seed.id}>
                  <TableCell className="max-w-72 whitespace-normal">
                    <div className="font-medium">{seed.title ?? seed.conversationId}</div>
                    <div className="font-mono text-xs text-muted-foreground">{seed.conversationId}</div>
                  </TableCell>
                  <TableCell className="max-w-64 whitespace-normal">
                    {v.template && (
                      <span className="flex flex-wrap items-center gap-1">
                        <Link href={paths.template(v.template.key)} className="underline-offset-2 hover:underline">
                          {v.template.name}
                        </Link>
                        <Badge variant="outline">{TEMPLATE_STATUS_LABELS[v.template.status as TemplateStatus] ?? v.template.status}</Badge>
                      </span>
                    )}
                  </TableCell>
                  <TableCell className="text-right tabular-nums" aria-label={`${v.generated} generated of ${v.planned} planned`}>
                    {v.generated} / {v.planned}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{one(v.averageQuality)}</TableCell>
                  <TableCell className="text-right tabular-nums">{one(v.seedQuality)}</TableCell>
                  <TableCell className="whitespace-normal">
                    {v.generated === 0 ? (
                      <span className="text-muted-foreground">Nothing generated yet</span>
                    ) : v.seedQuality === null ? (
                      <span className="text-muted-foreground">Unknown: the seed has no quality score</span>
                    ) : v.flagged.length === 0 ? (
                      <span>None flagged</span>
                    ) : (
                      <div className="space-y-1">
                        <span className="flex items-center gap-1 font-medium text-amber-700 dark:text-amber-400">
                          <AlertTriangle aria-hidden className="size-4" />
                          {v.flagged.length} flagged
                        </span>
                        <ul className="flex flex-wrap gap-x-2 gap-y-1 text-xs" aria-label={`Flagged variations of ${seed.conversationId}`}>
                          {v.flagged.map((f) => (
                            <li key={f.conversationId}>
                              <Link href={paths.conversations(`q=${encodeURIComponent(f.conversationId)}`)} className="font-mono underline underline-offset-2">
                                {f.conversationId}
                              </Link>{" "}
                              <span className="tabular-nums text-muted-foreground">({f.qualityScore.toFixed(1)})</span>
                            </li>
                          ))}
                        </ul>
                      </div>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}
