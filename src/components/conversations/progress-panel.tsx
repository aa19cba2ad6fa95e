"use client";
/**
 * The generation progress panel (US1.2.2, US2.1.1, US2.1.2): per run, "42 of 100 – 42%", a
 * progress bar, succeeded / failed, what is being generated now, time remaining, spend against
 * the estimate and the spending limit, throttling, and Pause / Resume / Cancel. Collapsible.
 */
import { useState } from "react";
import Link from "next/link";
import { Check, ChevronDown, Loader2, Pause, Play, Square, X } from "lucide-react";
import { toast } from "sonner";
import { TIER_LABELS, TIERS } from "@/lib/constants";
import { PAUSE_REASON_LABELS, RUN_STATUS_LABELS, type RunProgress } from "@/lib/run-states";
import { formatCostUsd, formatDurationMs } from "@/core/cost/estimate";
import { cancelRunAction, pauseRunAction, resumeRunAction } from "@/server/actions/generation";
import { Button } from "@/components/ui/button";
import { Collapsible, CollapsibleContent, CollapsibleTrigger } from "@/components/ui/collapsible";
import { Progress } from "@/components/ui/progress";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { RunSummary } from "@/components/cost/run-summary";
import { workspacePaths } from "@/lib/workspace-paths";

/** What to do about each pause reason. */
const PAUSE_ADVICE: Record<string, string> = {
  user: "",
  spending_limit: " — raise the limit to go on",
  provider_spend_limit: " — raise it in your provider account, then resume",
};

/** "42 of 100 – 42%" (en dash, as in US1.2.2). */
export function progressHeadline(p: Pick<RunProgress, "done" | "total" | "percent">): string {
  return `${p.done} of ${p.total} – ${p.percent}%`;
}

/**
 * "Generating Tier 1: 12 of 40 complete" (US8.1.1) for a run over one tier ("Generated Tier 1: …"
 * once it has ended); null for other runs.
 */
export function tierHeadline(p: Pick<RunProgress, "tier" | "done" | "total" | "finished">): string | null {
  if (!p.tier) return null;
  return `${p.finished ? "Generated" : "Generating"} Tier ${TIERS.indexOf(p.tier) + 1}: ${p.done} of ${p.total} complete`;
}

