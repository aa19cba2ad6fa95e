"use client";
/**
 * Confirmation before a batch or Generate All (US1.2.1, US1.3.1, US11.4.1): count, estimated
 * time and cost, the per-tier breakdown, warnings (over $100, over 2 hours…), what will be
 * skipped and why, an optional spending limit, and Proceed enabled only once the estimate is
 * acknowledged. Escape, click outside or Cancel closes it.
 */
import { useEffect, useId, useState } from "react";
import Link from "next/link";
import { AlertTriangle, Loader2, ServerCrash } from "lucide-react";
import { toast } from "sonner";
import { formatCostUsd, formatDurationMs } from "@/core/cost/estimate";
import { TIER_LABELS, TIERS } from "@/lib/constants";
import type { GenerationEstimateView, GenerationScope } from "@/lib/dashboard-contract";
import { MAX_RUN_CONCURRENCY } from "@/lib/run-states";
import { pluralize } from "@/lib/format";
import { estimateGenerationAction, startGenerationAction } from "@/server/actions/generation";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { workspacePaths } from "@/lib/workspace-paths";
import { HelpTip } from "@/components/help-tip";

/** Parses the spending limit field: "" → null (no limit); otherwise a positive USD amount or an error message. */
export function parseSpendingLimit(text: string): { value: number | null } | { error: string } {
  const trimmed = text.trim().replace(/^\$/, "");
  if (!trimmed) return { value: null };
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value <= 0) return { error: "Enter an amount in dollars greater than 0, e.g. 50, or leave it empty for no limit." };
  return { value: Math.round(value * 100) / 100 };
}

/** Parses the concurrency field: "" → null (the default); otherwise a whole number from 1 to 64 or an error message. */
export function parseConcurrency(text: string): { value: number | null } | { error: string } {
  const trimmed = text.trim();
  if (!trimmed) return { value: null };
  const value = Number(trimmed);
  if (!Number.isInteger(value) || value < 1 || value > MAX_RUN_CONCURRENCY) return { error: `Enter a whole number from 1 to ${MAX_RUN_CONCURRENCY}.` };
  return { value };
}

export function GenerateDialog({
  open,
  onOpenChange,
  scope,
  description,
  workerProblem = null,
  onStarted,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** What to generate; null while closed. */
  scope: GenerationScope | null;
  /** What the user picked, in words ("the 23 selected conversations", "every conversation not generated yet"). */
  description: string;
  /** Why no worker will take the run now (shown in the dialog), or null. */
  workerProblem?: string | null;
  onStarted: (run: { runId: string; total: number }) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-xl">
        {open && scope ? <GenerateDialogBody scope={scope} description={description} workerProblem={workerProblem} onStarted={onStarted} onClose={() => onOpenChange(false)} /> : null}
      </DialogContent>
    </Dialog>
  );
}

