"use client";
/**
 * "Suggest scenarios from a chunk": pick a chunk, ask the workspace's model for drafts, read them,
 * and open one in the scenario form to edit and save. Drafts are never saved without that step.
 * With the simulated provider the drafts are composed from the chunk's text and say so.
 */
import { useState, useTransition } from "react";
import { AlertTriangle, Loader2, Sparkles } from "lucide-react";

import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { suggestScenariosAction, type ScenarioSuggestions } from "@/server/actions/scenarios";
import type { ChunkOption } from "@/server/scenario-library";
import { ChunkPicker } from "./chunk-picker";
import type { ScenarioFormValues } from "./scenario-form-dialog";

export function SuggestScenariosDialog({
  open,
  onOpenChange,
  chunks,
  onUseDraft,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  chunks: ChunkOption[];
  /** Opens the scenario form with the draft's fields and chunk. */
  onUseDraft: (values: ScenarioFormValues) => void;
}) {
  const { slug } = useWorkspace();
  const [chunkId, setChunkId] = useState<string | null>(null);
  const [result, setResult] = useState<ScenarioSuggestions | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function suggest() {
    if (!chunkId) return;
    setProblem(null);
    startTransition(async () => {
      const response = await suggestScenariosAction(slug, { chunkId });
      if (!response.ok) {
        setResult(null);
        setProblem(response.error.message);
        return;
      }
      setResult(response.data);
    });
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-h-[92vh] overflow-y-auto sm:max-w-3xl">
        <DialogHeader>
          <DialogTitle>Suggest scenarios from a chunk</DialogTitle>
          <DialogDescription>Your configured model reads the chunk and drafts customer scenarios. Nothing is saved until you review a draft and save it.</DialogDescription>
        </DialogHeader>
        <div className="min-w-0 space-y-2">
          <Label htmlFor="suggest-chunk">Source chunk</Label>
          <ChunkPicker
            id="suggest-chunk"
            chunks={chunks}
            value={chunkId}
            allowNone={false}
            onChange={(id) => {
              setChunkId(id);
              setResult(null);
            }}
          />
        </div>
        <div className="flex justify-end">
          <Button onClick={suggest} disabled={!chunkId || pending}>
            {pending ? <Loader2 aria-hidden className="size-4 animate-spin" /> : <Sparkles aria-hidden className="size-4" />}
            {pending ? "Asking the model…" : "Suggest scenarios"}
          </Button>
        </div>
        {problem && (
          <p role="alert" className="rounded-md border border-destructive/40 bg-destructive/10 p-2 text-sm text-destructive">
            {problem}
          </p>
        )}
        {result && (
          <section aria-label="Suggested drafts" className="space-y-3">
            {!result.languageModel ? (
              <p className="flex items-start gap-2 rounded-md border border-warning/40 bg-warning/10 p-2 text-sm">
                <AlertTriangle aria-hidden className="mt-0.5 size-4 shrink-0 text-warning" />
                The simulated composer made these drafts from the chunk&rsquo;s own sentences — it is not a language model. Choose a model in Settings for real suggestions, or edit these before saving.
              </p>
            ) : (
              <p className="text-sm text-muted-foreground">
                Drafted by {result.model} ({result.provider}). Read them before you save one.
              </p>
            )}
            {result.drafts.map((draft, i) => (
              <article key={i} className="space-y-1.5 rounded-md border p-3 text-sm" aria-label={draft.title}>
                <div className="flex items-start justify-between gap-3">
                  <h3 className="font-medium">{draft.title}</h3>
                  <Button size="sm" variant="outline" onClick={() => onUseDraft({ ...draft, chunkId })}>
                    Review and save…
                  </Button>
                </div>
                {draft.description && <p className="text-muted-foreground">{draft.description}</p>}
                <dl className="grid grid-cols-[6rem_1fr] gap-x-2 gap-y-1">
                  <dt className="text-muted-foreground">Problem</dt>
                  <dd>{draft.problem}</dd>
                  <dt className="text-muted-foreground">Solution</dt>
                  <dd>{draft.solution}</dd>
                  <dt className="text-muted-foreground">Outcome</dt>
                  <dd>{draft.outcome}</dd>
                </dl>
              </article>
            ))}
          </section>
        )}
      </DialogContent>
    </Dialog>
  );
}