function RunProgressCard({ progress, streamError, onChanged }: { progress: RunProgress; streamError: string | null; onChanged: () => void }) {
  const { slug: workspaceSlug } = useWorkspace();
  const [busy, setBusy] = useState<string | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const p = progress;
  const act = async (name: string, call: () => Promise<{ ok: true } | { ok: false; error: { message: string } }>, done: string) => {
    setBusy(name);
    try {
      const result = await call();
      if (result.ok) toast.success(done);
      else toast.error(result.error.message);
      onChanged();
    } finally {
      setBusy(null);
    }
  };
  const running = !p.finished && p.status !== "paused";
  return (
    <div className="space-y-2 rounded-md border bg-card p-3" data-run-id={p.runId}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex items-center gap-2 font-medium">
          {running && <Loader2 aria-hidden className="size-4 animate-spin text-blue-600" />}
          <span>{RUN_STATUS_LABELS[p.status] ?? p.status}</span>
          <span className="text-sm font-normal text-muted-foreground">
            · {p.purpose === "judge" ? "judging with " : ""}
            {p.provider === "simulated" ? "simulated provider (not a language model)" : `${p.provider} · ${p.model}`}
            {p.purpose === "generate" && p.judgeModel ? `, judged by ${p.judgeModel}` : ""} · {p.kind === "batch" ? "batch, " : ""}concurrency {p.concurrency}
          </span>
        </div>
        <div className="flex items-center gap-1">
          {running && (
            <Button variant="outline" size="sm" disabled={busy !== null || p.cancelRequested} onClick={() => act("pause", () => pauseRunAction(workspaceSlug, { runId: p.runId }), "Generation paused. Conversations in flight finish first.")}>
              <Pause aria-hidden className="size-4" />
              Pause
            </Button>
          )}
          {p.status === "paused" && (
            <Button size="sm" disabled={busy !== null} onClick={() => act("resume", () => resumeRunAction(workspaceSlug, { runId: p.runId }), "Generation resumed.")}>
              <Play aria-hidden className="size-4" />
              Resume generation
            </Button>
          )}
          {!p.finished && (
            <Button variant="outline" size="sm" disabled={busy !== null || p.cancelRequested} onClick={() => setConfirmCancel(true)}>
              <Square aria-hidden className="size-4" />
              {p.cancelRequested ? "Cancelling…" : "Cancel run"}
            </Button>
          )}
        </div>
      </div>
      {tierHeadline(p) && (
        <p className="text-sm font-medium" data-testid="tier-progress">
          {tierHeadline(p)} <span className="font-normal text-muted-foreground">({p.tier ? TIER_LABELS[p.tier] : ""} tier)</span>
        </p>
      )}
      <Progress value={p.percent} aria-label={`Generation ${p.percent}% complete`} />
      <div className="flex flex-wrap items-baseline justify-between gap-x-6 gap-y-1 text-sm">
        <div className="text-base font-semibold tabular-nums">{progressHeadline(p)}</div>
        <div className="tabular-nums">
          <span className="text-emerald-700 dark:text-emerald-400">
            {p.succeeded} {p.purpose === "judge" ? "judged" : "succeeded"}
          </span>
          ,{" "}
          <span className={p.failed ? "text-red-700 dark:text-red-400" : undefined}>
            {p.failed} {p.purpose === "judge" ? "not judged" : "failed"}
          </span>
          {p.cancelled ? `, ${p.cancelled} cancelled` : ""}
          <span className="text-muted-foreground"> · {p.done}/{p.total} conversations</span>
        </div>
        <div className="tabular-nums text-muted-foreground">
          {p.finished
            ? `took ${formatDurationMs(p.elapsedMs)}`
            : p.remainingMs !== null
              ? `~${formatDurationMs(p.remainingMs)} remaining`
              : "estimating time remaining…"}
        </div>
        <div className="tabular-nums text-muted-foreground">
          Spent {formatCostUsd(p.spentUsd)}
          {p.estimatedUsd !== null ? ` of ~${formatCostUsd(p.estimatedUsd)} estimated` : ""}
          {p.budgetUsd !== null ? ` · limit ${formatCostUsd(p.budgetUsd)}` : ""}
        </div>
      </div>
      {p.current.length > 0 && !p.finished && (
        <ul className="space-y-0.5 text-sm" aria-label="Generating now">
          {p.current.slice(0, 4).map((c) => (
            <li key={c.conversationId} className="truncate">
              <span className="text-muted-foreground">{p.purpose === "judge" ? "Judging" : "Generating"}:</span> <span className="font-mono text-xs">{c.conversationId}</span> {c.persona} + {c.emotion} + {c.topic}
            </li>
          ))}
          {p.current.length > 4 && <li className="text-muted-foreground">and {p.current.length - 4} more</li>}
        </ul>
      )}
      {p.recent.length > 0 && (
        <div className="flex flex-wrap items-center gap-1.5 text-xs" aria-label="Recently finished">
          <span className="text-muted-foreground">Recently finished:</span>
          {p.recent.map((r) => (
            <span
              key={r.conversationId}
              className={
                r.succeeded
                  ? "inline-flex items-center gap-0.5 rounded border border-emerald-300 px-1.5 py-0.5 text-emerald-800 dark:border-emerald-800 dark:text-emerald-300"
                  : "inline-flex items-center gap-0.5 rounded border border-red-300 px-1.5 py-0.5 text-red-800 dark:border-red-800 dark:text-red-300"
              }
            >
              {r.succeeded ? <Check aria-label="succeeded" className="size-3" /> : <X aria-label="failed" className="size-3" />}
              <span className="font-mono">{r.conversationId}</span>
              {r.succeeded && r.qualityScore !== null ? <span className="tabular-nums">({r.qualityScore.toFixed(1)})</span> : null}
            </span>
          ))}
        </div>
      )}
      {/* What paced the run stays on the card once it ends: how fast it went is part of its record. */}
      {p.throttle && (
        <p className={p.throttle.throttled && p.status === "running" ? "text-sm text-amber-800 dark:text-amber-300" : "text-sm text-muted-foreground"} role="status" data-testid="run-pacing">
          {p.status === "running" ? "Paced by" : "Was paced by"} {p.throttle.pacedBy}.{p.throttle.throttled && p.status === "running" ? " It goes on by itself." : ""}
          {p.throttle.limits && !p.throttle.pacedBy.includes(p.throttle.limits) ? ` Limits: ${p.throttle.limits}.` : ""}
        </p>
      )}
      {p.status === "paused" && (
        <p className="text-sm text-amber-800 dark:text-amber-300" role="status">
          Paused: {p.pausedReason ? `${PAUSE_REASON_LABELS[p.pausedReason]}${PAUSE_ADVICE[p.pausedReason] ?? ""}` : "paused"}.
        </p>
      )}
      {streamError && (
        <p className="text-sm text-red-700 dark:text-red-400" role="alert">
          {streamError}
        </p>
      )}
      {p.spendingAlert && <p className="text-sm text-amber-800 dark:text-amber-300">{p.spendingAlert}</p>}
      {p.finished && p.purpose === "generate" && (
        <>
          <RunSummary slug={workspaceSlug} runId={p.runId} />
          <p className="text-xs text-muted-foreground">
            Every run&apos;s summary, spend over time and the monthly budget are on the{" "}
            <Link href={workspacePaths(workspaceSlug).cost()} className="underline underline-offset-2">
              Cost page
            </Link>
            .
          </p>
        </>
      )}
      <AlertDialog open={confirmCancel} onOpenChange={setConfirmCancel}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Cancel this generation run?</AlertDialogTitle>
            <AlertDialogDescription>
              Conversations already generated are kept. The {p.total - p.done} not finished yet go back to Not generated, and calls in flight are stopped.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Keep generating</AlertDialogCancel>
            <AlertDialogAction onClick={() => act("cancel", () => cancelRunAction(workspaceSlug, { runId: p.runId }), "Cancelling the run…")}>Cancel run</AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </div>
  );
}