/** The dialog's content; mounted fresh each time the dialog opens, so nothing from a previous estimate lingers. */
function GenerateDialogBody({
  scope,
  description,
  workerProblem,
  onStarted,
  onClose,
}: {
  scope: GenerationScope;
  description: string;
  workerProblem: string | null;
  onStarted: (run: { runId: string; total: number }) => void;
  onClose: () => void;
}) {
  const { slug: workspaceSlug } = useWorkspace();
  const [estimate, setEstimate] = useState<GenerationEstimateView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [limit, setLimit] = useState("");
  const [acknowledged, setAcknowledged] = useState(false);
  /** The user's own choice for this run; null until they touch the box (then the preference decides). */
  const [notifyChoice, setNotifyChoice] = useState<boolean | null>(null);
  const notify = notifyChoice ?? estimate?.notifyByEmail?.preferred ?? false;
  const [starting, setStarting] = useState(false);
  const [concurrencyText, setConcurrencyText] = useState("");
  /** The server's default concurrency (BRIGHTRUN_CONCURRENCY or 3), from the first estimate. */
  const [defaultConcurrency, setDefaultConcurrency] = useState<number | null>(null);
  const limitId = useId();
  const ackId = useId();
  const notifyId = useId();
  const concurrencyId = useId();
  const parsedConcurrency = parseConcurrency(concurrencyText);
  const concurrencyError = "error" in parsedConcurrency ? parsedConcurrency.error : null;
  const concurrency = "value" in parsedConcurrency ? parsedConcurrency.value : null;

  // The estimate depends on the concurrency (time); re-estimated a moment after it changes.
  useEffect(() => {
    if (concurrencyError) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      estimateGenerationAction(workspaceSlug, { scope, ...(concurrency ? { concurrency } : {}) }).then(
        (result) => {
          if (cancelled) return;
          if (result.ok) {
            setEstimate(result.data);
            setError(null);
            if (!concurrency) setDefaultConcurrency(result.data.concurrency);
          } else setError(result.error.message);
        },
        () => !cancelled && setError("The estimate could not be computed. Check that the server is running, then try again."),
      );
    }, estimate ? 400 : 0);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- re-estimate on scope or concurrency, not on every estimate
  }, [scope, concurrency, concurrencyError]);

  const parsedLimit = parseSpendingLimit(limit);
  const limitError = "error" in parsedLimit ? parsedLimit.error : null;
  const count = estimate?.count ?? 0;

  const start = async () => {
    if ("error" in parsedLimit || concurrencyError) return;
    setStarting(true);
    try {
      const result = await startGenerationAction(workspaceSlug, {
        scope,
        budgetUsd: parsedLimit.value,
        ...(concurrency ? { concurrency } : {}),
        ...(notify && estimate?.notifyByEmail?.available ? { notify: true } : {}),
      });
      if (!result.ok) {
        toast.error(result.error.message);
        return;
      }
      if (!result.data.runId) {
        toast.info("Nothing to generate", { description: result.data.skipped[0]?.reason ?? "Every selected conversation was skipped." });
        onClose();
        return;
      }
      toast.success(`Generating ${pluralize(result.data.total, "conversation")}`, { description: "You can leave this page; generation goes on in the background." });
      onStarted({ runId: result.data.runId, total: result.data.total });
      onClose();
    } catch {
      toast.error("Generation could not be started. Check that the server is running, then try again.");
    } finally {
      setStarting(false);
    }
  };

  return (
    <>
        <DialogHeader>
          <DialogTitle>{estimate ? `Generate ${pluralize(count, "conversation")}?` : "Generate conversations?"}</DialogTitle>
          <DialogDescription>Generating {description}. Check the estimate before you start.</DialogDescription>
        </DialogHeader>
        {workerProblem ? (
          <Alert variant="destructive">
            <ServerCrash aria-hidden />
            <AlertTitle>These conversations will wait</AlertTitle>
            <AlertDescription>{workerProblem}</AlertDescription>
          </Alert>
        ) : null}
        {error ? (
          <Alert variant="destructive">
            <AlertTriangle aria-hidden />
            <AlertTitle>No estimate</AlertTitle>
            <AlertDescription>{error}</AlertDescription>
          </Alert>
        ) : !estimate ? (
          <div className="space-y-2" role="status" aria-label="Estimating">
            <Skeleton className="h-16 w-full" />
            <Skeleton className="h-24 w-full" />
          </div>
        ) : (
          <div className="space-y-4 text-sm">
            <dl className="grid grid-cols-3 gap-3">
              <div className="rounded-md border p-2">
                <dt className="text-muted-foreground">Conversations</dt>
                <dd className="text-lg font-semibold tabular-nums">{count.toLocaleString("en-US")}</dd>
              </div>
              <div className="rounded-md border p-2">
                <dt className="text-muted-foreground">Estimated time</dt>
                <dd className="text-lg font-semibold tabular-nums">{formatDurationMs(estimate.estimatedMs)}</dd>
              </div>
              <div className="rounded-md border p-2">
                <dt className="text-muted-foreground">Estimated cost</dt>
                <dd className="text-lg font-semibold tabular-nums">{formatCostUsd(estimate.estimatedUsd)}</dd>
              </div>
            </dl>
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Tier</TableHead>
                  <TableHead className="text-right">Conversations</TableHead>
                  <TableHead className="text-right">Cost</TableHead>
                  <TableHead className="text-right">Time alone</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {TIERS.filter((tier) => estimate.perTier[tier].conversations > 0).map((tier) => (
                  <TableRow key={tier}>
                    <TableCell>{TIER_LABELS[tier]}</TableCell>
                    <TableCell className="text-right tabular-nums">{estimate.perTier[tier].conversations}</TableCell>
                    <TableCell className="text-right tabular-nums">{formatCostUsd(estimate.perTier[tier].costUsd)}</TableCell>
                    <TableCell className="text-right tabular-nums">{formatDurationMs(estimate.perTier[tier].timeMs)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <p className="text-muted-foreground">
              With {estimate.provider.isLanguageModel ? `${estimate.provider.name} · ${estimate.provider.model}` : "the simulated provider (not a language model)"}
              {!estimate.priceKnown && <NoPriceSet workspaceSlug={workspaceSlug} />}
              . At most{" "}
              {formatCostUsd(estimate.maxUsd)} if every reply used its full token limit.
              {estimate.judge && (
                <>
                  {" "}
                  Includes the judge, {estimate.judge.model}: {estimate.judge.calls} calls, {formatCostUsd(estimate.judge.costUsd)}
                  {!estimate.judge.priceKnown && <NoPriceSet workspaceSlug={workspaceSlug} />}
                  .
                </>
              )}
            </p>
            <CostHistoryNote estimate={estimate} workspaceSlug={workspaceSlug} />
            {estimate.warnings.length > 0 && (
              <Alert>
                <AlertTriangle aria-hidden />
                <AlertTitle>Before you start</AlertTitle>
                <AlertDescription>
                  <ul className="list-disc space-y-1 pl-4">
                    {estimate.warnings.map((w) => (
                      <li key={w}>{w}</li>
                    ))}
                  </ul>
                </AlertDescription>
              </Alert>
            )}
            {estimate.skipped.length > 0 && (
              <details className="rounded-md border p-2">
                <summary className="cursor-pointer">{pluralize(estimate.skipped.length, "conversation")} will be skipped</summary>
                <ul className="mt-2 max-h-32 space-y-0.5 overflow-auto text-muted-foreground">
                  {estimate.skipped.slice(0, 50).map((s) => (
                    <li key={s.conversationId}>
                      <span className="font-mono text-xs">{s.conversationId}</span>: {s.reason}
                    </li>
                  ))}
                </ul>
              </details>
            )}
            <div className="space-y-1">
              <Label htmlFor={concurrencyId}>Requests to the model at the same time</Label>
              <Input
                id={concurrencyId}
                inputMode="numeric"
                className="w-32"
                placeholder={String(defaultConcurrency ?? estimate.concurrency)}
                value={concurrencyText}
                onChange={(event) => setConcurrencyText(event.target.value)}
                aria-invalid={concurrencyError ? true : undefined}
                aria-describedby={`${concurrencyId}-help`}
              />
              <p id={`${concurrencyId}-help`} className={concurrencyError ? "text-destructive" : "text-muted-foreground"}>
                {concurrencyError ??
                  `1 to ${MAX_RUN_CONCURRENCY}; ${defaultConcurrency ?? estimate.concurrency} if left empty. Higher is faster when your model server or provider allows it; it is halved by itself when the provider answers “too many requests” or “overloaded”.`}
              </p>
            </div>
            <div className="space-y-1">
              <div className="flex items-center gap-1">
                <Label htmlFor={limitId}>Spending limit (USD)</Label>
                <HelpTip topic="spendingLimit" />
              </div>
              <Input
                id={limitId}
                inputMode="decimal"
                placeholder="No limit — e.g. 50 stops the run before it costs more than $50"
                value={limit}
                onChange={(event) => setLimit(event.target.value)}
                aria-invalid={limitError ? true : undefined}
                aria-describedby={`${limitId}-help`}
              />
              <p id={`${limitId}-help`} className={limitError ? "text-destructive" : "text-muted-foreground"}>
                {limitError ?? "Optional. The run pauses before a call that could go over it; you are alerted at 80%."}
              </p>
            </div>
            {estimate.notifyByEmail && (
              <div className="space-y-1">
                <div className="flex items-center gap-2">
                  <Checkbox
                    id={notifyId}
                    checked={notify && estimate.notifyByEmail.available}
                    disabled={!estimate.notifyByEmail.available}
                    onCheckedChange={(value) => setNotifyChoice(value === true)}
                    aria-describedby={estimate.notifyByEmail.reason ? `${notifyId}-reason` : undefined}
                  />
                  <Label htmlFor={notifyId} className={estimate.notifyByEmail.available ? undefined : "text-muted-foreground"}>
                    E-mail me when it finishes
                  </Label>
                </div>
                <p id={`${notifyId}-reason`} className="pl-6 text-muted-foreground">
                  {estimate.notifyByEmail.reason ?? (
                    <>
                      Also if it pauses on its spending limit or fails: counts, cost, quality and a link. Whether it starts ticked is set in your{" "}
                      <Link href="/preferences" className="underline underline-offset-2">
                        preferences
                      </Link>
                      .
                    </>
                  )}
                </p>
              </div>
            )}
            <div className="flex items-center gap-2">
              <Checkbox id={ackId} checked={acknowledged} onCheckedChange={(value) => setAcknowledged(value === true)} />
              <Label htmlFor={ackId}>I have reviewed the estimate</Label>
            </div>
          </div>
        )}
        <DialogFooter>
          <Button variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={start} disabled={!estimate || count === 0 || !acknowledged || Boolean(limitError) || Boolean(concurrencyError) || starting}>
            {starting && <Loader2 aria-hidden className="size-4 animate-spin" />}
            Start generation
          </Button>
        </DialogFooter>
    </>
  );
}

/**
 * The estimate per conversation beside this workspace's past average for the model, the accuracy of
 * past estimates (US13.1.1), and the monthly budget alert when this month's spend is at 80 % or over.
 */
function CostHistoryNote({ estimate, workspaceSlug }: { estimate: GenerationEstimateView; workspaceSlug: string }) {
  const history = estimate.costHistory;
  const perConversation = estimate.count > 0 ? estimate.estimatedUsd / estimate.count : 0;
  return (
    <>
      {history.budget.message && (
        <Alert variant={history.budget.level === "over" ? "destructive" : "default"} data-testid="generate-budget-alert">
          <AlertTriangle aria-hidden />
          <AlertTitle>{history.budget.level === "over" ? "Monthly budget reached" : "Close to the monthly budget"}</AlertTitle>
          <AlertDescription>{history.budget.message}</AlertDescription>
        </Alert>
      )}
      <div className="space-y-0.5 rounded-md border p-2" aria-label="Cost history" role="group">
        <p>
          <span className="font-medium tabular-nums">~{formatCostUsd(perConversation)} per conversation</span>{" "}
          <span className="text-muted-foreground">
            {!estimate.provider.isLanguageModel
              ? "(the simulated provider is not a language model and costs nothing)"
              : history.avgPerConversationUsd === null
                ? `· no finished run of ${history.model} in this workspace yet to compare with`
                : `· past runs of ${history.model} averaged ${formatCostUsd(history.avgPerConversationUsd)} per conversation (${pluralize(history.runs, "run")})`}
          </span>
        </p>
        <p className="text-muted-foreground" data-testid="estimate-accuracy">
          {history.accuracyText}{" "}
          <Link href={workspacePaths(workspaceSlug).cost()} className="underline underline-offset-2">
            Cost page
          </Link>
        </p>
      </div>
    </>
  );
}

/** " (no price set: set one in Settings)", linking to the workspace's prices. */
function NoPriceSet({ workspaceSlug }: { workspaceSlug: string }) {
  return (
    <>
      {" "}
      (no price set:{" "}
      <Link href={`${workspacePaths(workspaceSlug).settings}#prices`} className="underline underline-offset-2">
        set one in Settings
      </Link>
      )
    </>
  );
}
