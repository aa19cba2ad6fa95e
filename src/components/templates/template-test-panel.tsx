"use client";
/**
 * "Test Template" (issue 11 item 5, US7.2.2): sends one request for the editor's draft through the
 * workspace's model with the chosen parameters and shows the reply as a conversation, whether it
 * is valid conversation JSON (the raw reply stays visible when it is not), the quality score and
 * its breakdown, cost and latency, and how it compares with the active version's recent average.
 */
import { useState } from "react";
import { AlertTriangle, CheckCircle2, FlaskConical, Loader2, XCircle } from "lucide-react";
import { toast } from "sonner";

import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatCostUsd } from "@/core/cost/estimate";
import type { TemplateParameterSourceChoice } from "@/core/templates/preview-template";
import type { TemplateTestResult } from "@/core/templates/test-template";
import { comparisonLine } from "@/lib/template-test-comparison";
import { templateDraftSchema, type TemplateDraft, type TemplateTestSummary } from "@/lib/template-draft";
import { testTemplateDraftAction } from "@/server/actions/template-workbench";
import { DEFAULT_PARAMETER_SOURCE, TemplateParameterChooser } from "./template-parameter-chooser";

export function TemplateTestPanel({
  slug,
  templateId,
  version,
  draft,
  onTested,
}: {
  slug: string;
  templateId: string | null;
  version: number | null;
  draft: TemplateDraft;
  /** Called after every test that reached the model (or was stopped before it), with its summary. */
  onTested?: (summary: TemplateTestSummary) => void;
}) {
  const [source, setSource] = useState<TemplateParameterSourceChoice>(DEFAULT_PARAMETER_SOURCE);
  const [result, setResult] = useState<TemplateTestResult | null>(null);
  const [running, setRunning] = useState(false);

  const run = async () => {
    const parsed = templateDraftSchema.safeParse(draft);
    if (!parsed.success) {
      toast.error(parsed.error.issues[0]?.message ?? "The template is not complete yet.");
      return;
    }
    setRunning(true);
    const response = await testTemplateDraftAction(slug, { draft: parsed.data, source, templateId, version });
    setRunning(false);
    if (!response.ok) {
      toast.error(response.error.message);
      return;
    }
    setResult(response.data);
    onTested?.(response.data.summary);
  };

  return (
    <section aria-labelledby="template-test-heading" className="space-y-3 rounded-lg border p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="template-test-heading" className="text-base font-semibold">
          Test
        </h2>
        <Button type="button" onClick={run} disabled={running}>
          {running ? <Loader2 aria-hidden className="size-4 animate-spin" /> : <FlaskConical aria-hidden className="size-4" />}
          {running ? "Testing…" : "Test Template"}
        </Button>
      </div>
      <p className="text-sm text-muted-foreground">Sends one request through this workspace&rsquo;s model (Settings) and scores the reply as generation would. It is logged and costed.</p>
      <TemplateParameterChooser slug={slug} tier={draft.tier} value={source} onChange={setSource} label="Test parameters" />
      {result && <TestResult result={result} />}
    </section>
  );
}

function TestResult({ result }: { result: TemplateTestResult }) {
  const { summary } = result;
  return (
    <div className="space-y-3 text-sm" data-testid="template-test-result" aria-live="polite">
      {!result.languageModel && (
        <Alert role="status">
          <AlertTriangle aria-hidden />
          <AlertTitle>Simulated reply: not a language model</AlertTitle>
          <AlertDescription>The simulated composer built this conversation from the parameters without a model. Choose a provider in Settings to test the template for real.</AlertDescription>
        </Alert>
      )}
      <div className="flex flex-wrap items-center gap-2">
        {summary.ok ? (
          <Badge className="bg-emerald-600 text-white dark:bg-emerald-700">
            <CheckCircle2 aria-hidden /> Valid reply
          </Badge>
        ) : (
          <Badge variant="destructive">
            <XCircle aria-hidden /> {result.request ? "Reply not usable" : "Not sent"}
          </Badge>
        )}
        {result.quality && (
          <span>
            Quality <strong>{result.quality.score.toFixed(1)}</strong>/10
          </span>
        )}
        <span className="text-muted-foreground">
          {summary.costUsd !== null ? formatCostUsd(summary.costUsd) : "no cost"} · {summary.latencyMs.toLocaleString("en-US")} ms · {summary.model}
          {result.request && ` · ${result.inputTokens.toLocaleString("en-US")} in / ${result.outputTokens.toLocaleString("en-US")} out tokens`}
        </span>
      </div>
      {result.validationError && (
        <Alert variant="destructive">
          <AlertTriangle aria-hidden />
          <AlertTitle>{result.request ? "The reply is not a valid conversation" : "Nothing was sent"}</AlertTitle>
          <AlertDescription>{result.validationError.message}</AlertDescription>
        </Alert>
      )}
      {result.request && <p>{comparisonLine(result.quality?.score ?? null, result.comparison)}</p>}
      <p className="text-xs text-muted-foreground">
        {result.storedWithVersion ? "Kept as this version's last test." : result.notStoredReason}
        {result.source && <> · Parameters: {result.source.label}</>}
      </p>
      {result.turns && (
        <ol aria-label="Test conversation" className="max-h-[36rem] space-y-2 overflow-y-auto pr-1">
          {result.turns.map((turn, index) => (
            <li key={index} className={turn.role === "user" ? "mr-8 rounded-md border bg-muted/40 p-2" : "ml-8 rounded-md border bg-primary/5 p-2"}>
              <div className="mb-0.5 text-xs font-medium text-muted-foreground">{turn.role === "user" ? "Customer" : "Assistant"}</div>
              <p className="whitespace-pre-wrap">{turn.content}</p>
            </li>
          ))}
        </ol>
      )}
      {result.rawReply !== null && (
        <details open={!result.turns}>
          <summary className="cursor-pointer text-xs text-muted-foreground">Raw reply</summary>
          <pre aria-label="Raw reply" className="mt-1 max-h-80 overflow-auto whitespace-pre-wrap rounded-md border bg-muted/40 p-3 font-mono text-xs">
            {result.rawReply || "(empty)"}
          </pre>
        </details>
      )}
      {result.quality && (
        <Table aria-label="Quality breakdown">
          <TableHeader>
            <TableRow>
              <TableHead>Criterion</TableHead>
              <TableHead className="text-right">Score</TableHead>
              <TableHead>Why</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {result.quality.breakdown.map((criterion) => (
              <TableRow key={criterion.id}>
                <TableCell>{criterion.label}</TableCell>
                <TableCell className="text-right tabular-nums">{criterion.score.toFixed(1)}</TableCell>
                <TableCell className="whitespace-normal text-muted-foreground">{criterion.explanation}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