/**
 * The banner ("Generation in progress", US1.3.2) and the collapsible panel with one card per run.
 * @param open whether the panel is expanded; the banner's "View progress" toggles it.
 */
export function ProgressPanel({
  runs,
  streamErrors = {},
  open,
  onOpenChange,
  onDismiss,
  onChanged,
}: {
  runs: RunProgress[];
  /** Per run id: why live progress stopped (shown on its card). */
  streamErrors?: Record<string, string>;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDismiss: () => void;
  onChanged: () => void;
}) {
  if (!runs.length) return null;
  const active = runs.filter((r) => !r.finished);
  const done = runs.reduce((n, r) => n + r.done, 0);
  const total = runs.reduce((n, r) => n + r.total, 0);
  const percent = total ? Math.round((done / total) * 100) : 100;
  return (
    <Collapsible open={open} onOpenChange={onOpenChange} asChild>
      <section aria-label="Generation progress" className="rounded-lg border border-blue-200 bg-blue-50/60 p-3 dark:border-blue-900 dark:bg-blue-950/40">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <div className="flex items-center gap-2 text-sm" role="status" aria-live="polite">
            {active.length ? <Loader2 aria-hidden className="size-4 animate-spin text-blue-600" /> : null}
            <strong>{active.length ? "Generation in progress" : "Generation finished"}</strong>
            <span className="tabular-nums text-muted-foreground">{percent}% done</span>
          </div>
          <div className="flex items-center gap-1">
            <CollapsibleTrigger asChild>
              <Button variant="ghost" size="sm" aria-expanded={open}>
                {open ? "Hide progress" : "View progress"}
                <ChevronDown aria-hidden className={`size-4 transition-transform ${open ? "rotate-180" : ""}`} />
              </Button>
            </CollapsibleTrigger>
            {!active.length && (
              <Button variant="ghost" size="sm" onClick={onDismiss}>
                Dismiss
              </Button>
            )}
          </div>
        </div>
        <CollapsibleContent className="mt-2 space-y-2">
          {runs.map((run) => (
            <RunProgressCard key={run.runId} progress={run} streamError={streamErrors[run.runId] ?? null} onChanged={onChanged} />
          ))}
        </CollapsibleContent>
      </section>
    </Collapsible>
  );
}
