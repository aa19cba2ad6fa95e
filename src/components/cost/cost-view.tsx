"use client";
/**
 * The cost page's content (issue 13 item 4, US13.2.2): the monthly budget (editable) with its alert,
 * the month's and the range's spend, the accuracy of past estimates, spend per day / week / month and
 * cost per conversation over time (recharts, each with its table), breakdowns by tier, template, model,
 * user and call kind, recommendations grounded in the workspace's own figures, the accounting CSV and
 * the finished runs, each opening its summary. Simulated-provider calls are counted apart: not a
 * language model.
 */
import { useUserName } from "@/components/accounts/user-names";
import { UserName } from "@/components/accounts/user-names";
import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { AlertTriangle, Download, Info, Loader2 } from "lucide-react";
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { toast } from "sonner";
import { formatCostUsd } from "@/core/cost/estimate";
import { percentDifference, SAME_APPROVAL_POINTS, type CostPeriod } from "@/core/cost/cost-analytics";
import { RECOMMENDATION_MIN_REVIEWED } from "@/core/templates/template-analytics";
import { TIER_LABELS, type Tier } from "@/lib/constants";
import { COST_PERIODS } from "@/lib/cost-params";
import { formatDateTime, pluralize } from "@/lib/format";
import { RUN_STATUS_LABELS } from "@/lib/run-states";
import { workspacePaths } from "@/lib/workspace-paths";
import { setMonthlyBudgetAction } from "@/server/actions/cost";
import type { CostOverview } from "@/server/cost";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { RunSummary, differenceText } from "./run-summary";

const PERIOD_LABELS: Record<CostPeriod, string> = { day: "Per day", week: "Per week", month: "Per month" };
const PERIOD_RANGE: Record<CostPeriod, string> = { day: "the last 30 days", week: "the last 12 weeks", month: "the last 12 months" };
const BREAKDOWN_TITLES = { tier: "By tier", template: "By template", model: "By model", user: "By user", kind: "By kind of call" } as const;
const KIND_LABELS: Record<string, string> = { generate: "Generation", judge: "Judge (quality scoring)", template_test: "Template test" };
const TICK = { fontSize: 12, fill: "currentColor" };
const TOOLTIP_STYLE = { background: "var(--popover)", color: "var(--popover-foreground)", border: "1px solid var(--border)" };

/** "2026-11-29" → "29 Nov" (days, weeks) or "Nov 2026" (months); UTC. */
function periodLabel(start: string, period: CostPeriod): string {
  const d = new Date(`${start}T00:00:00Z`);
  return period === "month"
    ? d.toLocaleDateString("en-GB", { month: "short", year: "numeric", timeZone: "UTC" })
    : d.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
}

