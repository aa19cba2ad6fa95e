"use client";
/**
 * The template analytics page's body (issue 11 item 6, US7.1.2): filter (tier, period, kept in the
 * URL), CSV download with the same filter, one recommendation line per tier, the per-version table
 * for real-model conversations and, apart, for simulated ones, the quality trend, and a side-by-side
 * comparison of two template versions.
 */
import { useRouter } from "next/navigation";
import { Download, Lightbulb } from "lucide-react";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { TierRecommendation } from "@/core/templates/template-analytics";
import { TIER_LABELS, TIERS } from "@/lib/constants";
import { ANALYTICS_PERIOD_LABELS, ANALYTICS_PERIODS, templateAnalyticsQuery, type AnalyticsPeriod, type TemplateAnalyticsFilter } from "@/lib/template-analytics-filter";
import { workspacePaths } from "@/lib/workspace-paths";
import type { TemplateAnalyticsRow } from "@/server/template-analytics";
import { TemplateQualityTrend, type QualityTrendPoint } from "./template-quality-trend";

const ALL = "all";

/** What the page hands the view (plain data). */
export interface TemplateAnalyticsViewData {
  real: TemplateAnalyticsRow[];
  simulated: TemplateAnalyticsRow[];
  recommendations: TierRecommendation[];
  trend: QualityTrendPoint[];
  minReviewed: number;
}

const pct = (rate: number | null) => (rate === null ? "—" : `${Math.round(rate * 100)} %`);
const quality = (q: number | null) => (q === null ? "—" : q.toFixed(1));

