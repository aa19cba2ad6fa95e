"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Check, Loader2, Sparkles } from "lucide-react";
import { toast } from "sonner";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { TaxonomyEntryDialog } from "@/components/taxonomy/taxonomy-entry-form";
import { SIMULATED_SUGGESTIONS_LABEL, type TaxonomySuggestionResult } from "@/core/taxonomy/suggest-taxonomy";
import type { TaxonomyFileEntry } from "@/core/taxonomy/taxonomy-entry-schemas";
import { createTaxonomyEntryAction, suggestTaxonomyAction } from "@/server/actions/taxonomy";

type Suggestion = { kind: "personas"; entry: TaxonomyFileEntry<"personas"> } | { kind: "topics"; entry: TaxonomyFileEntry<"topics"> };

/**
 * "Suggest personas and topics from my documents": asks the model in effect (Settings) for personas
 * and topics drawn from the documents' headings and summaries, and lists them. Nothing is saved until
 * the user accepts a suggestion, each on its own, in the entry form where it can be edited first. A
 * reply that is not the JSON asked for is shown as an error with the raw reply below it. The
 * simulated composer's drafts are labelled "simulated — not a language model".
 */
export function TaxonomySuggestions({ documents, readOnly }: { documents: number; readOnly: boolean }) {
  const { slug, paths } = useWorkspace();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<TaxonomySuggestionResult | null>(null);
  const [accepted, setAccepted] = useState<Set<string>>(new Set());
  const [accepting, setAccepting] = useState<Suggestion | null>(null);
  const [pending, startTransition] = useTransition();

  function suggest() {
    setOpen(true);
    setResult(null);
    setAccepted(new Set());
    startTransition(async () => {
      const response = await suggestTaxonomyAction(slug);
      if (!response.ok) {
        setOpen(false);
        toast.error(response.error.message);
        return;
      }
      setResult(response.data);
    });
  }

  async function accept(entry: Record<string, unknown>): Promise<string | null> {
    if (!accepting) return null;
    const response = await createTaxonomyEntryAction(slug, { kind: accepting.kind, entry });
    if (!response.ok) return response.error.message;
    setAccepted((s) => new Set(s).add(`${accepting.kind}:${accepting.entry.key}`));
    toast.success(`Added ${accepting.kind === "personas" ? "persona" : "topic"} “${response.data.name}”`);
    setAccepting(null);
    router.refresh();
    return null;
  }

  const suggestions: Suggestion[] = result?.ok
    ? [...result.personas.map((entry) => ({ kind: "personas" as const, entry })), ...result.topics.map((entry) => ({ kind: "topics" as const, entry }))]
    : [];

  return (
    <>
      <Button
        variant="outline"
        size="sm"
        onClick={suggest}
        disabled={readOnly || pending || documents === 0}
        title={documents === 0 ? "Upload documents first: suggestions are drawn from them" : undefined}
      >
        {pending ? <Loader2 aria-hidden className="size-4 animate-spin" /> : <Sparkles aria-hidden className="size-4" />}
        Suggest personas and topics from my documents
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-3xl">
          <DialogHeader>
            <DialogTitle>Suggested personas and topics</DialogTitle>
            <DialogDescription>
              Drawn from your documents&rsquo; headings and summaries with the model set in{" "}
              <a href={paths.settings} className="text-primary underline-offset-4 hover:underline">
                Settings
              </a>
              . Nothing is saved until you accept a suggestion; you can edit each one first.
            </DialogDescription>
          </DialogHeader>
          {pending && !result && (
            <p className="flex items-center gap-2 text-sm text-muted-foreground" role="status">
              <Loader2 aria-hidden className="size-4 animate-spin" /> Asking for suggestions…
            </p>
          )}
          {result && !result.ok && (
            <div role="alert" className="space-y-2">
              <p className="rounded-md border border-destructive/40 bg-destructive/10 p-3 text-sm text-destructive">{result.message}</p>
              <p className="text-sm text-muted-foreground">
                The reply of {result.provider} ({result.model}), as it came:
              </p>
              <pre className="max-h-64 overflow-auto rounded-md border bg-muted p-3 text-xs whitespace-pre-wrap" aria-label="The model's reply">
                {result.raw || "(empty reply)"}
              </pre>
            </div>
          )}
          {result?.ok && (
            <div className="space-y-3">
              <p className="flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
                {result.simulated ? (
                  <Badge variant="warning">{SIMULATED_SUGGESTIONS_LABEL}</Badge>
                ) : (
                  <span>
                    From {result.provider} ({result.model}).
                  </span>
                )}
                {result.simulated && "Plain drafts composed from your headings and key terms. Set a model in Settings for real suggestions."}
              </p>
              {suggestions.length === 0 && <p className="text-sm text-muted-foreground">No suggestions came back. Try again.</p>}
              <ul className="space-y-2">
                {suggestions.map((s) => {
                  const done = accepted.has(`${s.kind}:${s.entry.key}`);
                  return (
                    <li key={`${s.kind}:${s.entry.key}`} className="flex items-start justify-between gap-3 rounded-md border p-3">
                      <div className="min-w-0 space-y-1">
                        <div className="flex items-center gap-2">
                          <Badge variant="outline">{s.kind === "personas" ? "Persona" : "Topic"}</Badge>
                          <span className="font-medium">{s.entry.name}</span>
                        </div>
                        <p className="text-sm text-muted-foreground">{s.entry.description}</p>
                        {s.kind === "topics" && s.entry.key_terms.length > 0 && <p className="text-xs text-muted-foreground">Key terms: {s.entry.key_terms.join(", ")}</p>}
                        {s.kind === "personas" && s.entry.traits.length > 0 && <p className="text-xs text-muted-foreground">Traits: {s.entry.traits.join(", ")}</p>}
                      </div>
                      {done ? (
                        <Badge variant="success">
                          <Check aria-hidden /> Added
                        </Badge>
                      ) : (
                        <Button size="sm" variant="outline" onClick={() => setAccepting(s)} aria-label={`Review and accept ${s.entry.name}`}>
                          Review and accept
                        </Button>
                      )}
                    </li>
                  );
                })}
              </ul>
            </div>
          )}
        </DialogContent>
      </Dialog>
      <TaxonomyEntryDialog
        kind={accepting?.kind ?? "personas"}
        mode="accept"
        initial={accepting?.entry ?? null}
        open={accepting !== null}
        onOpenChange={(o) => !o && setAccepting(null)}
        onSubmit={accept}
      />
    </>
  );
}
