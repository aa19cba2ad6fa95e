"use client";
/**
 * The template preview pane (issue 11 item 3, US7.2.1's debug preview): the editor's unsaved draft
 * resolved on the server for a planned conversation or sample parameters, showing exactly what one
 * generation call would send — system prompt, messages, max_tokens, temperature, model — with the
 * prompt's token count and the most one call can cost. Updates 400 ms after the last edit.
 */
import { useEffect, useMemo, useState } from "react";
import Link from "next/link";
import { AlertTriangle, Loader2 } from "lucide-react";

import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { formatCostUsd } from "@/core/cost/estimate";
import type { TemplateParameterSourceChoice } from "@/core/templates/preview-template";
import { templateDraftSchema, type TemplateDraft } from "@/lib/template-draft";
import { workspacePaths } from "@/lib/workspace-paths";
import { previewTemplateDraftAction, type TemplatePreviewData } from "@/server/actions/template-workbench";
import { DEFAULT_PARAMETER_SOURCE, TemplateParameterChooser } from "./template-parameter-chooser";

/** How long the pane waits after the last change before resolving again, ms. */
export const PREVIEW_DEBOUNCE_MS = 400;

export function TemplatePreviewPane({ slug, templateId, version, draft }: { slug: string; templateId: string | null; version: number | null; draft: TemplateDraft }) {
  const [source, setSource] = useState<TemplateParameterSourceChoice>(DEFAULT_PARAMETER_SOURCE);
  const [resolved, setResolved] = useState<TemplatePreviewData | null>(null);
  const [serverProblem, setServerProblem] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const draftKey = JSON.stringify(draft);
  const parsed = useMemo(() => templateDraftSchema.safeParse(JSON.parse(draftKey)), [draftKey]);
  const draftProblem = parsed.success ? null : (parsed.error.issues[0]?.message ?? "The template is not complete yet.");
  const preview = parsed.success ? resolved : null;
  const problem = draftProblem ?? serverProblem;

  useEffect(() => {
    if (!parsed.success) return;
    let cancelled = false;
    const timer = setTimeout(async () => {
      setLoading(true);
      const result = await previewTemplateDraftAction(slug, { draft: parsed.data, source, templateId, version });
      if (cancelled) return;
      setLoading(false);
      if (result.ok) {
        setResolved(result.data);
        setServerProblem(null);
      } else {
        setResolved(null);
        setServerProblem(result.error.message);
      }
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [slug, templateId, version, parsed, source]);

  return (
    <section aria-labelledby="template-preview-heading" className="space-y-3 rounded-lg border p-4">
      <div className="flex items-center justify-between gap-2">
        <h2 id="template-preview-heading" className="text-base font-semibold">
          Preview
        </h2>
        {loading && (
          <span className="flex items-center gap-1 text-xs text-muted-foreground" role="status">
            <Loader2 aria-hidden className="size-3.5 animate-spin" /> Resolving…
          </span>
        )}
      </div>
      <TemplateParameterChooser slug={slug} tier={draft.tier} value={source} onChange={setSource} label="Preview parameters" />
      {problem && (
        <Alert variant="destructive">
          <AlertTriangle aria-hidden />
          <AlertTitle>This template cannot be sent as it is</AlertTitle>
          <AlertDescription>{problem}</AlertDescription>
        </Alert>
      )}
      {preview && !preview.ok && (
        <Alert variant="destructive">
          <AlertTriangle aria-hidden />
          <AlertTitle>Generation would stop before the API call</AlertTitle>
          <AlertDescription>
            <p>{preview.error.message}</p>
            {preview.source && <p className="text-xs">Parameters: {preview.source.label}</p>}
          </AlertDescription>
        </Alert>
      )}
      {preview?.ok && <ResolvedRequest slug={slug} preview={preview} version={version} />}
    </section>
  );
}

function ResolvedRequest({ slug, preview, version }: { slug: string; preview: Extract<TemplatePreviewData, { ok: true }>; version: number | null }) {
  const { request } = preview;
  return (
    <div className="space-y-3 text-sm" data-testid="template-preview">
      <p className="text-xs text-muted-foreground">
        Parameters: {preview.source.label}
        {version !== null && <> · the editor&rsquo;s text (saved as v{version} when unchanged)</>}
      </p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
        <dt className="text-muted-foreground">Model</dt>
        <dd>
          {request.model} <span className="text-muted-foreground">({preview.provider})</span>
          {!preview.languageModel && (
            <Badge variant="outline" className="ml-2">
              Simulated: not a language model
            </Badge>
          )}
        </dd>
        <dt className="text-muted-foreground">Input tokens</dt>
        <dd>
          {preview.inputTokens.toLocaleString("en-US")}{" "}
          <span className="text-muted-foreground">
            {preview.tokenMethod === "o200k_base" ? "(counted with the o200k_base tokenizer)" : "(estimate: characters ÷ 4; no tokenizer for this model here)"}
          </span>
        </dd>
        <dt className="text-muted-foreground">max_tokens</dt>
        <dd>{request.max_tokens.toLocaleString("en-US")}</dd>
        <dt className="text-muted-foreground">Temperature</dt>
        <dd>{request.temperature}</dd>
        <dt className="text-muted-foreground">Cost of one call</dt>
        <dd>
          {preview.maxCostUsd !== null ? (
            <>
              at most {formatCostUsd(preview.maxCostUsd)} <span className="text-muted-foreground">(the prompt plus a full max_tokens reply)</span>
            </>
          ) : (
            <>
              unknown: no price is set for {request.model}.{" "}
              <Link href={workspacePaths(slug).settings} className="underline underline-offset-2">
                Set its price in Settings
              </Link>
            </>
          )}
        </dd>
      </dl>
      <div>
        <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-muted-foreground">System prompt</h3>
        <pre aria-label="System prompt sent" className="max-h-60 overflow-auto whitespace-pre-wrap rounded-md border bg-muted/40 p-3 font-mono text-xs">
          {request.system}
        </pre>
      </div>
      <div>
        <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-muted-foreground">Messages</h3>
        {request.messages.map((message, index) => (
          <div key={index} className="rounded-md border">
            <div className="border-b bg-muted/60 px-3 py-1 font-mono text-xs">role: {message.role}</div>
            <pre aria-label="User message sent" className="max-h-96 overflow-auto whitespace-pre-wrap p-3 font-mono text-xs">
              {message.content}
            </pre>
          </div>
        ))}
      </div>
      <details className="text-xs">
        <summary className="cursor-pointer text-muted-foreground">Request as JSON</summary>
        <pre className="mt-1 max-h-80 overflow-auto rounded-md border bg-muted/40 p-3 font-mono">{JSON.stringify(request, null, 2)}</pre>
      </details>
    </div>
  );
}