export function TemplateAnalyticsView({ slug, filter, data }: { slug: string; filter: TemplateAnalyticsFilter; data: TemplateAnalyticsViewData }) {
  const router = useRouter();
  const paths = workspacePaths(slug);
  const go = (next: Partial<TemplateAnalyticsFilter>) => router.push(paths.templateAnalytics(templateAnalyticsQuery({ ...filter, ...next })));
  const csvHref = paths.api.templateAnalyticsCsv(templateAnalyticsQuery({ tier: filter.tier, period: filter.period }));
  const versions = uniqueVersions([...data.real, ...data.simulated]);
  const empty = data.real.length === 0 && data.simulated.length === 0;

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-end gap-3">
        <label className="space-y-1 text-sm">
          <span className="block text-muted-foreground">Tier</span>
          <Select value={filter.tier ?? ALL} onValueChange={(v) => go({ tier: v === ALL ? undefined : (v as TemplateAnalyticsFilter["tier"]) })}>
            <SelectTrigger className="w-44" aria-label="Tier">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value={ALL}>Every tier</SelectItem>
              {TIERS.map((t) => (
                <SelectItem key={t} value={t}>
                  {TIER_LABELS[t]}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </label>
        <label className="space-y-1 text-sm">
          <span className="block text-muted-foreground">Period</span>
          <Select value={filter.period} onValueChange={(v) => go({ period: v as AnalyticsPeriod })}>
            <SelectTrigger className="w-44" aria-label="Period">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {ANALYTICS_PERIODS.map((p) => (
                <SelectItem key={p} value={p}>
                  {ANALYTICS_PERIOD_LABELS[p]}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </label>
        <Button asChild variant="outline" className="ml-auto">
          <a href={csvHref} download>
            <Download aria-hidden className="size-4" /> Download CSV
          </a>
        </Button>
      </div>

      <section aria-labelledby="recommendations-heading" className="space-y-2">
        <h2 id="recommendations-heading" className="text-lg font-semibold">
          Recommendations
        </h2>
        <p className="text-sm text-muted-foreground">
          From conversations generated with a real model only, and only for versions with at least {data.minReviewed} reviewed (approved or rejected) conversations. Simulated conversations never count.
        </p>
        <ul className="space-y-1">
          {data.recommendations.map((r) => (
            <li key={r.tier} className="flex items-start gap-2 text-sm">
              <Lightbulb aria-hidden className={r.pick ? "mt-0.5 size-4 text-amber-500" : "mt-0.5 size-4 text-muted-foreground"} />
              <span>{r.line}</span>
            </li>
          ))}
        </ul>
      </section>

      {empty ? (
        <p className="rounded-md border p-4 text-sm text-muted-foreground">
          No conversations generated from a template in this view yet. Generate conversations on the Conversations page; their template version, quality and reviews show up here.
        </p>
      ) : (
        <>
          <VersionTable title="Real model" id="real-heading" description="Conversations generated by a language model (Anthropic, OpenAI or an OpenAI-compatible server)." rows={data.real} emptyText="No conversations from a real model in this view yet." />
          <VersionTable
            title="Simulated (not a language model)"
            id="simulated-heading"
            description="Conversations the simulated composer built without a model. Shown apart and never used for recommendations."
            rows={data.simulated}
            emptyText="No simulated conversations in this view."
          />
          <section aria-labelledby="trend-heading" className="space-y-2">
            <h2 id="trend-heading" className="text-lg font-semibold">
              Quality trend
            </h2>
            <TemplateQualityTrend points={data.trend} />
          </section>
          <Comparison versions={versions} rows={[...data.real, ...data.simulated]} filter={filter} onChange={go} />
        </>
      )}
    </div>
  );
}

function VersionTable({ title, id, description, rows, emptyText }: { title: string; id: string; description: string; rows: TemplateAnalyticsRow[]; emptyText: string }) {
  return (
    <section aria-labelledby={id} className="space-y-2">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      <p className="text-sm text-muted-foreground">{description}</p>
      {rows.length === 0 ? (
        <p className="text-sm text-muted-foreground">{emptyText}</p>
      ) : (
        <Table aria-labelledby={id}>
          <TableHeader>
            <TableRow>
              <TableHead>Template</TableHead>
              <TableHead>Tier</TableHead>
              <TableHead className="text-right">Generated</TableHead>
              <TableHead className="text-right">Avg quality</TableHead>
              <TableHead className="text-right">Approval rate</TableHead>
              <TableHead className="text-right">Rejected</TableHead>
              <TableHead>Words in rejection notes</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={`${r.ref}:${r.simulated}`}>
                <TableCell>
                  <span className="font-medium">{r.templateName}</span> v{r.version}
                  {r.current && (
                    <Badge variant="secondary" className="ml-2">
                      current
                    </Badge>
                  )}
                </TableCell>
                <TableCell>{TIER_LABELS[r.tier]}</TableCell>
                <TableCell className="text-right tabular-nums">{r.generated}</TableCell>
                <TableCell className="text-right tabular-nums">{quality(r.averageQuality)}</TableCell>
                <TableCell className="text-right tabular-nums">
                  {pct(r.approvalRate)}
                  <span className="ml-1 text-xs text-muted-foreground">
                    ({r.approved}/{r.approved + r.rejected})
                  </span>
                </TableCell>
                <TableCell className="text-right tabular-nums">{r.rejected}</TableCell>
                <TableCell className="whitespace-normal text-sm">
                  {r.rejectionWords.length ? r.rejectionWords.map((w) => `${w.word} (${w.count})`).join(", ") : <span className="text-muted-foreground">—</span>}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}

function uniqueVersions(rows: TemplateAnalyticsRow[]): { ref: string; label: string }[] {
  const seen = new Map<string, string>();
  for (const r of rows) if (!seen.has(r.ref)) seen.set(r.ref, `${r.templateName} v${r.version} (${TIER_LABELS[r.tier]})`);
  return [...seen.entries()].map(([ref, label]) => ({ ref, label }));
}

function Comparison({
  versions,
  rows,
  filter,
  onChange,
}: {
  versions: { ref: string; label: string }[];
  rows: TemplateAnalyticsRow[];
  filter: TemplateAnalyticsFilter;
  onChange: (next: Partial<TemplateAnalyticsFilter>) => void;
}) {
  const a = filter.a ?? versions[0]?.ref;
  const b = filter.b ?? versions[1]?.ref ?? versions[0]?.ref;
  const picker = (value: string | undefined, which: "a" | "b", label: string) => (
    <label className="space-y-1 text-sm">
      <span className="block text-muted-foreground">{label}</span>
      <Select value={value} onValueChange={(v) => onChange({ [which]: v })}>
        <SelectTrigger className="w-72" aria-label={label}>
          <SelectValue placeholder="Choose a template version" />
        </SelectTrigger>
        <SelectContent>
          {versions.map((v) => (
            <SelectItem key={v.ref} value={v.ref}>
              {v.label}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </label>
  );
  const figures = (ref: string | undefined) => {
    const real = rows.find((r) => r.ref === ref && !r.simulated) ?? null;
    const sim = rows.find((r) => r.ref === ref && r.simulated) ?? null;
    return { real, sim, label: versions.find((v) => v.ref === ref)?.label ?? "—" };
  };
  const left = figures(a);
  const right = figures(b);
  const line = (name: string, get: (r: TemplateAnalyticsRow | null) => string) => (
    <TableRow>
      <TableHead scope="row">{name}</TableHead>
      <TableCell className="tabular-nums">{get(left.real)}</TableCell>
      <TableCell className="tabular-nums">{get(right.real)}</TableCell>
    </TableRow>
  );
  return (
    <section aria-labelledby="compare-heading" className="space-y-3">
      <h2 id="compare-heading" className="text-lg font-semibold">
        Compare two versions
      </h2>
      {versions.length < 2 ? (
        <p className="text-sm text-muted-foreground">Only one template version has generated conversations in this view; a comparison needs two.</p>
      ) : (
        <>
          <div className="flex flex-wrap gap-3">
            {picker(a, "a", "First version")}
            {picker(b, "b", "Second version")}
          </div>
          <Table aria-label="Comparison of two template versions (real model)">
            <TableHeader>
              <TableRow>
                <TableHead>Real model</TableHead>
                <TableHead>{left.label}</TableHead>
                <TableHead>{right.label}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {line("Conversations generated", (r) => String(r?.generated ?? 0))}
              {line("Average quality", (r) => quality(r?.averageQuality ?? null))}
              {line("Approval rate", (r) => (r ? `${pct(r.approvalRate)} (${r.approved}/${r.approved + r.rejected})` : "—"))}
              {line("Rejected", (r) => String(r?.rejected ?? 0))}
              {line("Words in rejection notes", (r) => (r?.rejectionWords.length ? r.rejectionWords.map((w) => `${w.word} (${w.count})`).join(", ") : "—"))}
              <TableRow>
                <TableHead scope="row">Simulated conversations (not counted above)</TableHead>
                <TableCell className="tabular-nums">{left.sim ? `${left.sim.generated}, avg quality ${quality(left.sim.averageQuality)}` : "0"}</TableCell>
                <TableCell className="tabular-nums">{right.sim ? `${right.sim.generated}, avg quality ${quality(right.sim.averageQuality)}` : "0"}</TableCell>
              </TableRow>
            </TableBody>
          </Table>
        </>
      )}
    </section>
  );
}
