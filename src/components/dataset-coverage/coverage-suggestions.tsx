"use client";
/**
 * The Coverage page's suggestions (issue 13 items 2 and 3): coverage recommendations with
 * "Generate Recommended", dismiss one / all and restore (US3.2.2); warnings about
 * under-represented document categories (US10.1.2) and low-confidence source chunks (US10.2.2);
 * edge-case suggestions per category with "Generate Suggested Edge Cases", mark done / dismiss /
 * restore, a custom edge case and the coverage CSV (US8.3.2). Planning opens the usual Generate
 * dialog for exactly the planned ids; the page follows the run and refreshes when it ends.
 */
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { AlertTriangle, Check, Download, Loader2, Plus, RotateCcw, Sparkles, X } from "lucide-react";
import { toast } from "sonner";

import { GenerateDialog } from "@/components/conversations/generate-dialog";
import { useRunProgress } from "@/components/conversations/use-run-progress";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Textarea } from "@/components/ui/textarea";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { HIGH_CONFIDENCE_ABOVE, RECOMMENDED_RANGE, UNDER_REPRESENTED_RATIO, type Recommendation } from "@/core/dataset-coverage/suggestions";
import type { GenerationScope } from "@/lib/dashboard-contract";
import { pluralize } from "@/lib/format";
import type { RunProgress } from "@/lib/run-states";
import { keyFromName } from "@/lib/taxonomy-kinds";
import { workspacePaths } from "@/lib/workspace-paths";
import { planEdgeCaseSuggestionsAction, planRecommendationsAction, setSuggestionStateAction } from "@/server/actions/coverage";
import { createTaxonomyEntryAction } from "@/server/actions/taxonomy";
import type { CoverageSuggestions } from "@/server/coverage-suggestions";

const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;

/** "Anxious Investor + Fear + Portfolio Setup" */
export function recommendationName(r: Pick<Recommendation, "persona" | "arc" | "topic">): string {
  return `${r.persona.name} + ${r.arc.name} + ${r.topic.name}`;
}

/** "1 conversation · recommended 3–5" */
function recommendationFigures(r: Recommendation): string {
  return `${pluralize(r.count, "conversation")} · recommended ${r.recommended.min}–${r.recommended.max}`;
}

