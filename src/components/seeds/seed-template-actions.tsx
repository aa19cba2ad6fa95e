"use client";
/**
 * A seed's template actions on the Seeds page (issue 11 item 7, US10.3.2): "Use as template" makes
 * a draft template from the seed and opens it in the template editor; "Generate variations" plans N
 * conversations from that template, then offers the usual Generate dialog (estimate, run start) for
 * exactly those conversations and follows the run until it finishes.
 */
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { CopyPlus, Loader2, Shuffle } from "lucide-react";
import { toast } from "sonner";
import type { GenerationScope } from "@/lib/dashboard-contract";
import type { RunProgress } from "@/lib/run-states";
import { planSeedVariationsAction, makeSeedTemplateAction } from "@/server/actions/seeds";
import { GenerateDialog } from "@/components/conversations/generate-dialog";
import { useRunProgress } from "@/components/conversations/use-run-progress";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useWorkspace } from "@/components/workspaces/workspace-provider";

/** Most variations planned at once (MAX_SEED_VARIATIONS in src/core/planning/create-plan.ts; the action checks it). */
const MAX_VARIATIONS = 50;

export function SeedTemplateActions({
  seed,
  hasTemplate,
  workerProblem,
}: {
  seed: { id: string; conversationId: string; title: string | null };
  /** True when the seed already has a template ("Generate variations" needs one). */
  hasTemplate: boolean;
  workerProblem: string | null;
}) {
  const router = useRouter();
  const { slug, archived } = useWorkspace();
  const [making, startMaking] = useTransition();
  const [planning, startPlanning] = useTransition();
  const [askCount, setAskCount] = useState(false);
  const [count, setCount] = useState("3");
  const [countError, setCountError] = useState<string | null>(null);
  const [generate, setGenerate] = useState<{ scope: GenerationScope; description: string } | null>(null);
  const [runIds, setRunIds] = useState<string[]>([]);
  const label = seed.title ?? seed.conversationId;

  const { progress } = useRunProgress({
    runIds,
    initial: [],
    onFinished: (p: RunProgress) => {
      router.refresh();
      const text = `${p.succeeded} succeeded, ${p.failed} failed${p.cancelled ? `, ${p.cancelled} cancelled` : ""}`;
      if (p.failed) toast.warning(`Variations of ${seed.conversationId} finished`, { description: `${text}. Retry the failed ones from the Conversations page.` });
      else toast.success(`Variations of ${seed.conversationId} generated`, { description: `${text}. Their quality is compared with the seed's below.` });
    },
  });
  const running = runIds.map((id) => progress[id]).find((p) => p && !p.finished);

  const makeTemplate = () =>
    startMaking(async () => {
      const result = await makeSeedTemplateAction(slug, { seedId: seed.id });
      if (!result.ok) {
        toast.error("Could not make a template from this seed", { description: result.error.message });
        return;
      }
      toast.success(`Draft template "${result.data.name}" created`, { description: result.data.summary });
      router.push(result.data.editorUrl);
    });

  const planVariations = () => {
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1 || n > MAX_VARIATIONS) {
      setCountError(`Enter a whole number from 1 to ${MAX_VARIATIONS}.`);
      return;
    }
    setCountError(null);
    startPlanning(async () => {
      const result = await planSeedVariationsAction(slug, { seedId: seed.id, count: n });
      if (!result.ok) {
        setCountError(result.error.message);
        return;
      }
      const ids = result.data.conversationIds;
      setAskCount(false);
      router.refresh();
      toast.success(`${ids.length} ${ids.length === 1 ? "variation" : "variations"} planned`, { description: `${ids.join(", ")} from "${result.data.templateName}".` });
      setGenerate({ scope: { kind: "target", target: { ids } }, description: `the ${ids.length} ${ids.length === 1 ? "variation" : "variations"} of ${seed.conversationId} just planned (${ids.join(", ")})` });
    });
  };

  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex flex-wrap justify-end gap-1">
        <Button variant="outline" size="sm" onClick={makeTemplate} disabled={archived || making} aria-label={`Use ${label} as template`}>
          {making ? <Loader2 aria-hidden className="animate-spin" /> : <CopyPlus aria-hidden />}
          Use as template
        </Button>
        <Button
          variant="outline"
          size="sm"
          onClick={() => setAskCount(true)}
          disabled={archived || !hasTemplate || Boolean(running)}
          aria-label={`Generate variations of ${label}`}
          title={hasTemplate ? undefined : "Use the seed as a template first: variations are planned from that template."}
        >
          <Shuffle aria-hidden />
          Generate variations
        </Button>
      </div>
      {running && (
        <p role="status" className="text-xs text-muted-foreground">
          Generating variations: {running.done} of {running.total} done
        </p>
      )}
      <Dialog open={askCount} onOpenChange={(open) => !planning && setAskCount(open)}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Generate variations of {seed.conversationId}</DialogTitle>
            <DialogDescription>
              Plans new conversations from this seed&rsquo;s template, each with another persona, emotional arc and topic from your taxonomy. You choose whether to generate them next.
            </DialogDescription>
          </DialogHeader>
          <form
            noValidate
            className="space-y-2"
            onSubmit={(event) => {
              event.preventDefault();
              planVariations();
            }}
          >
            <Label htmlFor={`variations-${seed.id}`}>How many variations (1–{MAX_VARIATIONS})</Label>
            <Input
              id={`variations-${seed.id}`}
              type="number"
              inputMode="numeric"
              min={1}
              max={MAX_VARIATIONS}
              value={count}
              onChange={(event) => setCount(event.target.value)}
              aria-invalid={countError ? true : undefined}
              aria-describedby={countError ? `variations-${seed.id}-error` : undefined}
            />
            {countError && (
              <p id={`variations-${seed.id}-error`} role="alert" className="text-sm text-red-700 dark:text-red-400">
                {countError}
              </p>
            )}
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => setAskCount(false)} disabled={planning}>
                Cancel
              </Button>
              <Button type="submit" disabled={planning}>
                {planning && <Loader2 aria-hidden className="animate-spin" />}
                Plan variations
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
      <GenerateDialog
        open={generate !== null}
        onOpenChange={(open) => !open && setGenerate(null)}
        scope={generate?.scope ?? null}
        description={generate?.description ?? ""}
        workerProblem={workerProblem}
        onStarted={({ runId }) => {
          setRunIds((ids) => (ids.includes(runId) ? ids : [runId, ...ids]));
          router.refresh();
        }}
      />
    </div>
  );
}
