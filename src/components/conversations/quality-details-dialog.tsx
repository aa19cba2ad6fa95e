"use client";
/**
 * Why a conversation got its quality score (US4.3.2): the overall score with its colour band, each
 * criterion's actual value, target, score out of 10 with a bar, the explanation, and what to do
 * about the ones that failed; and, when the conversation was judged, the judge's score, its reason
 * for each rubric criterion, or why there is no verdict.
 */
import { AlertTriangle, Check, CheckCheck, Lightbulb, X } from "lucide-react";
import type { QualityBand, QualityCriterion, QualityResult } from "@/core/quality/quality-types";
import type { StoredJudgeResult } from "@/core/quality/judge/rubric";
import { cn } from "@/lib/utils";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Progress } from "@/components/ui/progress";
import { ConversationDetailError, ConversationDetailLoading } from "./conversation-detail-states";
import { useConversationDetail } from "./use-conversation-detail";
import { HelpTip } from "@/components/help-tip";

const BAND: Record<QualityBand, { label: string; icon: typeof Check; className: string }> = {
  high: { label: "High quality", icon: CheckCheck, className: "border-emerald-300 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200" },
  medium: { label: "Medium quality", icon: Check, className: "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200" },
  low: { label: "Low quality — flagged for review", icon: AlertTriangle, className: "border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200" },
};

function OverallScore({ quality }: { quality: QualityResult }) {
  const band = BAND[quality.band];
  const Icon = band.icon;
  return (
    <div className={cn("flex items-center gap-4 rounded-lg border p-4", band.className)}>
      <Icon aria-hidden className="size-8 shrink-0" />
      <div className="min-w-0">
        <div className="text-3xl font-bold tabular-nums">
          {quality.score.toFixed(1)}
          <span className="text-base font-medium"> / 10</span>
        </div>
        <div className="text-sm font-medium">{band.label}</div>
        {quality.cap && (
          <p className="mt-1 text-sm">
            Capped at {quality.cap.maxScore} (the criteria alone average {quality.weightedScore.toFixed(1)}): {quality.cap.reason}
          </p>
        )}
      </div>
    </div>
  );
}

function CriterionRow({ criterion }: { criterion: QualityCriterion }) {
  const labelId = `quality-criterion-${criterion.id}`;
  return (
    <li className="space-y-2 rounded-lg border p-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={labelId} className="flex items-center gap-1.5 font-medium">
          {criterion.passed ? (
            <Check aria-hidden className="size-4 text-emerald-600 dark:text-emerald-400" />
          ) : (
            <X aria-hidden className="size-4 text-red-600 dark:text-red-400" />
          )}
          {criterion.label}
          <span className="sr-only">{criterion.passed ? " (passed)" : " (did not pass)"}</span>
        </h3>
        <span className="text-sm font-semibold tabular-nums">{criterion.score.toFixed(1)}/10</span>
      </div>
      <Progress
        value={Math.max(0, Math.min(100, criterion.score * 10))}
        aria-labelledby={labelId}
        className={cn(
          criterion.passed
            ? "bg-emerald-600/15 [&_[data-slot=progress-indicator]]:bg-emerald-600"
            : "bg-red-600/15 [&_[data-slot=progress-indicator]]:bg-red-600",
        )}
      />
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm">
        <dt className="text-muted-foreground">Actual</dt>
        <dd className="tabular-nums">{String(criterion.actual)}</dd>
        <dt className="text-muted-foreground">Target</dt>
        <dd>{criterion.target}</dd>
        <dt className="text-muted-foreground">Weight</dt>
        <dd className="tabular-nums">{Math.round(criterion.weight * 100)}% of the score</dd>
      </dl>
      <p className="text-sm leading-relaxed">{criterion.explanation}</p>
      {!criterion.passed && criterion.recommendation && (
        <p className="flex gap-1.5 text-sm leading-relaxed text-amber-900 dark:text-amber-200">
          <Lightbulb aria-hidden className="mt-0.5 size-4 shrink-0" />
          <span>{criterion.recommendation}</span>
        </p>
      )}
    </li>
  );
}