export function CoverageSuggestionPanels({ suggestions, workerProblem }: { suggestions: CoverageSuggestions; workerProblem: string | null }) {
  const router = useRouter();
  const { slug, archived } = useWorkspace();
  const [pending, startTransition] = useTransition();
  const [generate, setGenerate] = useState<{ scope: GenerationScope; description: string; what: string } | null>(null);
  const [runs, setRuns] = useState<Array<{ id: string; what: string }>>([]);
  const [showDismissed, setShowDismissed] = useState(false);
  const [customOpen, setCustomOpen] = useState(false);

  const { progress } = useRunProgress({
    runIds: runs.map((r) => r.id),
    initial: [],
    onFinished: (p: RunProgress) => {
      router.refresh();
      const what = runs.find((r) => r.id === p.runId)?.what ?? "Conversations";
      const text = `${p.succeeded} succeeded, ${p.failed} failed${p.cancelled ? `, ${p.cancelled} cancelled` : ""}`;
      if (p.failed) toast.warning(`${what} finished`, { description: `${text}. Retry the failed ones from the Conversations page.` });
      else toast.success(`${what} generated`, { description: `${text}. Coverage below is up to date.` });
    },
  });
  const running = runs.map((r) => progress[r.id]).find((p) => p && !p.finished);
  const { recommendations, edgeCases, warnings } = suggestions;
  const busy = pending || archived || Boolean(running);

  const plan = (run: () => Promise<{ ok: true; data: { conversationIds: string[] } } | { ok: false; error: { message: string } }>, what: string, describe: (ids: string[]) => string) =>
    startTransition(async () => {
      const result = await run();
      if (!result.ok) {
        toast.error("Could not plan these conversations", { description: result.error.message });
        return;
      }
      const ids = result.data.conversationIds;
      router.refresh();
      toast.success(`${pluralize(ids.length, "conversation")} planned`, { description: ids.join(", ") });
      setGenerate({ scope: { kind: "target", target: { ids } }, description: describe(ids), what });
    });

  const setState = (kind: "recommendation" | "edge_case", keys: string[], state: "dismissed" | "done" | null, done: string) =>
    startTransition(async () => {
      const result = await setSuggestionStateAction(slug, { kind, keys, state });
      if (!result.ok) {
        toast.error("Could not save that", { description: result.error.message });
        return;
      }
      toast.success(done);
      router.refresh();
    });

  const generateRecommended = () =>
    plan(
      () => planRecommendationsAction(slug, { keys: recommendations.open.map((r) => r.key) }),
      "Recommended conversations",
      (ids) => `the ${pluralize(ids.length, "conversation")} just planned for ${pluralize(recommendations.open.length, "recommended combination")} (${ids.join(", ")})`,
    );
  const suggestedEdges = edgeCases.categories.flatMap((c) => (c.next ? [c.next] : []));
  const generateEdgeCases = () =>
    plan(
      () => planEdgeCaseSuggestionsAction(slug, { keys: suggestedEdges.map((s) => s.key) }),
      "Suggested edge cases",
      (ids) => `the ${pluralize(ids.length, "edge-case conversation")} just planned, one per suggested test (${ids.join(", ")})`,
    );

  const { categories: categoryWarnings, confidence } = warnings;
  return (
    <div className="space-y-8">
      <section aria-labelledby="recommendations-heading" className="space-y-3">
        <div className="flex flex-wrap items-center gap-2">
          <h2 id="recommendations-heading" className="text-lg font-semibold">
            Coverage recommendations
          </h2>
          <div className="ml-auto flex flex-wrap gap-2">
            <Button variant="outline" size="sm" disabled={busy || recommendations.open.length === 0} onClick={() => setState("recommendation", recommendations.open.map((r) => r.key), "dismissed", `${pluralize(recommendations.open.length, "recommendation")} dismissed`)}>
              <X aria-hidden /> Dismiss all
            </Button>
            <Button size="sm" disabled={busy || recommendations.open.length === 0} onClick={generateRecommended}>
              {pending ? <Loader2 aria-hidden className="animate-spin" /> : <Sparkles aria-hidden />} Generate Recommended
            </Button>
          </div>
        </div>
        <p className="text-sm text-muted-foreground">
          {recommendations.thin === 0
            ? `Every persona + emotional arc + topic combination has at least ${RECOMMENDED_RANGE.min} conversations.`
            : `${recommendations.thin} of ${recommendations.combinations} persona + emotional arc + topic combinations have fewer than ${RECOMMENDED_RANGE.min} conversations (planned, generated or approved; rejected ones do not count). The emptiest persona × arc cells come first; Generate Recommended plans each up to ${RECOMMENDED_RANGE.min} and opens the generation estimate.`}
        </p>
        {running && (
          <p role="status" className="text-sm text-muted-foreground">
            Generating: {running.done} of {running.total} done
          </p>
        )}
        {recommendations.open.length > 0 ? (
          <ul aria-label="Recommendations" className="divide-y rounded-md border">
            {recommendations.open.map((r) => (
              <li key={r.key} className="flex items-center gap-3 p-3 text-sm">
                <p className="min-w-0 flex-1">
                  <span className="font-medium">{recommendationName(r)}:</span> <span className="tabular-nums">{recommendationFigures(r)}</span>{" "}
                  <span className="text-xs text-muted-foreground">
                    (plans {r.toPlan}; this persona × arc has {pluralize(r.cellCount, "conversation")})
                  </span>
                </p>
                <Button
                  variant="ghost"
                  size="sm"
                  className="shrink-0"
                  disabled={busy}
                  aria-label={`Dismiss ${recommendationName(r)}`}
                  onClick={() => setState("recommendation", [r.key], "dismissed", `Dismissed ${recommendationName(r)}`)}
                >
                  <X aria-hidden /> Dismiss
                </Button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="rounded-md border p-3 text-sm text-muted-foreground">
            {recommendations.thin === 0 ? "Nothing to recommend: the dataset covers every combination." : "No open recommendations: the rest are dismissed."}
          </p>
        )}
        {recommendations.dismissed.length > 0 && (
          <div className="space-y-2">
            <Button variant="link" size="sm" className="px-0" aria-expanded={showDismissed} onClick={() => setShowDismissed((v) => !v)}>
              {showDismissed ? "Hide" : "Show"} dismissed ({recommendations.dismissed.length})
            </Button>
            {showDismissed && (
              <div className="space-y-2">
                <ul aria-label="Dismissed recommendations" className="max-h-72 divide-y overflow-y-auto rounded-md border">
                  {recommendations.dismissed.map((r) => (
                    <li key={r.key} className="flex flex-wrap items-center gap-3 p-2 text-sm text-muted-foreground">
                      <span>
                        {recommendationName(r)}: {recommendationFigures(r)}
                      </span>
                      <Button variant="ghost" size="sm" className="ml-auto" disabled={busy} aria-label={`Restore ${recommendationName(r)}`} onClick={() => setState("recommendation", [r.key], null, `Restored ${recommendationName(r)}`)}>
                        <RotateCcw aria-hidden /> Restore
                      </Button>
                    </li>
                  ))}
                </ul>
                <Button variant="outline" size="sm" disabled={busy} onClick={() => setState("recommendation", recommendations.dismissed.map((r) => r.key), null, `${pluralize(recommendations.dismissed.length, "recommendation")} restored`)}>
                  <RotateCcw aria-hidden /> Restore all
                </Button>
              </div>
            )}
          </div>
        )}
        {(categoryWarnings.length > 0 || confidence.low > 0) && (
          <div className="space-y-2">
            {categoryWarnings.map((w) => (
              <Alert key={w.category} className="border-amber-500/60">
                <AlertTriangle aria-hidden className="text-amber-600 dark:text-amber-400" />
                <AlertTitle>&ldquo;{w.category}&rdquo; is under-represented</AlertTitle>
                <AlertDescription>
                  {percent(w.conversationShare)} of the conversations come from it ({pluralize(w.conversations, "conversation")}), against {percent(w.expectedShare)} expected from its share of the chunks (or of the plan&rsquo;s category weights); warned below {percent(UNDER_REPRESENTED_RATIO)} of that. Raise its weight on the Plan page or plan more from it.
                </AlertDescription>
              </Alert>
            ))}
            {confidence.low > 0 && (
              <Alert className="border-amber-500/60">
                <AlertTriangle aria-hidden className="text-amber-600 dark:text-amber-400" />
                <AlertTitle>Low-confidence sources: {pluralize(confidence.low, "conversation")}</AlertTitle>
                <AlertDescription>
                  Their source chunk&rsquo;s confidence is {HIGH_CONFIDENCE_ABOVE} or less (US10.2.2 recommends chunks with confidence above {HIGH_CONFIDENCE_ABOVE}). {confidence.high} from high-confidence chunks, {confidence.unknown} from chunks without a confidence score.
                </AlertDescription>
              </Alert>
            )}
          </div>
        )}
        <p className="text-xs text-muted-foreground">
          Source confidence: {confidence.high} of {pluralize(confidence.total, "conversation")} from chunks with confidence above {HIGH_CONFIDENCE_ABOVE}, {confidence.low} at or below, {confidence.unknown} without a confidence score (the chunker gave none).
        </p>
      </section>

      <section aria-labelledby="edge-cases-heading" className="space-y-3">
        <div className="flex flex-wrap items-center gap-2">
          <h2 id="edge-cases-heading" className="text-lg font-semibold">
            Edge-case suggestions
          </h2>
          <div className="ml-auto flex flex-wrap gap-2">
            <Button asChild variant="outline" size="sm">
              <a href={workspacePaths(slug).api.edgeCaseCoverageCsv} download>
                <Download aria-hidden /> Edge-case coverage CSV
              </a>
            </Button>
            <Button variant="outline" size="sm" disabled={archived} onClick={() => setCustomOpen(true)}>
              <Plus aria-hidden /> Custom edge case
            </Button>
            <Button size="sm" disabled={busy || suggestedEdges.length === 0} onClick={generateEdgeCases}>
              {pending ? <Loader2 aria-hidden className="animate-spin" /> : <Sparkles aria-hidden />} Generate Suggested Edge Cases
            </Button>
          </div>
        </div>
        <p className="text-sm text-muted-foreground">
          For each edge-case category, how many persona × emotional arc combinations have an edge-case conversation of it, and the next one to test: an untested combination whose persona and arc have been tested least. Generate Suggested Edge Cases plans one conversation per suggestion.
        </p>
        {edgeCases.categories.length === 0 ? (
          <p className="rounded-md border p-3 text-sm text-muted-foreground">No edge-case categories yet. Define a custom edge case, or add them on the Customers page.</p>
        ) : (
          <Table aria-label="Edge-case suggestions">
            <TableHeader>
              <TableRow>
                <TableHead>Edge case</TableHead>
                <TableHead className="text-right">Tested</TableHead>
                <TableHead>Suggested test</TableHead>
                <TableHead className="text-right">Actions</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {edgeCases.categories.map((c) => {
                const next = c.next;
                const label = next ? `${c.edgeCase.name}: ${next.persona.name} × ${next.arc.name}` : c.edgeCase.name;
                return (
                  <TableRow key={c.edgeCase.key}>
                    <TableCell className="max-w-md align-top whitespace-normal">
                      <span className="font-medium">{c.edgeCase.name}</span>
                      <span className="block text-xs text-muted-foreground">Tests: {c.edgeCase.testCondition}</span>
                    </TableCell>
                    <TableCell className="text-right align-top tabular-nums">
                      {c.tested} of {c.combinations}
                      {(c.done > 0 || c.dismissed > 0) && (
                        <span className="block text-xs text-muted-foreground">
                          {c.done} done, {c.dismissed} dismissed
                        </span>
                      )}
                    </TableCell>
                    <TableCell className="align-top">{next ? `${next.persona.name} × ${next.arc.name}` : <span className="text-muted-foreground">Every combination is tested, done or dismissed</span>}</TableCell>
                    <TableCell className="text-right align-top">
                      <div className="flex flex-wrap justify-end gap-1">
                        {next && (
                          <>
                            <Button variant="ghost" size="sm" disabled={busy} aria-label={`Mark done ${label}`} onClick={() => setState("edge_case", [next.key], "done", `Marked done: ${label}`)}>
                              <Check aria-hidden /> Done
                            </Button>
                            <Button variant="ghost" size="sm" disabled={busy} aria-label={`Dismiss ${label}`} onClick={() => setState("edge_case", [next.key], "dismissed", `Dismissed ${label}`)}>
                              <X aria-hidden /> Dismiss
                            </Button>
                          </>
                        )}
                        {c.closedKeys.length > 0 && (
                          <Button variant="ghost" size="sm" disabled={busy} aria-label={`Restore ${c.closedKeys.length} done or dismissed of ${c.edgeCase.name}`} onClick={() => setState("edge_case", c.closedKeys, null, `${pluralize(c.closedKeys.length, "suggestion")} of ${c.edgeCase.name} restored`)}>
                            <RotateCcw aria-hidden /> Restore {c.closedKeys.length}
                          </Button>
                        )}
                      </div>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      </section>

      <CustomEdgeCaseDialog open={customOpen} onOpenChange={setCustomOpen} slug={slug} onCreated={() => router.refresh()} />
      <GenerateDialog
        open={generate !== null}
        onOpenChange={(open) => !open && setGenerate(null)}
        scope={generate?.scope ?? null}
        description={generate?.description ?? ""}
        workerProblem={workerProblem}
        onStarted={({ runId }) => {
          const what = generate?.what ?? "Conversations";
          setRuns((list) => (list.some((r) => r.id === runId) ? list : [{ id: runId, what }, ...list]));
          router.refresh();
        }}
      />
    </div>
  );
}

/** "Define a custom edge case": name, description and the conditions to test, stored as an edge-case category of the taxonomy. */
function CustomEdgeCaseDialog({ open, onOpenChange, slug, onCreated }: { open: boolean; onOpenChange: (open: boolean) => void; slug: string; onCreated: () => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [conditions, setConditions] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saving, startSaving] = useTransition();
  /** A field's change handler: stores the value and clears the last error. */
  const edit = (set: (value: string) => void) => (event: { target: { value: string } }) => {
    set(event.target.value);
    setError(null);
  };
  const save = () => {
    const key = keyFromName(name);
    if (!name.trim() || !key) return setError("Name the edge case with at least one letter or digit.");
    if (!description.trim()) return setError("Describe the edge case in a sentence.");
    if (!conditions.trim()) return setError("Say what conditions to test: what the customer does and what the assistant must do.");
    setError(null);
    startSaving(async () => {
      const result = await createTaxonomyEntryAction(slug, { kind: "edge_case_categories", entry: { key, name: name.trim(), description: description.trim(), test_condition: conditions.trim() } });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      toast.success(`Edge case "${result.data.name}" added`, { description: "It is an edge-case category of the taxonomy now, with its own suggestions." });
      setName("");
      setDescription("");
      setConditions("");
      onOpenChange(false);
      onCreated();
    });
  };
  return (
    <Dialog open={open} onOpenChange={(o) => !saving && onOpenChange(o)}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Define a custom edge case</DialogTitle>
          <DialogDescription>Added to the workspace&rsquo;s edge-case categories (Customers page), so it is planned, suggested and reported like the others.</DialogDescription>
        </DialogHeader>
        <form
          noValidate
          className="space-y-3"
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          <div className="space-y-1">
            <Label htmlFor="custom-edge-name">Name</Label>
            <Input id="custom-edge-name" value={name} onChange={edit(setName)} maxLength={200} />
            {name.trim() && <p className="text-xs text-muted-foreground">Key: {keyFromName(name) || "(needs a letter or digit)"}</p>}
          </div>
          <div className="space-y-1">
            <Label htmlFor="custom-edge-description">Description</Label>
            <Textarea id="custom-edge-description" value={description} onChange={edit(setDescription)} rows={2} />
          </div>
          <div className="space-y-1">
            <Label htmlFor="custom-edge-conditions">Conditions to test</Label>
            <Textarea id="custom-edge-conditions" value={conditions} onChange={edit(setConditions)} rows={3} placeholder="What the customer says or does, and what the assistant must do." />
          </div>
          {error && (
            <p role="alert" className="text-sm text-red-700 dark:text-red-400">
              {error}
            </p>
          )}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)} disabled={saving}>
              Cancel
            </Button>
            <Button type="submit" disabled={saving}>
              {saving && <Loader2 aria-hidden className="animate-spin" />}
              Add edge case
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