export function CostView({ slug, overview, openRunId }: { slug: string; overview: CostOverview; openRunId: string | null }) {
  const paths = workspacePaths(slug);
  const router = useRouter();
  const userName = useUserName();
  const o = overview;
  const [runId, setRunId] = useState<string | null>(openRunId);
  const openRun = runId ? o.runs.find((r) => r.id === runId) : undefined;
  const series = o.series.map((p) => ({ ...p, label: periodLabel(p.periodStart, o.period) }));
  const hasSpend = o.rangeUsd > 0;
  const breakdown = (dimension: keyof typeof BREAKDOWN_TITLES) => o.breakdown.filter((r) => r.dimension === dimension);
  return (
    <div className="space-y-6">
      {o.month.budget.message && (
        <Alert variant={o.month.budget.level === "over" ? "destructive" : "default"} data-testid="budget-alert">
          <AlertTriangle aria-hidden />
          <AlertTitle>{o.month.budget.level === "over" ? "Monthly budget reached" : "Close to the monthly budget"}</AlertTitle>
          <AlertDescription>{o.month.budget.message}</AlertDescription>
        </Alert>
      )}
      <div className="grid gap-3 md:grid-cols-3">
        <section aria-label="This month" className="rounded-lg border p-4">
          <h2 className="text-sm text-muted-foreground">This month so far (UTC)</h2>
          <p className="text-2xl font-semibold tabular-nums" data-testid="month-spend">
            {formatCostUsd(o.month.spentUsd)}
          </p>
          <p className="text-sm text-muted-foreground">
            {o.month.budget.budgetUsd === null ? "No monthly budget set." : `${o.month.budget.percent} % of the ${formatCostUsd(o.month.budget.budgetUsd)} monthly budget.`}
          </p>
          <BudgetForm slug={slug} budgetUsd={o.month.budget.budgetUsd} onSaved={() => router.refresh()} />
        </section>
        <section aria-label="Spend in range" className="rounded-lg border p-4">
          <h2 className="text-sm text-muted-foreground">Spend over {PERIOD_RANGE[o.period]}</h2>
          <p className="text-2xl font-semibold tabular-nums">{formatCostUsd(o.rangeUsd)}</p>
          <p className="text-sm text-muted-foreground">Calls to language models, as recorded when each call was made.</p>
          {o.simulatedCalls > 0 && (
            <p className="mt-1 flex items-start gap-1 text-sm text-muted-foreground" data-testid="simulated-note">
              <Info aria-hidden className="mt-0.5 size-4 shrink-0" />
              Not counted: {pluralize(o.simulatedCalls, "call")} of the simulated provider (not a language model)
              {o.simulatedUsd > 0 ? `, recorded at ${formatCostUsd(o.simulatedUsd)} from a price you set` : ", which cost nothing"}.
            </p>
          )}
          {o.unpricedModels.length > 0 && (
            <p className="mt-1 text-sm text-amber-800 dark:text-amber-300">
              Cost unknown for {o.unpricedModels.join(", ")}: no price was set, so its calls were recorded at $0.{" "}
              <Link href={`${paths.settings}#prices`} className="underline underline-offset-2">
                Set a price in Settings
              </Link>
              .
            </p>
          )}
        </section>
        <section aria-label="Estimate accuracy" className="rounded-lg border p-4">
          <h2 className="text-sm text-muted-foreground">Accuracy of estimates</h2>
          <p className="text-2xl font-semibold tabular-nums">{o.accuracy.withinPercent === null ? "Not known yet" : `±${o.accuracy.withinPercent} %`}</p>
          <p className="text-sm text-muted-foreground">{o.accuracyText} Completed runs of a language model count.</p>
        </section>
      </div>

      <nav aria-label="Period" className="flex flex-wrap items-center gap-1">
        {COST_PERIODS.map((p) => (
          <Button key={p} variant={p === o.period ? "default" : "outline"} size="sm" asChild>
            <Link href={paths.cost(p === "day" ? "" : `period=${p}`)} aria-current={p === o.period ? "page" : undefined}>
              {PERIOD_LABELS[p]}
            </Link>
          </Button>
        ))}
      </nav>

      <div className="grid gap-4 lg:grid-cols-2">
        <ChartCard id="spend" title={`Spend ${PERIOD_LABELS[o.period].toLowerCase()}`} description={`USD of calls to language models, ${PERIOD_RANGE[o.period]} (UTC).`} empty={!hasSpend}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={series} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#94a3b8" strokeOpacity={0.35} />
              <XAxis dataKey="label" tick={TICK} interval="preserveStartEnd" />
              <YAxis tick={TICK} tickFormatter={(v: number) => formatCostUsd(v)} width={64} />
              <Tooltip contentStyle={TOOLTIP_STYLE} formatter={(v) => formatCostUsd(Number(v))} cursor={{ fillOpacity: 0.1 }} />
              <Bar dataKey="costUsd" name="Spend" fill="#2563eb" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </ChartCard>
        <ChartCard
          id="per-conversation"
          title="Cost per conversation over time"
          description="Spend divided by the conversations generated in each period; going down means cheaper prompts or models."
          empty={!series.some((p) => p.perConversationUsd !== null)}
        >
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={series} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#94a3b8" strokeOpacity={0.35} />
              <XAxis dataKey="label" tick={TICK} interval="preserveStartEnd" />
              <YAxis tick={TICK} tickFormatter={(v: number) => formatCostUsd(v)} width={64} />
              <Tooltip contentStyle={TOOLTIP_STYLE} formatter={(v) => formatCostUsd(Number(v))} />
              <Line dataKey="perConversationUsd" name="Per conversation" stroke="#16a34a" strokeWidth={2} dot connectNulls isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </ChartCard>
      </div>
      <details className="rounded-lg border p-3 text-sm">
        <summary className="cursor-pointer font-medium">Show the trend as a table</summary>
        <Table aria-label="Spend per period">
          <TableHeader>
            <TableRow>
              <TableHead>Period starting</TableHead>
              <TableHead className="text-right">Spend</TableHead>
              <TableHead className="text-right">Calls</TableHead>
              <TableHead className="text-right">Conversations</TableHead>
              <TableHead className="text-right">Per conversation</TableHead>
              <TableHead className="text-right">Simulated calls</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {[...o.series].reverse().map((p) => (
              <TableRow key={p.periodStart}>
                <TableCell>{p.periodStart}</TableCell>
                <TableCell className="text-right tabular-nums">{formatCostUsd(p.costUsd)}</TableCell>
                <TableCell className="text-right tabular-nums">{p.calls}</TableCell>
                <TableCell className="text-right tabular-nums">{p.conversations}</TableCell>
                <TableCell className="text-right tabular-nums">{p.perConversationUsd === null ? "—" : formatCostUsd(p.perConversationUsd)}</TableCell>
                <TableCell className="text-right tabular-nums">{p.simulatedCalls}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </details>

      <section aria-labelledby="breakdown-title" className="space-y-3">
        <h2 id="breakdown-title" className="text-lg font-semibold">
          Breakdown over {PERIOD_RANGE[o.period]}
        </h2>
        <div className="grid gap-4 2xl:grid-cols-2">
          {(Object.keys(BREAKDOWN_TITLES) as Array<keyof typeof BREAKDOWN_TITLES>).map((dimension) => (
            <BreakdownTable key={dimension} title={BREAKDOWN_TITLES[dimension]} dimension={dimension} rows={breakdown(dimension)} unpriced={o.unpricedModels} />
          ))}
        </div>
      </section>

      <section aria-label="Recommendations" className="space-y-2 rounded-lg border p-4">
        <h2 className="text-lg font-semibold">Recommendations</h2>
        <p className="text-sm text-muted-foreground">
          From this workspace&apos;s own figures: within a tier, a model or template is compared only once it has at least {RECOMMENDATION_MIN_REVIEWED} reviewed (approved or rejected) conversations and a known price; two of them are needed, and approval rates within {SAME_APPROVAL_POINTS} points count as the same.
        </p>
        {o.recommendations.length === 0 ? (
          <p className="text-sm">Not enough data yet: no conversation has been generated by a language model in this workspace.</p>
        ) : (
          <ul className="list-disc space-y-1 pl-5 text-sm">
            {o.recommendations.map((r) => (
              <li key={`${r.dimension}-${r.tier}`} className={r.recommendation ? "font-medium" : "text-muted-foreground"}>
                {r.recommendation ? r.recommendation.text : r.reason}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-label="For accounting" className="flex flex-wrap items-end justify-between gap-3 rounded-lg border p-4">
        <div>
          <h2 className="text-lg font-semibold">For accounting</h2>
          <p className="text-sm text-muted-foreground">Every provider call of the dates chosen (UTC, both days included), one row each, with its run, conversation, tier, template, model, user, tokens and cost.</p>
        </div>
        <CsvForm slug={slug} />
      </section>

      <section aria-label="Runs" className="space-y-2">
        <div>
          <h2 className="text-lg font-semibold">Finished runs</h2>
          <p className="text-sm text-muted-foreground">Estimate against actual for each finished generation run; open one for its full summary and CSV.</p>
        </div>
        {o.runs.length === 0 ? (
          <p className="text-sm text-muted-foreground">No generation run has finished yet. Runs are started from the Conversations page (Generate All or Generate Selected).</p>
        ) : (
          <Table aria-label="Finished runs">
            <TableHeader>
              <TableRow>
                <TableHead>Started</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Model</TableHead>
                <TableHead className="text-right">Conversations</TableHead>
                <TableHead className="text-right">Estimated</TableHead>
                <TableHead className="text-right">Actual</TableHead>
                <TableHead className="text-right">Difference</TableHead>
                <TableHead>By</TableHead>
                <TableHead>
                  <span className="sr-only">Summary</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {o.runs.map((r) => {
                const diff = percentDifference(r.costUsd, r.estimatedUsd);
                return (
                  <TableRow key={r.id} data-run-id={r.id}>
                    <TableCell className="whitespace-nowrap">{formatDateTime(r.startedAt)}</TableCell>
                    <TableCell>{RUN_STATUS_LABELS[r.status] ?? r.status}</TableCell>
                    <TableCell>{r.provider === "simulated" ? "simulated (not a language model)" : r.model}</TableCell>
                    <TableCell className="text-right tabular-nums">{r.conversations}</TableCell>
                    <TableCell className="text-right tabular-nums">{r.estimatedUsd === null ? "—" : formatCostUsd(r.estimatedUsd)}</TableCell>
                    <TableCell className="text-right tabular-nums">{formatCostUsd(r.costUsd)}</TableCell>
                    <TableCell className="text-right tabular-nums">{differenceText(diff)}</TableCell>
                    <TableCell><UserName id={r.createdBy} /></TableCell>
                    <TableCell>
                      <Button variant="outline" size="sm" onClick={() => setRunId(r.id)} aria-label={`Summary of the run started ${formatDateTime(r.startedAt)}`}>
                        Summary
                      </Button>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      </section>

      <Dialog open={runId !== null} onOpenChange={(open) => !open && setRunId(null)}>
        <DialogContent className="sm:max-w-3xl">
          <DialogHeader>
            <DialogTitle>Run summary</DialogTitle>
            <DialogDescription>
              {openRun ? `Started ${formatDateTime(openRun.startedAt)} by ${userName(openRun.createdBy)}; ${openRun.provider === "simulated" ? "simulated provider" : openRun.model}.` : "A generation run of this workspace."}
            </DialogDescription>
          </DialogHeader>
          {runId && <RunSummary slug={slug} runId={runId} showTitle={false} />}
        </DialogContent>
      </Dialog>
    </div>
  );
}

function ChartCard({ id, title, description, empty, children }: { id: string; title: string; description: string; empty: boolean; children: React.ReactNode }) {
  return (
    <figure aria-labelledby={`${id}-title`} className="flex flex-col gap-2 rounded-lg border p-4">
      <figcaption id={`${id}-title`} className="font-semibold">
        {title}
      </figcaption>
      <p className="text-sm text-muted-foreground">{description}</p>
      {empty ? (
        <p className="flex h-56 items-center justify-center rounded-md border border-dashed text-sm text-muted-foreground">Nothing spent on language models in this range.</p>
      ) : (
        <div className="h-56 w-full" role="img" aria-label={`${title} chart; the same figures are in the table below`}>
          {children}
        </div>
      )}
    </figure>
  );
}

function BreakdownTable({ title, dimension, rows, unpriced }: { title: string; dimension: keyof typeof BREAKDOWN_TITLES; rows: CostOverview["breakdown"]; unpriced: string[] }) {
  const total = rows.filter((r) => !r.simulated).reduce((n, r) => n + r.costUsd, 0);
  const name = (r: CostOverview["breakdown"][number]) => {
    if (dimension === "tier") return r.key ? TIER_LABELS[r.key as Tier] ?? r.key : "No conversation (template tests)";
    if (dimension === "template") return r.label || (r.key ? "Deleted template" : "No template");
    if (dimension === "model") return r.simulated ? `${r.key} (simulated, not a language model)` : `${r.provider} · ${r.key}`;
    if (dimension === "kind") return KIND_LABELS[r.key] ?? r.key;
    return r.key;
  };
  return (
    <div className="rounded-lg border p-3">
      <h3 className="font-semibold">{title}</h3>
      {rows.length === 0 ? (
        <p className="text-sm text-muted-foreground">No calls in this range.</p>
      ) : (
        <Table aria-label={`Spend ${title.toLowerCase()}`}>
          <TableHeader>
            <TableRow>
              <TableHead>{title.replace("By ", "").replace(/^./, (c) => c.toUpperCase())}</TableHead>
              <TableHead className="text-right">Spend</TableHead>
              <TableHead className="text-right">Share</TableHead>
              <TableHead className="text-right">Calls</TableHead>
              <TableHead className="text-right">Conversations</TableHead>
              <TableHead className="text-right">Tokens in / out</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((r) => {
              const unknown = dimension === "model" && unpriced.includes(r.key);
              return (
                <TableRow key={`${r.provider ?? ""}:${r.key}`}>
                  <TableCell className="max-w-56 truncate" title={name(r)}>
                    {name(r)}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{unknown ? "unknown" : r.simulated && r.costUsd === 0 ? "$0 (simulated)" : formatCostUsd(r.costUsd)}</TableCell>
                  <TableCell className="text-right tabular-nums">{r.simulated || unknown || total === 0 ? "—" : `${Math.round((r.costUsd / total) * 100)} %`}</TableCell>
                  <TableCell className="text-right tabular-nums">{r.calls}</TableCell>
                  <TableCell className="text-right tabular-nums">{r.conversations}</TableCell>
                  <TableCell className="text-right tabular-nums">
                    {r.inputTokens.toLocaleString("en-US")} / {r.outputTokens.toLocaleString("en-US")}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </div>
  );
}

/** The monthly budget field: Save sets it, Clear removes it. */
function BudgetForm({ slug, budgetUsd, onSaved }: { slug: string; budgetUsd: number | null; onSaved: () => void }) {
  const [text, setText] = useState(budgetUsd === null ? "" : String(budgetUsd));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const save = async (value: number | null) => {
    setSaving(true);
    try {
      const result = await setMonthlyBudgetAction(slug, { budgetUsd: value });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setError(null);
      setText(result.data.budgetUsd === null ? "" : String(result.data.budgetUsd));
      toast.success(result.data.budgetUsd === null ? "Monthly budget cleared" : `Monthly budget set to ${formatCostUsd(result.data.budgetUsd)}`);
      onSaved();
    } catch {
      toast.error("The budget could not be saved. Check that the server is running, then try again.");
    } finally {
      setSaving(false);
    }
  };
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const trimmed = text.trim().replace(/^\$/, "").replaceAll(",", "");
    if (!trimmed) return save(null);
    const value = Number(trimmed);
    if (!Number.isFinite(value) || value <= 0) {
      setError("Enter the monthly budget in US dollars, e.g. 200, or leave it empty for none.");
      return;
    }
    return save(value);
  };
  return (
    <form onSubmit={submit} className="mt-3 space-y-1">
      <Label htmlFor="monthly-budget">Monthly budget (USD)</Label>
      <div className="flex gap-2">
        <Input id="monthly-budget" inputMode="decimal" className="w-32" placeholder="None" value={text} onChange={(e) => setText(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby="monthly-budget-help" />
        <Button type="submit" size="sm" disabled={saving}>
          {saving && <Loader2 aria-hidden className="size-4 animate-spin" />}
          Save budget
        </Button>
      </div>
      <p id="monthly-budget-help" className={error ? "text-sm text-destructive" : "text-xs text-muted-foreground"}>
        {error ?? "An alert shows here and in the Generate dialog at 80 % and when this month's spend reaches it. It does not stop runs; set a spending limit on a run for that."}
      </p>
    </form>
  );
}

/** The accounting CSV: a date range (UTC, both days included), this month by default. */
function CsvForm({ slug }: { slug: string }) {
  const today = new Date().toISOString().slice(0, 10);
  const [from, setFrom] = useState(`${today.slice(0, 8)}01`);
  const [to, setTo] = useState(today);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  return (
    <div className="flex flex-wrap items-end gap-2 text-sm">
      <div className="space-y-1">
        <Label htmlFor="cost-csv-from">From</Label>
        <Input id="cost-csv-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} className="w-40" />
      </div>
      <div className="space-y-1">
        <Label htmlFor="cost-csv-to">To</Label>
        <Input id="cost-csv-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} className="w-40" />
      </div>
      <Button variant="outline" size="sm" asChild={valid} disabled={!valid} title={valid ? undefined : "Pick a From date on or before the To date."}>
        {valid ? (
          <a href={workspacePaths(slug).api.costCsv(new URLSearchParams({ from, to }).toString())} download>
            <Download aria-hidden className="size-4" />
            Cost CSV for accounting
          </a>
        ) : (
          <span>
            <Download aria-hidden className="size-4" />
            Cost CSV for accounting
          </span>
        )}
      </Button>
    </div>
  );
}