/** The details body for a scored conversation (also usable without the dialog). */
export function QualityDetails({ quality }: { quality: QualityResult }) {
  return (
    <div className="space-y-4">
      <OverallScore quality={quality} />
      {quality.flagged && (
        <div role="status" className="flex gap-2 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
          <Lightbulb aria-hidden className="mt-0.5 size-4 shrink-0" />
          <p>
            Consider regenerating this conversation, or adjusting its prompt template first if the same criteria keep failing. Scores below{" "}
            {quality.threshold} are flagged for review.
          </p>
        </div>
      )}
      <ol className="space-y-3" aria-label="Score breakdown">
        {quality.breakdown.map((criterion) => (
          <CriterionRow key={criterion.id} criterion={criterion} />
        ))}
      </ol>
    </div>
  );
}

/**
 * The judge's verdict (docs/quality.md, "The judge"): its overall score, model and rubric version,
 * summary, and each criterion's score out of 10 with the judge's reason; or, when the judge gave
 * no usable verdict, why, with its raw reply.
 */
export function JudgeDetails({ judge }: { judge: StoredJudgeResult }) {
  const heading = `Judge${judge.model ? ` — ${judge.model}` : ""}${judge.rubricVersion ? `, rubric v${judge.rubricVersion}` : ""}`;
  if (judge.status === "failed" || judge.score === null) {
    return (
      <section aria-label="Judge" className="space-y-2 rounded-lg border border-amber-300 p-3 dark:border-amber-700">
        <h3 className="font-medium">{heading}</h3>
        <p className="text-sm">No judge score: {judge.error?.message ?? "the judge gave no usable verdict."}</p>
        {judge.rawReply && (
          <details className="text-sm">
            <summary className="cursor-pointer text-muted-foreground">The judge&apos;s raw reply</summary>
            <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap rounded bg-muted p-2 text-xs">{judge.rawReply}</pre>
          </details>
        )}
      </section>
    );
  }
  return (
    <section aria-label="Judge" className="space-y-3">
      <div className="rounded-lg border p-4">
        <h3 className="text-sm font-medium text-muted-foreground">{heading}</h3>
        <div className="text-3xl font-bold tabular-nums">
          {judge.score.toFixed(1)}
          <span className="text-base font-medium"> / 10</span>
        </div>
        {judge.summary && <p className="mt-1 text-sm">{judge.summary}</p>}
      </div>
      <ol className="space-y-2" aria-label="Judge's scores">
        {judge.criteria.map((criterion) => {
          const labelId = `judge-criterion-${criterion.id}`;
          return (
            <li key={criterion.id} className="space-y-1.5 rounded-lg border p-3">
              <div className="flex items-baseline justify-between gap-2">
                <h4 id={labelId} className="font-medium">
                  {criterion.label}
                </h4>
                <span className="text-sm font-semibold tabular-nums">{criterion.score}/10</span>
              </div>
              <Progress value={criterion.score * 10} aria-labelledby={labelId} />
              <p className="text-sm leading-relaxed">{criterion.reason}</p>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/**
 * The quality details dialog (US4.3.2). Fetches the conversation's detail while open.
 * @param conversationId human id ("tmpl-004"); null shows nothing.
 */
export function QualityDetailsDialog({
  open,
  onOpenChange,
  conversationId,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  conversationId: string | null;
}) {
  const { detail, loading, error, reload } = useConversationDetail(conversationId, open);
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent showCloseButton={false} className="flex max-h-[90vh] flex-col sm:max-w-2xl">
        <DialogHeader>
          <div className="flex items-center gap-1.5">
            <DialogTitle>Quality details — {conversationId ?? ""}</DialogTitle>
            <HelpTip topic="qualityScore" />
          </div>
          <DialogDescription>How the automatic score was worked out. Each criterion is scored 1–10 and weighted. When a judge model scored the conversation, its verdict follows.</DialogDescription>
        </DialogHeader>
        <div className="-mx-6 min-h-0 flex-1 overflow-y-auto px-6">
          {loading ? (
            <ConversationDetailLoading label="Loading quality details" skeletons={["h-20 w-full", "h-28 w-full", "h-28 w-full"]} />
          ) : error ? (
            <ConversationDetailError message={error} onRetry={reload} />
          ) : detail ? (
            <div className="space-y-6">
              {detail.quality ? (
                <QualityDetails quality={detail.quality} />
              ) : (
                <p className="text-sm text-muted-foreground">Not scored yet: the quality score is worked out when the conversation is generated.</p>
              )}
              {detail.judge && <JudgeDetails judge={detail.judge} />}
            </div>
          ) : null}
        </div>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Close</Button>
          </DialogClose>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
